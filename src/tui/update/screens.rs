//! What each action does on each screen (feeds, headlines, article), and the
//! next/previous-unread search that crosses lists and feeds.

use super::super::i18n::Text;
use super::super::keymap::Action;
use super::super::list::{Found, Seek};
use super::super::model::{FeedEntry, ListSource, Model, Screen};
use super::super::msg::Command;
use super::effects::{
    mark_all_read, open_article, open_list, set_read, set_starred, start_refresh,
};
use super::{keep_feed_cursor_visible, moved};

pub(super) fn feeds_action(model: &mut Model, action: Action) -> Vec<Command> {
    let entries = model.feed_entries();
    let page = model.body_height();
    if let Some(cursor) = moved(action, model.feed_cursor, entries.len(), page, 1) {
        model.feed_cursor = cursor;
        keep_feed_cursor_visible(model);
        return Vec::new();
    }
    let selected = entries.get(model.feed_cursor).cloned();
    match action {
        Action::Open => match selected {
            Some(entry) => open_list(model, model.entry_source(&entry), None),
            None => Vec::new(),
        },
        Action::Back => vec![Command::Quit],
        Action::Refresh => {
            let scope = selected.map_or(ListSource::All, |e| model.entry_source(&e));
            start_refresh(model, &scope)
        }
        Action::MarkAllRead => match selected {
            Some(entry) => {
                let shown = model.entry_newest(&entry);
                mark_all_read(model, model.entry_source(&entry), shown)
            }
            None => Vec::new(),
        },
        Action::ToggleUnreadOnly => {
            let keep = selected;
            model.unread_only = !model.unread_only;
            let entries = model.feed_entries();
            model.feed_cursor = keep
                .and_then(|k| entries.iter().position(|e| *e == k))
                .unwrap_or(0);
            keep_feed_cursor_visible(model);
            model.message = Some(unread_only_message(model));
            Vec::new()
        }
        Action::NextUnread | Action::PrevUnread => {
            let forward = action == Action::NextUnread;
            let from = model.feed_cursor;
            open_next_unread_feed(model, from, forward, false)
                .unwrap_or_else(|| say(model, Text::NoUnreadFeed))
        }
        _ => Vec::new(),
    }
}

/// Moves the feed cursor to the next (or previous) feed with unread items after
/// `from` and opens it, searching it from its newest item; `None` when there is none.
fn open_next_unread_feed(
    model: &mut Model,
    from: usize,
    forward: bool,
    open: bool,
) -> Option<Vec<Command>> {
    let index = next_unread_feed(model, from, forward, false)?;
    model.feed_cursor = index;
    keep_feed_cursor_visible(model);
    let source = entries_source(model, index);
    let seek = Seek {
        forward: true,
        inclusive: true,
        open,
    };
    Some(open_list(model, source, Some(seek)))
}

fn say(model: &mut Model, message: Text) -> Vec<Command> {
    model.message = Some(model.t(message).into());
    Vec::new()
}

pub(super) fn entries_source(model: &Model, index: usize) -> ListSource {
    model
        .feed_entries()
        .get(index)
        .map_or(ListSource::All, |e| model.entry_source(e))
}

/// The index (in feed entries) of the next real feed with unread items.
pub(super) fn next_unread_feed(
    model: &Model,
    from: usize,
    forward: bool,
    wrap: bool,
) -> Option<usize> {
    let entries = model.feed_entries();
    let has_unread = |i: usize| match entries.get(i) {
        Some(FeedEntry::Feed(f)) => model.feeds.get(*f).is_some_and(|f| f.unread > 0),
        _ => false,
    };
    let len = entries.len();
    let candidates: Vec<usize> = if forward {
        let mut v: Vec<usize> = (from + 1..len).collect();
        if wrap {
            v.extend(0..from.min(len));
        }
        v
    } else {
        let mut v: Vec<usize> = (0..from.min(len)).rev().collect();
        if wrap {
            v.extend((from + 1..len).rev());
        }
        v
    };
    candidates.into_iter().find(|&i| has_unread(i))
}

pub(super) fn unread_only_message(model: &Model) -> String {
    let text = if model.unread_only {
        Text::ShowingUnreadOnly
    } else {
        Text::ShowingEverything
    };
    model.t(text).into()
}

pub(super) fn headlines_action(
    model: &mut Model,
    action: Action,
    count: Option<u32>,
) -> Vec<Command> {
    let height = model.body_height();
    let Some(list) = model.screen.list_mut() else {
        return Vec::new();
    };
    let n = u64::from(count.unwrap_or(1).max(1));
    let page = height as u64;
    let mut commands = Vec::new();
    list.open_pending = false;
    match action {
        Action::Down => list.move_by(n as i64, height),
        Action::Up => list.move_by(-(n as i64), height),
        Action::PageDown => list.move_by(page as i64, height),
        Action::PageUp => list.move_by(-(page as i64), height),
        Action::HalfPageDown => list.move_by((page / 2).max(1) as i64, height),
        Action::HalfPageUp => list.move_by(-((page / 2).max(1) as i64), height),
        Action::Top => commands.extend(list.jump_to_top(height)),
        Action::Bottom => commands.extend(list.jump_to_bottom(height)),
        Action::Open => return open_article(model),
        Action::Back => {
            model.screen = Screen::Feeds;
            return vec![super::views::load_feeds(model)];
        }
        Action::ToggleRead => {
            if let Some(row) = list.selected().cloned() {
                commands.extend(set_read(model, row.id, !row.read));
                if let Some(list) = model.screen.list_mut() {
                    list.move_by(1, height);
                    commands.extend(list.ensure_window(height));
                }
            }
            return commands;
        }
        Action::ToggleStarred => {
            if let Some(row) = list.selected().cloned() {
                return set_starred(model, row.id, !row.starred);
            }
        }
        Action::MarkAllRead => {
            let source = list.source.clone();
            let shown = model.feeds_newest;
            return mark_all_read(model, source, shown);
        }
        Action::Refresh => {
            let scope = list.source.clone();
            return start_refresh(model, &scope);
        }
        Action::OpenInBrowser | Action::CopyLink => {
            let link = list.selected().and_then(|r| r.link.clone());
            return link_command(model, action, link);
        }
        Action::ToggleUnreadOnly => {
            let source = list.source.clone();
            let keep = list.selected().map(|r| (r.id, list.cursor, list.scroll));
            model.unread_only = !model.unread_only;
            model.message = Some(unread_only_message(model));
            let commands = open_list(model, source, None);
            // Stay on the same item if the other list has it.
            if let (Some(list), Some((id, cursor, scroll))) = (model.screen.list_mut(), keep) {
                list.anchor = Some(id);
                list.cursor = cursor;
                list.scroll = scroll;
            }
            return commands;
        }
        Action::NextUnread | Action::PrevUnread => {
            list.seek = Some(Seek {
                forward: action == Action::NextUnread,
                inclusive: false,
                open: false,
            });
            return continue_seek(model);
        }
        Action::NextFeed | Action::PrevFeed => {
            return super::feed_nav::step(model, action == Action::NextFeed);
        }
        Action::NextUnreadFeed | Action::PrevUnreadFeed => {
            return super::feed_nav::unread_step(model, action == Action::NextUnreadFeed);
        }
        _ => {}
    }
    commands.extend(list.ensure_window(height));
    commands
}

pub(super) fn link_command(
    model: &mut Model,
    action: Action,
    link: Option<String>,
) -> Vec<Command> {
    let Some(link) = link else {
        model.message = Some(model.t(Text::NoLink).into());
        return Vec::new();
    };
    if action == Action::CopyLink {
        model.message = Some(model.tf(Text::Copied, &[("link", &link)]));
        vec![Command::Copy(link)]
    } else if !opens_in_browser(&link) {
        model.message = Some(model.tf(Text::NotOpened, &[("link", &link)]));
        Vec::new()
    } else {
        model.message = Some(model.tf(Text::Opening, &[("link", &link)]));
        vec![Command::OpenUrl(link)]
    }
}

/// Whether a link may go to the browser: a feed's text is anyone's, and a
/// `javascript:`, `file:` or `data:` link handed to the browser (or to
/// `xdg-open`, which runs whatever handles the scheme) would act on this
/// machine rather than show a page. Full text refuses such links for the same
/// reason (`fetch::is_http`).
fn opens_in_browser(link: &str) -> bool {
    url::Url::parse(link).is_ok_and(|url| matches!(url.scheme(), "http" | "https" | "mailto"))
}

pub(super) fn article_action(
    model: &mut Model,
    action: Action,
    count: Option<u32>,
) -> Vec<Command> {
    let page = model.body_height();
    let Some(article) = model.screen.article_mut() else {
        return Vec::new();
    };
    let n = count.unwrap_or(1).max(1) as usize;
    let len = article.lines.len();
    let max_scroll = len.saturating_sub(page);
    if let Some(scroll) = moved(action, article.scroll, max_scroll + 1, page, n) {
        article.scroll = scroll;
        return Vec::new();
    }
    match action {
        Action::Back => {
            model.screen.close_article();
            let height = model.body_height();
            if let Some(list) = model.screen.list_mut() {
                list.keep_visible(height);
            }
            Vec::new()
        }
        Action::OpenInBrowser | Action::CopyLink => {
            let link = article.link(count).map(str::to_string);
            if link.is_none() && count.is_some() {
                let n = model.number(count.unwrap_or(0));
                model.message = Some(model.tf(Text::NoLinkNumber, &[("n", &n)]));
                return Vec::new();
            }
            link_command(model, action, link)
        }
        Action::ToggleStarred => {
            let Some(row) = article.detail.as_ref().map(|d| d.row.clone()) else {
                return Vec::new();
            };
            // The list's row first, as for `m`: it is read again when another
            // process (a sync bringing another machine's star) changes it,
            // while the article's copy is as it was when the article opened.
            let starred = model
                .screen
                .list()
                .and_then(|l| l.rows.iter().find(|r| r.id == row.id))
                .map_or(row.starred, |r| r.starred);
            set_starred(model, row.id, !starred)
        }
        Action::ToggleFulltext => super::fulltext::toggle(model),
        Action::ToggleRead => {
            let id = article.id;
            let read = model
                .screen
                .list()
                .and_then(|l| l.rows.iter().find(|r| r.id == id))
                .is_some_and(|r| r.read);
            let text = if read {
                Text::MarkedUnread
            } else {
                Text::MarkedRead
            };
            model.message = Some(model.t(text).into());
            set_read(model, id, !read)
        }
        Action::Refresh => {
            let scope = article
                .detail
                .as_ref()
                .map_or(ListSource::All, |d| ListSource::Feed(d.row.feed_id));
            start_refresh(model, &scope)
        }
        Action::NextUnread | Action::PrevUnread | Action::Open => {
            let Some(list) = model.screen.list_mut() else {
                return Vec::new();
            };
            if action == Action::Open {
                return Vec::new();
            }
            list.seek = Some(Seek {
                forward: action == Action::NextUnread,
                inclusive: false,
                open: true,
            });
            continue_seek(model)
        }
        // The next feed's headlines, as in its list: the article closes.
        Action::NextFeed | Action::PrevFeed => {
            super::feed_nav::step(model, action == Action::NextFeed)
        }
        Action::NextUnreadFeed | Action::PrevUnreadFeed => {
            super::feed_nav::unread_step(model, action == Action::NextUnreadFeed)
        }
        Action::MarkAllRead => {
            let Some(source) = model.screen.list().map(|l| l.source.clone()) else {
                return Vec::new();
            };
            let shown = model.feeds_newest;
            mark_all_read(model, source, shown)
        }
        _ => Vec::new(),
    }
}

/// Advances a pending next/previous-unread search: found (move, maybe open),
/// needs more rows (move to the window edge so a page loads), or the list is
/// done (go on to the next feed with unread items, or say there is none).
pub(super) fn continue_seek(model: &mut Model) -> Vec<Command> {
    let height = model.body_height();
    let Some(list) = model.screen.list_mut() else {
        return Vec::new();
    };
    let Some(seek) = list.seek else {
        return Vec::new();
    };
    if list.total.is_none() || (list.loading() && list.rows.is_empty()) {
        return Vec::new();
    }
    match list.find_unread(seek) {
        Found::At(index) => {
            list.seek = None;
            list.move_to(index, height);
            let mut commands: Vec<Command> = list.ensure_window(height).into_iter().collect();
            if seek.open {
                commands.extend(open_article(model));
            }
            commands
        }
        Found::NeedMore => {
            if list.loading() {
                return Vec::new();
            }
            let edge = if seek.forward {
                list.end().saturating_sub(1)
            } else {
                list.start
            };
            list.seek = Some(Seek {
                inclusive: true,
                ..seek
            });
            list.move_to(edge, height);
            list.ensure_window(height).into_iter().collect()
        }
        Found::None => {
            list.seek = None;
            let ListSource::Feed(feed_id) = list.source else {
                model.message = Some(model.t(Text::NoMoreUnread).into());
                return Vec::new();
            };
            let here = model.entry_of_feed(feed_id).unwrap_or(0);
            open_next_unread_feed(model, here, seek.forward, seek.open)
                .unwrap_or_else(|| say(model, Text::NoMoreUnread))
        }
    }
}
