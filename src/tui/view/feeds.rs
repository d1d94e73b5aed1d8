//! The feed screen: virtual entries, then each feed with unread/total, its
//! title (right-aligned when right-to-left), tags, and `!` when its last refresh failed.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::text::layout::layout_headline;
use crate::text::{Direction, direction_for_language};

use super::super::model::{FeedEntry, ListSource, Model, feed_failed};
use super::cells::{fill, put_str, put_visual_line, str_width};

pub fn draw(model: &Model, buf: &mut Buffer, area: Rect) {
    let theme = &model.theme;
    let entries = model.feed_entries();
    let all_total: u64 = model.feeds.iter().map(|f| f.total).sum();
    for (row, index) in (model.feed_scroll..entries.len())
        .take(area.height as usize)
        .enumerate()
    {
        let y = area.y + row as u16;
        let selected = index == model.feed_cursor;
        let base = if selected {
            theme.text.patch(theme.selected)
        } else {
            theme.text
        };
        fill(buf, area.x, y, area.width, base);
        let over = selected.then_some(theme.selected);
        let (mark, counts, title, direction, tags, unread) = match entries[index] {
            FeedEntry::Virtual(source) => {
                let counts = match source {
                    ListSource::All => format!("{}/{}", model.unread_total, all_total),
                    ListSource::Unread => model.unread_total.to_string(),
                    _ => String::new(),
                };
                (
                    " ",
                    counts,
                    model.source_title(source),
                    Direction::Ltr,
                    String::new(),
                    false,
                )
            }
            FeedEntry::Feed(i) => {
                let Some(feed) = model.feeds.get(i) else {
                    continue;
                };
                (
                    if feed_failed(feed) { "!" } else { " " },
                    format!("{}/{}", feed.unread, feed.total),
                    feed.title.clone(),
                    direction_for_language(feed.language.as_deref(), feed.direction),
                    if feed.tags.is_empty() {
                        String::new()
                    } else {
                        format!("[{}]", feed.tags.join(", "))
                    },
                    feed.unread > 0,
                )
            }
        };
        let mut style = base;
        if unread {
            style = style.patch(theme.unread);
        }
        put_str(
            buf,
            area.x,
            y,
            1,
            mark,
            if mark == "!" {
                base.patch(theme.error)
            } else {
                base
            },
        );
        // Counts right-aligned in a column wide enough for "12345/12345".
        let count_col: u16 = if area.width >= 40 { 11 } else { 7 };
        let counts = model.digits(counts);
        let counts_width = str_width(&counts).min(count_col);
        put_str(
            buf,
            area.x + 2 + count_col - counts_width,
            y,
            counts_width,
            &counts,
            base.patch(theme.dim).patch(over.unwrap_or_default()),
        );
        let title_x = area.x + 3 + count_col;
        let mut title_width = area.width.saturating_sub(3 + count_col + 1);
        let tags_width = str_width(&tags);
        if !tags.is_empty() && title_width > tags_width + 20 {
            title_width -= tags_width + 1;
            put_str(
                buf,
                title_x + title_width + 1,
                y,
                tags_width,
                &tags,
                base.patch(theme.dim).patch(over.unwrap_or_default()),
            );
        }
        let line = layout_headline(&title, direction, title_width, model.layout);
        put_visual_line(buf, title_x, y, title_width, &line, theme, style, over);
    }
    if model.feeds_loaded && model.feeds.is_empty() && area.height > 4 {
        let y = area.y + 4;
        put_str(
            buf,
            area.x + 1,
            y,
            area.width.saturating_sub(2),
            "No feeds yet: `khabar add URL`, or R to refresh the configured ones.",
            theme.dim,
        );
    }
}
