//! The ranked order read a page at a time (what the reader's `/` list does):
//! pages join into the same order as one long search, past the ranked
//! candidates every remaining match follows newest first, and the list is as
//! long as the count.

use std::collections::HashSet;

use khabar::query::parse;
use khabar::store::{RANK_CANDIDATES, Store};

use super::*;

fn ids_by_pages(store: &Store, text: &str, page: usize) -> Vec<i64> {
    let query = parse(text).unwrap();
    let mut out = Vec::new();
    loop {
        let rows = store.search_page(&query, CLOCK, out.len(), page).unwrap();
        let short = rows.len() < page;
        out.extend(rows.iter().map(|r| r.id));
        if short {
            return out;
        }
    }
}

/// Three items with `bank` in the title, stored first (the oldest rows of the
/// index) and dated 900 days back.
fn old_title_matches() -> Vec<khabar::feed::ParsedItem> {
    (0..3)
        .map(|i| item(&format!("t{i}"), &format!("bank title {i}"), "x", 900 + i))
        .collect()
}

#[test]
fn pages_join_into_the_ranked_order_and_filters_keep_paging() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let mut items = Vec::new();
    for i in 0..40 {
        let (title, body) = if i % 7 == 0 {
            (format!("bank report {i}"), "numbers".to_string())
        } else {
            (format!("note {i}"), format!("the central bank said {i}"))
        };
        items.push(item(&format!("i{i}"), &title, &body, i));
    }
    feed(&mut store, "https://a.example/rss", &["economy"], items);
    let query = parse("bank").unwrap();
    let whole: Vec<i64> = store
        .search(&query, CLOCK, 1_000)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(whole.len(), 40);
    for page in [1, 3, 7, 40, 100] {
        assert_eq!(ids_by_pages(&store, "bank", page), whole, "pages of {page}");
    }
    // The six title matches first, then the body matches newest first.
    let rows = store.search_page(&query, CLOCK, 0, 8).unwrap();
    assert!(rows[..6].iter().all(|r| r.title.starts_with("bank report")));
    assert_eq!(rows[6].title, "note 1");
    assert_eq!(rows[7].title, "note 2");
    // A query that does not rank pages newest first by position too.
    let newest_first: Vec<i64> = store
        .query_items_after(&parse("bank").unwrap(), CLOCK, None, 1_000)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids_by_pages(&store, "bank sort:date", 6), newest_first);
    assert_eq!(ids_by_pages(&store, "tag:economy -numbers", 9).len(), 34);
}

#[test]
fn every_match_is_listed_past_the_ranked_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    // Three old title matches, stored first (the oldest rows of the index),
    // then more body matches than the ranker scores.
    let mut items = old_title_matches();
    let extra = 60;
    for i in 0..RANK_CANDIDATES as i64 + extra {
        items.push(item(
            &format!("b{i}"),
            "note",
            &format!("bank body {i}"),
            i / 100,
        ));
    }
    feed(&mut store, "https://big.example/rss", &[], items);
    let query = parse("bank").unwrap();
    let (_, total) = store.count_query(&query, CLOCK).unwrap();
    assert_eq!(total, RANK_CANDIDATES as u64 + extra as u64 + 3);
    let ids = ids_by_pages(&store, "bank", 1_000);
    assert_eq!(ids.len() as u64, total, "as long as the count");
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "each once"
    );
    // The old title matches still come first.
    let first = store.search(&query, CLOCK, 3).unwrap();
    assert!(
        first.iter().all(|r| r.title.starts_with("bank title")),
        "{first:?}"
    );
    // The tail, newest first, starts after the candidates wherever a page starts.
    let tail_start = ids.len() - extra as usize;
    let tail = store
        .search_page(&query, CLOCK, tail_start - 2, 10)
        .unwrap();
    assert_eq!(tail.len(), 10);
    let tail_ids: Vec<i64> = tail.iter().map(|r| r.id).collect();
    assert_eq!(tail_ids, ids[tail_start - 2..tail_start + 8]);
    let times: Vec<i64> = tail[2..].iter().map(|r| r.sort_time).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
}

#[test]
fn a_page_is_the_same_slice_of_the_list_wherever_the_scored_title_matches_end() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    // Three old title matches (the oldest rows), then more matches than the
    // ranker scores, five of them newer title matches: a short page from the
    // start is all scored title matches, one further on reaches the old ones.
    let mut items = old_title_matches();
    for i in 0..RANK_CANDIDATES as i64 + 60 {
        let title = if i % 400 == 207 {
            "bank headline"
        } else {
            "note"
        };
        items.push(item(
            &format!("b{i}"),
            title,
            &format!("bank body {i}"),
            i / 100,
        ));
    }
    feed(&mut store, "https://big.example/rss", &[], items);
    let query = parse("bank").unwrap();
    let ids = ids_by_pages(&store, "bank", 1_000);
    let titles: Vec<String> = store
        .search(&query, CLOCK, 8)
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect();
    assert_eq!(titles[..5], ["bank headline"; 5], "{titles:?}");
    assert!(
        titles[5..].iter().all(|t| t.starts_with("bank title")),
        "{titles:?}"
    );
    for offset in 0..8 {
        let page: Vec<i64> = store
            .search_page(&query, CLOCK, offset, 3)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(page, ids[offset..offset + 3], "page at {offset}");
    }
}
