//! Issue 8 end to end, through the real binary and a loopback server: feeds read
//! "with repairs", stored items never wiped by a bad answer, and the defects of
//! the feed side (2, 6, 7, 9), each in a test named for it.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/http_server.rs"]
mod http_server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use http_server::{Reply, TestServer};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), "feed = []\n").unwrap();
        Env { dir }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("khabar.db")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_khabar"));
        command
            .arg("--db")
            .arg(self.db())
            .arg("--config")
            .arg(self.dir.path().join("config.toml"))
            .args(args)
            .env_remove("KHABAR_DB")
            .env_remove("KHABAR_CONFIG");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "khabar {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn feeds_json(&self) -> Vec<serde_json::Value> {
        self.ok(&["feeds", "--json"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn titles(&self) -> Vec<String> {
        let mut titles: Vec<String> = self
            .ok(&["items", "--json"])
            .lines()
            .map(|l| {
                let item: serde_json::Value = serde_json::from_str(l).unwrap();
                item["title"].as_str().unwrap().to_string()
            })
            .collect();
        titles.sort();
        titles
    }
}

fn rss(items: &[&str]) -> Vec<u8> {
    let items: String = items
        .iter()
        .map(|t| format!("<item><title>{t}</title><guid>{t}</guid></item>"))
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed</title>\
         <link>https://example.org/</link><description>d</description>{items}</channel></rss>"
    )
    .into_bytes()
}

#[test]
fn malformed_feed_is_read_with_repairs_and_feeds_says_what() {
    let server = TestServer::start();
    let body = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Broken</title>\
        <item><title>One</title><link>https://example.org/1?a=1&b=2</link></item>\
        <item><title>Two &#0;</title><guid>2</guid></item>\
        <item><title>Three</title><guid>3</guid><description>cut"
        .to_vec();
    server.route("/broken", Reply::ok(body, "application/rss+xml"));
    let env = Env::new();
    let out = env.ok(&["add", &server.url("/broken")]);
    assert!(out.contains("3 items"), "{out}");
    let listing = env.ok(&["feeds"]);
    assert!(listing.contains("read with repairs: 1 bare &"), "{listing}");
    assert!(listing.contains("cut off"), "{listing}");
    assert!(!listing.contains("error"), "{listing}");
    let feeds = env.feeds_json();
    assert!(feeds[0]["repairs"].as_str().unwrap().contains("bare &"));
    assert!(feeds[0]["last_error"].is_null());
    // Fixed at the source: the note goes away.
    server.route("/broken", Reply::ok(rss(&["One"]), "application/rss+xml"));
    env.ok(&["refresh", "-q"]);
    assert!(env.feeds_json()[0]["repairs"].is_null());
}

#[test]
fn html_empty_body_or_error_page_never_wipe_or_change_stored_items() {
    let server = TestServer::start();
    server.route(
        "/f",
        Reply::ok(rss(&["A", "B", "C"]), "application/rss+xml"),
    );
    let env = Env::new();
    env.ok(&["add", &server.url("/f")]);
    let before = env.titles();
    assert_eq!(before, ["A", "B", "C"]);
    let first = env.ok(&["items", "--json"]);
    let bad_answers: [(&str, Reply); 4] = [
        (
            "HTML page",
            Reply::ok(
                "<!DOCTYPE html><html><body>Maintenance</body></html>",
                "text/html",
            ),
        ),
        ("empty body", Reply::ok("", "application/rss+xml")),
        (
            "error page as XML",
            Reply::ok(
                "<?xml version=\"1.0\"?><error><code>500</code><message>db down</message></error>",
                "application/xml",
            ),
        ),
        (
            "error page as HTML without doctype",
            Reply::ok(
                "<!-- 200 OK --><html><head><title>Error</title></head><body>R & D down</body></html>",
                "text/html",
            ),
        ),
    ];
    for (what, reply) in bad_answers {
        server.route("/f", reply);
        // A failed feed makes refresh exit non-zero; what matters is what is kept.
        env.run(&["refresh", "-q"]);
        assert_eq!(env.titles(), before, "{what}");
        assert_eq!(env.ok(&["items", "--json"]), first, "{what} changed items");
        let feed = &env.feeds_json()[0];
        assert!(!feed["last_error"].is_null(), "{what}: no error shown");
        assert_eq!(feed["total"], 3, "{what}");
    }
    // A good answer again: new items come in, the old ones are still there.
    server.route(
        "/f",
        Reply::ok(rss(&["A", "B", "C", "D"]), "application/rss+xml"),
    );
    env.ok(&["refresh", "-q"]);
    assert_eq!(env.titles(), ["A", "B", "C", "D"]);
    assert!(env.feeds_json()[0]["last_error"].is_null());
}

#[test]
fn defect_9_not_modified_on_the_first_fetch_is_an_error_not_an_empty_feed() {
    let server = TestServer::start();
    server.route(
        "/f",
        Reply::Fixed {
            status: 304,
            headers: vec![],
            body: Vec::new(),
        },
    );
    let env = Env::new();
    let out = env.ok(&["add", &server.url("/f")]);
    assert!(out.contains("first fetch failed"), "{out}");
    let feed = &env.feeds_json()[0];
    assert!(
        feed["last_error"].as_str().unwrap().contains("304"),
        "{feed}"
    );
}

#[test]
fn defect_9_retry_after_on_429_pauses_the_feed() {
    let server = TestServer::start();
    server.route("/f", Reply::ok(rss(&["A"]), "application/rss+xml"));
    let env = Env::new();
    env.ok(&["add", &server.url("/f")]);
    server.route(
        "/f",
        Reply::Fixed {
            status: 429,
            headers: vec![("Retry-After".into(), "3600".into())],
            body: b"slow down".to_vec(),
        },
    );
    env.run(&["refresh", "-q"]);
    let error = env.feeds_json()[0]["last_error"].to_string();
    assert!(error.contains("429") && error.contains("3600"), "{error}");
    let asked = server.requests_to("/f").len();
    // Within the hour the feed is not fetched at all, and says why.
    env.run(&["refresh", "-q"]);
    assert_eq!(server.requests_to("/f").len(), asked);
    let error = env.feeds_json()[0]["last_error"].to_string();
    assert!(error.contains("Retry-After"), "{error}");
    assert_eq!(env.titles(), ["A"]);
}

#[test]
fn defect_6_one_feed_however_its_url_is_spelled() {
    let server = TestServer::start();
    server.route(
        "/good",
        Reply::ok(rss(&["A", "B", "C"]), "application/rss+xml"),
    );
    let env = Env::new();
    let base = server.url("/good");
    let host = base.trim_end_matches("/good").trim_start_matches("http://");
    for spelling in [
        format!("http://{host}/good"),
        format!("HTTP://{host}/good"),
        format!("http://{host}/good#frag"),
        format!("http://{host}/./good"),
    ] {
        env.ok(&["add", &spelling]);
    }
    let feeds = env.feeds_json();
    assert_eq!(feeds.len(), 1, "{feeds:?}");
    assert_eq!(feeds[0]["unread"], 3);
}

#[test]
fn defect_9_add_title_is_sanitised() {
    let server = TestServer::start();
    server.route("/f", Reply::ok(rss(&["A"]), "application/rss+xml"));
    let env = Env::new();
    env.ok(&[
        "add",
        &server.url("/f"),
        "--title",
        "Evil\u{1b}]52;c;aGk=\u{7}\u{1b}[31m Title\u{202e}",
    ]);
    let title = env.feeds_json()[0]["title"].as_str().unwrap().to_string();
    assert!(!title.contains('\u{1b}'), "{title:?}");
    assert!(!title.contains('\u{7}'), "{title:?}");
    assert!(
        title.starts_with("Evil") && title.contains("Title"),
        "{title:?}"
    );
}

#[test]
fn defect_2_special_files_are_refused_without_reading_them() {
    let env = Env::new();
    for device in ["/dev/zero", "file:///dev/zero", "/dev/null"] {
        if !Path::new("/dev/zero").exists() {
            return;
        }
        let out = env.run(&["add", device]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains("not a regular file"),
            "{device}: {stderr}"
        );
        // Said once: the error names its cause in its own message.
        assert_eq!(
            stderr.matches("not a regular file").count(),
            1,
            "{device}: {stderr}"
        );
    }
    #[cfg(unix)]
    {
        let fifo = env.dir.path().join("fifo");
        let made = Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            // Would wait forever for a writer if it were opened.
            let out = env.run(&["add", fifo.to_str().unwrap()]);
            assert!(!out.status.success());
        }
    }
}

#[test]
fn defect_2_local_files_are_capped_at_max_feed_bytes() {
    let env = Env::new();
    std::fs::write(
        env.dir.path().join("config.toml"),
        "feed = []\n[fetch]\nmax_feed_bytes = 1000\n",
    )
    .unwrap();
    let big = env.dir.path().join("big.xml");
    let names: Vec<String> = (0..100).map(|n| format!("item number {n}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    std::fs::write(&big, rss(&names)).unwrap();
    let out = env.run(&["add", big.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("max_feed_bytes"),
        "{stderr}"
    );
}

#[test]
fn defect_2_an_http_page_cannot_lead_add_to_a_local_file() {
    let server = TestServer::start();
    server.route(
        "/page",
        Reply::ok(
            "<!DOCTYPE html><html><head><link rel=\"alternate\" \
             type=\"application/rss+xml\" href=\"file:///dev/zero\"></head></html>",
            "text/html",
        ),
    );
    let env = Env::new();
    let out = env.run(&["add", &server.url("/page")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("advertises no feeds"), "{stderr}");
}

#[test]
fn defect_7_large_opml_import_is_one_transaction() {
    let env = Env::new();
    let count = 20_000;
    let mut opml = String::from("<?xml version=\"1.0\"?><opml version=\"2.0\"><body>\n");
    for n in 0..count {
        opml.push_str(&format!(
            "<outline text=\"Feed {n}\" xmlUrl=\"https://feeds{}.example/{n}\" category=\"t{}\"/>\n",
            n % 50,
            n % 7
        ));
    }
    opml.push_str("</body></opml>\n");
    let file = env.dir.path().join("big.opml");
    std::fs::write(&file, &opml).unwrap();
    let out = env.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains(&format!("imported {count} feeds")), "{out}");
    assert!(out.contains(&format!("({count} new)")), "{out}");
    assert_eq!(env.feeds_json().len(), count);
    // Importing again adds nothing.
    let out = env.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("(0 new)"), "{out}");
}

#[test]
fn defect_9_a_read_only_database_can_still_be_read() {
    let server = TestServer::start();
    server.route("/f", Reply::ok(rss(&["A", "B"]), "application/rss+xml"));
    let env = Env::new();
    env.ok(&["add", &server.url("/f")]);
    let dir = env.dir.path();
    let set_mode = |path: &Path, mode: u32| {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    for entry in std::fs::read_dir(dir).unwrap() {
        set_mode(&entry.unwrap().path(), 0o444);
    }
    set_mode(dir, 0o555);
    // Root ignores permissions: run as nobody then (setpriv, util-linux).
    let as_root = std::env::var("USER").is_ok_and(|u| u == "root")
        || Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let run = |args: &[&str]| -> Output {
        let mut command = env.command(args);
        if as_root {
            let inner = command;
            let mut wrapped = Command::new("setpriv");
            wrapped
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(inner.get_program())
                .args(inner.get_args())
                .env_remove("KHABAR_DB")
                .env_remove("KHABAR_CONFIG");
            wrapped.output().unwrap()
        } else {
            command.output().unwrap()
        }
    };
    if as_root && Command::new("setpriv").arg("--version").output().is_err() {
        set_mode(dir, 0o755);
        eprintln!("skipped: running as root and setpriv is missing");
        return;
    }
    let unread = run(&["unread"]);
    let items = run(&["items"]);
    let feeds = run(&["feeds"]);
    // A write says which file could not be written, and why.
    let mark = run(&["mark-read", "--all"]);
    set_mode(dir, 0o755);
    let said = String::from_utf8_lossy(&mark.stderr);
    assert!(
        !mark.status.success(),
        "mark-read on a read-only database: {said}"
    );
    let db = env.db();
    assert!(
        said.contains(&format!("the database {} is read-only", db.display())),
        "{said}"
    );
    assert!(!said.contains("attempt to write"), "{said}");
    for (what, out) in [("unread", &unread), ("items", &items), ("feeds", &feeds)] {
        assert!(
            out.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(String::from_utf8_lossy(&unread.stdout).trim(), "2");
    assert!(String::from_utf8_lossy(&items.stdout).contains("B"));
}

/// A full disk (stood in for by a page limit, which SQLite answers with the same
/// SQLITE_FULL): the refresh says so once, naming the database, exits non-zero,
/// keeps what was stored, and stores nothing that would make the next refresh
/// skip the feeds (their new items all arrive once there is room again).
#[test]
fn a_full_disk_is_said_once_loses_nothing_and_the_next_refresh_catches_up() {
    let server = TestServer::start();
    server.route(
        "/a",
        Reply::ok(rss(&["A1", "A2", "A3"]), "application/rss+xml"),
    );
    server.route(
        "/b",
        Reply::ok(rss(&["B1", "B2", "B3"]), "application/rss+xml"),
    );
    // Unchanged through the test: with one feed refreshed, only the full disk
    // can make the run fail.
    server.route("/c", Reply::ok(rss(&["C1"]), "application/rss+xml"));
    let env = Env::new();
    for path in ["/a", "/b", "/c"] {
        env.ok(&["add", &server.url(path)]);
    }
    let before = env.titles();
    assert_eq!(before.len(), 7);
    let pages: i64 = khabar::store::Store::open(&env.db())
        .unwrap()
        .connection()
        .query_row("PRAGMA page_count", [], |row| row.get(0))
        .unwrap();

    // Each feed now brings far more than two pages of new items.
    let long = |feed: &str, n: usize| -> Vec<String> {
        (0..n)
            .map(|i| format!("{feed} {i} {}", "خبر تازه ".repeat(20)))
            .collect()
    };
    for (path, feed) in [("/a", "A"), ("/b", "B")] {
        let titles = long(feed, 300);
        let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
        server.route(path, Reply::ok(rss(&titles), "application/rss+xml"));
    }
    let full = env
        .command(&["refresh"])
        .env("KHABAR_TEST_MAX_PAGES", (pages + 2).to_string())
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&full.stdout),
        String::from_utf8_lossy(&full.stderr),
    );
    assert!(!full.status.success(), "a full disk must fail the run");
    assert!(stdout.contains("1 unchanged, 2 failed"), "{stdout}");
    let said = format!(
        "khabar: the disk holding {} is full: 2 feeds fetched but not stored",
        env.db().display()
    );
    assert_eq!(stderr.matches(&said).count(), 1, "{stderr}");
    assert_eq!(env.titles(), before, "stored items changed on a full disk");
    for feed in &env.feeds_json()[..2] {
        let error = feed["last_error"].as_str().unwrap_or_default();
        assert!(error.contains("full"), "{feed}");
    }

    // Room again: every new item of both feeds arrives (nothing recorded on the
    // full disk, such as a body hash, makes the refresh skip them).
    env.ok(&["refresh", "-q"]);
    let feeds = env.feeds_json();
    let totals: Vec<i64> = feeds.iter().map(|f| f["total"].as_i64().unwrap()).collect();
    assert_eq!(totals, [303, 303, 1], "{feeds:?}");
    assert!(feeds.iter().all(|f| f["last_error"].is_null()), "{feeds:?}");
}
