//! "Mark all read" carries the newest item id the screen had loaded: an item
//! another process (a cron `khabar refresh`, a sync) or the reader's own
//! refresh added after the list (or the feed screen's counts) was read stays
//! unread, and is never sent to the sync server as read.

use super::*;

/// The list of feed 1, its count and window read under `newest` (count) and
/// `window_newest` (rows), with `rows`.
fn list_loaded(newest: i64, window_newest: i64, rows: Vec<ItemRow>) -> Model {
    let mut m = model();
    m.feed_cursor = 3;
    key(&mut m, "enter");
    let generation = m.list().unwrap().generation;
    update(
        &mut m,
        Msg::Counted {
            generation,
            total: rows.len() as u64,
            newest,
        },
    );
    update(
        &mut m,
        Msg::ItemsLoaded {
            generation,
            request: WindowRequest::Top,
            limit: PAGE,
            rows,
            newest: window_newest,
        },
    );
    m
}

fn feed_one() -> ItemQuery {
    ItemQuery {
        feed: Some(1),
        ..Default::default()
    }
}

/// The request carries the lowest newest id the list's answers were read
/// under: an item above it may be missing from one of them.
#[test]
fn mark_all_read_carries_the_bound_of_what_the_list_loaded() {
    let mut m = list_loaded(102, 105, vec![item(0, 1, false), item(2, 1, false)]);
    assert_eq!(
        key(&mut m, "A"),
        vec![Command::Db(DbRequest::MarkAllRead {
            query: feed_one(),
            upto: 102,
        })]
    );
}

/// A row above the bound (read after the count) is not shown read: the
/// database keeps it unread.
#[test]
fn a_row_above_the_bound_stays_unread_on_screen() {
    let newer = ItemRow {
        id: 104,
        ..item(4, 1, false)
    };
    let mut m = list_loaded(102, 105, vec![newer, item(1, 1, false)]);
    key(&mut m, "A");
    let read: Vec<(i64, bool)> = m
        .list()
        .unwrap()
        .rows
        .iter()
        .map(|r| (r.id, r.read))
        .collect();
    assert_eq!(read, [(104, false), (101, true)]);
}

/// Another process committed: until the reload's answers arrive the screen
/// still shows the old list, so `A` keeps the old bound; after, the new one.
#[test]
fn a_reload_moves_the_bound_only_when_its_answers_arrive() {
    let mut m = list_loaded(102, 102, vec![item(0, 1, false), item(2, 1, false)]);
    let commands = update(&mut m, Msg::DatabaseChanged);
    let mark = |upto| {
        vec![Command::Db(DbRequest::MarkAllRead {
            query: feed_one(),
            upto,
        })]
    };
    assert_eq!(key(&mut m, "A"), mark(102), "before the reload's answers");
    let generation = m.list().unwrap().generation;
    assert!(commands.iter().any(|c| matches!(
        c,
        Command::Db(DbRequest::CountItems { generation: g, .. }) if *g == generation
    )));
    update(
        &mut m,
        Msg::Counted {
            generation,
            total: 3,
            newest: 110,
        },
    );
    assert_eq!(key(&mut m, "A"), mark(110), "after the reload's count");
}

/// `A` on a feed-screen entry marks it without opening it: up to the newest
/// item the feed screen's counts were read under.
#[test]
fn mark_all_read_on_an_entry_carries_the_feed_screens_bound() {
    let mut m = model();
    update(
        &mut m,
        Msg::FeedsLoaded {
            feeds: vec![feed(1, "One", 2, 3)],
            unread: 2,
            starred: Default::default(),
            tags: Vec::new(),
            newest: 42,
        },
    );
    let entry = m
        .feed_entries()
        .iter()
        .position(|e| m.entry_source(e) == ListSource::Feed(1))
        .unwrap();
    m.feed_cursor = entry;
    assert_eq!(
        key(&mut m, "A"),
        vec![Command::Db(DbRequest::MarkAllRead {
            query: feed_one(),
            upto: 42,
        })]
    );
}
