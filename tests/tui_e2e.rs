//! The real binary in a pseudo-terminal (portable-pty + vt100) against a
//! loopback HTTP server: refresh, open the second item, go back, quit, start
//! again (that item is read, the others are not); then with the server stopped,
//! every item is still listed and opens. Waits have generous limits only so a
//! broken build fails instead of hanging; nothing here measures speed.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

#[path = "support/pty.rs"]
mod pty;

use pty::{Launch, Pty};

/// A tiny HTTP/1.1 server for two feeds, stoppable.
struct FeedServer {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

fn rss(title: &str, lang: &str, items: &[(&str, &str, &str)]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
         <title>{title}</title><link>http://127.0.0.1/</link><language>{lang}</language>"
    );
    for (guid, title, date) in items {
        out.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title><link>http://127.0.0.1/{guid}</link>\
             <pubDate>{date}</pubDate><description>&lt;p&gt;Body text BODY-{guid} here.&lt;/p&gt;</description></item>"
        ));
    }
    out.push_str("</channel></rss>");
    out
}

impl FeedServer {
    fn start() -> FeedServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let english = rss(
            "Alpha Wire",
            "en",
            &[
                ("a1", "Alpha first story", "Tue, 19 Nov 2024 12:00:00 GMT"),
                ("a2", "Alpha second story", "Tue, 19 Nov 2024 10:00:00 GMT"),
            ],
        );
        let persian = rss(
            "خبرنامه",
            "fa",
            &[
                ("b1", "Beta خبر نخست", "Tue, 19 Nov 2024 11:00:00 GMT"),
                ("b2", "Beta خبر دوم", "Tue, 19 Nov 2024 09:00:00 GMT"),
            ],
        );
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                serve(stream, &english, &persian);
            }
        });
        FeedServer {
            port,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    /// Stops accepting and closes the port: later fetches are refused.
    fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

fn serve(stream: TcpStream, english: &str, persian: &str) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let (status, body) = match path {
        "/en.xml" => ("200 OK", english),
        "/fa.xml" => ("200 OK", persian),
        _ => ("404 Not Found", ""),
    };
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/rss+xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// The terminal every reader here runs in.
fn launch(dir: &Path) -> Launch {
    Launch::new(dir)
        .size(100, 30)
        .env("BROWSER", "true")
        .env_remove("NO_COLOR")
}

/// The reader on `dir`'s config.toml and khabar.db.
fn start(dir: &Path) -> Pty {
    launch(dir)
        .config_and_db(&dir.join("config.toml"), &dir.join("khabar.db"))
        .start()
}

/// Quits with `Q` and checks the terminal was given back.
#[track_caller]
fn quit(mut s: Pty) {
    s.keys("Q");
    wait_exit(s);
}

/// Waits for a clean exit and checks the terminal was given back.
#[track_caller]
fn wait_exit(mut s: Pty) {
    s.expect_clean_exit();
    // bidi = "app" (the default): explicit mode inside the alternate screen only.
    let raw = s.raw();
    let enter_alt = raw.find("\x1b[?1049h").expect("alternate screen entered");
    let explicit = raw
        .find("\x1b[8l\x1b[1 k\x1b[?2500l")
        .expect("BDSM explicit sent");
    let implicit = raw.rfind("\x1b[8h\x1b[0 k").expect("BDSM implicit sent");
    let leave_alt = raw.rfind("\x1b[?1049l").expect("alternate screen left");
    assert!(enter_alt < explicit && explicit < implicit && implicit < leave_alt);
}

/// The row of the list showing `title`, and whether it is marked unread (`N`).
fn unread_mark(rows: &[String], title: &str) -> bool {
    let row = rows
        .iter()
        .find(|r| r.contains(title))
        .unwrap_or_else(|| panic!("{title:?} not listed:\n{}", rows.join("\n")));
    row.chars().nth(1) == Some('N')
}

#[test]
fn refresh_read_state_survives_restart_and_works_offline() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = FeedServer::start();
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "[general]\nmouse = false\n\n[[feed]]\nurl = \"{}\"\ntitle = \"Alpha Wire\"\n\n\
             [[feed]]\nurl = \"{}\"\ntitle = \"Beta خبرنامه\"\ndirection = \"rtl\"\n",
            server.url("en.xml"),
            server.url("fa.xml")
        ),
    )
    .unwrap();

    // First run: refresh everything, open the second item of "All items", go back, quit.
    let mut s = start(dir.path());
    s.wait_for("All items");
    s.keys("R");
    s.wait_for("refreshed 2 feeds");
    s.enter();
    s.wait_for("Alpha second story");
    // Newest first: Alpha first (12:00), Beta first (11:00), Alpha second, Beta second.
    s.keys("j");
    s.enter();
    s.wait_for("BODY-b1");
    s.keys("q");
    s.wait_for("Alpha second story");
    quit(s);

    // Second run: only the opened item is read.
    let mut s = start(dir.path());
    s.wait_for("All items");
    s.enter();
    s.wait_for("Alpha second story");
    let rows = s.rows();
    assert!(!unread_mark(&rows, "Beta"), "opened item still unread");
    assert!(unread_mark(&rows, "Alpha first story"));
    assert!(unread_mark(&rows, "Alpha second story"));
    // Typed in one burst, quit included: the third item's read mark is still written.
    s.type_text("jj\rqQ");
    wait_exit(s);

    // Third run with the server gone: every item is listed and opens.
    server.stop();
    let mut s = start(dir.path());
    s.wait_for("All items");
    s.enter();
    s.wait_for("Alpha second story");
    assert!(!unread_mark(&s.rows(), "Alpha second story"));
    assert!(unread_mark(&s.rows(), "Alpha first story"));
    for body in ["BODY-a1", "BODY-b1", "BODY-a2", "BODY-b2"] {
        s.enter();
        s.wait_for(body);
        s.keys("q");
        s.wait_for("Alpha second story");
        s.keys("j");
    }
    // A refresh now fails per feed, and the reader carries on.
    s.keys("R");
    s.wait_for("2 failed");
    s.wait_for("Alpha first story");
    quit(s);
}

#[test]
fn demo_runs_offline_and_sigterm_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = launch(dir.path()).args(["--demo"]).start();
    s.wait_for("NYT Home Page");
    s.enter();
    s.wait_for("Hacker News (hnap");
    s.enter();
    s.wait_for("Link: ");
    s.signal(libc::SIGTERM);
    wait_exit(s);
}

#[test]
fn t12_without_a_terminal_the_reader_says_it_needs_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_khabar"))
        .arg("--config")
        .arg(&config)
        .arg("--db")
        .arg(&db)
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("xdg-data"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "the reader needs a terminal; for scripts use khabar items / unread / refresh"
        ),
        "{stderr}"
    );
    assert!(!db.exists(), "nothing opened before the check");
}

/// `[display] locale = "fa"` in the config file: the real binary speaks Persian,
/// mirrors its screens and writes dates in the Jalali calendar with Persian
/// digits, while the keys do what they always do. (Rows read from vt100 are in
/// screen order: Persian words appear reversed.)
#[test]
fn persian_interface_from_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let server = FeedServer::start();
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "[general]\nmouse = false\n\n[display]\nlocale = \"fa\"\n\n\
             [[feed]]\nurl = \"{}\"\ntitle = \"Alpha Wire\"\n",
            server.url("en.xml"),
        ),
    )
    .unwrap();
    let mut s = start(dir.path());
    // "خبر › خوراک‌ها" at the right end of the title bar.
    s.wait_for("اهک\u{200c}اروخ ‹ ربخ");
    s.keys("R");
    // "۱ خوراک تازه شد: ۲ مطلب تازه، ۰ ناموفق"
    s.wait_for("دش هزات کاروخ ۱");
    s.enter();
    s.wait_for("Alpha second story");
    let rows = s.rows();
    let row = rows
        .iter()
        .find(|r| r.contains("Alpha first story"))
        .unwrap_or_else(|| panic!("{}", rows.join("\n")));
    // The Jalali date (2024-11-19 is 1403/08/29) at the left end, the unread
    // mark at the right end.
    assert!(row.trim_start().starts_with("۱۴۰۳/۰۸/۲۹"), "{row}");
    assert!(row.trim_end().ends_with("story N"), "{row}");
    s.enter();
    s.wait_for("BODY-a1");
    // The article header's labels are Persian ("خوراک: Alpha Wire").
    s.wait_for("Alpha Wire :کاروخ");
    s.keys("q");
    s.wait_for("Alpha second story");
    quit(s);
}

/// `J` / `K` in the real binary: from the last feed's list to the one before
/// and back, without the feed screen in between (the title bar names the feed),
/// and a word at the last feed.
#[test]
fn shift_j_and_k_step_between_feed_lists() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = launch(dir.path()).args(["--demo"]).start();
    s.wait_for("NYT Home Page");
    let title = |s: &Pty| s.rows().first().cloned().unwrap_or_default();
    let feed_screen = title(&s);
    s.keys("G");
    s.enter();
    s.wait_until(|_| title(&s) != feed_screen, "the last feed's list");
    let last = title(&s);
    s.keys("K");
    s.wait_until(
        |_| title(&s) != last && title(&s) != feed_screen,
        "the feed before's list",
    );
    s.keys("J");
    s.wait_until(|_| title(&s) == last, "the last feed's list again");
    s.keys("J");
    s.wait_for("already on the last feed");
    quit(s);
}
