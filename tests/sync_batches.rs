//! The outbox against a real Miniflux (2.3.x, PostgreSQL) behind a loopback proxy
//! that refuses some batches of marks: a refused batch backs off and is tried
//! again without holding the other batches back, and no mark is lost. Also the
//! reconciliation from the smaller id set: every entry flipped on the server one
//! way, then the other. Skipped with a loud message only when no Miniflux can be
//! started (`.ci/run` installs and starts it; KHABAR_REQUIRE_MINIFLUX=1 fails
//! instead of skipping).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/http_server.rs"]
mod http_server;
#[path = "support/miniflux.rs"]
mod miniflux;

use std::path::PathBuf;
use std::process::{Command, Output};

use http_server::{Reply, TestServer};
use miniflux::{Miniflux, Proxy};

struct Setup {
    mf: Miniflux,
    feeds: TestServer,
    data: tempfile::TempDir,
    conf: tempfile::TempDir,
}

fn rss(name: &str, range: std::ops::Range<u32>) -> String {
    let items: String = range
        .map(|i| {
            format!(
                "<item><title>{name} {i}</title><link>http://example.org/{name}/{i}</link>\
                 <guid>{name}-{i}</guid><description>body {i}</description>\
                 <pubDate>Mon, 30 Nov 2026 10:{:02}:00 +0000</pubDate></item>",
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
    fn new() -> Option<Setup> {
        let mf = miniflux::start("2.3")?;
        let setup = Setup {
            mf,
            feeds: TestServer::start(),
            data: tempfile::tempdir().unwrap(),
            conf: tempfile::tempdir().unwrap(),
        };
        setup.point_at(&setup.mf.url());
        Some(setup)
    }

    fn feed(&self, name: &str, range: std::ops::Range<u32>) {
        self.feeds.route(
            &format!("/{name}.xml"),
            Reply::ok(rss(name, range), "application/rss+xml"),
        );
        self.mf.subscribe(&self.feeds.url(&format!("/{name}.xml")));
    }

    fn config_path(&self) -> PathBuf {
        self.conf.path().join("config.toml")
    }

    fn point_at(&self, url: &str) {
        let text = format!(
            "feed = []\n[sync]\nprovider = \"miniflux\"\nurl = \"{url}\"\n\
             username = \"admin\"\npassword = \"{}\"\n",
            self.mf.password
        );
        std::fs::write(self.config_path(), text).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(self.config_path(), std::fs::Permissions::from_mode(0o600))
            .unwrap();
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_khabar"));
        command
            .arg("--config")
            .arg(self.config_path())
            .arg("--db")
            .arg(self.data.path().join("khabar.db"))
            .args(args)
            // Small batches so a few entries make several; short waits.
            .env("KHABAR_SYNC_BATCH", "2")
            .env("KHABAR_SYNC_RETRY_MS", "20,40")
            .env("KHABAR_SYNC_BATCH_RETRY_MS", "50,100")
            .env_remove("KHABAR_CONFIG")
            .env_remove("KHABAR_DB");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            self.mf.log_text()
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Local items: title → (id, read, starred).
    fn items(&self) -> Vec<(String, i64, bool, bool)> {
        let mut items: Vec<_> = self
            .ok(&["items", "--json", "--limit", "100000"])
            .lines()
            .map(|line| {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                (
                    v["title"].as_str().unwrap().to_string(),
                    v["id"].as_i64().unwrap(),
                    v["read"].as_bool().unwrap(),
                    v["starred"].as_bool().unwrap(),
                )
            })
            .collect();
        items.sort();
        items
    }

    /// Server entries: title → (id, read, starred).
    fn remote(&self) -> Vec<(String, i64, bool, bool)> {
        let mut entries: Vec<_> = self
            .mf
            .entries()
            .into_iter()
            .map(|(id, title, read, starred)| (title, id, read, starred))
            .collect();
        entries.sort();
        entries
    }

    fn outbox_len(&self) -> usize {
        let conn = rusqlite::Connection::open(self.data.path().join("khabar.db")).unwrap();
        conn.query_row("SELECT COUNT(*) FROM sync_outbox", [], |row| {
            row.get::<_, i64>(0)
        })
        .unwrap() as usize
    }
}

/// Marks every local item read, one `mark-read` with all ids.
fn mark_all_read(s: &Setup) {
    let ids: Vec<String> = s.items().iter().map(|i| i.1.to_string()).collect();
    let mut args = vec!["mark-read"];
    args.extend(ids.iter().map(String::as_str));
    s.ok(&args);
}

#[test]
fn a_batch_refused_for_a_while_backs_off_and_is_sent_with_the_others() {
    let Some(s) = Setup::new() else { return };
    s.feed("alpha", 1..7);
    let proxy = Proxy::start(s.mf.port);
    s.point_at(&proxy.url());
    s.ok(&["sync"]);
    mark_all_read(&s);
    // One entry's batch is refused four times: more than the HTTP layer's three
    // tries, so the batch waits its own backoff and goes again.
    let target = s.remote().iter().find(|e| e.0 == "alpha 3").unwrap().1;
    proxy.refuse_ids(&[target], 4);
    let summary = s.ok(&["sync"]);
    assert!(summary.contains("6 sent"), "{summary}");
    assert!(!summary.contains("not sent"), "{summary}");
    assert!(
        proxy.failed.load(std::sync::atomic::Ordering::SeqCst) >= 4,
        "the batch was refused"
    );
    assert!(s.remote().iter().all(|e| e.2), "{:?}", s.remote());
    assert_eq!(s.outbox_len(), 0);
}

#[test]
fn a_batch_the_server_keeps_refusing_holds_back_only_its_own_marks() {
    let Some(s) = Setup::new() else { return };
    s.feed("alpha", 1..7);
    let proxy = Proxy::start(s.mf.port);
    s.point_at(&proxy.url());
    s.ok(&["sync"]);
    mark_all_read(&s);
    let target = s.remote().iter().find(|e| e.0 == "alpha 3").unwrap().1;
    proxy.refuse_ids(&[target], usize::MAX);
    // The other batches go; the refused one is split until only the mark the
    // server refuses is left, and kept: the sync itself succeeds.
    let summary = s.ok(&["sync"]);
    assert!(summary.contains("5 sent"), "{summary}");
    assert!(summary.contains("1 not sent"), "{summary}");
    for (title, _, read, _) in s.remote() {
        assert_eq!(read, title != "alpha 3", "{title} on the server");
    }
    assert!(
        s.items().iter().all(|i| i.2),
        "every item stays read locally"
    );
    assert_eq!(s.outbox_len(), 1, "the refused mark is kept");
    // The server takes it once it stops refusing.
    proxy.set(miniflux::Mode::Forward);
    let summary = s.ok(&["sync"]);
    assert!(summary.contains("1 sent"), "{summary}");
    assert!(s.remote().iter().all(|e| e.2));
    assert_eq!(s.outbox_len(), 0);
}

#[test]
fn every_entry_flipped_on_the_server_is_reconciled_from_the_smaller_set() {
    let Some(s) = Setup::new() else { return };
    s.feed("alpha", 1..9);
    s.feed("beta", 1..5);
    s.ok(&["sync"]);
    assert!(s.items().iter().all(|i| !i.2), "all unread at first");
    // Every entry read on the server: the unread set is empty.
    let ids: Vec<i64> = s.remote().iter().map(|e| e.1).collect();
    let body = |status: &str| format!("{{\"entry_ids\":{ids:?},\"status\":\"{status}\"}}");
    assert_eq!(s.mf.api("PUT", "/v1/entries", Some(&body("read"))).0, 204);
    let summary = s.ok(&["sync"]);
    assert!(
        summary.contains("12 marked read on the server"),
        "{summary}"
    );
    assert!(s.items().iter().all(|i| i.2));
    // Every entry unread again but one: fewer read than unread, so the read
    // ids are what is read; the result is the same truth.
    assert_eq!(s.mf.api("PUT", "/v1/entries", Some(&body("unread"))).0, 204);
    let keep = ids[0];
    let one = format!("{{\"entry_ids\":[{keep}],\"status\":\"read\"}}");
    assert_eq!(s.mf.api("PUT", "/v1/entries", Some(&one)).0, 204);
    let summary = s.ok(&["sync"]);
    assert!(
        summary.contains("11 marked unread on the server"),
        "{summary}"
    );
    let local: Vec<(String, bool)> = s.items().into_iter().map(|i| (i.0, i.2)).collect();
    let remote: Vec<(String, bool)> = s.remote().into_iter().map(|e| (e.0, e.2)).collect();
    assert_eq!(local, remote);
}
