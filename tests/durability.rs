//! The real `khabar` binary: a refresh killed with SIGKILL half way, two refreshes
//! of one database at once, and the refresh/add/import/export commands end to end.
//! Feeds come from a server on 127.0.0.1; config and database live in a temp dir.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/http_server.rs"]
mod http_server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use http_server::{Reply, TestServer};
use khabar::feed::subscriptions::{absolute_paths_only, parse_subscriptions};
use khabar::store::FeedSpec;
use khabar::store::{ItemQuery, Store};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new(config: &str) -> Env {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), config).unwrap();
        Env { dir }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("khabar.db")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_khabar"));
        command
            .arg("--config")
            .arg(self.dir.path().join("config.toml"))
            .arg("--db")
            .arg(self.db())
            .args(args)
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env_remove("KHABAR_CONFIG")
            .env_remove("KHABAR_DB");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn rss(feed: usize, items: std::ops::Range<usize>) -> Vec<u8> {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>خوراک {feed}</title>"
    );
    for i in items {
        xml.push_str(&format!(
            "<item><guid>f{feed}-i{i}</guid><title>خبر {i}</title><link>https://news.example/{feed}/{i}</link>\
             <pubDate>Tue, 24 Nov 2026 {:02}:{:02}:00 +0000</pubDate><description>متن {i}</description></item>",
            i / 60 % 24,
            i % 60
        ));
    }
    xml.push_str("</channel></rss>");
    xml.into_bytes()
}

fn config_for(server: &TestServer, feeds: usize, concurrency: usize) -> String {
    let mut config = format!(
        "[fetch]\nconcurrency = {concurrency}\nper_host = {concurrency}\ntimeout_secs = 20\n\n"
    );
    for f in 0..feeds {
        config.push_str(&format!(
            "[[feed]]\nurl = \"{}\"\ntags = [\"t{}\"]\n\n",
            server.url(&format!("/f{f}")),
            f % 3
        ));
    }
    config
}

fn subscriptions(text: &str) -> Vec<FeedSpec> {
    parse_subscriptions(text, &absolute_paths_only)
        .unwrap()
        .feeds
}

fn all_items(db: &Path) -> Vec<khabar::store::ItemRow> {
    let store = Store::open(db).unwrap();
    store
        .items_after(&ItemQuery::default(), None, 100_000)
        .unwrap()
}

/// Serves `/f0` … `/f{feeds - 1}` with `items` of each feed, answered after `delay`.
fn serve_slowly(server: &TestServer, feeds: usize, items: std::ops::Range<usize>, delay: Duration) {
    for f in 0..feeds {
        server.route(
            &format!("/f{f}"),
            Reply::Delayed(
                delay,
                Box::new(Reply::ok(rss(f, items.clone()), "application/rss+xml")),
            ),
        );
    }
}

/// SQLite finds nothing wrong in the database (`PRAGMA integrity_check`).
fn assert_whole(db: &Path) {
    let check: String = Store::open(db)
        .unwrap()
        .connection()
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

/// Starts `khabar refresh` and kills it with SIGKILL once the server has
/// answered `requests` more requests.
fn refresh_killed_after(env: &Env, server: &TestServer, requests: usize) {
    let before = server.request_count();
    let mut child = env
        .command(&["refresh", "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while server.request_count() < before + requests {
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the refresh finished before it was killed"
    );
}

#[test]
fn sigkill_half_way_through_a_refresh_keeps_every_earlier_read_state() {
    const FEEDS: usize = 30;
    let server = TestServer::start();
    for f in 0..FEEDS {
        server.route(
            &format!("/f{f}"),
            Reply::ok(rss(f, 0..20), "application/rss+xml"),
        );
    }
    let env = Env::new(&config_for(&server, FEEDS, 2));
    let first = env.run(&["refresh", "--quiet"]);
    assert!(first.status.success(), "{}", text(&first.stderr));

    // Read every third item.
    let items = all_items(&env.db());
    assert_eq!(items.len(), FEEDS * 20);
    let read: Vec<i64> = items.iter().step_by(3).map(|i| i.id).collect();
    Store::open(&env.db())
        .unwrap()
        .set_read(&read, true, 1)
        .unwrap();

    // Now every feed has new items and answers slowly; kill the refresh half way.
    serve_slowly(&server, FEEDS, 0..60, Duration::from_millis(150));
    refresh_killed_after(&env, &server, FEEDS / 2);

    assert_whole(&env.db());
    let store = Store::open(&env.db()).unwrap();
    for id in &read {
        assert!(
            store.item(*id).unwrap().unwrap().row.read,
            "item {id} lost its read state"
        );
    }
    let partial = all_items(&env.db()).len();
    assert!((FEEDS * 20..FEEDS * 60).contains(&partial), "{partial}");
    drop(store);

    // A new refresh completes the work and still keeps the read state.
    let again = env.run(&["refresh"]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    let items = all_items(&env.db());
    assert_eq!(items.len(), FEEDS * 60);
    let store = Store::open(&env.db()).unwrap();
    for id in &read {
        assert!(store.item(*id).unwrap().unwrap().row.read);
    }
}

#[test]
fn two_processes_refreshing_one_database_both_finish() {
    const FEEDS: usize = 40;
    let server = TestServer::start();
    serve_slowly(&server, FEEDS, 0..25, Duration::from_millis(20));
    let env = Env::new(&config_for(&server, FEEDS, 4));
    // Create the database first so both processes race on refreshing, not on creating.
    // (`khabar unread` no longer makes a database named with --db that is missing.)
    drop(Store::open(&env.db()).unwrap());
    let children: Vec<_> = (0..2)
        .map(|_| {
            env.command(&["refresh"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stderr = text(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        assert!(!stderr.contains("locked"), "{stderr}");
        let stdout = text(&output.stdout);
        assert!(stdout.starts_with("40 feeds: "), "{stdout}");
        assert!(!stdout.contains("failed"), "{stdout}");
    }
    let items = all_items(&env.db());
    assert_eq!(items.len(), FEEDS * 25, "no item lost or duplicated");
    let unread = env.run(&["unread"]);
    assert_eq!(text(&unread.stdout).trim(), (FEEDS * 25).to_string());
}

#[test]
fn refresh_prints_a_summary_and_fails_only_when_nothing_was_refreshed() {
    let server = TestServer::start();
    server.route("/f0", Reply::ok(rss(0, 0..1200), "application/rss+xml"));
    server.route("/f1", Reply::status(500));
    let env = Env::new(&config_for(&server, 2, 2));
    let output = env.run(&["refresh"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout).trim(),
        "2 feeds: 1 updated, 1 failed (see khabar feeds); 1,200 new items"
    );
    let feeds = text(&env.run(&["feeds"]).stdout);
    assert!(feeds.contains("HTTP 500"), "{feeds}");

    let only_tag = env.run(&["refresh", "--tag", "t1"]);
    assert!(!only_tag.status.success(), "the only feed of t1 failed");
    assert!(text(&only_tag.stdout).starts_with("1 feed: 0 updated, 1 failed"));
    let quiet = env.run(&["refresh", "--quiet", "--feed", &server.url("/f0")]);
    assert!(quiet.status.success());
    assert_eq!(text(&quiet.stdout), "");
}

#[test]
fn add_discovers_the_feed_of_a_web_page() {
    let server = TestServer::start();
    let page = format!(
        "<!DOCTYPE html><html><head><title>سایت</title>\
         <link rel=\"alternate\" type=\"application/rss+xml\" title=\"RSS\" href=\"/feed.xml\">\
         <link rel=\"alternate\" type=\"application/atom+xml\" href=\"{}\"></head><body>خبر</body></html>",
        server.url("/atom.xml")
    );
    server.route("/", Reply::ok(page, "text/html; charset=utf-8"));
    server.route("/feed.xml", Reply::ok(rss(7, 0..3), "application/rss+xml"));
    let env = Env::new("feed = []\n");
    let output = env.run(&[
        "add",
        &server.url("/"),
        "--tag",
        "صنعت",
        "--title",
        "عنوان من",
    ]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(stdout.contains(&server.url("/feed.xml")), "{stdout}");
    assert!(
        stdout.contains(&server.url("/atom.xml")),
        "the other feed is mentioned: {stdout}"
    );
    let store = Store::open(&env.db()).unwrap();
    let feed = store
        .feed_by_url(&server.url("/feed.xml"))
        .unwrap()
        .unwrap();
    assert_eq!(feed.title, "عنوان من");
    assert_eq!(feed.tags, ["صنعت"]);
    assert_eq!(feed.total, 3);

    // Again: already subscribed; nothing the user did not name changes.
    let direct = env.run(&["add", &server.url("/feed.xml")]);
    assert!(direct.status.success(), "{}", text(&direct.stderr));
    assert_eq!(
        text(&direct.stdout),
        format!(
            "already subscribed to عنوان من <{}> [صنعت] (3 items)\n",
            server.url("/feed.xml")
        )
    );
    let requests = server.request_count();
    let retag = env.run(&["add", &server.url("/feed.xml"), "--tag", "news"]);
    assert!(retag.status.success(), "{}", text(&retag.stderr));
    assert!(
        text(&retag.stdout).starts_with("already subscribed to عنوان من <"),
        "{}",
        text(&retag.stdout)
    );
    assert!(text(&retag.stdout).contains("[news] (3 items); tags updated"));
    assert_eq!(
        server.request_count(),
        requests,
        "a known feed is not fetched"
    );
    // Through the page: discovered, then recognised.
    let via_page = env.run(&["add", &server.url("/")]);
    assert!(via_page.status.success());
    assert!(
        text(&via_page.stdout).starts_with("already subscribed to عنوان من"),
        "{}",
        text(&via_page.stdout)
    );
    let feed = Store::open(&env.db())
        .unwrap()
        .feed_by_url(&server.url("/feed.xml"))
        .unwrap()
        .unwrap();
    assert_eq!(feed.title, "عنوان من", "title kept");
    assert_eq!(feed.tags, ["news"]);
    assert_eq!(feed.total, 3);
    assert_eq!(Store::open(&env.db()).unwrap().feeds().unwrap().len(), 1);
    server.route(
        "/empty",
        Reply::ok("<html><head></head></html>", "text/html"),
    );
    let none = env.run(&["add", &server.url("/empty")]);
    assert!(!none.status.success());
    assert!(
        text(&none.stderr).contains("advertises no feeds"),
        "{}",
        text(&none.stderr)
    );
    // A PDF is named as what it is, not called a page without feeds.
    server.route(
        "/report",
        Reply::ok(
            &b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"[..],
            "application/octet-stream",
        ),
    );
    let pdf = env.run(&["add", &server.url("/report")]);
    assert!(!pdf.status.success());
    assert!(
        text(&pdf.stderr).contains("is a PDF document, not a feed or a web page"),
        "{}",
        text(&pdf.stderr)
    );
}

#[test]
fn import_then_export_round_trips() {
    let env = Env::new("feed = []\n");
    let urls = env.dir.path().join("urls");
    std::fs::write(
        &urls,
        "# newsboat urls\nhttps://a.example/rss \"صنعت\" news \"~خبرگزاری الف\"\nhttps://b.example/feed.xml tech\n\nhttps://c.example/atom\n",
    )
    .unwrap();
    let imported = env.run(&["import", urls.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert!(
        text(&imported.stdout).contains("imported 3 feeds"),
        "{}",
        text(&imported.stdout)
    );
    let exported = env.run(&["export"]);
    assert!(exported.status.success());
    let opml = text(&exported.stdout);
    assert!(opml.ends_with("</opml>\n"), "ends with a newline: {opml:?}");
    let mut original = subscriptions(&std::fs::read_to_string(&urls).unwrap());
    let mut round = subscriptions(&opml);
    // Tags are a set: the store keeps them sorted.
    for list in [&mut original, &mut round] {
        list.sort_by(|a, b| a.url.cmp(&b.url));
        list.iter_mut().for_each(|f| f.tags.sort());
    }
    assert_eq!(round, original, "{opml}");

    // And OPML into a fresh database gives the same OPML again.
    let opml_path = env.dir.path().join("subs.opml");
    std::fs::write(&opml_path, &opml).unwrap();
    let second = Env::new("feed = []\n");
    assert!(
        second
            .run(&["import", opml_path.to_str().unwrap()])
            .status
            .success()
    );
    let again = text(&second.run(&["export"]).stdout);
    let strip_date = |s: &str| {
        s.lines()
            .filter(|l| !l.contains("dateCreated"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip_date(&again), strip_date(&opml));

    let bad = env.dir.path().join("bad.opml");
    std::fs::write(&bad, "# nothing here\n").unwrap();
    let failed = env.run(&["import", bad.to_str().unwrap()]);
    assert!(!failed.status.success());
    assert!(
        text(&failed.stderr).contains("no feeds found"),
        "{}",
        text(&failed.stderr)
    );
}

#[test]
fn import_skips_and_reports_what_is_not_a_feed() {
    let env = Env::new("feed = []\n");
    let urls = env.dir.path().join("urls");
    std::fs::write(
        &urls,
        "https://a.example/rss news\ngarbage <<\nquery:Unread:unread = \"yes\"\nexec:~/bin/feed\nftp://b.example/feed\n",
    )
    .unwrap();
    let imported = env.run(&["import", urls.to_str().unwrap()]);
    let (stdout, stderr) = (text(&imported.stdout), text(&imported.stderr));
    assert!(imported.status.success(), "{stderr}");
    // The exec: line is a feed (a command feed, tests/command_feeds.rs); the
    // query: line, unquoted, is split at its spaces and cannot be translated.
    assert!(
        stdout.starts_with("imported 2 feeds from "),
        "only the real feeds: {stdout}"
    );
    assert!(
        stdout.contains("skipped 2 entries that are not a feed URL"),
        "{stdout}"
    );
    assert!(
        stdout.contains("made 0 views from newsboat's query feeds, 1 not translated"),
        "{stdout}"
    );
    assert!(
        stderr.contains(":3: query feed \"Unread\" not imported"),
        "{stderr}"
    );
    assert!(stderr.contains(":2: skipped \"garbage\""), "{stderr}");
    assert!(
        stderr.contains(":5: skipped \"ftp://b.example/feed\""),
        "{stderr}"
    );
    let store = Store::open(&env.db()).unwrap();
    let feeds: Vec<String> = store.feeds().unwrap().into_iter().map(|f| f.url).collect();
    assert_eq!(feeds, ["exec:~/bin/feed", "https://a.example/rss"]);
    drop(store);

    // Nothing usable at all: an error, and the database is not touched.
    let garbage = env.dir.path().join("g.txt");
    std::fs::write(&garbage, "garbage <<\n").unwrap();
    let failed = env.run(&["import", garbage.to_str().unwrap()]);
    assert!(!failed.status.success());
    let stderr = text(&failed.stderr);
    assert!(stderr.contains("no usable feed"), "{stderr}");
    assert!(stderr.contains(":1: skipped \"garbage\""), "{stderr}");
    let store = Store::open(&env.db()).unwrap();
    assert_eq!(store.feeds().unwrap().len(), 2);
}

#[test]
fn import_resolves_relative_paths_against_the_imported_file() {
    let env = Env::new("feed = []\n");
    let lists = env.dir.path().join("lists");
    std::fs::create_dir_all(lists.join("www")).unwrap();
    std::fs::write(lists.join("www/feed.xml"), rss(3, 0..2)).unwrap();
    std::fs::write(lists.join("urls"), "www/feed.xml local\n").unwrap();
    // Run from another directory: the path is relative to the file, not the cwd.
    let imported = env
        .command(&["import", "lists/urls"])
        .current_dir(env.dir.path())
        .output()
        .unwrap();
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let expected = lists.join("www/feed.xml").canonicalize().unwrap();
    let store = Store::open(&env.db()).unwrap();
    let feeds = store.feeds().unwrap();
    assert_eq!(feeds.len(), 1);
    assert_eq!(feeds[0].url, expected.display().to_string());
    drop(store);
    let refreshed = env.command(&["refresh"]).current_dir("/").output().unwrap();
    assert!(
        refreshed.status.success(),
        "{}{}",
        text(&refreshed.stdout),
        text(&refreshed.stderr)
    );
    assert_eq!(all_items(&env.db()).len(), 2);
}

#[test]
fn add_prints_no_control_characters_from_the_feed_or_the_server() {
    let server = TestServer::start();
    let hostile = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>\
         <title>Evil feed &#x202e;txet desrever \u{1b}[31mRED\u{1b}]0;pwned\u{7}</title>\
         <item><guid>1</guid><title>x</title></item></channel></rss>";
    server.route("/hostile.xml", Reply::ok(hostile, "application/rss+xml"));
    let page = "<!DOCTYPE html><html><head>\
         <link rel=\"alternate\" type=\"application/rss+xml\" href=\"/hostile.xml\">\
         <link rel=\"alternate\" type=\"application/rss+xml\" href=\"/other\u{202e}lmx.xml\"></head></html>";
    server.route("/", Reply::ok(page, "text/html"));
    server.route(
        "/broken.xml",
        Reply::ok(
            "<rss version=\"2.0\"><channel><title>t</title></chan\u{202e}nel\u{1b}[2J></rss>",
            "application/rss+xml",
        ),
    );
    let env = Env::new("feed = []\n");
    let is_unsafe =
        |c: char| c == '\u{1b}' || c == '\u{7}' || ('\u{202a}'..='\u{202e}').contains(&c);
    for args in [
        vec!["add", &server.url("/")],
        vec!["add", &server.url("/hostile.xml")],
        vec!["add", &server.url("/broken.xml")],
    ] {
        let output = env.run(&args);
        let all = text(&output.stdout) + &text(&output.stderr);
        assert!(!all.contains(is_unsafe), "{args:?}: {all:?}");
        assert!(!all.is_empty());
        if args[1] == server.url("/") {
            // Regression (QA F11): "…: 1 items".
            assert!(all.contains(">: 1 item\n"), "{all:?}");
        }
    }
    let first = text(&env.run(&["add", &server.url("/hostile.xml")]).stdout);
    assert!(
        first.starts_with("already subscribed to Evil feed txet desrever RED <"),
        "{first:?}"
    );
}

#[test]
fn add_of_a_feed_the_config_lists_changes_nothing() {
    let server = TestServer::start();
    server.route("/f0", Reply::ok(rss(0, 0..2), "application/rss+xml"));
    let env = Env::new(&config_for(&server, 1, 1));
    // Never refreshed: the config's feed is still recognised.
    let again = env.run(&["add", &server.url("/f0")]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(
        text(&again.stdout),
        format!(
            "already subscribed to {url} <{url}> [t0] (0 items); \
             kept for you if the config stops listing it\n",
            url = server.url("/f0")
        )
    );
    let retag = env.run(&["add", &server.url("/f0"), "--tag", "x"]);
    assert!(!retag.status.success());
    assert!(
        text(&retag.stderr).contains("config.toml: change its title, tags or `enabled` there"),
        "{}",
        text(&retag.stderr)
    );
    let store = Store::open(&env.db()).unwrap();
    let feed = store.feed_by_url(&server.url("/f0")).unwrap().unwrap();
    assert_eq!(feed.tags, ["t0"]);
    assert_eq!(server.request_count(), 0, "nothing fetched");
}

/// QA F8: `khabar refresh --feed URL` with the URL the config file gives, after the
/// feed moved with a 301, refreshes it instead of saying there is no such feed.
#[test]
fn refresh_feed_by_its_config_url_after_a_permanent_redirect() {
    let server = TestServer::start();
    server.route("/old", Reply::redirect(301, &server.url("/new")));
    server.route("/new", Reply::ok(rss(0, 0..3), "application/rss+xml"));
    let old = server.url("/old");
    let env = Env::new(&format!("[[feed]]\nurl = \"{old}\"\n"));
    let first = env.run(&["refresh"]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let again = env.run(&["refresh", "--feed", &old]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stdout).starts_with("1 feed:"),
        "{}",
        text(&again.stdout)
    );
}

/// The time-ordered indexes (`store::deferred_indexes`) in the database's schema.
fn time_indexes(db: &Path) -> Vec<String> {
    let store = Store::open(db).unwrap();
    let mut names = store
        .connection()
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN
               ('items_by_time', 'state_unread_by_time', 'tag_items_by_time') ORDER BY name",
        )
        .unwrap();
    names
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A first refresh makes the time-ordered indexes after its last batch; one
/// killed before that leaves them out, and the next command that opens the
/// database makes them again, with every item it stored listed by time.
#[test]
fn a_first_refresh_killed_half_way_leaves_the_time_indexes_to_the_next_command() {
    const FEEDS: usize = 30;
    let all = vec![
        "items_by_time".to_string(),
        "state_unread_by_time".to_string(),
        "tag_items_by_time".to_string(),
    ];
    let server = TestServer::start();
    serve_slowly(&server, FEEDS, 0..20, Duration::from_millis(150));
    let env = Env::new(&config_for(&server, FEEDS, 2));
    refresh_killed_after(&env, &server, FEEDS / 2);
    assert_eq!(time_indexes(&env.db()), Vec::<String>::new());
    let stored = all_items(&env.db()).len();
    assert!(stored > 0 && stored < FEEDS * 20, "{stored}");

    let listed = env.run(&["items", "--limit", "5"]);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    assert_eq!(time_indexes(&env.db()), all);
    assert_whole(&env.db());
    assert_eq!(all_items(&env.db()).len(), stored);

    // A whole first refresh into a new database ends with them.
    let fresh = Env::new(&config_for(&server, 3, 2));
    let done = fresh.run(&["refresh", "--quiet"]);
    assert!(done.status.success(), "{}", text(&done.stderr));
    assert_eq!(time_indexes(&fresh.db()), all);
    assert_eq!(all_items(&fresh.db()).len(), 3 * 20);
}
