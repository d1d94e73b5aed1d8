//! Changes with side effects shared by every screen: opening lists and
//! articles, read/starred marks, mark-all-read, starting a refresh.

use crate::refresh::RefreshTarget;
use crate::store::ItemId;

use super::super::article::ArticleView;
use super::super::i18n::Text;
use super::super::list::{HeadlineList, Seek};
use super::super::model::{ListSource, Model, RefreshProgress, Screen};
use super::super::msg::{Command, DbError, DbRequest};

pub(super) fn open_list(model: &mut Model, source: ListSource, seek: Option<Seek>) -> Vec<Command> {
    let generation = model.next_generation();
    let query = source.query(model.unread_only);
    let mut list = HeadlineList::new(source, query, generation);
    list.seek = seek;
    let commands = list.open_commands();
    model.screen = Screen::Headlines(list);
    commands
}

/// Marks `source` read up to the newest item the screen had loaded: the list's
/// bound when it is the list shown (or under the article), else `shown`, the
/// bound of the counts on the feed screen's entry (an entry marked without
/// opening it: `Model::entry_newest`, a view's own). An item another process
/// or a refresh added since stays unread, here and on the sync server.
pub(super) fn mark_all_read(model: &mut Model, source: ListSource, shown: ItemId) -> Vec<Command> {
    let list = model.screen.list_mut().filter(|l| l.source == source);
    let upto = list.as_ref().and_then(|l| l.bound).unwrap_or(shown);
    if let Some(list) = list {
        for row in list.rows.iter_mut().filter(|r| r.id <= upto) {
            row.read = true;
        }
    }
    match source {
        ListSource::Search(query) => vec![Command::Db(DbRequest::MarkSearchRead { query, upto })],
        other => vec![Command::Db(DbRequest::MarkAllRead {
            query: other.query(false),
            upto,
        })],
    }
}

/// Refreshes the feeds of `scope`: one feed, the feeds with a tag, or (for the
/// virtual lists) every feed.
pub(super) fn start_refresh(model: &mut Model, scope: &ListSource) -> Vec<Command> {
    if model.offline {
        model.message = Some(model.t(Text::DemoOffline).into());
        return Vec::new();
    }
    if model.refresh.is_some() {
        model.message = Some(model.t(Text::RefreshRunning).into());
        return Vec::new();
    }
    let targets: Vec<RefreshTarget> = model
        .feeds
        .iter()
        .filter(|f| {
            f.enabled
                && match scope {
                    ListSource::Feed(id) => f.id == *id,
                    ListSource::Tag(tag) => f.tags.contains(tag),
                    ListSource::All
                    | ListSource::Unread
                    | ListSource::Starred
                    | ListSource::Search(_) => true,
                }
        })
        .map(|f| RefreshTarget {
            feed_id: f.id,
            url: f.url.clone(),
        })
        .collect();
    // A whole refresh also syncs with the server, which brings its feeds.
    let sync = model.sync_enabled
        && !model.sync_running
        && matches!(
            scope,
            ListSource::All | ListSource::Unread | ListSource::Starred
        );
    let mut commands = Vec::new();
    if sync {
        model.sync_running = true;
        model.message = Some(super::sync::starting(model));
        commands.push(Command::Sync);
    }
    if targets.is_empty() {
        if !sync {
            model.message = Some(model.t(Text::NoFeedsToRefresh).into());
        }
        return commands;
    }
    model.refresh = Some(RefreshProgress {
        done: 0,
        total: targets.len(),
    });
    commands.push(Command::Refresh(targets));
    commands
}

/// Changes an item's read flag in the window and the feed counts, and writes it.
pub(super) fn set_read(model: &mut Model, id: ItemId, read: bool) -> Vec<Command> {
    show_read(model, id, read);
    vec![Command::Db(DbRequest::SetRead {
        ids: vec![id],
        read,
    })]
}

/// Changes an item's read flag in the window and the feed counts.
fn show_read(model: &mut Model, id: ItemId, read: bool) {
    let mut feed_id = None;
    let mut starred = false;
    if let Some(list) = model.screen.list_mut() {
        for row in list.rows.iter_mut().filter(|r| r.id == id) {
            if row.read != read {
                row.read = read;
                feed_id = Some(row.feed_id);
                starred = row.starred;
            }
        }
    }
    if let Some(feed_id) = feed_id {
        if starred {
            model.starred.unread = step(model.starred.unread, !read);
        }
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
}

pub(super) fn set_starred(model: &mut Model, id: ItemId, starred: bool) -> Vec<Command> {
    show_starred(model, id, starred);
    let text = if starred {
        Text::StarredMessage
    } else {
        Text::UnstarredMessage
    };
    model.message = Some(model.t(text).into());
    vec![Command::Db(DbRequest::SetStarred {
        ids: vec![id],
        starred,
    })]
}

/// Changes an item's star in the window, an open article and the *Starred*
/// counts of the feed screen (once, however many copies of the row changed).
fn show_starred(model: &mut Model, id: ItemId, starred: bool) {
    // (was starred, read) of the item before the change, from whichever copy.
    let mut before = None;
    if let Some(list) = model.screen.list_mut() {
        for row in list.rows.iter_mut().filter(|r| r.id == id) {
            before.get_or_insert((row.starred, row.read));
            row.starred = starred;
        }
    }
    if let Some(detail) = model
        .screen
        .article_mut()
        .and_then(|a| a.detail.as_mut())
        .filter(|d| d.row.id == id)
    {
        before.get_or_insert((detail.row.starred, detail.row.read));
        detail.row.starred = starred;
    }
    if let Some((was, read)) = before
        && was != starred
    {
        model.starred.total = step(model.starred.total, starred);
        if !read {
            model.starred.unread = step(model.starred.unread, starred);
        }
    }
}

/// A count one up or one down, never below zero.
fn step(count: u64, up: bool) -> u64 {
    if up {
        count + 1
    } else {
        count.saturating_sub(1)
    }
}

/// A mark that did not reach the database (`Msg::WriteFailed`): the screen,
/// which showed it at once, takes it back, and the status line says why. A
/// read or star mark is undone in place (the counts read again); after a
/// failed mark-all, which does not know which rows were unread, the list is
/// read again.
pub(super) fn write_failed(model: &mut Model, write: DbRequest, error: &DbError) -> Vec<Command> {
    model.message = None;
    model.last_error = Some(match error {
        DbError::FileReplaced { path } => model.tf(Text::DatabaseReplaced, &[("path", path)]),
        DbError::Other(error) => model.tf(Text::DatabaseError, &[("error", error)]),
    });
    match write {
        DbRequest::SetRead { ids, read } => {
            for id in ids {
                show_read(model, id, !read);
            }
            vec![super::views::load_feeds(model)]
        }
        DbRequest::SetStarred { ids, starred } => {
            for id in ids {
                show_starred(model, id, !starred);
            }
            Vec::new()
        }
        // The article shows the page all the same; it is fetched again next time.
        DbRequest::StoreFulltext { .. } => Vec::new(),
        _ => super::refresh::reload_lists(model),
    }
}

pub(super) fn open_article(model: &mut Model) -> Vec<Command> {
    let Some(list) = model.screen.list_mut() else {
        return Vec::new();
    };
    let Some(row) = list.selected().cloned() else {
        // Typed faster than the rows arrived: open once they are here.
        list.open_pending = !list.is_empty();
        return Vec::new();
    };
    list.open_pending = false;
    model.screen.open_article(ArticleView::loading(row.id));
    let mut commands = vec![Command::Db(DbRequest::LoadArticle(row.id))];
    if !row.read {
        commands.extend(set_read(model, row.id, true));
    }
    commands
}
