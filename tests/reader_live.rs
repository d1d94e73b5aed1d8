//! The reader (real binary in a pseudo-terminal) left open while other
//! processes change its database: a `khabar refresh` from cron against a
//! loopback feed server, `khabar mark-read` from a script. The open reader
//! shows their changes within a few seconds, without a key, and keeps the
//! user's place (the selected item, by id).

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "support/http_server.rs"]
mod http_server;
#[path = "support/pty.rs"]
mod pty;

use http_server::{Reply, TestServer};
use khabar::store::{ItemQuery, ItemRow, Store};
use pty::{Launch, Pty};

/// What "within a few seconds" allows: the reader looks once a second; the
/// rest is slack for a loaded machine.
const LIVE: Duration = Duration::from_secs(8);

fn item(guid: &str, title: &str, hour: u32) -> String {
    format!(
        "<item><guid>{guid}</guid><title>{title}</title><link>http://127.0.0.1/{guid}</link>\
         <pubDate>Tue, 19 Nov 2024 {hour:02}:00:00 GMT</pubDate><description>{guid}</description></item>"
    )
}

fn feed(items: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
         <title>Live Wire</title><link>http://127.0.0.1/</link>{}</channel></rss>",
        items.concat()
    )
}

fn three() -> Vec<String> {
    vec![
        item("one", "Story one", 12),
        item("two", "Story two", 11),
        item("three", "Story three", 10),
    ]
}

/// The config (the feed on `server`) and a database refreshed from it.
fn setup(dir: &Path, server: &TestServer) -> PathBuf {
    server.route(
        "/feed.xml",
        Reply::ok(feed(&three()), "application/rss+xml"),
    );
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[general]\nmouse = false\nrefresh_interval_minutes = 0\n\n\
             [[feed]]\nurl = \"{}\"\ntitle = \"Live Wire\"\n",
            server.url("/feed.xml")
        ),
    )
    .unwrap();
    khabar(dir, &["refresh", "--quiet"]);
    dir.join("k.db")
}

/// Runs a `khabar` command on the test's config and database, as cron would.
fn khabar(dir: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_khabar"))
        .arg("--config")
        .arg(dir.join("config.toml"))
        .arg("--db")
        .arg(dir.join("k.db"))
        .args(args)
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "khabar {args:?}: {out:?}");
}

fn start(dir: &Path) -> Pty {
    Launch::new(dir)
        .config_and_db(&dir.join("config.toml"), &dir.join("k.db"))
        .size(100, 30)
        .patience(Duration::from_secs(20))
        // The database worker logs each commit it took for another process's.
        .env("KHABAR_LOG", "khabar::tui=debug")
        .start()
}

/// How many times the reader took a commit for another process's and read
/// every list again (`Msg::DatabaseChanged`), from its log next to the database.
fn reloads(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("khabar.log"))
        .unwrap_or_default()
        .matches(khabar::tui::db::CHANGED_ELSEWHERE)
        .count()
}

/// Waits until `reloads` is `n` (the log is written from a thread of its own).
fn wait_reloads(dir: &Path, n: usize) {
    let started = Instant::now();
    while reloads(dir) != n {
        assert!(
            started.elapsed() < LIVE,
            "{} reloads, not {n}",
            reloads(dir)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The row of the item titled `title`, as the database has it now.
fn row_of(db: &Path, title: &str) -> ItemRow {
    Store::open(db)
        .unwrap()
        .items_after(&ItemQuery::default(), None, 100)
        .unwrap()
        .into_iter()
        .find(|row| row.title == title)
        .unwrap()
}

fn id_of(db: &Path, title: &str) -> i64 {
    row_of(db, title).id
}

fn is_read(db: &Path, title: &str) -> bool {
    row_of(db, title).read
}

/// The `N` (unread) mark of the row titled `title`.
fn row_unread(s: &Pty, title: &str) -> Option<bool> {
    s.rows()
        .iter()
        .find(|row| row.contains(title))
        .map(|row| row.chars().nth(1) == Some('N'))
}

/// Waits for `ready` and says how long it took; fails past [`LIVE`].
fn within_live(s: &Pty, ready: impl Fn(&str) -> bool, what: &str) {
    let started = Instant::now();
    s.wait_until(ready, what);
    let took = started.elapsed();
    assert!(took < LIVE, "{what}: took {took:?}\n{}", s.screen());
}

/// The known gap: a cron `khabar refresh` stored a new item and the open
/// reader never showed it until a key reloaded the list. It now appears by
/// itself, above the selected item, which stays selected.
#[test]
fn a_refresh_by_another_process_shows_its_new_item_and_keeps_the_selection() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path(), &server);
    let mut s = start(dir.path());
    s.wait_for("Live Wire");
    s.enter();
    s.wait_for("Story three");
    // On "Story two": the second of three.
    s.keys("j");
    s.wait_for("2/3");

    let mut items = vec![item("zero", "Story zero", 13)];
    items.extend(three());
    server.route("/feed.xml", Reply::ok(feed(&items), "application/rss+xml"));
    khabar(dir.path(), &["refresh", "--quiet"]);
    within_live(&s, |screen| screen.contains("Story zero"), "the new item");
    // Still on "Story two", now the third of four.
    within_live(&s, |screen| screen.contains("3/4"), "the selection kept");
    s.keys("m");
    s.keys("q");
    s.wait_for("Live Wire");
    s.quit();
    assert!(
        is_read(&db, "Story two"),
        "m marked the item selected before"
    );
    assert!(!is_read(&db, "Story zero"));
}

/// `khabar mark-read` from a script: the row is no longer bold, the counts on
/// the feed screen move, without a key.
#[test]
fn a_mark_read_by_another_process_shows_in_the_list_and_the_counts() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path(), &server);
    let mut s = start(dir.path());
    s.wait_for("3/3 All items");
    // On the feed screen: the counts follow.
    let one = id_of(&db, "Story one").to_string();
    khabar(dir.path(), &["mark-read", &one]);
    within_live(&s, |screen| screen.contains("2/3 All items"), "the count");

    s.enter();
    s.wait_for("Story three");
    s.keys("j");
    s.wait_for("2/3");
    assert_eq!(row_unread(&s, "Story one"), Some(false));
    assert_eq!(row_unread(&s, "Story three"), Some(true));
    // In the list: the row's mark follows, the cursor stays on "Story two".
    let three = id_of(&db, "Story three").to_string();
    khabar(dir.path(), &["mark-read", &three]);
    within_live(
        &s,
        |_| row_unread(&s, "Story three") == Some(false),
        "Story three shown read",
    );
    assert!(s.screen().contains("2/3"), "{}", s.screen());
    s.keys("q");
    s.wait_for("1/3 All items");
    s.quit();
}

/// `F` on an article fetched its page and the fetching task stored it on a
/// connection of its own: the database worker took that commit for another
/// process's and read every list and count again, once per page. The worker
/// stores the page itself now; only a real commit elsewhere reloads.
#[test]
fn a_page_fetched_for_full_text_does_not_reload_the_lists() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path(), &server);
    server.route(
        "/one",
        Reply::ok(
            "<html><head><title>t</title></head><body><nav>MENU</nav>\
             <div itemprop=\"articleBody\"><p>WHOLE-STORY-ONE first paragraph of the story.</p>\
             <p>Second paragraph of the story, also part of it.</p></div></body></html>",
            "text/html; charset=utf-8",
        ),
    );
    // The items link to 127.0.0.1 without the server's port: point this one at it.
    let one = id_of(&db, "Story one");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE items SET link = ?1 WHERE id = ?2",
            rusqlite::params![server.url("/one"), one],
        )
        .unwrap();
    let mut s = start(dir.path());
    s.wait_for("Live Wire");
    s.enter();
    s.wait_for("Story three");
    s.enter();
    s.wait_for("Link:");
    s.keys("F");
    s.wait_for("WHOLE-STORY-ONE");
    // Longer than the worker's look (once a second) and the log's flush.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(reloads(dir.path()), 0, "the reader's own write reloaded");
    // The count works: a commit elsewhere is one.
    khabar(
        dir.path(),
        &["mark-read", &id_of(&db, "Story two").to_string()],
    );
    wait_reloads(dir.path(), 1);
    s.quit();
    let stored = Store::open(&db)
        .unwrap()
        .fulltext_status(one)
        .unwrap()
        .unwrap();
    assert!(stored.html.is_some_and(|h| h.contains("WHOLE-STORY-ONE")));
}
