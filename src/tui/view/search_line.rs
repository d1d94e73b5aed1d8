//! The search line at the bottom of the screen: `/` and the text typed, in
//! visual order (`text::cursor`), right-aligned when it reads right to left, the
//! cursor where a reader of that script expects it; a query that does not parse
//! shows what is wrong and at which column on the status line.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;

use super::super::i18n::Text;
use super::super::model::Model;
use super::super::search::SearchPrompt;
use super::cells::{fill, put_str, str_width};

/// Draws the line into `row`; returns where the terminal cursor goes.
pub fn draw(model: &Model, prompt: &SearchPrompt, buf: &mut Buffer, row: Rect) -> Position {
    let theme = &model.theme;
    fill(buf, row.x, row.y, row.width, theme.text);
    put_str(buf, row.x, row.y, 1, "/", theme.title_bar);
    let room = row.width.saturating_sub(2);
    let x0 = row.x + 1;
    if prompt.text.is_empty() {
        put_str(
            buf,
            x0 + 1,
            row.y,
            room,
            model.t(Text::SearchHint),
            theme.dim,
        );
        return Position::new(x0, row.y);
    }
    let (visual, cursor, rtl) = if model.layout.terminal_bidi {
        // The terminal reorders: send the logical text, the cursor after what
        // precedes it logically.
        let before = str_width(&prompt.text[..prompt.cursor]);
        (prompt.text.clone(), before, false)
    } else {
        let line = crate::text::cursor::edit_line(&prompt.text, prompt.cursor, room);
        (line.visual, line.cursor_column, line.rtl)
    };
    let width = str_width(&visual).min(room);
    let start = if rtl { x0 + room - width } else { x0 };
    put_str(buf, start, row.y, width, &visual, theme.text);
    let cursor = Position::new((start + cursor).min(row.right().saturating_sub(1)), row.y);
    // Visible in a snapshot's colours too, not only as the terminal's cursor.
    if let Some(cell) = buf.cell_mut(cursor) {
        cell.modifier.insert(Modifier::REVERSED);
    }
    cursor
}

/// The status line's text while the line holds a query that does not parse.
pub fn error_text(model: &Model, prompt: &SearchPrompt) -> Option<String> {
    let error = prompt.error.as_ref()?;
    Some(model.tf(Text::BadQuery, &[("error", &error.to_string())]))
}
