//! The reader in a pseudo-terminal with full text (issue 10): a `fulltext = true`
//! feed refreshed by `khabar refresh` while its pages are served on 127.0.0.1;
//! then, with those pages gone, the reader shows the whole story, `F` switches
//! to the feed's text and back; an item of a `fulltext = "on-open"` feed fetches
//! its page when first opened and shows it on arrival. Waits have generous
//! limits only so a broken build fails instead of hanging.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/http_server.rs"]
mod http_server;

#[path = "support/pty.rs"]
mod pty;

use http_server::{Reply, TestServer};
use pty::Launch;

const ROWS: u16 = 30;
const COLS: u16 = 100;

fn feed(title: &str, guid: &str, link: &str, date: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <item><guid>{guid}</guid><title>Story {guid}</title><link>{link}</link>\
         <pubDate>{date}</pubDate><description>FEED-SUMMARY-{guid} only.</description></item></channel></rss>"
    )
}

fn page(marker: &str) -> String {
    format!(
        "<html><head><title>t</title></head><body><nav>MENU-{marker}</nav>\
         <div itemprop=\"articleBody\"><p>WHOLE-STORY-{marker} first paragraph of the story.</p>\
         <p>Second paragraph of the story, also part of it.</p></div>\
         <div class=\"related\"><h3>Related</h3><a href=\"/x\">RELATED-{marker}</a></div></body></html>"
    )
}

/// `khabar refresh --quiet` with this config and database, which must succeed.
fn refresh(config: &std::path::Path, db: &std::path::Path) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_khabar"))
        .arg("--config")
        .arg(config)
        .arg("--db")
        .arg(db)
        .args(["refresh", "--quiet"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn full_text_offline_f_toggles_and_on_open_fetches() {
    let server = TestServer::start();
    let (link_a, link_b) = (server.url("/p/a1"), server.url("/p/b1"));
    server.route(
        "/full.xml",
        Reply::ok(
            feed("Full", "a1", &link_a, "Tue, 19 Nov 2024 12:00:00 GMT"),
            "application/rss+xml",
        ),
    );
    server.route(
        "/open.xml",
        Reply::ok(
            feed("Open", "b1", &link_b, "Tue, 19 Nov 2024 10:00:00 GMT"),
            "application/rss+xml",
        ),
    );
    server.route("/p/a1", Reply::ok(page("A"), "text/html; charset=utf-8"));
    server.route("/p/b1", Reply::ok(page("B"), "text/html; charset=utf-8"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "[general]\nmouse = false\n\n[[feed]]\nurl = \"{}\"\nfulltext = true\n\n\
             [[feed]]\nurl = \"{}\"\nfulltext = \"on-open\"\n",
            server.url("/full.xml"),
            server.url("/open.xml")
        ),
    )
    .unwrap();
    refresh(
        &dir.path().join("config.toml"),
        &dir.path().join("khabar.db"),
    );
    assert_eq!(server.requests_to("/p/a1").len(), 1);
    // "on-open": nothing fetched by the refresh.
    assert_eq!(server.requests_to("/p/b1").len(), 0);
    // The full-text feed's page is gone now: what the reader shows was stored.
    server.route("/p/a1", Reply::status(503));

    let mut s = Launch::new(dir.path())
        .config_and_db(
            &dir.path().join("config.toml"),
            &dir.path().join("khabar.db"),
        )
        .size(COLS, ROWS)
        .start();
    s.wait_for("All items");
    s.keys("\r");
    s.wait_for("Story b1");
    // Newest first: a1, then b1.
    s.keys("\r");
    s.wait_for("WHOLE-STORY-A");
    assert!(!s.screen().contains("MENU-A") && !s.screen().contains("RELATED-A"));
    s.keys("F");
    s.wait_for("FEED-SUMMARY-a1");
    s.wait_gone("WHOLE-STORY-A");
    s.wait_for("the feed's text");
    s.keys("F");
    s.wait_for("WHOLE-STORY-A");
    assert_eq!(server.requests_to("/p/a1").len(), 1, "read offline");

    // The on-open feed's item: fetched in the background when opened.
    s.keys("q");
    s.wait_for("Story b1");
    s.keys("j\r");
    s.wait_for("WHOLE-STORY-B");
    assert_eq!(server.requests_to("/p/b1").len(), 1);
    s.keys("F");
    s.wait_for("FEED-SUMMARY-b1");
    s.quit();
}

/// The pages the reader fetches (`on-open`, `F`) go through one client kept for
/// the session: a second page from the same site comes over the connection the
/// first one opened (no new TCP and TLS handshake for each story opened).
#[test]
fn pages_fetched_from_the_reader_reuse_one_connection() {
    let server = TestServer::start();
    let (link_1, link_2) = (server.url("/p/c1"), server.url("/p/c2"));
    server.route(
        "/open.xml",
        Reply::ok(
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Open</title>\
                 <item><guid>c1</guid><title>Story c1</title><link>{link_1}</link>\
                 <pubDate>Tue, 19 Nov 2024 12:00:00 GMT</pubDate></item>\
                 <item><guid>c2</guid><title>Story c2</title><link>{link_2}</link>\
                 <pubDate>Tue, 19 Nov 2024 10:00:00 GMT</pubDate></item></channel></rss>"
            ),
            "application/rss+xml",
        ),
    );
    server.route("/p/c1", Reply::ok(page("C1"), "text/html; charset=utf-8"));
    server.route("/p/c2", Reply::ok(page("C2"), "text/html; charset=utf-8"));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let db = dir.path().join("khabar.db");
    std::fs::write(
        &config,
        format!(
            "[general]\nmouse = false\n\n[[feed]]\nurl = \"{}\"\nfulltext = \"on-open\"\n",
            server.url("/open.xml")
        ),
    )
    .unwrap();
    refresh(&config, &db);

    let mut s = Launch::new(dir.path())
        .config_and_db(&config, &db)
        .size(COLS, ROWS)
        .start();
    s.wait_for("All items");
    s.keys("\r");
    s.wait_for("Story c2");
    s.keys("\r");
    s.wait_for("WHOLE-STORY-C1");
    s.keys("q");
    s.wait_for("Story c2");
    s.keys("j\r");
    s.wait_for("WHOLE-STORY-C2");
    s.quit();
    let (first, second) = (server.requests_to("/p/c1"), server.requests_to("/p/c2"));
    assert_eq!((first.len(), second.len()), (1, 1));
    assert_eq!(
        first[0].connection, second[0].connection,
        "the second page opened a connection of its own"
    );
}
