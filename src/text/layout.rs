//! The layout engine's entry points: blocks in logical order to visual lines, and
//! single-line headlines.
//!
//! Block decorations (list markers, quote bars) sit on the paragraph's start side:
//! on the left for left-to-right text, on the right for right-to-left text.

use super::bidi::ParagraphLevels;
use super::linebreak::{Wrap, str_width};
use super::paragraph::{LaidParagraph, Prepared, lay_out};
use super::{
    Align, Block, BlockKind, Direction, LayoutOptions, StyledRun, TextStyle, VisualLine, VisualSpan,
};

/// Cells of indentation per list nesting level.
const LIST_INDENT: u16 = 2;
const QUOTE_BAR: &str = "│";
const RULE: &str = "─";
const TAB_STOP: usize = 4;

/// Lays out blocks at `width` cells: wrapped, reordered, aligned.
pub fn layout_blocks(blocks: &[Block], width: u16, opts: LayoutOptions) -> Vec<VisualLine> {
    let width = width.max(1);
    let mut out = Vec::new();
    for block in blocks {
        layout_block(block, width, opts, &mut out);
    }
    out
}

fn layout_block(block: &Block, width: u16, opts: LayoutOptions, out: &mut Vec<VisualLine>) {
    match &block.kind {
        BlockKind::Blank => out.push(VisualLine::default()),
        BlockKind::Rule => out.push(VisualLine {
            indent: 0,
            spans: vec![marker_span(RULE.repeat(usize::from(width)))],
            align: Align::Left,
        }),
        BlockKind::Code => layout_code(block, width, opts, out),
        BlockKind::Paragraph => {
            decorated(block, &block.runs, Decoration::none(), width, opts, out);
        }
        BlockKind::Heading(_) => {
            let runs: Vec<StyledRun> = block
                .runs
                .iter()
                .map(|r| StyledRun {
                    text: r.text.clone(),
                    style: TextStyle {
                        heading: true,
                        bold: true,
                        ..r.style
                    },
                })
                .collect();
            decorated(block, &runs, Decoration::none(), width, opts, out);
        }
        BlockKind::ListItem { depth, marker } => {
            let decoration = Decoration {
                lead: marker.clone(),
                outer: u16::from(*depth) * LIST_INDENT,
                repeat_lead: false,
            };
            decorated(block, &block.runs, decoration, width, opts, out);
        }
        BlockKind::Quote(depth) => {
            let bars = vec![QUOTE_BAR; usize::from(*depth).max(1)].join(" ");
            let decoration = Decoration {
                lead: bars,
                outer: 0,
                repeat_lead: true,
            };
            decorated(block, &block.runs, decoration, width, opts, out);
        }
    }
}

/// A marker beside a block's text, on its start side.
struct Decoration {
    /// Marker text in logical order ("•", "3.", quote bars); empty for none.
    lead: String,
    /// Blank cells between the screen edge and the marker (list nesting).
    outer: u16,
    /// Repeat the marker on every line (quote bars) instead of only the first.
    repeat_lead: bool,
}

impl Decoration {
    fn none() -> Self {
        Decoration {
            lead: String::new(),
            outer: 0,
            repeat_lead: false,
        }
    }

    /// Width of the whole decoration: outer indent, marker and one space.
    fn width(&self) -> u16 {
        if self.lead.is_empty() {
            self.outer
        } else {
            self.outer + str_width(&self.lead) + 1
        }
    }
}

fn marker_span(text: String) -> VisualSpan {
    let width = str_width(&text);
    VisualSpan {
        text,
        style: TextStyle {
            marker: true,
            ..Default::default()
        },
        width,
    }
}

fn spaces(n: u16) -> String {
    " ".repeat(usize::from(n))
}

/// Lays out a block's text beside its decoration.
fn decorated(
    block: &Block,
    runs: &[StyledRun],
    decoration: Decoration,
    width: u16,
    opts: LayoutOptions,
    out: &mut Vec<VisualLine>,
) {
    let mut deco_width = decoration.width();
    // On a screen too narrow for the decoration, the text matters more.
    let decoration = if deco_width >= width {
        deco_width = 0;
        Decoration::none()
    } else {
        decoration
    };
    let content_width = width - deco_width;
    let para = Prepared::new(runs.iter().map(|r| (r.text.as_str(), r.style)), opts.shape);
    let laid = lay_out(&para, block.dir, content_width, Wrap::Words, opts);
    push_decorated(laid, &decoration, deco_width, content_width, opts, out);
}

fn push_decorated(
    laid: LaidParagraph,
    decoration: &Decoration,
    deco_width: u16,
    content_width: u16,
    opts: LayoutOptions,
    out: &mut Vec<VisualLine>,
) {
    let rtl = laid.rtl;
    // The marker as it appears on screen: reordered as a right-to-left paragraph
    // when it sits on the right ("1." shows as ".1"), unless the terminal reorders.
    let lead_visual = if rtl && !opts.terminal_bidi && !decoration.lead.is_empty() {
        let marker = Prepared::new([(decoration.lead.as_str(), TextStyle::default())], false);
        let laid_marker = lay_out(&marker, Direction::Rtl, u16::MAX, Wrap::Graphemes, opts);
        laid_marker
            .lines
            .iter()
            .flat_map(|l| l.spans.iter().map(|s| s.text.as_str()))
            .collect::<String>()
    } else {
        decoration.lead.clone()
    };
    let blank_lead = spaces(str_width(&decoration.lead));
    for (i, line) in laid.lines.into_iter().enumerate() {
        let lead = if i == 0 || decoration.repeat_lead {
            lead_visual.as_str()
        } else {
            blank_lead.as_str()
        };
        let mut spans = Vec::with_capacity(line.spans.len() + 1);
        if rtl && !opts.terminal_bidi {
            spans.extend(line.spans);
            if deco_width > 0 {
                let text = if decoration.lead.is_empty() {
                    spaces(decoration.outer)
                } else {
                    format!(" {lead}{}", spaces(decoration.outer))
                };
                spans.push(marker_span(text));
            }
            out.push(VisualLine {
                indent: content_width.saturating_sub(line.width),
                spans,
                align: Align::Right,
            });
        } else {
            if deco_width > 0 {
                let text = if decoration.lead.is_empty() {
                    spaces(decoration.outer)
                } else {
                    format!("{}{lead} ", spaces(decoration.outer))
                };
                spans.push(marker_span(text));
            }
            spans.extend(line.spans);
            let indent = if rtl {
                content_width.saturating_sub(line.width)
            } else {
                0
            };
            out.push(VisualLine {
                indent,
                spans,
                align: if rtl { Align::Right } else { Align::Left },
            });
        }
    }
}

/// Preformatted text: kept verbatim line by line (tabs expanded), never wrapped at
/// spaces and always laid out left to right; long lines break by cluster.
fn layout_code(block: &Block, width: u16, opts: LayoutOptions, out: &mut Vec<VisualLine>) {
    let text: String = block.runs.iter().map(|r| r.text.as_str()).collect();
    let style = TextStyle {
        code: true,
        ..block.runs.first().map(|r| r.style).unwrap_or_default()
    };
    for source_line in text.trim_end_matches('\n').split('\n') {
        let expanded = expand_tabs(source_line.trim_end_matches('\r'));
        let para = Prepared::new([(expanded.as_str(), style)], opts.shape);
        let laid = lay_out(&para, Direction::Ltr, width, Wrap::Graphemes, opts);
        for line in laid.lines {
            out.push(VisualLine {
                indent: 0,
                spans: line.spans,
                align: Align::Left,
            });
        }
    }
}

fn expand_tabs(line: &str) -> String {
    if !line.contains('\t') {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut column = 0usize;
    for c in line.chars() {
        if c == '\t' {
            let n = TAB_STOP - column % TAB_STOP;
            out.push_str(&" ".repeat(n));
            column += n;
        } else {
            out.push(c);
            column += 1;
        }
    }
    out
}

/// Lays out one headline as its own paragraph in exactly one line of at most
/// `width` cells, truncated with `…` at its logical end (the left edge for a
/// right-to-left title). Nothing in the title can affect text outside its line.
pub fn layout_headline(text: &str, dir: Direction, width: u16, opts: LayoutOptions) -> VisualLine {
    let width = width.max(1);
    let full = Prepared::new([(text, TextStyle::default())], opts.shape);
    // The direction comes from the whole title, not from what survives truncation.
    let dir = match dir {
        Direction::Auto => {
            if ParagraphLevels::new(&full.text, Direction::Auto).is_rtl() {
                Direction::Rtl
            } else {
                Direction::Ltr
            }
        }
        forced => forced,
    };
    let para = if full.width() > width {
        truncated(&full, width)
    } else {
        full
    };
    let laid = lay_out(&para, dir, width, Wrap::Graphemes, no_shape(opts));
    let line = laid.lines.into_iter().next().unwrap_or_default();
    let rtl = laid.rtl;
    VisualLine {
        indent: if rtl {
            width.saturating_sub(line.width)
        } else {
            0
        },
        spans: line.spans,
        align: if rtl { Align::Right } else { Align::Left },
    }
}

/// Shaping happens once, in [`Prepared::new`]; later passes must not shape again.
fn no_shape(opts: LayoutOptions) -> LayoutOptions {
    LayoutOptions {
        shape: false,
        ..opts
    }
}

/// The longest logical prefix that fits in `width - 1` cells, then `…`.
fn truncated(full: &Prepared, width: u16) -> Prepared {
    let budget = width.saturating_sub(1);
    let mut used = 0u16;
    let mut end = 0usize;
    for g in &full.graphemes {
        if u32::from(used) + u32::from(g.width) > u32::from(budget) {
            break;
        }
        used += g.width;
        end = g.end;
    }
    let kept = full.text[..end].trim_end();
    Prepared::new(
        [(kept, TextStyle::default()), ("…", TextStyle::default())],
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(line: &VisualLine) -> String {
        let body: String = line.spans.iter().map(|s| s.text.as_str()).collect();
        format!("{}{}", spaces(line.indent), body)
    }

    fn para(text: &str) -> Block {
        Block {
            runs: vec![StyledRun {
                text: text.into(),
                style: TextStyle::default(),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn rtl_paragraph_is_right_aligned() {
        let lines = layout_blocks(&[para("سلام دنیا!")], 20, LayoutOptions::default());
        assert_eq!(text_of(&lines[0]), "          !ایند مالس");
        assert_eq!(lines[0].align, Align::Right);
    }

    #[test]
    fn list_marker_on_the_start_side() {
        let item = |text: &str| Block {
            kind: BlockKind::ListItem {
                depth: 1,
                marker: "1.".into(),
            },
            ..para(text)
        };
        let lines = layout_blocks(&[item("hello world")], 12, LayoutOptions::default());
        assert_eq!(text_of(&lines[0]), "  1. hello");
        assert_eq!(text_of(&lines[1]), "     world");
        let lines = layout_blocks(&[item("سلام دنیا")], 12, LayoutOptions::default());
        assert_eq!(text_of(&lines[0]), "   مالس .1  ");
        assert_eq!(text_of(&lines[1]), "   ایند     ");
    }

    #[test]
    fn quote_bars_repeat() {
        let quote = Block {
            kind: BlockKind::Quote(2),
            ..para("aa bb")
        };
        let lines = layout_blocks(&[quote], 6, LayoutOptions::default());
        assert_eq!(text_of(&lines[0]), "│ │ aa");
        assert_eq!(text_of(&lines[1]), "│ │ bb");
    }

    #[test]
    fn code_is_verbatim() {
        let code = Block {
            kind: BlockKind::Code,
            ..para("fn main() {\n\tlet  x = 1;\n}\n")
        };
        let lines = layout_blocks(&[code], 40, LayoutOptions::default());
        let texts: Vec<String> = lines.iter().map(text_of).collect();
        assert_eq!(texts, ["fn main() {", "    let  x = 1;", "}"]);
        assert!(lines[0].spans[0].style.code);
    }

    #[test]
    fn headline_truncates_at_logical_end() {
        let opts = LayoutOptions::default();
        let line = layout_headline("سلام دنیای زیبا", Direction::Auto, 10, opts);
        assert_eq!(text_of(&line), "…ایند مالس");
        let line = layout_headline("hello beautiful world", Direction::Auto, 10, opts);
        assert_eq!(text_of(&line), "hello bea…");
        let line = layout_headline("iPhone 16 در ایران", Direction::Rtl, 30, opts);
        assert_eq!(text_of(&line).trim_start(), "ناریا رد iPhone 16");
        assert_eq!(
            text_of(&layout_headline("abc", Direction::Auto, 1, opts)),
            "…"
        );
        // Spaces are the caller's (padding, separators): kept; newlines become spaces.
        let line = layout_headline(" a\nb", Direction::Auto, 10, opts);
        assert_eq!(text_of(&line), " a b");
    }

    #[test]
    fn headline_cannot_leak_controls() {
        let line = layout_headline(
            "\u{202E}abc \u{1b}]0;x\u{7}d",
            Direction::Auto,
            20,
            LayoutOptions::default(),
        );
        let text = text_of(&line);
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() || super::super::sanitize::is_bidi_control(c))
        );
    }
}
