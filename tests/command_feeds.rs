//! newsboat's command feeds through the real binary: `exec:` (a script's output
//! is the feed), `filter:` (a loopback server's body rewritten by a script), their
//! failures (exit status, timeout, too much output) as the feed's error without
//! stopping the others, and `khabar import` of a `urls` file with `exec:`,
//! `filter:` and `query:` lines. Also where relative links of a feed that is
//! not fetched from the web (a command, a `file://` feed) resolve: against the
//! feed's own channel `<link>`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/http_server.rs"]
mod http_server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use http_server::{Reply, TestServer};

fn rss(title: &str, items: &[(&str, &str)]) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>https://site.example/</link>"
    );
    for (guid, item) in items {
        xml.push_str(&format!(
            "<item><guid>{guid}</guid><title>{item}</title><link>/{guid}</link></item>"
        ));
    }
    xml.push_str("</channel></rss>\n");
    xml
}

/// An executable shell script in `dir`.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn khabar(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_khabar"))
        .arg("--config")
        .arg(dir.join("config.toml"))
        .arg("--db")
        .arg(dir.join("khabar.db"))
        .args(args)
        .env("HOME", dir)
        .env_remove("KHABAR_CONFIG")
        .env_remove("KHABAR_DB")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn config(dir: &Path, fetch: &str, feeds: &[&str]) {
    let mut text = format!("[fetch]\n{fetch}\n");
    for url in feeds {
        text.push_str(&format!("\n[[feed]]\nurl = {}\n", toml_string(url)));
    }
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `khabar feeds --json`, by URL.
fn feeds(dir: &Path) -> Vec<serde_json::Value> {
    let out = khabar(dir, &["feeds", "--json"]);
    assert!(out.status.success(), "{out:?}");
    json_lines(&stdout(&out))
}

fn feed<'a>(feeds: &'a [serde_json::Value], url: &str) -> &'a serde_json::Value {
    feeds
        .iter()
        .find(|f| f["url"] == url)
        .unwrap_or_else(|| panic!("no feed {url} in {feeds:?}"))
}

fn item_titles(dir: &Path) -> Vec<(String, String, String)> {
    let out = khabar(dir, &["items", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let mut items: Vec<(String, String, String)> = json_lines(&stdout(&out))
        .iter()
        .map(|i| {
            (
                i["feed"].as_str().unwrap().to_string(),
                i["title"].as_str().unwrap().to_string(),
                i["link"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    items.sort();
    items
}

#[test]
fn an_exec_feed_is_its_scripts_output() {
    let dir = tempfile::tempdir().unwrap();
    let body = rss("Script feed", &[("a1", "From a script"), ("a2", "Second")]);
    script(
        dir.path(),
        "myfeed",
        &format!("[ \"$1\" = --flag ] || exit 9\ncat <<'EOF'\n{body}EOF"),
    );
    // `~/` is the home directory, as in newsboat.
    let url = "exec:~/myfeed --flag";
    config(dir.path(), "", &[url]);
    let out = khabar(dir.path(), &["refresh"]);
    assert!(out.status.success(), "{out:?}");
    let items = item_titles(dir.path());
    let titles: Vec<&str> = items.iter().map(|i| i.1.as_str()).collect();
    assert_eq!(titles, ["From a script", "Second"]);
    // A command is no base: `/a1` resolves against the channel's <link>.
    let links: Vec<&str> = items.iter().map(|i| i.2.as_str()).collect();
    assert_eq!(
        links,
        ["https://site.example/a1", "https://site.example/a2"]
    );
    let feeds = feeds(dir.path());
    let row = feed(&feeds, url);
    assert_eq!(row["title"], "Script feed");
    assert_eq!(row["last_error"], serde_json::Value::Null);
    let listed = stdout(&khabar(dir.path(), &["feeds"]));
    assert!(
        listed.contains("Script feed") && listed.contains(url),
        "{listed}"
    );
}

#[test]
fn a_filter_feed_rewrites_a_loopback_body() {
    let server = TestServer::start();
    server.route(
        "/feed.xml",
        Reply::ok(
            rss("Original", &[("x1", "Original item")]),
            "application/rss+xml",
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let fix = script(dir.path(), "fix.sh", "sed 's/Original/Rewritten/g'");
    let url = format!("filter:{}:{}", fix.display(), server.url("/feed.xml"));
    config(dir.path(), "", &[&url]);
    let out = khabar(dir.path(), &["refresh"]);
    assert!(out.status.success(), "{out:?}");
    let items = item_titles(dir.path());
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].1, "Rewritten item");
    // Relative links resolve against the filter's URL.
    assert_eq!(items[0].2, server.url("/x1"));
    assert_eq!(feed(&feeds(dir.path()), &url)["title"], "Rewritten");
    assert_eq!(server.requests_to("/feed.xml").len(), 1);
}

#[test]
fn a_failing_command_is_that_feeds_error_and_the_others_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let good = script(
        dir.path(),
        "good",
        &format!("cat <<'EOF'\n{}EOF", rss("Good", &[("g", "Good item")])),
    );
    let good_url = format!("exec:{}", good.display());
    let failing = "exec:echo 'no network today' >&2; echo more >&2; exit 1";
    let missing = "exec:khabar-test-no-such-command";
    let silent = "exec:true";
    config(dir.path(), "", &[failing, &good_url, missing, silent]);
    let out = khabar(dir.path(), &["refresh"]);
    assert!(out.status.success(), "{out:?}");
    assert!(stdout(&out).contains("3 failed"), "{}", stdout(&out));
    let feeds = feeds(dir.path());
    assert_eq!(
        feed(&feeds, failing)["last_error"],
        "command exited with status 1: no network today"
    );
    let error = feed(&feeds, missing)["last_error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        error.starts_with("command exited with status 127: "),
        "{error}"
    );
    assert!(error.contains("khabar-test-no-such-command"), "{error}");
    assert_eq!(feed(&feeds, silent)["last_error"], "command wrote nothing");
    assert_eq!(item_titles(dir.path())[0].1, "Good item");
}

#[test]
fn a_command_past_the_timeout_is_killed_and_the_others_are_stored() {
    let dir = tempfile::tempdir().unwrap();
    let good = script(
        dir.path(),
        "good",
        &format!("cat <<'EOF'\n{}EOF", rss("Good", &[("g", "Good item")])),
    );
    let good_url = format!("exec:{}", good.display());
    // The shell's child holds standard output: only killing the group ends it.
    let slow = "exec:sleep 60 | cat";
    config(dir.path(), "timeout_secs = 1", &[slow, &good_url]);
    let start = Instant::now();
    let out = khabar(dir.path(), &["refresh"]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    let feeds = feeds(dir.path());
    assert_eq!(feed(&feeds, slow)["last_error"], "timed out after 1 s");
    assert_eq!(item_titles(dir.path())[0].1, "Good item");
}

#[test]
fn a_command_writing_past_max_feed_bytes_fails() {
    let dir = tempfile::tempdir().unwrap();
    // `yes` never stops: the cap must stop it.
    let endless = "exec:yes '<item/>'";
    config(
        dir.path(),
        "max_feed_bytes = 65536\ntimeout_secs = 20",
        &[endless],
    );
    let start = Instant::now();
    let out = khabar(dir.path(), &["refresh"]);
    // Every feed failed: the refresh says so in its exit status.
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(stdout(&out).contains("1 failed"), "{out:?}");
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(
        feed(&feeds(dir.path()), endless)["last_error"],
        "response larger than 65536 bytes (max_feed_bytes)"
    );
}

#[test]
fn import_keeps_command_feeds_and_makes_views_of_queries_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "# mine\n").unwrap();
    let urls = dir.path().join("urls");
    std::fs::write(
        &urls,
        concat!(
            "https://a.example/rss tech\n",
            "\"exec:~/bin/myfeed --flag\" tech \"~Mine\"\n",
            "filter:~/bin/fix.sh:https://b.example/feed news\n",
            "\"query:Fresh news:unread = \\\"yes\\\" and (tags # \\\"news\\\" or flags # \\\"s\\\") and age between 0:6\"\n",
            "\"query:By me:author = \\\"me\\\"\"\n",
            "\"query:Starred:flags # \\\"s\\\"\"\n",
        ),
    )
    .unwrap();
    let urls_arg = urls.to_str().unwrap();
    let out = khabar(dir.path(), &["import", urls_arg]);
    assert!(out.status.success(), "{out:?}");
    let said = stdout(&out);
    assert!(said.contains("imported 3 feeds"), "{said}");
    assert!(
        said.contains(
            "made 1 view from newsboat's query feeds, 1 already khabar's own list, 1 not translated"
        ),
        "{said}"
    );
    let errors = String::from_utf8_lossy(&out.stderr);
    assert!(
        errors
            .contains("urls:6: query feed \"Starred\" is khabar's own Starred list: no view made"),
        "{errors}"
    );
    assert!(
        errors.contains("query feed \"By me\" not imported: cannot translate author = \"me\""),
        "{errors}"
    );
    let feeds = feeds(dir.path());
    assert_eq!(feed(&feeds, "exec:~/bin/myfeed --flag")["title"], "Mine");
    assert_eq!(
        feed(&feeds, "exec:~/bin/myfeed --flag")["tags"],
        serde_json::json!(["tech"])
    );
    assert_eq!(
        feed(&feeds, "filter:~/bin/fix.sh:https://b.example/feed")["tags"],
        serde_json::json!(["news"])
    );
    let config = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
    // `or` binds tighter than juxtaposition: no parentheses needed.
    assert!(
        config.contains("[[view]]\nname = \"Fresh news\"\nquery = \"is:unread tag:news or is:starred after:7d\"\n"),
        "{config}"
    );
    assert!(config.contains("# mine"), "{config}");
    // Twice: no second view.
    let out = khabar(dir.path(), &["import", urls_arg]);
    assert!(stdout(&out).contains("made 0 views from newsboat's query feeds, 1 already there"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("config.toml")).unwrap(),
        config
    );
    // The view is one the reader and `search` read.
    let out = khabar(
        dir.path(),
        &["search", "is:unread tag:news or is:starred after:7d"],
    );
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn an_opml_files_commands_are_kept_only_when_allowed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "").unwrap();
    let opml = dir.path().join("sent.opml");
    std::fs::write(
        &opml,
        "<opml version=\"2.0\"><body>\n<outline xmlUrl=\"https://a.example/rss\"/>\n<outline text=\"x\" xmlUrl=\"exec:touch pwned\"/>\n</body></opml>\n",
    )
    .unwrap();
    let out = khabar(dir.path(), &["import", opml.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            ":3: skipped \"exec:touch pwned\": it runs a command; import with --allow-commands"
        ),
        "{out:?}"
    );
    assert!(stdout(&out).contains("imported 1 feed"), "{out:?}");
    assert!(
        feeds(dir.path())
            .iter()
            .all(|f| f["url"] != "exec:touch pwned")
    );
    let out = khabar(
        dir.path(),
        &["import", "--allow-commands", opml.to_str().unwrap()],
    );
    assert!(out.status.success(), "{out:?}");
    feed(&feeds(dir.path()), "exec:touch pwned");
}

#[test]
fn a_file_feeds_relative_links_resolve_against_its_channel_link() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("news.xml");
    std::fs::write(
        &path,
        rss("File feed", &[("f1", "From a file")]).replace(
            "<link>/f1</link>",
            "<link>/f1</link><description>&lt;a href=\"/more\"&gt;more&lt;/a&gt;</description>",
        ),
    )
    .unwrap();
    let url = format!("file://{}", path.display());
    config(dir.path(), "", &[&url]);
    let out = khabar(dir.path(), &["refresh"]);
    assert!(out.status.success(), "{out:?}");
    let out = khabar(dir.path(), &["items", "--json"]);
    let items = json_lines(&stdout(&out));
    assert_eq!(items.len(), 1, "{items:?}");
    // Not file:///f1, which `o` would refuse to open.
    assert_eq!(items[0]["link"], "https://site.example/f1");
    let id = items[0]["id"].to_string();
    let out = khabar(dir.path(), &["article", &id]);
    assert!(out.status.success(), "{out:?}");
    let article = stdout(&out);
    assert!(
        article.contains("https://site.example/f1")
            && article.contains("https://site.example/more"),
        "{article}"
    );
    assert!(!article.contains("file:///"), "{article}");
}

/// A permanent redirect of a `filter:` feed's URL moves the stored location to
/// `filter:COMMAND:NEWURL`, as for a plain http feed; it was kept at the old URL.
#[test]
fn a_permanent_redirect_inside_a_filter_url_is_written_back() {
    let server = TestServer::start();
    server.route("/old.xml", Reply::redirect(301, &server.url("/new.xml")));
    server.route(
        "/new.xml",
        Reply::ok(rss("Moved", &[("m1", "Moved item")]), "application/rss+xml"),
    );
    let dir = tempfile::tempdir().unwrap();
    let fix = script(dir.path(), "fix.sh", "cat");
    let url = format!("filter:{}:{}", fix.display(), server.url("/old.xml"));
    config(dir.path(), "", &[&url]);
    let out = khabar(dir.path(), &["refresh"]);
    assert!(out.status.success(), "{out:?}");
    let moved = format!("filter:{}:{}", fix.display(), server.url("/new.xml"));
    let listed = feeds(dir.path());
    assert_eq!(feed(&listed, &moved)["title"], "Moved", "{listed:?}");
    assert_eq!(item_titles(dir.path()).len(), 1);
}
