//! The tag picker over the body: `unread/total #tag` per row, most unread
//! first, the selected row marked; the filter is typed on the bottom line. In a
//! Persian interface the rows are mirrored like the feed screen's: the counts at
//! the left end, the tag reading from the right end.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::super::i18n::Text;
use super::super::model::Model;
use super::super::tag_picker::TagPicker;
use super::cells::{fill, put_str, put_ui_line, put_ui_text, str_width};

pub fn draw(model: &Model, picker: &TagPicker, buf: &mut Buffer, area: Rect) {
    let theme = &model.theme;
    let Some(_) = &picker.tags else {
        note(model, buf, area, Text::Loading);
        return;
    };
    let shown = picker.shown();
    if shown.is_empty() {
        note(model, buf, area, Text::NoTags);
        return;
    }
    let counts: Vec<String> = shown
        .iter()
        .map(|t| format!("{}/{}", model.number(t.unread), model.number(t.total)))
        .collect();
    let count_width = counts.iter().map(|c| str_width(c)).max().unwrap_or(0);
    for (row, index) in (picker.scroll..shown.len())
        .take(area.height as usize)
        .enumerate()
    {
        let y = area.y + row as u16;
        let selected = index == picker.cursor;
        let style = if selected {
            theme.text.patch(theme.selected)
        } else if shown[index].unread > 0 {
            theme.text.patch(theme.unread)
        } else {
            theme.text
        };
        fill(buf, area.x, y, area.width, style);
        let count = &counts[index];
        let pad = count_width - str_width(count);
        put_str(buf, area.x + 1 + pad, y, count_width, count, style);
        let x = area.x + 2 + count_width;
        // Isolated: a Persian tag reads right to left after the `#`.
        let name = format!("#\u{2068}{}\u{2069}", shown[index].name);
        let width = area.right().saturating_sub(x);
        if model.rtl() {
            // Mirrored: the counts stay at the left end, the tag reads from the
            // right end, one cell in.
            put_ui_line(
                buf,
                x,
                y,
                width.saturating_sub(1),
                &name,
                style,
                theme,
                model.layout,
                true,
            );
        } else {
            put_ui_text(buf, x, y, width, &name, style, theme, model.layout);
        }
    }
}

/// A one-line note in the picker's first row, where its tags would be: one cell
/// in from the start of the interface's direction, and in a Persian interface
/// laid out right to left like the rows (put as it was, its letters read backwards).
fn note(model: &Model, buf: &mut Buffer, area: Rect, text: Text) {
    let theme = &model.theme;
    let text = model.t(text);
    if model.rtl() {
        put_ui_line(
            buf,
            area.x + 1,
            area.y,
            area.width.saturating_sub(2),
            text,
            theme.dim,
            theme,
            model.layout,
            true,
        );
    } else {
        put_str(buf, area.x + 1, area.y, area.width, text, theme.dim);
    }
}
