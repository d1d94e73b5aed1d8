//! The index merged into few segments after a write (`Store::merge_search_index`):
//! fewer segments, the same answers, and no write when there is nothing to merge.

use khabar::query::parse;

use super::{CLOCK, NOW, feed, item, open, titles};

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
/// items leave three segments unless the refresh merges them (FTS5 merges
/// none by itself).
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

/// A feed of `n` items with some words each, written in its own transaction
/// (a segment of its own).
fn feed_of(store: &mut khabar::store::Store, name: &str, n: i64) {
    let items = (0..n)
        .map(|i| {
            item(
                &format!("{name}-{i}"),
                &format!("{name} title {i}"),
                &format!("words of {name} number {i} and a few more words to index"),
                i,
            )
        })
        .collect();
    feed(
        store,
        &format!("http://127.0.0.1/{name}.xml"),
        &["x"],
        items,
    );
}

/// How many items `text` finds.
fn matches(store: &khabar::store::Store, text: &str) -> u64 {
    store.count_query(&parse(text).unwrap(), CLOCK).unwrap().1
}

/// Every item's id, in order.
fn item_ids(store: &khabar::store::Store) -> Vec<i64> {
    let conn = store.connection();
    let mut ids = conn.prepare("SELECT id FROM items ORDER BY id").unwrap();
    ids.query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The search index's segment ids.
fn segment_ids(store: &khabar::store::Store) -> Vec<i64> {
    let conn = store.connection();
    let mut ids = conn
        .prepare("SELECT DISTINCT segid FROM item_search_idx ORDER BY segid")
        .unwrap();
    ids.query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Rows of the index's data table (its pages; the structure and averages
/// records aside).
fn index_pages(store: &khabar::store::Store) -> i64 {
    store
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM item_search_data WHERE id > 10",
            [],
            |row| row.get(0),
        )
        .unwrap()
}

/// New segments that together outweigh the one already merged (a large import
/// into a small index) are merged with it in one pass, each page written once:
/// merged two at a time, the new ones were first merged among themselves and
/// then, once more, with the old one.
#[test]
fn new_segments_outweighing_the_old_one_are_merged_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    for f in 0..3 {
        feed_of(&mut store, &format!("old{f}"), 150);
    }
    assert_eq!(store.merge_search_index().unwrap().segments_after, 1);
    for f in 0..12 {
        feed_of(&mut store, &format!("new{f}"), 150);
    }
    let changes = store.connection().total_changes();
    let merged = store.merge_search_index().unwrap();
    let changed = store.connection().total_changes() - changes;
    assert_eq!(merged.segments_after, 1, "{merged:?}");
    // Each page written once: the new pages, the old ones deleted, and their
    // `item_search_idx` rows (204 changes for 57 pages here; merged two at a
    // time, 346).
    let pages = index_pages(&store);
    assert!(
        changed <= 4 * pages as u64,
        "{changed} changes for {pages} pages"
    );
}

/// Segments of like size (a first refresh) are merged into one, in one pass.
#[test]
fn segments_of_like_size_become_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    corpus(&mut store);
    let merged = store.merge_search_index().unwrap();
    assert_eq!(merged.segments_after, 1, "{merged:?}");
}

/// FTS5's own merging is off (`automerge` 0) in a new database and in one
/// upgraded from before: every write that adds rows merges afterwards itself.
#[test]
fn fts5_merges_nothing_by_itself() {
    let automerge = |store: &khabar::store::Store| -> i64 {
        store
            .connection()
            .query_row(
                "SELECT v FROM item_search_config WHERE k = 'automerge'",
                [],
                |row| row.get(0),
            )
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(automerge(&open(dir.path())), 0);

    let old = dir.path().join("old.db");
    let before = khabar::store::schema::version_before("'automerge', 0").unwrap();
    {
        let mut conn = rusqlite::Connection::open(&old).unwrap();
        khabar::store::schema::create_at_version(&mut conn, before).unwrap();
    }
    let store = khabar::store::Store::open(&old).unwrap();
    assert_eq!(automerge(&store), 0);
}

/// Whether the merge after a refresh with full text rewrote the segment its
/// feeds' items were merged into, when pages indexed again left tombstones in
/// `dead_percent` of its rows.
///
/// As in a refresh: the items are written in many transactions (more than
/// FTS5's crisis merge lets stand at one level) and merged into one segment
/// while their last pages download; the pages that come after are written in
/// two transactions.
fn merged_segment_rewritten(dead_percent: usize) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    for f in 0..20 {
        feed_of(&mut store, &format!("f{f}"), 100);
    }
    store.merge_search_index().unwrap();
    let merged = segment_ids(&store);
    assert_eq!(merged.len(), 1);
    let ids = item_ids(&store);
    let dead = ids.len() * dead_percent / 100;
    for half in ids[..dead].chunks(dead.div_ceil(2)) {
        store
            .set_fulltext_results(
                half.iter()
                    .map(|&id| (id, Ok("<p>the whole story, fetched late</p>"))),
                NOW,
            )
            .unwrap();
    }
    store.merge_search_index().unwrap();
    // The same answers either way.
    assert_eq!(matches(&store, "fetched late"), dead as u64);
    assert_eq!(matches(&store, "title"), ids.len() as u64);
    !segment_ids(&store).contains(&merged[0])
}

/// Under a quarter of its rows dead, the merge leaves the segment as it is
/// (FTS5's own threshold, 10 %, rewrote it after every refresh with full
/// text: 3–4 ms after the last page); from a quarter on, it is rewritten
/// without them.
#[test]
fn a_segment_is_rewritten_for_its_tombstones_only_once_a_quarter_is_dead() {
    assert!(!merged_segment_rewritten(15), "15 % dead: rewritten");
    assert!(merged_segment_rewritten(30), "30 % dead: left as it was");
}

/// `feeds` feeds of `items` items each, written as the refresh's connection
/// writes (`tune_for_bulk_writes`), each feed in its own transaction.
fn written_in_bulk(dir: &std::path::Path, feeds: usize, items: i64) -> khabar::store::Store {
    let mut store = open(dir);
    store.tune_for_bulk_writes().unwrap();
    for f in 0..feeds {
        feed_of(&mut store, &format!("f{f}"), items);
    }
    store
}

/// The refresh's connection (`tune_for_bulk_writes`) leaves the segments of its
/// transactions to the one merge after it: at FTS5's default crisis merge of 16
/// segments a level, a first refresh's index was merged twice inside the writes
/// before that merge rewrote all of it once more.
#[test]
fn bulk_writes_leave_their_segments_to_the_merge_after_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = written_in_bulk(dir.path(), 20, 5);
    assert_eq!(segment_ids(&store).len(), 20);
    let merged = store.merge_search_index().unwrap();
    assert_eq!(merged.segments_after, 1);
    assert_eq!(matches(&store, "title"), 100);
    assert_eq!(matches(&store, "\"few more words\""), 100);
}

/// Pages the reader fetches one at a time (`set_fulltext_result`) have no merge
/// after them; each makes a segment, and they are merged once there are 16, the
/// bound FTS5's own crisis merge kept before the refresh raised it.
#[test]
fn single_pages_keep_the_index_under_sixteen_segments() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = written_in_bulk(dir.path(), 3, 20);
    store.merge_search_index().unwrap();
    let ids = item_ids(&store);
    let mut most = 0;
    for &id in &ids[..40] {
        store
            .set_fulltext_result(id, Ok("<p>read later in the reader</p>"), NOW)
            .unwrap();
        most = most.max(segment_ids(&store).len());
    }
    assert!((10..16).contains(&most), "at most {most} segments");
    assert_eq!(matches(&store, "\"read later\""), 40);
    assert_eq!(matches(&store, "title"), 60);
}
