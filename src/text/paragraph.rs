//! One paragraph through the whole pipeline: sanitise, shape, measure, wrap,
//! reorder, and group clusters into styled spans in screen order.

use super::bidi::{ParagraphLevels, push_mirrored};
use super::linebreak::{Grapheme, Wrap, cell_width, graphemes, wrap};
use super::sanitize::{clean_paragraph, is_bidi_control};
use super::shape::shape;
use super::{Direction, LayoutOptions, TextStyle, VisualSpan};

/// Shown for a cluster wider than the whole line.
const TOO_WIDE: &str = "…";

/// A paragraph's text in logical order, ready for layout.
pub(crate) struct Prepared {
    pub text: String,
    pub graphemes: Vec<Grapheme>,
    /// Style of each grapheme, as an index into `styles`.
    grapheme_style: Vec<u16>,
    styles: Vec<TextStyle>,
}

impl Prepared {
    /// Concatenates styled pieces (sanitised, and shaped if asked) into one paragraph.
    pub fn new<'s>(pieces: impl IntoIterator<Item = (&'s str, TextStyle)>, shaping: bool) -> Self {
        let mut text = String::new();
        let mut bounds: Vec<(usize, u16)> = Vec::new();
        let mut styles: Vec<TextStyle> = Vec::new();
        for (piece, style) in pieces {
            let cleaned = clean_paragraph(piece);
            let cleaned = if shaping { shape(&cleaned) } else { cleaned };
            if cleaned.is_empty() {
                continue;
            }
            let index = match styles.iter().position(|s| *s == style) {
                Some(i) => i,
                None => {
                    styles.push(style);
                    styles.len() - 1
                }
            };
            bounds.push((text.len(), u16::try_from(index).unwrap_or(0)));
            text.push_str(&cleaned);
        }
        if styles.is_empty() {
            styles.push(TextStyle::default());
        }
        let graphemes = graphemes(&text);
        let mut grapheme_style = Vec::with_capacity(graphemes.len());
        let mut b = 0usize;
        for g in &graphemes {
            while b + 1 < bounds.len() && bounds[b + 1].0 <= g.start {
                b += 1;
            }
            grapheme_style.push(bounds.get(b).map_or(0, |x| x.1));
        }
        Prepared {
            text,
            graphemes,
            grapheme_style,
            styles,
        }
    }

    /// The text of cluster `i`.
    pub fn cluster(&self, i: usize) -> &str {
        let g = &self.graphemes[i];
        &self.text[g.start..g.end]
    }

    /// Total width in cells, summed per cluster.
    pub fn width(&self) -> u16 {
        self.graphemes
            .iter()
            .fold(0u16, |acc, g| acc.saturating_add(g.width))
    }
}

/// One laid-out line of a paragraph: spans in screen order and their total width.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LaidLine {
    pub spans: Vec<VisualSpan>,
    pub width: u16,
}

/// A laid-out paragraph and its resolved direction.
pub(crate) struct LaidParagraph {
    pub lines: Vec<LaidLine>,
    pub rtl: bool,
}

/// Lays out a prepared paragraph at `width` cells.
pub(crate) fn lay_out(
    para: &Prepared,
    dir: Direction,
    width: u16,
    mode: Wrap,
    opts: LayoutOptions,
) -> LaidParagraph {
    let width = width.max(1);
    let levels = ParagraphLevels::new(&para.text, dir);
    let ranges = wrap(&para.text, &para.graphemes, width, mode);
    let mut order = Vec::new();
    let mut lines = Vec::with_capacity(ranges.len());
    for range in ranges {
        order.clear();
        if opts.terminal_bidi {
            order.extend(range.map(|i| (i, false)));
        } else {
            levels.visual_order(&para.graphemes, range, &mut order);
        }
        lines.push(build_line(para, &order, width));
    }
    LaidParagraph {
        lines,
        rtl: levels.is_rtl(),
    }
}

/// Groups clusters in screen order into spans of one style; bidi controls (already
/// resolved) are dropped so they never reach the terminal.
fn build_line(para: &Prepared, order: &[(usize, bool)], width: u16) -> LaidLine {
    let mut line = LaidLine::default();
    let mut current: Option<(u16, VisualSpan)> = None;
    for &(i, rtl) in order {
        let cluster = para.cluster(i);
        // Bidi controls (U+061C, U+200E/F, U+202A..E, U+2066..9) start with these bytes.
        let lead = cluster.as_bytes().first().copied().unwrap_or(0);
        if (lead == 0xD8 || lead == 0xE2) && cluster.chars().all(is_bidi_control) {
            continue;
        }
        let cluster = without_dangling_zwj(cluster);
        let g = &para.graphemes[i];
        let cells = cell_width(g, width);
        let style_index = para.grapheme_style[i];
        let span = match &mut current {
            Some((s, span)) if *s == style_index => span,
            _ => {
                if let Some((_, done)) = current.take() {
                    line.spans.push(done);
                }
                let style = para.styles[usize::from(style_index)];
                &mut current
                    .insert((
                        style_index,
                        VisualSpan {
                            text: String::new(),
                            style,
                            width: 0,
                        },
                    ))
                    .1
            }
        };
        if g.width > width {
            span.text.push_str(TOO_WIDE);
        } else {
            push_mirrored(cluster, rtl, &mut span.text);
        }
        span.width += cells;
        line.width += cells;
    }
    if let Some((_, done)) = current {
        line.spans.push(done);
    }
    line
}

/// Scripts whose letters join; a ZWJ after one of them asks the terminal's shaper
/// for a joining form and must stay.
fn is_joining_script(c: char) -> bool {
    matches!(
        c,
        '\u{0600}'..='\u{08FF}'
            | '\u{1800}'..='\u{18AF}'
            | '\u{A840}'..='\u{A87F}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}'
            | '\u{10AC0}'..='\u{10AFF}'
            | '\u{10F30}'..='\u{10F6F}'
    )
}

/// A ZWJ left dangling at the end of a non-joining cluster (an emoji whose
/// sequence did not continue) is dropped: after reordering it could glue the
/// cluster to a different emoji, and the terminal would draw one glyph where two
/// were counted.
#[inline]
fn without_dangling_zwj(cluster: &str) -> &str {
    // Single-character clusters (the vast majority) cannot end in a dangling ZWJ,
    // except a ZWJ alone: one left after a bidi control (which is its own cluster
    // and is dropped) joins nothing where it stands and would join whatever
    // reordering puts before it.
    if cluster.len() <= 4 && cluster.chars().nth(1).is_none() {
        return if cluster == "\u{200D}" { "" } else { cluster };
    }
    match cluster.strip_suffix('\u{200D}') {
        Some(rest) if !rest.is_empty() && !rest.starts_with(is_joining_script) => rest,
        _ => cluster,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str, dir: Direction, width: u16, opts: LayoutOptions) -> Vec<String> {
        let para = Prepared::new([(text, TextStyle::default())], opts.shape);
        lay_out(&para, dir, width, Wrap::Words, opts)
            .lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn styles_stay_on_their_characters() {
        let bold = TextStyle {
            bold: true,
            ..Default::default()
        };
        let para = Prepared::new(
            [
                ("سلام ", TextStyle::default()),
                ("دنیا", bold),
                ("!", TextStyle::default()),
            ],
            false,
        );
        let laid = lay_out(
            &para,
            Direction::Auto,
            40,
            Wrap::Words,
            LayoutOptions::default(),
        );
        assert!(laid.rtl);
        let spans: Vec<(&str, bool)> = laid.lines[0]
            .spans
            .iter()
            .map(|s| (s.text.as_str(), s.style.bold))
            .collect();
        assert_eq!(spans, [("!", false), ("ایند", true), (" مالس", false)]);
        assert_eq!(laid.lines[0].width, 10);
    }

    #[test]
    fn controls_never_reach_the_output() {
        let out = plain(
            "a\u{202E}bc\u{2066}d\u{1b}[31m",
            Direction::Ltr,
            40,
            LayoutOptions::default(),
        );
        // RLO makes "bc" and the isolate right to left; the controls vanish.
        assert_eq!(out, ["adcb"]);
    }

    #[test]
    fn reordering_cannot_glue_emoji_into_a_new_sequence() {
        let out = plain(
            "👍👍\u{200D}\u{202E}",
            Direction::Rtl,
            4,
            LayoutOptions::default(),
        );
        assert_eq!(out, ["👍👍"]);
        // A ZWJ cut off from its emoji by an embedding control is a cluster of its
        // own; reordered between two emoji it would glue them (found by CI's proptest).
        let out = plain(
            "سلام👍\u{202A}\u{200D}سلام hello👍",
            Direction::Rtl,
            40,
            LayoutOptions::default(),
        );
        assert!(!out.concat().contains('\u{200D}'), "{out:?}");
        // ZWJ after a Persian letter is a shaping request: kept.
        let out = plain("ه\u{200D}", Direction::Rtl, 4, LayoutOptions::default());
        assert_eq!(out, ["ه\u{200D}"]);
    }

    #[test]
    fn terminal_bidi_keeps_logical_order() {
        let opts = LayoutOptions {
            terminal_bidi: true,
            ..Default::default()
        };
        assert_eq!(
            plain("سلام (دنیا)", Direction::Auto, 40, opts),
            ["سلام (دنیا)"]
        );
    }

    #[test]
    fn shaping_counts_lam_alef_as_one_cell() {
        let opts = LayoutOptions {
            shape: true,
            ..Default::default()
        };
        let para = Prepared::new([("سلام", TextStyle::default())], true);
        let laid = lay_out(&para, Direction::Auto, 40, Wrap::Words, opts);
        assert_eq!(laid.lines[0].width, 3);
        let para = Prepared::new([("سلام", TextStyle::default())], false);
        let laid = lay_out(
            &para,
            Direction::Auto,
            40,
            Wrap::Words,
            LayoutOptions::default(),
        );
        assert_eq!(laid.lines[0].width, 4);
    }
}
