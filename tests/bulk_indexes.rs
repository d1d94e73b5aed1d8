//! A first refresh into an empty database drops the secondary indexes of `items`
//! and `tag_items` and builds them once at the end (`store/bulk.rs`). These tests
//! check that lists, counts and tags give the same answers while they are off,
//! that exactly the same indexes come back, that a database with items is never
//! touched, that a refresh that died leaves them to the next `Store::open`, and
//! that the real binary's first refresh leaves every index in place.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;

use khabar::feed::{ParsedFeed, ParsedItem};
use khabar::store::{FeedId, FeedSpec, FeedUpdate, ItemQuery, Store};
use khabar::text::Direction;

const NOW: i64 = 1_700_000_000;

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

fn feed(prefix: &str, n: usize) -> ParsedFeed {
    let items = (0..n)
        .map(|i| ParsedItem {
            identity: format!("{prefix}-{i}"),
            title: format!("{prefix} کتاب {i}"),
            content_html: Some(format!("<p>bank {i} می‌خواهم</p>")),
            published: Some(NOW - 60 * (i as i64 * 7 % 50)),
            categories: if i % 3 == 0 {
                vec!["اقتصاد".to_string()]
            } else {
                vec![]
            },
            content_hash: format!("{prefix}-{i}-hash"),
            ..ParsedItem::default()
        })
        .collect();
    ParsedFeed {
        title: Some(format!("{prefix} feed")),
        items,
        ..ParsedFeed::default()
    }
}

/// Every index of the database: (name, SQL).
fn indexes(store: &Store) -> Vec<(String, Option<String>)> {
    indexes_of(store.connection())
}

fn indexes_of(conn: &rusqlite::Connection) -> Vec<(String, Option<String>)> {
    conn.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn pending(store: &Store) -> i64 {
    pending_of(store.connection())
}

fn pending_of(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT COUNT(*) FROM deferred_indexes", [], |row| {
        row.get(0)
    })
    .unwrap()
}

/// What a reader sees: lists of every scope, counts, tags, a search.
fn answers(store: &Store, feeds: &[FeedId]) -> Vec<String> {
    let mut out = Vec::new();
    let mut scopes = vec![ItemQuery::default()];
    for unread_only in [false, true] {
        scopes.push(ItemQuery {
            unread_only,
            tag: Some("اقتصاد".to_string()),
            ..ItemQuery::default()
        });
        scopes.push(ItemQuery {
            unread_only,
            tag: Some("news".to_string()),
            ..ItemQuery::default()
        });
        for feed in feeds {
            scopes.push(ItemQuery {
                unread_only,
                feed: Some(*feed),
                ..ItemQuery::default()
            });
        }
    }
    for query in &scopes {
        let rows = store.items_after(query, None, 1_000).unwrap();
        let ids: Vec<_> = rows.iter().map(|r| (r.id, r.title.clone())).collect();
        out.push(format!("{query:?}: {ids:?}"));
        out.push(format!("count {:?}", store.count_items(query).unwrap()));
    }
    out.push(format!("tags {:?}", store.tag_totals().unwrap()));
    out.push(format!("unread {}", store.unread_count().unwrap()));
    let query = khabar::query::parse("کتاب bank").unwrap();
    let found = store
        .search(&query, khabar::store::SearchClock::local(), 100)
        .unwrap();
    out.push(format!("search {found:?}"));
    out
}

fn fill(store: &mut Store) -> Vec<FeedId> {
    let a = store
        .add_feed(&spec("https://a.example/feed", &["News"]))
        .unwrap();
    let b = store
        .add_feed(&spec("https://b.example/feed", &["اقتصاد"]))
        .unwrap();
    let c = store
        .add_feed(&spec("https://c.example/feed", &[]))
        .unwrap();
    let updates: Vec<FeedUpdate> = [feed("a", 40), feed("b", 25), feed("c", 30)]
        .into_iter()
        .map(|feed| FeedUpdate {
            feed,
            ..FeedUpdate::default()
        })
        .collect();
    let ids = [a, b, c];
    let batch: Vec<(FeedId, &FeedUpdate)> = ids.iter().copied().zip(updates.iter()).collect();
    for result in store.apply_updates(&batch, NOW) {
        result.unwrap();
    }
    ids.to_vec()
}

fn open(dir: &Path, name: &str) -> Store {
    Store::open(&dir.join(name)).unwrap()
}

#[test]
fn deferred_indexes_give_the_same_answers_and_come_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let mut plain = open(dir.path(), "plain.db");
    let mut bulk = open(dir.path(), "bulk.db");
    let before = indexes(&bulk);

    let dropped = bulk.defer_indexes_if_empty().unwrap();
    assert!(dropped >= 5, "only {dropped} indexes deferred");
    assert_eq!(pending(&bulk), dropped as i64);
    assert_eq!(indexes(&bulk).len(), before.len() - dropped);
    // Unique indexes and keys stay: no constraint is ever off.
    for (name, sql) in &before {
        if sql.is_none()
            || sql
                .as_deref()
                .is_some_and(|s| s.starts_with("CREATE UNIQUE"))
        {
            assert!(
                indexes(&bulk).iter().any(|(n, _)| n == name),
                "{name} dropped"
            );
        }
    }

    let feeds = fill(&mut plain);
    assert_eq!(fill(&mut bulk), feeds);
    // Between the commits of a first refresh: the same answers, only slower.
    assert_eq!(answers(&bulk, &feeds), answers(&plain, &feeds));

    assert_eq!(bulk.build_deferred_indexes().unwrap(), dropped);
    assert_eq!(indexes(&bulk), before);
    assert_eq!(pending(&bulk), 0);
    assert_eq!(answers(&bulk, &feeds), answers(&plain, &feeds));
    assert_eq!(bulk.build_deferred_indexes().unwrap(), 0);
}

#[test]
fn a_database_with_items_keeps_its_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path(), "k.db");
    fill(&mut store);
    let before = indexes(&store);
    assert_eq!(store.defer_indexes_if_empty().unwrap(), 0);
    assert_eq!(indexes(&store), before);
    assert_eq!(pending(&store), 0);
}

#[test]
fn a_refresh_that_died_leaves_its_indexes_to_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let before = {
        let mut store = open(dir.path(), "k.db");
        let before = indexes(&store);
        assert!(store.defer_indexes_if_empty().unwrap() > 0);
        fill(&mut store);
        before
        // Dropped without building them: the refresh died here.
    };
    let store = open(dir.path(), "k.db");
    assert_eq!(indexes(&store), before);
    assert_eq!(pending(&store), 0);
}

#[test]
fn the_first_refresh_of_the_binary_leaves_every_index() {
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    std::fs::create_dir(&feeds).unwrap();
    let mut config = String::new();
    for n in 0..3 {
        let mut xml =
            String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>");
        for i in 0..20 {
            xml.push_str(&format!(
                "<item><title>خبر {n} {i}</title><guid>g{n}-{i}</guid>\
                 <category>اقتصاد</category>\
                 <description>&lt;p&gt;bank {i}&lt;/p&gt;</description></item>"
            ));
        }
        xml.push_str("</channel></rss>");
        let path = feeds.join(format!("f{n}.xml"));
        std::fs::write(&path, xml).unwrap();
        config.push_str(&format!(
            "[[feed]]\nurl = \"file://{}\"\ntags = [\"news\"]\n\n",
            path.display()
        ));
    }
    let config_path = dir.path().join("config.toml");
    std::fs::write(&config_path, config).unwrap();
    let db = dir.path().join("k.db");
    let expected = indexes(&open(dir.path(), "fresh.db"));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_khabar"))
        .arg("--config")
        .arg(&config_path)
        .arg("--db")
        .arg(&db)
        .args(["refresh", "--quiet"])
        .status()
        .unwrap();
    assert!(status.success());
    // Looked at without `Store::open`, which would build what was left.
    let conn = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(pending_of(&conn), 0);
    assert_eq!(indexes_of(&conn), expected);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.unread_count().unwrap(), 60);
    // The list query pages through its index again.
    let plan = khabar::store::explain_page(store.connection(), &ItemQuery::default(), true, None)
        .unwrap()
        .join("\n");
    assert!(plan.contains("items_by_time"), "{plan}");
}
