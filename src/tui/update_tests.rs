//! Unit tests of `update`: one or more per key and per message.

use crate::refresh::{FeedOutcome, RefreshEvent, RefreshSummary, RefreshTarget};
use crate::store::{FeedRow, ItemDetail, ItemQuery, ItemRow, UpdateStats};
use crate::text::LayoutOptions;

use super::keymap::{Key, Keymap};
use super::list::PAGE;
use super::model::{DateStyle, ListSource, Model, Screen};
use super::msg::{Command, Msg, WindowRequest};
use super::update::update;

fn key(model: &mut Model, k: &str) -> Vec<Command> {
    update(model, Msg::Key(Key::parse(k).unwrap()))
}

fn feed(id: i64, title: &str, unread: u64, total: u64) -> FeedRow {
    FeedRow {
        id,
        url: format!("http://127.0.0.1/{id}.xml"),
        title: title.into(),
        enabled: true,
        unread,
        total,
        ..Default::default()
    }
}

fn item(i: i64, feed_id: i64, read: bool) -> ItemRow {
    ItemRow {
        id: 100 + i,
        feed_id,
        feed_title: format!("feed {feed_id}"),
        title: format!("item {i}"),
        link: Some(format!("http://127.0.0.1/item/{i}")),
        sort_time: 1_700_000_000 - i,
        read,
        ..Default::default()
    }
}

fn model() -> Model {
    let mut m = Model::new(
        Keymap::default(),
        LayoutOptions::default(),
        DateStyle::default(),
    );
    update(
        &mut m,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    update(
        &mut m,
        Msg::FeedsLoaded {
            feeds: vec![
                feed(1, "One", 2, 3),
                feed(2, "Two", 1, 2),
                feed(3, "Three", 0, 1),
            ],
            unread: 3,
        },
    );
    m
}

/// A model showing the list of feed 1 with `rows` loaded.
fn in_list(rows: Vec<ItemRow>) -> Model {
    let mut m = model();
    m.feed_cursor = 3;
    let commands = key(&mut m, "enter");
    let generation = m.list.as_ref().unwrap().generation;
    assert!(commands.contains(&Command::CountItems {
        generation,
        query: ItemQuery {
            feed: Some(1),
            ..Default::default()
        }
    }));
    update(
        &mut m,
        Msg::Counted {
            generation,
            total: rows.len() as u64,
        },
    );
    update(
        &mut m,
        Msg::ItemsLoaded {
            generation,
            request: WindowRequest::Top,
            limit: PAGE,
            rows,
        },
    );
    m
}

#[test]
fn movement_keys_move_the_feed_cursor() {
    let mut m = model();
    key(&mut m, "j");
    key(&mut m, "down");
    assert_eq!(m.feed_cursor, 2);
    key(&mut m, "k");
    assert_eq!(m.feed_cursor, 1);
    key(&mut m, "G");
    assert_eq!(m.feed_cursor, 5);
    key(&mut m, "g");
    assert_eq!(m.feed_cursor, 0);
    key(&mut m, "pagedown");
    assert_eq!(m.feed_cursor, 5);
    key(&mut m, "ctrl-u");
    assert_eq!(m.feed_cursor, 0);
}

#[test]
fn enter_on_a_virtual_entry_opens_its_list() {
    let mut m = model();
    key(&mut m, "j");
    let commands = key(&mut m, "enter");
    assert_eq!(m.screen, Screen::Headlines);
    let list = m.list.as_ref().unwrap();
    assert_eq!(list.source, ListSource::Unread);
    assert!(commands.iter().any(|c| matches!(c,
        Command::LoadItems { request: WindowRequest::Top, query, .. } if query.unread_only)));
}

#[test]
fn back_from_feeds_quits_and_capital_q_quits_anywhere() {
    let mut m = model();
    assert_eq!(key(&mut m, "q"), vec![Command::Quit]);
    assert!(m.quit);
    let mut m = in_list(vec![item(0, 1, false)]);
    assert_eq!(key(&mut m, "Q"), vec![Command::Quit]);
}

#[test]
fn help_opens_scrolls_and_closes() {
    let mut m = model();
    key(&mut m, "?");
    assert_eq!(m.help, Some(0));
    key(&mut m, "j");
    assert_eq!(m.feed_cursor, 0, "keys go to the help screen");
    key(&mut m, "esc");
    assert_eq!(m.help, None);
    assert!(!m.quit);
}

#[test]
fn r_refreshes_the_selected_feed_and_capital_r_all() {
    let mut m = model();
    m.feed_cursor = 4;
    let commands = key(&mut m, "r");
    assert_eq!(
        commands,
        vec![Command::Refresh(vec![RefreshTarget {
            feed_id: 2,
            url: "http://127.0.0.1/2.xml".into()
        }])]
    );
    let commands = key(&mut m, "R");
    assert!(commands.is_empty(), "one refresh at a time");
    assert_eq!(m.message.as_deref(), Some("a refresh is already running"));
    m.refresh = None;
    let commands = key(&mut m, "R");
    assert!(matches!(&commands[..], [Command::Refresh(t)] if t.len() == 3));
}

#[test]
fn refresh_events_update_progress_errors_and_reload() {
    let mut m = in_list(vec![item(0, 1, false)]);
    update(&mut m, Msg::Refresh(RefreshEvent::Started { total: 3 }));
    update(
        &mut m,
        Msg::Refresh(RefreshEvent::FeedDone {
            feed_id: 2,
            url: "http://x/2".into(),
            outcome: FeedOutcome::Failed("HTTP 500".into()),
            done: 1,
            total: 3,
        }),
    );
    assert_eq!(m.refresh.unwrap().done, 1);
    assert!(m.last_error.as_deref().unwrap().contains("HTTP 500"));
    update(
        &mut m,
        Msg::Refresh(RefreshEvent::FeedDone {
            feed_id: 1,
            url: "http://x/1".into(),
            outcome: FeedOutcome::Updated(UpdateStats {
                new_items: 2,
                changed_items: 0,
            }),
            done: 2,
            total: 3,
        }),
    );
    assert!(m.stale);
    let commands = update(&mut m, Msg::Tick { now: 10 });
    assert!(commands.contains(&Command::LoadFeeds));
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::LoadItems { .. }))
    );
    assert_eq!(
        m.list.as_ref().unwrap().rows.len(),
        1,
        "rows stay on screen while the list is read again"
    );
    let commands = update(
        &mut m,
        Msg::Refresh(RefreshEvent::Finished(RefreshSummary {
            feeds: 3,
            updated: 1,
            unchanged: 1,
            failed: 1,
            new_items: 2,
        })),
    );
    assert!(m.refresh.is_none());
    assert!(commands.contains(&Command::LoadFeeds));
    assert!(m.message.as_deref().unwrap().contains("2 new"));
}

#[test]
fn refresh_failing_to_start_clears_progress() {
    let mut m = model();
    key(&mut m, "R");
    update(&mut m, Msg::RefreshFailed("no network".into()));
    assert!(m.refresh.is_none());
    assert!(m.last_error.as_deref().unwrap().contains("no network"));
}

#[test]
fn refresh_interval_fires_on_tick() {
    let mut m = model();
    m.refresh_interval_minutes = 1;
    assert!(update(&mut m, Msg::Tick { now: 1000 }).is_empty());
    assert!(update(&mut m, Msg::Tick { now: 1030 }).is_empty());
    let commands = update(&mut m, Msg::Tick { now: 1061 });
    assert!(matches!(&commands[..], [Command::Refresh(_)]));
}

#[test]
fn open_article_marks_read_and_lays_out() {
    let mut m = in_list(vec![item(0, 1, true), item(1, 1, false)]);
    key(&mut m, "j");
    let commands = key(&mut m, "enter");
    assert_eq!(m.screen, Screen::Article);
    assert_eq!(
        commands,
        vec![
            Command::LoadArticle(101),
            Command::SetRead {
                ids: vec![101],
                read: true
            }
        ]
    );
    assert!(m.list.as_ref().unwrap().rows[1].read);
    assert_eq!(m.feeds[0].unread, 1);
    assert_eq!(m.unread_total, 2);
    let detail = ItemDetail {
        row: item(1, 1, true),
        content_html: Some("<p>body</p>".into()),
        ..Default::default()
    };
    update(
        &mut m,
        Msg::ArticleLoaded {
            id: 101,
            detail: Some(Box::new(detail)),
        },
    );
    let article = m.article.as_ref().unwrap();
    assert!(!article.lines.is_empty());
    assert_eq!(article.laid_width, 80);
    key(&mut m, "q");
    assert_eq!(m.screen, Screen::Headlines);
    key(&mut m, "q");
    assert_eq!(m.screen, Screen::Feeds);
}

#[test]
fn article_loaded_for_another_item_is_ignored() {
    let mut m = in_list(vec![item(0, 1, false)]);
    key(&mut m, "enter");
    update(
        &mut m,
        Msg::ArticleLoaded {
            id: 999,
            detail: Some(Box::default()),
        },
    );
    assert!(m.article.as_ref().unwrap().detail.is_none());
    update(
        &mut m,
        Msg::ArticleLoaded {
            id: 100,
            detail: None,
        },
    );
    assert!(m.article.as_ref().unwrap().missing);
}

fn open_long_article(m: &mut Model) {
    key(m, "enter");
    // Many links make many lines whatever the HTML converter does with the body.
    let detail = ItemDetail {
        row: item(0, 1, true),
        content_html: Some("<p>body</p>".into()),
        enclosures: (0..100)
            .map(|i| crate::feed::Enclosure {
                url: format!("http://e/{i}"),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let id = m.article.as_ref().unwrap().id;
    update(
        m,
        Msg::ArticleLoaded {
            id,
            detail: Some(Box::new(detail)),
        },
    );
}

#[test]
fn space_pages_the_article_and_resize_lays_out_again() {
    let mut m = in_list(vec![item(0, 1, false)]);
    open_long_article(&mut m);
    key(&mut m, "space");
    assert_eq!(m.article.as_ref().unwrap().scroll, m.body_height());
    key(&mut m, "k");
    assert_eq!(m.article.as_ref().unwrap().scroll, m.body_height() - 1);
    key(&mut m, "G");
    let a = m.article.as_ref().unwrap();
    assert_eq!(a.scroll, a.lines.len() - m.body_height());
    update(
        &mut m,
        Msg::Resize {
            width: 40,
            height: 12,
        },
    );
    assert_eq!(m.article.as_ref().unwrap().laid_width, 40);
}

#[test]
fn digits_then_o_open_link_n_and_other_keys_cancel_the_count() {
    let mut m = in_list(vec![item(0, 1, false)]);
    key(&mut m, "enter");
    let detail = ItemDetail {
        row: item(0, 1, true),
        enclosures: vec![
            crate::feed::Enclosure {
                url: "http://e/1".into(),
                ..Default::default()
            },
            crate::feed::Enclosure {
                url: "http://e/2".into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    update(
        &mut m,
        Msg::ArticleLoaded {
            id: 100,
            detail: Some(Box::new(detail)),
        },
    );
    let links = m.article.as_ref().unwrap().links.clone();
    assert!(links.len() >= 2, "{links:?}");
    key(&mut m, "2");
    assert_eq!(m.count, Some(2));
    let commands = key(&mut m, "o");
    assert_eq!(commands, vec![Command::OpenUrl(links[1].clone())]);
    assert_eq!(m.count, None);
    key(&mut m, "9");
    key(&mut m, "9");
    assert_eq!(m.count, Some(99));
    assert!(key(&mut m, "o").is_empty());
    assert!(m.message.as_deref().unwrap().contains("no link [99]"));
    key(&mut m, "1");
    key(&mut m, "x");
    assert_eq!(m.count, None);
    assert_eq!(
        key(&mut m, "o"),
        vec![Command::OpenUrl("http://127.0.0.1/item/0".into())]
    );
    assert_eq!(
        key(&mut m, "y"),
        vec![Command::Copy("http://127.0.0.1/item/0".into())]
    );
}

#[test]
fn o_and_y_in_the_list_use_the_item_link() {
    let mut m = in_list(vec![item(0, 1, false)]);
    assert_eq!(
        key(&mut m, "o"),
        vec![Command::OpenUrl("http://127.0.0.1/item/0".into())]
    );
    assert_eq!(
        key(&mut m, "y"),
        vec![Command::Copy("http://127.0.0.1/item/0".into())]
    );
}

#[test]
fn s_toggles_starred_and_m_toggles_read_then_moves_down() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, false)]);
    assert_eq!(
        key(&mut m, "s"),
        vec![Command::SetStarred {
            ids: vec![100],
            starred: true
        }]
    );
    assert!(m.list.as_ref().unwrap().rows[0].starred);
    let commands = key(&mut m, "m");
    assert!(commands.contains(&Command::SetRead {
        ids: vec![100],
        read: true
    }));
    assert!(m.list.as_ref().unwrap().rows[0].read);
    assert_eq!(m.list.as_ref().unwrap().cursor, 1);
    key(&mut m, "k");
    let commands = key(&mut m, "m");
    assert!(commands.contains(&Command::SetRead {
        ids: vec![100],
        read: false
    }));
}

#[test]
fn capital_a_marks_the_list_read() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, false)]);
    let commands = key(&mut m, "A");
    assert_eq!(
        commands,
        vec![Command::MarkAllRead(ItemQuery {
            feed: Some(1),
            ..Default::default()
        })]
    );
    assert!(m.list.as_ref().unwrap().rows.iter().all(|r| r.read));
    let commands = update(&mut m, Msg::MarkedAllRead(2));
    assert_eq!(commands, vec![Command::LoadFeeds]);
    assert!(m.message.as_deref().unwrap().contains('2'));
}

#[test]
fn u_toggles_unread_only_and_reloads_the_list() {
    let mut m = in_list(vec![item(0, 1, false)]);
    let commands = key(&mut m, "u");
    assert!(m.unread_only);
    assert!(commands.iter().any(|c| matches!(c,
        Command::CountItems { query, .. } if query.unread_only && query.feed == Some(1))));
    // On the feed screen it hides feeds without unread items.
    let mut m = model();
    key(&mut m, "u");
    assert_eq!(m.feed_entries().len(), 5);
}

#[test]
fn n_finds_the_next_unread_and_moves_to_the_next_feed_at_the_end() {
    let mut m = in_list(vec![item(0, 1, true), item(1, 1, false), item(2, 1, true)]);
    key(&mut m, "n");
    assert_eq!(m.list.as_ref().unwrap().cursor, 1);
    let commands = key(&mut m, "n");
    // Nothing more in feed 1: feed 2 (with unread) opens, searching from its top.
    let list = m.list.as_ref().unwrap();
    assert_eq!(list.source, ListSource::Feed(2));
    assert!(list.seek.is_some());
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::LoadItems { .. }))
    );
    let generation = list.generation;
    update(
        &mut m,
        Msg::Counted {
            generation,
            total: 2,
        },
    );
    update(
        &mut m,
        Msg::ItemsLoaded {
            generation,
            request: WindowRequest::Top,
            limit: PAGE,
            rows: vec![item(5, 2, true), item(6, 2, false)],
        },
    );
    let list = m.list.as_ref().unwrap();
    assert_eq!(list.cursor, 1);
    assert!(list.seek.is_none());
}

#[test]
fn n_in_an_article_opens_the_next_unread_article() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, true), item(2, 1, false)]);
    key(&mut m, "enter");
    let commands = key(&mut m, "n");
    assert_eq!(m.screen, Screen::Article);
    assert_eq!(m.article.as_ref().unwrap().id, 102);
    assert!(commands.contains(&Command::LoadArticle(102)));
}

#[test]
fn p_goes_to_the_previous_unread() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, true), item(2, 1, true)]);
    key(&mut m, "G");
    key(&mut m, "p");
    assert_eq!(m.list.as_ref().unwrap().cursor, 0);
    key(&mut m, "p");
    assert_eq!(m.message.as_deref(), Some("no more unread items"));
}

#[test]
fn n_on_the_feed_screen_opens_the_next_feed_with_unread() {
    let mut m = model();
    key(&mut m, "n");
    assert_eq!(m.screen, Screen::Headlines);
    assert_eq!(m.list.as_ref().unwrap().source, ListSource::Feed(1));
}

#[test]
fn stale_generations_are_ignored() {
    let mut m = in_list(vec![item(0, 1, false)]);
    let old = m.list.as_ref().unwrap().generation;
    key(&mut m, "u");
    let commands = update(
        &mut m,
        Msg::ItemsLoaded {
            generation: old,
            request: WindowRequest::Top,
            limit: PAGE,
            rows: vec![item(9, 1, false)],
        },
    );
    assert!(commands.is_empty());
    assert!(m.list.as_ref().unwrap().rows.is_empty());
    update(
        &mut m,
        Msg::Counted {
            generation: old,
            total: 50,
        },
    );
    assert_eq!(m.list.as_ref().unwrap().total, None);
}

#[test]
fn scrolling_a_long_list_pages_through_the_database() {
    let mut m = in_list((0..PAGE as i64).map(|i| item(i, 1, false)).collect());
    let generation = m.list.as_ref().unwrap().generation;
    update(
        &mut m,
        Msg::Counted {
            generation,
            total: 100_000,
        },
    );
    let mut asked = None;
    for _ in 0..5 {
        for c in key(&mut m, "pagedown") {
            if let Command::LoadItems { request, .. } = c {
                asked = Some(request);
            }
        }
    }
    assert!(matches!(asked, Some(WindowRequest::After(_))), "{asked:?}");
    let commands = key(&mut m, "G");
    assert!(commands.iter().any(|c| matches!(
        c,
        Command::LoadItems {
            request: WindowRequest::Last,
            ..
        }
    )));
    assert_eq!(m.list.as_ref().unwrap().cursor, 99_999);
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
    let generation = m.list.as_ref().unwrap().generation;
    update(
        &mut m,
        Msg::Counted {
            generation,
            total: 100_000,
        },
    );
    key(&mut m, "G");
    key(&mut m, "g");
    let late = update(
        &mut m,
        Msg::ItemsLoaded {
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
            Command::LoadItems {
                request: WindowRequest::Top,
                ..
            }
        )),
        "{late:?}"
    );
    update(
        &mut m,
        Msg::ItemsLoaded {
            generation,
            request: WindowRequest::Top,
            limit: PAGE,
            rows: (0..PAGE as i64).map(|i| item(i, 1, false)).collect(),
        },
    );
    let list = m.list.as_ref().unwrap();
    assert_eq!((list.start, list.cursor), (0, 0));
    assert_eq!(list.selected().unwrap().title, "item 0");
}

#[test]
fn enter_on_a_row_still_loading_opens_it_when_it_arrives() {
    let mut m = in_list((0..PAGE as i64).map(|i| item(i, 1, false)).collect());
    let generation = m.list.as_ref().unwrap().generation;
    update(
        &mut m,
        Msg::Counted {
            generation,
            total: 100_000,
        },
    );
    key(&mut m, "g");
    key(&mut m, "G");
    assert!(key(&mut m, "enter").is_empty());
    assert_eq!(m.screen, Screen::Headlines);
    let commands = update(
        &mut m,
        Msg::ItemsLoaded {
            generation,
            request: WindowRequest::Last,
            limit: PAGE,
            rows: (99_900..100_000).map(|i| item(i, 1, false)).collect(),
        },
    );
    assert_eq!(m.screen, Screen::Article);
    assert!(commands.contains(&Command::LoadArticle(100 + 99_999)));
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
    assert_eq!(m.screen, Screen::Headlines);
    assert_eq!(m.deferred_keys.len(), 3);
    let generation = m.list.as_ref().unwrap().generation;
    update(
        &mut m,
        Msg::Counted {
            generation,
            total: 5,
        },
    );
    let commands = update(
        &mut m,
        Msg::ItemsLoaded {
            generation,
            request: WindowRequest::Top,
            limit: PAGE,
            rows: (0..5).map(|i| item(i, 1, false)).collect(),
        },
    );
    assert_eq!(m.screen, Screen::Article);
    assert!(
        commands.contains(&Command::LoadArticle(102)),
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
    assert!(!m.quit);
}
