//! The real binary in a pseudo-terminal (`tests/support/pty.rs`) on a database
//! prepared through the store: `/`, a Persian query typed key by key, the match
//! listed, Enter opens it, quit; the item is read in the database afterwards and
//! the other items are not. Waits have generous limits only so a broken build
//! fails instead of hanging; nothing here measures speed.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/pty.rs"]
mod pty;

use khabar::feed::{ParsedFeed, ParsedItem};
use khabar::query::parse;
use khabar::store::{FeedSpec, FeedUpdate, SearchClock, Store};
use khabar::text::Direction;
use pty::Launch;

const ROWS: u16 = 24;
const COLS: u16 = 90;

fn item(id: &str, title: &str, body: &str) -> ParsedItem {
    ParsedItem {
        identity: id.to_string(),
        title: title.to_string(),
        link: Some(format!("http://127.0.0.1/{id}")),
        content_html: Some(format!("<p>{body}</p>")),
        published: Some(1_732_000_000),
        content_hash: id.to_string(),
        ..ParsedItem::default()
    }
}

#[test]
fn a_persian_query_typed_in_the_reader_finds_opens_and_reads_an_item() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("khabar.db");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    {
        let mut store = Store::open(&db).unwrap();
        let spec = FeedSpec {
            url: "http://127.0.0.1:9/fa.xml".to_string(),
            title: Some("خبرنامه".to_string()),
            tags: vec![],
            direction: Direction::Auto,
            fulltext: false,
            enabled: true,
        };
        let id = store.add_feed(&spec).unwrap();
        let update = FeedUpdate {
            feed: ParsedFeed {
                title: Some("خبرنامه".to_string()),
                items: vec![
                    // Stored with Arabic Yeh and Kaf, found with Persian spelling.
                    item("b1", "Tehran بورس ركورد زد", "BODY-MARK شاخص بورس بالا رفت"),
                    item("b2", "Weather باران", "other"),
                    item("b3", "Sport فوتبال", "other"),
                ],
                ..ParsedFeed::default()
            },
            ..FeedUpdate::default()
        };
        store.apply_update(id, &update, 1_732_000_000).unwrap();
    }

    let mut reader = Launch::new(dir.path())
        .config_and_db(&config, &db)
        .size(COLS, ROWS)
        .start();
    reader.wait_for("All items");
    reader.keys("/");
    // Typed key by key, in Persian spelling (the title has Arabic Kaf and Yeh).
    reader.keys("رکورد");
    reader.wait_for("1/1");
    assert!(reader.screen().contains("Tehran"), "{}", reader.screen());
    assert!(
        !reader.screen().contains("Weather"),
        "only the match is listed:\n{}",
        reader.screen()
    );
    reader.keys("\r");
    reader.wait_for("BODY-MARK");
    reader.quit();

    let store = Store::open(&db).unwrap();
    let clock = SearchClock::local();
    assert_eq!(
        store.count_query(&parse("رکورد").unwrap(), clock).unwrap(),
        (0, 1)
    );
    assert_eq!(
        store.count_query(&parse("other").unwrap(), clock).unwrap(),
        (2, 2)
    );
}
