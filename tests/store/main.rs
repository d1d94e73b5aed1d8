//! The SQLite store on real files in temporary directories: read state across
//! re-fetch and restart, counts kept by triggers, tags, paging, migrations,
//! concurrent writers, cleanup, and the query plans that keep lists fast.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod adopted;
mod feeds;
mod file;
mod items;
mod lists;
mod mark_all;
mod mark_bound;
mod reconcile_write;
mod replaced;

use std::path::Path;

use khabar::feed::{Enclosure, ParsedFeed, ParsedItem};
use khabar::store::{CleanupPolicy, FeedId, FeedSpec, FeedUpdate, ItemQuery, Store, StoreError};
use khabar::text::Direction;

pub const NOW: i64 = 1_700_000_000;
pub const DAY: i64 = 86_400;

pub fn item(identity: &str, published: Option<i64>) -> ParsedItem {
    ParsedItem {
        identity: identity.to_string(),
        title: format!("title {identity}"),
        link: Some(format!("https://example.org/{identity}")),
        summary: Some(format!("summary {identity}")),
        content_html: Some(format!("<p>content {identity}</p>")),
        published,
        content_hash: format!("hash-{identity}"),
        ..ParsedItem::default()
    }
}

pub fn update(items: Vec<ParsedItem>) -> FeedUpdate {
    FeedUpdate {
        feed: ParsedFeed {
            title: Some("Example feed".to_string()),
            site_link: Some("https://example.org/".to_string()),
            language: Some("fa".to_string()),
            items,
        },
        etag: Some("\"v1\"".to_string()),
        last_modified: Some("Tue, 14 Nov 2023 22:13:20 GMT".to_string()),
        body_hash: Some("body1".to_string()),
        new_url: None,
    }
}

pub fn spec(url: &str, tags: &[&str]) -> FeedSpec {
    FeedSpec {
        url: url.to_string(),
        title: None,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        direction: Direction::Auto,
        fulltext: false,
        enabled: true,
    }
}

pub fn open(dir: &Path) -> Store {
    Store::open(&dir.join("khabar.db")).unwrap()
}

pub fn all() -> ItemQuery {
    ItemQuery::default()
}

pub fn unread() -> ItemQuery {
    ItemQuery {
        unread_only: true,
        ..ItemQuery::default()
    }
}

/// The number of items a query lists, by paging through all of them.
pub fn counted_by_paging(store: &Store, query: &ItemQuery) -> u64 {
    let mut total = 0;
    let mut cursor = None;
    loop {
        let page = store.items_after(query, cursor, 100).unwrap();
        let Some(last) = page.last() else {
            return total;
        };
        cursor = Some(last.cursor());
        total += page.len() as u64;
    }
}

/// `count_items` agrees with the list for every combination of filters.
pub fn assert_counts_match_lists(store: &Store, tags: &[&str], feeds: &[FeedId]) {
    let mut scopes: Vec<(Option<String>, Option<FeedId>)> = vec![(None, None)];
    for tag in tags {
        scopes.push((Some(tag.to_string()), None));
        for feed in feeds {
            scopes.push((Some(tag.to_string()), Some(*feed)));
        }
    }
    for feed in feeds {
        scopes.push((None, Some(*feed)));
    }
    for (tag, feed) in scopes {
        for (unread_only, starred_only) in
            [(false, false), (true, false), (false, true), (true, true)]
        {
            let query = ItemQuery {
                tag: tag.clone(),
                feed,
                unread_only,
                starred_only,
            };
            assert_eq!(
                store.count_items(&query).unwrap(),
                counted_by_paging(store, &query),
                "{query:?}"
            );
        }
    }
}

pub fn feed_with_items(store: &mut Store, url: &str, tags: &[&str], n: i64) -> FeedId {
    let id = store.add_feed(&spec(url, tags)).unwrap();
    let items = (0..n)
        .map(|i| item(&format!("{url}#{i}"), Some(NOW - i * 60)))
        .collect();
    store.apply_update(id, &update(items), NOW).unwrap();
    id
}

/// The derived data (per-feed counters and the tag index) equals what recomputing
/// it from items, feed tags and item categories gives: nothing missing, nothing
/// extra, right reference counts, `via_feed` and sort times.
pub fn assert_derived_data_consistent(store: &Store) {
    let conn = store.connection();
    let rows = |sql: &str| -> Vec<(String, i64, i64, i64, i64)> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let stored =
        rows("SELECT tag, item_id, sort_time, refs, via_feed FROM tag_items ORDER BY tag, item_id");
    let expected = rows(
        "SELECT tag, item_id, i.sort_time, count(*), max(via_feed) FROM ( \
             SELECT ft.tag AS tag, i.id AS item_id, 1 AS via_feed \
               FROM items i JOIN feed_tags ft ON ft.feed_id = i.feed_id \
             UNION ALL \
             SELECT c.tag, c.item_id, 0 FROM item_categories c) \
         JOIN items i ON i.id = item_id GROUP BY tag, item_id ORDER BY tag, item_id",
    );
    assert_eq!(stored, expected, "tag_items");
    let counters = rows("SELECT url, total_count, unread_count, 0, 0 FROM feeds ORDER BY id");
    let recounted = rows(
        "SELECT f.url, count(i.id), count(i.id) - coalesce(sum(s.read), 0), 0, 0 \
           FROM feeds f LEFT JOIN items i ON i.feed_id = f.id \
           LEFT JOIN item_state s ON s.item_id = i.id GROUP BY f.id ORDER BY f.id",
    );
    assert_eq!(counters, recounted, "feed counters");
    // One state row per item, with the item's own feed and sort time.
    let state = rows(
        "SELECT 'state', s.item_id, s.feed_id, s.sort_time, 0 FROM item_state s ORDER BY s.item_id",
    );
    let items = rows("SELECT 'state', id, feed_id, sort_time, 0 FROM items ORDER BY id");
    assert_eq!(state, items, "item_state");
}
