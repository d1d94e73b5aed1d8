//! The real binary in a pseudo-terminal (portable-pty + vt100) on a database
//! prepared through the store: `/`, a Persian query typed key by key, the match
//! listed, Enter opens it, quit; the item is read in the database afterwards and
//! the other items are not. Waits have generous limits only so a broken build
//! fails instead of hanging; nothing here measures speed.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use khabar::feed::{ParsedFeed, ParsedItem};
use khabar::query::parse;
use khabar::store::{FeedSpec, FeedUpdate, SearchClock, Store};
use khabar::text::Direction;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 24;
const COLS: u16 = 90;
const PATIENCE: Duration = Duration::from_secs(30);

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

    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_khabar"));
    cmd.args([
        "--config".as_ref(),
        config.as_os_str(),
        "--db".as_ref(),
        db.as_os_str(),
    ]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", dir.path());
    cmd.env("XDG_CONFIG_HOME", dir.path().join("xdg-config"));
    cmd.env("XDG_DATA_HOME", dir.path().join("xdg-data"));
    cmd.env("XDG_STATE_HOME", dir.path().join("xdg-state"));
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let mut writer = pty.master.take_writer().unwrap();
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZeroU16::new(ROWS).unwrap(),
        std::num::NonZeroU16::new(COLS).unwrap(),
        0,
    )));
    let sink = parser.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().process(&buf[..n]);
        }
    });
    let screen = || parser.lock().unwrap().screen().contents();
    let wait_for = |text: &str| {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} never appeared; screen:\n{}", screen());
    };
    let mut keys = |text: &str| {
        for c in text.chars() {
            let mut b = [0u8; 4];
            writer.write_all(c.encode_utf8(&mut b).as_bytes()).unwrap();
            writer.flush().unwrap();
            std::thread::sleep(Duration::from_millis(60));
        }
    };

    wait_for("All items");
    keys("/");
    // Typed key by key, in Persian spelling (the title has Arabic Kaf and Yeh).
    keys("رکورد");
    wait_for("1/1");
    assert!(screen().contains("Tehran"), "{}", screen());
    assert!(
        !screen().contains("Weather"),
        "only the match is listed:\n{}",
        screen()
    );
    keys("\r");
    wait_for("BODY-MARK");
    keys("Q");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status:?}");
            break;
        }
        assert!(start.elapsed() < PATIENCE, "khabar did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }

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
