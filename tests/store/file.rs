//! The database file: migrations, refusal of newer or foreign files, concurrent writers.

use khabar::store::schema;

use super::*;

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
            "INSERT INTO items (feed_id, identity, title, first_seen, sort_time, content_hash, \
                                read, read_at, starred) \
             VALUES (1, 'x', 'old item', 5, 5, 'h', 1, 7, 1)",
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
    assert_eq!(store.schema_version().unwrap(), schema::current_version());
    let row = &store.items_after(&all(), None, 5).unwrap()[0];
    assert!(row.read && row.starred, "the marks move to item_state");
    let starred = ItemQuery {
        starred_only: true,
        ..all()
    };
    assert_eq!(store.count_items(&starred).unwrap(), 1);
    assert_eq!(store.count_items(&unread()).unwrap(), 0);
    let state: (i64, i64, Option<i64>) = store
        .connection()
        .query_row(
            "SELECT feed_id, sort_time, read_at FROM item_state WHERE item_id = ?1",
            [row.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(state, (1, 5, Some(7)));
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

/// Schema v6 moved the per-item insert work out of triggers into `apply_update`:
/// a database whose counters and tag index were built by the v5 triggers keeps
/// them right through later refreshes (new, changed, repeated items; a feed seen
/// for the first time; read marks).
#[test]
fn a_v5_database_keeps_counts_and_tags_right_through_later_refreshes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        khabar::store::schema::create_at_version(&mut conn, 5).unwrap();
        conn.execute_batch(
            "INSERT INTO feeds (url, added_at) VALUES ('https://a.example/feed', 0), \
                                                      ('https://b.example/feed', 0);
             INSERT INTO feed_tags (feed_id, tag) VALUES (1, 'news'), (1, 'fa'), (2, 'tech');
             INSERT INTO items (feed_id, identity, title, first_seen, sort_time, content_hash, read) \
             VALUES (1, 'a0', 'old a0', 5, 5, 'h', 1), (1, 'a1', 'old a1', 6, 6, 'h', 0), \
                    (2, 'b0', 'old b0', 7, 7, 'h', 0);
             INSERT INTO item_categories (item_id, tag) \
             VALUES (1, 'news'), (2, 'اقتصاد'), (3, 'sport');",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::current_version());
    assert_derived_data_consistent(&store);
    let feeds = store.feeds().unwrap();
    assert_eq!((feeds[0].unread, feeds[0].total), (1, 2));

    // Both old items changed (a1 trades its category for a feed tag and another),
    // two new ones, one of them categorised with a feed tag.
    let mut items: Vec<_> = ["a0", "a1", "a2", "a3"]
        .iter()
        .enumerate()
        .map(|(n, id)| item(id, Some(NOW - n as i64 * 60)))
        .collect();
    items[1].categories = vec!["tech".into(), "news".into()];
    items[2].categories = vec!["news".into(), "sport".into()];
    let stats = store.apply_update(1, &update(items), NOW).unwrap();
    assert_eq!((stats.new_items, stats.changed_items), (2, 2));

    // A feed seen for the first time whose document repeats identities: c0 again
    // with other content and categories (rewritten), c1 again unchanged.
    let c = store
        .add_feed(&spec("https://c.example/feed", &["news", "sport"]))
        .unwrap();
    let mut items = vec![
        item("c0", Some(NOW)),
        item("c1", None),
        item("c0", Some(NOW - 5)),
        item("c1", None),
    ];
    items[0].categories = vec!["sport".into(), "x".into()];
    items[2].categories = vec!["x".into(), "news".into()];
    items[2].content_hash = "changed".into();
    let stats = store.apply_update(c, &update(items), NOW).unwrap();
    assert_eq!((stats.new_items, stats.changed_items), (2, 1));
    assert_eq!(store.count_items(&all()).unwrap(), 7);

    let b0 = store
        .items_after(
            &ItemQuery {
                feed: Some(2),
                ..all()
            },
            None,
            1,
        )
        .unwrap()[0]
        .id;
    let newest = store.items_after(&all(), None, 1).unwrap()[0].id;
    store.set_read(&[b0, newest], true, NOW).unwrap();
    store.set_starred(&[newest], true, NOW).unwrap();
    assert_eq!(store.unread_count().unwrap(), 7 - 3);
    assert_derived_data_consistent(&store);
    assert_counts_match_lists(
        &store,
        &["news", "fa", "tech", "sport", "اقتصاد", "x"],
        &[1, 2, c],
    );
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
        Err(StoreError::TooNew { found, known, .. }) => {
            assert_eq!((found, known), (99, schema::current_version()))
        }
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
        assert_eq!(store.schema_version().unwrap(), schema::current_version());
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

/// Regression: the CLI prints the error chain (`{:#}`), which said "file is not a
/// database" three times.
#[test]
fn open_error_chain_says_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("khabar.db");
    std::fs::write(&path, b"not a database\n".repeat(100)).unwrap();
    let Err(error) = Store::open(&path) else {
        panic!("garbage opened as a database");
    };
    let chain = format!("{:#}", anyhow::Error::from(error));
    assert_eq!(chain.matches("not a database").count(), 1, "{chain}");
}

/// A reader of the version before `item_state`, left running while a new
/// khabar upgraded the file, refreshes: it inserts items (and counts them
/// unread) without state rows. The next open gives them one, so they are
/// listed and the counts agree with the lists.
#[test]
fn items_an_older_khabar_wrote_after_the_upgrade_get_their_state_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let mut store = Store::open(&path).unwrap();
    // No feed tags: the older khabar's tag index rows are not the point here.
    let feed = feed_with_items(&mut store, "https://a.example/feed", &[], 3);
    let newest = store.items_after(&all(), None, 1).unwrap()[0].id;
    store.set_read(&[newest], true, NOW).unwrap();
    drop(store);
    {
        // What the older khabar's refresh writes for a new item.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO items (feed_id, identity, title, first_seen, sort_time, content_hash, \
                                last_updated) VALUES ({feed}, 'late', 'late item', {NOW}, {NOW}, 'h', {NOW});
             UPDATE feeds SET total_count = total_count + 1, unread_count = unread_count + 1 \
              WHERE id = {feed};"
        ))
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let titles: Vec<_> = store
        .items_after(&unread(), None, 10)
        .unwrap()
        .into_iter()
        .map(|row| row.title)
        .collect();
    assert!(titles.contains(&"late item".to_string()), "{titles:?}");
    assert_eq!(titles.len(), 3);
    assert_eq!(store.count_items(&unread()).unwrap(), 3);
    assert_eq!(store.count_items(&all()).unwrap(), 4);
    assert_derived_data_consistent(&store);
}
