//! Reconciliation's write (`Store::sync_apply`): a large read flip sets the
//! per-row count triggers aside and moves the counts set-wide. The counts after
//! it must equal those the triggers give and a recount from the items, marks
//! queued since the states were read must keep winning, and the triggers must
//! be back afterwards.

use std::collections::HashMap;
use std::path::Path;

use khabar::store::{StateChange, Store, SyncedEntry, SyncedFeed};

use super::{NOW, item, open};

const ENTRIES: i64 = 3_000;

/// Two server feeds, one with two tags; entries alternate between them, every
/// third one read on the server, some with their own category. Returns the
/// store and the local item id of each remote id.
pub(super) fn synced_store(dir: &Path) -> Store {
    let mut store = open(dir);
    let feeds = [
        SyncedFeed {
            remote_id: 1,
            url: "https://one.example/feed".into(),
            title: "One".into(),
            tags: vec!["news".into(), "tech".into()],
            ..SyncedFeed::default()
        },
        SyncedFeed {
            remote_id: 2,
            url: "https://two.example/feed".into(),
            title: "Two".into(),
            tags: vec!["news".into()],
            ..SyncedFeed::default()
        },
    ];
    let map = store.sync_feeds(&feeds).unwrap();
    let entries: Vec<SyncedEntry> = (1..=ENTRIES)
        .map(|id| {
            let mut parsed = item(&format!("sync:{id}"), Some(NOW - id));
            if id % 7 == 0 {
                parsed.categories = vec!["own".into()];
            }
            SyncedEntry {
                remote_id: id,
                remote_feed: 1 + id % 2,
                item: parsed,
                read: id % 3 == 0,
                starred: id % 50 == 0,
            }
        })
        .collect();
    for page in entries.chunks(1000) {
        store.sync_write_entries(&map, page, &[], NOW).unwrap();
    }
    store
}

/// Every entry flipped: unread ones read, read ones unread, stars swapped on a few.
fn flip_all(store: &Store) -> Vec<StateChange> {
    store
        .synced_states()
        .unwrap()
        .into_iter()
        .map(|state| StateChange {
            remote_id: state.remote_id,
            item_id: state.item_id,
            read: Some(!state.read),
            starred: (state.remote_id % 10 == 0).then_some(!state.starred),
            server_read: !state.read,
            server_starred: state.starred ^ (state.remote_id % 10 == 0),
        })
        .collect()
}

/// (feed unread counts, feed-tag unread counts) as stored, and as recounted from
/// the items.
pub(super) type Counts = (HashMap<i64, i64>, HashMap<(i64, String), (i64, i64)>);

pub(super) fn stored_counts(db: &Path) -> Counts {
    let conn = rusqlite::Connection::open(db).unwrap();
    let feeds = conn
        .prepare("SELECT id, unread_count FROM feeds")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let tags = conn
        .prepare("SELECT feed_id, tag, total, unread FROM feed_tag_counts")
        .unwrap()
        .query_map([], |row| {
            Ok(((row.get(0)?, row.get(1)?), (row.get(2)?, row.get(3)?)))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (feeds, tags)
}

pub(super) fn recounted(db: &Path) -> Counts {
    let conn = rusqlite::Connection::open(db).unwrap();
    let feeds = conn
        .prepare(
            "SELECT f.id, (SELECT COUNT(*) FROM item_state s WHERE s.feed_id = f.id AND s.read = 0) \
             FROM feeds f",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let tags = conn
        .prepare(
            "SELECT s.feed_id, t.tag, COUNT(*), SUM(s.read = 0) \
             FROM tag_items t JOIN item_state s ON s.item_id = t.item_id GROUP BY s.feed_id, t.tag",
        )
        .unwrap()
        .query_map([], |row| {
            Ok(((row.get(0)?, row.get(1)?), (row.get(2)?, row.get(3)?)))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (feeds, tags)
}

/// The triggers and indexes, each with its SQL, after checking that every
/// index holds exactly its table's rows (a set-wide write builds the unread
/// indexes anew).
pub(super) fn triggers(db: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    conn.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type IN ('trigger', 'index') \
         AND sql IS NOT NULL ORDER BY name",
    )
    .unwrap()
    .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn a_set_wide_read_flip_keeps_every_count_exact() {
    let per_row = tempfile::tempdir().unwrap();
    let set_wide = tempfile::tempdir().unwrap();
    let db = |dir: &tempfile::TempDir| dir.path().join("khabar.db");
    let mut results = Vec::new();
    for (dir, from) in [(&per_row, usize::MAX), (&set_wide, 0)] {
        let mut store = synced_store(dir.path());
        let before = triggers(&db(dir));
        assert_eq!(
            stored_counts(&db(dir)),
            recounted(&db(dir)),
            "before the flip"
        );
        let mut changes = flip_all(&store);
        // Marks queued after the states were read win: entries 1 and 2 (unread)
        // are marked read here while the server, as read before, says unread.
        let kept: Vec<_> = changes.iter().take(2).map(|c| c.item_id).collect();
        store.set_read(&kept, true, NOW).unwrap();
        for change in &mut changes[..2] {
            change.read = Some(false);
            change.server_read = false;
        }
        store
            .sync_apply_with(&changes, &[], &[("k", "v".into())], NOW + 1, from)
            .unwrap();
        assert_eq!(
            stored_counts(&db(dir)),
            recounted(&db(dir)),
            "after the flip (set-wide from {from})"
        );
        assert_eq!(
            triggers(&db(dir)),
            before,
            "the triggers and indexes are back as they were"
        );
        let after: Vec<_> = store.synced_states().unwrap();
        for state in &after[..2] {
            assert!(state.read, "a mark queued since the states were read wins");
        }
        // The triggers work again: one more mark moves the counts.
        let one = after[10].item_id;
        store.set_read(&[one], !after[10].read, NOW + 2).unwrap();
        assert_eq!(
            stored_counts(&db(dir)),
            recounted(&db(dir)),
            "after one more mark"
        );
        assert_eq!(store.sync_value("k").unwrap().as_deref(), Some("v"));
        results.push((
            stored_counts(&db(dir)),
            after
                .iter()
                .map(|s| (s.remote_id, s.read, s.starred, s.server_read))
                .collect::<Vec<_>>(),
        ));
    }
    assert_eq!(results[0], results[1], "both paths end in the same state");
}

#[test]
fn the_newest_entries_held_start_above_the_right_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = synced_store(dir.path());
    // Entries 1..=3000: the newest 100 are 2901..=3000.
    assert_eq!(store.newest_held_above(100).unwrap(), Some(2900));
    assert_eq!(store.newest_held_above(1).unwrap(), Some(2999));
    assert_eq!(store.newest_held_above(3000).unwrap(), Some(0));
    assert_eq!(store.newest_held_above(3001).unwrap(), None, "fewer held");
    assert_eq!(store.newest_held_above(0).unwrap(), None);
    // An entry the server deleted is no longer held.
    store.sync_apply(&[], &[3000], &[], NOW).unwrap();
    assert_eq!(store.newest_held_above(1).unwrap(), Some(2998));
}

/// Rows whose values do not change are left alone, and a change that only
/// records the server's state does not touch the item.
#[test]
fn only_what_differs_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = synced_store(dir.path());
    let states = store.synced_states().unwrap();
    let db = dir.path().join("khabar.db");
    // Entry 1 is unread here and on the server; a change that names no local
    // state (as for an entry with a mark still queued) only records the
    // server's.
    let one = states[0];
    assert!(!one.read && !one.server_read);
    let recorded_only = StateChange {
        remote_id: one.remote_id,
        item_id: one.item_id,
        read: None,
        starred: None,
        server_read: true,
        server_starred: one.server_starred,
    };
    // Entry 2 already holds every value the change names.
    let two = states[1];
    let same = StateChange {
        remote_id: two.remote_id,
        item_id: two.item_id,
        read: Some(two.read),
        starred: Some(two.starred),
        server_read: two.server_read,
        server_starred: two.server_starred,
    };
    store
        .sync_apply(&[recorded_only, same], &[], &[], NOW + 5)
        .unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (read, read_at): (bool, Option<i64>) = conn
        .query_row(
            "SELECT read, read_at FROM item_state WHERE item_id = ?1",
            [one.item_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert!(!read);
    assert_ne!(read_at, Some(NOW + 5), "the item is not rewritten");
    let after = store.synced_states().unwrap();
    assert!(after[0].server_read, "the server's state is recorded");
    assert_eq!(after[1], two, "nothing differs");
    let read_at_two: Option<i64> = conn
        .query_row(
            "SELECT read_at FROM item_state WHERE item_id = ?1",
            [two.item_id],
            |row| row.get(0),
        )
        .unwrap();
    assert_ne!(read_at_two, Some(NOW + 5));
}

/// Every entry read on the server: the changes are runs of consecutive ids
/// (written as ranges) with a few ids apart (the starred ones, recorded with
/// other values), on both the per-row and the set-wide path.
#[test]
fn every_entry_read_on_the_server_writes_ranges_and_keeps_every_count_exact() {
    for from in [usize::MAX, 0] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("khabar.db");
        let mut store = synced_store(dir.path());
        let changes: Vec<StateChange> = store
            .synced_states()
            .unwrap()
            .into_iter()
            .map(|state| StateChange {
                remote_id: state.remote_id,
                item_id: state.item_id,
                read: Some(true),
                starred: None,
                server_read: true,
                server_starred: state.server_starred,
            })
            .collect();
        store
            .sync_apply_with(&changes, &[], &[], NOW + 1, from)
            .unwrap();
        let after = store.synced_states().unwrap();
        assert_eq!(after.len(), ENTRIES as usize);
        assert!(after.iter().all(|s| s.read && s.server_read), "from {from}");
        assert_eq!(
            after.iter().filter(|s| s.server_starred).count(),
            (ENTRIES / 50) as usize,
            "stars recorded as they were"
        );
        assert_eq!(stored_counts(&db), recounted(&db), "from {from}");
        assert!(stored_counts(&db).0.values().all(|unread| *unread == 0));
        assert!(
            triggers(&db)
                .iter()
                .any(|(name, _)| name == "state_unread_by_time"),
            "the unread indexes are back (from {from})"
        );
    }
}

/// A set-wide write of a few flips, fewer than the items tagged by their own
/// category: the tag counts are then found from the flipped items' tag rows
/// (with many flips, from the category rows), and stay exact either way.
#[test]
fn a_few_set_wide_flips_keep_the_category_counts_exact() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("khabar.db");
    let mut store = synced_store(dir.path());
    let changes: Vec<StateChange> = flip_all(&store)
        .into_iter()
        .filter(|change| change.remote_id <= 30)
        .collect();
    assert!(
        changes.iter().any(|c| c.remote_id % 7 == 0),
        "with a category"
    );
    store
        .sync_apply_with(&changes, &[], &[], NOW + 1, 0)
        .unwrap();
    assert_eq!(stored_counts(&db), recounted(&db));
    let states = store.synced_states().unwrap();
    assert!(
        states[..30]
            .iter()
            .all(|s| s.read == (s.remote_id % 3 != 0))
    );
}

/// Changes written ahead of the server's answer (`Store::sync_apply_ahead`) set
/// the triggers and the unread indexes aside like any set-wide write: rolled
/// back, everything is as it was; committed, the same as `sync_apply`.
#[test]
fn a_set_wide_write_ahead_rolls_back_whole_and_commits_like_any_other() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("khabar.db");
    let mut store = synced_store(dir.path());
    let schema = triggers(&db);
    let counts = stored_counts(&db);
    let states = store.synced_states().unwrap();
    let changes = flip_all(&store);
    drop(store.sync_apply_ahead(&changes, NOW + 1).unwrap());
    assert_eq!(store.synced_states().unwrap(), states, "rolled back");
    assert_eq!(triggers(&db), schema, "the triggers and indexes are back");
    assert_eq!(stored_counts(&db), counts);

    let ahead = store.sync_apply_ahead(&changes, NOW + 1).unwrap();
    ahead.commit(&[("k", "v".into())]).unwrap();
    assert_eq!(triggers(&db), schema, "the triggers and indexes are back");
    assert_eq!(stored_counts(&db), recounted(&db));
    let after = store.synced_states().unwrap();
    assert!(
        after.iter().zip(&states).all(|(a, b)| a.read != b.read),
        "every entry flipped"
    );
    assert_eq!(store.sync_value("k").unwrap().as_deref(), Some("v"));
}

/// `DROP INDEX` deletes an index's `ANALYZE` statistics: a set-wide write that
/// builds the unread indexes anew puts them back.
#[test]
fn the_planner_statistics_of_the_rebuilt_indexes_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("khabar.db");
    let mut store = synced_store(dir.path());
    let stats = || -> Vec<(String, String)> {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.prepare(
            "SELECT idx, stat FROM sqlite_stat1 WHERE idx LIKE 'state_unread%' ORDER BY idx",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("ANALYZE")
        .unwrap();
    let before = stats();
    assert_eq!(before.len(), 2, "both unread indexes analysed");
    let changes = flip_all(&store);
    store.sync_apply(&changes, &[], &[], NOW + 1).unwrap();
    assert_eq!(stats(), before);
}
