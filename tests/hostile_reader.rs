//! The reader (real binary in a pseudo-terminal) against hostile items: an
//! article of 12,000 nested elements and a title of 300,000 zero-width
//! characters open and draw; SIGINT and SIGQUIT end the reader with the
//! terminal given back (alternate screen left, cursor shown, mouse tracking and
//! bidi mode off). Waits have generous limits only so a broken build fails
//! instead of hanging; nothing here measures speed.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::time::Duration;

#[path = "support/pty.rs"]
mod pty;

use pty::{Launch, Pty};

fn start(dir: &Path) -> Pty {
    Launch::new(dir)
        .config_and_db(&dir.join("config.toml"), &dir.join("k.db"))
        .size(80, 24)
        .env("BROWSER", "true")
        .patience(Duration::from_secs(60))
        .key_pause(Duration::from_millis(80))
        .start()
}

/// Waits for `text` on the screen with zero-width spaces left out (vt100 keeps
/// those a cell carries; the storm title shows as `StormTitle`).
#[track_caller]
fn wait_for(s: &Pty, text: &str) {
    s.wait_until(
        |screen| screen.replace('\u{200B}', "").contains(text),
        &format!("{text:?}"),
    );
}

/// Sends `signal`, waits for the process to end, and checks that the terminal
/// was given back.
#[track_caller]
fn signal_and_check_restored(mut s: Pty, signal: libc::c_int) {
    s.signal(signal);
    let status = s.wait_status();
    // Ended by the signal, as without khabar's handler.
    assert!(!status.success(), "{status:?}");
    s.assert_terminal_given_back();
    let raw = s.raw();
    let mouse_on = raw.find("\x1b[?1000h").expect("mouse tracking turned on");
    let mouse_off = raw.rfind("\x1b[?1000l").expect("mouse tracking turned off");
    let implicit = raw.rfind("\x1b[8h\x1b[0 k").expect("BDSM implicit sent");
    let leave_alt = raw.rfind("\x1b[?1049l").expect("alternate screen left");
    assert!(mouse_on < mouse_off && implicit < leave_alt);
}

/// A feed file with a deep article and a zero-width storm title, refreshed into
/// a fresh database, and a config with mouse tracking on.
fn hostile_setup(dir: &Path) {
    let deep = format!("{}DEEP-TEXT-END", "<div>".repeat(12_000)).replace('<', "&lt;");
    let storm = format!("Storm{}Title", "\u{200B}".repeat(300_000));
    let feed = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
         <title>Hostile</title><link>http://127.0.0.1/</link>\
         <item><guid>deep</guid><title>Deep article</title><link>http://127.0.0.1/d</link>\
         <pubDate>Tue, 19 Nov 2024 12:00:00 GMT</pubDate><description>{deep}</description></item>\
         <item><guid>storm</guid><title>{storm}</title><link>http://127.0.0.1/s</link>\
         <pubDate>Tue, 19 Nov 2024 11:00:00 GMT</pubDate><description>zw</description></item>\
         </channel></rss>"
    );
    let feed_path = dir.join("hostile.xml");
    std::fs::write(&feed_path, feed).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[general]\nmouse = true\n\n[[feed]]\nurl = \"file://{}\"\ntitle = \"Hostile\"\n",
            feed_path.display()
        ),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_khabar"))
        .arg("--config")
        .arg(dir.join("config.toml"))
        .arg("--db")
        .arg(dir.join("k.db"))
        .args(["refresh", "--quiet"])
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn defect1_reader_opens_a_deeply_nested_article_and_sigint_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    hostile_setup(dir.path());
    let mut s = start(dir.path());
    wait_for(&s, "Hostile");
    s.keys("\r");
    wait_for(&s, "Deep article");
    wait_for(&s, "StormTitle");
    s.keys("\r");
    wait_for(&s, "DEEP-TEXT-END");
    // Back to the list and open it again: no crash the second time either.
    s.keys("q");
    wait_for(&s, "StormTitle");
    s.keys("\r");
    wait_for(&s, "DEEP-TEXT-END");
    signal_and_check_restored(s, libc::SIGINT);
}

#[test]
fn defect9_sigquit_to_the_reader_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    hostile_setup(dir.path());
    let mut s = start(dir.path());
    wait_for(&s, "Hostile");
    s.keys("\r");
    wait_for(&s, "StormTitle");
    signal_and_check_restored(s, libc::SIGQUIT);
}
