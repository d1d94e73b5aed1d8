//! The headline list: star and unread marks, date, feed name (in lists that mix
//! feeds), and the title laid out as its own paragraph (right-aligned when
//! right-to-left). Only the rows on screen are read from the model's window.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::text::direction_for_language;
use crate::text::layout::layout_headline;

use super::super::dates::list_date;
use super::super::list::HeadlineList;
use super::super::model::{ListSource, Model};
use super::cells::{fill, put_str, put_visual_line};
use super::note;

pub fn draw(model: &Model, list: &HeadlineList, buf: &mut Buffer, area: Rect) {
    let theme = &model.theme;
    if list.total == Some(0) {
        let text = if list.query.unread_only {
            "no unread items (u shows everything)"
        } else {
            "no items"
        };
        note(model, buf, area, text);
        return;
    }
    if list.rows.is_empty() {
        note(model, buf, area, "loading…");
        return;
    }
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
            put_str(
                buf,
                area.x + 3,
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
                area.x,
                y,
                1,
                "*",
                base.patch(theme.starred).patch(over.unwrap_or_default()),
            );
        }
        if !item.read {
            put_str(buf, area.x + 1, y, 1, "N", style);
        }
        let mut x = area.x + 3;
        let date = list_date(item.sort_time, model.dates, short_date);
        put_str(
            buf,
            x,
            y,
            date_width,
            &date,
            base.patch(theme.date).patch(over.unwrap_or_default()),
        );
        x += date_width + 1;
        if show_feed && feed_width > 0 {
            let feed = layout_headline(&item.feed_title, item.direction, feed_width, model.layout);
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
        let title_width = area.right().saturating_sub(x);
        let direction = direction_for_language(item.language.as_deref(), item.direction);
        let title = layout_headline(&item.title, direction, title_width, model.layout);
        put_visual_line(buf, x, y, title_width, &title, theme, style, over);
    }
}
