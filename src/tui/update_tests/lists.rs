//! Headline lists: marks, unread search, paging through the database, type-ahead, regressions.

use super::articles::open_long_article;
use super::*;
use crate::tui::msg::DbError;

#[test]
fn s_toggles_starred_and_m_toggles_read_then_moves_down() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, false)]);
    assert_eq!(
        key(&mut m, "s"),
        vec![Command::Db(DbRequest::SetStarred {
            ids: vec![100],
            starred: true
        })]
    );
    assert!(m.list().unwrap().rows[0].starred);
    let commands = key(&mut m, "m");
    assert!(commands.contains(&Command::Db(DbRequest::SetRead {
        ids: vec![100],
        read: true
    })));
    assert!(m.list().unwrap().rows[0].read);
    assert_eq!(m.list().unwrap().cursor, 1);
    key(&mut m, "k");
    let commands = key(&mut m, "m");
    assert!(commands.contains(&Command::Db(DbRequest::SetRead {
        ids: vec![100],
        read: false
    })));
}

/// Regression: the feed screen's *Starred* entry showed no count; it shows
/// unread/total like *All items*, kept current by `s` and `m` without waiting
/// for the database.
#[test]
fn s_and_m_keep_the_starred_counts_current() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, true)]);
    let counts = |m: &Model| (m.starred.unread, m.starred.total);
    assert_eq!(counts(&m), (0, 0));
    key(&mut m, "s");
    assert_eq!(counts(&m), (1, 1), "an unread item starred");
    key(&mut m, "m");
    assert_eq!(counts(&m), (0, 1), "the starred item read");
    key(&mut m, "s");
    assert_eq!(counts(&m), (0, 2), "a read item starred");
    key(&mut m, "s");
    assert_eq!(counts(&m), (0, 1), "and unstarred");
    // A star the database refused is taken back, counts too.
    key(&mut m, "k");
    key(&mut m, "m");
    assert_eq!(counts(&m), (1, 1), "marked unread again");
    update(
        &mut m,
        Msg::WriteFailed {
            write: DbRequest::SetStarred {
                ids: vec![100],
                starred: false,
            },
            error: DbError::Other("disk full".into()),
        },
    );
    assert_eq!(
        counts(&m),
        (1, 1),
        "a refused unstar that never showed changes nothing"
    );
    key(&mut m, "k");
    key(&mut m, "s");
    assert_eq!(counts(&m), (0, 0), "unstarred");
    update(
        &mut m,
        Msg::WriteFailed {
            write: DbRequest::SetStarred {
                ids: vec![100],
                starred: false,
            },
            error: DbError::Other("disk full".into()),
        },
    );
    assert_eq!(counts(&m), (1, 1), "the refused unstar taken back");
}

#[test]
fn capital_a_marks_the_list_read() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, false)]);
    let commands = key(&mut m, "A");
    assert_eq!(
        commands,
        vec![Command::Db(DbRequest::MarkAllRead {
            query: ItemQuery {
                feed: Some(1),
                ..Default::default()
            },
            upto: i64::MAX,
        })]
    );
    assert!(m.list().unwrap().rows.iter().all(|r| r.read));
    let commands = update(&mut m, Msg::MarkedAllRead(2));
    assert_eq!(commands, vec![Command::Db(DbRequest::LoadFeeds)]);
    assert!(m.message.as_deref().unwrap().contains('2'));
}

#[test]
fn u_toggles_unread_only_and_reloads_the_list() {
    let mut m = in_list(vec![item(0, 1, false)]);
    let commands = key(&mut m, "u");
    assert!(m.unread_only);
    assert!(commands.iter().any(|c| matches!(c,
        Command::Db(DbRequest::CountItems { query, .. }) if query.unread_only && query.feed == Some(1))));
    // On the feed screen it hides feeds without unread items.
    let mut m = model();
    key(&mut m, "u");
    assert_eq!(m.feed_entries().len(), 5);
}

#[test]
fn n_finds_the_next_unread_and_moves_to_the_next_feed_at_the_end() {
    let mut m = in_list(vec![item(0, 1, true), item(1, 1, false), item(2, 1, true)]);
    key(&mut m, "n");
    assert_eq!(m.list().unwrap().cursor, 1);
    let commands = key(&mut m, "n");
    // Nothing more in feed 1: feed 2 (with unread) opens, searching from its top.
    let list = m.list().unwrap();
    assert_eq!(list.source, ListSource::Feed(2));
    assert!(list.seek.is_some());
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::Db(DbRequest::LoadItems { .. })))
    );
    let generation = list.generation;
    update(
        &mut m,
        Msg::Counted {
            newest: i64::MAX,
            generation,
            total: 2,
        },
    );
    update(
        &mut m,
        Msg::ItemsLoaded {
            newest: i64::MAX,
            generation,
            request: WindowRequest::Top,
            limit: PAGE,
            rows: vec![item(5, 2, true), item(6, 2, false)],
        },
    );
    let list = m.list().unwrap();
    assert_eq!(list.cursor, 1);
    assert!(list.seek.is_none());
}

#[test]
fn n_in_an_article_opens_the_next_unread_article() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, true), item(2, 1, false)]);
    key(&mut m, "enter");
    let commands = key(&mut m, "n");
    assert!(matches!(m.screen, Screen::Article { .. }));
    assert_eq!(m.article().unwrap().id, 102);
    assert!(commands.contains(&Command::Db(DbRequest::LoadArticle(102))));
}

#[test]
fn p_goes_to_the_previous_unread() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, true), item(2, 1, true)]);
    key(&mut m, "G");
    key(&mut m, "p");
    assert_eq!(m.list().unwrap().cursor, 0);
    key(&mut m, "p");
    assert_eq!(m.message.as_deref(), Some("no more unread items"));
}

#[test]
fn n_on_the_feed_screen_opens_the_next_feed_with_unread() {
    let mut m = model();
    key(&mut m, "n");
    assert!(matches!(m.screen, Screen::Headlines(_)));
    assert_eq!(m.list().unwrap().source, ListSource::Feed(1));
}

#[test]
fn stale_generations_are_ignored() {
    let mut m = in_list(vec![item(0, 1, false)]);
    let old = m.list().unwrap().generation;
    key(&mut m, "u");
    let commands = update(
        &mut m,
        Msg::ItemsLoaded {
            newest: i64::MAX,
            generation: old,
            request: WindowRequest::Top,
            limit: PAGE,
            rows: vec![item(9, 1, false)],
        },
    );
    assert!(commands.is_empty());
    assert!(m.list().unwrap().rows.is_empty());
    update(
        &mut m,
        Msg::Counted {
            newest: i64::MAX,
            generation: old,
            total: 50,
        },
    );
    assert_eq!(m.list().unwrap().total, None);
}

#[test]
fn scrolling_a_long_list_pages_through_the_database() {
    let mut m = in_list((0..PAGE as i64).map(|i| item(i, 1, false)).collect());
    let generation = m.list().unwrap().generation;
    update(
        &mut m,
        Msg::Counted {
            newest: i64::MAX,
            generation,
            total: 100_000,
        },
    );
    let mut asked = None;
    for _ in 0..5 {
        for c in key(&mut m, "pagedown") {
            if let Command::Db(DbRequest::LoadItems { request, .. }) = c {
                asked = Some(request);
            }
        }
    }
    assert!(matches!(asked, Some(WindowRequest::After(_))), "{asked:?}");
    let commands = key(&mut m, "G");
    assert!(commands.iter().any(|c| matches!(
        c,
        Command::Db(DbRequest::LoadItems {
            request: WindowRequest::Last,
            ..
        })
    )));
    assert_eq!(m.list().unwrap().cursor, 99_999);
}

#[test]
fn wheel_scrolls_like_j_and_k() {
    let mut m = model();
    update(&mut m, Msg::Wheel(3));
    assert_eq!(m.feed_cursor, 3);
    update(&mut m, Msg::Wheel(-1));
    assert_eq!(m.feed_cursor, 2);
}

#[test]
fn ctrl_z_suspends() {
    let mut m = model();
    assert_eq!(key(&mut m, "ctrl-z"), vec![Command::Suspend]);
}

#[test]
fn errors_and_infos_reach_the_status_and_message_lines() {
    let mut m = model();
    update(&mut m, Msg::Error("database: locked".into()));
    assert_eq!(m.last_error.as_deref(), Some("database: locked"));
    update(&mut m, Msg::Info("hello".into()));
    assert_eq!(m.message.as_deref(), Some("hello"));
    key(&mut m, "j");
    assert_eq!(m.message, None, "a key clears the message");
}

#[test]
fn tiny_resizes_do_not_panic_anywhere() {
    let mut m = in_list((0..30).map(|i| item(i, 1, false)).collect());
    open_long_article(&mut m);
    for (w, h) in [(1, 1), (0, 0), (20, 5), (3, 200), (500, 2)] {
        update(
            &mut m,
            Msg::Resize {
                width: w,
                height: h,
            },
        );
        for k in ["j", "G", "pagedown", "g", "q", "enter"] {
            key(&mut m, k);
        }
    }
}

/// Regression: `G` then `g` before the last page arrived applied the stale last
/// page, then paged backwards from it and mixed the two ends of the list.
/// (`list::tests::an_answer_superseded_by_a_jump_is_not_expected` covers the drop.)
#[test]
fn a_late_answer_to_a_superseded_jump_is_dropped() {
    let mut m = in_list((0..PAGE as i64).map(|i| item(i, 1, false)).collect());
    let generation = m.list().unwrap().generation;
    update(
        &mut m,
        Msg::Counted {
            newest: i64::MAX,
            generation,
            total: 100_000,
        },
    );
    key(&mut m, "G");
    key(&mut m, "g");
    let late = update(
        &mut m,
        Msg::ItemsLoaded {
            newest: i64::MAX,
            generation,
            request: WindowRequest::Last,
            limit: PAGE,
            rows: (99_900..100_000).map(|i| item(i, 1, false)).collect(),
        },
    );
    // `g` waited for the bottom page, then asked for the top; nothing pages backwards.
    assert!(
        late.iter().all(|c| matches!(
            c,
            Command::Db(DbRequest::LoadItems {
                request: WindowRequest::Top,
                ..
            })
        )),
        "{late:?}"
    );
    update(
        &mut m,
        Msg::ItemsLoaded {
            newest: i64::MAX,
            generation,
            request: WindowRequest::Top,
            limit: PAGE,
            rows: (0..PAGE as i64).map(|i| item(i, 1, false)).collect(),
        },
    );
    let list = m.list().unwrap();
    assert_eq!((list.start, list.cursor), (0, 0));
    assert_eq!(list.selected().unwrap().title, "item 0");
}

#[test]
fn enter_on_a_row_still_loading_opens_it_when_it_arrives() {
    let mut m = in_list((0..PAGE as i64).map(|i| item(i, 1, false)).collect());
    let generation = m.list().unwrap().generation;
    update(
        &mut m,
        Msg::Counted {
            newest: i64::MAX,
            generation,
            total: 100_000,
        },
    );
    key(&mut m, "g");
    key(&mut m, "G");
    assert!(key(&mut m, "enter").is_empty());
    assert!(matches!(m.screen, Screen::Headlines(_)));
    let commands = update(
        &mut m,
        Msg::ItemsLoaded {
            newest: i64::MAX,
            generation,
            request: WindowRequest::Last,
            limit: PAGE,
            rows: (99_900..100_000).map(|i| item(i, 1, false)).collect(),
        },
    );
    assert!(matches!(m.screen, Screen::Article { .. }));
    assert!(commands.contains(&Command::Db(DbRequest::LoadArticle(100 + 99_999))));
}

/// Regression: keys typed before the rows arrived acted on an empty list
/// (`Enter j j Enter q` quit instead of opening the third item and coming back).
#[test]
fn keys_typed_ahead_wait_for_the_rows() {
    let mut m = model();
    let mut commands = Vec::new();
    for k in ["enter", "j", "j", "enter"] {
        commands.extend(key(&mut m, k));
    }
    assert!(matches!(m.screen, Screen::Headlines(_)));
    assert_eq!(m.deferred_keys.len(), 3);
    let generation = m.list().unwrap().generation;
    update(
        &mut m,
        Msg::Counted {
            newest: i64::MAX,
            generation,
            total: 5,
        },
    );
    let commands = update(
        &mut m,
        Msg::ItemsLoaded {
            newest: i64::MAX,
            generation,
            request: WindowRequest::Top,
            limit: PAGE,
            rows: (0..5).map(|i| item(i, 1, false)).collect(),
        },
    );
    assert!(matches!(m.screen, Screen::Article { .. }));
    assert!(
        commands.contains(&Command::Db(DbRequest::LoadArticle(102))),
        "{commands:?}"
    );
    assert!(m.deferred_keys.is_empty());
    // Quit does not wait for loading, only for keys typed before it.
    let mut m = model();
    key(&mut m, "enter");
    assert_eq!(key(&mut m, "Q"), vec![Command::Quit]);
    let mut m = model();
    key(&mut m, "enter");
    key(&mut m, "j");
    assert!(key(&mut m, "Q").is_empty());
}
