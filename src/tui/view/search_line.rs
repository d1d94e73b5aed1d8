//! The search line (and the tag picker's filter) at the bottom of the screen: `/` and the text typed, in
//! visual order (`text::cursor`), right-aligned when it reads right to left, the
//! cursor where a reader of that script expects it; a query that does not parse
//! shows what is wrong and at which column on the status line.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;

use super::super::i18n::{Text, query_error_text};
use super::super::model::Model;
use super::super::search::SearchPrompt;
use super::cells::{fill, put_str, put_ui_line, str_width};

/// Draws the line into `row`; returns where the terminal cursor goes. In a
/// Persian interface the line is mirrored: `/` at the right end, the hint
/// read from the right, the text typed right-aligned next to the `/`.
pub fn draw(
    model: &Model,
    prompt: &SearchPrompt,
    hint: Text,
    buf: &mut Buffer,
    row: Rect,
) -> Position {
    let theme = &model.theme;
    let mirrored = model.rtl();
    fill(buf, row.x, row.y, row.width, theme.text);
    let slash_x = if mirrored {
        row.right().saturating_sub(1)
    } else {
        row.x
    };
    put_str(buf, slash_x, row.y, 1, "/", theme.title_bar);
    // The text's cells: one cell spare at the far end for the cursor, and in a
    // mirrored line one between the text and the `/` too.
    let room = row.width.saturating_sub(if mirrored { 3 } else { 2 });
    let x0 = row.x + 1;
    if prompt.text.is_empty() {
        if mirrored {
            put_ui_line(
                buf,
                x0,
                row.y,
                room,
                model.t(hint),
                theme.dim,
                theme,
                model.layout,
                true,
            );
            return Position::new(x0 + room, row.y);
        }
        put_str(buf, x0 + 1, row.y, room, model.t(hint), theme.dim);
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
    let start = if rtl || mirrored {
        x0 + room - width
    } else {
        x0
    };
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
    let (what, args) = query_error_text(&error.kind);
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let what = model.tf(what, &args);
    let column = model.number(error.column);
    // Where before what: a long message cut at the screen's edge keeps the column.
    Some(model.tf(Text::BadQuery, &[("column", &column), ("error", &what)]))
}
