//! The reader and a real Miniflux: the real binary in a pseudo-terminal opens on
//! the local database, syncs in the background at start (the feed appears, the
//! summary is on the message line), and again on `R`.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/http_server.rs"]
mod http_server;
#[path = "support/miniflux.rs"]
mod miniflux;

#[path = "support/pty.rs"]
mod pty;

use std::time::Duration;

use http_server::{Reply, TestServer};
use pty::Launch;

const ROWS: u16 = 30;
const COLS: u16 = 110;
const PATIENCE: Duration = Duration::from_secs(60);

fn rss(range: std::ops::Range<u32>) -> String {
    let items: String = range
        .map(|i| {
            format!(
                "<item><title>Story {i}</title><link>http://example.org/{i}</link>\
                 <guid>s-{i}</guid><pubDate>Mon, 30 Nov 2026 10:{i:02}:00 +0000</pubDate></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Synced Wire</title>\
         <link>http://example.org/</link><description>d</description>{items}</channel></rss>"
    )
}

#[test]
fn the_reader_syncs_at_start_and_on_capital_r() {
    syncs_at_start_and_on_capital_r(
        "",
        "sync: 3 new, 0 marked read on the server, 0 sent",
        "sync: 0 new, 1 marked read on the server, 0 sent",
    );
}

/// A Persian interface words the sync's summary from its table, with Persian
/// digits. (Rows read from vt100 are in screen order: Persian reads reversed, a
/// zero-width non-joiner staying in the cell of the letter before it.)
#[test]
fn a_persian_reader_says_what_the_sync_did_in_persian() {
    let screen_order = |line: &str| {
        let mut cells: Vec<String> = Vec::new();
        for c in line.chars() {
            match cells.last_mut() {
                Some(cell) if c == '\u{200c}' => cell.push(c),
                _ => cells.push(c.to_string()),
            }
        }
        cells.into_iter().rev().collect::<String>()
    };
    syncs_at_start_and_on_capital_r(
        "[display]\nlocale = \"fa\"\n",
        &screen_order("همگام‌سازی: ۳ تازه، ۰ در سرور خوانده شد، ۰ فرستاده شد"),
        &screen_order("همگام‌سازی: ۰ تازه، ۱ در سرور خوانده شد، ۰ فرستاده شد"),
    );
}

/// The reader with `display` in its config syncs at start (`first` on the
/// message line, the feed listed), then on `R` after an entry was read on the
/// server (`second`).
fn syncs_at_start_and_on_capital_r(display: &str, first: &str, second: &str) {
    let Some(mf) = miniflux::start("2.3") else {
        return;
    };
    let feeds = TestServer::start();
    feeds.route("/wire.xml", Reply::ok(rss(1..4), "application/rss+xml"));
    mf.subscribe(&feeds.url("/wire.xml"));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "feed = []\n{display}[sync]\nprovider = \"miniflux\"\nurl = \"{}\"\nusername = \"admin\"\n\
             password = \"{}\"\n",
            mf.url(),
            mf.password
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let db = dir.path().join("khabar.db");

    let mut reader = Launch::new(dir.path())
        .config_and_db(&config, &db)
        .size(COLS, ROWS)
        .patience(PATIENCE)
        .start();

    // Nothing local yet: the reader opens at once, then the sync brings the feed.
    reader.wait_for(first);
    reader.wait_for("Synced Wire");

    let entry = mf.entries()[0].0;
    mf.set_read(&[entry], true);
    reader.type_text("R");
    reader.wait_for(second);
    reader.quit();
}
