//! The reader and a real Miniflux: the real binary in a pseudo-terminal opens on
//! the local database, syncs in the background at start (the feed appears, the
//! summary is on the message line), and again on `R`.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/http_server.rs"]
mod http_server;
#[path = "support/miniflux.rs"]
mod miniflux;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_server::{Reply, TestServer};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

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

    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_khabar"));
    cmd.arg("--config");
    cmd.arg(&config);
    cmd.arg("--db");
    cmd.arg(&db);
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", dir.path());
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
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("{text:?} never appeared; screen:\n{}", screen());
    };

    // Nothing local yet: the reader opens at once, then the sync brings the feed.
    wait_for(first);
    wait_for("Synced Wire");

    let entry = mf.entries()[0].0;
    mf.set_read(&[entry], true);
    writer.write_all(b"R").unwrap();
    writer.flush().unwrap();
    wait_for(second);

    writer.write_all(b"Q").unwrap();
    writer.flush().unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < PATIENCE, "khabar did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
}
