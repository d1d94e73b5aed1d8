//! Test-only: a database file with one feed of unread items, shared by the
//! tests of the database worker (`db`) and of its writes (`db_write`).

use crate::store::{ItemQuery, Store};

/// A database at `path` with one feed of `count` unread items; their ids.
pub(super) fn store_with_unread_items(path: &std::path::Path, count: i64) -> (Store, Vec<i64>) {
    use crate::feed::{ParsedFeed, ParsedItem};
    use crate::store::{FeedSpec, FeedUpdate};
    let mut store = Store::open(path).unwrap();
    let feed = store
        .add_feed(&FeedSpec {
            url: "http://127.0.0.1/f.xml".into(),
            enabled: true,
            ..Default::default()
        })
        .unwrap();
    let items = (0..count)
        .map(|i| ParsedItem {
            identity: format!("i{i}"),
            title: format!("t{i}"),
            published: Some(1_700_000_000 + i),
            content_hash: format!("h{i}"),
            ..Default::default()
        })
        .collect();
    let update = FeedUpdate {
        feed: ParsedFeed {
            items,
            ..Default::default()
        },
        ..Default::default()
    };
    store.apply_update(feed, &update, 1_700_000_000).unwrap();
    let ids = store
        .items_after(&ItemQuery::default(), None, count as usize)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    (store, ids)
}
