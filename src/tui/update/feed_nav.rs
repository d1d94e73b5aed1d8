//! Next / previous feed from inside a headline list or an article, as newsboat's
//! `next-feed`, `prev-feed` (`J`, `K`) and `next-unread-feed`,
//! `prev-unread-feed` (`^N`, `^P`): read feed after feed without going back to
//! the feed screen.
//!
//! The order is the feed screen's, as the user sees it: with unread-only on, the
//! feeds and tags it hides are skipped. The list open may itself be hidden by
//! now (its last unread item was just read), so the step starts from the list's
//! place in the whole order rather than from its row on the screen. A tag steps
//! to the next tag, a view to the next view, *All* / *Unread* / *Starred* among
//! themselves: the same kind of entry, so `K` on the first feed does not land
//! in the last tag's list. Like newsboat, next/previous feed stops at the ends
//! (a message says so) and the unread-feed steps wrap around.

use super::super::i18n::Text;
use super::super::list::Seek;
use super::super::model::{FeedEntry, ListSource, Model};
use super::super::msg::Command;
use super::effects::open_list;
use super::keep_feed_cursor_visible;

/// Where a step went: the entry to open, or why there is none.
enum Step {
    To(FeedEntry),
    End,
    NotListed,
}

/// `next_feed` / `prev_feed`: opens the headlines of the entry after (or
/// before) the open list's, keeping the list options (unread-only).
pub(super) fn step(model: &mut Model, forward: bool) -> Vec<Command> {
    let Some(source) = model.list().map(|l| l.source.clone()) else {
        return Vec::new();
    };
    let (is_feed, step) = match &source {
        ListSource::Feed(id) => {
            let here = model.feeds.iter().position(|f| f.id == *id);
            let shown = |i: usize| model.feeds.get(i).is_some_and(|f| shows(model, f.unread));
            (
                true,
                along(here, model.feeds.len(), forward, shown, FeedEntry::Feed),
            )
        }
        ListSource::Tag(name) => {
            let here = model.tags.iter().position(|t| t.name == *name);
            let shown = |i: usize| model.tags.get(i).is_some_and(|t| shows(model, t.unread));
            (
                false,
                along(here, model.tags.len(), forward, shown, FeedEntry::Tag),
            )
        }
        ListSource::Search(query) => {
            // A view's list; a search typed with `/` is on no row of the feed screen.
            let here = model.views.iter().position(|v| v.query == *query);
            (
                false,
                along(here, model.views.len(), forward, |_| true, FeedEntry::View),
            )
        }
        ListSource::All | ListSource::Unread | ListSource::Starred => {
            let order = [ListSource::All, ListSource::Unread, ListSource::Starred];
            let here = order.iter().position(|s| *s == source);
            let to_entry = |i: usize| FeedEntry::Virtual(order[i].clone());
            (false, along(here, order.len(), forward, |_| true, to_entry))
        }
    };
    match step {
        Step::To(entry) => open_entry(model, &entry, None),
        Step::End => {
            let text = match (is_feed, forward) {
                (true, true) => Text::AlreadyLastFeed,
                (true, false) => Text::AlreadyFirstFeed,
                (false, true) => Text::AlreadyLastEntry,
                (false, false) => Text::AlreadyFirstEntry,
            };
            say(model, text)
        }
        Step::NotListed => say(model, Text::NotOnFeedScreen),
    }
}

/// `next_unread_feed` / `prev_unread_feed`: the next feed (in the feed
/// screen's order) with unread items, searched from the feed after the open
/// one to the end and then from the start up to the open one itself, as
/// newsboat does; its list opens at its first unread item. From a list that is
/// no feed (a tag, a view) the search starts at the first (or last) feed.
pub(super) fn unread_step(model: &mut Model, forward: bool) -> Vec<Command> {
    let here = match model.list().map(|l| &l.source) {
        Some(ListSource::Feed(id)) => model.feeds.iter().position(|f| f.id == *id),
        _ => None,
    };
    let len = model.feeds.len();
    let order: Vec<usize> = match (here, forward) {
        (Some(c), true) => (c + 1..len).chain(0..=c).collect(),
        (Some(c), false) => (0..c).rev().chain((c..len).rev()).collect(),
        (None, true) => (0..len).collect(),
        (None, false) => (0..len).rev().collect(),
    };
    // A feed with unread items is shown in unread-only mode too.
    let found = order
        .into_iter()
        .find(|&i| model.feeds.get(i).is_some_and(|f| f.unread > 0));
    let Some(index) = found else {
        return say(model, Text::NoUnreadFeed);
    };
    let seek = Seek {
        forward: true,
        inclusive: true,
        open: false,
    };
    open_entry(model, &FeedEntry::Feed(index), Some(seek))
}

/// Whether the feed screen shows an entry with `unread` items.
fn shows(model: &Model, unread: u64) -> bool {
    !model.unread_only || unread > 0
}

/// The first shown index after (or before) `here` among `len` entries of one kind.
fn along(
    here: Option<usize>,
    len: usize,
    forward: bool,
    shown: impl Fn(usize) -> bool,
    entry: impl Fn(usize) -> FeedEntry,
) -> Step {
    let Some(here) = here else {
        return Step::NotListed;
    };
    let found = if forward {
        (here + 1..len).find(|&i| shown(i))
    } else {
        (0..here).rev().find(|&i| shown(i))
    };
    found.map_or(Step::End, |i| Step::To(entry(i)))
}

/// Opens `entry`'s list and puts the feed screen's cursor on it, so going back
/// lands on the feed being read.
fn open_entry(model: &mut Model, entry: &FeedEntry, seek: Option<Seek>) -> Vec<Command> {
    if let Some(row) = model.feed_entries().iter().position(|e| e == entry) {
        model.feed_cursor = row;
        keep_feed_cursor_visible(model);
    }
    let source = model.entry_source(entry);
    open_list(model, source, seek)
}

fn say(model: &mut Model, text: Text) -> Vec<Command> {
    model.message = Some(model.t(text).into());
    Vec::new()
}
