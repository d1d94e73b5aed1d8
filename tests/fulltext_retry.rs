//! A page that gives no article (issue 10): the feed's text stays, the reason is
//! recorded, and the page is retried at most once a day and at most three times
//! in all. The first attempt is a real refresh against a server on 127.0.0.1
//! whose page is gone; the later days are the store's clock moved forward.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/http_server.rs"]
mod http_server;

use http_server::{Reply, TestServer};
use khabar::refresh::{RefreshTarget, refresh};
use khabar::store::{FeedSpec, ItemQuery, Store};

const HOUR: i64 = 60 * 60;
const DAY: i64 = 24 * HOUR;

#[test]
fn a_failing_page_is_retried_at_most_once_a_day_and_three_times() {
    let server = TestServer::start();
    let page = server.url("/gone");
    server.route(
        "/feed",
        Reply::ok(
            format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>t</title>\
                 <item><guid>1</guid><title>خبر</title><link>{page}</link><description>خلاصهٔ خبر</description></item>\
                 </channel></rss>"
            ),
            "application/rss+xml",
        ),
    );
    server.route("/gone", Reply::status(404));

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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()
        .unwrap();
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let started = chrono::Utc::now().timestamp();
    runtime
        .block_on(refresh(
            &db,
            &http_server::fetch_config(),
            vec![RefreshTarget { feed_id, url }],
            tx,
        ))
        .unwrap();
    assert_eq!(server.requests_to("/gone").len(), 1);

    let item = store.items_after(&ItemQuery::default(), None, 10).unwrap()[0].id;
    // The feed's text stays and the reason is kept.
    let detail = store.item(item).unwrap().unwrap();
    assert_eq!(detail.summary.as_deref(), Some("خلاصهٔ خبر"));
    let status = store.fulltext_status(item).unwrap().unwrap();
    assert_eq!((status.html, status.attempts), (None, 1));
    assert!(status.error.unwrap().contains("404"));

    let due = |store: &Store, at: i64| {
        store
            .fulltext_jobs(10, at)
            .unwrap()
            .iter()
            .any(|job| job.item_id == item)
    };
    // Not again the same day...
    assert!(!due(&store, started + HOUR));
    assert!(!due(&store, started + DAY - HOUR));
    // ... but the next day.
    let second = started + DAY + HOUR;
    assert!(due(&store, second));
    store
        .set_fulltext_result(item, Err("HTTP 404"), second)
        .unwrap();
    assert!(!due(&store, second + 12 * HOUR));
    let third = second + DAY + HOUR;
    assert!(due(&store, third));
    store
        .set_fulltext_result(item, Err("HTTP 404"), third)
        .unwrap();
    // Three failures: refreshes stop asking, however long it has been.
    assert!(!due(&store, third + DAY + HOUR));
    assert!(!due(&store, third + 365 * DAY));
    assert_eq!(store.fulltext_status(item).unwrap().unwrap().attempts, 3);

    // A refresh on the real clock does not fetch the page again today.
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    runtime
        .block_on(refresh(
            &db,
            &http_server::fetch_config(),
            vec![RefreshTarget {
                feed_id,
                url: server.url("/feed"),
            }],
            tx,
        ))
        .unwrap();
    assert_eq!(server.requests_to("/gone").len(), 1);
}
