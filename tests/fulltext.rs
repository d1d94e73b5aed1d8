//! Full text for `fulltext = true` feeds, end to end against a server on 127.0.0.1:
//! a refresh fetches each item's page, keeps the readable article beside the HTML
//! the feed published, never fetches local files for a feed, and does not fetch a
//! page again once tried.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/http_server.rs"]
mod http_server;

use http_server::{Reply, TestServer};
use khabar::refresh::{RefreshTarget, refresh};
use khabar::store::{FeedSpec, ItemQuery, Store};

const STORY: &str = include_str!("fixtures/articles/fa-sanjnews-1/source.html");

fn feed(items: &[(&str, &str)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>سنج</title><language>fa</language>",
    );
    for (guid, link) in items {
        xml.push_str(&format!(
            "<item><guid>{guid}</guid><title>خبر {guid}</title><link>{link}</link><description>خلاصه</description></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}

fn run(db: &std::path::Path, targets: Vec<RefreshTarget>) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()
        .unwrap();
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    runtime
        .block_on(refresh(db, &http_server::fetch_config(), targets, tx))
        .unwrap();
}

#[test]
fn fulltext_feeds_get_the_article_from_the_page_and_others_do_not() {
    let server = TestServer::start();
    let story = server.url("/story");
    let secret = std::env::temp_dir().join("khabar-fulltext-secret.html");
    std::fs::write(&secret, STORY).unwrap();
    server.route(
        "/full",
        Reply::ok(
            feed(&[
                ("1", &story),
                ("2", &format!("file://{}", secret.display())),
                ("3", &server.url("/gone")),
            ]),
            "application/rss+xml",
        ),
    );
    server.route(
        "/plain",
        Reply::ok(feed(&[("9", &story)]), "application/rss+xml"),
    );
    server.route("/story", Reply::ok(STORY, "text/html; charset=utf-8"));
    server.route("/gone", Reply::status(404));

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("khabar.db");
    let mut store = Store::open(&db).unwrap();
    let mut targets = Vec::new();
    for (path, fulltext) in [("/full", true), ("/plain", false)] {
        let url = server.url(path);
        let spec = FeedSpec {
            url: url.clone(),
            fulltext,
            enabled: true,
            ..FeedSpec::default()
        };
        targets.push(RefreshTarget {
            feed_id: store.add_feed(&spec).unwrap(),
            url,
        });
    }
    run(&db, targets.clone());

    let items = store.items_after(&ItemQuery::default(), None, 10).unwrap();
    let by_guid = |title: &str| items.iter().find(|i| i.title == title).unwrap().id;
    let article = store
        .item_fulltext(by_guid("خبر 1"))
        .unwrap()
        .expect("article extracted");
    assert!(article.contains("محمد صائبی"), "{article}");
    assert!(!article.contains("تماس با ما"), "site menu kept: {article}");
    // The HTML the feed published is kept as it was.
    let detail = store.item(by_guid("خبر 1")).unwrap().unwrap();
    assert_eq!(detail.summary.as_deref(), Some("خلاصه"));
    // A feed cannot make khabar read a local file; a dead page gives no article.
    assert_eq!(store.item_fulltext(by_guid("خبر 2")).unwrap(), None);
    assert_eq!(store.item_fulltext(by_guid("خبر 3")).unwrap(), None);
    // A feed without `fulltext` never has its pages fetched.
    assert_eq!(store.item_fulltext(by_guid("خبر 9")).unwrap(), None);
    assert_eq!(server.requests_to("/story").len(), 1);
    assert_eq!(server.requests_to("/gone").len(), 1);

    // Pages already tried are not fetched again on the next refresh.
    run(&db, targets);
    assert_eq!(server.requests_to("/story").len(), 1);
    assert_eq!(server.requests_to("/gone").len(), 1);
    let _ = std::fs::remove_file(secret);
}

/// Links to files that are not pages: a PDF sent with no `Content-Type`, an
/// image sent as `text/html`, random bytes as `text/plain`. None may become a
/// "story" of replacement characters (stored, indexed and shown); each keeps
/// the feed's text and records why, while a real page beside them is read.
#[test]
fn binary_files_behind_links_give_no_article_and_say_what_they_are() {
    let server = TestServer::start();
    let links = ["/report.pdf", "/photo", "/noise", "/story"];
    let items: Vec<(String, String)> = links
        .iter()
        .enumerate()
        .map(|(n, path)| (n.to_string(), server.url(path)))
        .collect();
    let pairs: Vec<(&str, &str)> = items
        .iter()
        .map(|(guid, link)| (guid.as_str(), link.as_str()))
        .collect();
    server.route("/feed", Reply::ok(feed(&pairs), "application/rss+xml"));
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend("<p>not a story</p> ".repeat(200).bytes());
    server.route(
        "/report.pdf",
        Reply::Fixed {
            status: 200,
            headers: vec![],
            body: pdf,
        },
    );
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    server.route("/photo", Reply::ok(png, "text/html"));
    let noise: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_246_822_519).rotate_left(13) >> 24) as u8)
        .collect();
    server.route("/noise", Reply::ok(noise, "text/plain"));
    server.route("/story", Reply::ok(STORY, "text/html; charset=utf-8"));

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("khabar.db");
    let mut store = Store::open(&db).unwrap();
    let url = server.url("/feed");
    let spec = FeedSpec {
        url: url.clone(),
        fulltext: true,
        enabled: true,
        ..FeedSpec::default()
    };
    let feed_id = store.add_feed(&spec).unwrap();
    run(&db, vec![RefreshTarget { feed_id, url }]);

    let items = store.items_after(&ItemQuery::default(), None, 10).unwrap();
    let status = |guid: &str| {
        let id = items
            .iter()
            .find(|i| i.title == format!("خبر {guid}"))
            .unwrap()
            .id;
        (
            store.fulltext_status(id).unwrap().unwrap(),
            store.item(id).unwrap().unwrap(),
        )
    };
    for (guid, kind) in [
        ("0", "a PDF document"),
        ("1", "a PNG image"),
        ("2", "binary data"),
    ] {
        let (full, item) = status(guid);
        assert_eq!(full.html, None, "{kind}: no article");
        let error = full.error.unwrap_or_default();
        assert!(error.contains(kind), "{kind}: {error}");
        assert_eq!(
            item.summary.as_deref(),
            Some("خلاصه"),
            "the feed's text stays"
        );
    }
    let (story, _) = status("3");
    assert!(story.html.unwrap().contains("محمد صائبی"));
}
