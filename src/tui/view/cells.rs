//! Writing text into the buffer cell by cell. Visual lines are already in screen
//! order, so they must not go through ratatui's `Line`/`Paragraph` (which wrap and
//! measure whole strings, and drop zero-width graphemes such as a lone ZWNJ).
//! Zero-width graphemes join the cell before them; bidi controls are never written
//! (the terminal would act on them); wide characters take two cells.

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::style::{Modifier, Style};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::text::layout::layout_headline;
use crate::text::sanitize::{MAX_ZERO_WIDTH_RUN, is_terminal_unsafe};
use crate::text::{Align, Direction, LayoutOptions, TextStyle, VisualLine};

use super::super::theme::Theme;

/// Characters never written into a cell: controls, bidi controls (the terminal
/// would act on them) and the format characters the sanitiser removes.
fn never_written(c: char) -> bool {
    c.is_control() || is_terminal_unsafe(c)
}

/// The text one grapheme puts into a cell: without characters that are never
/// written, and with at most [`MAX_ZERO_WIDTH_RUN`] characters after its first,
/// so one cell stays small whatever the input (a letter followed by 300,000
/// ZWNJ is one grapheme).
fn cell_text(grapheme: &str) -> Cow<'_, str> {
    let clean = !grapheme.chars().any(never_written);
    if clean && grapheme.len() <= 4 * (MAX_ZERO_WIDTH_RUN + 1) {
        return Cow::Borrowed(grapheme);
    }
    Cow::Owned(
        grapheme
            .chars()
            .filter(|c| !never_written(*c))
            .take(MAX_ZERO_WIDTH_RUN + 1)
            .collect(),
    )
}

/// Writes `text` at (x, y) in at most `max` cells; returns the cells used.
///
/// Linear in `text`: zero-width graphemes (U+200B, a lone combining mark) are
/// gathered for the cell before them and written once, at most
/// [`MAX_ZERO_WIDTH_RUN`] of them per cell, instead of rebuilding that cell's
/// symbol for each one.
pub fn put_str(buf: &mut Buffer, x: u16, y: u16, max: u16, text: &str, style: Style) -> u16 {
    let area = buf.area;
    if y < area.top() || y >= area.bottom() || x >= area.right() {
        return 0;
    }
    let max = max.min(area.right() - x);
    let mut used: u16 = 0;
    // The last cell written, its symbol so far and how many zero-width
    // graphemes joined it; written back when the next cell starts.
    let mut last: Option<(u16, String, usize)> = None;
    for grapheme in text.graphemes(true) {
        let grapheme = cell_text(grapheme);
        if grapheme.is_empty() {
            continue;
        }
        let width = UnicodeWidthStr::width(&*grapheme).min(2) as u16;
        if width == 0 {
            // A combining mark or joiner with no base in this grapheme: keep it
            // with the previous cell rather than dropping it.
            if let Some((_, symbol, joined)) = last.as_mut()
                && *joined < MAX_ZERO_WIDTH_RUN
            {
                symbol.push_str(&grapheme);
                *joined += 1;
            }
            continue;
        }
        if used + width > max {
            break;
        }
        flush_joined(buf, y, last.take());
        let cx = x + used;
        buf[(cx, y)].set_symbol(&grapheme).set_style(style);
        if width == 2 {
            buf[(cx + 1, y)].reset();
            buf[(cx + 1, y)].set_style(style);
        }
        last = Some((cx, grapheme.into_owned(), 0));
        used += width;
    }
    flush_joined(buf, y, last);
    used
}

/// Writes back a cell's symbol when zero-width graphemes joined it.
fn flush_joined(buf: &mut Buffer, y: u16, last: Option<(u16, String, usize)>) {
    if let Some((cx, symbol, joined)) = last
        && joined > 0
    {
        buf[(cx, y)].set_symbol(&symbol);
    }
}

/// Fills a row segment with spaces in `style`.
pub fn fill(buf: &mut Buffer, x: u16, y: u16, width: u16, style: Style) {
    let area = buf.area;
    if y < area.top() || y >= area.bottom() {
        return;
    }
    let end = x.saturating_add(width).min(area.right());
    for cx in x..end {
        buf[(cx, y)].set_symbol(" ").set_style(style);
    }
}

/// The theme style for a run of laid-out text, over `base`.
pub fn text_style(theme: &Theme, style: TextStyle, base: Style) -> Style {
    let mut out = base;
    if style.heading {
        out = out.patch(theme.heading);
    }
    if style.code {
        out = out.patch(theme.code);
    }
    if style.link.is_some() {
        out = out.patch(theme.link);
    }
    if style.marker {
        out = out.patch(theme.marker);
    }
    if style.bold {
        out = out.add_modifier(Modifier::BOLD);
    }
    if style.italic {
        out = out.add_modifier(Modifier::ITALIC);
    }
    out
}

/// Cells a string takes once written (bidi controls removed).
pub fn str_width(text: &str) -> u16 {
    text.graphemes(true)
        .map(|g| {
            if g.chars().all(never_written) {
                0
            } else {
                UnicodeWidthStr::width(g).min(2) as u16
            }
        })
        .fold(0u16, u16::saturating_add)
}

/// Writes a visual line into `width` cells at (x, y): its indent, then its spans in
/// screen order. A right-aligned line whose indent does not already fill the width is
/// pushed to the right edge. `over` is patched over each span's style (selection).
#[allow(clippy::too_many_arguments)]
pub fn put_visual_line(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    width: u16,
    line: &VisualLine,
    theme: &Theme,
    base: Style,
    over: Option<Style>,
) {
    let spans_width: u16 = line
        .spans
        .iter()
        .map(|s| str_width(&s.text))
        .fold(0u16, u16::saturating_add);
    let mut indent = line.indent;
    if line.align == Align::Right {
        let used = indent.saturating_add(spans_width);
        if used < width {
            indent += width - used;
        }
    }
    let mut used = indent.min(width);
    for span in &line.spans {
        if used >= width {
            break;
        }
        let mut style = text_style(theme, span.style, base);
        if let Some(over) = over {
            style = style.patch(over);
        }
        used += put_str(buf, x + used, y, width - used, &span.text, style);
    }
}

/// Writes a line of interface text that may contain right-to-left parts (a feed
/// title in the title bar, an error naming a feed): laid out as one left-to-right
/// paragraph, truncated with `…`. Returns the cells used.
#[allow(clippy::too_many_arguments)]
pub fn put_ui_text(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    width: u16,
    text: &str,
    style: Style,
    theme: &Theme,
    opts: LayoutOptions,
) -> u16 {
    put_ui_line(buf, x, y, width, text, style, theme, opts, false)
}

/// Like [`put_ui_text`], in the interface's direction: with `rtl` the text is
/// one right-to-left paragraph pushed to the right end of its `width` cells (a
/// Persian interface). Returns the cells used, counted from the end it starts at.
#[allow(clippy::too_many_arguments)]
pub fn put_ui_line(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    width: u16,
    text: &str,
    style: Style,
    theme: &Theme,
    opts: LayoutOptions,
    rtl: bool,
) -> u16 {
    if width == 0 {
        return 0;
    }
    let dir = if rtl { Direction::Rtl } else { Direction::Ltr };
    let mut line = layout_headline(text, dir, width, opts);
    if rtl {
        line.indent = 0;
        line.align = Align::Right;
    }
    let used = line
        .spans
        .iter()
        .map(|s| str_width(&s.text))
        .fold(line.indent, u16::saturating_add)
        .min(width);
    put_visual_line(buf, x, y, width, &line, theme, style, None);
    used
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    #[test]
    fn zero_width_joiner_stays_with_previous_cell_and_bidi_controls_vanish() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        let used = put_str(
            &mut buf,
            0,
            0,
            10,
            "می\u{200c}\u{2067}خ\u{2069}",
            Style::default(),
        );
        assert_eq!(used, 3);
        let text: String = (0..3).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        assert!(!text.contains('\u{2067}'));
        assert!(text.contains('\u{200c}'));
    }

    #[test]
    fn defect3_zero_width_graphemes_join_a_cell_at_most_the_bound() {
        // 300,000 U+200B are 300,000 graphemes of width 0 after one letter; a
        // letter with 300,000 ZWNJ is one grapheme. Either way the cell holds
        // the letter and at most MAX_ZERO_WIDTH_RUN more characters, so a frame
        // costs one pass over the text, not one copy of the cell per character.
        for storm in ["\u{200B}", "\u{2060}", "\u{00AD}", "\u{180E}", "\u{200C}"] {
            let text = format!("a{}b", storm.repeat(300_000));
            let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
            assert_eq!(put_str(&mut buf, 0, 0, 4, &text, Style::default()), 2);
            let first = buf[(0, 0)].symbol();
            assert!(first.starts_with('a'));
            assert!(first.chars().count() <= MAX_ZERO_WIDTH_RUN + 1, "{storm:?}");
            assert_eq!(buf[(1, 0)].symbol(), "b");
        }
    }

    #[test]
    fn format_and_tag_characters_are_never_written() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        put_str(
            &mut buf,
            0,
            0,
            6,
            "a\u{FFF9}\u{206A}\u{E0041}\u{FEFF}b",
            Style::default(),
        );
        let text: String = (0..6).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        assert_eq!(text.trim_end(), "ab");
    }

    #[test]
    fn wide_characters_take_two_cells_and_clip() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 5, 1));
        assert_eq!(put_str(&mut buf, 0, 0, 5, "日本語", Style::default()), 4);
        assert_eq!(buf[(0, 0)].symbol(), "日");
        assert_eq!(buf[(2, 0)].symbol(), "本");
    }

    #[test]
    fn right_aligned_line_is_pushed_to_the_edge() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 8, 1));
        let line = VisualLine {
            indent: 0,
            align: Align::Right,
            spans: vec![crate::text::VisualSpan {
                text: "سلام".into(),
                ..Default::default()
            }],
        };
        put_visual_line(
            &mut buf,
            0,
            0,
            8,
            &line,
            &Theme::default(),
            Style::default(),
            None,
        );
        assert_eq!(buf[(4, 0)].symbol(), "س");
        assert_eq!(buf[(3, 0)].symbol(), " ");
    }
}
