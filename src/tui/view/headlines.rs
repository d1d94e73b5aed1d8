//! The headline list: star and unread marks, date, feed name (in lists that mix
//! feeds), and the title laid out as its own paragraph (right-aligned when
//! right-to-left). Only the rows on screen are read from the model's window.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::text::layout::layout_headline;
use crate::text::{Align, direction_for_language};

use super::super::dates::list_date;
use super::super::i18n::Text;
use super::super::keymap::Action;
use super::super::list::HeadlineList;
use super::super::model::{ListSource, Model};
use super::cells::{fill, put_str, put_ui_line, put_visual_line};
use super::note;

pub fn draw(model: &Model, list: &HeadlineList, buf: &mut Buffer, area: Rect) {
    let theme = &model.theme;
    if list.total == Some(0) {
        // The hint names the key the keymap binds to showing everything.
        let text = match model.keymap.first_key(Action::ToggleUnreadOnly) {
            _ if !list.query.unread_only => model.t(Text::NoItems).to_string(),
            Some(key) => model.tf(Text::NoUnreadItemsHint, &[("key", &key.to_string())]),
            None => model.t(Text::NoUnreadItems).to_string(),
        };
        note(model, buf, area, &text);
        return;
    }
    if list.rows.is_empty() {
        note(model, buf, area, model.t(Text::Loading));
        return;
    }
    let rtl = model.rtl();
    let short_date = area.width < 60;
    let date_width: u16 = if short_date { 5 } else { 10 };
    let show_feed = !matches!(list.source, ListSource::Feed(_));
    let feed_width: u16 = if show_feed {
        (area.width / 5).min(18)
    } else {
        0
    };
    for row in 0..area.height {
        let index = list.scroll + u64::from(row);
        if index >= list.len() {
            break;
        }
        let y = area.y + row;
        let selected = index == list.cursor;
        let base = if selected {
            theme.text.patch(theme.selected)
        } else {
            theme.text
        };
        let over = selected.then_some(theme.selected);
        fill(buf, area.x, y, area.width, base);
        let Some(item) = list.row(index) else {
            let x = if rtl {
                area.right().saturating_sub(4)
            } else {
                area.x + 3
            };
            put_str(
                buf,
                x,
                y,
                area.width.saturating_sub(3),
                "…",
                base.patch(theme.dim),
            );
            continue;
        };
        let mut style = base;
        if !item.read {
            style = style.patch(theme.unread);
        }
        if item.starred {
            put_str(
                buf,
                if rtl { area.right() - 1 } else { area.x },
                y,
                1,
                "*",
                base.patch(theme.starred).patch(over.unwrap_or_default()),
            );
        }
        if !item.read {
            let x = if rtl { area.right() - 2 } else { area.x + 1 };
            put_str(buf, x, y, 1, "N", style);
        }
        // English: marks, date, feed, title from the left. Persian (mirrored):
        // marks at the right end, the title reading from the right, then the
        // feed, the date at the left end.
        let mut x = if rtl { area.x } else { area.x + 3 };
        let date = list_date(item.sort_time, model.dates, short_date);
        let date_style = base.patch(theme.date).patch(over.unwrap_or_default());
        if rtl {
            put_ui_line(
                buf,
                x,
                y,
                date_width,
                &date,
                date_style,
                theme,
                model.layout,
                true,
            );
        } else {
            put_str(buf, x, y, date_width, &date, date_style);
        }
        x += date_width + 1;
        if show_feed && feed_width > 0 {
            let mut feed =
                layout_headline(&item.feed_title, item.direction, feed_width, model.layout);
            if rtl {
                feed.align = Align::Right;
            }
            put_visual_line(
                buf,
                x,
                y,
                feed_width,
                &feed,
                theme,
                base.patch(theme.feed_name),
                over,
            );
            x += feed_width + 1;
        }
        let end = if rtl {
            area.right().saturating_sub(3)
        } else {
            area.right()
        };
        let title_width = end.saturating_sub(x);
        let direction = direction_for_language(item.language.as_deref(), item.direction);
        let mut title = layout_headline(&item.title, direction, title_width, model.layout);
        if rtl {
            title.align = Align::Right;
        }
        put_visual_line(buf, x, y, title_width, &title, theme, style, over);
    }
}
