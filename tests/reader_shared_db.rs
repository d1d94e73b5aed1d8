//! The reader (real binary in a pseudo-terminal) while another process changes
//! the same database: items deleted under an open list (a cron cleanup, a
//! `khabar remove`, a hand-run `DELETE`) are reported and dropped when a key
//! acts on them, instead of being marked in the list and nowhere else. The feed
//! is a local file, so no server is involved. Waits have generous limits only so
//! a broken build fails instead of hanging; nothing here measures speed.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

#[path = "support/pty.rs"]
mod pty;

use khabar::store::{ItemQuery, Store};
use pty::{Launch, Pty};

const FEED: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
    <title>Shared Wire</title><link>http://127.0.0.1/</link>\
    <item><guid>one</guid><title>Story one</title><link>http://127.0.0.1/1</link>\
    <pubDate>Tue, 19 Nov 2024 12:00:00 GMT</pubDate><description>first</description></item>\
    <item><guid>two</guid><title>Story two</title><link>http://127.0.0.1/2</link>\
    <pubDate>Tue, 19 Nov 2024 11:00:00 GMT</pubDate><description>second</description></item>\
    <item><guid>three</guid><title>Story three</title><link>http://127.0.0.1/3</link>\
    <pubDate>Tue, 19 Nov 2024 10:00:00 GMT</pubDate><description>third</description></item>\
    </channel></rss>";

/// A config with the one feed, refreshed into a fresh database; its path.
fn setup(dir: &Path) -> PathBuf {
    let feed = dir.join("wire.xml");
    std::fs::write(&feed, FEED).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[general]\nmouse = false\nrefresh_interval_minutes = 0\n\n\
             [[feed]]\nurl = \"{}\"\ntitle = \"Shared Wire\"\n",
            feed.display()
        ),
    )
    .unwrap();
    let db = dir.join("k.db");
    let out = Command::new(env!("CARGO_BIN_EXE_khabar"))
        .arg("--config")
        .arg(dir.join("config.toml"))
        .arg("--db")
        .arg(&db)
        .args(["refresh", "--quiet"])
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    db
}

fn start(dir: &Path) -> Pty {
    Launch::new(dir)
        .config_and_db(&dir.join("config.toml"), &dir.join("k.db"))
        .size(100, 30)
        .patience(Duration::from_secs(20))
        .start()
}

/// Deletes the item titled `title` the way a cleanup does (its state row,
/// index rows and counts follow by trigger), on a connection of this process.
fn delete_item(db: &Path, title: &str) {
    let store = Store::open(db).unwrap();
    let id = store
        .items_after(&ItemQuery::default(), None, 100)
        .unwrap()
        .into_iter()
        .find(|row| row.title == title)
        .unwrap()
        .id;
    store
        .connection()
        .execute("DELETE FROM items WHERE id = ?1", [id])
        .unwrap();
}

fn unread(db: &Path) -> u64 {
    Store::open(db).unwrap().unread_count().unwrap()
}

/// The known gap: `m` on an item another process deleted changed the row on
/// screen (and the counts) and nothing else, silently.
#[test]
fn m_on_an_item_deleted_by_another_process_says_so_and_drops_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let mut s = start(dir.path());
    s.wait_for("Shared Wire");
    // The feed screen opens on "All items".
    s.enter();
    s.wait_for("Story three");
    delete_item(&db, "Story one");
    s.keys("m");
    s.wait_for("no longer in the database");
    s.wait_gone("Story one");
    // The status line counts the two items left, the cursor on a live one.
    s.wait_for("1/2");
    // The next `m` marks the item under the cursor, which exists.
    s.keys("m");
    s.wait_for("2/2");
    s.keys("q");
    s.wait_for("1/2 All items");
    s.quit();
    assert_eq!(unread(&db), 1);
}

/// `s` (star) on an item deleted elsewhere: the same message, the same drop.
#[test]
fn s_on_an_item_deleted_by_another_process_says_so_and_drops_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let mut s = start(dir.path());
    s.wait_for("Shared Wire");
    s.enter();
    s.wait_for("Story three");
    delete_item(&db, "Story one");
    s.keys("s");
    s.wait_for("no longer in the database");
    s.wait_gone("Story one");
    s.keys("q");
    s.wait_for("2/2 All items");
    s.quit();
}

/// The `N` (unread) mark of the row titled `title`.
fn row_unread(s: &Pty, title: &str) -> bool {
    let rows = s.rows();
    let row = rows
        .iter()
        .find(|row| row.contains(title))
        .unwrap_or_else(|| panic!("no row {title:?}:\n{}", rows.join("\n")));
    row.chars().nth(1) == Some('N')
}

/// Regression: with the database file removed (`rm`, a backup moved over it)
/// while the reader was open, `m` wrote into the unlinked file and showed the
/// item read: the mark was lost as soon as the reader closed, silently.
#[test]
fn m_after_the_database_file_was_removed_says_so_and_keeps_the_row_unread() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let mut s = Launch::new(dir.path())
        .config_and_db(&dir.path().join("config.toml"), &db)
        .size(200, 30)
        .patience(Duration::from_secs(20))
        .start();
    s.wait_for("Shared Wire");
    s.enter();
    s.wait_for("Story three");
    assert!(row_unread(&s, "Story one"));
    std::fs::remove_file(&db).unwrap();
    s.keys("m");
    s.wait_for("was removed or replaced");
    s.wait_for("not saved");
    s.wait_for(&db.display().to_string());
    // The screen does not claim what the database never got.
    s.wait_until(
        |_| row_unread(&s, "Story one"),
        "Story one still marked unread",
    );
    s.keys("q");
    s.wait_for("3/3 All items");
    s.quit();
}

/// Marks `title` read on a connection of this process, as a cron `khabar sync`
/// bringing another machine's marks (or `khabar mark-read`) does.
fn mark_read_elsewhere(db: &Path, title: &str) {
    let mut store = Store::open(db).unwrap();
    let id = store
        .items_after(&ItemQuery::default(), None, 100)
        .unwrap()
        .into_iter()
        .find(|row| row.title == title)
        .unwrap()
        .id;
    store.set_read(&[id], true, 1_800_000_000).unwrap();
}

/// Regression: a reader left open while a cron `khabar sync` brought read
/// marks from another machine kept showing those items unread, and the old
/// counts, until a key moved to another list.
#[test]
fn marks_made_by_another_process_reach_the_open_reader_without_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let mut s = start(dir.path());
    s.wait_for("3/3 All items");
    s.enter();
    s.wait_for("Story three");
    assert!(row_unread(&s, "Story one"));
    mark_read_elsewhere(&db, "Story one");
    s.wait_until(
        |_| !row_unread(&s, "Story one"),
        "Story one shown read in the open list",
    );
    s.keys("q");
    s.wait_for("2/3 All items");
    // On the feed screen too, with no key pressed.
    mark_read_elsewhere(&db, "Story two");
    s.wait_for("1/3 All items");
    s.quit();
}

/// Adds a new item, newer than the others, to the feed on a connection of
/// this process, as a cron `khabar refresh` does; the store is returned open
/// so the caller acts at once after the commit (its drop checkpoints).
fn add_item_elsewhere(db: &Path, guid: &str, title: &str) -> Store {
    use khabar::feed::{ParsedFeed, ParsedItem};
    use khabar::store::FeedUpdate;
    let mut store = Store::open(db).unwrap();
    let feed = store.feeds().unwrap()[0].id;
    let update = FeedUpdate {
        feed: ParsedFeed {
            title: Some("Shared Wire".into()),
            items: vec![ParsedItem {
                identity: guid.into(),
                title: title.into(),
                link: Some("http://127.0.0.1/4".into()),
                published: Some(1_732_100_000),
                content_hash: format!("hash-{guid}"),
                ..ParsedItem::default()
            }],
            ..ParsedFeed::default()
        },
        etag: None,
        last_modified: None,
        body_hash: None,
        new_url: None,
    };
    store.apply_update(feed, &update, 1_732_100_000).unwrap();
    store
}

/// Regression: `A` marked whatever matched the list when the write ran, so an
/// item a cron `khabar refresh` added after the list was shown (before the
/// reader's reload, ~1 s, could show it) was marked read too, and with sync
/// on sent to the server as read: an unread item the user never saw, lost.
/// `A` is pressed right after the other process's commit, long before the
/// reload (a poll, then four reads) could reach the screen.
#[test]
fn mark_all_read_leaves_an_item_added_after_the_list_was_shown_unread() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let mut s = start(dir.path());
    s.wait_for("3/3 All items");
    s.enter();
    s.wait_for("Story three");
    let store = add_item_elsewhere(&db, "four", "Story four");
    s.keys("A");
    drop(store);
    s.wait_for("marked 3 items read");
    // The reload shows the new item, still unread.
    s.wait_for("Story four");
    s.wait_until(
        |_| row_unread(&s, "Story four"),
        "Story four shown unread after the reload",
    );
    assert!(!row_unread(&s, "Story one"));
    s.keys("q");
    s.wait_for("1/4 All items");
    s.quit();
    assert_eq!(unread(&db), 1);
}
