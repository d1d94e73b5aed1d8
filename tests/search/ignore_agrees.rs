//! `[[ignore]]` rules are tested in memory (`query::Matcher`) while a refresh
//! writes, and must select exactly what a search of the stored items selects.
//! For each query, one database is written with every item and searched (the
//! ranked path of `khabar search` and the date-ordered path of `items --query`);
//! another is written with the query as its only ignore rule, and the items it
//! left out must be exactly the search's matches. Fixed queries cover each kind
//! of term; seeded random ones combine them.

use std::collections::BTreeMap;

use khabar::feed::ParsedItem;
use khabar::query::Query;
use khabar::store::IgnoreRules;

use super::*;

/// Per feed, each title and how many items have it: a multiset that two
/// databases written in the same order can compare (their ids differ).
type Selection = BTreeMap<(FeedId, String), usize>;

fn fixture(name: &str) -> (String, Vec<ParsedItem>) {
    let path = format!(
        "{}/tests/fixtures/feeds/{name}.xml",
        env!("CARGO_MANIFEST_DIR")
    );
    let url = format!("https://{name}.example/rss");
    let parsed = khabar::feed::parse(&std::fs::read(&path).unwrap(), None, &url).unwrap();
    (url, parsed.items)
}

fn with_author(mut item: ParsedItem, author: &str, categories: &[&str]) -> ParsedItem {
    item.author = Some(author.to_string());
    item.categories = categories.iter().map(|c| c.to_string()).collect();
    item
}

/// The feeds of the corpus: URL, tags, items.
fn corpus() -> Vec<(String, Vec<&'static str>, Vec<ParsedItem>)> {
    let mut feeds = Vec::new();
    for (name, tags) in [
        ("fa-rss20-windows-1256", vec!["fa", "اقتصاد"]),
        ("fa-rss20-worldservice-template", vec!["fa", "news"]),
        ("fa-atom-mixed-direction", vec!["fa"]),
        ("fa-rss20-jalali-pubdate", vec!["fa", "news"]),
    ] {
        let (url, items) = fixture(name);
        feeds.push((url, tags, items));
    }
    let hn = vec![
        with_author(
            item("h1", "Sponsored: the new laptop", "Buy a laptop today", 1),
            "Ad Desk",
            &["ads", "Tech"],
        ),
        with_author(
            item("h2", "Show HN: an e-mail client", "written in Rust", 2),
            "Jane Doe",
            &["show"],
        ),
        with_author(
            item("h3", "افزایش قیمت دلار", "قيمت‌ها بالا رفت", 3),
            "خبرنگار",
            &["اقتصاد"],
        ),
        with_author(
            item("h4", "Rust 2.0 released", "the new laptop of compilers", 10),
            "Rust Team",
            &["tech"],
        ),
        item("h5", "Ask HN: sponsorship of open source", "ab ab ab", 40),
        item("h6", "xab abc", "email e mail", 400),
        with_author(
            item("h7", "کِتابِ سالِ ایران", "جایزهٔ کتاب سال", 0),
            "Jane",
            &["کتاب", "ads"],
        ),
    ];
    feeds.push((
        "https://hnrss.org/frontpage".to_string(),
        vec!["en", "tech"],
        hn,
    ));
    let blog = vec![
        item("b1", "Weekly notes", "nothing sponsored here", 5),
        item("b2", "On laptops", "new-laptop review", 6),
        with_author(
            item("b3", "Tags and feeds", "tech talk", 7),
            "Doe",
            &["Ads"],
        ),
    ];
    feeds.push((
        "https://blog.example.org/feed.xml".to_string(),
        vec![],
        blog,
    ));
    feeds
}

/// Writes the corpus into a new database, with `rules` if any; returns the
/// database and how many new items the rules left out.
fn write(dir: &Path, rules: Option<IgnoreRules>) -> (Store, u64) {
    let mut store = open(dir);
    store.set_ignore_rules(rules);
    let mut ignored = 0;
    for (url, tags, items) in corpus() {
        let id = store.add_feed(&spec(&url, None, &tags)).unwrap();
        let stats = store
            .apply_update(id, &update(&format!("Feed {url}"), items), NOW)
            .unwrap();
        ignored += stats.ignored_items;
    }
    (store, ignored)
}

fn selection(rows: Vec<khabar::store::ItemRow>) -> Selection {
    let mut out = Selection::new();
    for row in rows {
        *out.entry((row.feed_id, row.title)).or_default() += 1;
    }
    out
}

fn everything(store: &Store) -> Selection {
    let all = parse("sort:date").unwrap();
    selection(store.query_items_after(&all, CLOCK, None, 10_000).unwrap())
}

fn minus(all: &Selection, kept: &Selection) -> Selection {
    let mut out = Selection::new();
    for (key, n) in all {
        let left = n - kept.get(key).copied().unwrap_or(0);
        if left > 0 {
            out.insert(key.clone(), left);
        }
    }
    out
}

/// Checks one query both ways; returns how many items it selects.
fn agrees(full: &Store, all: &Selection, text: &str) -> usize {
    let query: Query = parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    let ranked = selection(full.search(&query, CLOCK, 10_000).unwrap());
    let by_date = selection(full.query_items_after(&query, CLOCK, None, 10_000).unwrap());
    assert_eq!(ranked, by_date, "{text:?}: the two SQL paths differ");
    let dir = tempfile::tempdir().unwrap();
    let (filtered, ignored) = write(dir.path(), IgnoreRules::new(vec![query], CLOCK.utc_offset));
    let dropped = minus(all, &everything(&filtered));
    assert_eq!(
        dropped, ranked,
        "{text:?}: the ignore rule (left) and the search (right) select different items"
    );
    let selected: usize = ranked.values().sum();
    assert_eq!(ignored as usize, selected, "{text:?}: the ignored count");
    selected
}

const FIXED: &[&str] = &[
    "sponsor",
    "sponsored",
    "SPONSORED laptop",
    "\"new laptop\"",
    "\"new lap\"",
    "new-lap",
    "e-mail",
    "email",
    "\"ab ab\"",
    "ab",
    "xab",
    "jane",
    "doe -jane",
    "ad",
    "hacker",
    "feed",
    "افزايش",
    "قیمتها",
    "\"افزايش قیمت\"",
    "كتاب",
    "\"کتاب سال\"",
    "کتاب -ایران",
    "iphone تهران",
    "tag:ads",
    "tag:ADS",
    "tag:tech",
    "tag:اقتصاد",
    "tag:fa -tag:news",
    "tag:ad",
    "feed:hnrss.org",
    "feed:HNRSS sponsored",
    "feed:blog",
    "feed:fa-rss20",
    "feed:nosuch",
    "is:unread",
    "is:read",
    "is:starred",
    "-is:starred laptop",
    "after:7d",
    "before:30d",
    "after:2023-11-01 before:2023-11-13",
    "before:1402/08/01",
    "sponsored or tag:show",
    "(sponsored or rust) -tag:ads",
    "-laptop",
    "-tag:fa",
    "laptop or (tag:fa \"کتاب سال\")",
    "-(laptop or rust)",
    "rust sort:date",
];

#[test]
fn ignore_rules_select_what_search_selects() {
    let dir = tempfile::tempdir().unwrap();
    let (full, ignored) = write(dir.path(), None);
    assert_eq!(ignored, 0);
    let all = everything(&full);
    assert!(all.values().sum::<usize>() > 30, "{all:?}");
    let mut some = 0;
    for text in FIXED {
        some += usize::from(agrees(&full, &all, text) > 0);
    }
    // Most cases must select something, or they compare empty sets.
    assert!(some > FIXED.len() * 2 / 3, "{some} of {}", FIXED.len());
}

/// Random combinations of the corpus's words and filters (seeded, so a
/// failure repeats): the two paths agree on each.
#[test]
fn random_queries_agree_with_search() {
    const ATOMS: &[&str] = &[
        "laptop",
        "sponsor",
        "rust",
        "new",
        "\"new laptop\"",
        "e-mail",
        "قیمت",
        "افزايش",
        "كتاب",
        "jane",
        "ab",
        "tag:ads",
        "tag:fa",
        "tag:news",
        "tag:اقتصاد",
        "feed:hnrss",
        "feed:blog",
        "is:unread",
        "after:5d",
        "before:2d",
        "\"کتاب سال\"",
        "ایران",
        "the",
    ];
    let dir = tempfile::tempdir().unwrap();
    let (full, _) = write(dir.path(), None);
    let all = everything(&full);
    let mut seed: u64 = 0x6b68_6162_6172;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % n
    };
    for _ in 0..40 {
        let mut text = String::new();
        for part in 0..1 + next(3) {
            if part > 0 {
                text.push_str([" ", " or ", " -"][next(3)]);
            }
            let atom = ATOMS[next(ATOMS.len())];
            if next(4) == 0 {
                let other = ATOMS[next(ATOMS.len())];
                text.push_str(&format!("({atom} or -{other})"));
            } else {
                text.push_str(atom);
            }
        }
        agrees(&full, &all, &text);
    }
}
