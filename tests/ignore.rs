//! `[[ignore]]` rules through the real binary: `khabar refresh` of `file://`
//! feeds leaves out the new items a rule selects and counts them, keeps the
//! others, reads the rule with the index's Persian normalisation, never deletes
//! an item stored before the rule, and a bad rule stops every command with its
//! file, line and column before anything is refreshed.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
    config: PathBuf,
}

/// An RSS document with these (guid, title, description) items.
fn rss(items: &[(&str, &str, &str)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Test News</title><link>https://news.example/</link>\n",
    );
    for (guid, title, body) in items {
        out.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title>\
             <link>https://news.example/{guid}</link><description>{body}</description>\
             <pubDate>Tue, 14 Nov 2023 10:00:00 GMT</pubDate></item>\n"
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("khabar.db");
        let config = dir.path().join("config.toml");
        Env { dir, db, config }
    }

    fn feed_path(&self, name: &str) -> PathBuf {
        self.dir.path().join(format!("{name}.xml"))
    }

    fn write_feed(&self, name: &str, items: &[(&str, &str, &str)]) {
        std::fs::write(self.feed_path(name), rss(items)).unwrap();
    }

    /// A config with the feeds `names` (as `file://` URLs) and `rest` after them.
    fn write_config(&self, names: &[&str], rest: &str) {
        let mut text = String::new();
        for name in names {
            text.push_str(&format!(
                "[[feed]]\nurl = \"{}\"\n\n",
                file_url(&self.feed_path(name))
            ));
        }
        text.push_str(rest);
        std::fs::write(&self.config, text).unwrap();
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

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "khabar {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// The stored titles, sorted.
    fn titles(&self) -> Vec<String> {
        let mut titles: Vec<String> = self
            .ok(&["items", "--json"])
            .lines()
            .map(|line| {
                let value: serde_json::Value = serde_json::from_str(line).unwrap();
                value["title"].as_str().unwrap().to_string()
            })
            .collect();
        titles.sort();
        titles
    }
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn a_rule_drops_matching_new_items_and_keeps_the_rest() {
    let env = Env::new();
    env.write_feed(
        "hn",
        &[
            ("1", "Sponsored: a new laptop", "buy now"),
            ("2", "Rust 2.0 released", "compilers"),
            ("3", "Ask HN: sponsors of open source", "money"),
        ],
    );
    env.write_feed(
        "fa",
        &[
            // Persian Yeh (U+06CC) in the item; the rule is written with Arabic Yeh.
            ("4", "افزایش قیمت دلار", "بازار"),
            ("5", "کاهش قیمت طلا", "بازار"),
        ],
    );
    env.write_config(
        &["hn", "fa"],
        "[[ignore]]\nname = \"ads\"\nquery = \"feed:hn.xml sponsored\"\n\n\
         [[ignore]]\nquery = \"افزايش\"\n",
    );
    let out = env.ok(&["refresh"]);
    assert!(out.contains("3 new items, 2 ignored"), "{out}");
    assert_eq!(
        env.titles(),
        [
            "Ask HN: sponsors of open source",
            "Rust 2.0 released",
            "کاهش قیمت طلا",
        ]
    );
    // The kept items are indexed (a first refresh: from the text made on the
    // parser thread) and the ignored ones are not found.
    assert!(env.ok(&["search", "rust"]).contains("Rust 2.0 released"));
    assert!(env.ok(&["search", "کاهش"]).contains("کاهش قیمت طلا"));
    assert!(!env.ok(&["search", "sponsored"]).contains("Sponsored"));
    // Neither feed failed or lost anything in the listing.
    let feeds = env.ok(&["feeds"]);
    assert!(!feeds.contains("error"), "{feeds}");

    // A new item and the ignored ones again: the new one is tested and kept,
    // the ignored ones are still left out (and counted again).
    env.write_feed(
        "hn",
        &[
            ("1", "Sponsored: a new laptop", "buy now"),
            ("2", "Rust 2.0 released", "compilers"),
            ("3", "Ask HN: sponsors of open source", "money"),
            ("6", "Sponsored post number two", "buy"),
            ("7", "A plain story", "text"),
        ],
    );
    let out = env.ok(&["refresh"]);
    assert!(out.contains("1 new item, 2 ignored"), "{out}");
    assert!(env.titles().contains(&"A plain story".to_string()));
    // Indexed from the text the rules were tested on (a known feed: made by the writer).
    assert!(env.ok(&["search", "plain"]).contains("A plain story"));
    assert!(
        !env.titles()
            .iter()
            .any(|t| t.starts_with("Sponsored") || t.starts_with("افزایش"))
    );
}

#[test]
fn a_new_rule_never_deletes_stored_items() {
    let env = Env::new();
    env.write_feed("hn", &[("1", "Sponsored: a new laptop", "buy now")]);
    env.write_config(&["hn"], "");
    let out = env.ok(&["refresh"]);
    assert!(out.contains("1 new item"), "{out}");
    assert!(!out.contains("ignored"), "{out}");
    env.write_feed(
        "hn",
        &[
            ("1", "Sponsored: a new laptop", "buy now"),
            ("2", "Sponsored: a second laptop", "buy again"),
        ],
    );
    env.write_config(&["hn"], "[[ignore]]\nquery = \"sponsored\"\n");
    let out = env.ok(&["refresh"]);
    assert!(out.contains("0 new items, 1 ignored"), "{out}");
    assert_eq!(env.titles(), ["Sponsored: a new laptop"]);
}

#[test]
fn a_bad_rule_is_a_config_error_with_line_and_column_and_nothing_is_refreshed() {
    let env = Env::new();
    env.write_feed("hn", &[("1", "Sponsored: a new laptop", "buy now")]);
    env.write_config(&["hn"], "[[ignore]]\nquery = \"sponsored (tag:ads\"\n");
    let out = env.run(&["refresh"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    // The file, line 5 (after the three lines of the feed), the value's column,
    // and the column inside the query.
    let expected = format!("{}:5:9: ignore query:", env.config.display());
    assert!(err.contains(&expected), "{err}");
    assert!(err.contains("at column"), "{err}");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!env.db.exists(), "the database was created: something ran");
    // A query that would drop everything is refused too.
    env.write_config(&["hn"], "[[ignore]]\nquery = \"sort:date\"\n");
    let err = String::from_utf8(env.run(&["refresh"]).stderr).unwrap();
    assert!(
        err.contains(":5:9: ignore query: it has no condition"),
        "{err}"
    );
    assert!(!env.db.exists());
}
