//! The database file removed or replaced while a connection is open: a read or
//! star mark must not be written into the old, unlinked file (where nothing
//! will ever see it) and reported as done.

use super::*;

/// One feed with two unread items in `dir/khabar.db`; the store and the ids.
fn store_with_items(dir: &Path) -> (Store, Vec<i64>) {
    let mut store = open(dir);
    let feed = store
        .add_feed(&spec("https://a.example/feed", &[]))
        .unwrap();
    store
        .apply_update(
            feed,
            &update(vec![item("a", Some(NOW)), item("b", Some(NOW - 1))]),
            NOW,
        )
        .unwrap();
    let ids = store
        .items_after(&all(), None, 10)
        .unwrap()
        .iter()
        .map(|row| row.id)
        .collect();
    (store, ids)
}

fn assert_replaced(result: Result<u64, StoreError>, path: &Path) {
    match result {
        Err(StoreError::FileReplaced { path: shown }) => {
            assert_eq!(shown, path.display().to_string());
        }
        other => panic!("expected FileReplaced, got {other:?}"),
    }
}

/// Every write the reader makes for a user: read, unread, star, mark all.
fn assert_every_mark_refused(store: &mut Store, ids: &[i64], path: &Path) {
    assert_replaced(store.set_read(&ids[..1], true, NOW), path);
    assert_replaced(store.set_read(&ids[..1], false, NOW), path);
    assert_replaced(store.set_starred(&ids[..1], true, NOW), path);
    assert_replaced(store.mark_all_read(&all(), NOW), path);
    let query = khabar::query::parse("title").unwrap();
    assert_replaced(
        store.mark_read_query(&query, khabar::store::SearchClock::local(), NOW),
        path,
    );
    // Nothing claimed, not even in the old file the connection still reads.
    assert_eq!(store.unread_count().unwrap(), 2);
    assert_eq!(store.count_items(&starred()).unwrap(), 0);
}

fn starred() -> ItemQuery {
    ItemQuery {
        starred_only: true,
        ..ItemQuery::default()
    }
}

/// `rm` of the database while the reader is open.
#[test]
fn a_mark_after_the_file_was_deleted_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("khabar.db");
    let (mut store, ids) = store_with_items(dir.path());
    std::fs::remove_file(&path).unwrap();
    assert_every_mark_refused(&mut store, &ids, &path);
    assert!(!path.exists(), "nothing recreated the file");
}

/// A backup restored with `mv` (or a sync tool's rename) over the database.
#[test]
fn a_mark_after_another_database_was_moved_over_the_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("khabar.db");
    let (mut store, ids) = store_with_items(dir.path());
    let backup_dir = dir.path().join("backup");
    std::fs::create_dir(&backup_dir).unwrap();
    let (backup, _) = store_with_items(&backup_dir);
    drop(backup);
    std::fs::rename(backup_dir.join("khabar.db"), &path).unwrap();
    assert_every_mark_refused(&mut store, &ids, &path);
    // The file now at the path (the restored backup) is untouched too.
    assert_eq!(Store::open(&path).unwrap().unread_count().unwrap(), 2);
}

/// The same file, written again in place, is still the file: marks go through.
#[test]
fn a_mark_on_the_file_still_in_place_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("khabar.db");
    let (mut store, ids) = store_with_items(dir.path());
    assert_eq!(store.set_read(&ids[..1], true, NOW).unwrap(), 1);
    assert_eq!(Store::open(&path).unwrap().unread_count().unwrap(), 1);
}
