//! Whole stories offline, through the real binary: a feed with `fulltext = true`
//! whose pages a server on 127.0.0.1 serves; after `khabar refresh` the server
//! serves nothing more and `khabar article ID --full` still shows every story
//! whole, laid out right to left, without the site's chrome. Also `khabar
//! extract` on files and standard input, `khabar fulltext` with its selections,
//! and a failing page recorded with its reason.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/http_server.rs"]
mod http_server;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use http_server::{Reply, TestServer};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/articles")
            .join(name)
            .join("source.html"),
    )
    .unwrap()
}

fn expected_paragraphs(name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/articles")
            .join(name)
            .join("expected.txt"),
    )
    .unwrap();
    text.split("\n\n")
        .skip(1)
        .map(|p| p.trim().to_string())
        .collect()
}

struct Env {
    _dir: tempfile::TempDir,
    db: PathBuf,
    config: PathBuf,
}

impl Env {
    fn new(feeds_toml: &str) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("khabar.db");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, feeds_toml).unwrap();
        Env {
            _dir: dir,
            db,
            config,
        }
    }

    fn khabar(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_khabar"))
            .args(args)
            .env("KHABAR_DB", &self.db)
            .env("KHABAR_CONFIG", &self.config)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.khabar(args);
        assert!(
            out.status.success(),
            "khabar {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Item ids by title, from `khabar items --json`.
    fn item_id(&self, title: &str) -> String {
        let out = self.ok(&["items", "--json"]);
        for line in out.lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            if value["title"] == title {
                return value["id"].to_string();
            }
        }
        panic!("no item {title} in {out}")
    }
}

fn feed_xml(items: &[(&str, &str)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>خبرها</title><language>fa</language>",
    );
    for (title, link) in items {
        xml.push_str(&format!(
            "<item><guid>{link}</guid><title>{title}</title><link>{link}</link><description>یک جمله از خبر.</description></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}

/// Words of a laid-out article, whatever the line breaks and visual order.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\u{200c}')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn stories_fetched_at_refresh_read_whole_offline_without_chrome() {
    let server = TestServer::start();
    let pages = [
        ("خبر نان", "/nan", "fa-wordpress-theme"),
        ("خبر واکسن", "/vaccine", "fa-agency-itemprop"),
        ("خبر زلزله", "/quake", "fa-one-sentence"),
    ];
    let items: Vec<(&str, String)> = pages
        .iter()
        .map(|(title, path, _)| (*title, server.url(path)))
        .collect();
    let items_ref: Vec<(&str, &str)> = items.iter().map(|(t, l)| (*t, l.as_str())).collect();
    server.route(
        "/feed",
        Reply::ok(feed_xml(&items_ref), "application/rss+xml"),
    );
    for (_, path, name) in &pages {
        server.route(path, Reply::ok(fixture(name), "text/html; charset=utf-8"));
    }
    let env = Env::new(&format!(
        "[[feed]]\nurl = \"{}\"\nfulltext = true\n",
        server.url("/feed")
    ));
    env.ok(&["refresh", "--quiet"]);
    for (_, path, _) in &pages {
        assert_eq!(server.requests_to(path).len(), 1, "{path} fetched once");
    }

    // The site goes away: every page now fails, and nothing may be fetched.
    for (_, path, _) in &pages {
        server.route(path, Reply::status(503));
    }
    let before = server.request_count();
    for (title, _, name) in &pages {
        let id = env.item_id(title);
        // `--bidi terminal` keeps logical order (the terminal would reorder), so
        // words can be compared; the default layout is checked below.
        let full = env.ok(&[
            "--bidi", "terminal", "article", &id, "--full", "--width", "60",
        ]);
        let got = words(&full).join(" ");
        for paragraph in expected_paragraphs(name) {
            let want = words(&paragraph);
            // Laid out right to left, a paragraph's words keep their order within
            // each line; every word is there.
            for word in &want {
                assert!(
                    got.contains(word.as_str()),
                    "{name}: {word} missing in\n{full}"
                );
            }
        }
        let chrome = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/articles")
                .join(name)
                .join("chrome.txt"),
        )
        .unwrap();
        // Phrases only: a single chrome word may also be a story word.
        for line in chrome.lines().filter(|l| words(l).len() > 1) {
            assert!(!full.contains(line), "{name}: chrome {line:?} in\n{full}");
        }
        // Laid out by khabar: right-aligned, Persian lines padded on the left.
        let visual = env.ok(&["article", &id, "--full", "--width", "60"]);
        assert!(
            visual.lines().any(|l| l.starts_with("  ")
                && l.trim()
                    .chars()
                    .any(|c| ('\u{600}'..='\u{6ff}').contains(&c))),
            "{visual}"
        );
        // Without --full, the feed's own text.
        let feed_text = env.ok(&["--bidi", "terminal", "article", &id, "--width", "60"]);
        assert!(feed_text.contains("جمله"), "{feed_text}");
        // --html gives the stored article's HTML with the page's direction.
        let html = env.ok(&["article", &id, "--full", "--html"]);
        assert!(html.starts_with("<div dir=\"rtl\""), "{html}");
    }
    assert_eq!(
        server.request_count(),
        before,
        "reading offline fetched pages"
    );
}

#[test]
fn a_failing_page_keeps_the_feed_text_and_fulltext_retries_it_on_request() {
    let server = TestServer::start();
    let link = server.url("/later");
    server.route(
        "/feed",
        Reply::ok(feed_xml(&[("خبر دیر", &link)]), "application/rss+xml"),
    );
    server.route("/later", Reply::status(500));
    let env = Env::new(&format!(
        "[[feed]]\nurl = \"{}\"\nfulltext = true\n",
        server.url("/feed")
    ));
    env.ok(&["refresh", "--quiet"]);
    let id = env.item_id("خبر دیر");
    let out = env.khabar(&[
        "--bidi", "terminal", "article", &id, "--full", "--width", "60",
    ]);
    // The page still fails (fetched again now): the feed's text, and why.
    assert!(String::from_utf8_lossy(&out.stdout).contains("جمله"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no full text"));
    // A second refresh the same day does not try the page again.
    let tried = server.requests_to("/later").len();
    env.ok(&["refresh", "--quiet"]);
    assert_eq!(server.requests_to("/later").len(), tried);
    let store = khabar::store::Store::open(&env.db).unwrap();
    let status = store.fulltext_status(id.parse().unwrap()).unwrap().unwrap();
    assert!(
        status.error.as_deref().is_some_and(|e| e.contains("500")),
        "{status:?}"
    );
    assert_eq!(status.html, None);
    drop(store);

    // The site is back: `khabar fulltext --missing` fetches it now.
    server.route("/later", Reply::ok(fixture("fa-sanjnews-1"), "text/html"));
    let out = env.ok(&["fulltext", "--missing"]);
    assert!(out.contains("1 page: 1 with full text"), "{out}");
    let full = env.ok(&[
        "--bidi", "terminal", "article", &id, "--full", "--width", "70",
    ]);
    assert!(full.contains("صائبی"), "{full}");
    // Nothing is missing any more.
    let out = env.ok(&["fulltext", "--missing"]);
    assert!(out.starts_with("0 pages"), "{out}");
}

#[test]
fn extract_reads_files_and_standard_input_without_network_or_config() {
    let page = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/articles/ar-jsonld-only/source.html");
    let out = Command::new(env!("CARGO_BIN_EXE_khabar"))
        .args(["extract", "--json"])
        .arg(&page)
        // A config that does not exist: extract of a file must not read it.
        .env("KHABAR_CONFIG", "/nonexistent/khabar.toml")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["direction"], "rtl");
    assert_eq!(value["byline"], "سارة الخطيب");
    assert_eq!(value["method"], "json-ld-text");
    assert!(value["text"].as_str().unwrap().contains("الدفاع المدني"));

    let mut child = Command::new(env!("CARGO_BIN_EXE_khabar"))
        .args(["extract", "-"])
        .env("KHABAR_CONFIG", "/nonexistent/khabar.toml")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let cp1256 = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/articles/miniflux-ibash-windows-1251/source.html"),
    )
    .unwrap();
    child.stdin.take().unwrap().write_all(&cp1256).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Диссоциативное Расстройство"), "{text}");
}

/// `khabar extract` on a file that is no page says what it is and fails,
/// instead of printing the bytes as a story.
#[test]
fn extract_of_a_binary_file_says_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, kind) in [
        (
            "doc.pdf",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj".to_vec(),
            "a PDF document",
        ),
        (
            "blob",
            (0u8..=255).cycle().take(4_096).collect(),
            "binary data",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_khabar"))
            .arg("extract")
            .arg(&path)
            .env("KHABAR_CONFIG", "/nonexistent/khabar.toml")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(out.stdout.is_empty(), "{name}: nothing printed as a story");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("this is {kind}, not a web page")),
            "{name}: {err}"
        );
    }
}

/// Standard input that never ends (`cat /dev/zero | khabar extract -`) is cut
/// off with an error after 64 MB instead of filling the memory.
#[test]
fn extract_of_endless_standard_input_stops_with_an_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_khabar"))
        .args(["extract", "-"])
        .env("KHABAR_CONFIG", "/nonexistent/khabar.toml")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let block = vec![b'a'; 1 << 20];
        // Until khabar stops reading (a broken pipe) or far past its limit.
        for _ in 0..256 {
            if stdin.write_all(&block).is_err() {
                return;
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("larger than 64 MB"), "{err}");
}

/// `khabar fulltext` stores its pages in batches, each a segment of the search
/// index of its own (FTS5 merges none by itself), and merges them afterwards
/// as a refresh does: a view's first page pays a seek per segment.
#[test]
fn fulltext_leaves_the_search_index_merged() {
    let server = TestServer::start();
    let links: Vec<String> = (0..6).map(|n| server.url(&format!("/p{n}"))).collect();
    let titles: Vec<String> = (0..6).map(|n| format!("خبر {n}")).collect();
    let items: Vec<(&str, &str)> = titles
        .iter()
        .zip(&links)
        .map(|(t, l)| (t.as_str(), l.as_str()))
        .collect();
    server.route("/feed", Reply::ok(feed_xml(&items), "application/rss+xml"));
    for n in 0..6 {
        server.route(
            &format!("/p{n}"),
            Reply::ok(fixture("fa-sanjnews-1"), "text/html"),
        );
    }
    // One page at a time: each is stored, and indexed, on its own.
    let env = Env::new(&format!(
        "[fetch]\nconcurrency = 1\n\n[[feed]]\nurl = \"{}\"\n",
        server.url("/feed")
    ));
    env.ok(&["refresh", "--quiet"]);
    let out = env.ok(&["fulltext", "--feed", &server.url("/feed")]);
    assert!(out.contains("6 pages: 6 with full text"), "{out}");
    let store = khabar::store::Store::open(&env.db).unwrap();
    let segments = store.search_segments().unwrap();
    assert!(segments <= 2, "{segments} segments after khabar fulltext");
}
