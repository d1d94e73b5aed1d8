//! The help screen, generated from the live keymap: each action's keys and
//! what it does, in the interface's language. A Persian interface mirrors it:
//! the keys at the right, the description reading from the right beside them.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::super::i18n::{Text, action_help};
use super::super::keymap::{Action, Key};
use super::super::model::Model;
use super::cells::{put_str, put_ui_line, str_width};

pub fn draw(model: &Model, scroll: usize, buf: &mut Buffer, area: Rect) {
    let theme = &model.theme;
    let rows: Vec<(String, &str)> = Action::all()
        .map(|action| {
            let keys = model.keymap.keys_for(action);
            let keys = if keys.is_empty() {
                model.t(Text::Unbound).to_string()
            } else {
                keys.iter()
                    .map(Key::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            (keys, action_help(model.locale(), action))
        })
        .collect();
    let key_width = rows
        .iter()
        .map(|(keys, _)| str_width(keys))
        .max()
        .unwrap_or(0)
        .min(area.width / 2);
    let rtl = model.rtl();
    for (i, (keys, what)) in rows
        .iter()
        .skip(scroll)
        .take(area.height as usize)
        .enumerate()
    {
        let y = area.y + i as u16;
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
            put_str(buf, x, y, area.right().saturating_sub(x), what, theme.text);
        }
    }
}
