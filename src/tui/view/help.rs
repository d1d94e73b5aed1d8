//! The help screen, generated from the live keymap: each action's keys and
//! what it does, in the interface's language. A Persian interface mirrors it:
//! the keys at the right, the description reading from the right beside them.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::super::help;
use super::super::model::Model;
use super::cells::{put_str, put_ui_line, put_ui_text, str_width};

pub fn draw(model: &Model, scroll: usize, buf: &mut Buffer, area: Rect) {
    let theme = &model.theme;
    let rows = help::rows(model);
    let key_width = rows
        .iter()
        .map(|row| str_width(&row.keys))
        .max()
        .unwrap_or(0)
        .min(area.width / 2);
    let rtl = model.rtl();
    for (i, row) in rows
        .iter()
        .skip(scroll)
        .take(area.height as usize)
        .enumerate()
    {
        let y = area.y + i as u16;
        let (keys, what) = (row.keys.as_str(), row.what.as_str());
        if row.heading {
            // A heading reads across the whole line, from the interface's side.
            put_ui_line(
                buf,
                area.x + 1,
                y,
                area.width.saturating_sub(2),
                what,
                theme.header_label,
                theme,
                model.layout,
                rtl,
            );
            continue;
        }
        let what_width = area.width.saturating_sub(3 + key_width);
        if rtl {
            let keys_x = area.right().saturating_sub(1 + key_width);
            put_ui_line(
                buf,
                keys_x,
                y,
                key_width,
                keys,
                theme.header_label,
                theme,
                model.layout,
                true,
            );
            put_ui_line(
                buf,
                area.x,
                y,
                what_width,
                what,
                theme.text,
                theme,
                model.layout,
                true,
            );
        } else {
            put_str(buf, area.x + 1, y, key_width, keys, theme.header_label);
            let x = area.x + 3 + key_width;
            let width = area.right().saturating_sub(x);
            if what.is_ascii() {
                put_str(buf, x, y, width, what, theme.text);
            } else {
                // A user command's name may be Persian: laid out (reordered
                // when khabar reorders) like any other line of text.
                put_ui_text(buf, x, y, width, what, theme.text, theme, model.layout);
            }
        }
    }
}
