//! The search index text made ahead of the write (`PreparedIndex`, on a parser
//! thread during a first refresh) must give exactly the index the writer makes
//! itself: the same terms at the same positions in the same columns of the same
//! items, and the same vocabulary in `search_terms`. Checked on every feed
//! fixture (Persian, Arabic, Chinese, Latin-1, HTML-heavy), on a feed written
//! twice (only some items new: the prepared words of the others must not leak),
//! and on a feed whose document repeats an identity with new content.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;

use khabar::feed::{ParsedFeed, ParsedItem};
use khabar::store::{FeedId, FeedSpec, FeedUpdate, PreparedIndex, Store};
use khabar::text::Direction;

const NOW: i64 = 1_700_000_000;

fn spec(url: &str, tags: &[&str]) -> FeedSpec {
    FeedSpec {
        url: url.to_string(),
        title: None,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        direction: Direction::Auto,
        fulltext: false,
        enabled: true,
    }
}

fn fixtures() -> Vec<(String, ParsedFeed)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            let url = format!("https://example.org/{}", path.file_name()?.to_str()?);
            let feed = khabar::feed::parse(&bytes, None, &url).ok()?;
            Some((url, feed))
        })
        .collect()
}

fn update(feed: ParsedFeed) -> FeedUpdate {
    FeedUpdate {
        feed,
        ..FeedUpdate::default()
    }
}

/// One term at one position: (term, item id, column, offset).
type Instance = (String, i64, String, i64);

/// Everything the index holds, in a comparable form: its instances and `search_terms`.
fn index_of(store: &Store) -> (Vec<Instance>, Vec<String>) {
    let conn = store.connection();
    conn.execute_batch(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_instances \
         USING fts5vocab(main, item_search, instance)",
    )
    .unwrap();
    let instances = conn
        .prepare(
            "SELECT term, doc, col, offset FROM temp.search_instances \
             ORDER BY doc, col, offset, term",
        )
        .unwrap()
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let terms = conn
        .prepare("SELECT term FROM search_terms ORDER BY term")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    (instances, terms)
}

/// Writes `feeds` into two new databases, one with the writer's own index text
/// and one with prepared text, and returns both with the feeds' ids.
fn both_ways(dir: &Path, feeds: &[(String, ParsedFeed)]) -> (Store, Store, Vec<FeedId>) {
    let mut own = Store::open(&dir.join("own.db")).unwrap();
    let mut prepared = Store::open(&dir.join("prepared.db")).unwrap();
    let mut ids = Vec::new();
    for (url, _) in feeds {
        let id = own.add_feed(&spec(url, &["خبر", "News"])).unwrap();
        assert_eq!(prepared.add_feed(&spec(url, &["خبر", "News"])).unwrap(), id);
        ids.push(id);
    }
    write_both(&mut own, &mut prepared, &ids, feeds);
    (own, prepared, ids)
}

fn write_both(
    own: &mut Store,
    prepared: &mut Store,
    ids: &[FeedId],
    feeds: &[(String, ParsedFeed)],
) {
    let updates: Vec<FeedUpdate> = feeds.iter().map(|(_, feed)| update(feed.clone())).collect();
    let plain: Vec<(FeedId, &FeedUpdate)> = ids.iter().copied().zip(updates.iter()).collect();
    for result in own.apply_updates(&plain, NOW) {
        result.unwrap();
    }
    let texts: Vec<PreparedIndex> = updates
        .iter()
        .map(|u| PreparedIndex::new(&u.feed))
        .collect();
    let with_texts: Vec<_> = ids
        .iter()
        .copied()
        .zip(updates.iter())
        .zip(texts.iter())
        .map(|((id, update), text)| (id, update, Some(text)))
        .collect();
    for result in prepared.apply_prepared_updates(&with_texts, NOW) {
        result.unwrap();
    }
}

#[test]
fn prepared_text_indexes_every_fixture_exactly_as_the_writer_does() {
    let dir = tempfile::tempdir().unwrap();
    let feeds = fixtures();
    assert!(feeds.len() > 50, "only {} fixtures parsed", feeds.len());
    let (own, prepared, _) = both_ways(dir.path(), &feeds);
    let (own_index, own_terms) = index_of(&own);
    assert!(
        own_index.len() > 10_000,
        "{} index entries",
        own_index.len()
    );
    assert!(own_terms.iter().any(|t| t == "خبر"));
    let (prepared_index, prepared_terms) = index_of(&prepared);
    assert!(own_index == prepared_index, "the index differs");
    assert_eq!(own_terms, prepared_terms);
}

fn item(identity: &str, title: &str, body: &str) -> ParsedItem {
    ParsedItem {
        identity: identity.to_string(),
        title: title.to_string(),
        content_html: Some(format!("<p>{body}</p>")),
        published: Some(NOW - 3_600),
        content_hash: format!("{identity}-{title}-{body}"),
        ..ParsedItem::default()
    }
}

fn feed(items: Vec<ParsedItem>) -> ParsedFeed {
    ParsedFeed {
        title: Some("یک خبرگزاری".to_string()),
        items,
        ..ParsedFeed::default()
    }
}

#[test]
fn prepared_words_of_items_not_written_stay_out_of_the_vocabulary() {
    let dir = tempfile::tempdir().unwrap();
    let first = vec![(
        "https://example.org/a".to_string(),
        feed(vec![item("1", "کتاب‌ها", "bank rates")]),
    )];
    let (mut own, mut prepared, ids) = both_ways(dir.path(), &first);
    // The item stored is removed by the cleanup's way (deleted, identity kept):
    // the next document still carries it, with a word nobody indexed.
    for store in [&own, &prepared] {
        store
            .connection()
            .execute_batch(
                "INSERT INTO removed_items (feed_id, identity, removed_at) \
                 SELECT feed_id, identity, 0 FROM items; DELETE FROM items;",
            )
            .unwrap();
    }
    let second = vec![(
        "https://example.org/a".to_string(),
        feed(vec![
            item("1", "کتاب‌ها", "bank rates onlyinremoveditem"),
            item("2", "مدرسة", "new words here"),
        ]),
    )];
    write_both(&mut own, &mut prepared, &ids, &second);
    let (own_index, own_terms) = index_of(&own);
    let (prepared_index, prepared_terms) = index_of(&prepared);
    assert!(own_terms.iter().any(|t| t == "مدرسه"));
    assert!(!prepared_terms.iter().any(|t| t == "onlyinremoveditem"));
    assert_eq!(own_index, prepared_index);
    assert_eq!(own_terms, prepared_terms);
}

#[test]
fn a_repeated_identity_with_new_content_is_indexed_alike() {
    let dir = tempfile::tempdir().unwrap();
    let feeds = vec![(
        "https://example.org/b".to_string(),
        feed(vec![
            item("1", "اول", "first version"),
            item("2", "دوم", "second item"),
            item("1", "اول", "changed version"),
        ]),
    )];
    let (own, prepared, _) = both_ways(dir.path(), &feeds);
    let (own_index, own_terms) = index_of(&own);
    let (prepared_index, prepared_terms) = index_of(&prepared);
    assert!(own_index.iter().any(|(term, ..)| term == "changed"));
    assert!(!own_index.iter().any(|(term, ..)| term == "first"));
    assert_eq!(own_index, prepared_index);
    assert_eq!(own_terms, prepared_terms);
}
