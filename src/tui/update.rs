//! `update(model, msg) -> commands`: every state change of the reader. Pure: no
//! IO, no clock (time arrives in messages), no terminal.

use crate::refresh::{FeedOutcome, RefreshEvent, RefreshTarget};
use crate::store::{FeedId, ItemId};

use super::article::ArticleView;
use super::keymap::{Action, Key};
use super::list::{Found, HeadlineList, Seek};
use super::model::{FeedEntry, ListSource, Model, RefreshProgress, Screen, feed_failed};
use super::msg::{Command, Msg};

/// Applies `msg` to `model` and returns the side effects to run.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Key(key) => {
            // Quit and suspend act at once unless typed after keys still waiting.
            let urgent = model.deferred_keys.is_empty()
                && matches!(
                    model.keymap.action(key),
                    Some(Action::Quit | Action::Suspend)
                );
            if !urgent && busy(model) && model.deferred_keys.len() < MAX_DEFERRED_KEYS {
                model.deferred_keys.push(key);
                return Vec::new();
            }
            on_key(model, key)
        }
        Msg::Wheel(lines) => {
            let action = if lines > 0 { Action::Down } else { Action::Up };
            let mut commands = Vec::new();
            for _ in 0..lines.unsigned_abs().min(50) {
                commands.extend(on_action(model, action, None));
            }
            commands
        }
        Msg::Resize { width, height } => {
            model.width = width;
            model.height = height;
            let height = model.body_height();
            keep_feed_cursor_visible(model);
            if let Some(article) = &mut model.article {
                article.relayout(width, model.layout);
            }
            let mut commands = Vec::new();
            if let Some(list) = &mut model.list {
                list.keep_visible(height);
                commands.extend(list.ensure_window(height));
            }
            commands
        }
        Msg::FeedsLoaded { feeds, unread } => {
            model.feeds = feeds;
            model.feeds_loaded = true;
            model.unread_total = unread;
            let len = model.feed_entries().len();
            model.feed_cursor = model.feed_cursor.min(len.saturating_sub(1));
            keep_feed_cursor_visible(model);
            replay_keys(model)
        }
        Msg::Counted { generation, total } => {
            let height = model.body_height();
            let Some(list) = model.list.as_mut().filter(|l| l.generation == generation) else {
                return Vec::new();
            };
            list.total = Some(total);
            if list.cursor >= total {
                list.cursor = total.saturating_sub(1);
            }
            list.keep_visible(height);
            let mut commands: Vec<Command> = list.ensure_window(height).into_iter().collect();
            commands.extend(continue_seek(model));
            commands.extend(replay_keys(model));
            commands
        }
        Msg::ItemsLoaded {
            generation,
            request,
            limit,
            rows,
        } => {
            let height = model.body_height();
            let Some(list) = model
                .list
                .as_mut()
                .filter(|l| l.generation == generation && l.expects(request, limit))
            else {
                return Vec::new();
            };
            list.apply_page(request, limit, rows);
            list.keep_visible(height);
            let mut commands: Vec<Command> = list.ensure_window(height).into_iter().collect();
            if list.open_pending && list.selected().is_some() && model.screen == Screen::Headlines {
                commands.extend(open_article(model));
            }
            commands.extend(continue_seek(model));
            commands.extend(replay_keys(model));
            commands
        }
        Msg::ArticleLoaded { id, detail } => {
            let (width, layout, dates) = (model.width, model.layout, model.dates);
            if let Some(article) = model.article.as_mut().filter(|a| a.id == id) {
                match detail {
                    Some(detail) => article.set_detail(detail, width, layout, dates),
                    None => article.missing = true,
                }
            }
            Vec::new()
        }
        Msg::MarkedAllRead(n) => {
            model.message = Some(format!("marked {n} items read"));
            vec![Command::LoadFeeds]
        }
        Msg::Refresh(event) => on_refresh_event(model, event),
        Msg::RefreshFailed(error) => {
            model.refresh = None;
            model.last_error = Some(format!("refresh: {error}"));
            Vec::new()
        }
        Msg::Error(error) => {
            model.last_error = Some(error);
            // What the keys waited for may never come: let them act on what is there.
            let keys = std::mem::take(&mut model.deferred_keys);
            keys.into_iter().flat_map(|k| on_key(model, k)).collect()
        }
        Msg::Info(text) => {
            model.message = Some(text);
            Vec::new()
        }
        Msg::Tick { now } => on_tick(model, now),
    }
}

/// Keys typed while the rows they act on are still loading wait for them, so
/// type-ahead (`Enter j j Enter`) does what it would have done a moment later.
const MAX_DEFERRED_KEYS: usize = 64;

fn busy(model: &Model) -> bool {
    if !model.feeds_loaded {
        return true;
    }
    match (&model.list, model.screen) {
        (Some(list), Screen::Headlines | Screen::Article) => {
            list.total.is_none() || (list.rows.is_empty() && list.loading)
        }
        _ => false,
    }
}

/// Applies deferred keys once nothing they need is loading any more.
fn replay_keys(model: &mut Model) -> Vec<Command> {
    let mut commands = Vec::new();
    while !model.deferred_keys.is_empty() && !busy(model) {
        let key = model.deferred_keys.remove(0);
        commands.extend(on_key(model, key));
    }
    commands
}

fn on_key(model: &mut Model, key: Key) -> Vec<Command> {
    if let Some(d) = key.digit()
        && model.keymap.action(key).is_none()
    {
        let count = model
            .count
            .unwrap_or(0)
            .saturating_mul(10)
            .saturating_add(d);
        model.count = Some(count.min(99_999));
        return Vec::new();
    }
    let Some(action) = model.keymap.action(key) else {
        model.count = None;
        return Vec::new();
    };
    let count = model.count.take();
    model.message = None;
    on_action(model, action, count)
}

fn on_tick(model: &mut Model, now: i64) -> Vec<Command> {
    let mut commands = Vec::new();
    if model.stale {
        model.stale = false;
        commands.extend(reload_lists(model));
    }
    if model.refresh_interval_minutes > 0 && model.feeds_loaded {
        let interval = i64::from(model.refresh_interval_minutes) * 60;
        match model.last_auto_refresh {
            None => model.last_auto_refresh = Some(now),
            Some(last) if now - last >= interval && model.refresh.is_none() => {
                model.last_auto_refresh = Some(now);
                commands.extend(start_refresh(model, None));
            }
            Some(_) => {}
        }
    }
    commands
}

fn on_refresh_event(model: &mut Model, event: RefreshEvent) -> Vec<Command> {
    match event {
        RefreshEvent::Started { total } => {
            model.refresh = Some(RefreshProgress { done: 0, total });
            Vec::new()
        }
        RefreshEvent::FeedDone {
            url,
            outcome,
            done,
            total,
            ..
        } => {
            model.refresh = Some(RefreshProgress { done, total });
            match outcome {
                FeedOutcome::Failed(error) => {
                    model.last_error = Some(format!("{url}: {error}"));
                    model.stale = true;
                }
                FeedOutcome::Updated(stats) if stats.new_items + stats.changed_items > 0 => {
                    model.stale = true;
                }
                _ => {}
            }
            Vec::new()
        }
        RefreshEvent::Finished(summary) => {
            model.refresh = None;
            model.message = Some(format!(
                "refreshed {} feeds: {} new items, {} failed",
                summary.feeds, summary.new_items, summary.failed
            ));
            model.stale = false;
            reload_lists(model)
        }
    }
}

/// Reads the feed counts again and re-reads the list, keeping the cursor on
/// the same item when the list was at its top.
fn reload_lists(model: &mut Model) -> Vec<Command> {
    let mut commands = vec![Command::LoadFeeds];
    let generation = model.next_generation();
    if let Some(list) = &mut model.list {
        if list.start == 0 || list.rows.is_empty() {
            let anchor = list.selected().map(|r| r.id);
            let cursor = list.cursor;
            let scroll = list.scroll;
            let mut fresh = HeadlineList::new(list.source, list.query.clone(), generation);
            // Old rows stay on screen until the new first page replaces them.
            fresh.rows = std::mem::take(&mut list.rows);
            fresh.total = list.total;
            fresh.cursor = cursor;
            fresh.scroll = scroll;
            fresh.anchor = anchor;
            fresh.seek = list.seek;
            *list = fresh;
            commands.extend(list.open_commands());
        } else {
            // Deep in the list: only the count; rows keep their positions until `g`.
            list.generation = generation;
            list.cancel_load();
            commands.push(Command::CountItems {
                generation,
                query: list.query.clone(),
            });
        }
    }
    commands
}

fn keep_feed_cursor_visible(model: &mut Model) {
    let height = model.body_height();
    if model.feed_cursor < model.feed_scroll {
        model.feed_scroll = model.feed_cursor;
    } else if model.feed_cursor >= model.feed_scroll + height {
        model.feed_scroll = model.feed_cursor + 1 - height;
    }
}

fn on_action(model: &mut Model, action: Action, count: Option<u32>) -> Vec<Command> {
    match action {
        Action::Quit => {
            model.quit = true;
            return vec![Command::Quit];
        }
        Action::Suspend => return vec![Command::Suspend],
        Action::Help => {
            model.help = match model.help {
                Some(_) => None,
                None => Some(0),
            };
            return Vec::new();
        }
        Action::RefreshAll => return start_refresh(model, None),
        _ => {}
    }
    if let Some(scroll) = model.help {
        let rows = model.keymap.help_rows().len();
        let page = model.body_height();
        let max = rows.saturating_sub(page);
        model.help = match action {
            Action::Back => None,
            Action::Down => Some((scroll + 1).min(max)),
            Action::Up => Some(scroll.saturating_sub(1)),
            Action::PageDown | Action::HalfPageDown => Some((scroll + page).min(max)),
            Action::PageUp | Action::HalfPageUp => Some(scroll.saturating_sub(page)),
            Action::Top => Some(0),
            Action::Bottom => Some(max),
            _ => Some(scroll),
        };
        return Vec::new();
    }
    match model.screen {
        Screen::Feeds => feeds_action(model, action),
        Screen::Headlines => headlines_action(model, action, count),
        Screen::Article => article_action(model, action, count),
    }
}

/// Moves a cursor over `len` rows for the movement actions; `None` if not a movement.
fn moved(action: Action, cursor: usize, len: usize, page: usize, count: usize) -> Option<usize> {
    let last = len.saturating_sub(1);
    Some(match action {
        Action::Down => (cursor + count).min(last),
        Action::Up => cursor.saturating_sub(count),
        Action::Top => 0,
        Action::Bottom => last,
        Action::PageDown => (cursor + page).min(last),
        Action::PageUp => cursor.saturating_sub(page),
        Action::HalfPageDown => (cursor + page / 2).min(last),
        Action::HalfPageUp => cursor.saturating_sub(page / 2),
        _ => return None,
    })
}

fn feeds_action(model: &mut Model, action: Action) -> Vec<Command> {
    let entries = model.feed_entries();
    let page = model.body_height();
    if let Some(cursor) = moved(action, model.feed_cursor, entries.len(), page, 1) {
        model.feed_cursor = cursor;
        keep_feed_cursor_visible(model);
        return Vec::new();
    }
    let selected = entries.get(model.feed_cursor).copied();
    match action {
        Action::Open => match selected {
            Some(entry) => open_list(model, entry.source(&model.feeds), None),
            None => Vec::new(),
        },
        Action::Back => {
            model.quit = true;
            vec![Command::Quit]
        }
        Action::Refresh => match selected {
            Some(FeedEntry::Feed(i)) => {
                let id = model.feeds.get(i).map(|f| f.id);
                start_refresh(model, id)
            }
            _ => start_refresh(model, None),
        },
        Action::MarkAllRead => match selected {
            Some(entry) => mark_all_read(model, entry.source(&model.feeds)),
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
            model.message = Some(unread_only_message(model.unread_only));
            Vec::new()
        }
        Action::NextUnread | Action::PrevUnread => {
            let forward = action == Action::NextUnread;
            match next_unread_feed(model, model.feed_cursor, forward, false) {
                Some(index) => {
                    model.feed_cursor = index;
                    keep_feed_cursor_visible(model);
                    let source = entries_source(model, index);
                    open_list(
                        model,
                        source,
                        Some(Seek {
                            forward: true,
                            inclusive: true,
                            open: false,
                        }),
                    )
                }
                None => {
                    model.message = Some("no feed with unread items".into());
                    Vec::new()
                }
            }
        }
        _ => Vec::new(),
    }
}

fn entries_source(model: &Model, index: usize) -> ListSource {
    model
        .feed_entries()
        .get(index)
        .map_or(ListSource::All, |e| e.source(&model.feeds))
}

/// The index (in feed entries) of the next real feed with unread items.
fn next_unread_feed(model: &Model, from: usize, forward: bool, wrap: bool) -> Option<usize> {
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

fn unread_only_message(on: bool) -> String {
    if on {
        "showing unread only".into()
    } else {
        "showing everything".into()
    }
}

fn open_list(model: &mut Model, source: ListSource, seek: Option<Seek>) -> Vec<Command> {
    let generation = model.next_generation();
    let mut list = HeadlineList::new(source, source.query(model.unread_only), generation);
    list.seek = seek;
    let commands = list.open_commands();
    model.list = Some(list);
    model.article = None;
    model.screen = Screen::Headlines;
    commands
}

fn mark_all_read(model: &mut Model, source: ListSource) -> Vec<Command> {
    if let Some(list) = model.list.as_mut().filter(|l| l.source == source) {
        for row in &mut list.rows {
            row.read = true;
        }
    }
    vec![Command::MarkAllRead(source.query(false))]
}

fn start_refresh(model: &mut Model, feed: Option<FeedId>) -> Vec<Command> {
    if model.refresh.is_some() {
        model.message = Some("a refresh is already running".into());
        return Vec::new();
    }
    let targets: Vec<RefreshTarget> = model
        .feeds
        .iter()
        .filter(|f| f.enabled && feed.is_none_or(|id| f.id == id))
        .map(|f| RefreshTarget {
            feed_id: f.id,
            url: f.url.clone(),
        })
        .collect();
    if targets.is_empty() {
        model.message = Some("no feeds to refresh".into());
        return Vec::new();
    }
    model.refresh = Some(RefreshProgress {
        done: 0,
        total: targets.len(),
    });
    vec![Command::Refresh(targets)]
}

/// Changes an item's read flag in the window and the feed counts, and writes it.
fn set_read(model: &mut Model, id: ItemId, read: bool) -> Vec<Command> {
    let mut feed_id = None;
    if let Some(list) = &mut model.list {
        for row in list.rows.iter_mut().filter(|r| r.id == id) {
            if row.read != read {
                row.read = read;
                feed_id = Some(row.feed_id);
            }
        }
    }
    if let Some(feed_id) = feed_id {
        if let Some(feed) = model.feeds.iter_mut().find(|f| f.id == feed_id) {
            feed.unread = if read {
                feed.unread.saturating_sub(1)
            } else {
                feed.unread + 1
            };
        }
        model.unread_total = if read {
            model.unread_total.saturating_sub(1)
        } else {
            model.unread_total + 1
        };
    }
    vec![Command::SetRead {
        ids: vec![id],
        read,
    }]
}

fn set_starred(model: &mut Model, id: ItemId, starred: bool) -> Vec<Command> {
    if let Some(list) = &mut model.list {
        for row in list.rows.iter_mut().filter(|r| r.id == id) {
            row.starred = starred;
        }
    }
    if let Some(detail) = model
        .article
        .as_mut()
        .and_then(|a| a.detail.as_mut())
        .filter(|d| d.row.id == id)
    {
        detail.row.starred = starred;
    }
    model.message = Some(if starred { "starred" } else { "unstarred" }.into());
    vec![Command::SetStarred {
        ids: vec![id],
        starred,
    }]
}

fn open_article(model: &mut Model) -> Vec<Command> {
    let Some(list) = model.list.as_mut() else {
        return Vec::new();
    };
    let Some(row) = list.selected().cloned() else {
        // Typed faster than the rows arrived: open once they are here.
        list.open_pending = !list.is_empty();
        return Vec::new();
    };
    list.open_pending = false;
    model.article = Some(ArticleView::loading(row.id));
    model.screen = Screen::Article;
    let mut commands = vec![Command::LoadArticle(row.id)];
    if !row.read {
        commands.extend(set_read(model, row.id, true));
    }
    commands
}

fn headlines_action(model: &mut Model, action: Action, count: Option<u32>) -> Vec<Command> {
    let height = model.body_height();
    let Some(list) = model.list.as_mut() else {
        model.screen = Screen::Feeds;
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
            model.list = None;
            return vec![Command::LoadFeeds];
        }
        Action::ToggleRead => {
            if let Some(row) = list.selected().cloned() {
                commands.extend(set_read(model, row.id, !row.read));
                if let Some(list) = model.list.as_mut() {
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
            let source = list.source;
            return mark_all_read(model, source);
        }
        Action::Refresh => {
            let feed = match list.source {
                ListSource::Feed(id) => Some(id),
                _ => None,
            };
            return start_refresh(model, feed);
        }
        Action::OpenInBrowser | Action::CopyLink => {
            let link = list.selected().and_then(|r| r.link.clone());
            return link_command(model, action, link);
        }
        Action::ToggleUnreadOnly => {
            model.unread_only = !model.unread_only;
            model.message = Some(unread_only_message(model.unread_only));
            let source = list.source;
            return open_list(model, source, None);
        }
        Action::NextUnread | Action::PrevUnread => {
            list.seek = Some(Seek {
                forward: action == Action::NextUnread,
                inclusive: false,
                open: false,
            });
            return continue_seek(model);
        }
        _ => {}
    }
    commands.extend(list.ensure_window(height));
    commands
}

fn link_command(model: &mut Model, action: Action, link: Option<String>) -> Vec<Command> {
    let Some(link) = link else {
        model.message = Some("no link".into());
        return Vec::new();
    };
    if action == Action::CopyLink {
        model.message = Some(format!("copied {link}"));
        vec![Command::Copy(link)]
    } else {
        model.message = Some(format!("opening {link}"));
        vec![Command::OpenUrl(link)]
    }
}

fn article_action(model: &mut Model, action: Action, count: Option<u32>) -> Vec<Command> {
    let page = model.body_height();
    let Some(article) = model.article.as_mut() else {
        model.screen = Screen::Headlines;
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
            model.screen = Screen::Headlines;
            model.article = None;
            let height = model.body_height();
            if let Some(list) = &mut model.list {
                list.keep_visible(height);
            }
            Vec::new()
        }
        Action::OpenInBrowser | Action::CopyLink => {
            let link = article.link(count).map(str::to_string);
            if link.is_none() && count.is_some() {
                model.message = Some(format!("no link [{}]", count.unwrap_or(0)));
                return Vec::new();
            }
            link_command(model, action, link)
        }
        Action::ToggleStarred => {
            let Some(row) = article.detail.as_ref().map(|d| d.row.clone()) else {
                return Vec::new();
            };
            set_starred(model, row.id, !row.starred)
        }
        Action::ToggleRead => {
            let id = article.id;
            let read = model
                .list
                .as_ref()
                .and_then(|l| l.rows.iter().find(|r| r.id == id))
                .is_some_and(|r| r.read);
            model.message = Some(if read { "marked unread" } else { "marked read" }.into());
            set_read(model, id, !read)
        }
        Action::Refresh => {
            let feed = article.detail.as_ref().map(|d| d.row.feed_id);
            start_refresh(model, feed)
        }
        Action::NextUnread | Action::PrevUnread | Action::Open => {
            let Some(list) = model.list.as_mut() else {
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
        Action::MarkAllRead => {
            let Some(source) = model.list.as_ref().map(|l| l.source) else {
                return Vec::new();
            };
            mark_all_read(model, source)
        }
        _ => Vec::new(),
    }
}

/// Advances a pending next/previous-unread search: found (move, maybe open),
/// needs more rows (move to the window edge so a page loads), or the list is
/// done (go on to the next feed with unread items, or say there is none).
fn continue_seek(model: &mut Model) -> Vec<Command> {
    let height = model.body_height();
    let Some(list) = model.list.as_mut() else {
        return Vec::new();
    };
    let Some(seek) = list.seek else {
        return Vec::new();
    };
    if list.total.is_none() || (list.loading && list.rows.is_empty()) {
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
            if list.loading {
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
            let source = list.source;
            let ListSource::Feed(feed_id) = source else {
                model.message = Some("no more unread items".into());
                return Vec::new();
            };
            let entries = model.feed_entries();
            let here = entries
                .iter()
                .position(|e| matches!(e, FeedEntry::Feed(i) if model.feeds.get(*i).is_some_and(|f| f.id == feed_id)))
                .unwrap_or(0);
            match next_unread_feed(model, here, seek.forward, false) {
                Some(index) => {
                    model.feed_cursor = index;
                    keep_feed_cursor_visible(model);
                    let source = entries_source(model, index);
                    open_list(
                        model,
                        source,
                        // A newly opened feed is searched from its newest item.
                        Some(Seek {
                            forward: true,
                            inclusive: true,
                            open: seek.open,
                        }),
                    )
                }
                None => {
                    model.message = Some("no more unread items".into());
                    Vec::new()
                }
            }
        }
    }
}

/// The error of the selected feed, when its last refresh failed.
pub fn selected_feed_error(model: &Model) -> Option<&str> {
    match model.selected_entry()? {
        FeedEntry::Feed(i) => {
            let feed = model.feeds.get(i)?;
            if feed_failed(feed) {
                feed.last_error.as_deref()
            } else {
                None
            }
        }
        FeedEntry::Virtual(_) => None,
    }
}
