//! The Google Reader API client against FreshRSS, replayed: `phase1.json` and
//! `phase2.json` in `tests/fixtures/freshrss/` are what a real FreshRSS answered
//! to two `khabar sync` runs (recorded by `record.py` there). A loopback server
//! answers each request with the recorded response for the same method, path and
//! body, and anything unrecorded with a 500, so a change in what khabar sends
//! fails the test.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
struct Exchange {
    method: String,
    path: String,
    body: String,
    status: u16,
    content_type: String,
    response: String,
    used: bool,
}

fn load(phase: u32) -> Vec<Exchange> {
    let path = format!(
        "{}/tests/fixtures/freshrss/phase{phase}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    list.iter()
        .map(|r| Exchange {
            method: r["method"].as_str().unwrap().into(),
            path: r["path"].as_str().unwrap().into(),
            body: r["body"].as_str().unwrap().into(),
            status: r["status"].as_u64().unwrap() as u16,
            content_type: r["content_type"].as_str().unwrap().into(),
            response: r["response"].as_str().unwrap().into(),
            used: false,
        })
        .collect()
}

type Script = Arc<Mutex<Vec<Exchange>>>;

fn serve(script: Script) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let script = script.clone();
            std::thread::spawn(move || answer(stream, &script));
        }
    });
    port
}

fn answer(mut stream: TcpStream, script: &Script) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let text = String::from_utf8_lossy(&head).to_string();
    let length: usize = text
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    if stream.read_exact(&mut body).is_err() {
        return;
    }
    let body = String::from_utf8_lossy(&body).to_string();
    let mut parts = text.lines().next().unwrap_or("").split(' ');
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let reply = {
        let mut script = script.lock().unwrap();
        let found = script
            .iter_mut()
            .find(|e| !e.used && e.method == method && e.path == path && e.body == body);
        match found {
            Some(exchange) => {
                exchange.used = true;
                Some(exchange.clone())
            }
            None => None,
        }
    };
    let (status, content_type, response) = match reply {
        Some(e) => (e.status, e.content_type, e.response),
        None => (
            500,
            "text/plain".into(),
            format!("unrecorded request: {method} {path} {body}"),
        ),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{response}",
        response.len()
    );
}

fn khabar(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_khabar"))
        .arg("--config")
        .arg(dir.join("config.toml"))
        .arg("--db")
        .arg(dir.join("khabar.db"))
        .args(args)
        .env("KHABAR_SYNC_RETRY_MS", "")
        .output()
        .unwrap()
}

fn ok(dir: &std::path::Path, args: &[&str]) -> String {
    let out = khabar(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Title → (id, read, starred).
fn items(dir: &std::path::Path) -> std::collections::BTreeMap<String, (i64, bool, bool)> {
    ok(dir, &["items", "--json"])
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                v["title"].as_str().unwrap().to_string(),
                (
                    v["id"].as_i64().unwrap(),
                    v["read"].as_bool().unwrap(),
                    v["starred"].as_bool().unwrap(),
                ),
            )
        })
        .collect()
}

#[test]
fn freshrss_first_sync_marks_and_stars_both_ways_from_recordings() {
    let script: Script = Arc::new(Mutex::new(load(1)));
    let port = serve(script.clone());
    let dir = synced_to(port);

    assert_eq!(
        ok(dir.path(), &["sync"]).trim(),
        "sync: 7 new, 0 marked read on the server, 0 sent"
    );
    assert!(
        script.lock().unwrap().iter().all(|e| e.used),
        "every recorded call made"
    );
    let local = items(dir.path());
    assert_eq!(local.len(), 7);
    assert!(local.contains_key("Beta خبر 2"), "Persian titles intact");
    assert!(local.values().all(|(_, read, starred)| !read && !starred));
    let feeds = ok(dir.path(), &["feeds"]);
    assert!(
        feeds.contains("Alpha") && feeds.contains("Beta خبر"),
        "{feeds}"
    );

    // Then: the server marked "Alpha 2" read and starred "Alpha 3"; here "Alpha 1"
    // is read and "Beta خبر 1" starred.
    *script.lock().unwrap() = load(2);
    ok(dir.path(), &["mark-read", &local["Alpha 1"].0.to_string()]);
    ok(dir.path(), &["star", &local["Beta خبر 1"].0.to_string()]);
    let summary = ok(dir.path(), &["sync"]);
    assert_eq!(
        summary.trim(),
        "sync: 0 new, 1 marked read on the server, 2 sent, 1 star changed on the server"
    );
    let unused: Vec<String> = script
        .lock()
        .unwrap()
        .iter()
        .filter(|e| !e.used)
        .map(|e| format!("{} {}", e.method, e.path))
        .collect();
    assert!(unused.is_empty(), "recorded but not asked for: {unused:?}");
    let local = items(dir.path());
    assert!(local["Alpha 1"].1);
    assert!(local["Alpha 2"].1, "read on the server");
    assert!(local["Alpha 3"].2, "starred on the server");
    assert!(local["Beta خبر 1"].2);
    assert!(ok(dir.path(), &["feeds"]).contains("0 marks waiting"));
}

/// A FreshRSS subscription whose URL is a command is never taken (the store
/// refuses it), and the summary counts it as Miniflux's does; it was left out.
/// The `exec:` subscription is synthetic: added here to the recorded
/// subscription list (FreshRSS itself would not subscribe to such a URL).
#[test]
fn freshrss_command_feed_is_not_taken_and_is_counted() {
    let mut exchanges = load(1);
    let list = exchanges
        .iter_mut()
        .find(|e| e.path.contains("subscription/list"))
        .unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&list.response).unwrap();
    value["subscriptions"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "id": "feed/9",
            "title": "Synthetic command feed",
            "categories": [],
            "url": "exec:touch /tmp/khabar-must-not-run",
            "htmlUrl": "http://example.org/exec",
            "iconUrl": ""
        }));
    list.response = value.to_string();
    let script: Script = Arc::new(Mutex::new(exchanges));
    let port = serve(script.clone());
    let dir = synced_to(port);
    assert_eq!(
        ok(dir.path(), &["sync"]).trim(),
        "sync: 7 new, 0 marked read on the server, 0 sent, \
         1 exec:/filter: feed on the server not taken (commands come only from you)"
    );
    let feeds = ok(dir.path(), &["feeds"]);
    assert!(!feeds.contains("exec:touch"), "{feeds}");
}

/// A directory whose config.toml syncs with the replayed server on `port`.
fn synced_to(port: u16) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "feed = []\n[sync]\nprovider = \"greader\"\nurl = \"http://127.0.0.1:{port}\"\n\
             username = \"admin\"\npassword_command = \"echo api-pass-Recorded1\"\n"
        ),
    )
    .unwrap();
    dir
}
