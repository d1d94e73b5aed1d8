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

/// A small synced database: one server feed, three entries, the second read
/// on the server and a pending local mark on the first.
fn synced_store(dir: &Path) -> Store {
    use khabar::store::{SyncedEntry, SyncedFeed};
    let mut store = open(dir);
    let feeds = [SyncedFeed {
        remote_id: 1,
        url: "https://one.example/feed".into(),
        title: "One".into(),
        ..SyncedFeed::default()
    }];
    let map = store.sync_feeds(&feeds).unwrap();
    let entries: Vec<SyncedEntry> = (1..=3)
        .map(|id| SyncedEntry {
            remote_id: id,
            remote_feed: 1,
            item: item(&format!("sync:{id}"), Some(NOW - id)),
            read: id == 2,
            starred: false,
        })
        .collect();
    store.sync_write_entries(&map, &entries, &[], NOW).unwrap();
    store
}

fn assert_sync_replaced<T: std::fmt::Debug>(
    what: &str,
    result: Result<T, StoreError>,
    path: &Path,
) {
    match result {
        Err(StoreError::FileReplaced { path: shown }) => {
            assert_eq!(shown, path.display().to_string(), "{what}");
        }
        other => panic!("{what}: expected FileReplaced, got {other:?}"),
    }
}

/// `khabar sync` (and the reader's background sync) writes through these: each
/// must be refused, not poured into the unlinked file, once the database was
/// removed or replaced under it.
#[test]
fn every_sync_write_after_the_file_was_replaced_is_refused() {
    use khabar::store::{Flag, StateChange, SyncedEntry, SyncedFeed};
    for replace in ["remove", "move a backup over it"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("khabar.db");
        let mut store = synced_store(dir.path());
        let states = store.synced_states().unwrap();
        if replace == "remove" {
            std::fs::remove_file(&path).unwrap();
        } else {
            let backup_dir = dir.path().join("backup");
            std::fs::create_dir(&backup_dir).unwrap();
            drop(synced_store(&backup_dir));
            std::fs::rename(backup_dir.join("khabar.db"), &path).unwrap();
        }
        let feeds = [SyncedFeed {
            remote_id: 2,
            url: "https://two.example/feed".into(),
            title: "Two".into(),
            ..SyncedFeed::default()
        }];
        assert_sync_replaced("sync_feeds", store.sync_feeds(&feeds), &path);
        let map = std::collections::HashMap::from([(1, states[0].item_id)]);
        let entries = [SyncedEntry {
            remote_id: 9,
            remote_feed: 1,
            item: item("sync:9", Some(NOW)),
            read: false,
            starred: false,
        }];
        assert_sync_replaced(
            "sync_write_entries",
            store.sync_write_entries(&map, &entries, &[("entry_cursor", "9".into())], NOW),
            &path,
        );
        assert_sync_replaced(
            "set_sync_values",
            store.set_sync_values(&[("entry_cursor", "9".into())]),
            &path,
        );
        assert_sync_replaced("reset_sync", store.reset_sync(), &path);
        let changes: Vec<StateChange> = states
            .iter()
            .map(|state| StateChange {
                remote_id: state.remote_id,
                item_id: state.item_id,
                read: Some(!state.read),
                starred: None,
                server_read: !state.read,
                server_starred: state.starred,
            })
            .collect();
        assert_sync_replaced(
            "sync_apply",
            store.sync_apply(&changes, &[], &[], NOW),
            &path,
        );
        assert_sync_replaced(
            "sync_apply_ahead",
            store.sync_apply_ahead(&changes, NOW).map(|_| ()),
            &path,
        );
        assert_sync_replaced(
            "outbox_acknowledge",
            store.outbox_acknowledge(Flag::Read, true, &[1]),
            &path,
        );
        assert_sync_replaced(
            "outbox_record_failure",
            store.outbox_record_failure(&[1], "500"),
            &path,
        );
        // Nothing was written, not even into the old file the connection reads.
        assert_eq!(store.synced_states().unwrap(), states, "{replace}");
        assert_eq!(store.sync_value("entry_cursor").unwrap(), None, "{replace}");
        assert_eq!(store.unread_count().unwrap(), 2, "{replace}");
    }
}

/// Changes written ahead of the server's answer are held in an open
/// transaction; a file replaced while it waits is checked again at the commit,
/// which is refused and rolled back.
#[test]
fn a_sync_written_ahead_is_not_committed_into_a_replaced_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("khabar.db");
    let mut store = synced_store(dir.path());
    let states = store.synced_states().unwrap();
    let changes: Vec<khabar::store::StateChange> = states
        .iter()
        .map(|state| khabar::store::StateChange {
            remote_id: state.remote_id,
            item_id: state.item_id,
            read: Some(true),
            starred: None,
            server_read: true,
            server_starred: state.starred,
        })
        .collect();
    let ahead = store.sync_apply_ahead(&changes, NOW).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_sync_replaced(
        "commit",
        ahead.commit(&[("entry_cursor", "3".into())]),
        &path,
    );
    assert_eq!(store.synced_states().unwrap(), states);
    assert_eq!(store.unread_count().unwrap(), 2);
}
