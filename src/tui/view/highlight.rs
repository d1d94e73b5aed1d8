//! Marks the words of a search's matches where they are drawn (headline list,
//! article): underlined and bold, over whatever style the cell has.
//!
//! Works on the drawn cells, after layout: a run of word cells is read both as
//! drawn and reversed (a right-to-left word is drawn with its letters reversed)
//! and compared with the query's words by their search key, so Arabic and
//! Persian spellings, harakat and presentation forms all match.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

use crate::query::{Needle, word_matches};

/// Whether a drawn cell belongs to a word.
fn in_word(symbol: &str) -> bool {
    // The hidden cell after a wide character continues its word.
    symbol.is_empty()
        || symbol.chars().any(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    '\u{200C}' | '\u{200D}' | '\u{0640}' | '\u{0670}' | '\u{064B}'..='\u{065F}'
                )
        })
}

/// Underlines and emboldens every matching word in `area`.
pub fn mark(buf: &mut Buffer, area: Rect, needles: &[Needle]) {
    if needles.is_empty() {
        return;
    }
    for y in area.top()..area.bottom().min(buf.area.bottom()) {
        let mut x = area.left();
        let right = area.right().min(buf.area.right());
        while x < right {
            if !in_word(buf[(x, y)].symbol()) || buf[(x, y)].symbol().is_empty() {
                x += 1;
                continue;
            }
            let start = x;
            let mut cells = Vec::new();
            while x < right && in_word(buf[(x, y)].symbol()) {
                cells.push(buf[(x, y)].symbol().to_string());
                x += 1;
            }
            let drawn: String = cells.concat();
            let reversed: String = cells.iter().rev().map(String::as_str).collect();
            if word_matches(&drawn, needles) || word_matches(&reversed, needles) {
                for cx in start..x {
                    let cell = &mut buf[(cx, y)];
                    cell.modifier.insert(Modifier::UNDERLINED | Modifier::BOLD);
                }
            }
        }
    }
}
