//! Feeds that other readers read, through the real binary: written to a file,
//! refreshed from its `file://` address into a fresh database, and looked at
//! with `khabar items --json`, `khabar feeds --json` and `khabar article`.
//! RSS `xml:base`, a JSON Feed without a title, JSON Feed attachments, RSS 0.9x,
//! podcast files' titles and durations (`<itunes:duration>`, Media RSS).

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary directory with a config naming one feed file, and a database.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    /// `body` written as the config's one feed, then refreshed.
    fn with_feed(name: &str, body: &str) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let feed = dir.path().join(name);
        std::fs::write(&feed, body).unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            format!("[[feed]]\nurl = \"{}\"\n", file_url(&feed)),
        )
        .unwrap();
        let env = Env { dir };
        env.ok(&["refresh"]);
        env
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_khabar"))
            .arg("--db")
            .arg(self.dir.path().join("khabar.db"))
            .arg("--config")
            .arg(self.dir.path().join("config.toml"))
            .args(args)
            .env_remove("KHABAR_DB")
            .env_remove("KHABAR_CONFIG")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "khabar {args:?} failed: {stderr}");
        String::from_utf8(out.stdout).unwrap()
    }

    fn json_lines(&self, args: &[&str]) -> Vec<serde_json::Value> {
        self.ok(args)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The items, oldest first (the fixtures date them in order).
    fn items(&self) -> Vec<serde_json::Value> {
        let mut items = self.json_lines(&["items", "--json"]);
        items.sort_by_key(|i| i["published"].as_str().unwrap().to_string());
        items
    }

    fn article(&self, item: &serde_json::Value) -> String {
        let id = item["id"].as_i64().unwrap().to_string();
        self.ok(&["article", &id, "--width", "200"])
    }

    fn article_html(&self, item: &serde_json::Value) -> String {
        let id = item["id"].as_i64().unwrap().to_string();
        self.ok(&["article", &id, "--html"])
    }
}

fn file_url(path: &Path) -> String {
    format!("file://{}", PathBuf::from(path).display())
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    std::fs::read_to_string(path.join(name)).unwrap()
}

#[test]
fn rss_xml_base_resolves_links_enclosures_and_article_html() {
    let env = Env::with_feed("feed.xml", &fixture("rss-xml-base.xml"));
    let items = env.items();
    assert_eq!(items.len(), 2, "{items:?}");
    let site = "http://127.0.0.1:9/blog/news/";
    assert_eq!(items[0]["link"], format!("{site}2024/one.html"));
    let html = env.article_html(&items[0]);
    assert!(
        html.contains(&format!("src=\"{site}img/one.png\"")),
        "{html}"
    );
    let article = env.article(&items[0]);
    assert!(
        article.contains(&format!("{site}2024/other.html")),
        "{article}"
    );
    assert!(
        article.contains(&format!("{site}media/one.mp3")),
        "{article}"
    );
    // The item's own base, and the description's own over it.
    assert_eq!(items[1]["link"], format!("{site}posts/two.html"));
    let html = env.article_html(&items[1]);
    assert!(
        html.contains("href=\"http://127.0.0.1:9/elsewhere/2024/other.html\""),
        "{html}"
    );
}

#[test]
fn json_feed_without_a_title_is_read_and_named_by_its_address() {
    let env = Env::with_feed("feed.json", &fixture("jsonfeed-no-title.json"));
    let feeds = env.json_lines(&["feeds", "--json"]);
    assert_eq!(feeds.len(), 1);
    assert_eq!(feeds[0]["last_error"], serde_json::Value::Null, "{feeds:?}");
    assert_eq!(feeds[0]["repairs"], "no feed title");
    assert_eq!(feeds[0]["site_link"], "http://127.0.0.1:9/");
    let items = env.items();
    let titles: Vec<&str> = items.iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["First post", "Second post"]);
    // Named as an untitled RSS or Atom feed is: by its address.
    let named = items[0]["feed_title"].as_str().unwrap();
    assert!(
        named.starts_with("file://") && named.ends_with("/feed.json"),
        "{named}"
    );
    let listed = env.ok(&["feeds"]);
    assert!(
        listed.contains("read with repairs: no feed title"),
        "{listed}"
    );
}

#[test]
fn json_feed_attachments_show_in_the_article_like_rss_enclosures() {
    let env = Env::with_feed("cast.json", &fixture("jsonfeed-attachments.json"));
    let items = env.items();
    assert_eq!(items.len(), 1, "{items:?}");
    let article = env.article(&items[0]);
    assert!(
        article.contains("http://127.0.0.1:9/cast/episode-1.mp3"),
        "{article}"
    );
    assert!(
        article.contains("http://127.0.0.1:9/cast/episode-1.m4a"),
        "{article}"
    );
}

#[test]
fn rss_094_is_read_like_rss_20() {
    let env = Env::with_feed("feed.xml", &fixture("rss-094.xml"));
    let feeds = env.json_lines(&["feeds", "--json"]);
    assert_eq!(feeds.len(), 1);
    assert_eq!(feeds[0]["last_error"], serde_json::Value::Null, "{feeds:?}");
    assert_eq!(feeds[0]["title"], "خبرگزاری نمونه", "{feeds:?}");
    let items = env.items();
    let titles: Vec<&str> = items.iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["خبر نخست", "خبر دوم"]);
    assert_eq!(items[1]["link"], "http://127.0.0.1:9/2.html");
}

#[test]
fn rss_090_is_read_like_rss_10() {
    // RSS 0.90 is RDF in Netscape's namespace: read as nothing (no title, no
    // items, no error) until that namespace was taken for RSS 1.0's.
    let env = Env::with_feed("feed.xml", &fixture("rss-090.xml"));
    let feeds = env.json_lines(&["feeds", "--json"]);
    assert_eq!(feeds.len(), 1);
    assert_eq!(feeds[0]["last_error"], serde_json::Value::Null, "{feeds:?}");
    assert_eq!(feeds[0]["title"], "خبرگزاری نمونه", "{feeds:?}");
    let items = env.items();
    let mut titles: Vec<&str> = items.iter().map(|i| i["title"].as_str().unwrap()).collect();
    titles.sort_unstable();
    assert_eq!(titles, ["خبر دوم", "خبر نخست"]);
    let mut links: Vec<&str> = items.iter().map(|i| i["link"].as_str().unwrap()).collect();
    links.sort_unstable();
    assert_eq!(
        links,
        ["http://127.0.0.1:9/1.html", "http://127.0.0.1:9/2.html"]
    );
}

/// The article's numbered list of links and media, from its heading on.
fn media_list(article: &str) -> String {
    let at = article.find("Links").expect("the article lists its links");
    article[at..]
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn json_feed_attachment_titles_and_durations_in_items_json_and_the_article() {
    let env = Env::with_feed("cast.json", &fixture("jsonfeed-attachments.json"));
    let items = env.items();
    let files = &items[0]["enclosures"];
    assert_eq!(files[0]["url"], "http://127.0.0.1:9/cast/episode-1.mp3");
    assert_eq!(files[0]["title"], "MP3");
    assert_eq!(files[0]["duration"], 1800);
    assert_eq!(files[0]["length"], 12_345_678);
    assert_eq!(files[1]["title"], serde_json::Value::Null);
    assert_eq!(files[1]["duration"], serde_json::Value::Null);
    insta::assert_snapshot!(
        "podcast_json_media_list",
        media_list(&env.article(&items[0]))
    );
}

#[test]
fn rss_itunes_durations_in_each_form_in_items_json_and_the_article() {
    let env = Env::with_feed("cast.xml", &fixture("rss-itunes-duration.xml"));
    let items = env.items();
    let durations: Vec<&serde_json::Value> = items
        .iter()
        .map(|i| &i["enclosures"][0]["duration"])
        .collect();
    assert_eq!(
        durations,
        [2530, 2530, 3723, 95]
            .iter()
            .map(|&s| serde_json::json!(s))
            .chain([serde_json::Value::Null])
            .collect::<Vec<_>>()
            .iter()
            .collect::<Vec<_>>()
    );
    // A file feed: the relative enclosure resolves against the channel's <link>.
    assert_eq!(
        items[0]["enclosures"][0]["url"],
        "http://127.0.0.1:9/pod/1.mp3"
    );
    insta::assert_snapshot!(
        "podcast_rss_media_list",
        [1, 2, 3]
            .iter()
            .map(|&i| media_list(&env.article(&items[i])))
            .collect::<Vec<_>>()
            .join("\n---\n")
    );
}
