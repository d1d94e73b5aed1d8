//! Next / previous feed from a list or an article (`J`, `K`, `Ctrl-n`, `Ctrl-p`):
//! the feed screen's order, its unread-only filter, the ends, other kinds of list.

use super::*;
use crate::tui::model::TagCount;

fn source(m: &Model) -> Option<ListSource> {
    m.list().map(|l| l.source.clone())
}

/// Answers the open list's count and first page (one unread item), as the
/// database would: keys typed while a list loads wait for it.
fn settle(m: &mut Model) {
    let Some(list) = m.list() else { return };
    let generation = list.generation;
    // A search list asks for its page by rank, the others from the top.
    let (request, limit) = list.in_flight.unwrap_or((WindowRequest::Top, PAGE));
    let feed_id = match list.source {
        ListSource::Feed(id) => id,
        _ => 1,
    };
    update(
        m,
        Msg::Counted {
            newest: i64::MAX,
            generation,
            total: 1,
        },
    );
    update(
        m,
        Msg::ItemsLoaded {
            newest: i64::MAX,
            generation,
            request,
            limit,
            rows: vec![item(feed_id * 10, feed_id, false)],
        },
    );
}

/// Feeds loaded again with these (id, unread) counts, titles as in `model()`.
fn counts(m: &mut Model, unread: [u64; 3]) {
    update(
        m,
        Msg::FeedsLoaded {
            newest: i64::MAX,
            feeds: vec![
                feed(1, "One", unread[0], 3),
                feed(2, "Two", unread[1], 2),
                feed(3, "Three", unread[2], 1),
            ],
            unread: unread.iter().sum(),
            starred: Default::default(),
            tags: Vec::new(),
        },
    );
}

#[test]
fn shift_j_opens_the_next_feeds_list_and_shift_k_comes_back() {
    let mut m = in_list(vec![item(0, 1, false)]);
    let commands = key(&mut m, "J");
    settle(&mut m);
    assert_eq!(source(&m), Some(ListSource::Feed(2)));
    assert!(matches!(m.screen, Screen::Headlines(_)));
    let generation = m.list().unwrap().generation;
    assert!(commands.contains(&Command::Db(DbRequest::CountItems {
        generation,
        query: ItemQuery {
            feed: Some(2),
            ..Default::default()
        }
    })));
    // Back lands on the feed being read.
    assert_eq!(m.feed_cursor, 4);
    key(&mut m, "K");
    settle(&mut m);
    assert_eq!(source(&m), Some(ListSource::Feed(1)));
    assert_eq!(m.feed_cursor, 3);
}

#[test]
fn at_either_end_a_message_and_no_wrap() {
    let mut m = in_list(vec![item(0, 1, false)]);
    let generation = m.list().unwrap().generation;
    assert!(key(&mut m, "K").is_empty());
    assert_eq!(m.message.as_deref(), Some("already on the first feed"));
    assert_eq!(m.list().unwrap().generation, generation, "the list stays");
    key(&mut m, "J");
    settle(&mut m);
    key(&mut m, "J");
    settle(&mut m);
    assert_eq!(source(&m), Some(ListSource::Feed(3)));
    assert!(key(&mut m, "J").is_empty());
    assert_eq!(m.message.as_deref(), Some("already on the last feed"));
    assert_eq!(source(&m), Some(ListSource::Feed(3)));
}

#[test]
fn unread_only_skips_the_feeds_the_feed_screen_hides() {
    let mut m = in_list(vec![item(0, 1, false)]);
    key(&mut m, "u");
    settle(&mut m);
    assert!(m.unread_only);
    counts(&mut m, [2, 0, 1]);
    let commands = key(&mut m, "J");
    settle(&mut m);
    assert_eq!(
        source(&m),
        Some(ListSource::Feed(3)),
        "Two has nothing unread"
    );
    let generation = m.list().unwrap().generation;
    assert!(
        commands.contains(&Command::Db(DbRequest::CountItems {
            generation,
            query: ItemQuery {
                feed: Some(3),
                unread_only: true,
                ..Default::default()
            }
        })),
        "the list keeps unread-only: {commands:?}"
    );
    // The list open is hidden now (all read): K still steps from its place.
    counts(&mut m, [2, 0, 0]);
    key(&mut m, "K");
    settle(&mut m);
    assert_eq!(source(&m), Some(ListSource::Feed(1)));
    assert_eq!(m.feed_cursor, 3);
}

#[test]
fn from_the_article_the_next_feeds_list_opens() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, false)]);
    key(&mut m, "enter");
    assert!(m.article().is_some());
    key(&mut m, "J");
    settle(&mut m);
    assert!(
        matches!(m.screen, Screen::Headlines(_)),
        "the article closes"
    );
    assert_eq!(source(&m), Some(ListSource::Feed(2)));
    key(&mut m, "enter");
    key(&mut m, "K");
    settle(&mut m);
    assert_eq!(source(&m), Some(ListSource::Feed(1)));
}

#[test]
fn ctrl_n_opens_the_next_feed_with_unread_items_and_wraps() {
    let mut m = in_list(vec![item(0, 1, false)]);
    counts(&mut m, [2, 0, 1]);
    key(&mut m, "ctrl-n");
    assert_eq!(source(&m), Some(ListSource::Feed(3)), "Two is skipped");
    assert!(
        m.list().unwrap().seek.is_some(),
        "it opens at its first unread"
    );
    settle(&mut m);
    key(&mut m, "ctrl-n");
    settle(&mut m);
    assert_eq!(source(&m), Some(ListSource::Feed(1)), "wrapped around");
    key(&mut m, "ctrl-p");
    settle(&mut m);
    assert_eq!(source(&m), Some(ListSource::Feed(3)), "wrapped back");
    counts(&mut m, [0, 0, 0]);
    let generation = m.list().unwrap().generation;
    key(&mut m, "ctrl-n");
    settle(&mut m);
    assert_eq!(m.message.as_deref(), Some("no feed with unread items"));
    assert_eq!(m.list().unwrap().generation, generation);
}

#[test]
fn a_tag_list_steps_to_the_next_tag_and_a_typed_search_says_why_not() {
    let mut m = model();
    let tag = |name: &str, unread| TagCount {
        name: name.into(),
        unread,
        total: 5,
    };
    update(
        &mut m,
        Msg::FeedsLoaded {
            newest: i64::MAX,
            feeds: vec![feed(1, "One", 2, 3)],
            unread: 2,
            starred: Default::default(),
            tags: vec![tag("news", 1), tag("tech", 0), tag("fa", 2)],
        },
    );
    m.feed_cursor = 3;
    key(&mut m, "enter");
    settle(&mut m);
    assert_eq!(source(&m), Some(ListSource::Tag("news".into())));
    key(&mut m, "J");
    settle(&mut m);
    assert_eq!(source(&m), Some(ListSource::Tag("tech".into())));
    key(&mut m, "J");
    settle(&mut m);
    assert_eq!(source(&m), Some(ListSource::Tag("fa".into())));
    key(&mut m, "J");
    settle(&mut m);
    assert_eq!(
        source(&m),
        Some(ListSource::Tag("fa".into())),
        "not into the feeds"
    );
    assert_eq!(
        m.message.as_deref(),
        Some("already on the last of these on the feed screen")
    );
    // A search typed with `/` has no row on the feed screen.
    m.screen = Screen::Feeds;
    update(&mut m, Msg::Key(Key::parse("/").unwrap()));
    for c in ["w", "o", "r", "d", "esc"] {
        key(&mut m, c);
    }
    assert!(matches!(source(&m), Some(ListSource::Search(_))));
    settle(&mut m);
    key(&mut m, "J");
    assert!(
        m.message
            .as_deref()
            .is_some_and(|t| t.starts_with("this list is not on the feed screen")),
        "{:?}",
        m.message
    );
}
