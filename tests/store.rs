//! The SQLite store on real files in temporary directories: read state across
//! re-fetch and restart, counts kept by triggers, tags, paging, migrations,
//! concurrent writers, cleanup, and the query plans that keep lists fast.

use std::path::Path;

use khabar::feed::{Enclosure, ParsedFeed, ParsedItem};
use khabar::store::{CleanupPolicy, FeedId, FeedSpec, FeedUpdate, ItemQuery, Store, StoreError};
use khabar::text::Direction;

const NOW: i64 = 1_700_000_000;
const DAY: i64 = 86_400;

fn item(identity: &str, published: Option<i64>) -> ParsedItem {
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

fn update(items: Vec<ParsedItem>) -> FeedUpdate {
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

fn spec(url: &str, tags: &[&str]) -> FeedSpec {
    FeedSpec {
        url: url.to_string(),
        title: None,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        direction: Direction::Auto,
        fulltext: false,
        enabled: true,
    }
}

fn open(dir: &Path) -> Store {
    Store::open(&dir.join("khabar.db")).unwrap()
}

fn all() -> ItemQuery {
    ItemQuery::default()
}

fn unread() -> ItemQuery {
    ItemQuery {
        unread_only: true,
        ..ItemQuery::default()
    }
}

/// The number of items a query lists, by paging through all of them.
fn counted_by_paging(store: &Store, query: &ItemQuery) -> u64 {
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
fn assert_counts_match_lists(store: &Store, tags: &[&str], feeds: &[FeedId]) {
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

fn feed_with_items(store: &mut Store, url: &str, tags: &[&str], n: i64) -> FeedId {
    let id = store.add_feed(&spec(url, tags)).unwrap();
    let items = (0..n)
        .map(|i| item(&format!("{url}#{i}"), Some(NOW - i * 60)))
        .collect();
    store.apply_update(id, &update(items), NOW).unwrap();
    id
}

#[test]
fn new_items_are_unread_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = feed_with_items(&mut store, "https://a.example/feed", &["news"], 3);
    let rows = store.items_after(&all(), None, 10).unwrap();
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|r| !r.read && !r.starred && r.feed_id == feed)
    );
    assert_eq!(rows[0].feed_title, "Example feed");
    assert_eq!(store.unread_count().unwrap(), 3);
    let feeds = store.feeds().unwrap();
    assert_eq!((feeds[0].unread, feeds[0].total), (3, 3));
    assert_eq!(feeds[0].tags, vec!["news".to_string()]);
    assert_eq!(feeds[0].language.as_deref(), Some("fa"));
    let state = store.fetch_state(feed).unwrap();
    assert_eq!(state.etag.as_deref(), Some("\"v1\""));
    assert_eq!(state.body_hash.as_deref(), Some("body1"));
}

#[test]
fn read_state_survives_refetch_restart_and_item_coming_back() {
    let dir = tempfile::tempdir().unwrap();
    let feed;
    let first;
    {
        let mut store = open(dir.path());
        feed = feed_with_items(&mut store, "https://a.example/feed", &[], 3);
        first = store.items_after(&all(), None, 1).unwrap()[0].id;
        assert_eq!(store.set_read(&[first], true, NOW).unwrap(), 1);
        assert_eq!(store.set_starred(&[first], true, NOW).unwrap(), 1);
        // Same items again, one with changed content: no item becomes unread again.
        let mut items: Vec<_> = (0..3)
            .map(|i| item(&format!("https://a.example/feed#{i}"), Some(NOW - i * 60)))
            .collect();
        items[0].content_hash = "changed".to_string();
        items[0].title = "new title".to_string();
        let stats = store.apply_update(feed, &update(items), NOW + 10).unwrap();
        assert_eq!((stats.new_items, stats.changed_items), (0, 1));
        assert_eq!(store.unread_count().unwrap(), 2);
    }
    // Restart.
    let mut store = open(dir.path());
    let detail = store.item(first).unwrap().unwrap();
    assert!(detail.row.read && detail.row.starred);
    assert_eq!(detail.row.title, "new title");
    // The read item leaves the feed, then comes back.
    let others = (1..3)
        .map(|i| item(&format!("https://a.example/feed#{i}"), Some(NOW - i * 60)))
        .collect();
    store.apply_update(feed, &update(others), NOW + 20).unwrap();
    assert_eq!(store.count_items(&all()).unwrap(), 3, "items leaving stay");
    let back = (0..3)
        .map(|i| item(&format!("https://a.example/feed#{i}"), Some(NOW - i * 60)))
        .collect();
    let stats = store.apply_update(feed, &update(back), NOW + 30).unwrap();
    assert_eq!(stats.new_items, 0);
    assert!(store.item(first).unwrap().unwrap().row.read);
    assert_eq!(store.unread_count().unwrap(), 2);
}

#[test]
fn detail_has_content_tags_and_enclosures() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = store
        .add_feed(&spec("https://a.example/feed", &["صنعت"]))
        .unwrap();
    let mut it = item("x", None);
    it.categories = vec!["اقتصاد".to_string(), "صنعت".to_string()];
    it.enclosures = vec![Enclosure {
        url: "https://a.example/x.mp3".to_string(),
        mime_type: Some("audio/mpeg".to_string()),
        length: Some(1234),
    }];
    it.author = Some("نویسنده".to_string());
    store.apply_update(feed, &update(vec![it]), NOW).unwrap();
    let row = &store.items_after(&all(), None, 1).unwrap()[0];
    assert_eq!(row.sort_time, NOW, "no date: first seen");
    let detail = store.item(row.id).unwrap().unwrap();
    assert_eq!(detail.tags, vec!["صنعت".to_string(), "اقتصاد".to_string()]);
    assert_eq!(detail.enclosures.len(), 1);
    assert_eq!(detail.enclosures[0].length, Some(1234));
    assert_eq!(detail.content_html.as_deref(), Some("<p>content x</p>"));
    assert_eq!(detail.summary.as_deref(), Some("summary x"));
    assert_eq!(detail.feed_url, "https://a.example/feed");
    assert_eq!(detail.published, None);
    assert_eq!(detail.row.language.as_deref(), Some("fa"));
}

#[test]
fn tag_matches_feed_tag_or_item_category() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    feed_with_items(&mut store, "https://fa.example/feed", &["fa"], 2);
    let other = store
        .add_feed(&spec("https://en.example/feed", &["en"]))
        .unwrap();
    let mut tagged = item("cat", Some(NOW - 30));
    tagged.categories = vec!["fa".to_string()];
    store
        .apply_update(other, &update(vec![tagged, item("plain", Some(NOW))]), NOW)
        .unwrap();
    let fa = ItemQuery {
        tag: Some("fa".to_string()),
        ..ItemQuery::default()
    };
    let rows = store.items_after(&fa, None, 10).unwrap();
    let titles: Vec<_> = rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "title https://fa.example/feed#0",
            "title cat",
            "title https://fa.example/feed#1"
        ]
    );
    assert_eq!(store.count_items(&fa).unwrap(), 3);
    // Retagging the feed updates the tag index for its existing items.
    store
        .add_feed(&spec("https://fa.example/feed", &["persian"]))
        .unwrap();
    assert_eq!(store.count_items(&fa).unwrap(), 1);
    let persian = ItemQuery {
        tag: Some("persian".to_string()),
        ..ItemQuery::default()
    };
    assert_eq!(store.count_items(&persian).unwrap(), 2);
    let fa_feed = store
        .feed_by_url("https://fa.example/feed")
        .unwrap()
        .unwrap()
        .id;
    let tags = ["fa", "persian", "en", "none"];
    assert_counts_match_lists(&store, &tags, &[fa_feed, other]);
    // Marking a tag read touches only its items.
    assert_eq!(store.mark_all_read(&persian, NOW).unwrap(), 2);
    assert_eq!(store.unread_count().unwrap(), 2);
    // The category-tagged item's feed gets the tag too, then loses it again.
    store
        .add_feed(&spec("https://en.example/feed", &["en", "fa"]))
        .unwrap();
    assert_eq!(store.count_items(&fa).unwrap(), 2);
    let plain = store
        .items_after(
            &ItemQuery {
                feed: Some(other),
                ..all()
            },
            None,
            1,
        )
        .unwrap();
    store.set_starred(&[plain[0].id], true, NOW).unwrap();
    assert_counts_match_lists(&store, &tags, &[fa_feed, other]);
    store
        .sync_config_feeds(&[spec("https://en.example/feed", &["en"])])
        .unwrap();
    assert_eq!(
        store.count_items(&fa).unwrap(),
        1,
        "the category alone still tags it"
    );
    assert_counts_match_lists(&store, &tags, &[fa_feed, other]);
}

#[test]
fn keyset_pages_cover_everything_once_in_both_directions() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = store
        .add_feed(&spec("https://a.example/feed", &[]))
        .unwrap();
    // Ties on sort_time must still page correctly: ordered by id inside a second.
    let items = (0..25)
        .map(|i| item(&format!("i{i}"), Some(NOW - (i / 3) * 60)))
        .collect();
    store.apply_update(feed, &update(items), NOW).unwrap();
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.items_after(&all(), cursor, 7).unwrap();
        if page.is_empty() {
            break;
        }
        cursor = Some(page.last().unwrap().cursor());
        seen.extend(page);
    }
    assert_eq!(seen.len(), 25);
    assert!(seen.windows(2).all(|w| w[0].cursor() > w[1].cursor()));
    let last = store.items_last(&all(), 4).unwrap();
    assert_eq!(last, seen[21..].to_vec());
    let before = store.items_before(&all(), seen[10].cursor(), 4).unwrap();
    assert_eq!(before, seen[6..10].to_vec());
    let top = store.items_before(&all(), seen[2].cursor(), 10).unwrap();
    assert_eq!(top, seen[..2].to_vec());
}

#[test]
fn counts_follow_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let a = feed_with_items(&mut store, "https://a.example/feed", &["x"], 5);
    feed_with_items(&mut store, "https://b.example/feed", &["y"], 4);
    let ids: Vec<_> = store
        .items_after(
            &ItemQuery {
                feed: Some(a),
                ..all()
            },
            None,
            10,
        )
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    store.set_read(&ids[..2], true, NOW).unwrap();
    // Setting the same state again changes nothing.
    assert_eq!(store.set_read(&ids[..2], true, NOW).unwrap(), 0);
    store.set_starred(&ids[4..], true, NOW).unwrap();
    assert_eq!(store.unread_count().unwrap(), 7);
    let starred = ItemQuery {
        starred_only: true,
        ..all()
    };
    assert_eq!(store.count_items(&starred).unwrap(), 1);
    assert_eq!(store.items_after(&starred, None, 5).unwrap()[0].id, ids[4]);
    assert_eq!(
        store
            .count_items(&ItemQuery {
                feed: Some(a),
                ..unread()
            })
            .unwrap(),
        3
    );
    store.set_read(&ids[..1], false, NOW).unwrap();
    let feeds = store.feeds().unwrap();
    assert_eq!((feeds[0].unread, feeds[0].total), (4, 5));
    store.remove_feed("https://b.example/feed").unwrap();
    assert_eq!(store.unread_count().unwrap(), 4);
    assert_eq!(store.count_items(&all()).unwrap(), 5);
    assert!(matches!(
        store.remove_feed("https://b.example/feed"),
        Err(StoreError::NoSuchFeed(_))
    ));
    let y = ItemQuery {
        tag: Some("y".to_string()),
        ..all()
    };
    assert_eq!(store.count_items(&y).unwrap(), 0);
    assert_counts_match_lists(&store, &["x", "y"], &[a]);
    // Counters agree with a real count.
    let real: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM items WHERE read = 0", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(real, 4);
}

#[test]
fn cleanup_removes_only_old_read_unstarred_items_and_they_stay_gone() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = store
        .add_feed(&spec("https://a.example/feed", &["t"]))
        .unwrap();
    let items = vec![
        item("old-read", Some(NOW - 40 * DAY)),
        item("old-starred", Some(NOW - 40 * DAY)),
        item("old-unread", Some(NOW - 40 * DAY)),
        item("new-read", Some(NOW - DAY)),
    ];
    store
        .apply_update(feed, &update(items.clone()), NOW)
        .unwrap();
    let rows = store.items_after(&all(), None, 10).unwrap();
    let id = |name: &str| {
        rows.iter()
            .find(|r| r.title == format!("title {name}"))
            .unwrap()
            .id
    };
    store
        .set_read(
            &[id("old-read"), id("old-starred"), id("new-read")],
            true,
            NOW,
        )
        .unwrap();
    store.set_starred(&[id("old-starred")], true, NOW).unwrap();
    assert_eq!(
        store
            .cleanup(CleanupPolicy { keep_read_days: 0 }, NOW)
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .cleanup(CleanupPolicy { keep_read_days: 30 }, NOW)
            .unwrap(),
        1
    );
    assert!(store.item(id("old-read")).unwrap().is_none());
    assert_eq!(store.count_items(&all()).unwrap(), 3);
    // The feed still carries the removed item: it does not come back unread.
    let stats = store.apply_update(feed, &update(items), NOW + 1).unwrap();
    assert_eq!(stats.new_items, 0);
    assert_eq!(store.count_items(&all()).unwrap(), 3);
    assert_eq!(store.unread_count().unwrap(), 1);
}

#[test]
fn errors_are_recorded_and_cleared_and_redirects_move_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = feed_with_items(&mut store, "https://a.example/feed", &[], 2);
    store.record_error(feed, "HTTP 500", NOW + 5).unwrap();
    let row = store
        .feed_by_url("https://a.example/feed")
        .unwrap()
        .unwrap();
    assert_eq!(row.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(row.last_error_at, Some(NOW + 5));
    assert_eq!(row.total, 2, "a failing feed keeps its items");
    store.record_unchanged(feed, NOW + 6).unwrap();
    let row = store
        .feed_by_url("https://a.example/feed")
        .unwrap()
        .unwrap();
    assert_eq!((row.last_error, row.last_success_at), (None, Some(NOW + 6)));
    let mut moved = update(vec![]);
    moved.new_url = Some("https://new.example/feed".to_string());
    store.apply_update(feed, &moved, NOW + 7).unwrap();
    assert!(
        store
            .feed_by_url("https://a.example/feed")
            .unwrap()
            .is_none()
    );
    let row = store
        .feed_by_url("https://new.example/feed")
        .unwrap()
        .unwrap();
    assert_eq!((row.id, row.total), (feed, 2));
}

#[test]
fn config_sync_adds_updates_and_disables_but_leaves_user_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    store
        .add_feed(&spec("https://user.example/feed", &["mine"]))
        .unwrap();
    let mut a = spec("https://a.example/feed", &["one"]);
    a.title = Some("A".to_string());
    a.direction = Direction::Rtl;
    let b = spec("https://b.example/feed", &[]);
    store.sync_config_feeds(&[a.clone(), b]).unwrap();
    let a_id = store
        .feed_by_url("https://a.example/feed")
        .unwrap()
        .unwrap()
        .id;
    store
        .apply_update(a_id, &update(vec![item("k", None)]), NOW)
        .unwrap();
    let id = store.items_after(&all(), None, 1).unwrap()[0].id;
    store.set_read(&[id], true, NOW).unwrap();
    // b leaves the config; a changes its tags and title.
    a.tags = vec!["two".to_string()];
    a.title = None;
    store.sync_config_feeds(&[a]).unwrap();
    let feeds = store.feeds().unwrap();
    assert_eq!(feeds.len(), 3);
    let find = |url: &str| feeds.iter().find(|f| f.url == url).unwrap().clone();
    let a_row = find("https://a.example/feed");
    assert_eq!(a_row.tags, vec!["two".to_string()]);
    assert_eq!(
        a_row.title, "Example feed",
        "config title removed: feed's own"
    );
    assert_eq!(a_row.direction, Direction::Rtl);
    assert!(!find("https://b.example/feed").enabled);
    assert!(find("https://user.example/feed").enabled);
    assert_eq!(
        find("https://user.example/feed").tags,
        vec!["mine".to_string()]
    );
    assert!(store.item(id).unwrap().unwrap().row.read);
    // A config feed that moved (permanent redirect) is still found by its config URL.
    let mut moved = update(vec![]);
    moved.new_url = Some("https://a2.example/feed".to_string());
    store.apply_update(a_id, &moved, NOW).unwrap();
    store
        .sync_config_feeds(&[spec("https://a.example/feed", &["two"])])
        .unwrap();
    assert_eq!(store.feeds().unwrap().len(), 3);
    assert_eq!(
        store
            .feed_by_url("https://a2.example/feed")
            .unwrap()
            .unwrap()
            .id,
        a_id
    );
}

#[test]
fn disabled_feeds_leave_lists_and_unread_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = feed_with_items(&mut store, "https://a.example/feed", &["t"], 3);
    let mut off = spec("https://a.example/feed", &[]);
    off.enabled = false;
    store.add_feed(&off).unwrap();
    assert_eq!(store.unread_count().unwrap(), 0);
    assert!(store.items_after(&all(), None, 10).unwrap().is_empty());
    // Asking for the feed itself still shows its items.
    let only = ItemQuery {
        feed: Some(feed),
        ..all()
    };
    assert_eq!(store.items_after(&only, None, 10).unwrap().len(), 3);
}

#[test]
fn an_older_schema_opens_and_upgrades_keeping_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        khabar::store::schema::create_at_version(&mut conn, 1).unwrap();
        conn.execute(
            "INSERT INTO feeds (url, added_at) VALUES ('https://a.example/feed', 0)",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO items (feed_id, identity, title, first_seen, sort_time, content_hash, read) \
             VALUES (1, 'x', 'old item', 5, 5, 'h', 1)",
            [],
        )
        .unwrap();
        conn.execute_batch(
            "INSERT INTO feed_tags (feed_id, tag) VALUES (1, 'news');
             INSERT INTO item_categories (item_id, tag) VALUES (1, 'news'), (1, 'اقتصاد');",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 3);
    let row = &store.items_after(&all(), None, 5).unwrap()[0];
    assert!(row.read);
    for tag in ["news", "اقتصاد"] {
        let query = ItemQuery {
            tag: Some(tag.to_string()),
            ..all()
        };
        assert_eq!(
            store.count_items(&query).unwrap(),
            1,
            "tag {tag} after upgrade"
        );
        assert_eq!(counted_by_paging(&store, &query), 1);
    }
    let last_updated: Option<i64> = store
        .connection()
        .query_row("SELECT last_updated FROM items", [], |r| r.get(0))
        .unwrap();
    assert_eq!(last_updated, Some(5));
    let mode: String = store
        .connection()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    drop(Store::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    match Store::open(&path) {
        Err(StoreError::TooNew { found, known, .. }) => assert_eq!((found, known), (99, 3)),
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("a newer database was opened"),
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 99);
}

#[test]
fn two_connections_in_threads_write_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("khabar.db");
    let mut store = Store::open(&path).unwrap();
    let feeds: Vec<FeedId> = (0..2)
        .map(|i| {
            store
                .add_feed(&spec(&format!("https://{i}.example/feed"), &[]))
                .unwrap()
        })
        .collect();
    let reader_ids: Vec<_> = {
        feed_with_items(&mut store, "https://r.example/feed", &[], 50);
        store
            .items_after(&all(), None, 50)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect()
    };
    let handles: Vec<_> = feeds
        .into_iter()
        .map(|feed| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                for round in 0..30 {
                    let items = (0..20)
                        .map(|i| item(&format!("{feed}-{round}-{i}"), Some(NOW + i)))
                        .collect();
                    store.apply_update(feed, &update(items), NOW).unwrap();
                }
            })
        })
        .collect();
    // Meanwhile this connection marks items read, as the reader would.
    for id in &reader_ids {
        store.set_read(&[*id], true, NOW).unwrap();
        store.items_after(&unread(), None, 20).unwrap();
    }
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(store.count_items(&all()).unwrap(), 2 * 30 * 20 + 50);
    assert_eq!(store.unread_count().unwrap(), 2 * 30 * 20);
}

/// The plan of every list scope, read through its index: no full table scan and no
/// temporary B-tree for ORDER BY, whether on the first page or a deep one.
#[test]
fn list_queries_use_indexes_without_sorting() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = feed_with_items(&mut store, "https://a.example/feed", &["t"], 200);
    feed_with_items(&mut store, "https://b.example/feed", &["u"], 200);
    store.connection().execute_batch("ANALYZE").unwrap();
    let scopes = [
        all(),
        unread(),
        ItemQuery {
            starred_only: true,
            ..all()
        },
        ItemQuery {
            feed: Some(feed),
            ..all()
        },
        ItemQuery {
            feed: Some(feed),
            ..unread()
        },
        ItemQuery {
            tag: Some("t".to_string()),
            ..all()
        },
        ItemQuery {
            tag: Some("t".to_string()),
            ..unread()
        },
    ];
    for scope in &scopes {
        for cursor in [None, Some((NOW - 3000, 100))] {
            for newest_first in [true, false] {
                let plan =
                    khabar::store::explain_page(store.connection(), scope, newest_first, cursor)
                        .unwrap();
                let text = plan.join("\n");
                assert!(!text.contains("TEMP B-TREE"), "{scope:?} sorts:\n{text}");
                let main = &plan[0];
                assert!(
                    main.contains("USING INDEX")
                        || main.contains("USING COVERING INDEX")
                        || main.contains("PRIMARY KEY"),
                    "{scope:?} does not use an index:\n{text}"
                );
                if cursor.is_some() {
                    assert!(
                        main.starts_with("SEARCH"),
                        "{scope:?} deep page scans:\n{text}"
                    );
                }
            }
        }
    }
}

/// Several processes starting at once on a database that does not exist yet (the
/// reader and a cron refresh on a fresh machine): all of them open it, and the
/// schema is created once.
#[test]
fn simultaneous_first_opens_all_succeed() {
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("khabar.db");
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(6));
        let handles: Vec<_> = (0..6)
            .map(|i| {
                let path = path.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    let mut store = Store::open(&path).unwrap();
                    store
                        .add_feed(&spec(&format!("https://{i}.example/feed"), &["t"]))
                        .unwrap();
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.feeds().unwrap().len(), 6);
        assert_eq!(store.schema_version().unwrap(), 3);
    }
}

/// A file that is not a khabar database is reported and left exactly as it was.
#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("khabar.db");
    let garbage = b"this is not sqlite, but it is somebody's file\n".repeat(100);
    std::fs::write(&path, &garbage).unwrap();
    let error = match Store::open(&path) {
        Err(error) => error.to_string(),
        Ok(_) => panic!("garbage opened as a database"),
    };
    assert!(error.contains("khabar.db"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), garbage);
}
