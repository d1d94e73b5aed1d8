//! The help screen, generated from the live keymap.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::super::model::Model;
use super::cells::{put_str, str_width};

pub fn draw(model: &Model, scroll: usize, buf: &mut Buffer, area: Rect) {
    let theme = &model.theme;
    let rows = model.keymap.help_rows();
    let key_width = rows
        .iter()
        .map(|(keys, _)| str_width(keys))
        .max()
        .unwrap_or(0)
        .min(area.width / 2);
    for (i, (keys, what)) in rows
        .iter()
        .skip(scroll)
        .take(area.height as usize)
        .enumerate()
    {
        let y = area.y + i as u16;
        put_str(buf, area.x + 1, y, key_width, keys, theme.header_label);
        let x = area.x + 3 + key_width;
        put_str(buf, x, y, area.right().saturating_sub(x), what, theme.text);
    }
}
