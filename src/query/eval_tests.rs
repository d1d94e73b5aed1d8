//! Golden cases for the in-memory evaluator; the cross-check against the SQL
//! path is `tests/search/ignore_agrees.rs`.

use super::*;
use crate::query::parse;

/// 2024-08-01T00:00:00Z.
const NOW: i64 = 1_722_470_400;

struct Item {
    columns: Vec<String>,
    tags: Vec<String>,
    feed: FeedFacts,
    sort_time: i64,
}

fn item(title: &str, body: &str, tags: &[&str]) -> Item {
    let tag_keys: Vec<String> = tags.iter().map(|t| index_text(t)).collect();
    let tag_column = tag_keys
        .iter()
        .filter(|k| !k.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    Item {
        columns: vec![
            index_text(title),
            index_text(body),
            index_text("Jane Doe"),
            index_text("Hacker News"),
            tag_column,
        ],
        tags: tag_keys,
        feed: FeedFacts::new("https://hnrss.org/frontpage", "Hacker News"),
        sort_time: NOW - 86_400,
    }
}

fn selects(query: &str, item: &Item) -> bool {
    let query = parse(query).expect("query parses");
    let columns: Vec<&str> = item.columns.iter().map(String::as_str).collect();
    Matcher::new(&query, NOW, 0).matches(&ItemFacts {
        columns: &columns,
        tag_keys: &item.tags,
        feed: &item.feed,
        sort_time: item.sort_time,
        read: false,
        starred: false,
    })
}

#[test]
fn words_are_prefixes_of_words_in_any_column() {
    let it = item("Sponsored: a new laptop", "Buy it today", &["tech"]);
    assert!(selects("sponsor", &it));
    assert!(selects("SPONSORED", &it));
    assert!(selects("toda", &it));
    assert!(selects("jane", &it), "author column");
    assert!(selects("hacker", &it), "feed title column");
    assert!(!selects("ponsored", &it), "not inside a word");
    assert!(!selects("laptops", &it));
}

#[test]
fn phrases_are_consecutive_whole_words_of_one_column() {
    let it = item("a new laptop", "laptop sale", &[]);
    assert!(selects("\"new laptop\"", &it));
    assert!(
        !selects("\"new lap\"", &it),
        "the last word of a phrase is whole"
    );
    assert!(!selects("\"laptop laptop\"", &it), "not across columns");
    assert!(!selects("\"laptop new\"", &it));
    // A word of several tokens is consecutive words, the last a prefix.
    assert!(selects("new-lap", &it));
    assert!(!selects("laptop-new", &it));
}

#[test]
fn overlapping_candidates_are_all_tried() {
    let it = item("xab ab ab", "", &[]);
    assert!(selects("\"ab ab\"", &it));
    let words = |column: &str, text: &str, prefix: bool| {
        has_words(column, &Finder::new(text.as_bytes()), prefix)
    };
    assert!(words("xab ab ab", "ab ab", false));
    assert!(!words("xab xabc", "ab", true));
    assert!(words("xab abc", "ab", true));
    assert!(!words("xab abc", "ab", false));
    assert!(words("آب آبی", "آبی", false), "multi-byte words");
}

#[test]
fn persian_spellings_match_through_the_index_normalisation() {
    // Arabic Yeh in the item, Persian in the rule, and the reverse.
    let it = item("افزایش قيمت‌ها", "", &["اقتصاد"]);
    assert!(selects("افزايش", &it));
    assert!(selects("قیمتها", &it));
    assert!(selects("tag:اقتصاد", &it));
    assert!(selects("\"افزايش قیمتها\"", &it));
}

#[test]
fn tags_feeds_states_and_dates() {
    let it = item("title", "", &["tech", "Ads"]);
    assert!(selects("tag:ads", &it));
    assert!(!selects("tag:ad", &it), "a tag is whole");
    assert!(selects("feed:hnrss.org", &it));
    assert!(selects("feed:HNRSS", &it));
    assert!(selects("feed:hack", &it), "title word prefix");
    assert!(!selects("feed:example.org", &it));
    assert!(selects("is:unread", &it));
    assert!(!selects("is:read", &it));
    assert!(!selects("is:starred", &it));
    assert!(selects("after:2d", &it));
    assert!(!selects("before:2d", &it));
    assert!(selects("before:2024-08-01", &it));
    assert!(!selects("after:2024-08-01", &it));
}

#[test]
fn boolean_structure() {
    let it = item("Sponsored laptop", "", &["tech"]);
    assert!(selects("sponsored -tag:news", &it));
    assert!(!selects("sponsored -tag:tech", &it));
    assert!(selects("nothing or laptop", &it));
    assert!(!selects("nothing or (laptop tag:news)", &it));
    assert!(selects("sort:date", &it), "no condition selects everything");
}
