//! The index never disagrees with the items: written in the same transaction,
//! rewritten with a changed item, dropped with a removed one, extended by a full
//! text, and built (with progress) for a database from before the index.

use khabar::store::{CleanupPolicy, ItemId, schema};
use rusqlite::Connection;

use super::*;

#[test]
fn a_changed_item_is_found_by_its_new_words_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let id = feed(
        &mut store,
        "https://a.example/rss",
        &[],
        vec![item("1", "قیمت طلا", "old words", 1)],
    );
    assert_eq!(found(&store, "old"), ["قیمت طلا"]);
    let mut changed = item("1", "قیمت سکه", "new words", 1);
    changed.content_hash = "changed".to_string();
    store
        .apply_update(id, &update("Feed", vec![changed]), NOW)
        .unwrap();
    assert!(found(&store, "old").is_empty());
    assert!(found(&store, "طلا").is_empty());
    assert_eq!(found(&store, "new سکه"), ["قیمت سکه"]);
}

#[test]
fn removed_items_leave_the_index_with_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    feed(
        &mut store,
        "https://a.example/rss",
        &[],
        vec![item("1", "kept forever", "x", 1)],
    );
    let old = feed(
        &mut store,
        "https://b.example/rss",
        &[],
        vec![item("2", "old read news", "x", 400)],
    );
    let gone = store.search(&parse("old").unwrap(), CLOCK, 10).unwrap();
    store
        .set_read(&[gone[0].id], true, NOW - 300 * DAY)
        .unwrap();
    store
        .cleanup(CleanupPolicy { keep_read_days: 30 }, NOW)
        .unwrap();
    assert!(found(&store, "old").is_empty());
    feed(
        &mut store,
        "https://c.example/rss",
        &[],
        vec![item("3", "doomed feed item", "x", 1)],
    );
    store.remove_feed("https://c.example/rss").unwrap();
    assert!(found(&store, "doomed").is_empty());
    assert_eq!(found(&store, "kept"), ["kept forever"]);
    // Nothing of them remains in the index: ids reused by new items start clean.
    let conn = Connection::open(dir.path().join("khabar.db")).unwrap();
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM item_search_docsize", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
    let _ = old;
}

#[test]
fn a_full_text_fetched_later_becomes_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    feed(
        &mut store,
        "https://a.example/rss",
        &[],
        vec![item("1", "headline", "short", 1)],
    );
    let id = store.search(&parse("headline").unwrap(), CLOCK, 1).unwrap()[0].id;
    store
        .set_fulltext(id, Some("<article><p>پاراگراف کامل مقاله</p></article>"))
        .unwrap();
    assert_eq!(found(&store, "مقاله"), ["headline"]);
    assert_eq!(found(&store, "short"), ["headline"]);
}

/// One feed of items titled `titles`, each with the text "short"; their ids.
fn short_items<const N: usize>(store: &mut Store, titles: [&str; N]) -> [ItemId; N] {
    let items = (1..)
        .zip(titles)
        .map(|(n, title)| item(&n.to_string(), title, "short", n))
        .collect();
    feed(store, "https://a.example/rss", &[], items);
    titles.map(|title| store.search(&parse(title).unwrap(), CLOCK, 1).unwrap()[0].id)
}

/// The refresh's page writer stores the pages that queued up while it wrote in
/// one transaction: each article is kept and indexed as if written alone, and a
/// failed page beside them is recorded without touching the others.
#[test]
fn pages_stored_together_are_each_found_by_their_own_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let [first, second, third] = short_items(&mut store, ["first", "second", "third"]);
    store
        .set_fulltext_results(
            [
                (first, Ok("<article><p>کتابخانه ملی</p></article>")),
                (second, Err("HTTP 404")),
                (third, Ok("<article><p>بازار سرمایه</p></article>")),
            ],
            NOW,
        )
        .unwrap();
    assert_eq!(found(&store, "کتابخانه"), ["first"]);
    assert_eq!(found(&store, "سرمایه"), ["third"]);
    let mut short = found(&store, "short");
    short.sort();
    assert_eq!(short, ["first", "second", "third"]);
    let failed = store.fulltext_status(second).unwrap().unwrap();
    assert_eq!((failed.html, failed.attempts), (None, 1));
    assert_eq!(failed.error.as_deref(), Some("HTTP 404"));
}

/// The index's segments (FTS5's b-trees of terms, merged in the background):
/// the distinct segment ids among its data rows. SQLite's fts5_index.c puts a
/// segment's id above bit 37 of its pages' row ids (`fts5_dri`), and its
/// tombstone pages' at the segment id plus 2^16 (`FTS5_TOMBSTONE_ROWID`),
/// which are not counted.
fn index_segments(conn: &Connection) -> i64 {
    conn.query_row(
        "SELECT COUNT(DISTINCT id >> 37) FROM item_search_data \
         WHERE id >> 37 BETWEEN 1 AND 65535",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// Pages stored together, in whatever order they arrived, go to the index as
/// one new segment: FTS5 flushes what it holds whenever a row id goes back, so
/// writing them in arrival order made a segment per page for FTS5 to merge
/// again (BENCHMARKS.md, issue 10).
#[test]
fn pages_stored_together_in_any_order_make_one_index_segment() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let ids = short_items(&mut store, ["one", "two", "three", "four", "five", "six"]);
    let conn = Connection::open(dir.path().join("khabar.db")).unwrap();
    // No merging, so every flush stays a segment of its own.
    conn.execute(
        "INSERT INTO item_search (item_search, rank) VALUES ('automerge', 0)",
        [],
    )
    .unwrap();
    let before = index_segments(&conn);
    let pages = [
        "<article><p>زرافه</p></article>",
        "<article><p>پلنگ</p></article>",
        "<article><p>گورخر</p></article>",
        "<article><p>کرگدن</p></article>",
        "<article><p>شتر</p></article>",
        "<article><p>آهو</p></article>",
    ];
    let arrived = [ids[3], ids[5], ids[0], ids[4], ids[2], ids[1], ids[3]];
    let results: Vec<_> = arrived
        .iter()
        .map(|id| {
            let at = ids.iter().position(|i| i == id).unwrap();
            (*id, Ok(pages[at]))
        })
        .collect();
    store.set_fulltext_results(results, NOW).unwrap();
    assert_eq!(index_segments(&conn), before + 1);
    for (title, word) in ["one", "two", "three", "four", "five", "six"].iter().zip([
        "زرافه",
        "پلنگ",
        "گورخر",
        "کرگدن",
        "شتر",
        "آهو",
    ]) {
        assert_eq!(found(&store, word), [*title]);
        assert!(found(&store, "short").contains(&title.to_string()));
    }
}

/// A refresh that changes many of a feed's items (and brings a new one) writes
/// the feed's index rows as one new segment: in feed order, newest first, each
/// changed item's row went back in rowid order and FTS5 flushed a segment for
/// it, which its merges then paid for again (BENCHMARKS.md, issue 9).
#[test]
fn a_refresh_that_changes_every_item_adds_one_index_segment() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let first: Vec<_> = (1..=6)
        .rev()
        .map(|n| item(&n.to_string(), &format!("story {n}"), "old words", n))
        .collect();
    let id = feed(&mut store, "https://a.example/rss", &["tag"], first);
    let conn = Connection::open(dir.path().join("khabar.db")).unwrap();
    conn.execute(
        "INSERT INTO item_search (item_search, rank) VALUES ('automerge', 0)",
        [],
    )
    .unwrap();
    let before = index_segments(&conn);
    let mut changed = vec![item("7", "story 7", "brand new", 0)];
    changed.extend((1..=6).rev().map(|n| {
        let mut edited = item(&n.to_string(), &format!("story {n}"), "edited words", n);
        edited.content_hash = format!("edited {n}");
        edited
    }));
    store
        .apply_update(id, &update("Feed", changed), NOW)
        .unwrap();
    assert_eq!(index_segments(&conn), before + 1);
    assert!(found(&store, "old").is_empty());
    assert_eq!(found(&store, "edited").len(), 6);
    assert_eq!(found(&store, "brand"), ["story 7"]);
    assert_eq!(found(&store, "tag story").len(), 7);
}

/// The page writer remembers the words it stored, so that the next pages need
/// not store them again; the words of a write that failed are not remembered,
/// so the next write stores them and a prefix finds them.
#[test]
fn a_word_of_a_failed_page_write_is_stored_by_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let [first, second] = short_items(&mut store, ["first", "second"]);
    // The second page's write fails after the first page was indexed.
    store
        .connection()
        .execute_batch(&format!(
            "CREATE TEMP TRIGGER fail BEFORE UPDATE ON item_content WHEN NEW.item_id = {second} \
             BEGIN SELECT RAISE(ABORT, 'disk full'); END;"
        ))
        .unwrap();
    let failed = store.set_fulltext_results(
        [
            (first, Ok("<article><p>زرافه‌ها</p></article>")),
            (second, Ok("<article><p>x</p></article>")),
        ],
        NOW,
    );
    assert!(failed.is_err());
    store
        .connection()
        .execute_batch("DROP TRIGGER fail")
        .unwrap();
    assert!(found(&store, "زراف").is_empty());

    store
        .set_fulltext_results([(first, Ok("<article><p>زرافه‌ها</p></article>"))], NOW)
        .unwrap();
    assert_eq!(found(&store, "زراف"), ["first"]);
    // A remembered word on the next page, beside a new one.
    store
        .set_fulltext_results(
            [(second, Ok("<article><p>زرافه‌ها و گورخرها</p></article>"))],
            NOW,
        )
        .unwrap();
    let mut both = found(&store, "زراف");
    both.sort();
    assert_eq!(both, ["first", "second"]);
    assert_eq!(found(&store, "گورخ"), ["second"]);
}

#[test]
fn a_database_from_before_the_index_gets_it_built_with_progress() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("khabar.db");
    let before = schema::version_before("item_search").expect("the search migration");
    {
        let mut conn = Connection::open(&path).unwrap();
        schema::create_at_version(&mut conn, before).unwrap();
        let conn = conn.transaction().unwrap();
        conn.execute(
            "INSERT INTO feeds (id, url, feed_title, added_at) VALUES (1, 'https://a.example/', 'خبرگزاری', 0)",
            [],
        )
        .unwrap();
        for i in 0..2_500 {
            conn.execute(
                "INSERT INTO items (id, feed_id, identity, title, first_seen, sort_time, content_hash) \
                 VALUES (?1, 1, ?1, ?2, 0, ?1, 'h')",
                rusqlite::params![i + 1, format!("عنوان شماره {i}")],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO item_content (item_id, content_html) VALUES (?1, '<p>متن كامل</p>')",
                [i + 1],
            )
            .unwrap();
        }
        conn.commit().unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.search_backlog().unwrap(), 2_500);
    let mut seen = Vec::new();
    let built = store
        .build_search_index(|done, total| seen.push((done, total)))
        .unwrap();
    assert_eq!(built, 2_500);
    assert_eq!(seen.last(), Some(&(2_500, 2_500)));
    assert!(seen.len() >= 2, "progress is reported per batch: {seen:?}");
    assert_eq!(store.search_backlog().unwrap(), 0);
    let query = parse("کامل خبرگزاری").unwrap();
    assert_eq!(store.count_query(&query, CLOCK).unwrap(), (2_500, 2_500));
    assert_eq!(found(&store, "\"شماره 7\"").len(), 1);
}

#[test]
fn tag_counts_follow_new_items_reads_rewrites_removals_and_feed_tags() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let mut a = item("a", "one", "", 1);
    a.categories = vec!["فناوري".to_string(), "اقتصاد".to_string()];
    let mut b = item("b", "two", "", 2);
    b.categories = vec!["فناوری".to_string()];
    let fa = feed(
        &mut store,
        "https://a.example/rss",
        &["اقتصاد"],
        vec![a.clone(), b, item("c", "three", "", 3)],
    );
    let totals = |store: &Store| -> Vec<(String, u64, u64)> {
        store
            .tag_totals()
            .unwrap()
            .into_iter()
            .map(|t| (t.name, t.unread, t.total))
            .collect()
    };
    assert_eq!(
        totals(&store),
        [("اقتصاد".to_string(), 3, 3), ("فناوري".to_string(), 2, 2)]
    );
    counts_match_lists(&store, dir.path(), fa);
    let one = store.search(&parse("one").unwrap(), CLOCK, 1).unwrap()[0].id;
    store.set_read(&[one], true, NOW).unwrap();
    assert_eq!(
        totals(&store),
        [("اقتصاد".to_string(), 2, 3), ("فناوري".to_string(), 1, 2)]
    );
    counts_match_lists(&store, dir.path(), fa);
    // The item drops a category.
    a.categories = vec!["اقتصاد".to_string()];
    a.content_hash = "changed".to_string();
    store
        .apply_update(fa, &update("Feed", vec![a]), NOW)
        .unwrap();
    assert_eq!(
        totals(&store),
        [("اقتصاد".to_string(), 2, 3), ("فناوری".to_string(), 1, 1)]
    );
    counts_match_lists(&store, dir.path(), fa);
    // The feed loses its tag: only items with the category keep it.
    store
        .sync_config_feeds(&[spec("https://a.example/rss", None, &["ورزش"])])
        .unwrap();
    assert_eq!(
        totals(&store),
        [
            ("ورزش".to_string(), 2, 3),
            ("فناوری".to_string(), 1, 1),
            ("اقتصاد".to_string(), 0, 1)
        ]
    );
    counts_match_lists(&store, dir.path(), fa);
    // The tag picker's counts agree with the query language's.
    for (name, unread, total) in totals(&store) {
        let q = parse(&format!("tag:\"{name}\"")).unwrap();
        assert_eq!(
            store.count_query(&q, CLOCK).unwrap(),
            (unread, total),
            "{name}"
        );
    }
    // A disabled feed's items count under no tag, and again once it is enabled.
    let before = totals(&store);
    let mut disabled = spec("https://a.example/rss", None, &["ورزش"]);
    disabled.enabled = false;
    store.sync_config_feeds(&[disabled]).unwrap();
    assert!(totals(&store).is_empty());
    store
        .sync_config_feeds(&[spec("https://a.example/rss", None, &["ورزش"])])
        .unwrap();
    assert_eq!(totals(&store), before);
    store.remove_feed("https://a.example/rss").unwrap();
    assert!(totals(&store).is_empty());
}

/// The counts the reader shows for a tag (`count_items`, from the per-feed tag
/// counters) are the rows its list holds, for every tag, unread or all, of
/// every feed and of one.
fn counts_match_lists(store: &Store, dir: &Path, feed: khabar::store::FeedId) {
    let tags: Vec<String> = {
        let conn = Connection::open(dir.join("khabar.db")).unwrap();
        let mut stmt = conn
            .prepare("SELECT DISTINCT tag FROM tag_items UNION SELECT tag FROM feed_tags")
            .unwrap();
        stmt.query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert!(!tags.is_empty());
    for tag in &tags {
        for unread_only in [false, true] {
            for feed in [None, Some(feed)] {
                let query = khabar::store::ItemQuery {
                    feed,
                    tag: Some(tag.clone()),
                    unread_only,
                    starred_only: false,
                };
                let listed = store.items_after(&query, None, 100_000).unwrap().len() as u64;
                assert_eq!(
                    store.count_items(&query).unwrap(),
                    listed,
                    "{tag} unread_only={unread_only} feed={feed:?}"
                );
            }
        }
    }
}

/// A query's count (the reader's view and search totals) is what its list
/// holds, for queries whose count is led by their tags (an item under two of
/// the tags counted once, a tag with two spellings, a tag nobody has, a
/// disabled feed's items), by `is:starred` or, once few items are unread, by
/// `is:unread` (whose pages then walk the unread items), and for the ones
/// around them that are not.
#[test]
fn a_query_counts_what_its_list_holds() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let mut a1 = item("a1", "one", "alpha", 1);
    a1.categories = vec!["فناوري".to_string()];
    let mut a2 = item("a2", "two", "beta", 2);
    a2.categories = vec!["ورزش".to_string()];
    let a3 = item("a3", "three", "gamma", 9);
    feed(
        &mut store,
        "https://a.example/rss",
        &["اقتصاد"],
        vec![a1, a2, a3],
    );
    let mut b1 = item("b1", "four", "alpha", 3);
    b1.categories = vec!["اقتصاد".to_string()];
    let b2 = item("b2", "five", "delta", 4);
    feed(
        &mut store,
        "https://b.example/rss",
        &["فناوری"],
        vec![b1, b2],
    );
    feed(
        &mut store,
        "https://c.example/rss",
        &["اقتصاد", "ورزش"],
        vec![item("c1", "six", "alpha", 1)],
    );
    let mut off = spec("https://c.example/rss", None, &["اقتصاد", "ورزش"]);
    off.enabled = false;
    store
        .sync_config_feeds(&[
            spec("https://a.example/rss", None, &["اقتصاد"]),
            spec("https://b.example/rss", None, &["فناوری"]),
            off,
        ])
        .unwrap();
    let one = store.search(&parse("one").unwrap(), CLOCK, 1).unwrap()[0].id;
    store.set_read(&[one], true, NOW).unwrap();
    let four = store.search(&parse("four").unwrap(), CLOCK, 1).unwrap()[0].id;
    store.set_starred(&[four], true, NOW).unwrap();
    // The disabled feed's item, starred: it counts under no query.
    let six = Connection::open(dir.path().join("khabar.db"))
        .unwrap()
        .query_row("SELECT id FROM items WHERE title = 'six'", [], |row| {
            row.get(0)
        })
        .unwrap();
    store.set_starred(&[six], true, NOW).unwrap();
    let expected = [
        ("tag:اقتصاد", 4),
        ("tag:اقتصاد or tag:فناوری", 5),
        ("tag:اقتصاد or tag:فناوری is:unread", 4),
        ("is:unread (tag:فناوری or tag:ورزش or tag:اقتصاد)", 4),
        ("tag:ورزش or tag:missing", 1),
        ("tag:missing", 0),
        ("tag:missing or tag:nothing", 0),
        ("(tag:اقتصاد or tag:ورزش) tag:فناوری", 2),
        ("tag:اقتصاد -tag:فناوری", 2),
        ("tag:اقتصاد tag:ورزش", 1),
        ("tag:اقتصاد or alpha", 4),
        ("tag:فناوری feed:b.example", 2),
        ("tag:اقتصاد after:2d", 2),
        ("is:starred or tag:ورزش", 2),
        ("alpha tag:اقتصاد", 2),
        ("is:starred", 1),
        ("tag:ورزش or is:starred", 2),
        ("tag:فناوری is:starred", 1),
        ("is:starred tag:ورزش", 0),
        ("is:starred -tag:اقتصاد", 0),
        ("is:starred alpha", 1),
    ];
    let counts_match_list = |store: &Store, text: &str| -> usize {
        let query = parse(text).unwrap();
        let list = store.query_items_after(&query, CLOCK, None, 100).unwrap();
        let unread = list.iter().filter(|row| !row.read).count() as u64;
        assert_eq!(
            store.count_query(&query, CLOCK).unwrap(),
            (unread, list.len() as u64),
            "{text}: the count"
        );
        list.len()
    };
    for (text, total) in expected {
        assert_eq!(counts_match_list(&store, text), total, "{text}: the list");
    }
    // Few unread (2 of 45 enabled items): a count with `is:unread` starts from
    // the unread items instead.
    let filler = (0..40)
        .map(|n| item(&format!("d{n}"), &format!("filler {n}"), "omega", 5))
        .collect();
    feed(&mut store, "https://d.example/rss", &[], filler);
    let unread_only = [
        ("is:unread", 2),
        ("tag:اقتصاد or tag:فناوری is:unread", 2),
        ("is:unread tag:ورزش", 0),
        ("is:unread -tag:اقتصاد", 1),
        ("is:unread is:starred", 1),
        ("is:unread or tag:ورزش", 3),
        ("is:unread feed:b.example", 2),
    ];
    let mut read = Vec::new();
    for text in ["omega", "two", "three"] {
        read.extend(
            store
                .search(&parse(text).unwrap(), CLOCK, 100)
                .unwrap()
                .iter()
                .map(|row| row.id),
        );
    }
    store.set_read(&read, true, NOW).unwrap();
    for (text, total) in expected {
        let listed = counts_match_list(&store, text);
        // Only the unread among them changed.
        if !text.contains("is:unread") {
            assert_eq!(listed, total, "{text}: the list, few unread");
        }
    }
    for (text, total) in unread_only {
        assert_eq!(counts_match_list(&store, text), total, "{text}: the list");
    }
    // With few unread a list of unread items walks the unread ones only: the
    // same rows as the items' own walk, page by page in both directions.
    let ids = |rows: Vec<khabar::store::ItemRow>| -> Vec<ItemId> {
        rows.into_iter().map(|row| row.id).collect()
    };
    for (with_unread, without) in [
        ("is:unread", "-tag:nothing"),
        (
            "tag:اقتصاد or tag:فناوری is:unread",
            "tag:اقتصاد or tag:فناوری",
        ),
        ("is:unread -tag:اقتصاد", "-tag:اقتصاد"),
        ("is:unread feed:b.example", "feed:b.example"),
    ] {
        let all = store
            .query_items_after(&parse(without).unwrap(), CLOCK, None, 100)
            .unwrap();
        let expected: Vec<ItemId> = all.iter().filter(|r| !r.read).map(|r| r.id).collect();
        let query = parse(with_unread).unwrap();
        assert_eq!(
            ids(store.query_items_after(&query, CLOCK, None, 100).unwrap()),
            expected,
            "{with_unread}"
        );
        let mut paged = Vec::new();
        let mut after = None;
        // Bounded: a cursor that does not move must fail, not loop.
        while paged.len() <= expected.len()
            && let Some(row) = store
                .query_items_after(&query, CLOCK, after, 1)
                .unwrap()
                .pop()
        {
            after = Some(row.cursor());
            paged.push(row);
        }
        assert_eq!(ids(paged.clone()), expected, "{with_unread}: pages of one");
        if let Some(last) = paged.last() {
            let before = store
                .query_items_before(&query, CLOCK, last.cursor(), 100)
                .unwrap();
            assert_eq!(
                ids(before),
                expected[..expected.len() - 1],
                "{with_unread}: up"
            );
        }
    }
}

/// Whether few items are unread (which picks the plan of `is:unread` counts
/// and pages) is kept between calls, and follows every write: another
/// connection's (a refresh, another reader) and the connection's own.
#[test]
fn the_share_of_unread_items_follows_every_connection() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let items = (0..20)
        .map(|n| item(&format!("u{n}"), &format!("item {n}"), "body", 1))
        .collect();
    feed(&mut store, "https://u.example/rss", &[], items);
    assert!(!store.unread_is_few().unwrap(), "every item unread");
    let ids: Vec<ItemId> = store
        .query_items_after(&parse("body").unwrap(), CLOCK, None, 100)
        .unwrap()
        .iter()
        .map(|row| row.id)
        .collect();
    assert_eq!(ids.len(), 20);
    // Asked again with nothing changed: the same answer.
    assert!(!store.unread_is_few().unwrap());

    // Another connection reads all but one: 1 of 20 unread.
    let mut other = open(dir.path());
    other.set_read(&ids[1..], true, NOW).unwrap();
    assert!(
        store.unread_is_few().unwrap(),
        "after another connection's marks"
    );

    // This connection marks them unread again itself.
    store.set_read(&ids[1..], false, NOW).unwrap();
    assert!(!store.unread_is_few().unwrap(), "after its own marks");

    // Another connection adds items, all read but the new ones.
    other.set_read(&ids, true, NOW).unwrap();
    assert!(store.unread_is_few().unwrap());
    let more = (0..20)
        .map(|n| item(&format!("v{n}"), &format!("more {n}"), "fresh", 1))
        .collect();
    feed(&mut other, "https://v.example/rss", &[], more);
    assert!(
        !store.unread_is_few().unwrap(),
        "after another connection's items"
    );
}
