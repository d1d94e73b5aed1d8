//! Regressions for the bugs QA found (T2, T4, T5, T7, T10 in qa-bugs.md).

use super::*;

#[test]
fn t2_feed_list_scroll_is_clamped_when_the_terminal_grows() {
    let mut m = model();
    update(
        &mut m,
        Msg::Resize {
            width: 20,
            height: 5,
        },
    );
    for _ in 0..5 {
        key(&mut m, "j");
    }
    assert_eq!(m.feed_cursor, 5);
    assert!(m.feed_scroll > 0, "the small screen scrolled");
    update(
        &mut m,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    assert_eq!(
        m.feed_scroll, 0,
        "six entries fit: the list starts at the top"
    );
    assert_eq!(m.feed_cursor, 5);
}

#[test]
fn t4_feed_cursor_follows_its_feed_when_the_list_is_read_again() {
    let mut m = model();
    key(&mut m, "G");
    assert_eq!(m.feed_entries().len(), 6);
    // A feed whose title sorts first is added elsewhere; the list is read again.
    update(
        &mut m,
        Msg::FeedsLoaded {
            newest: i64::MAX,
            feeds: vec![
                feed(4, "Alpha", 1, 1),
                feed(1, "One", 2, 3),
                feed(2, "Two", 1, 2),
                feed(3, "Three", 0, 1),
            ],
            unread: 4,
            starred: Default::default(),
            tags: Vec::new(),
        },
    );
    assert_eq!(m.feed_cursor, 6);
    assert_eq!(m.selected_feed_id(), Some(3));
    // The selected feed removed: the cursor stays in place (clamped).
    update(
        &mut m,
        Msg::FeedsLoaded {
            newest: i64::MAX,
            feeds: vec![feed(4, "Alpha", 1, 1), feed(1, "One", 2, 3)],
            unread: 3,
            starred: Default::default(),
            tags: Vec::new(),
        },
    );
    assert_eq!(m.feed_cursor, 4);
    // A virtual entry stays selected.
    key(&mut m, "g");
    key(&mut m, "j");
    update(
        &mut m,
        Msg::FeedsLoaded {
            newest: i64::MAX,
            feeds: vec![feed(1, "One", 2, 3)],
            unread: 2,
            starred: Default::default(),
            tags: Vec::new(),
        },
    );
    assert_eq!(m.feed_cursor, 1);
}

#[test]
fn t5_u_keeps_the_cursor_on_the_same_item() {
    let mut m = in_list(vec![item(0, 1, true), item(1, 1, false), item(2, 1, false)]);
    key(&mut m, "j");
    key(&mut m, "j");
    assert_eq!(m.list().unwrap().selected().unwrap().id, 102);
    key(&mut m, "u");
    let generation = m.list().unwrap().generation;
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
            rows: vec![item(1, 1, false), item(2, 1, false)],
        },
    );
    let list = m.list().unwrap();
    assert_eq!(list.selected().unwrap().id, 102);
    assert_eq!(list.cursor, 1);
    // Back to everything: still on it.
    key(&mut m, "u");
    let generation = m.list().unwrap().generation;
    update(
        &mut m,
        Msg::Counted {
            newest: i64::MAX,
            generation,
            total: 3,
        },
    );
    update(
        &mut m,
        Msg::ItemsLoaded {
            newest: i64::MAX,
            generation,
            request: WindowRequest::Top,
            limit: PAGE,
            rows: vec![item(0, 1, true), item(1, 1, false), item(2, 1, false)],
        },
    );
    assert_eq!(m.list().unwrap().selected().unwrap().id, 102);
}

#[test]
fn t5_u_on_an_item_that_leaves_the_list_selects_a_row_that_exists() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, false), item(2, 1, true)]);
    key(&mut m, "G");
    key(&mut m, "u");
    let generation = m.list().unwrap().generation;
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
            rows: vec![item(0, 1, false), item(1, 1, false)],
        },
    );
    let list = m.list().unwrap();
    assert!(list.selected().is_some());
    assert!(list.cursor < 2);
}

fn finished(feeds: usize, new_items: u64, failed: usize) -> Msg {
    Msg::Refresh(RefreshEvent::Finished(RefreshSummary {
        feeds,
        updated: 0,
        unchanged: 0,
        failed,
        disk_full: 0,
        new_items,
        ignored: 0,
    }))
}

#[test]
fn t7_refresh_message_says_1_new_item() {
    let mut m = model();
    update(&mut m, finished(7, 1, 2));
    assert_eq!(
        m.message.as_deref(),
        Some("refreshed 7 feeds: 1 new item, 2 failed")
    );
    update(&mut m, Msg::MarkedAllRead(1));
    assert_eq!(m.message.as_deref(), Some("marked 1 item read"));
    update(&mut m, Msg::MarkedAllRead(3));
    assert_eq!(m.message.as_deref(), Some("marked 3 items read"));
}

#[test]
fn t10_refresh_message_says_1_feed() {
    let mut m = model();
    update(&mut m, finished(1, 0, 0));
    assert_eq!(
        m.message.as_deref(),
        Some("refreshed 1 feed: 0 new items, 0 failed")
    );
}

fn resize(m: &mut Model, width: u16, height: u16) {
    update(m, Msg::Resize { width, height });
}

/// At 40×12, `G` to an article's end, then the window made 100×30: the
/// article showed its last line under the header and the rest of the screen
/// blank, though the lines above it now had room (the same with only a
/// taller window, whose width lays out nothing again).
#[test]
fn an_article_read_to_its_end_fills_a_window_made_bigger() {
    for (width, height) in [(100, 30), (40, 30)] {
        let mut m = in_list(vec![item(0, 1, false)]);
        resize(&mut m, 40, 12);
        super::articles::open_long_article(&mut m);
        key(&mut m, "G");
        assert!(m.article().unwrap().scroll > 0);
        resize(&mut m, width, height);
        let a = m.article().unwrap();
        assert_eq!(
            a.scroll,
            a.lines.len().saturating_sub(m.body_height()),
            "{width}×{height}: the last line at the bottom, the screen full"
        );
    }
}

/// The help at 40×12 scrolled to its end, then the window made 100×30: ten
/// rows of help and eighteen blank ones, until `k` was pressed.
#[test]
fn the_help_scrolled_to_its_end_fills_a_window_made_bigger() {
    let mut m = model();
    resize(&mut m, 40, 12);
    key(&mut m, "?");
    key(&mut m, "G");
    let rows = super::super::help::rows(&m).len();
    let Some(Overlay::Help { scroll }) = m.overlay else {
        panic!("help is open");
    };
    assert_eq!(scroll, rows - m.body_height());
    resize(&mut m, 100, 30);
    let Some(Overlay::Help { scroll }) = m.overlay else {
        panic!("help is still open");
    };
    assert_eq!(scroll, rows.saturating_sub(m.body_height()));
}
