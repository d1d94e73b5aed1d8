//! Golden parse trees, every error with its column, and the parse → print →
//! parse round trip.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::text::jalali::JalaliDate;

fn word(w: &str) -> Expr {
    Expr::Term(Term::Word(w.to_string()))
}

fn term(t: Term) -> Expr {
    Expr::Term(t)
}

fn tree(text: &str) -> Expr {
    match parse(text) {
        Ok(Query {
            expr: Some(expr), ..
        }) => expr,
        other => panic!("{text:?} gave {other:?}"),
    }
}

#[test]
fn free_words_are_anded() {
    assert_eq!(
        tree("bank rates"),
        Expr::And(vec![word("bank"), word("rates")])
    );
    assert_eq!(tree("  کتاب  "), word("کتاب"));
    assert_eq!(
        tree("bank and rates"),
        Expr::And(vec![word("bank"), word("rates")])
    );
}

#[test]
fn or_binds_tighter_than_juxtaposition() {
    assert_eq!(
        tree("tag:اقتصاد or tag:بورس is:unread"),
        Expr::And(vec![
            Expr::Or(vec![
                term(Term::Tag("اقتصاد".into())),
                term(Term::Tag("بورس".into()))
            ]),
            term(Term::Is(State::Unread)),
        ])
    );
    assert_eq!(
        tree("a or b OR c"),
        Expr::Or(vec![word("a"), word("b"), word("c")])
    );
}

#[test]
fn parentheses_group() {
    assert_eq!(
        tree("(a b) or c"),
        Expr::Or(vec![Expr::And(vec![word("a"), word("b")]), word("c")])
    );
    assert_eq!(
        tree("-(a or b) c"),
        Expr::And(vec![
            Expr::Not(Box::new(Expr::Or(vec![word("a"), word("b")]))),
            word("c")
        ])
    );
}

#[test]
fn phrases_filters_and_exclusions() {
    assert_eq!(
        tree("\"central bank\" -rates -tag:ورزش feed:bbc.com is:starred"),
        Expr::And(vec![
            term(Term::Phrase("central bank".into())),
            Expr::Not(Box::new(word("rates"))),
            Expr::Not(Box::new(term(Term::Tag("ورزش".into())))),
            term(Term::Feed("bbc.com".into())),
            term(Term::Is(State::Starred)),
        ])
    );
    assert_eq!(
        tree("tag:\"علم و فناوری\" IS:Read"),
        Expr::And(vec![
            term(Term::Tag("علم و فناوری".into())),
            term(Term::Is(State::Read))
        ])
    );
    // Colons inside words that are not filters stay words.
    assert_eq!(tree("10:30"), word("10:30"));
    assert_eq!(tree("e-mail"), word("e-mail"));
}

#[test]
fn dates_in_both_calendars_and_relative() {
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    assert_eq!(
        tree("after:2024-08-01"),
        term(Term::After(DateSpec::Gregorian(d(2024, 8, 1))))
    );
    let jalali = JalaliDate {
        year: 1403,
        month: 5,
        day: 1,
    };
    assert_eq!(
        tree("before:1403/05/01"),
        term(Term::Before(DateSpec::Jalali(jalali)))
    );
    assert_eq!(
        tree("before:۱۴۰۳/۰۵/۰۱"),
        term(Term::Before(DateSpec::Jalali(jalali)))
    );
    assert_eq!(
        tree("after:7d"),
        term(Term::After(DateSpec::Ago(7, AgoUnit::Days)))
    );
    assert_eq!(
        tree("after:2w"),
        term(Term::After(DateSpec::Ago(2, AgoUnit::Weeks)))
    );
    // 1403/05/01 is 2024-07-22.
    let utc = DateSpec::Jalali(jalali).to_unix(0, 0);
    assert_eq!(
        utc,
        d(2024, 7, 22)
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp()
    );
    // Start of the day in Tehran (+03:30) is 20:30 UTC the day before.
    assert_eq!(DateSpec::Jalali(jalali).to_unix(0, 12_600), utc - 12_600);
    assert_eq!(
        DateSpec::Ago(2, AgoUnit::Weeks).to_unix(1_000_000_000, 0),
        1_000_000_000 - 14 * 86_400
    );
}

#[test]
fn sort_date_applies_to_the_whole_query() {
    let q = parse("bank sort:date").unwrap();
    assert_eq!(q.sort, Sort::Date);
    assert_eq!(q.expr, Some(word("bank")));
    let q = parse("sort:date").unwrap();
    assert_eq!((q.expr, q.sort), (None, Sort::Date));
    assert_eq!(parse("bank").unwrap().sort, Sort::Relevance);
}

#[test]
fn every_error_names_what_and_where() {
    let cases: &[(&str, &str)] = &[
        ("", "the query is empty, at column 1"),
        ("   ", "the query is empty, at column 1"),
        ("after:", "after: needs a date, at column 7"),
        ("bank after:", "after: needs a date, at column 12"),
        (
            "after:yesterday",
            "after: \"yesterday\" is not a date (use 2024-08-01, 1403/05/01, 7d or 2w), at column 7",
        ),
        (
            "before:2024-02-30",
            "before: there is no day 2024-02-30, at column 8",
        ),
        (
            "before:1404/12/30",
            "before: there is no day 1404/12/30, at column 8",
        ),
        ("tag:", "tag: needs a tag name, at column 5"),
        ("feed: x", "feed: needs a URL or title words, at column 6"),
        ("is:", "is: needs unread, read or starred, at column 4"),
        (
            "is:new",
            "is: can be unread, read or starred, not \"new\", at column 4",
        ),
        ("sort:", "sort: needs date or relevance, at column 6"),
        (
            "sort:size",
            "sort: can be date or relevance, not \"size\", at column 6",
        ),
        (
            "a sort:date sort:date",
            "sort: is given twice, at column 13",
        ),
        (
            "(a sort:date)",
            "sort: applies to the whole query; put it outside parentheses, \"or\" and \"-\", at column 4",
        ),
        (
            "-sort:date a",
            "sort: applies to the whole query; put it outside parentheses, \"or\" and \"-\", at column 2",
        ),
        (
            "sort:date or a",
            "sort: applies to the whole query and cannot be part of \"or\", at column 1",
        ),
        (
            "tga:x",
            "unknown filter \"tga:\" (known: tag:, feed:, is:, after:, before:, sort:), at column 1",
        ),
        ("\"central bank", "this quote is never closed, at column 1"),
        ("a tag:\"x", "this quote is never closed, at column 7"),
        ("(a b", "this \"(\" is never closed, at column 1"),
        ("a (b (c)", "this \"(\" is never closed, at column 3"),
        ("a b)", "this \")\" closes no \"(\", at column 4"),
        (")", "this \")\" closes no \"(\", at column 1"),
        ("))", "this \")\" closes no \"(\", at column 1"),
        ("sort:date )", "this \")\" closes no \"(\", at column 11"),
        ("(", "this \"(\" is never closed, at column 1"),
        ("a (", "this \"(\" is never closed, at column 3"),
        ("-(", "this \"(\" is never closed, at column 2"),
        ("()", "these parentheses are empty, at column 1"),
        ("or a", "\"or\" needs a term on each side, at column 1"),
        ("a or", "\"or\" needs a term on each side, at column 3"),
        ("a or or b", "\"or\" needs a term on each side, at column 3"),
        ("and a", "\"and\" needs a term on each side, at column 1"),
        ("a and", "\"and\" needs a term on each side, at column 3"),
        ("a - b", "\"-\" needs a term right after it, at column 3"),
        ("a -", "\"-\" needs a term right after it, at column 3"),
        (
            "!!!",
            "\"!!!\" has no letters or digits to search for, at column 1",
        ),
        (
            "\"...\"",
            "this phrase has no letters or digits to search for, at column 1",
        ),
        // Columns count characters, not bytes.
        (
            "کتاب after:x",
            "after: \"x\" is not a date (use 2024-08-01, 1403/05/01, 7d or 2w), at column 12",
        ),
    ];
    for (text, expected) in cases {
        match parse(text) {
            Err(err) => assert_eq!(err.to_string(), *expected, "query {text:?}"),
            Ok(q) => panic!("{text:?} parsed as {q:?}"),
        }
    }
}

#[test]
fn printing_is_canonical() {
    for (text, printed) in [
        ("a   b", "a b"),
        ("a AND b", "a b"),
        ("(a b) (c d)", "(a b) (c d)"),
        ("a OR (b or c)", "a or (b or c)"),
        ("tag:\"علم و فناوری\" -(x y)", "tag:\"علم و فناوری\" -(x y)"),
        ("sort:date bank", "bank sort:date"),
        ("after:۱۴۰۳/۵/۱", "after:1403/05/01"),
    ] {
        assert_eq!(parse(text).unwrap().to_string(), printed, "{text:?}");
    }
}

#[test]
fn needles_and_highlights_use_the_search_key() {
    let q = parse("كتاب \"می‌خواهم\" -bank").unwrap();
    let needles = q.needles();
    assert_eq!(needles.len(), 2);
    let text = "کتاب‌ها را میخواهم، bank";
    let ranges = match_ranges(text, &needles);
    let words: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
    assert_eq!(words, ["کتاب‌ها", "میخواهم"]);
    let q = parse("1403 bank").unwrap();
    let text = "سال ۱۴۰۳ and banking";
    let words: Vec<String> = match_ranges(text, &q.needles())
        .into_iter()
        .map(|r| text[r].to_string())
        .collect();
    assert_eq!(words, ["۱۴۰۳", "banking"]);
}

#[test]
fn snippet_shows_the_match() {
    let text = format!("{} needle {}", "word ".repeat(50), "tail ".repeat(50));
    let q = parse("needle").unwrap();
    let s = snippet(&text, &q.needles(), 40);
    assert!(s.contains("needle"), "{s}");
    assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
    assert!(s.chars().count() <= 42, "{s}");
    assert_eq!(snippet("short", &q.needles(), 40), "short");
}

fn word_strategy() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "bank",
        "rates",
        "کتاب",
        "می‌خواهم",
        "۱۴۰۳",
        "e-mail",
        "10:30",
        "orbit",
        "ANDROID",
        "x",
    ])
    .prop_map(str::to_string)
}

fn value_strategy() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "اقتصاد",
        "tech",
        "علم و فناوری",
        "bbc.com",
        "a(b)",
        "x:y",
    ])
    .prop_map(str::to_string)
}

fn term_strategy() -> impl Strategy<Value = Term> {
    let date = prop_oneof![
        (2000i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| DateSpec::Gregorian(
            NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
        )),
        (1380i32..1410, 1u8..13, 1u8..30).prop_map(|(y, m, d)| DateSpec::Jalali(JalaliDate {
            year: y,
            month: m,
            day: d
        })),
        (0u32..400).prop_map(|n| DateSpec::Ago(n, AgoUnit::Days)),
        (0u32..60).prop_map(|n| DateSpec::Ago(n, AgoUnit::Weeks)),
    ];
    prop_oneof![
        word_strategy().prop_map(Term::Word),
        (word_strategy(), word_strategy()).prop_map(|(a, b)| Term::Phrase(format!("{a} {b}"))),
        value_strategy().prop_map(Term::Tag),
        value_strategy().prop_map(Term::Feed),
        prop::sample::select(vec![State::Unread, State::Read, State::Starred]).prop_map(Term::Is),
        date.clone().prop_map(Term::After),
        date.prop_map(Term::Before),
    ]
}

fn expr_strategy() -> impl Strategy<Value = Expr> {
    term_strategy()
        .prop_map(Expr::Term)
        .prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::And),
                prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::Or),
                inner.prop_map(|e| Expr::Not(Box::new(e))),
            ]
        })
}

proptest! {
    #[test]
    fn parse_print_parse_round_trips(expr in expr_strategy(), by_date in any::<bool>()) {
        let query = Query { expr: Some(expr), sort: if by_date { Sort::Date } else { Sort::Relevance } };
        let printed = query.to_string();
        let parsed = parse(&printed).map_err(|e| TestCaseError::fail(format!("{printed:?}: {e}")))?;
        prop_assert_eq!(&parsed, &query, "printed as {:?}", printed);
        prop_assert_eq!(parsed.to_string(), printed);
    }

    #[test]
    fn any_text_parses_or_errors_inside_the_text(text in "[a-z()\": \\-ا-ی۰-۹]{0,30}") {
        if let Err(err) = parse(&text) {
            prop_assert!(err.column >= 1 && err.column <= text.chars().count() + 1, "{err} for {text:?}");
        }
    }
}
