//! Date-ordered pages of a query with words (`sort:date`, views) at a size where
//! sorting every match is too slow (issue 9, 1,000,000 items): a query whose
//! words are in most items walks the date index and never sorts, a rare one
//! reads its matches from the index; both plans give the same rows.

use khabar::query::parse;
use khabar::store::{DENSE_PROBE, DatePlan};

use super::{CLOCK, feed, item, open};

/// 240 items, newest first by id order reversed (dates run against the ids, so
/// a plan that followed the ids would give the wrong order): every one says
/// "common", every 40th also "rare", every other one is in feed b.
fn corpus(store: &mut khabar::store::Store) {
    let mut a = Vec::new();
    let mut b = Vec::new();
    for n in 0..240_i64 {
        let body = if n % 40 == 0 {
            "common words and one rare word"
        } else {
            "common words only"
        };
        let it = item(&format!("i{n}"), &format!("title {n}"), body, n);
        if n % 2 == 0 { a.push(it) } else { b.push(it) }
    }
    feed(store, "http://127.0.0.1/a.xml", &["x"], a);
    feed(store, "http://127.0.0.1/b.xml", &["y"], b);
}

fn titles(rows: &[khabar::store::ItemRow]) -> Vec<String> {
    rows.iter().map(|r| r.title.clone()).collect()
}

#[test]
fn a_dense_query_walks_the_date_index_without_sorting() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    corpus(&mut store);
    let query = parse("common words sort:date").unwrap();
    // A probe of 50 finds 50 matches among the newest 50 ids: dense.
    let page = store
        .date_page_with_probe(&query, CLOCK, 0, 20, 50)
        .unwrap();
    assert_eq!(page.plan, DatePlan::WalkDates, "{:?}", page.explained);
    let plan = page.explained.join("\n");
    assert!(!plan.contains("TEMP B-TREE"), "sorts every match:\n{plan}");
    assert!(
        plan.contains("USING INDEX items_by_time")
            || plan.contains("USING COVERING INDEX items_by_time"),
        "does not walk the date index:\n{plan}"
    );
    let expected: Vec<String> = (0..20).map(|n| format!("title {n}")).collect();
    assert_eq!(titles(&page.rows), expected);
    // The same page read the other way (a probe larger than the matches).
    let listed = store
        .date_page_with_probe(&query, CLOCK, 0, 20, 10_000)
        .unwrap();
    assert_eq!(listed.plan, DatePlan::FromIndex);
    assert_eq!(titles(&listed.rows), expected);
    // Further pages and the store's own `sort:date` search agree too.
    let walked = store
        .date_page_with_probe(&query, CLOCK, 30, 15, 50)
        .unwrap();
    assert_eq!(walked.plan, DatePlan::WalkDates);
    let listed = store
        .date_page_with_probe(&query, CLOCK, 30, 15, 10_000)
        .unwrap();
    assert_eq!(titles(&walked.rows), titles(&listed.rows));
    assert_eq!(
        titles(&store.search_page(&query, CLOCK, 30, 15).unwrap()),
        titles(&listed.rows)
    );
}

#[test]
fn a_walk_keeps_the_other_conditions() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    corpus(&mut store);
    let query = parse("common tag:y -rare sort:date").unwrap();
    let walked = store
        .date_page_with_probe(&query, CLOCK, 0, 10, 50)
        .unwrap();
    assert_eq!(walked.plan, DatePlan::WalkDates, "{:?}", walked.explained);
    let listed = store
        .date_page_with_probe(&query, CLOCK, 0, 10, 10_000)
        .unwrap();
    assert_eq!(listed.plan, DatePlan::FromIndex);
    let expected: Vec<String> = (0..20)
        .filter(|n| n % 2 == 1)
        .map(|n| format!("title {n}"))
        .collect();
    assert_eq!(titles(&walked.rows), expected);
    assert_eq!(titles(&listed.rows), expected);
}

#[test]
fn a_rare_query_or_a_deep_page_reads_its_matches_from_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    corpus(&mut store);
    // 6 matches: fewer than the probe.
    let rare = parse("rare sort:date").unwrap();
    let page = store.date_page_with_probe(&rare, CLOCK, 0, 20, 50).unwrap();
    assert_eq!(page.plan, DatePlan::FromIndex);
    let expected: Vec<String> = (0..240).step_by(40).map(|n| format!("title {n}")).collect();
    assert_eq!(titles(&page.rows), expected);
    // Dense, but a page so deep that walking to it reads more than the probe.
    let common = parse("common sort:date").unwrap();
    let deep = store
        .date_page_with_probe(&common, CLOCK, 100, 20, 50)
        .unwrap();
    assert_eq!(deep.plan, DatePlan::FromIndex);
}

/// A view of unread items with words, once nearly everything is read (at most
/// one item in sixteen unread): the dense walk goes over the unread items only,
/// and gives the rows the index's own list gives, page by page.
#[test]
fn a_walk_of_few_unread_items_gives_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    corpus(&mut store);
    // Unread: every 24th item (10 of 240), in both feeds.
    let every = store
        .query_items_after(&parse("common").unwrap(), CLOCK, None, 1_000)
        .unwrap();
    let read: Vec<_> = every
        .iter()
        .filter(|row| {
            let n: usize = row.title["title ".len()..].parse().unwrap();
            n % 24 != 5
        })
        .map(|row| row.id)
        .collect();
    assert_eq!(read.len(), 230);
    store.set_read(&read, true, super::NOW).unwrap();
    let expected: Vec<String> = (0..240)
        .filter(|n| n % 24 == 5)
        .map(|n| format!("title {n}"))
        .collect();
    let query = parse("common words is:unread").unwrap();
    // A probe of 50 finds the words dense (the walk); one of 10,000 lists them.
    for probe in [50, 10_000] {
        let rows = store
            .query_items_after_with_probe(&query, CLOCK, None, 100, probe)
            .unwrap();
        assert_eq!(titles(&rows), expected, "probe {probe}");
        let mut paged = Vec::new();
        let mut after = None;
        while paged.len() <= expected.len()
            && let Some(row) = store
                .query_items_after_with_probe(&query, CLOCK, after, 3, probe)
                .unwrap()
                .pop()
        {
            // The last of each page of three continues the list.
            after = Some(row.cursor());
            paged.push(row);
        }
        let page_ends: Vec<String> = expected
            .chunks(3)
            .filter_map(|page| page.last().cloned())
            .collect();
        assert_eq!(titles(&paged), page_ends, "probe {probe}: pages of three");
    }
}

/// The density is judged on the newest matches only, not on as many as the
/// walk may read: 2,100 matches, fewer than the walk's bound
/// ([`DENSE_PROBE`]) but more than the sample, are dense enough to walk
/// (reading 20,000 matches to decide took 6 ms of a view's page at
/// 1,000,000 items).
#[test]
fn the_newest_matches_judge_the_density() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let items = (0..2_100_i64)
        .map(|n| item(&format!("d{n}"), &format!("title {n}"), "plenty here", n))
        .collect();
    feed(&mut store, "http://127.0.0.1/d.xml", &[], items);
    let query = parse("plenty sort:date").unwrap();
    let page = store
        .date_page_with_probe(&query, CLOCK, 0, 20, DENSE_PROBE)
        .unwrap();
    assert_eq!(page.plan, DatePlan::WalkDates, "{:?}", page.explained);
    let expected: Vec<String> = (0..20).map(|n| format!("title {n}")).collect();
    assert_eq!(titles(&page.rows), expected);
    // A walk bound smaller than the page's span lists the matches instead.
    let listed = store
        .date_page_with_probe(&query, CLOCK, 0, 20, 10)
        .unwrap();
    assert_eq!(listed.plan, DatePlan::FromIndex);
    assert_eq!(titles(&listed.rows), expected);
}
