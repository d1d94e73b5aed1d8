//! Items across re-fetch and restart, their detail, read/starred state, counts and the cleanup.

use super::*;

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
    it.enclosures = vec![
        Enclosure {
            url: "https://a.example/x.mp3".to_string(),
            mime_type: Some("audio/mpeg".to_string()),
            length: Some(1234),
            title: Some("قسمت اول".to_string()),
            duration: Some(2530),
        },
        Enclosure {
            url: "https://a.example/x.jpg".to_string(),
            ..Enclosure::default()
        },
    ];
    it.author = Some("نویسنده".to_string());
    store.apply_update(feed, &update(vec![it]), NOW).unwrap();
    let row = &store.items_after(&all(), None, 1).unwrap()[0];
    assert_eq!(row.sort_time, NOW, "no date: first seen");
    let detail = store.item(row.id).unwrap().unwrap();
    assert_eq!(detail.tags, vec!["صنعت".to_string(), "اقتصاد".to_string()]);
    assert_eq!(detail.enclosures.len(), 2);
    assert_eq!(detail.enclosures[0].length, Some(1234));
    assert_eq!(detail.enclosures[0].title.as_deref(), Some("قسمت اول"));
    assert_eq!(detail.enclosures[0].duration, Some(2530));
    assert_eq!(
        (&detail.enclosures[1].title, detail.enclosures[1].duration),
        (&None, None)
    );
    assert_eq!(detail.content_html.as_deref(), Some("<p>content x</p>"));
    assert_eq!(detail.summary.as_deref(), Some("summary x"));
    assert_eq!(detail.feed_url, "https://a.example/feed");
    assert_eq!(detail.published, None);
    assert_eq!(detail.row.language.as_deref(), Some("fa"));
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
    assert_derived_data_consistent(&store);
    // Counters agree with a real count.
    let real: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM item_state WHERE read = 0", [], |r| {
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
            NOW - 31 * DAY,
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

/// More old read items than one cleanup batch holds: all go, in several
/// transactions, and the counters still agree.
#[test]
fn cleanup_of_many_items_runs_in_batches_to_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = store
        .add_feed(&spec("https://a.example/feed", &["t"]))
        .unwrap();
    let items = (0..12_345)
        .map(|i| item(&format!("i{i}"), Some(NOW - 100 * DAY + i)))
        .collect();
    store.apply_update(feed, &update(items), NOW).unwrap();
    let keep = store.items_after(&all(), None, 1).unwrap()[0].id;
    store
        .mark_all_read(&ItemQuery::default(), NOW - 31 * DAY)
        .unwrap();
    store.set_starred(&[keep], true, NOW).unwrap();
    let removed = store
        .cleanup(CleanupPolicy { keep_read_days: 30 }, NOW)
        .unwrap();
    assert_eq!(removed, 12_344);
    assert_eq!(store.count_items(&all()).unwrap(), 1);
    let tagged = ItemQuery {
        tag: Some("t".to_string()),
        ..all()
    };
    assert_eq!(store.count_items(&tagged).unwrap(), 1);
    assert_eq!(store.feeds().unwrap()[0].total, 1);
}

/// Several feeds written in one transaction give the same result per feed as one
/// by one; a feed removed meanwhile is reported alone and the others are stored.
#[test]
fn a_batch_of_updates_stores_each_feed_and_reports_a_removed_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let a = store
        .add_feed(&spec("https://a.example/feed", &["news"]))
        .unwrap();
    let gone = store
        .add_feed(&spec("https://gone.example/feed", &[]))
        .unwrap();
    let b = store
        .add_feed(&spec("https://b.example/feed", &["news", "fa"]))
        .unwrap();
    store.remove_feed("https://gone.example/feed").unwrap();
    let items = |url: &str, n: i64| {
        update(
            (0..n)
                .map(|i| {
                    let mut it = item(&format!("{url}#{i}"), Some(NOW - i * 60));
                    it.categories = vec!["fa".to_string()];
                    it
                })
                .collect(),
        )
    };
    let (ua, ugone, ub) = (items("a", 3), items("gone", 2), items("b", 4));
    let results = store.apply_updates(&[(a, &ua), (gone, &ugone), (b, &ub)], NOW);
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().unwrap().new_items, 3);
    assert!(matches!(results[1], Err(StoreError::NoSuchFeed(_))));
    assert_eq!(results[2].as_ref().unwrap().new_items, 4);
    assert_eq!(store.count_items(&all()).unwrap(), 7);
    assert_eq!(store.unread_count().unwrap(), 7);
    assert_derived_data_consistent(&store);
    assert_counts_match_lists(&store, &["news", "fa"], &[a, b]);
    // The same documents again: nothing new, nothing changed.
    let again = store.apply_updates(&[(a, &ua), (b, &ub)], NOW + 60);
    assert!(again.iter().all(|r| r.as_ref().unwrap().new_items == 0));
    store.record_unchanged_many(&[a, b], NOW + 120).unwrap();
    assert_eq!(store.feeds().unwrap()[0].last_success_at, Some(NOW + 120));
}

/// Regression: an item dated in the future (a wrong time zone, an event announced
/// for next year) sorted above everything newer until that date came.
#[test]
fn an_item_dated_in_the_future_sorts_by_when_it_was_first_seen() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = store
        .add_feed(&spec("https://future.example/feed", &["t"]))
        .unwrap();
    let next_year = NOW + 365 * DAY;
    let skewed = NOW + 5 * 60;
    store
        .apply_update(
            feed,
            &update(vec![
                item("future", Some(next_year)),
                item("skewed", Some(skewed)),
                item("old", Some(NOW - DAY)),
            ]),
            NOW,
        )
        .unwrap();
    let tag = ItemQuery {
        tag: Some("t".to_string()),
        ..all()
    };
    for query in [all(), tag] {
        let rows = store.items_after(&query, None, 10).unwrap();
        let order: Vec<(&str, i64)> = rows
            .iter()
            .map(|r| (r.title.as_str(), r.sort_time))
            .collect();
        assert_eq!(
            order,
            [
                ("title skewed", skewed),
                ("title future", NOW),
                ("title old", NOW - DAY)
            ]
        );
    }
    let future = store.items_after(&all(), None, 10).unwrap()[1].id;
    let detail = store.item(future).unwrap().unwrap();
    assert_eq!(detail.published, Some(next_year), "the feed's date is kept");
}

/// Regression: `keep_read_days` counted only from the item's date, so an old
/// article (an archive, a feed added today) read today was deleted by the next
/// `khabar refresh`, gone from offline reading the moment it was read.
#[test]
fn an_old_item_read_today_is_kept_for_the_whole_period() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = store
        .add_feed(&spec("https://archive.example/feed", &[]))
        .unwrap();
    store
        .apply_update(
            feed,
            &update(vec![item("archive", Some(NOW - 400 * DAY))]),
            NOW,
        )
        .unwrap();
    let id = store.items_after(&all(), None, 1).unwrap()[0].id;
    store.set_read(&[id], true, NOW).unwrap();
    let policy = CleanupPolicy { keep_read_days: 30 };
    assert_eq!(store.cleanup(policy, NOW + DAY).unwrap(), 0);
    assert!(store.item(id).unwrap().is_some());
    assert_eq!(store.cleanup(policy, NOW + 31 * DAY).unwrap(), 1);
    assert!(store.item(id).unwrap().is_none());
}

/// A database from before enclosures kept a title and a duration: its files
/// are read back with neither, and new ones are stored with both.
#[test]
fn enclosures_from_before_titles_and_durations_read_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let before = khabar::store::schema::version_before("ALTER TABLE enclosures ADD COLUMN title")
        .expect("the migration");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        khabar::store::schema::create_at_version(&mut conn, before).unwrap();
        conn.execute_batch(
            "INSERT INTO feeds (id, url, feed_title, added_at) VALUES (1, 'https://a.example/', 'A', 0);
             INSERT INTO items (id, feed_id, identity, title, first_seen, sort_time, content_hash)
                 VALUES (1, 1, 'old', 'Old episode', 0, 0, 'h');
             INSERT INTO enclosures (item_id, position, url, mime_type, length)
                 VALUES (1, 0, 'https://a.example/old.mp3', 'audio/mpeg', 77);",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let old = store.item(1).unwrap().unwrap();
    assert_eq!(
        old.enclosures,
        [Enclosure {
            url: "https://a.example/old.mp3".to_string(),
            mime_type: Some("audio/mpeg".to_string()),
            length: Some(77),
            title: None,
            duration: None,
        }]
    );
    let mut it = item("new", None);
    it.enclosures = vec![Enclosure {
        url: "https://a.example/new.mp3".to_string(),
        title: Some("New".to_string()),
        duration: Some(61),
        ..Enclosure::default()
    }];
    store.apply_update(1, &update(vec![it]), NOW).unwrap();
    let row = store
        .items_after(&all(), None, 10)
        .unwrap()
        .into_iter()
        .find(|r| r.title != "Old episode")
        .unwrap();
    let new = store.item(row.id).unwrap().unwrap();
    assert_eq!(new.enclosures[0].title.as_deref(), Some("New"));
    assert_eq!(new.enclosures[0].duration, Some(61));
}

/// BLAKE3 of an item's fields as builds before XXH3 stored it (each field after
/// its length; no files): written out here so the old form is pinned apart from
/// the code that reads it.
fn blake3_as_stored_before(item: &ParsedItem) -> String {
    let mut hasher = blake3::Hasher::new();
    let mut field = |value: &str| {
        hasher.update(&(value.len() as u64).to_le_bytes());
        hasher.update(value.as_bytes());
    };
    field(&item.identity);
    field(&item.title);
    field(item.link.as_deref().unwrap_or(""));
    field(item.author.as_deref().unwrap_or(""));
    field(item.summary.as_deref().unwrap_or(""));
    field(item.content_html.as_deref().unwrap_or(""));
    field(&item.published.map(|p| p.to_string()).unwrap_or_default());
    field(&item.updated.map(|p| p.to_string()).unwrap_or_default());
    for category in &item.categories {
        field(category);
    }
    field("\u{1}");
    field(item.language.as_deref().unwrap_or(""));
    hasher.finalize().to_hex().to_string()
}

/// A database whose items carry the hashes an older build stored (BLAKE3):
/// the same feed again rewrites none of them, and an edited one still counts
/// as changed. Before the older form was accepted every item would be rewritten
/// after an upgrade (its `last_updated` moved, its index rows made again).
#[test]
fn hashes_stored_by_older_builds_still_match() {
    let rss = r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
        <title>خبر</title><link>https://h.example/</link>
        <item><title>یک</title><link>https://h.example/1</link><guid>h1</guid>
          <description>&lt;p&gt;متن یک&lt;/p&gt;</description><category>اقتصاد</category>
          <pubDate>Tue, 14 Nov 2023 22:13:20 GMT</pubDate></item>
        <item><title>دو</title><link>https://h.example/2</link><guid>h2</guid>
          <description>متن دو</description></item>
        </channel></rss>"#;
    let parsed = khabar::feed::parse(rss.as_bytes(), None, "https://h.example/feed").unwrap();
    assert!(
        parsed
            .items
            .iter()
            .all(|i| i.content_hash.starts_with("x3:"))
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("khabar.db");
    let feed;
    {
        let mut store = Store::open(&path).unwrap();
        feed = store
            .add_feed(&spec("https://h.example/feed", &[]))
            .unwrap();
        let mut first = update(parsed.items.clone());
        first.feed.title = parsed.title.clone();
        store.apply_update(feed, &first, NOW).unwrap();
    }
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for item in &parsed.items {
            let changed = conn
                .execute(
                    "UPDATE items SET content_hash = ?1 WHERE identity = ?2",
                    rusqlite::params![blake3_as_stored_before(item), item.identity],
                )
                .unwrap();
            assert_eq!(changed, 1);
        }
    }
    let mut store = Store::open(&path).unwrap();
    let mut again = update(parsed.items.clone());
    again.body_hash = Some("body2".to_string());
    let stats = store.apply_update(feed, &again, NOW + 60).unwrap();
    assert_eq!((stats.new_items, stats.changed_items), (0, 0));

    let mut edited = parsed.items.clone();
    edited[1].title = "دو، ویرایش‌شده".to_string();
    let edited_feed = khabar::feed::parse(
        rss.replace("<title>دو</title>", "<title>دو، ویرایش‌شده</title>")
            .as_bytes(),
        None,
        "https://h.example/feed",
    )
    .unwrap();
    edited[1].content_hash = edited_feed.items[1].content_hash.clone();
    let mut third = update(edited);
    third.body_hash = Some("body3".to_string());
    let stats = store.apply_update(feed, &third, NOW + 120).unwrap();
    assert_eq!((stats.new_items, stats.changed_items), (0, 1));
}
