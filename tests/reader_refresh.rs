//! The reader's refresh is the same task as `khabar refresh`: the real binary in a
//! pseudo-terminal (portable-pty + vt100) refreshes with `R`, and a read item past
//! `[cleanup] keep_read_days` disappears from the list and from the database, as
//! it would after `khabar refresh` from cron. The feed is a local file, so no
//! server is involved. Waits have generous limits only so a broken build fails
//! instead of hanging; nothing here measures speed.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::process::Command;

#[path = "support/pty.rs"]
mod pty;

use khabar::store::{ItemQuery, Store};
use pty::Launch;

const DAY: i64 = 86_400;

const FEED: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
    <title>Cleanup Wire</title><link>http://127.0.0.1/</link>\
    <item><guid>old</guid><title>Ancient story</title><link>http://127.0.0.1/old</link>\
    <pubDate>Tue, 07 Jan 2020 12:00:00 GMT</pubDate><description>old</description></item>\
    <item><guid>new</guid><title>Recent story</title><link>http://127.0.0.1/new</link>\
    <pubDate>Tue, 19 Nov 2024 12:00:00 GMT</pubDate><description>new</description></item>\
    </channel></rss>";

fn titles(store: &Store) -> Vec<String> {
    store
        .items_after(&ItemQuery::default(), None, 100)
        .unwrap()
        .into_iter()
        .map(|row| row.title)
        .collect()
}

#[test]
fn a_refresh_from_the_reader_removes_read_items_past_the_cleanup_policy() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("wire.xml");
    std::fs::write(&feed, FEED).unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[general]\nmouse = false\nrefresh_interval_minutes = 0\n\n\
             [cleanup]\nkeep_read_days = 30\n\n\
             [[feed]]\nurl = \"{}\"\ntitle = \"Cleanup Wire\"\n",
            feed.display()
        ),
    )
    .unwrap();
    let db = dir.path().join("khabar.db");
    let args = [
        "--config".as_ref(),
        config.as_os_str(),
        "--db".as_ref(),
        db.as_os_str(),
    ];

    // Both items stored (unread, so `khabar refresh`'s own cleanup keeps them)...
    let out = Command::new(env!("CARGO_BIN_EXE_khabar"))
        .args(args)
        .args(["refresh", "--quiet"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // ... then the 2020 one read 90 days ago: past the 30-day policy.
    {
        let mut store = Store::open(&db).unwrap();
        assert_eq!(titles(&store), ["Recent story", "Ancient story"]);
        let old = store
            .items_after(&ItemQuery::default(), None, 100)
            .unwrap()
            .into_iter()
            .find(|row| row.title == "Ancient story")
            .unwrap();
        let long_ago = chrono::Utc::now().timestamp() - 90 * DAY;
        store.set_read(&[old.id], true, long_ago).unwrap();
    }

    let mut s = Launch::new(dir.path()).args(args).size(100, 30).start();
    s.wait_for("All items");
    s.keys("\r");
    s.wait_for("Ancient story");
    s.wait_for("Recent story");
    s.keys("R");
    s.wait_for("refreshed 1 feed");
    // The list reloaded after the cleanup: the old read item is gone, the other stays.
    s.wait_gone("Ancient story");
    assert!(s.screen().contains("Recent story"), "{}", s.screen());
    s.quit();

    let store = Store::open(&db).unwrap();
    assert_eq!(titles(&store), ["Recent story"]);
}
