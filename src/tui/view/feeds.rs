//! The feed screen: virtual entries, each tag of the feeds (`#tag`), then each
//! feed with unread/total, its title (right-aligned when right-to-left), tags, and `!` when its last refresh failed.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::text::layout::layout_headline;
use crate::text::{Align, Direction, direction_for_language};

use super::super::i18n::Text;
use super::super::keymap::Action;
use super::super::model::{FeedEntry, ListSource, Model, feed_failed};
use super::super::tags::isolated_list_with;
use super::cells::{fill, put_str, put_ui_line, put_visual_line, str_width};

pub fn draw(model: &Model, buf: &mut Buffer, area: Rect) {
    let theme = &model.theme;
    let entries = model.feed_entries();
    let all_total: u64 = model.feeds.iter().map(|f| f.total).sum();
    let counts_of = |entry: FeedEntry| -> (u64, Option<u64>) {
        match entry {
            FeedEntry::Virtual(ListSource::All) => (model.unread_total, Some(all_total)),
            FeedEntry::Virtual(ListSource::Unread) => (model.unread_total, None),
            FeedEntry::Virtual(ListSource::Starred) => {
                (model.starred.unread, Some(model.starred.total))
            }
            FeedEntry::Virtual(_) => (0, None),
            FeedEntry::Tag(i) => model
                .tags
                .get(i)
                .map_or((0, None), |t| (t.unread, Some(t.total))),
            FeedEntry::View(i) => model
                .views
                .get(i)
                .and_then(|v| v.counts)
                .map_or((0, None), |(unread, total)| (unread, Some(total))),
            FeedEntry::Feed(i) => model
                .feeds
                .get(i)
                .map_or((0, None), |f| (f.unread, Some(f.total))),
        }
    };
    let count_col = count_column(
        area.width,
        entries
            .iter()
            .map(|e| match counts_of(e.clone()) {
                (unread, Some(total)) => full_counts(unread, total),
                (unread, None) => unread.to_string(),
            })
            .map(|c| str_width(&c))
            .max()
            .unwrap_or(0),
    );
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
        let entry = entries[index].clone();
        let (mark, counts, title, direction, tags, unread) = match &entry {
            FeedEntry::Virtual(source) => (
                " ",
                match source {
                    ListSource::All | ListSource::Unread | ListSource::Starred => {
                        let (unread, total) = counts_of(entry.clone());
                        counts_in(unread, total, count_col)
                    }
                    _ => String::new(),
                },
                model.source_title(source),
                Direction::Ltr,
                String::new(),
                false,
            ),
            FeedEntry::View(i) => {
                let Some(view) = model.views.get(*i) else {
                    continue;
                };
                let (unread, total) = view.counts.map_or((0, None), |(u, t)| (u, Some(t)));
                (
                    " ",
                    counts_in(unread, total, count_col),
                    // `/name`: a saved search, above everything else.
                    format!(
                        "/\u{2068}{}\u{2069}",
                        crate::text::sanitize::clean_inline(&view.name)
                    ),
                    Direction::Ltr,
                    String::new(),
                    unread > 0,
                )
            }
            FeedEntry::Tag(i) => {
                let Some(tag) = model.tags.get(*i) else {
                    continue;
                };
                (
                    " ",
                    counts_in(tag.unread, Some(tag.total), count_col),
                    // `#tag`, left-aligned under the virtual entries, above the feeds.
                    model.source_title(&ListSource::Tag(tag.name.clone())),
                    Direction::Ltr,
                    String::new(),
                    tag.unread > 0,
                )
            }
            FeedEntry::Feed(i) => {
                let Some(feed) = model.feeds.get(*i) else {
                    continue;
                };
                (
                    if feed_failed(feed) { "!" } else { " " },
                    counts_in(feed.unread, Some(feed.total), count_col),
                    feed.title.clone(),
                    direction_for_language(feed.language.as_deref(), feed.direction),
                    if feed.tags.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "[{}]",
                            isolated_list_with(&feed.tags, model.t(Text::ListSeparator))
                        )
                    },
                    feed.unread > 0,
                )
            }
        };
        let mut style = base;
        if unread {
            style = style.patch(theme.unread);
        }
        // English: mark, counts, title, tags from the left. Persian (mirrored):
        // the mark at the right end, the title reading from the right, its tags
        // to its left, the counts at the left end.
        let rtl = model.rtl();
        let direction = match (&entry, rtl) {
            // The interface's own words ("All items", "#tag") read its way.
            (FeedEntry::Virtual(_) | FeedEntry::Tag(_) | FeedEntry::View(_), true) => {
                Direction::Rtl
            }
            _ => direction,
        };
        let (mark_x, counts_end, mut title_x) = if rtl {
            (
                area.right() - 1,
                area.x + 1 + count_col,
                area.x + 2 + count_col,
            )
        } else {
            (area.x, area.x + 2 + count_col, area.x + 3 + count_col)
        };
        put_str(
            buf,
            mark_x,
            y,
            1,
            mark,
            if mark == "!" {
                base.patch(theme.error)
            } else {
                base
            },
        );
        // Counts right-aligned in their column (`counts_in` makes them fit).
        let counts = model.digits(counts);
        let counts_width = str_width(&counts).min(count_col);
        put_str(
            buf,
            counts_end - counts_width,
            y,
            counts_width,
            &counts,
            base.patch(theme.dim).patch(over.unwrap_or_default()),
        );
        let mut title_width = area.width.saturating_sub(3 + count_col + 1);
        // Tags go through the layout engine: a Persian tag must read right to left.
        let tags_width = str_width(&tags);
        if !tags.is_empty() && title_width > tags_width + 20 {
            title_width -= tags_width + 1;
            let tags_x = if rtl {
                title_x
            } else {
                title_x + title_width + 1
            };
            if rtl {
                title_x += tags_width + 1;
            }
            put_ui_line(
                buf,
                tags_x,
                y,
                tags_width,
                &tags,
                base.patch(theme.dim).patch(over.unwrap_or_default()),
                theme,
                model.layout,
                rtl,
            );
        }
        let mut line = layout_headline(&title, direction, title_width, model.layout);
        if rtl {
            line.align = Align::Right;
        }
        put_visual_line(buf, title_x, y, title_width, &line, theme, style, over);
    }
    // Below the list, with a blank row between: the terminal check on a first start.
    let shown = entries.len().saturating_sub(model.feed_scroll);
    if model.offer_terminal_check
        && model.nothing_fetched_yet()
        && shown + 1 < usize::from(area.height)
    {
        let offer_row = area.y + shown as u16 + 1;
        let (width, offer) = (
            area.width.saturating_sub(2),
            model.t(Text::TerminalCheckOffer),
        );
        put_ui_line(
            buf,
            area.x + 1,
            offer_row,
            width,
            offer,
            theme.dim,
            theme,
            model.layout,
            model.rtl(),
        );
    }
    if model.feeds_loaded && model.feeds.is_empty() && area.height > 4 {
        let y = area.y + 4;
        let (width, hint) = (area.width.saturating_sub(2), empty_hint(model));
        if model.rtl() {
            put_ui_line(
                buf,
                area.x + 1,
                y,
                width,
                &hint,
                theme.dim,
                theme,
                model.layout,
                true,
            );
        } else {
            put_str(buf, area.x + 1, y, width, &hint, theme.dim);
        }
    }
}

/// What to do on an empty feed list, naming the key the live keymap binds to
/// refreshing all feeds (none bound: only the command).
fn empty_hint(model: &Model) -> String {
    match model.keymap.first_key(Action::RefreshAll) {
        Some(key) => model.tf(Text::NoFeedsHint, &[("key", &key.to_string())]),
        None => model.t(Text::NoFeeds).to_string(),
    }
}

/// Width of the counts column: room for "12345/12345" (7 cells when narrow),
/// wider when a count needs it and the screen has room.
fn count_column(width: u16, widest: u16) -> u16 {
    if width >= 40 {
        widest.clamp(11, (width / 4).max(11))
    } else {
        7
    }
}

/// "unread/total" as written: in full, or compact (`164k/500k`), or the unread
/// count alone, whichever first fits in `col` cells. Never a cut number.
fn counts_in(unread: u64, total: Option<u64>, col: u16) -> String {
    let candidates = match total {
        Some(total) => vec![
            full_counts(unread, total),
            format!("{}/{}", compact(unread), compact(total)),
            compact(unread),
        ],
        None => vec![unread.to_string(), compact(unread)],
    };
    candidates
        .into_iter()
        .find(|c| str_width(c) <= col)
        .unwrap_or_default()
}

fn full_counts(unread: u64, total: u64) -> String {
    format!("{unread}/{total}")
}

/// A count in at most four cells, rounded down: `999`, `1.2k`, `164k`, `2.5M`, `12M`.
fn compact(n: u64) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..10_000 => format!("{}.{}k", n / 1_000, n % 1_000 / 100),
        10_000..1_000_000 => format!("{}k", n / 1_000),
        1_000_000..10_000_000 => format!("{}.{}M", n / 1_000_000, n % 1_000_000 / 100_000),
        _ => format!("{}M", n / 1_000_000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t9_compact_counts_round_down_and_stay_short() {
        assert_eq!(compact(999), "999");
        assert_eq!(compact(1_299), "1.2k");
        assert_eq!(compact(164_999), "164k");
        assert_eq!(compact(2_560_000), "2.5M");
        assert_eq!(compact(123_456_789), "123M");
        assert_eq!(counts_in(164_000, Some(500_000), 13), "164000/500000");
        assert_eq!(counts_in(164_000, Some(500_000), 11), "164k/500k");
        assert_eq!(counts_in(164_000, Some(500_000), 7), "164k");
        assert_eq!(counts_in(12, Some(34), 7), "12/34");
        assert_eq!(count_column(80, 13), 13);
        assert_eq!(count_column(80, 5), 11);
        assert_eq!(count_column(40, 13), 11);
    }
}
