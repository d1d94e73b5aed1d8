//! The index merged into few segments after a write (`Store::merge_search_index`):
//! fewer segments, the same answers, and no write when there is nothing to merge.

use khabar::query::parse;

use super::{CLOCK, feed, item, open, titles};

/// Twelve feeds, each written in its own transaction: FTS5 flushes a segment
/// per transaction, so the index ends in several segments.
fn corpus(store: &mut khabar::store::Store) {
    for f in 0..12_i64 {
        let items = (0..20_i64)
            .map(|n| {
                let body = if n % 5 == 0 {
                    format!("common words and a rare one {f}")
                } else {
                    format!("common words only {f}")
                };
                item(
                    &format!("i{f}-{n}"),
                    &format!("title {f} {n}"),
                    &body,
                    f * 20 + n,
                )
            })
            .collect();
        feed(store, &format!("http://127.0.0.1/{f}.xml"), &["x"], items);
    }
}

#[test]
fn merging_leaves_fewer_segments_and_the_same_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    corpus(&mut store);
    let before = store.search_segments().unwrap();
    assert!(
        before >= 3,
        "the corpus should leave several segments: {before}"
    );
    let queries = [
        "common words",
        "rare",
        "\"a rare\"",
        "com",
        "title 3",
        "common -rare",
    ];
    let answers: Vec<Vec<String>> = queries.iter().map(|q| titles(&store, q)).collect();
    let by_date = parse("common words sort:date").unwrap();
    let dated = store
        .date_page_with_probe(&by_date, CLOCK, 0, 30, 50)
        .unwrap();

    let merged = store.merge_search_index().unwrap();
    assert_eq!(merged.segments_before, before);
    assert!(merged.steps >= 1);
    assert!(
        merged.segments_after < before && merged.segments_after <= 2,
        "{merged:?}"
    );
    assert_eq!(store.search_segments().unwrap(), merged.segments_after);
    for (query, answer) in queries.iter().zip(&answers) {
        assert_eq!(&titles(&store, query), answer, "{query}");
    }
    let after = store
        .date_page_with_probe(&by_date, CLOCK, 0, 30, 50)
        .unwrap();
    let rows = |page: &khabar::store::DatePage| {
        page.rows
            .iter()
            .map(|r| r.title.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(&after), rows(&dated));
}

#[test]
fn few_segments_are_left_alone_without_a_write() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    corpus(&mut store);
    store.merge_search_index().unwrap();
    let changes = store.connection().total_changes();
    let again = store.merge_search_index().unwrap();
    assert_eq!(again.steps, 0, "{again:?}");
    assert_eq!(store.connection().total_changes(), changes);
}

/// `khabar refresh` merges what it wrote: three refreshes that each bring new
/// items leave three segments unless the refresh merges them (FTS5 alone
/// merges at four).
#[test]
fn the_real_binary_merges_after_each_refresh() {
    let dir = tempfile::tempdir().unwrap();
    let feed_path = dir.path().join("feed.xml");
    let config = dir.path().join("config.toml");
    let db = dir.path().join("khabar.db");
    std::fs::write(
        &config,
        format!("[[feed]]\nurl = \"file://{}\"\n", feed_path.display()),
    )
    .unwrap();
    for round in 0..3 {
        let items: String = (0..30)
            .map(|n| {
                format!(
                    "<item><title>round{round} item{n}</title><guid>r{round}-{n}</guid>\
                     <description>merged words {round} {n}</description></item>"
                )
            })
            .collect();
        std::fs::write(
            &feed_path,
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>\
                 <link>http://127.0.0.1/</link><description>d</description>{items}</channel></rss>"
            ),
        )
        .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_khabar"))
            .arg("--db")
            .arg(&db)
            .arg("--config")
            .arg(&config)
            .args(["refresh", "--quiet"])
            .env_remove("KHABAR_DB")
            .env_remove("KHABAR_CONFIG")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let store = khabar::store::Store::open(&db).unwrap();
    let segments = store.search_segments().unwrap();
    assert!(segments <= 2, "{segments} segments after three refreshes");
    for round in 0..3 {
        assert_eq!(
            titles(&store, &format!("round{round}")).len(),
            30,
            "round {round}"
        );
    }
}
