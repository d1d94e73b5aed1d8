//! One line of text being typed (the reader's search line) in visual order, with
//! the screen column of the cursor: where a reader of that script expects it.
//!
//! The cursor sits after the character before it in logical order: to the right
//! of a left-to-right character, to the left of a right-to-left one. So while
//! Persian is typed the cursor stays at the left end of the word, and Backspace
//! (which removes the character before the cursor, the last one typed) removes
//! the letter the cursor touches on screen.

use std::ops::Range;

use super::Direction;
use super::bidi::{ParagraphLevels, push_mirrored};
use super::linebreak::{cell_width, graphemes};

/// A typed line laid out for the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditLine {
    /// The visible cells' text in left-to-right screen order.
    pub visual: String,
    /// The cursor's column, counted in cells from the left end of `visual`.
    pub cursor_column: u16,
    /// Whether the paragraph reads right to left.
    pub rtl: bool,
}

/// Lays out `text` (logical order, one line) with the cursor at byte `cursor`.
/// The direction is the text's own (first strong character). Text wider than
/// `width` keeps the part around the cursor visible.
pub fn edit_line(text: &str, cursor: usize, width: u16) -> EditLine {
    let gs = graphemes(text);
    let levels = ParagraphLevels::new(text, Direction::Auto);
    let rtl = levels.is_rtl();
    let mut order = Vec::with_capacity(gs.len());
    levels.visual_order(&gs, 0..gs.len(), &mut order);
    // Visual columns of each logical grapheme.
    let mut columns: Vec<Range<u16>> = vec![0..0; gs.len()];
    let mut visual_parts: Vec<(u16, String)> = Vec::with_capacity(gs.len());
    let mut x = 0u16;
    for &(index, at_rtl) in &order {
        let g = &gs[index];
        let w = cell_width(g, g.width);
        columns[index] = x..x + w;
        let mut cell = String::new();
        push_mirrored(&text[g.start..g.end], at_rtl, &mut cell);
        visual_parts.push((w, cell));
        x += w;
    }
    let total = x;
    // The grapheme just before the cursor, in logical order.
    let before = gs.iter().rposition(|g| g.end <= cursor);
    let cursor_column = match before {
        Some(i) => {
            let at_rtl = order
                .iter()
                .find(|(index, _)| *index == i)
                .is_some_and(|(_, r)| *r);
            if at_rtl {
                columns[i].start
            } else {
                columns[i].end
            }
        }
        None if rtl => total,
        None => 0,
    };
    // Scroll so the cursor stays visible.
    let width = width.max(1);
    let (from, to) = if total < width {
        (0, total)
    } else {
        let from = cursor_column
            .saturating_sub(width.saturating_sub(1))
            .min(total - width + 1);
        (from, from + width - 1)
    };
    let mut visual = String::new();
    let mut col = 0u16;
    for (w, cell) in visual_parts {
        if col >= from && col + w <= to {
            visual.push_str(&cell);
        }
        col += w;
    }
    EditLine {
        visual,
        cursor_column: cursor_column - from,
        rtl,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_cursor_follows_the_text() {
        let line = edit_line("bank", 4, 40);
        assert_eq!(
            (line.visual.as_str(), line.cursor_column, line.rtl),
            ("bank", 4, false)
        );
        assert_eq!(edit_line("bank", 0, 40).cursor_column, 0);
        assert_eq!(edit_line("bank", 2, 40).cursor_column, 2);
    }

    #[test]
    fn persian_reads_right_to_left_with_the_cursor_left_of_the_last_letter() {
        // سلام typed: visual order is reversed, the cursor at its left end.
        let line = edit_line("سلام", "سلام".len(), 40);
        assert_eq!(line.visual, "مالس");
        assert_eq!(line.cursor_column, 0);
        assert!(line.rtl);
        // After two letters (سل): the cursor is left of ل, which is at column 0.
        let line = edit_line("سلام", "سل".len(), 40);
        assert_eq!(line.cursor_column, 2);
        // At the logical start: the right end.
        assert_eq!(edit_line("سلام", 0, 40).cursor_column, 4);
    }

    #[test]
    fn mixed_text_keeps_runs_in_order_and_mirrors_brackets() {
        let text = "بورس (iran) 1403";
        let line = edit_line(text, text.len(), 40);
        assert_eq!(line.visual, "1403 (iran) سروب");
        // The last typed character is a digit inside the right-to-left paragraph:
        // the cursor is right after it, at the digits' right end.
        assert_eq!(line.cursor_column, 4);
    }

    #[test]
    fn a_long_line_scrolls_to_keep_the_cursor_visible() {
        let text = "a".repeat(100);
        let line = edit_line(&text, 100, 20);
        assert_eq!(line.visual.len(), 19);
        assert_eq!(line.cursor_column, 19);
    }
}
