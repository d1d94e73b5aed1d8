//! What a query finds and in which order, through the real index.

use khabar::query::parse;

use super::*;

fn store_with(items: Vec<ParsedItem>) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    feed(&mut store, "https://a.example/rss", &["اقتصاد"], items);
    (dir, store)
}

#[test]
fn every_normalisation_pair_finds_the_other_spelling_both_ways() {
    let pairs = [
        ("افزايش توليد كالا", "افزایش تولید کالا"),
        ("میخواهم", "می\u{200C}خواهم"),
        ("۱۴۰۳", "1403"),
        ("١٤٠٣", "1403"),
        ("مسئله", "مسیله"),
        ("مدرسة", "مدرسه"),
        ("خانۀ", "خانه"),
        ("أمير", "امیر"),
        ("إسلام", "اسلام"),
        ("ٱلله", "الله"),
        ("آب", "اب"),
        ("مؤسسه", "موسسه"),
        ("كَتَبَ", "کتب"),
        ("قیمتً", "قیمت"),
        ("رحمٰن", "رحمن"),
        ("خبرـــها", "خبرها"),
        ("\u{202B}خبر\u{202C}", "خبر"),
        ("می\u{200D}روم", "میروم"),
        ("\u{FEB3}\u{FEFC}\u{FEE1}", "سلام"),
        ("BANK", "bank"),
    ];
    for (i, (a, b)) in pairs.iter().enumerate() {
        let (_dir, store) = store_with(vec![
            item("a", &format!("first {a}"), "x", 1),
            item("b", &format!("second {b}"), "x", 2),
            item("c", "nothing here", "x", 3),
        ]);
        for query in [a, b] {
            // As a word (prefix) and as a phrase (whole words).
            assert_eq!(
                found(&store, query),
                [format!("first {a}"), format!("second {b}")],
                "pair {i}: {query:?}"
            );
            assert_eq!(
                found(&store, &format!("\"{query}\"")),
                [format!("first {a}"), format!("second {b}")],
                "pair {i}: phrase {query:?}"
            );
        }
    }
}

#[test]
fn a_word_matches_words_that_start_with_it_a_phrase_only_in_order() {
    let (_dir, store) = store_with(vec![
        item("1", "کتاب‌ها رسید", "", 1),
        item("2", "کتابخانه ملی", "", 2),
        item("3", "banking news", "", 3),
        item("4", "central bank holds rates", "", 4),
        item("5", "bank central of nothing", "", 5),
        item("6", "the bandit", "", 6),
    ]);
    assert_eq!(found(&store, "کتاب"), ["کتابخانه ملی", "کتاب‌ها رسید"]);
    assert_eq!(
        found(&store, "bank"),
        [
            "bank central of nothing",
            "banking news",
            "central bank holds rates"
        ]
    );
    assert_eq!(
        found(&store, "\"central bank\""),
        ["central bank holds rates"]
    );
    assert_eq!(
        found(&store, "central bank"),
        ["bank central of nothing", "central bank holds rates"]
    );
    assert!(found(&store, "\"bank\" banking").is_empty());
}

#[test]
fn exclusions_or_and_parentheses() {
    let (_dir, store) = store_with(vec![
        item("1", "bank rates rise", "", 1),
        item("2", "bank rates fall", "", 2),
        item("3", "football results", "", 3),
        item("4", "rates of football", "", 4),
    ]);
    assert_eq!(
        found(&store, "rates -fall"),
        ["bank rates rise", "rates of football"]
    );
    assert_eq!(found(&store, "-rates"), ["football results"]);
    assert_eq!(
        found(&store, "rise or football"),
        ["bank rates rise", "football results", "rates of football"]
    );
    assert_eq!(
        found(&store, "(rise or fall) -\"rates fall\""),
        ["bank rates rise"]
    );
    assert_eq!(found(&store, "-(bank or results)"), ["rates of football"]);
    assert_eq!(
        found(&store, "football or is:starred"),
        ["football results", "rates of football"]
    );
}

#[test]
fn a_title_match_ranks_above_a_body_match_then_newest_first() {
    let (_dir, store) = store_with(vec![
        item("old-title", "بورس تهران رکورد زد", "متن خبر", 30),
        item("new-body", "خبر روز", "امروز بورس تهران بالا رفت", 1),
        item("newer-body", "گزارش", "بورس تهران و بازار", 0),
    ]);
    let order = titles(&store, "بورس تهران");
    assert_eq!(order[0], "بورس تهران رکورد زد");
    assert_eq!(order.len(), 3);
    // A title match stays above a body match that bm25 scores higher (the
    // words thirty times in a short body against once in a very long title).
    let long_title = format!("بورس تهران {}", "واژه ".repeat(200));
    let (_dense_dir, dense) = store_with(vec![
        item("long-title", &long_title, "متن", 3),
        item("dense-body", "گزارش", &"بورس تهران ".repeat(30), 1),
    ]);
    let order = titles(&dense, "بورس تهران");
    assert_eq!(order.len(), 2);
    assert_eq!(order[1], "گزارش", "the title match first");
    // sort:date ignores relevance.
    assert_eq!(
        titles(&store, "بورس sort:date"),
        ["گزارش", "خبر روز", "بورس تهران رکورد زد"]
    );
    // Equal relevance: newest first.
    let (_dir, store) = store_with(vec![
        item("a", "same words", "", 5),
        item("b", "same words", "", 1),
        item("c", "same words", "", 3),
    ]);
    let ids: Vec<i64> = store
        .search(&parse("same").unwrap(), CLOCK, 10)
        .unwrap()
        .iter()
        .map(|r| r.sort_time)
        .collect();
    assert_eq!(ids, [NOW - DAY, NOW - 3 * DAY, NOW - 5 * DAY]);
}

#[test]
fn dates_in_both_calendars_and_relative() {
    // NOW is 2023-11-14 (Jalali 1402/08/23).
    let (_dir, store) = store_with(vec![
        item("1", "one day ago", "", 1),
        item("2", "ten days ago", "", 10),
        item("3", "forty days ago", "", 40),
    ]);
    assert_eq!(found(&store, "after:7d"), ["one day ago"]);
    assert_eq!(found(&store, "after:2w"), ["one day ago", "ten days ago"]);
    assert_eq!(found(&store, "before:2w"), ["forty days ago"]);
    // 2023-11-01 = 1402/08/10.
    assert_eq!(
        found(&store, "after:2023-11-01"),
        ["one day ago", "ten days ago"]
    );
    assert_eq!(
        found(&store, "after:1402/08/10"),
        ["one day ago", "ten days ago"]
    );
    assert_eq!(
        found(&store, "after:۱۴۰۲/۰۸/۱۰"),
        ["one day ago", "ten days ago"]
    );
    assert_eq!(found(&store, "before:1402/08/10 days"), ["forty days ago"]);
    assert_eq!(
        found(&store, "after:1402/07/20 before:2023-11-10"),
        ["ten days ago"]
    );
}

/// A second feed, tagged ورزش, titled `title`, with one item: "sport item".
fn add_sport_feed(store: &mut Store, title: &str) {
    let other = store
        .add_feed(&spec("https://bbc.example/news", None, &["ورزش"]))
        .unwrap();
    store
        .apply_update(
            other,
            &update(title, vec![item("b", "sport item", "", 2)]),
            NOW,
        )
        .unwrap();
}

#[test]
fn tags_feeds_and_state() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let mut categorised = item("c", "categorised item", "", 1);
    categorised.categories = vec!["فناوري".to_string()];
    feed(
        &mut store,
        "https://fa.example/rss",
        &["اقتصاد"],
        vec![item("a", "economy item", "", 1), categorised],
    );
    add_sport_feed(&mut store, "بی‌بی‌سی فارسی");
    assert_eq!(
        found(&store, "tag:اقتصاد"),
        ["categorised item", "economy item"]
    );
    // Arabic Yeh in the stored category, Persian Yeh typed.
    assert_eq!(found(&store, "tag:فناوری"), ["categorised item"]);
    assert_eq!(found(&store, "-tag:اقتصاد"), ["sport item"]);
    assert_eq!(
        found(&store, "tag:اقتصاد or tag:ورزش item"),
        ["categorised item", "economy item", "sport item"]
    );
    assert_eq!(found(&store, "feed:bbc.example"), ["sport item"]);
    assert_eq!(found(&store, "feed:news"), ["sport item"]);
    // Title words, Persian-normalised and by prefix (ZWNJ, Arabic Yeh).
    assert_eq!(found(&store, "feed:بیبی"), ["sport item"]);
    assert_eq!(found(&store, "feed:\"بی‌بی‌سی فارسي\""), ["sport item"]);
    assert_eq!(found(&store, "feed:nosuch"), Vec::<String>::new());
    assert_eq!(found(&store, "tag:nosuch"), Vec::<String>::new());
    let sport = store.search(&parse("sport").unwrap(), CLOCK, 1).unwrap()[0].id;
    store.set_read(&[sport], true, NOW).unwrap();
    assert_eq!(found(&store, "is:read"), ["sport item"]);
    assert_eq!(
        found(&store, "item is:unread"),
        ["categorised item", "economy item"]
    );
    store.set_starred(&[sport], true, NOW).unwrap();
    assert_eq!(found(&store, "is:starred"), ["sport item"]);
    // Free words also find feed titles and tags.
    assert_eq!(found(&store, "ورزش"), ["sport item"]);
    assert_eq!(
        store.count_query(&parse("item").unwrap(), CLOCK).unwrap(),
        (2, 3)
    );
}

#[test]
fn a_query_pages_newest_first_in_both_directions() {
    let items = (0..25)
        .map(|i| item(&i.to_string(), &format!("paged {i}"), "", i))
        .collect();
    let (_dir, store) = store_with(items);
    let query = parse("paged").unwrap();
    let first = store.query_items_after(&query, CLOCK, None, 10).unwrap();
    let second = store
        .query_items_after(&query, CLOCK, first.last().map(|r| r.cursor()), 10)
        .unwrap();
    assert_eq!(first[0].title, "paged 0");
    assert_eq!(second[0].title, "paged 10");
    let back = store
        .query_items_before(&query, CLOCK, second[0].cursor(), 10)
        .unwrap();
    assert_eq!(back, first);
    let last = store.query_items_last(&query, CLOCK, 5).unwrap();
    let titles: Vec<&str> = last.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(
        titles,
        ["paged 20", "paged 21", "paged 22", "paged 23", "paged 24"]
    );
}

#[test]
fn a_prefix_of_many_words_still_finds_them_all() {
    // More indexed words start with `wo` than a query expands to one by one.
    let items = (0..80)
        .map(|i| item(&i.to_string(), &format!("wo{i}x other"), "", 1))
        .collect();
    let (_dir, store) = store_with(items);
    assert_eq!(
        store.count_query(&parse("wo").unwrap(), CLOCK).unwrap().1,
        80
    );
    assert_eq!(
        store.count_query(&parse("wo7").unwrap(), CLOCK).unwrap().1,
        11
    );
    assert_eq!(
        store
            .search(&parse("wo1 other").unwrap(), CLOCK, 100)
            .unwrap()
            .len(),
        11
    );
    assert!(
        store
            .search(&parse("wox").unwrap(), CLOCK, 100)
            .unwrap()
            .is_empty()
    );
}

/// A view of a thousand tags or feeds, or a thousand exclusions: SQLite refused
/// the SQL of a chain that long ("Expression tree is too large (maximum depth
/// 1000)"); the chain is grouped so it nests a dozen levels.
#[test]
fn a_query_of_thousands_of_alternatives_or_exclusions_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    feed(
        &mut store,
        "https://fa.example/rss",
        &["اقتصاد"],
        vec![item("a", "economy item", "", 1)],
    );
    add_sport_feed(&mut store, "BBC");
    let many = |form: &str, join: &str| {
        (0..3_000)
            .map(|i| form.replace("{}", &i.to_string()))
            .collect::<Vec<_>>()
            .join(join)
    };
    let tags = format!("{} or tag:ورزش", many("tag:t{}", " or "));
    assert_eq!(found(&store, &tags), ["sport item"]);
    let feeds = format!("feed:bbc or {}", many("feed:f{}.example", " or "));
    assert_eq!(found(&store, &feeds), ["sport item"]);
    let excluded = format!("item {} -tag:ورزش", many("-tag:t{}", " "));
    assert_eq!(found(&store, &excluded), ["economy item"]);
    let groups = many("(tag:t{} item)", " or ") + " or (tag:اقتصاد is:unread)";
    assert_eq!(found(&store, &groups), ["economy item"]);
    assert_eq!(
        store
            .count_query(&parse(&excluded).unwrap(), CLOCK)
            .unwrap(),
        (1, 1)
    );
}
