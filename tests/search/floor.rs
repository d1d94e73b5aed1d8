//! The floor benchmark's index (`store::search_floor`, `benches/fts5_floor.rs`)
//! holds what the refresh's own index holds: its figure is FTS5's cost for
//! exactly khabar's rows, no fewer tokens and no more.

use khabar::feed::ParsedItem;
use khabar::store::search_floor::index_alone;

use super::{NOW, feed, item, open};

/// Items with what the index takes from each: a title, HTML with entities, a
/// summary that repeats the content's start, an author, categories beside the
/// feed's tags, Persian with ZWNJ and Arabic letters.
fn varied(feed: i64) -> Vec<ParsedItem> {
    (0..9_i64)
        .map(|n| {
            let mut it = item(
                &format!("f{feed}-{n}"),
                &format!("افزايش توليد {n} Bank"),
                &format!("می‌خواهم &amp; <b>banking</b> ۱۴۰۳ word{n} feed{feed}"),
                n,
            );
            if n % 2 == 0 {
                it.summary = Some("می‌خواهم &amp; banking".to_string());
            }
            if n % 3 == 0 {
                it.author = Some(format!("نویسنده {n}"));
                it.categories = vec!["اقتصاد".into(), format!("cat{n}")];
            }
            it.published = Some(NOW - n * 60);
            it
        })
        .collect()
}

#[test]
fn the_floor_indexes_exactly_the_refreshs_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    for f in 0..3_i64 {
        let tags: &[&str] = if f == 1 {
            &["صنعت", "news"]
        } else {
            &["news"]
        };
        feed(
            &mut store,
            &format!("http://127.0.0.1/{f}.xml"),
            tags,
            varied(f),
        );
    }
    let written = store.index_vocabulary().unwrap();
    assert!(written.len() > 20, "{written:?}");

    let rows = store.index_rows().unwrap();
    assert_eq!(rows.len(), 27);
    // Batches of 4: several commits and segments, then the refresh's merge.
    let (cost, floor) = index_alone(&rows, 4).unwrap();
    assert_eq!(floor.index_vocabulary().unwrap(), written);
    assert_eq!(cost.rows, 27);
    let tokens: i64 = written.iter().map(|(_, _, count)| count).sum();
    assert_eq!(cost.tokens, tokens as u64);
    assert!(floor.search_segments().unwrap() <= 2);
}
