//! Mark all read (`Store::mark_all_read`) of many items: set-wide, with the
//! count triggers and (for most of the table) the unread indexes set aside.
//! It must end exactly where the per-row path ends: the same states, the same
//! counts as a recount gives, the same marks queued for the sync server, and
//! the triggers and indexes back as they were.

use std::path::Path;

use khabar::store::{ItemQuery, Store};

use super::NOW;
use super::reconcile_write::{recounted, stored_counts, synced_store, triggers};

/// Every item's (remote id, read), (remote id, read time) and the marks
/// queued: by remote id, since local ids follow the order entries were written.
type EndState = (Vec<(i64, bool)>, Vec<(i64, Option<i64>)>, usize);

fn end_state(store: &Store, db: &Path) -> EndState {
    let states = store
        .synced_states()
        .unwrap()
        .into_iter()
        .map(|s| (s.remote_id, s.read))
        .collect();
    let conn = rusqlite::Connection::open(db).unwrap();
    let read_at = conn
        .prepare(
            "SELECT si.remote_id, st.read_at FROM item_state st \
             JOIN sync_items si ON si.item_id = st.item_id ORDER BY si.remote_id",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let queued: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sync_outbox WHERE read = 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    (states, read_at, queued as usize)
}

/// Marks `query` read on a fresh synced store by the per-row path and by the
/// set-wide one; each time checks the counts and the schema, then `check` (the
/// store, its file, how many changed). Both must end in the same state.
fn on_both_paths(query: &ItemQuery, check: impl Fn(&mut Store, &Path, u64)) -> EndState {
    on_both_paths_of(
        |store, from| store.mark_all_read_with(query, NOW + 1, from).unwrap(),
        check,
    )
}

/// [`on_both_paths`] of any marking: `mark` is given the store and the number
/// of flips from which it is to write set-wide.
fn on_both_paths_of(
    mark: impl Fn(&mut Store, usize) -> u64,
    check: impl Fn(&mut Store, &Path, u64),
) -> EndState {
    let mut ends = Vec::new();
    for from in [usize::MAX, 0] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("khabar.db");
        let mut store = synced_store(dir.path());
        let schema = triggers(&db);
        let changed = mark(&mut store, from);
        assert_eq!(stored_counts(&db), recounted(&db), "from {from}");
        assert_eq!(triggers(&db), schema, "the triggers and indexes are back");
        check(&mut store, &db, changed);
        ends.push((end_state(&store, &db), stored_counts(&db)));
    }
    assert_eq!(ends[0], ends[1], "both paths end in the same state");
    ends.swap_remove(0).0
}

#[test]
fn marking_every_item_read_set_wide_ends_where_the_per_row_path_does() {
    let end = on_both_paths(&ItemQuery::default(), |store, db, changed| {
        // Every third entry was read by the synced store's making.
        assert_eq!(changed, 2_000);
        assert!(stored_counts(db).0.values().all(|n| *n == 0));
        // The triggers work again: one item made unread moves its counts.
        let one = store.synced_states().unwrap()[5].item_id;
        store.set_read(&[one], false, NOW + 2).unwrap();
        assert_eq!(stored_counts(db), recounted(db), "after one more mark");
    });
    assert!(end.2 > 0, "marks are queued for the server");
}

/// One tag's items, fewer than the table: set-wide for the counts, the unread
/// indexes moved row by row (kept), and only that tag's items read.
#[test]
fn marking_one_tag_read_set_wide_keeps_the_rest_unread() {
    let query = ItemQuery {
        tag: Some("own".into()),
        ..ItemQuery::default()
    };
    on_both_paths(&query, |store, _, changed| {
        assert!(changed > 0);
        let states = store.synced_states().unwrap();
        assert!(
            states.iter().any(|s| !s.read && s.remote_id % 7 != 0),
            "items without the tag stay unread"
        );
        assert!(
            states
                .iter()
                .filter(|s| s.remote_id % 7 == 0)
                .all(|s| s.read),
            "every item with the tag is read"
        );
    });
}

/// A search marked read (`khabar mark-read --query`, the reader's mark all on
/// a search or a view) queues its synced items' marks for the server in the
/// same transaction: without them the next sync would take the server's unread
/// back (the server wins where no mark waits).
#[test]
fn a_search_marked_read_queues_its_synced_items_for_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("khabar.db");
    let mut store = synced_store(dir.path());
    assert_eq!(store.outbox_stats().unwrap().entries, 0);
    let query = khabar::query::parse("tag:own summary").unwrap();
    let clock = khabar::store::SearchClock {
        now: NOW,
        utc_offset: 0,
    };
    let changed = store.mark_read_query(&query, clock, NOW + 1).unwrap();
    // Entries with their own category "own" (every 7th), unread here and on
    // the server (all but every 3rd).
    let expected = (1..=3_000).filter(|id| id % 7 == 0 && id % 3 != 0).count();
    assert_eq!(changed, expected as u64);
    assert_eq!(store.outbox_stats().unwrap().entries, expected as u64);
    let pending = store.outbox_pending().unwrap();
    assert!(
        pending
            .iter()
            .all(|mark| mark.remote_id % 7 == 0 && mark.read == Some(true)),
        "read marks for exactly the entries marked"
    );
    assert_eq!(stored_counts(&db), recounted(&db));
}

/// A search marked read flips set-wide from the same threshold as mark all
/// read (2.1–2.8 s -> 1.1 s for 100,000 matches, BENCHMARKS.md) and ends where
/// the per-row path ends: the same states, counts, queued marks, and schema.
#[test]
fn a_search_marked_read_set_wide_ends_where_the_per_row_path_does() {
    let clock = khabar::store::SearchClock {
        now: NOW,
        utc_offset: 0,
    };
    // The first three flip more items than a twelfth of the category rows, so
    // the categories' counts are moved by walking those rows; the last flips
    // two items with a category, whose rows are looked up one by one
    // (`read_counts.rs`, `CATEGORY_ROWS_PER_FLIPPED_ITEM`).
    for text in ["tag:own summary", "summary", "-tag:own", "2996 or 2989"] {
        let query = khabar::query::parse(text).unwrap();
        let end = on_both_paths_of(
            |store, from| {
                store
                    .mark_read_query_with(&query, clock, NOW + 1, from)
                    .unwrap()
            },
            |store, db, changed| {
                assert!(changed > 0, "{text}: something to mark");
                // The triggers work again after the set-wide write.
                let one = store.synced_states().unwrap()[5].item_id;
                store.set_read(&[one], false, NOW + 2).unwrap();
                assert_eq!(
                    stored_counts(db),
                    recounted(db),
                    "{text}: after one more mark"
                );
            },
        );
        assert!(end.2 > 0, "{text}: marks are queued for the server");
    }
}
