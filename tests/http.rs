//! The fetcher and refresh against a real HTTP server on 127.0.0.1: status codes,
//! conditional GET, redirects, timeouts, size caps, compression bombs, encodings,
//! and the store's view after refreshes (errors recorded, read state kept).

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/http_server.rs"]
mod http_server;

use std::io::Write;

use http_server::{Reply, TestServer};
use khabar::config::FetchConfig;
use khabar::fetch::{FetchError, FetchOutcome, Fetcher};
use khabar::refresh::{FeedOutcome, RefreshEvent, RefreshSummary, RefreshTarget, refresh};
use khabar::store::{FeedSpec, FetchState, ItemQuery, Store};

fn config() -> FetchConfig {
    FetchConfig {
        concurrency: 8,
        per_host: 4,
        connect_timeout_secs: 2,
        timeout_secs: 2,
        max_feed_bytes: 1024 * 1024,
        max_redirects: 10,
        user_agent: "khabar-test/1".into(),
    }
}

fn rss(items: &[(&str, &str)]) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>خبرها</title><link>https://news.example/</link>",
    );
    for (guid, title) in items {
        xml.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title><link>https://news.example/{guid}</link><pubDate>Tue, 24 Nov 2026 10:00:00 +0000</pubDate></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    xml.into_bytes()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn fetch(
    url: &str,
    state: &FetchState,
    config: &FetchConfig,
) -> Result<(FetchOutcome, Option<String>), FetchError> {
    runtime().block_on(async {
        let fetcher = Fetcher::new(config).unwrap();
        fetcher
            .fetch(url, state)
            .await
            .map(|f| (f.outcome, f.new_url))
    })
}

fn body_of(outcome: FetchOutcome) -> khabar::fetch::Body {
    match outcome {
        FetchOutcome::Body(body) => body,
        FetchOutcome::NotModified => panic!("expected a body"),
    }
}

#[test]
fn ok_body_and_user_agent() {
    let server = TestServer::start();
    server.route(
        "/feed",
        Reply::ok(rss(&[("1", "یک")]), "application/rss+xml; charset=utf-8"),
    );
    let (outcome, new_url) =
        fetch(&server.url("/feed"), &FetchState::default(), &config()).unwrap();
    let body = body_of(outcome);
    assert_eq!(body.bytes, rss(&[("1", "یک")]));
    assert_eq!(body.charset.as_deref(), Some("utf-8"));
    assert_eq!(new_url, None);
    let seen = server.requests_to("/feed");
    assert_eq!(
        seen[0].headers.get("user-agent").map(String::as_str),
        Some("khabar-test/1")
    );
    assert!(
        seen[0]
            .headers
            .get("accept-encoding")
            .unwrap()
            .contains("gzip")
    );
}

#[test]
fn conditional_get_sends_validators_and_gets_304() {
    let server = TestServer::start();
    server.route(
        "/feed",
        Reply::Conditional {
            body: rss(&[("1", "a")]),
            etag: "\"v1\"".into(),
            last_modified: "Tue, 24 Nov 2026 10:00:00 GMT".into(),
        },
    );
    let (outcome, _) = fetch(&server.url("/feed"), &FetchState::default(), &config()).unwrap();
    let body = body_of(outcome);
    assert_eq!(body.etag.as_deref(), Some("\"v1\""));
    let state = FetchState {
        etag: body.etag,
        last_modified: body.last_modified,
        body_hash: None,
    };
    let (outcome, _) = fetch(&server.url("/feed"), &state, &config()).unwrap();
    assert_eq!(outcome, FetchOutcome::NotModified);
    let second = &server.requests_to("/feed")[1];
    assert_eq!(
        second.headers.get("if-none-match").map(String::as_str),
        Some("\"v1\"")
    );
    assert_eq!(
        second.headers.get("if-modified-since").map(String::as_str),
        Some("Tue, 24 Nov 2026 10:00:00 GMT")
    );
}

#[test]
fn permanent_redirects_report_the_new_url_temporary_ones_do_not() {
    let server = TestServer::start();
    server.route("/old", Reply::redirect(301, "/newer"));
    server.route("/newer", Reply::redirect(308, &server.url("/new")));
    server.route("/new", Reply::ok(rss(&[("1", "a")]), "application/rss+xml"));
    server.route("/temp", Reply::redirect(302, "/new"));
    server.route("/mixed", Reply::redirect(301, "/temp"));
    let (outcome, new_url) = fetch(&server.url("/old"), &FetchState::default(), &config()).unwrap();
    assert_eq!(body_of(outcome).final_url, server.url("/new"));
    assert_eq!(new_url, Some(server.url("/new")));
    let (_, new_url) = fetch(&server.url("/temp"), &FetchState::default(), &config()).unwrap();
    assert_eq!(new_url, None);
    let (_, new_url) = fetch(&server.url("/mixed"), &FetchState::default(), &config()).unwrap();
    assert_eq!(
        new_url,
        Some(server.url("/temp")),
        "only the permanent prefix counts"
    );
    server.route("/loop", Reply::redirect(302, "/loop"));
    let err = fetch(&server.url("/loop"), &FetchState::default(), &config()).unwrap_err();
    assert!(matches!(err, FetchError::TooManyRedirects(10)), "{err}");
}

#[test]
fn error_statuses_are_errors() {
    let server = TestServer::start();
    server.route("/gone", Reply::status(404));
    server.route("/broken", Reply::status(500));
    let err = fetch(&server.url("/gone"), &FetchState::default(), &config()).unwrap_err();
    assert_eq!(err.to_string(), "HTTP 404 Not Found");
    let err = fetch(&server.url("/broken"), &FetchState::default(), &config()).unwrap_err();
    assert_eq!(err.to_string(), "HTTP 500 Internal Server Error");
}

/// The feed list and the status line show the feed's address beside its error
/// and cut the line at the terminal's width: the error says why first, not
/// "error sending request for url (URL): client error (Connect): …".
#[test]
fn a_closed_port_says_the_connection_was_refused_and_by_whom() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let url = format!("http://127.0.0.1:{port}/feed.xml");
    let err = fetch(&url, &FetchState::default(), &config()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("connection refused by 127.0.0.1:{port}")
    );
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = TestServer::start();
    server.route("/hang", Reply::Hang);
    let mut config = config();
    config.timeout_secs = 1;
    let err = fetch(&server.url("/hang"), &FetchState::default(), &config).unwrap_err();
    assert!(matches!(err, FetchError::Timeout(1)), "{err}");
}

#[test]
fn bodies_over_the_cap_are_refused() {
    let server = TestServer::start();
    server.route("/big", Reply::ok(vec![b'x'; 4096], "application/rss+xml"));
    let mut config = config();
    config.max_feed_bytes = 1000;
    let err = fetch(&server.url("/big"), &FetchState::default(), &config).unwrap_err();
    assert!(matches!(err, FetchError::TooLarge(1000)), "{err}");
}

#[test]
fn a_gzip_bomb_is_cut_off_after_decompression() {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..8 {
        encoder.write_all(&zeros).unwrap();
    }
    let compressed = encoder.finish().unwrap();
    assert!(compressed.len() < 100 * 1024);
    let server = TestServer::start();
    server.route(
        "/bomb",
        Reply::Fixed {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "application/rss+xml".into()),
                ("Content-Encoding".into(), "gzip".into()),
            ],
            body: compressed,
        },
    );
    let err = fetch(&server.url("/bomb"), &FetchState::default(), &config()).unwrap_err();
    assert!(matches!(err, FetchError::TooLarge(_)), "{err}");
}

#[test]
fn gzip_bodies_are_decompressed() {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&rss(&[("1", "خبر")])).unwrap();
    let server = TestServer::start();
    server.route(
        "/gz",
        Reply::Fixed {
            status: 200,
            headers: vec![("Content-Encoding".into(), "gzip".into())],
            body: encoder.finish().unwrap(),
        },
    );
    let (outcome, _) = fetch(&server.url("/gz"), &FetchState::default(), &config()).unwrap();
    assert_eq!(body_of(outcome).bytes, rss(&[("1", "خبر")]));
}

#[test]
fn windows_1256_with_and_without_charset_header() {
    let fixture = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/feeds/fa-rss20-windows-1256.xml"),
    )
    .unwrap();
    let prolog_end = fixture.windows(2).position(|w| w == b"?>").unwrap() + 2;
    let server = TestServer::start();
    server.route(
        "/with",
        Reply::ok(fixture.clone(), "application/rss+xml; charset=windows-1256"),
    );
    server.route(
        "/without",
        Reply::ok(fixture.clone(), "application/rss+xml"),
    );
    server.route(
        "/no-prolog",
        Reply::ok(
            fixture[prolog_end..].to_vec(),
            "text/xml; charset=windows-1256",
        ),
    );
    for path in ["/with", "/without", "/no-prolog"] {
        let (outcome, _) = fetch(&server.url(path), &FetchState::default(), &config()).unwrap();
        let body = body_of(outcome);
        let feed =
            khabar::feed::parse(&body.bytes, body.charset.as_deref(), &body.final_url).unwrap();
        assert_eq!(feed.title.as_deref(), Some("پايگاه خبري استان"), "{path}");
        assert!(feed.items[0].title.starts_with("كارگروه صنعت"), "{path}");
    }
}

#[test]
fn file_urls_and_plain_paths_are_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.xml");
    std::fs::write(&path, rss(&[("1", "a")])).unwrap();
    let file_url = url::Url::from_file_path(&path).unwrap().to_string();
    for location in [file_url, path.display().to_string()] {
        let (outcome, _) = fetch(&location, &FetchState::default(), &config()).unwrap();
        assert_eq!(body_of(outcome).bytes, rss(&[("1", "a")]));
    }
    let err = fetch("/no/such/feed.xml", &FetchState::default(), &config()).unwrap_err();
    assert!(err.to_string().contains("/no/such/feed.xml"), "{err}");
    let err = fetch(
        "gopher://example.org/feed",
        &FetchState::default(),
        &config(),
    )
    .unwrap_err();
    assert!(matches!(err, FetchError::BadUrl(_)), "{err}");
}

// ---- refresh through the store ----

struct Db {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

fn new_db() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("khabar.db");
    Db { _dir: dir, path }
}

fn add(db: &Db, url: &str) -> RefreshTarget {
    let mut store = Store::open(&db.path).unwrap();
    let feed_id = store
        .add_feed(&FeedSpec {
            url: url.to_string(),
            enabled: true,
            ..FeedSpec::default()
        })
        .unwrap();
    RefreshTarget {
        feed_id,
        url: url.to_string(),
    }
}

fn run_refresh(
    db: &Db,
    config: &FetchConfig,
    targets: &[RefreshTarget],
) -> (RefreshSummary, Vec<RefreshEvent>) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let summary = runtime()
        .block_on(refresh(&db.path, config, targets.to_vec(), tx))
        .unwrap();
    let mut events = Vec::new();
    while let Ok(event) = rx.try_recv() {
        events.push(event);
    }
    (summary, events)
}

fn outcome_of(events: &[RefreshEvent], url: &str) -> FeedOutcome {
    events
        .iter()
        .find_map(|e| match e {
            RefreshEvent::FeedDone {
                url: u, outcome, ..
            } if u == url => Some(outcome.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no outcome for {url}"))
}

#[test]
fn one_failing_feed_never_affects_the_others() {
    let server = TestServer::start();
    server.route(
        "/ok",
        Reply::ok(rss(&[("1", "یک"), ("2", "دو")]), "application/rss+xml"),
    );
    server.route("/404", Reply::status(404));
    server.route("/500", Reply::status(500));
    server.route("/hang", Reply::Hang);
    server.route("/big", Reply::ok(vec![b'x'; 4096], "application/rss+xml"));
    server.route("/junk", Reply::ok("this is not a feed", "text/plain"));
    let db = new_db();
    let urls: Vec<String> = ["/ok", "/404", "/500", "/hang", "/big", "/junk"]
        .iter()
        .map(|p| server.url(p))
        .collect();
    let targets: Vec<RefreshTarget> = urls.iter().map(|u| add(&db, u)).collect();
    let mut config = config();
    config.timeout_secs = 1;
    config.max_feed_bytes = 1000;
    let (summary, events) = run_refresh(&db, &config, &targets);
    assert_eq!(summary.feeds, 6);
    assert_eq!(summary.updated, 1);
    assert_eq!(summary.failed, 5);
    assert_eq!(summary.new_items, 2);
    assert!(matches!(
        events.first(),
        Some(RefreshEvent::Started { total: 6 })
    ));
    assert!(matches!(events.last(), Some(RefreshEvent::Finished(_))));
    assert!(matches!(
        outcome_of(&events, &urls[0]),
        FeedOutcome::Updated(_)
    ));

    let store = Store::open(&db.path).unwrap();
    let ok = store.feed_by_url(&urls[0]).unwrap().unwrap();
    assert_eq!(ok.title, "خبرها");
    assert_eq!(ok.total, 2);
    assert_eq!(ok.last_error, None);
    for (url, expected) in urls[1..].iter().zip([
        "HTTP 404",
        "HTTP 500",
        "timed out",
        "larger than",
        "not a feed",
    ]) {
        let row = store.feed_by_url(url).unwrap().unwrap();
        let error = row.last_error.unwrap_or_default();
        assert!(error.contains(expected), "{url}: {error}");
        assert!(row.last_error_at.is_some());
    }
}

#[test]
fn second_refresh_is_unchanged_via_304_or_identical_body() {
    let server = TestServer::start();
    server.route(
        "/conditional",
        Reply::Conditional {
            body: rss(&[("1", "a")]),
            etag: "\"e1\"".into(),
            last_modified: "Tue, 24 Nov 2026 10:00:00 GMT".into(),
        },
    );
    // A server that ignores validators and sends the same bytes again.
    server.route(
        "/plain",
        Reply::ok(rss(&[("1", "a")]), "application/rss+xml"),
    );
    let db = new_db();
    let targets = vec![
        add(&db, &server.url("/conditional")),
        add(&db, &server.url("/plain")),
    ];
    let (first, _) = run_refresh(&db, &config(), &targets);
    assert_eq!((first.updated, first.new_items), (2, 2));
    let (second, _) = run_refresh(&db, &config(), &targets);
    assert_eq!(
        (second.unchanged, second.updated, second.new_items),
        (2, 0, 0)
    );
    let requests = server.requests_to("/conditional");
    assert_eq!(
        requests[1].headers.get("if-none-match").map(String::as_str),
        Some("\"e1\"")
    );
}

/// A body hash stored by a build before XXH3 (BLAKE3 of the body, 64 hex
/// digits) still spares the parse of the same bytes; BLAKE3 of other bytes does not.
#[test]
fn identical_body_is_recognised_by_a_hash_an_older_build_stored() {
    let server = TestServer::start();
    let body = rss(&[("1", "a")]);
    server.route("/same", Reply::ok(body.clone(), "application/rss+xml"));
    server.route("/other", Reply::ok(body.clone(), "application/rss+xml"));
    let db = new_db();
    let targets = vec![
        add(&db, &server.url("/same")),
        add(&db, &server.url("/other")),
    ];
    let (first, _) = run_refresh(&db, &config(), &targets);
    assert_eq!((first.updated, first.new_items), (2, 2));
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        let older = |bytes: &[u8]| blake3::hash(bytes).to_hex().to_string();
        for (path, hash) in [("/same", older(&body)), ("/other", older(b"another body"))] {
            let changed = conn
                .execute(
                    "UPDATE feeds SET body_hash = ?1 WHERE url = ?2",
                    rusqlite::params![hash, server.url(path)],
                )
                .unwrap();
            assert_eq!(changed, 1);
        }
    }
    let (second, _) = run_refresh(&db, &config(), &targets);
    assert_eq!(
        (second.unchanged, second.updated, second.new_items),
        (1, 1, 0)
    );
}

#[test]
fn permanent_redirect_updates_the_stored_url() {
    let server = TestServer::start();
    server.route("/moved", Reply::redirect(301, "/here"));
    server.route(
        "/here",
        Reply::ok(rss(&[("1", "a")]), "application/rss+xml"),
    );
    let db = new_db();
    let targets = vec![add(&db, &server.url("/moved"))];
    let (summary, _) = run_refresh(&db, &config(), &targets);
    assert_eq!(summary.updated, 1);
    let store = Store::open(&db.path).unwrap();
    assert!(store.feed_by_url(&server.url("/moved")).unwrap().is_none());
    let moved = store.feed_by_url(&server.url("/here")).unwrap().unwrap();
    assert_eq!(moved.id, targets[0].feed_id);
}

#[test]
fn read_state_survives_refetch_and_an_item_leaving_and_coming_back() {
    let server = TestServer::start();
    server.route(
        "/feed",
        Reply::ok(rss(&[("a", "الف"), ("b", "ب")]), "application/rss+xml"),
    );
    let db = new_db();
    let targets = vec![add(&db, &server.url("/feed"))];
    run_refresh(&db, &config(), &targets);
    let mut store = Store::open(&db.path).unwrap();
    let query = ItemQuery::default();
    let items = store.items_after(&query, None, 10).unwrap();
    assert_eq!(items.len(), 2);
    let a = items.iter().find(|i| i.title == "الف").unwrap().id;
    store.set_read(&[a], true, 1).unwrap();
    drop(store);

    // Item "a" leaves the feed, then comes back; "b" changes its title.
    server.route(
        "/feed",
        Reply::ok(rss(&[("b", "ب تازه")]), "application/rss+xml"),
    );
    run_refresh(&db, &config(), &targets);
    server.route(
        "/feed",
        Reply::ok(rss(&[("a", "الف"), ("b", "ب تازه")]), "application/rss+xml"),
    );
    let (summary, _) = run_refresh(&db, &config(), &targets);
    assert_eq!(summary.new_items, 0);

    let store = Store::open(&db.path).unwrap();
    let items = store.items_after(&query, None, 10).unwrap();
    assert_eq!(items.len(), 2, "{items:?}");
    let a_again = items.iter().find(|i| i.id == a).unwrap();
    assert!(a_again.read, "read state lost");
    assert!(items.iter().any(|i| i.title == "ب تازه" && !i.read));
    assert_eq!(store.unread_count().unwrap(), 1);
}

#[test]
fn a_feed_that_moved_but_did_not_change_gets_its_new_url() {
    let server = TestServer::start();
    let conditional = Reply::Conditional {
        body: rss(&[("1", "a")]),
        etag: "\"same\"".into(),
        last_modified: "Tue, 24 Nov 2026 10:00:00 GMT".into(),
    };
    server.route("/a", conditional.clone());
    let db = new_db();
    let targets = vec![add(&db, &server.url("/a"))];
    run_refresh(&db, &config(), &targets);
    // The feed moves; the new place answers 304 to the old validators.
    server.route("/a", Reply::redirect(308, "/b"));
    server.route("/b", conditional);
    let (summary, _) = run_refresh(&db, &config(), &targets);
    assert_eq!((summary.failed, summary.new_items), (0, 0));
    assert_eq!(
        server.requests_to("/b")[0]
            .headers
            .get("if-none-match")
            .map(String::as_str),
        Some("\"same\"")
    );
    let store = Store::open(&db.path).unwrap();
    let moved = store.feed_by_url(&server.url("/b")).unwrap().unwrap();
    assert_eq!(moved.id, targets[0].feed_id);
    assert_eq!(moved.total, 1);
    assert_eq!(
        store.fetch_state(moved.id).unwrap().etag.as_deref(),
        Some("\"same\"")
    );
}

/// QA T16: the reader's feed list can be older than the database. A feed removed
/// since (`khabar remove` in another shell) is skipped, not reported as failed.
#[test]
fn a_feed_removed_before_the_refresh_is_skipped_not_failed() {
    let server = TestServer::start();
    server.route(
        "/kept",
        Reply::ok(rss(&[("1", "یک")]), "application/rss+xml"),
    );
    server.route(
        "/gone",
        Reply::ok(rss(&[("2", "دو")]), "application/rss+xml"),
    );
    let db = new_db();
    let kept = add(&db, &server.url("/kept"));
    let gone = add(&db, &server.url("/gone"));
    Store::open(&db.path)
        .unwrap()
        .remove_feed(&gone.url)
        .unwrap();
    let (summary, events) = run_refresh(&db, &config(), &[kept, gone]);
    assert_eq!((summary.feeds, summary.updated, summary.failed), (1, 1, 0));
    assert!(events.contains(&RefreshEvent::Started { total: 1 }));
    assert!(server.requests_to("/gone").is_empty());
}
