//! Who owns a feed, through the real `khabar` binary: a feed the user added or
//! imported that the config file (or the built-in feed list) then lists, and
//! later stops listing, is the user's again with the title, tags and enabled
//! state the user gave it. Feeds are local files (no network); the config file
//! and the database live in a temporary directory.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::Command;

struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
    config: PathBuf,
}

impl Env {
    fn new(config: &str) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("khabar.db");
        let config_path = dir.path().join("config.toml");
        std::fs::write(&config_path, config).unwrap();
        Env {
            dir,
            db,
            config: config_path,
        }
    }

    fn set_config(&self, text: &str) {
        std::fs::write(&self.config, text).unwrap();
    }

    /// Runs and expects success; returns standard output.
    fn ok(&self, args: &[&str]) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_khabar"))
            .arg("--db")
            .arg(&self.db)
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env_remove("KHABAR_DB")
            .env_remove("KHABAR_CONFIG")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "khabar {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// `khabar feeds` as JSON: the feed with this URL.
    fn feed(&self, url: &str) -> serde_json::Value {
        self.ok(&["feeds", "--json"])
            .lines()
            .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
            .find(|feed| feed["url"] == url)
            .unwrap_or_else(|| panic!("{url} not listed"))
    }

    /// `khabar feeds`, the line of the feed with this URL.
    fn feed_line(&self, url: &str) -> String {
        let text = self.ok(&["feeds"]);
        text.lines()
            .find(|line| line.contains(url))
            .unwrap_or_else(|| panic!("{url} not in {text}"))
            .to_string()
    }

    /// An RSS file with two items, at its canonical path (what `add` stores).
    fn rss_file(&self) -> String {
        let path = self.dir.path().join("feed.xml");
        std::fs::write(
            &path,
            r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Its own title</title>
<link>http://127.0.0.1/</link>
<item><title>one</title><link>http://127.0.0.1/1</link><guid>one</guid></item>
<item><title>two</title><link>http://127.0.0.1/2</link><guid>two</guid></item>
</channel></rss>"#,
        )
        .unwrap();
        canonical(&path)
    }
}

fn canonical(path: &Path) -> String {
    path.canonicalize().unwrap().display().to_string()
}

fn config_listing(url: &str, title: &str, tags: &str) -> String {
    format!("[[feed]]\nurl = {url:?}\ntitle = {title:?}\ntags = [{tags:?}]\n")
}

/// Regression: `khabar add` with a title and a tag, then a config file listing
/// the feed with its own title and tags, then one that does not: the feed came
/// back disabled, with the config's title and tags, and the user's were lost.
#[test]
fn an_added_feed_the_config_took_over_and_dropped_is_the_users_again() {
    let env = Env::new("feed = []\n");
    let url = env.rss_file();
    let added = env.ok(&["add", &url, "--title", "My feed", "--tag", "mine"]);
    assert!(added.contains("2 items"), "{added}");
    let first: serde_json::Value =
        serde_json::from_str(env.ok(&["items", "--json"]).lines().next().unwrap()).unwrap();
    let id = first["id"].as_i64().unwrap().to_string();
    env.ok(&["mark-read", &id]);
    env.ok(&["star", &id]);

    env.set_config(&config_listing(&url, "Config title", "cfg"));
    let line = env.feed_line(&url);
    assert!(
        line.contains("Config title") && line.contains("#cfg"),
        "{line}"
    );
    assert!(!line.contains("#mine"), "{line}");

    env.set_config("feed = []\n");
    let line = env.feed_line(&url);
    assert!(line.contains("My feed"), "{line}");
    assert!(line.contains("#mine") && !line.contains("#cfg"), "{line}");
    assert!(!line.contains("(disabled)"), "{line}");
    assert!(line.trim_start().starts_with("1/2"), "{line}");
    let feed = env.feed(&url);
    assert_eq!(feed["enabled"], true);
    let items: Vec<serde_json::Value> = env
        .ok(&["items", "--json"])
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let marked = items.iter().find(|item| item["id"] == first["id"]).unwrap();
    assert_eq!(
        (&marked["read"], &marked["starred"]),
        (&true.into(), &true.into())
    );
}

/// The same through `khabar import` and the built-in feed list: a config file
/// without a `[[feed]]` list uses the built-in one only while the user has no
/// feed of their own, so an imported feed that the built-in list also names
/// stays the user's, as imported, and a config file with its own list changes
/// nothing about it.
#[test]
fn an_imported_feed_the_builtin_list_names_stays_the_users() {
    let env = Env::new("[fetch]\nconcurrency = 2\n");
    let builtin = khabar::config::Config::builtin().feeds;
    let url = builtin[0].url.clone();
    // The built-in list in use first (a first start), then the import.
    assert_eq!(
        env.feed(&url)["title"].as_str(),
        builtin[0].title.as_deref()
    );
    let opml = env.dir.path().join("subs.opml");
    std::fs::write(
        &opml,
        format!(
            r#"<?xml version="1.0"?><opml version="2.0"><body>
<outline type="rss" text="Imported title" xmlUrl="{url}" category="imported"/>
</body></opml>"#
        ),
    )
    .unwrap();
    env.ok(&["import", opml.to_str().unwrap()]);

    let check = |env: &Env| {
        let feed = env.feed(&url);
        assert_eq!(feed["title"], "Imported title");
        assert_eq!(feed["tags"], serde_json::json!(["imported"]));
        assert_eq!(feed["enabled"], true);
        // The built-in feeds the user never had (never fetched) are gone.
        let listed = env.ok(&["feeds"]);
        assert!(!listed.contains(&builtin[1].url), "{listed}");
    };
    check(&env);
    env.set_config("feed = []\n");
    check(&env);
}

/// `khabar add` of a feed the config lists says the feed is kept for the user,
/// and when the config drops it, it stays enabled (with the feed's own title:
/// the user gave none).
#[test]
fn adding_a_config_feed_keeps_it_enabled_when_the_config_drops_it() {
    let env = Env::new("feed = []\n");
    let url = env.rss_file();
    env.set_config(&config_listing(&url, "Config title", "cfg"));
    env.ok(&["refresh"]);
    let said = env.ok(&["add", &url]);
    assert!(said.contains("already subscribed"), "{said}");
    assert!(said.contains("kept for you"), "{said}");

    env.set_config("feed = []\n");
    let line = env.feed_line(&url);
    assert!(!line.contains("(disabled)"), "{line}");
    assert!(line.contains("Its own title"), "{line}");
    assert!(!line.contains("#cfg"), "{line}");
}

/// The built-in feeds are a starter set: once the user has a feed of their own
/// they step aside (never fetched, so removed, not left as dead rows), and they
/// come back when the user's last feed goes. Someone switching from another
/// reader gets their own feeds, not six others beside them.
#[test]
fn the_builtin_feeds_step_aside_for_the_users_own() {
    let env = Env::new("[fetch]\nconcurrency = 2\n");
    let builtin = khabar::config::Config::builtin().feeds;
    assert_eq!(env.feed(&builtin[0].url)["enabled"], true);

    let url = env.rss_file();
    let said = env.ok(&["add", &url]);
    assert!(said.contains("built-in feeds are set aside"), "{said}");
    let listed = env.ok(&["feeds"]);
    assert!(listed.contains(&url), "{listed}");
    for feed in &builtin {
        assert!(!listed.contains(&feed.url), "{listed}");
    }
    // A second feed of the user's own says nothing more.
    let second = env.dir.path().join("second.xml");
    std::fs::copy(&url, &second).unwrap();
    let said = env.ok(&["add", second.to_str().unwrap()]);
    assert!(!said.contains("built-in"), "{said}");

    // Removing a built-in URL now is "no such feed", not "it is built in".
    env.ok(&["remove", second.to_str().unwrap()]);
    env.ok(&["remove", &url]);
    let listed = env.ok(&["feeds"]);
    for feed in &builtin {
        assert!(listed.contains(&feed.url), "{listed}");
    }
}
