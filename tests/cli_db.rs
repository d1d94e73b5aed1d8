//! The database commands of the real `khabar` binary — `feeds`, `remove`, `items`,
//! `unread`, `mark-read`, `star` — and config errors, against a database and a
//! config file in a temporary directory. Items are written with the library (no
//! network, no fetcher).

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use khabar::feed::{ParsedFeed, ParsedItem};
use khabar::store::{FeedSpec, FeedUpdate, Store};

const NOW: i64 = 1_700_000_000;

struct Env {
    _dir: tempfile::TempDir,
    db: PathBuf,
    config: PathBuf,
}

impl Env {
    /// An empty config (`feed = []`: no built-in network feeds) and a database with
    /// two feeds: a Persian one tagged `fa` with three items, and one whose feed
    /// text carries terminal escape sequences.
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("data").join("khabar.db");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, "feed = []\n").unwrap();
        std::fs::create_dir_all(db.parent().unwrap()).unwrap();
        let mut store = Store::open(&db).unwrap();
        let fa = store
            .add_feed(&spec("https://fa.example/rss", &["fa"]))
            .unwrap();
        let items = (0..3)
            .map(|i| {
                let mut it = item(&format!("fa{i}"), &format!("خبر شماره {i}"), NOW - i * 3600);
                if i == 0 {
                    it.categories = vec!["اقتصاد".to_string()];
                }
                it
            })
            .collect();
        store
            .apply_update(fa, &update("سنج نیوز", items), NOW)
            .unwrap();
        let evil = store
            .add_feed(&spec("https://evil.example/rss", &[]))
            .unwrap();
        let bad = item(
            "evil",
            "Bad\u{1b}[31mRED\u{1b}[0m\u{7}title\nline2",
            NOW - 60,
        );
        store
            .apply_update(
                evil,
                &update("Evil\u{1b}]0;owned\u{7} feed", vec![bad]),
                NOW,
            )
            .unwrap();
        store.record_error(evil, "HTTP 500\u{1b}[2J", NOW).unwrap();
        Env {
            _dir: dir,
            db,
            config,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_khabar"))
            .arg("--db")
            .arg(&self.db)
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env_remove("KHABAR_DB")
            .env_remove("KHABAR_CONFIG")
            .output()
            .unwrap()
    }

    /// Runs and expects success; returns standard output.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "khabar {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs and expects failure; returns standard error.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "khabar {args:?} succeeded");
        String::from_utf8(out.stderr).unwrap()
    }

    fn items_json(&self, args: &[&str]) -> Vec<serde_json::Value> {
        let mut all = vec!["items", "--json"];
        all.extend_from_slice(args);
        self.ok(&all)
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    fn store(&self) -> Store {
        Store::open(&self.db).unwrap()
    }
}

fn spec(url: &str, tags: &[&str]) -> FeedSpec {
    FeedSpec {
        url: url.to_string(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        enabled: true,
        ..FeedSpec::default()
    }
}

fn item(identity: &str, title: &str, published: i64) -> ParsedItem {
    ParsedItem {
        identity: identity.to_string(),
        title: title.to_string(),
        link: Some(format!("https://example.org/{identity}")),
        summary: Some(format!("summary of {identity}")),
        published: Some(published),
        content_hash: identity.to_string(),
        ..ParsedItem::default()
    }
}

fn update(title: &str, items: Vec<ParsedItem>) -> FeedUpdate {
    FeedUpdate {
        feed: ParsedFeed {
            title: Some(title.to_string()),
            items,
            ..ParsedFeed::default()
        },
        ..FeedUpdate::default()
    }
}

fn ids(items: &[serde_json::Value]) -> Vec<i64> {
    items.iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

fn has_control(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\n')
}

#[test]
fn items_json_has_every_field_newest_first() {
    let env = Env::new();
    let items = env.items_json(&[]);
    assert_eq!(items.len(), 4);
    let first = &items[0];
    assert_eq!(first["feed"], "https://fa.example/rss");
    assert_eq!(first["feed_title"], "سنج نیوز");
    assert_eq!(first["title"], "خبر شماره 0");
    assert_eq!(first["summary"], "summary of fa0");
    assert_eq!(first["link"], "https://example.org/fa0");
    assert_eq!(first["published"], "2023-11-14T22:13:20Z");
    assert_eq!(first["tags"], serde_json::json!(["fa", "اقتصاد"]));
    assert_eq!(first["read"], false);
    assert_eq!(first["starred"], false);
    let times: Vec<_> = items
        .iter()
        .map(|i| i["published"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted);
    // Filters.
    assert_eq!(env.items_json(&["--limit", "2"]).len(), 2);
    assert_eq!(env.items_json(&["--tag", "fa"]).len(), 3);
    assert_eq!(env.items_json(&["--tag", "اقتصاد"]).len(), 1);
    assert_eq!(
        env.items_json(&["--feed", "https://evil.example/rss"])
            .len(),
        1
    );
    assert!(
        env.fails(&["items", "--feed", "https://none.example/"])
            .contains("no feed with URL")
    );
}

#[test]
fn read_and_star_commands_change_state_and_counts() {
    let env = Env::new();
    assert_eq!(env.ok(&["unread"]).trim(), "4");
    let fa = ids(&env.items_json(&["--tag", "fa"]));
    let one = fa[0].to_string();
    let two = fa[1].to_string();
    assert_eq!(
        env.ok(&["mark-read", &one, &two]).trim(),
        "2 items marked read"
    );
    assert_eq!(env.ok(&["unread"]).trim(), "2");
    assert_eq!(env.items_json(&["--unread"]).len(), 2);
    env.ok(&["mark-read", "--unread", &two]);
    assert_eq!(env.ok(&["unread"]).trim(), "3");
    env.ok(&["star", &one]);
    let starred = env.items_json(&["--starred"]);
    assert_eq!(ids(&starred), vec![fa[0]]);
    assert_eq!(starred[0]["starred"], true);
    assert_eq!(starred[0]["read"], true);
    env.ok(&["star", "--unstar", &one]);
    assert!(env.items_json(&["--starred"]).is_empty());
    // A wrong id changes nothing and says so.
    let err = env.fails(&["mark-read", &two, "999999"]);
    assert!(err.contains("no item with id 999999"), "{err}");
    assert_eq!(env.ok(&["unread"]).trim(), "3");
    // --all with a tag marks only that tag's items.
    assert_eq!(
        env.ok(&["mark-read", "--all", "--tag", "fa"]).trim(),
        "2 items marked read"
    );
    assert_eq!(env.ok(&["unread"]).trim(), "1");
    env.ok(&["mark-read", "--all"]);
    assert_eq!(env.ok(&["unread"]).trim(), "0");
    // The state is in the database, for the next process.
    assert_eq!(env.store().unread_count().unwrap(), 0);
}

#[test]
fn terminal_output_carries_no_control_characters() {
    let env = Env::new();
    let items = env.ok(&["items"]);
    assert!(!has_control(&items), "{items:?}");
    assert!(items.contains("Evil feed: BadREDtitle line2"), "{items}");
    let feeds = env.ok(&["feeds"]);
    assert!(!has_control(&feeds), "{feeds:?}");
    assert!(feeds.contains("HTTP 500"), "{feeds}");
    // JSON escapes them instead: the text is there, unaltered, and valid JSON.
    let json = env.ok(&["items", "--json", "--feed", "https://evil.example/rss"]);
    assert!(!has_control(&json));
    let value: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(value["title"], "Bad\u{1b}[31mRED\u{1b}[0m\u{7}title\nline2");
}

/// Regression: `--json` printed C1 controls (U+009B is a one-byte CSI to some
/// terminals) and bidi overrides raw, since serde_json escapes only C0.
#[test]
fn json_output_escapes_c1_and_bidi_controls() {
    let env = Env::new();
    let mut store = env.store();
    let feed = store
        .add_feed(&spec("https://c1.example/rss", &["t\u{202E}ag"]))
        .unwrap();
    let title = "C1 \u{9b}2J and \u{202E}override\u{2066} del\u{7f} sep\u{2028}";
    store
        .apply_update(
            feed,
            &update("F\u{9b}31m", vec![item("c1", title, NOW + 60)]),
            NOW,
        )
        .unwrap();
    drop(store);
    let items = env.ok(&["items", "--json", "--feed", "https://c1.example/rss"]);
    let feeds = env.ok(&["feeds", "--json"]);
    for output in [&items, &feeds] {
        assert!(
            !output.chars().any(|c| c.is_control() && c != '\n'),
            "{output:?}"
        );
        assert!(
            !output.chars().any(
                |c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}')
            ),
            "{output:?}"
        );
    }
    assert!(items.contains("\\u009b2J"), "{items}");
    // Still the same data once parsed.
    let value: serde_json::Value = serde_json::from_str(items.trim()).unwrap();
    assert_eq!(value["title"], title);
    assert_eq!(value["feed_title"], "F\u{9b}31m");
    let feed = feeds
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|f| f["url"] == "https://c1.example/rss")
        .unwrap();
    assert_eq!(feed["tags"], serde_json::json!(["t\u{202E}ag"]));
}

/// Regression: `khabar items | head -1` ended with "khabar: Broken pipe (os error 32)"
/// and a failure status once the output outgrew the pipe.
#[test]
fn items_into_a_closed_pipe_is_not_an_error() {
    use std::io::{BufRead, BufReader};
    let env = Env::new();
    let mut store = env.store();
    let feed = store
        .add_feed(&spec("https://many.example/rss", &[]))
        .unwrap();
    let many = (0..3000)
        .map(|i| {
            item(
                &format!("m{i}"),
                &format!("a rather long title number {i} to fill the pipe"),
                NOW - i,
            )
        })
        .collect();
    store
        .apply_update(feed, &update("Many", many), NOW)
        .unwrap();
    drop(store);
    for args in [["items", "--limit", "5000"], ["items", "--json", "--limit"]] {
        let mut all: Vec<&str> = args.to_vec();
        if all.last() == Some(&"--limit") {
            all.push("5000");
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_khabar"))
            .arg("--db")
            .arg(&env.db)
            .arg("--config")
            .arg(&env.config)
            .args(&all)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty());
        // The reader is gone (stdout dropped above): khabar must stop quietly.
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{all:?}: {stderr}");
        assert!(stderr.is_empty(), "{all:?}: {stderr}");
    }
}

/// Regression: a tag typed with Persian letters (ی) found nothing when the feed's
/// categories use the Arabic ones (ي), as windows-1256 feeds do.
#[test]
fn tag_filter_matches_arabic_and_persian_spellings() {
    let env = Env::new();
    let mut store = env.store();
    let feed = store
        .add_feed(&spec("https://ar.example/rss", &[]))
        .unwrap();
    let mut it = item("ar", "خبر عربي", NOW + 30);
    it.categories = vec!["فناوري".to_string()];
    store
        .apply_update(feed, &update("عربي", vec![it]), NOW)
        .unwrap();
    drop(store);
    let found = env.items_json(&["--tag", "فناوری"]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["title"], "خبر عربي");
    assert_eq!(
        env.ok(&["mark-read", "--all", "--tag", "فناوری"]).trim(),
        "1 item marked read"
    );
}

/// Regression: "1 items marked read".
#[test]
fn counts_of_one_item_are_singular() {
    let env = Env::new();
    let id = ids(&env.items_json(&["--tag", "fa"]))[0].to_string();
    assert_eq!(env.ok(&["mark-read", &id]).trim(), "1 item marked read");
    assert_eq!(env.ok(&["star", &id]).trim(), "1 item starred");
    assert_eq!(
        env.ok(&["star", "--unstar", &id]).trim(),
        "1 item unstarred"
    );
}

/// Regression: a config feed that moved (301) was not found by the URL in the
/// config file, and `remove` of its new URL deleted it although the config still
/// lists it (it came back, unread, at the next refresh).
#[test]
fn a_moved_config_feed_answers_to_its_config_url_and_is_not_removed() {
    let env = Env::new();
    std::fs::write(&env.config, "[[feed]]\nurl = \"https://old.example/rss\"\n").unwrap();
    let mut store = env.store();
    store
        .sync_config_feeds(&[spec("https://old.example/rss", &[])])
        .unwrap();
    let feed = store
        .feed_by_url("https://old.example/rss")
        .unwrap()
        .unwrap()
        .id;
    let mut moved = update("Moved", vec![item("m", "moved item", NOW + 10)]);
    moved.new_url = Some("https://new.example/rss".to_string());
    store.apply_update(feed, &moved, NOW).unwrap();
    drop(store);
    let items = env.items_json(&["--feed", "https://old.example/rss"]);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["feed"], "https://new.example/rss");
    let err = env.fails(&["remove", "https://new.example/rss"]);
    assert!(err.contains("lists https://old.example/rss"), "{err}");
    assert_eq!(
        env.items_json(&["--feed", "https://new.example/rss"]).len(),
        1
    );
}

/// Regression: removing a built-in feed while the config file has no feed list
/// said "<file> lists <url>; remove it from that file", which the file does not.
/// The built-in list stands in only while the user has no feed of their own.
#[test]
fn remove_of_a_builtin_feed_says_it_is_built_in() {
    let env = Env::new();
    std::fs::write(&env.config, "[fetch]\nconcurrency = 2\n").unwrap();
    let url = khabar::config::Config::builtin().feeds[0].url.clone();
    // This database has feeds of the user's own: the built-in ones stepped aside.
    let err = env.fails(&["remove", &url]);
    assert!(err.contains("no feed with URL"), "{err}");
    assert!(!err.contains("remove it from that file"), "{err}");
    // Without feeds of the user's own, the built-in list is in use.
    env.ok(&["remove", "https://fa.example/rss"]);
    env.ok(&["remove", "https://evil.example/rss"]);
    let err = env.fails(&["remove", &url]);
    assert!(err.contains("built-in feeds"), "{err}");
    assert!(err.contains("has no [[feed]] list"), "{err}");
    assert!(!err.contains("remove it from that file"), "{err}");
}

#[test]
fn feeds_with_no_feeds_says_how_to_add_one() {
    let env = Env::new();
    env.ok(&["remove", "https://evil.example/rss"]);
    env.ok(&["remove", "https://fa.example/rss"]);
    let out = env.run(&["feeds"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("khabar add URL"));
}

#[test]
fn feeds_lists_titles_tags_counts_and_errors() {
    let env = Env::new();
    let text = env.ok(&["feeds"]);
    assert!(text.contains("سنج نیوز"), "{text}");
    assert!(text.contains("https://fa.example/rss #fa"), "{text}");
    assert!(text.contains("3/3"), "{text}");
    let feeds: Vec<serde_json::Value> = env
        .ok(&["feeds", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(feeds.len(), 2);
    let evil = feeds
        .iter()
        .find(|f| f["url"] == "https://evil.example/rss")
        .unwrap();
    assert_eq!(evil["last_error"], "HTTP 500\u{1b}[2J");
    assert_eq!(evil["last_error_at"], "2023-11-14T22:13:20Z");
    assert_eq!(evil["unread"], 1);
    let fa = feeds
        .iter()
        .find(|f| f["url"] == "https://fa.example/rss")
        .unwrap();
    assert_eq!(fa["tags"], serde_json::json!(["fa"]));
    assert_eq!(
        (fa["unread"].as_u64(), fa["total"].as_u64()),
        (Some(3), Some(3))
    );
}

#[test]
fn remove_deletes_a_feed_and_refuses_config_feeds() {
    let env = Env::new();
    assert_eq!(
        env.ok(&["remove", "https://evil.example/rss"]).trim(),
        "removed Evil feed (1 item)"
    );
    assert_eq!(env.ok(&["unread"]).trim(), "3");
    assert!(
        env.fails(&["remove", "https://evil.example/rss"])
            .contains("no feed with URL")
    );
    std::fs::write(&env.config, "[[feed]]\nurl = \"https://fa.example/rss\"\n").unwrap();
    let err = env.fails(&["remove", "https://fa.example/rss"]);
    assert!(
        err.contains("config.toml lists https://fa.example/rss"),
        "{err}"
    );
    assert_eq!(env.ok(&["unread"]).trim(), "3");
}

#[test]
fn config_errors_name_file_line_and_key() {
    let env = Env::new();
    std::fs::write(
        &env.config,
        "[general]\nmouse = true\n[fetch]\nconcurency = 3\n",
    )
    .unwrap();
    let err = env.fails(&["feeds"]);
    let expected = format!(
        "{}:4:1: unknown key \"concurency\" in [fetch], did you mean \"concurrency\"?",
        env.config.display()
    );
    assert!(err.contains(&expected), "{err}");
    std::fs::write(&env.config, "[display]\nbidi = \"sideways\"\n").unwrap();
    let err = env.fails(&["feeds"]);
    assert!(
        err.contains(":2:8: bad value \"sideways\" for key \"bidi\""),
        "{err}"
    );
    // A bad key binding is reported by every command, not only by the reader.
    std::fs::write(&env.config, "feed = []\n[keys]\nopne = \"x\"\n").unwrap();
    let err = env.fails(&["feeds"]);
    assert!(
        err.contains("opne") && err.contains("did you mean \"open\""),
        "{err}"
    );
    let missing = env.config.with_file_name("nope.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_khabar"))
        .arg("--db")
        .arg(&env.db)
        .arg("--config")
        .arg(&missing)
        .arg("unread")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nope.toml does not exist"), "{err}");
    // Regression: a directory was reported as "does not exist".
    let out = Command::new(env!("CARGO_BIN_EXE_khabar"))
        .arg("--db")
        .arg(&env.db)
        .arg("--config")
        .arg(env.config.parent().unwrap())
        .arg("unread")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is a directory"), "{err}");
}

#[test]
fn config_feeds_appear_in_feeds_and_the_database_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new").join("deeper").join("khabar.db");
    let config = dir.path().join("c.toml");
    std::fs::write(
        &config,
        "[[feed]]\nurl = \"https://x.example/rss\"\ntitle = \"X\"\ntags = [\"صنعت\"]\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_khabar"))
        .args([
            "--db".as_ref(),
            db.as_os_str(),
            "--config".as_ref(),
            config.as_os_str(),
        ])
        .args(["feeds", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let feed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(feed["title"], "X");
    assert_eq!(feed["tags"], serde_json::json!(["صنعت"]));
    assert!(db.exists());
    assert!(log_file(&db).exists(), "the log sits next to the database");
}

fn log_file(db: &Path) -> PathBuf {
    db.with_file_name("khabar.log")
}

/// Several processes change state while this one writes new items: every one of
/// them finishes without "database is locked".
#[test]
fn concurrent_processes_and_a_writer_all_succeed() {
    let env = Env::new();
    let fa = ids(&env.items_json(&["--tag", "fa"]));
    let children: Vec<_> = (0..6)
        .map(|i| {
            let id = fa[i % fa.len()].to_string();
            let verb = if i % 2 == 0 { "star" } else { "mark-read" };
            Command::new(env!("CARGO_BIN_EXE_khabar"))
                .arg("--db")
                .arg(&env.db)
                .arg("--config")
                .arg(&env.config)
                .args([verb, &id])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut store = env.store();
    let feed = store
        .feed_by_url("https://fa.example/rss")
        .unwrap()
        .unwrap()
        .id;
    for round in 0..20 {
        let items = (0..10)
            .map(|i| item(&format!("r{round}-{i}"), "new", NOW + round))
            .collect();
        store
            .apply_update(feed, &update("سنج نیوز", items), NOW)
            .unwrap();
    }
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(store.count_items(&Default::default()).unwrap(), 4 + 200);
}

/// QA L4: `KHABAR_DB`/`KHABAR_CONFIG` name the files when no option does, and a
/// variable set but empty counts as unset instead of being an error.
#[test]
fn environment_variables_name_the_files_and_empty_ones_are_unset() {
    let env = Env::new();
    let home = tempfile::tempdir().unwrap();
    let run = |vars: &[(&str, &std::ffi::OsStr)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_khabar"));
        command
            .arg("unread")
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"));
        for (name, value) in vars {
            command.env(name, value);
        }
        command.output().unwrap()
    };
    let from_env = run(&[
        ("KHABAR_DB", env.db.as_os_str()),
        ("KHABAR_CONFIG", env.config.as_os_str()),
    ]);
    assert!(
        from_env.status.success(),
        "{}",
        String::from_utf8_lossy(&from_env.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&from_env.stdout).trim(), "4");
    let empty = run(&[("KHABAR_DB", "".as_ref()), ("KHABAR_CONFIG", "".as_ref())]);
    assert!(
        empty.status.success(),
        "{}",
        String::from_utf8_lossy(&empty.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&empty.stdout).trim(), "0");
}

/// A mistyped `--db` in a status-bar script must not read as "0 unread" for ever:
/// the commands that read or mark what is stored say the database is missing
/// and make no file; `add` (a first subscription) still creates it.
#[test]
fn a_named_database_that_does_not_exist_is_an_error_not_an_empty_one() {
    let env = Env::new();
    let missing = env.db.with_file_name("typo.db");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_khabar"))
            .arg("--config")
            .arg(&env.config)
            .args(args)
            .env("KHABAR_DB", &missing)
            .env_remove("KHABAR_CONFIG")
            .output()
            .unwrap()
    };
    for args in [
        &["unread"][..],
        &["items"],
        &["search", "خبر"],
        &["mark-read", "--all"],
        &["star", "1"],
        &["article", "1"],
        &["export"],
    ] {
        let out = run(args);
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded: {said}");
        assert!(
            said.contains(&format!("database {} does not exist", missing.display())),
            "{args:?}: {said}"
        );
        assert!(!missing.exists(), "{args:?} made the file");
    }
    // The database that exists is read as before.
    assert_eq!(env.ok(&["unread"]).trim(), "4");
}
