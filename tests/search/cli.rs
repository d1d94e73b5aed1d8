//! The real binary: `khabar search` (text and JSON with a snippet), a bad query's
//! error with its column, `khabar items --query`, `khabar mark-read --query`.

use std::process::{Command, Output};

use super::*;

struct Env {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    config: std::path::PathBuf,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("khabar.db");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, "").unwrap();
        let mut store = Store::open(&db).unwrap();
        feed(
            &mut store,
            "https://fa.example/rss",
            &["اقتصاد"],
            vec![
                item(
                    "1",
                    "افزایش تولید کالا در ۱۴۰۳",
                    "گزارش درباره تولید و بازار",
                    1,
                ),
                item("2", "بازار ارز", "قیمت دلار و افزایش تولید در کارخانه‌ها", 2),
                item("3", "ورزش", "فوتبال", 3),
            ],
        );
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

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

#[test]
fn search_prints_matches_best_first_with_a_snippet() {
    let env = Env::new();
    let out = env.ok(&["search", "افزايش توليد", "--json"]);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(lines[0]["title"], "افزایش تولید کالا در ۱۴۰۳");
    for key in [
        "id",
        "feed",
        "feed_title",
        "title",
        "summary",
        "link",
        "published",
        "tags",
        "read",
        "starred",
    ] {
        assert!(lines[0].get(key).is_some(), "{key} missing: {}", lines[0]);
    }
    assert!(
        lines[1]["snippet"]
            .as_str()
            .unwrap()
            .contains("افزایش تولید"),
        "{}",
        lines[1]
    );
    let text = env.ok(&["search", "1403", "--limit", "5"]);
    assert!(text.contains("افزایش تولید کالا در ۱۴۰۳"), "{text}");
    assert_eq!(
        env.ok(&["search", "تولید", "--limit", "1", "--json"])
            .lines()
            .count(),
        1
    );
}

#[test]
fn a_bad_query_says_what_and_where() {
    let env = Env::new();
    let out = env.run(&["search", "بازار after:"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("after: needs a date, at column 13"), "{err}");
    assert!(
        err.contains("\n              ^"),
        "the caret points at the column: {err}"
    );
    for args in [
        &["items", "--query", "(بازار"][..],
        &["mark-read", "--query", "is:new"][..],
    ] {
        let out = env.run(args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("at column"),
            "{args:?}"
        );
    }
}

#[test]
fn items_and_mark_read_take_a_query() {
    let env = Env::new();
    let out = env.ok(&["items", "--query", "تولید"]);
    assert_eq!(out.lines().count(), 2, "{out}");
    // Newest first, like `items`.
    assert!(
        out.lines().next().unwrap().contains("افزایش تولید کالا"),
        "{out}"
    );
    assert_eq!(
        env.ok(&["mark-read", "--query", "تولید tag:اقتصاد"]).trim(),
        "2 items marked read"
    );
    assert_eq!(
        env.ok(&["items", "--query", "tag:اقتصاد", "--unread"])
            .lines()
            .count(),
        1
    );
    assert_eq!(env.ok(&["unread"]).trim(), "1");
}
