//! The reader's "mark all read" carries a bound: the newest item id its screen
//! had loaded (`Store::newest_item_id`). Items another process (a cron
//! `khabar refresh`, a sync) added after it stay unread, their marks are not
//! queued for the sync server, and a deleted newest item's id is never given
//! to a new item (else a new item would slip under an old bound).

use khabar::store::ItemQuery;

use super::reconcile_write::synced_store;
use super::*;

#[test]
fn items_added_after_the_bound_stay_unread_on_both_paths() {
    for from in [usize::MAX, 0] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(dir.path());
        let feed = feed_with_items(&mut store, "https://a.example/feed", &["news"], 3);
        let bound = store.newest_item_id().unwrap();
        // Another process adds two items after the screen loaded.
        let items = (0..5)
            .map(|i| item(&format!("https://a.example/feed#{i}"), Some(NOW - i * 60)))
            .collect();
        store.apply_update(feed, &update(items), NOW + 10).unwrap();
        assert_eq!(store.unread_count().unwrap(), 5);
        for query in [
            all(),
            ItemQuery {
                feed: Some(feed),
                ..all()
            },
            ItemQuery {
                tag: Some("news".into()),
                ..all()
            },
        ] {
            let changed = store
                .mark_all_read_bounded(&query, Some(bound), NOW + 20, from)
                .unwrap();
            assert!(changed == 3 || changed == 0, "{query:?}: {changed}");
        }
        let unread: Vec<_> = store
            .items_after(&unread(), None, 10)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(unread.len(), 2, "from {from}: the two added stay unread");
        assert!(unread.iter().all(|id| *id > bound));
        assert_eq!(store.unread_count().unwrap(), 2, "the counts agree");
    }
}

#[test]
fn a_search_marked_up_to_a_bound_leaves_later_matches_unread() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = feed_with_items(&mut store, "https://a.example/feed", &[], 2);
    let bound = store.newest_item_id().unwrap();
    let items = (0..4)
        .map(|i| item(&format!("https://a.example/feed#{i}"), Some(NOW - i * 60)))
        .collect();
    store.apply_update(feed, &update(items), NOW + 10).unwrap();
    let query = khabar::query::parse("summary").unwrap();
    let clock = khabar::store::SearchClock {
        now: NOW,
        utc_offset: 0,
    };
    let changed = store
        .mark_read_query_upto(&query, clock, bound, NOW + 20)
        .unwrap();
    assert_eq!(changed, 2);
    assert_eq!(store.unread_count().unwrap(), 2);
}

/// With sync on, only the marked items' marks go to the server: an entry the
/// sync brought after the bound is neither read here nor queued as read.
#[test]
fn only_the_items_up_to_the_bound_are_queued_for_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = synced_store(dir.path());
    let bound = store.newest_item_id().unwrap();
    let before: std::collections::HashSet<i64> = store
        .synced_states()
        .unwrap()
        .into_iter()
        .map(|s| s.remote_id)
        .collect();
    let map = store
        .sync_feeds(&[khabar::store::SyncedFeed {
            remote_id: 1,
            url: "https://one.example/feed".into(),
            title: "One".into(),
            tags: vec!["news".into(), "tech".into()],
            ..Default::default()
        }])
        .unwrap();
    let late = khabar::store::SyncedEntry {
        remote_id: 99_999,
        remote_feed: 1,
        item: item("sync:late", Some(NOW + 5)),
        read: false,
        starred: false,
    };
    store
        .sync_write_entries(&map, &[late], &[], NOW + 10)
        .unwrap();
    let changed = store.mark_all_read_upto(&all(), bound, NOW + 20).unwrap();
    assert!(changed > 0);
    assert_eq!(store.outbox_stats().unwrap().entries, changed);
    let pending = store.outbox_pending().unwrap();
    assert!(pending.iter().all(|m| before.contains(&m.remote_id)));
    assert!(!pending.iter().any(|m| m.remote_id == 99_999));
    let late_state = store
        .synced_states()
        .unwrap()
        .into_iter()
        .find(|s| s.remote_id == 99_999)
        .unwrap();
    assert!(
        !late_state.read,
        "the entry synced after the bound stays unread"
    );
}

/// SQLite gives a new row the highest id plus one: without
/// `MIGRATION_ITEM_ID_HIGH` the newest item's deletion handed its id to the
/// next new item, which an old bound then covered.
#[test]
fn a_deleted_newest_items_id_is_not_given_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let kept = feed_with_items(&mut store, "https://a.example/feed", &[], 2);
    feed_with_items(&mut store, "https://b.example/feed", &[], 2);
    let bound = store.newest_item_id().unwrap();
    store.remove_feed("https://b.example/feed").unwrap();
    assert!(store.newest_item_id().unwrap() < bound);
    let items = (0..3)
        .map(|i| item(&format!("https://a.example/feed#{i}"), Some(NOW - i * 60)))
        .collect();
    store.apply_update(kept, &update(items), NOW + 10).unwrap();
    let newest = store.newest_item_id().unwrap();
    assert!(
        newest > bound,
        "new id {newest} above the old bound {bound}"
    );
    store.mark_all_read_upto(&all(), bound, NOW + 20).unwrap();
    assert_eq!(
        store.unread_count().unwrap(),
        1,
        "the new item stays unread"
    );
}
