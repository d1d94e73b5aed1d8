//! `F` in the article view and `fulltext = "on-open"` (issue 10).

use super::*;

fn text_of(m: &Model) -> String {
    m.article()
        .unwrap()
        .blocks
        .iter()
        .flat_map(|b| b.runs.iter().map(|r| r.text.clone()))
        .collect()
}

fn open_with(detail: ItemDetail) -> Model {
    let mut m = in_list(vec![item(0, 1, false)]);
    key(&mut m, "enter");
    let commands = update(
        &mut m,
        Msg::ArticleLoaded {
            id: 100,
            detail: Some(Box::new(detail)),
        },
    );
    assert!(commands.is_empty() || matches!(commands[0], Command::FetchFulltext { .. }));
    m
}

fn detail(full: Option<&str>, link: Option<&str>) -> ItemDetail {
    let mut row = item(0, 1, false);
    row.link = link.map(str::to_string);
    ItemDetail {
        row,
        content_html: Some("<p>خلاصهٔ خوراک</p>".into()),
        fulltext_html: full.map(str::to_string),
        ..Default::default()
    }
}

#[test]
fn f_switches_between_the_full_text_and_the_feed_text() {
    let mut m = open_with(detail(
        Some("<p>متن کامل خبر</p>"),
        Some("https://x.example/1"),
    ));
    // The full text first, when there is one.
    assert!(text_of(&m).contains("متن کامل خبر"));
    assert!(!text_of(&m).contains("خلاصهٔ خوراک"));
    assert!(key(&mut m, "F").is_empty());
    assert!(text_of(&m).contains("خلاصهٔ خوراک"));
    assert!(!text_of(&m).contains("متن کامل خبر"));
    assert_eq!(m.message.as_deref(), Some("the feed's text"));
    key(&mut m, "F");
    assert!(text_of(&m).contains("متن کامل خبر"));
    assert_eq!(m.message.as_deref(), Some("full text"));
}

#[test]
fn f_without_full_text_fetches_it_and_shows_it_on_arrival() {
    let mut m = open_with(detail(None, Some("https://x.example/1")));
    let commands = key(&mut m, "F");
    assert_eq!(
        commands,
        vec![Command::FetchFulltext {
            id: 100,
            link: "https://x.example/1".into()
        }]
    );
    assert_eq!(m.message.as_deref(), Some("fetching the full text…"));
    // Still the feed's text while the page is on its way.
    assert!(text_of(&m).contains("خلاصهٔ خوراک"));
    update(
        &mut m,
        Msg::FulltextFetched {
            id: 100,
            result: Ok("<p>متن کامل رسید</p>".into()),
        },
    );
    assert!(text_of(&m).contains("متن کامل رسید"));
    assert_eq!(m.message.as_deref(), Some("full text"));
    // A failure says why and keeps the feed's text.
    let mut m = open_with(detail(None, Some("https://x.example/1")));
    key(&mut m, "F");
    update(
        &mut m,
        Msg::FulltextFetched {
            id: 100,
            result: Err("timed out after 5 s".into()),
        },
    );
    assert!(text_of(&m).contains("خلاصهٔ خوراک"));
    assert_eq!(
        m.message.as_deref(),
        Some("no full text: timed out after 5 s")
    );
    // An answer for an item no longer open changes nothing.
    let before = text_of(&m);
    update(
        &mut m,
        Msg::FulltextFetched {
            id: 999,
            result: Ok("<p>دیگر</p>".into()),
        },
    );
    assert_eq!(text_of(&m), before);
}

#[test]
fn on_open_feeds_fetch_the_page_when_an_item_is_first_opened() {
    let mut m = in_list(vec![item(0, 1, false)]);
    key(&mut m, "enter");
    let mut d = detail(None, Some("https://x.example/1"));
    d.fetch_on_open = true;
    let commands = update(
        &mut m,
        Msg::ArticleLoaded {
            id: 100,
            detail: Some(Box::new(d)),
        },
    );
    assert_eq!(
        commands,
        vec![Command::FetchFulltext {
            id: 100,
            link: "https://x.example/1".into()
        }]
    );
    // Not an on-open feed (or already tried): nothing is fetched.
    let mut m = in_list(vec![item(0, 1, false)]);
    key(&mut m, "enter");
    let commands = update(
        &mut m,
        Msg::ArticleLoaded {
            id: 100,
            detail: Some(Box::new(detail(None, Some("https://x.example/1")))),
        },
    );
    assert!(commands.is_empty());
}

/// The page fetched for an open article (`F`, `fulltext = "on-open"`) was
/// written by the fetching task on a connection of its own, which the
/// database worker took for another process's commit: one needless reload of
/// every list and count. The database worker writes it now, after the article
/// was closed too, and a failure is kept as well (the page is not asked for
/// again at every open).
#[test]
fn a_fetched_page_is_stored_by_the_database_worker() {
    let mut m = open_with(detail(None, Some("https://x.example/1")));
    key(&mut m, "F");
    let store = |result: Result<&str, &str>| {
        vec![Command::Db(DbRequest::StoreFulltext {
            id: 100,
            result: result.map(str::to_string).map_err(str::to_string),
        })]
    };
    let arrived = |m: &mut Model, result: Result<&str, &str>| {
        update(
            m,
            Msg::FulltextFetched {
                id: 100,
                result: result.map(str::to_string).map_err(str::to_string),
            },
        )
    };
    assert_eq!(arrived(&mut m, Ok("<p>page</p>")), store(Ok("<p>page</p>")));
    assert_eq!(arrived(&mut m, Err("HTTP 503")), store(Err("HTTP 503")));
    key(&mut m, "q");
    assert_eq!(arrived(&mut m, Ok("<p>late</p>")), store(Ok("<p>late</p>")));
}
