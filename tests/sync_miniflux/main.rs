//! `khabar sync` end to end, with the real binary against a real Miniflux (2.3.x,
//! and 2.2.x for the older API) on PostgreSQL, feeds served from a loopback
//! server. Skipped with a loud message only when no Miniflux can be started
//! (`.ci/run` installs and starts it).

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../support/http_server.rs"]
mod http_server;
#[path = "../support/miniflux.rs"]
mod miniflux;

mod batches;
mod check;
mod marks;
mod wrong_url;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use http_server::{Reply, TestServer};
use miniflux::{Miniflux, Mode, Proxy};

/// (title, read, starred).
type State = (String, bool, bool);

struct Setup {
    mf: Miniflux,
    feeds: TestServer,
    /// The database and the log live here; the config (with the secret) apart.
    data: tempfile::TempDir,
    conf: tempfile::TempDir,
}

fn rss(name: &str, range: std::ops::Range<u32>) -> String {
    let items: String = range
        .map(|i| {
            format!(
                "<item><title>{name} {i}</title><link>http://example.org/{name}/{i}</link>\
                 <guid>{name}-{i}</guid><description>body of {name} {i}</description>\
                 <pubDate>Mon, 30 Nov 2026 {:02}:{:02}:00 +0000</pubDate></item>",
                (i / 60) % 24,
                i % 60
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{name}</title>\
         <link>http://example.org/{name}</link><description>d</description>{items}</channel></rss>"
    )
}

impl Setup {
    fn new(series: &str) -> Option<Setup> {
        let mf = miniflux::start(series)?;
        let feeds = TestServer::start();
        let setup = Setup {
            mf,
            feeds,
            data: tempfile::tempdir().unwrap(),
            conf: tempfile::tempdir().unwrap(),
        };
        let url = setup.mf.url();
        setup.write_config("miniflux", &url, &setup.mf.password.clone());
        Some(setup)
    }

    /// Serves `name` with items `range` and subscribes the server to it.
    fn feed(&self, name: &str, range: std::ops::Range<u32>) -> i64 {
        self.serve(name, range);
        self.mf.subscribe(&self.feeds.url(&format!("/{name}.xml")))
    }

    fn serve(&self, name: &str, range: std::ops::Range<u32>) {
        self.feeds.route(
            &format!("/{name}.xml"),
            Reply::ok(rss(name, range), "application/rss+xml"),
        );
    }

    fn config_path(&self) -> PathBuf {
        self.conf.path().join("config.toml")
    }

    fn write_config(&self, provider: &str, url: &str, password: &str) {
        let text = format!(
            "feed = []\n[sync]\nprovider = \"{provider}\"\nurl = \"{url}\"\n\
             username = \"admin\"\npassword = \"{password}\"\n"
        );
        std::fs::write(self.config_path(), text).unwrap();
        set_private(&self.config_path());
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_khabar"));
        command
            .arg("--config")
            .arg(self.config_path())
            .arg("--db")
            .arg(self.data.path().join("khabar.db"))
            .args(args)
            .env("KHABAR_SYNC_RETRY_MS", "50,100")
            // Request counts must not depend on how fast a busy machine answers
            // the changed-since check (src/sync/sets.rs).
            .env("KHABAR_SYNC_CHECK_GRACE_MS", "60000")
            // Nor may whether changes written ahead of a delayed id set are
            // kept (src/sync/engine.rs); the slow-server test sets it short.
            .env("KHABAR_SYNC_AHEAD_HOLD_MS", "30000")
            .env_remove("KHABAR_CONFIG")
            .env_remove("KHABAR_DB");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// `khabar sync` that must succeed; returns its summary line.
    fn sync(&self) -> String {
        self.sync_with(&[])
    }

    /// [`Setup::sync`] with more environment variables.
    fn sync_with(&self, env: &[(&str, &str)]) -> String {
        let out = self
            .command(&["sync"])
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "sync failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            self.mf.log_text()
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Local items: (id, title, read, starred), by title.
    fn items(&self) -> Vec<(i64, String, bool, bool)> {
        let out = self.run(&["items", "--json", "--limit", "100000"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut items: Vec<_> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|line| {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                (
                    v["id"].as_i64().unwrap(),
                    v["title"].as_str().unwrap().to_string(),
                    v["read"].as_bool().unwrap(),
                    v["starred"].as_bool().unwrap(),
                )
            })
            .collect();
        items.sort_by(|a, b| a.1.cmp(&b.1));
        items
    }

    fn local(&self, title: &str) -> (i64, bool, bool) {
        self.items()
            .into_iter()
            .find(|i| i.1 == title)
            .map(|i| (i.0, i.2, i.3))
            .unwrap_or_else(|| panic!("no local item {title}"))
    }

    fn remote(&self, title: &str) -> (i64, bool, bool) {
        self.mf
            .entries()
            .into_iter()
            .find(|e| e.1 == title)
            .map(|e| (e.0, e.2, e.3))
            .unwrap_or_else(|| panic!("no server entry {title}"))
    }

    /// Every entry's (title, read, starred), on the server and locally.
    fn both(&self) -> (Vec<State>, Vec<State>) {
        let mut server: Vec<_> = self
            .mf
            .entries()
            .into_iter()
            .map(|e| (e.1, e.2, e.3))
            .collect();
        server.sort();
        let mut local: Vec<_> = self.items().into_iter().map(|i| (i.1, i.2, i.3)).collect();
        local.sort();
        (server, local)
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    }
}

fn set_private(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

fn first_sync(series: &str) {
    let Some(s) = Setup::new(series) else { return };
    s.feed("alpha", 1..6);
    s.feed("beta", 1..4);
    let read = s.remote("alpha 2").0;
    s.mf.set_read(&[read], true);
    s.mf.set_starred(s.remote("beta 3").0, true);

    let summary = s.sync();
    assert_eq!(summary, "sync: 8 new, 0 marked read on the server, 0 sent");
    let (server, local) = s.both();
    assert_eq!(server, local, "first sync takes the server's state");
    assert!(s.local("alpha 2").1);
    assert!(s.local("beta 3").2);
    let feeds = s.ok(&["feeds"]);
    assert!(feeds.contains("alpha"), "{feeds}");
    assert!(feeds.contains("#All"), "categories become tags: {feeds}");
    assert!(
        feeds.contains("sync: miniflux admin@http://127.0.0.1"),
        "{feeds}"
    );
    assert!(feeds.contains("0 marks waiting"), "{feeds}");
    // Nothing new: nothing pulled twice.
    assert_eq!(s.sync(), "sync: 0 new, 0 marked read on the server, 0 sent");
    assert_eq!(s.items().len(), 8);
}

#[test]
fn first_sync_takes_feeds_entries_and_state_2_3() {
    first_sync("2.3");
}

#[test]
fn first_sync_takes_feeds_entries_and_state_2_2() {
    first_sync("2.2");
}

fn server_marks_arrive(series: &str) {
    let Some(s) = Setup::new(series) else { return };
    s.feed("alpha", 1..6);
    s.sync();
    let (a1, a2, a3) = (
        s.remote("alpha 1").0,
        s.remote("alpha 2").0,
        s.remote("alpha 3").0,
    );
    s.mf.set_read(&[a1, a2], true);
    s.mf.set_starred(a3, true);
    let summary = s.sync();
    assert!(
        summary.starts_with("sync: 0 new, 2 marked read on the server, 0 sent"),
        "{summary}"
    );
    assert!(s.local("alpha 1").1 && s.local("alpha 2").1);
    assert!(s.local("alpha 3").2, "stars come back from the server");
    // And back to unread on the server.
    s.mf.set_read(&[a1], false);
    s.mf.set_starred(a3, false);
    let summary = s.sync();
    assert!(
        summary.contains("1 marked unread on the server"),
        "{summary}"
    );
    assert!(!s.local("alpha 1").1);
    assert!(!s.local("alpha 3").2);
    let (server, local) = s.both();
    assert_eq!(server, local);
}

#[test]
fn read_on_the_server_is_read_locally_2_3() {
    server_marks_arrive("2.3");
}

#[test]
fn read_on_the_server_is_read_locally_2_2() {
    server_marks_arrive("2.2");
}

fn stars_both_ways(series: &str) {
    let Some(s) = Setup::new(series) else { return };
    s.feed("alpha", 1..6);
    s.sync();
    let local_a1 = s.local("alpha 1").0;
    s.ok(&["star", &local_a1.to_string()]);
    s.mf.set_starred(s.remote("alpha 2").0, true);
    let summary = s.sync();
    assert!(summary.contains("1 sent"), "{summary}");
    assert!(s.remote("alpha 1").2, "local star reached the server");
    assert!(s.local("alpha 2").2, "server star reached khabar");
    // Unstar locally what the server starred, and star it again elsewhere: the
    // per-entry toggle of 2.2 must not flip a star it did not mean to.
    let local_a2 = s.local("alpha 2").0;
    s.ok(&["star", "--unstar", &local_a2.to_string()]);
    s.sync();
    assert!(!s.remote("alpha 2").2);
    assert!(s.remote("alpha 1").2);
    let (server, local) = s.both();
    assert_eq!(server, local);
}

#[test]
fn stars_sync_both_ways_2_3() {
    stars_both_ways("2.3");
}

#[test]
fn stars_sync_both_ways_2_2() {
    stars_both_ways("2.2");
}

#[test]
fn marks_made_while_the_server_is_down_are_sent_when_it_is_back() {
    let Some(mut s) = Setup::new("2.3") else {
        return;
    };
    s.feed("alpha", 1..6);
    s.sync();
    s.mf.stop();
    let (a1, a2) = (s.local("alpha 1").0, s.local("alpha 2").0);
    s.ok(&["mark-read", &a1.to_string(), &a2.to_string()]);
    s.ok(&["star", &a2.to_string()]);
    let out = s.run(&["sync"]);
    assert!(
        !out.status.success(),
        "an unreachable server fails the sync"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(
        err.contains("cannot reach the sync server http://127.0.0.1:"),
        "{err}"
    );
    assert!(err.contains("3 local marks kept"), "{err}");
    assert!(s.ok(&["feeds"]).contains("3 marks waiting"));
    // Offline, everything still reads and marks locally.
    assert!(s.local("alpha 1").1);
    s.mf.restart();
    // Right after a failure a plain `sync` backs off (see the backoff test):
    // the user who knows the server is back asks for it now.
    let summary = s.ok(&["sync", "--now"]);
    assert!(summary.trim().ends_with("3 sent"), "{summary}");
    assert!(s.remote("alpha 1").1 && s.remote("alpha 2").1 && s.remote("alpha 2").2);
    assert!(s.ok(&["feeds"]).contains("0 marks waiting"));
}

#[test]
fn read_then_unread_before_a_sync_sends_nothing() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..3);
    s.sync();
    let id = s.local("alpha 1").0.to_string();
    s.ok(&["mark-read", &id]);
    s.ok(&["mark-read", "--unread", &id]);
    assert!(s.ok(&["feeds"]).contains("0 marks waiting"));
    assert!(s.sync().ends_with("0 sent"));
}

#[test]
fn the_same_item_changed_on_both_sides() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..6);
    s.sync();
    let (r1, r2) = (s.remote("alpha 1").0, s.remote("alpha 2").0);
    // alpha 1: read locally, unread→read→unread on the server meanwhile: the
    // pending local mark wins and is sent.
    s.ok(&["mark-read", &s.local("alpha 1").0.to_string()]);
    s.mf.set_read(&[r1], true);
    s.mf.set_read(&[r1], false);
    // alpha 2: starred locally, read on the server: both changes survive.
    s.ok(&["star", &s.local("alpha 2").0.to_string()]);
    s.mf.set_read(&[r2], true);
    s.sync();
    assert_eq!(s.local("alpha 1"), (s.local("alpha 1").0, true, false));
    assert!(s.remote("alpha 1").1, "local mark sent");
    assert_eq!((s.local("alpha 2").1, s.local("alpha 2").2), (true, true));
    assert_eq!((s.remote("alpha 2").1, s.remote("alpha 2").2), (true, true));
    // Once sent, the server wins again.
    s.mf.set_read(&[r1], false);
    s.sync();
    assert!(!s.local("alpha 1").1);
    let (server, local) = s.both();
    assert_eq!(server, local);
}

#[test]
fn mark_all_read_sends_only_the_entries_seen() {
    let Some(s) = Setup::new("2.3") else { return };
    let feed = s.feed("alpha", 1..6);
    s.sync();
    // New entries arrive on the server after the user's last sync...
    s.serve("alpha", 1..9);
    s.mf.refresh_feed(feed);
    assert_eq!(s.mf.entries().len(), 8);
    // ...and the user marks everything they have read.
    let out = s.ok(&["mark-read", "--all"]);
    assert!(out.contains("5 items marked read"), "{out}");
    let summary = s.sync();
    assert!(summary.starts_with("sync: 3 new"), "{summary}");
    assert!(summary.ends_with("5 sent"), "{summary}");
    for i in 1..9 {
        let title = format!("alpha {i}");
        let expect_read = i < 6;
        assert_eq!(s.remote(&title).1, expect_read, "{title} on the server");
        assert_eq!(s.local(&title).1, expect_read, "{title} locally");
    }
}

#[test]
fn kill_9_during_a_sync_then_sync_again_loses_and_doubles_nothing() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("big", 0..1200);
    s.feed("small", 0..3);
    let entries = s.mf.entries();
    assert_eq!(entries.len(), 1203);
    let mut ids: Vec<i64> = entries.iter().map(|e| e.0).collect();
    ids.sort();
    let thousandth = ids[999];
    s.mf.set_read(&ids[..10], true);
    let proxy = Proxy::start(s.mf.port);
    s.write_config("miniflux", &proxy.url(), &s.mf.password);
    proxy.stall_on(&format!("after_entry_id={thousandth}&"));
    let mut child = s.command(&["sync", "--quiet"]).spawn().unwrap();
    // The second page is held unanswered; once the first is committed (the pull
    // fetches ahead while it writes), the sync is killed while it waits.
    let deadline = Instant::now() + Duration::from_secs(300);
    while proxy.stalled.load(std::sync::atomic::Ordering::SeqCst) == 0 || s.items().len() < 1000 {
        assert!(
            Instant::now() < deadline,
            "sync never reached the second page"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // SIGKILL: no destructor, no rollback handler runs.
    child.kill().unwrap();
    let _ = child.wait();
    let held = s.items().len();
    assert_eq!(held, 1000, "the first page was committed with its cursor");
    proxy.set(Mode::Forward);
    let summary = s.sync();
    assert!(summary.starts_with("sync: 203 new"), "{summary}");
    let items = s.items();
    assert_eq!(items.len(), 1203, "nothing lost");
    let mut titles: Vec<&String> = items.iter().map(|i| &i.1).collect();
    titles.dedup();
    assert_eq!(titles.len(), 1203, "nothing doubled");
    let (server, local) = s.both();
    assert_eq!(server, local);
}

#[test]
fn a_wrong_password_is_one_clear_line_and_changes_nothing() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..3);
    s.sync();
    s.write_config("miniflux", &s.mf.url(), "not-the-Password-9");
    let out = s.run(&["sync"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("refused the login"), "{err}");
    assert!(err.contains(&s.mf.url()), "names the server: {err}");
    assert!(!err.contains("not-the-Password-9"), "{err}");
    assert_eq!(s.items().len(), 2, "local data untouched");
}

#[test]
fn a_storm_of_500s_fails_cleanly_and_the_next_sync_sends_everything() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..6);
    let proxy = Proxy::start(s.mf.port);
    s.write_config("miniflux", &proxy.url(), &s.mf.password);
    s.sync();
    let id = s.local("alpha 1").0.to_string();
    s.ok(&["mark-read", &id]);
    proxy.set(Mode::Fail);
    let out = s.run(&["sync"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("answered HTTP 500 3 times in a row"), "{err}");
    assert!(err.contains(&proxy.url()), "{err}");
    assert!(proxy.failed.load(std::sync::atomic::Ordering::SeqCst) >= 3);
    assert_eq!(s.items().len(), 5, "local data untouched");
    assert!(s.local("alpha 1").1);
    // The storm passes while a sync is retrying: it rides it out.
    let child = s
        .command(&["sync", "--now"])
        .env("KHABAR_SYNC_RETRY_MS", "200,400,800,1600")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    proxy.set(Mode::Forward);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 sent"));
    assert!(s.remote("alpha 1").1);
}

#[test]
fn an_api_token_logs_in_too() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..3);
    let token = s.mf.create_token();
    std::fs::write(
        s.config_path(),
        format!(
            "feed = []\n[sync]\nprovider = \"miniflux\"\nurl = \"{}\"\ntoken = \"{token}\"\n",
            s.mf.url()
        ),
    )
    .unwrap();
    set_private(&s.config_path());
    assert!(s.sync().starts_with("sync: 2 new"));
}

#[test]
fn the_password_never_reaches_logs_output_errors_or_the_database() {
    let Some(mut s) = Setup::new("2.3") else {
        return;
    };
    s.feed("alpha", 1..4);
    let password = s.mf.password.clone();
    // password_command, and a config readable by others: warned about.
    std::fs::write(
        s.config_path(),
        format!(
            "feed = []\n[sync]\nprovider = \"miniflux\"\nurl = \"{}\"\nusername = \"admin\"\n\
             password = \"{password}\"\n",
            s.mf.url()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(s.config_path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let mut seen = String::new();
    let out = s.run(&["sync"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(err.contains("others can read it"), "{err}");
    seen += &err;
    seen += &String::from_utf8_lossy(&out.stdout);
    s.ok(&["mark-read", &s.local("alpha 1").0.to_string()]);
    s.mf.stop();
    let out = s.run(&["sync"]);
    seen += &String::from_utf8_lossy(&out.stderr);
    s.mf.restart();
    seen += &s.ok(&["feeds"]);
    seen += &s.ok(&["feeds", "--json"]);
    s.write_config("miniflux", &s.mf.url(), &format!("{password}-wrong"));
    // --now: past the backoff the failure above set, so the login is refused.
    let out = s.run(&["sync", "--now"]);
    let refused = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(refused.contains("refused the login"), "{refused}");
    seen += &refused;
    assert!(
        !seen.contains(&password),
        "output shows the password:\n{seen}"
    );
    // Every file next to the database: the database, its WAL, the log.
    let mut files = 0;
    for entry in walk(s.data.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        files += 1;
        assert!(
            !bytes
                .windows(password.len())
                .any(|w| w == password.as_bytes()),
            "{} holds the password",
            entry.display()
        );
    }
    assert!(files >= 2, "database and log were checked");
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn google_reader_api_of_miniflux_syncs_both_ways() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..6);
    s.mf.enable_greader();
    s.write_config("greader", &s.mf.url(), &s.mf.password);
    s.mf.set_read(&[s.remote("alpha 1").0], true);
    s.mf.set_starred(s.remote("alpha 2").0, true);
    let summary = s.sync();
    assert!(summary.starts_with("sync: 5 new"), "{summary}");
    let (server, local) = s.both();
    assert_eq!(server, local);
    s.ok(&["mark-read", &s.local("alpha 3").0.to_string()]);
    s.ok(&["star", &s.local("alpha 4").0.to_string()]);
    s.mf.set_read(&[s.remote("alpha 5").0], true);
    let summary = s.sync();
    assert!(summary.contains("1 marked read on the server"), "{summary}");
    assert!(summary.contains("2 sent"), "{summary}");
    let (server, local) = s.both();
    assert_eq!(server, local);
    assert!(s.sync().starts_with("sync: 0 new"));
}

#[test]
fn add_and_remove_subscribe_and_unsubscribe_on_the_server() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..3);
    s.sync();
    s.serve("gamma", 1..4);
    let url = s.feeds.url("/gamma.xml");
    let out = s.ok(&["add", &url, "--tag", "mine"]);
    assert!(out.contains("on http://127.0.0.1:"), "{out}");
    let server_feeds = s.mf.json("GET", "/v1/feeds", None);
    let urls: Vec<&str> = server_feeds
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["feed_url"].as_str())
        .collect();
    assert!(urls.contains(&url.as_str()), "{urls:?}");
    assert_eq!(s.items().len(), 5, "its entries came through the server");
    let feeds = s.ok(&["feeds"]);
    assert!(feeds.contains("#mine"), "{feeds}");
    // A refresh does not fetch feeds the server provides.
    let before = s.feeds.requests_to("/gamma.xml").len();
    s.ok(&["refresh", "--quiet"]);
    assert_eq!(s.feeds.requests_to("/gamma.xml").len(), before);
    s.ok(&["remove", &url]);
    let server_feeds = s.mf.json("GET", "/v1/feeds", None);
    assert_eq!(server_feeds.as_array().unwrap().len(), 1);
    assert_eq!(s.items().len(), 2);
    assert!(s.sync().starts_with("sync: 0 new"), "not brought back");
}

#[test]
fn a_feed_fetched_directly_before_sync_is_adopted_without_duplicates() {
    let Some(s) = Setup::new("2.3") else { return };
    s.serve("alpha", 1..6);
    let url = s.feeds.url("/alpha.xml");
    std::fs::write(s.config_path(), "feed = []\n").unwrap();
    s.ok(&["add", &url]);
    assert_eq!(s.items().len(), 5);
    s.mf.subscribe(&url);
    s.mf.set_read(&[s.remote("alpha 1").0], true);
    s.write_config("miniflux", &s.mf.url(), &s.mf.password);
    let summary = s.sync();
    assert!(summary.starts_with("sync: 0 new"), "{summary}");
    assert_eq!(s.items().len(), 5, "no duplicates");
    assert!(s.local("alpha 1").1, "server state taken");
    s.ok(&["mark-read", &s.local("alpha 2").0.to_string()]);
    assert!(s.sync().ends_with("1 sent"));
    assert!(s.remote("alpha 2").1);
}

/// Miniflux's cleanup (the real one, `miniflux -run-cleanup-tasks`) deletes old
/// entries (2.3) or marks them `removed` (2.2): they are absent from the unread
/// set like read ones, but must stay here as they were: unread stays unread.
fn cleaned_up_entries_stay_readable(series: &str) {
    let Some(s) = Setup::new(series) else { return };
    s.feed("alpha", 1..6);
    s.mf.set_read(&[s.remote("alpha 1").0], true);
    let starred = s.remote("alpha 5").0;
    s.mf.set_starred(starred, true);
    s.sync();
    s.mf.run_cleanup(&[]);
    let left: Vec<String> = s.mf.entries().into_iter().map(|e| e.1).collect();
    if series == "2.3" {
        assert_eq!(
            left,
            vec!["alpha 5".to_string()],
            "starred entries are kept"
        );
    }
    let unread_kept = |s: &Setup| {
        assert_eq!(s.items().len(), 5, "every entry is still here");
        for i in 2..5 {
            let title = format!("alpha {i}");
            assert!(!s.local(&title).1, "{title} stays unread locally");
        }
        assert!(s.local("alpha 1").1);
    };
    // Nothing else changed on the server: nothing changes here (the entries in
    // neither id set are told apart, deleted not read, once the sets are read).
    let first = s.sync();
    assert!(
        first.starts_with("sync: 0 new, 0 marked read on the server, 0 sent"),
        "{first}"
    );
    unread_kept(&s);
    // A change on the server: the id sets are read again.
    s.mf.set_starred(starred, false);
    let summary = s.sync();
    if series == "2.3" {
        assert!(
            [&first, &summary]
                .iter()
                .any(|line| line.contains("4 deleted on the server (kept here)")),
            "{first} / {summary}"
        );
    }
    assert!(
        summary.contains(" 0 marked read on the server"),
        "{summary}"
    );
    assert!(
        summary.contains("1 star changed on the server"),
        "{summary}"
    );
    unread_kept(&s);
    assert!(!s.local("alpha 5").2);
    // Still readable and markable; nothing is queued for entries the server lost.
    s.ok(&["mark-read", &s.local("alpha 2").0.to_string()]);
    assert!(s.local("alpha 2").1);
    if series == "2.3" {
        assert!(s.ok(&["feeds"]).contains("0 marks waiting"));
    }
    // A later sync neither brings them back nor changes them.
    let summary = s.sync();
    assert!(
        summary.starts_with("sync: 0 new, 0 marked read"),
        "{summary}"
    );
    assert!(!s.local("alpha 3").1 && s.local("alpha 2").1);
}

#[test]
fn entries_the_server_cleans_up_stay_readable_locally_2_3() {
    cleaned_up_entries_stay_readable("2.3");
}

#[test]
fn entries_the_server_cleans_up_stay_readable_locally_2_2() {
    cleaned_up_entries_stay_readable("2.2");
}

/// Capabilities are probed on every sync and stored: after the server is
/// upgraded from 2.2 to 2.3 (same database), the next sync uses the id sets.
#[test]
fn capabilities_are_probed_again_after_a_server_upgrade() {
    let Some(mut s) = Setup::new("2.2") else {
        return;
    };
    s.feed("alpha", 1..6);
    s.sync();
    let feeds = s.ok(&["feeds"]);
    assert!(feeds.contains("(2.2.6, toggle_stars)"), "{feeds}");
    s.mf.switch_to("2.3");
    assert!(s.mf.version.starts_with("2.3."), "{}", s.mf.version);
    s.mf.set_read(&[s.remote("alpha 1").0], true);
    s.ok(&["star", &s.local("alpha 2").0.to_string()]);
    let summary = s.sync();
    assert!(
        summary.starts_with("sync: 0 new, 1 marked read on the server, 1 sent"),
        "{summary}"
    );
    let feeds = s.ok(&["feeds"]);
    assert!(
        feeds.contains(&format!("({}, id_sets)", s.mf.version)),
        "{feeds}"
    );
    let (server, local) = s.both();
    assert_eq!(server, local);
    // Only the id-set path tells a deleted entry from a read one: it runs now.
    s.mf.sql(&format!(
        "DELETE FROM entries WHERE id = {}",
        s.remote("alpha 3").0
    ));
    s.mf.set_read(&[s.remote("alpha 5").0], true);
    let summary = s.sync();
    assert!(
        summary.contains("1 marked read on the server")
            && summary.contains("1 deleted on the server (kept here)"),
        "{summary}"
    );
    assert!(!s.local("alpha 3").1);
    // And back to 2.2: probed again, its own calls used.
    s.mf.switch_to("2.2");
    s.ok(&["star", &s.local("alpha 4").0.to_string()]);
    assert!(s.sync().ends_with("1 sent"));
    assert!(s.remote("alpha 4").2 && s.remote("alpha 2").2);
    assert!(s.ok(&["feeds"]).contains("toggle_stars"));
}

/// `khabar sync` run again and again (cron) against a failing server backs off
/// across runs: the failure count and the next try are in the database.
#[test]
fn repeated_syncs_against_a_failing_server_back_off_across_runs() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..4);
    let proxy = Proxy::start(s.mf.port);
    s.write_config("miniflux", &proxy.url(), &s.mf.password);
    s.sync();
    s.ok(&["mark-read", &s.local("alpha 1").0.to_string()]);
    proxy.set(Mode::Fail);
    let out = s.run(&["sync"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 local mark kept"), "{err}");
    assert!(err.contains("next try after"), "{err}");
    let tried = proxy.failed.load(std::sync::atomic::Ordering::SeqCst);
    assert!(tried >= 3);
    // The next cron run does not contact the server, and says why.
    let out = s.run(&["sync"]);
    assert!(out.status.success(), "a run that waits is not a failure");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(&format!(
            "sync: skipped: the last sync with {} failed",
            proxy.url()
        )),
        "{said}"
    );
    assert!(said.contains("--now"), "{said}");
    assert!(s.run(&["sync", "--quiet"]).stdout.is_empty());
    assert_eq!(
        proxy.failed.load(std::sync::atomic::Ordering::SeqCst),
        tried
    );
    let feeds = s.ok(&["feeds"]);
    assert!(
        feeds.contains("1 failed in a row, next try after"),
        "{feeds}"
    );
    // --now tries at once; another failure doubles the wait.
    let out = s.run(&["sync", "--now"]);
    assert!(!out.status.success());
    assert!(proxy.failed.load(std::sync::atomic::Ordering::SeqCst) > tried);
    assert!(s.ok(&["feeds"]).contains("2 failed in a row"));
    let db = rusqlite::Connection::open(s.data.path().join("khabar.db")).unwrap();
    let wait: i64 = db
        .query_row(
            "SELECT CAST(a.value AS INTEGER) - CAST(strftime('%s','now') AS INTEGER) \
             FROM sync_state a WHERE a.key = 'next_attempt_at'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(
        (100..=120).contains(&wait),
        "two failures: two minutes, got {wait} s"
    );
    // The server is back, but the wait is not over: still skipped, marks kept.
    proxy.set(Mode::Forward);
    let out = s.run(&["sync"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 syncs in a row"));
    assert!(!s.remote("alpha 1").1);
    // Once the time has come (moved back here instead of waiting), it syncs.
    db.execute(
        "UPDATE sync_state SET value = '1' WHERE key = 'next_attempt_at'",
        [],
    )
    .unwrap();
    let summary = s.sync();
    assert!(summary.ends_with("1 sent"), "{summary}");
    assert!(s.remote("alpha 1").1);
    let feeds = s.ok(&["feeds"]);
    assert!(
        !feeds.contains("failed in a row"),
        "a success clears it: {feeds}"
    );
}

/// `khabar refresh` with a sync server syncs too (its feeds come from it).
#[test]
fn refresh_with_a_sync_server_also_syncs() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..4);
    let out = s.ok(&["refresh"]);
    assert!(
        out.contains("sync: 3 new, 0 marked read on the server, 0 sent"),
        "{out}"
    );
    assert_eq!(s.items().len(), 3);
    s.mf.set_read(&[s.remote("alpha 2").0], true);
    let out = s.ok(&["refresh"]);
    assert!(out.contains("1 marked read on the server"), "{out}");
    assert!(s.local("alpha 2").1);
}

/// The same through the Google Reader API (Miniflux's own): an entry missing from
/// the reading list was deleted, not read.
#[test]
fn entries_cleaned_up_stay_readable_through_the_google_reader_api() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..5);
    s.mf.enable_greader();
    s.write_config("greader", &s.mf.url(), &s.mf.password);
    s.mf.set_read(&[s.remote("alpha 1").0], true);
    s.sync();
    s.mf.run_cleanup(&[s.remote("alpha 4").0]);
    assert_eq!(s.mf.entries().len(), 1, "the cleanup deleted three entries");
    let summary = s.sync();
    assert!(
        summary.contains("3 deleted on the server (kept here)"),
        "{summary}"
    );
    assert_eq!(s.items().len(), 4);
    assert!(s.local("alpha 1").1);
    assert!(!s.local("alpha 2").1 && !s.local("alpha 3").1 && !s.local("alpha 4").1);
    s.mf.set_read(&[s.remote("alpha 4").0], true);
    assert!(s.sync().contains("1 marked read on the server"));
    assert!(s.local("alpha 4").1 && !s.local("alpha 2").1);
}

/// A sync with nothing new on the server is a few small requests: the id sets
/// are asked for only when the server's most recently changed entry moved.
#[test]
fn a_sync_with_nothing_new_does_not_ask_for_the_id_sets() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..4);
    let proxy = Proxy::start(s.mf.port);
    s.write_config("miniflux", &proxy.url(), &s.mf.password);
    s.sync();
    let count = || proxy.requests.load(std::sync::atomic::Ordering::SeqCst);
    // `changed_after` compares whole seconds: once the second of the last change
    // has passed and a sync has read the sets after it, nothing is new. The
    // server can still touch an entry on its own between two syncs (seen once in
    // CI under load): then that sync rightly reads the sets again. Up to three
    // quiet tries; a khabar that always read the sets would ask 7 in each.
    let mut asked = Vec::new();
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(1100));
        s.sync();
        let before = count();
        assert_eq!(s.sync(), "sync: 0 new, 0 marked read on the server, 0 sent");
        asked.push(count() - before);
        if asked.last() == Some(&4) {
            break;
        }
    }
    assert_eq!(
        asked.last(),
        Some(&4),
        "version, changes since the sets were read, feeds, entries after the cursor \
         (fewer entries than the first look covers: it would be the whole check); \
         requests per try: {asked:?}"
    );
    s.mf.set_read(&[s.remote("alpha 1").0], true);
    let before = count();
    assert!(s.sync().contains("1 marked read on the server"));
    assert!(count() - before >= 6, "the unread and starred sets too");
    assert!(s.local("alpha 1").1);
}

/// A full disk during a sync (a page limit stands in for it: SQLite answers
/// both with SQLITE_FULL): one clear line, a failed run, the local data and the
/// local mark kept; the next sync with room again brings every new entry and
/// the mark reaches the server.
#[test]
fn a_full_disk_during_a_sync_is_one_clear_line_and_the_next_sync_catches_up() {
    let Some(s) = Setup::new("2.3") else { return };
    let feed = s.feed("alpha", 1..4);
    s.sync();
    let id = s.local("alpha 1").0.to_string();
    s.ok(&["mark-read", &id]);
    s.serve("alpha", 1..400);
    s.mf.refresh_feed(feed);
    let db = s.data.path().join("khabar.db");
    let pages: i64 = khabar::store::Store::open(&db)
        .unwrap()
        .connection()
        .query_row("PRAGMA page_count", [], |row| row.get(0))
        .unwrap();
    let out = s
        .command(&["sync"])
        .env("KHABAR_TEST_MAX_PAGES", (pages + 2).to_string())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let said = format!(
        "khabar: sync failed: the disk holding {} is full (free some space and sync again)",
        db.display()
    );
    assert!(err.starts_with(&said), "{err}");
    assert_eq!(s.items().len(), 3, "local data untouched");
    assert!(s.local("alpha 1").1, "the local mark is kept");

    let summary = s.sync();
    assert!(summary.starts_with("sync: 396 new"), "{summary}");
    let (server, local) = s.both();
    assert_eq!(server, local);
    assert!(s.remote("alpha 1").1, "the mark reached the server");
}

/// A server's feed whose URL is a command (`exec:`) is never stored, so never
/// run by a refresh; its entries are left out and the summary says why.
#[test]
fn a_servers_command_feed_is_not_taken() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..3);
    let evil = s.feed("evil", 1..3);
    s.mf.sql(&format!(
        "UPDATE feeds SET feed_url = 'exec:touch pwned' WHERE id = {evil}"
    ));
    let summary = s.sync();
    assert!(
        summary.contains("1 exec:/filter: feed on the server not taken"),
        "{summary}"
    );
    let titles: Vec<String> = s.items().into_iter().map(|i| i.1).collect();
    assert_eq!(titles, ["alpha 1", "alpha 2"]);
    let feeds = s.ok(&["feeds"]);
    assert!(!feeds.contains("exec:touch"), "{feeds}");
}

/// A backup moved over the database while `khabar sync` runs: the sync's
/// writes would go into the unlinked file and be lost, so it fails, saying why,
/// and the file now at the path is left as it was.
#[test]
fn a_database_replaced_during_a_sync_fails_it_with_the_reason() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..3);
    s.sync();
    let db = s.data.path().join("khabar.db");
    let backup = s.data.path().join("backup.db");
    std::fs::copy(&db, &backup).unwrap();
    s.feed("beta", 1..4);
    let proxy = Proxy::start(s.mf.port);
    s.write_config("miniflux", &proxy.url(), &s.mf.password);
    proxy.delay_on("/v1/feeds", Duration::from_millis(2000));
    let child = s
        .command(&["sync"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !proxy
        .lines
        .lock()
        .unwrap()
        .iter()
        .any(|line| line.contains("/v1/feeds"))
    {
        assert!(Instant::now() < deadline, "sync never asked for the feeds");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::fs::rename(&backup, &db).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "sync claimed success: {}{err}\n{:?}",
        String::from_utf8_lossy(&out.stdout),
        proxy.lines.lock().unwrap()
    );
    assert!(err.contains("was removed or replaced"), "{err}");
    assert!(
        err.contains(&db.display().to_string()),
        "names the file: {err}"
    );
    let titles: Vec<String> = s.items().into_iter().map(|i| i.1).collect();
    assert_eq!(
        titles,
        ["alpha 1", "alpha 2"],
        "the restored backup untouched"
    );
}
