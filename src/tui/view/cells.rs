//! Writing text into the buffer cell by cell. Visual lines are already in screen
//! order, so they must not go through ratatui's `Line`/`Paragraph` (which wrap and
//! measure whole strings, and drop zero-width graphemes such as a lone ZWNJ).
//! Zero-width graphemes join the cell before them; bidi controls are never written
//! (the terminal would act on them); wide characters take two cells.

use ratatui::buffer::Buffer;
use ratatui::style::{Modifier, Style};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::text::layout::layout_headline;
use crate::text::{Align, Direction, LayoutOptions, TextStyle, VisualLine};

use super::super::theme::Theme;

fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Writes `text` at (x, y) in at most `max` cells; returns the cells used.
pub fn put_str(buf: &mut Buffer, x: u16, y: u16, max: u16, text: &str, style: Style) -> u16 {
    let area = buf.area;
    if y < area.top() || y >= area.bottom() || x >= area.right() {
        return 0;
    }
    let max = max.min(area.right() - x);
    let mut used: u16 = 0;
    let mut last_cell: Option<u16> = None;
    for grapheme in text.graphemes(true) {
        let cleaned: String;
        let grapheme = if grapheme
            .chars()
            .any(|c| is_bidi_control(c) || c.is_control())
        {
            cleaned = grapheme
                .chars()
                .filter(|c| !is_bidi_control(*c) && !c.is_control())
                .collect();
            if cleaned.is_empty() {
                continue;
            }
            cleaned.as_str()
        } else {
            grapheme
        };
        let width = UnicodeWidthStr::width(grapheme).min(2) as u16;
        if width == 0 {
            // A combining mark or joiner with no base in this grapheme: keep it
            // with the previous cell rather than dropping it.
            if let Some(cx) = last_cell {
                let cell = &mut buf[(cx, y)];
                let joined = format!("{}{}", cell.symbol(), grapheme);
                cell.set_symbol(&joined);
            }
            continue;
        }
        if used + width > max {
            break;
        }
        let cx = x + used;
        buf[(cx, y)].set_symbol(grapheme).set_style(style);
        if width == 2 {
            buf[(cx + 1, y)].reset();
            buf[(cx + 1, y)].set_style(style);
        }
        last_cell = Some(cx);
        used += width;
    }
    used
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
            if g.chars().all(|c| is_bidi_control(c) || c.is_control()) {
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
