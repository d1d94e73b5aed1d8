//! Tests of the headline list window (`list.rs`).

use super::*;

fn rows(from: u64, n: u64) -> Vec<ItemRow> {
    (from..from + n)
        .map(|i| ItemRow {
            id: 1_000_000 - i as i64,
            sort_time: 2_000_000_000 - i as i64,
            title: format!("item {i}"),
            ..Default::default()
        })
        .collect()
}

fn list_with(total: u64, loaded: u64) -> HeadlineList {
    let mut list = HeadlineList::new(ListSource::All, ItemQuery::default(), 1);
    list.total = Some(total);
    list.apply_page(WindowRequest::Top, PAGE, rows(0, loaded));
    list.total = Some(total);
    list
}

#[test]
fn moving_near_the_end_asks_for_the_next_page_after_the_last_row() {
    let mut list = list_with(100_000, 100);
    assert_eq!(list.ensure_window(20), None);
    list.move_to(70, 20);
    let cmd = list.ensure_window(20).unwrap();
    let last = list.rows.last().unwrap().cursor();
    assert!(matches!(
        cmd,
        Command::Db(DbRequest::LoadItems { request: WindowRequest::After(c), .. }) if c == last
    ));
    assert_eq!(list.ensure_window(20), None, "one request at a time");
    list.apply_page(WindowRequest::After(last), PAGE, rows(100, 100));
    assert_eq!(list.end(), 200);
    assert_eq!(list.row(150).unwrap().title, "item 150");
}

#[test]
fn window_stays_bounded_while_scrolling_far() {
    let mut list = list_with(100_000, 100);
    for _ in 0..200 {
        list.move_by(50, 20);
        if let Some(Command::Db(DbRequest::LoadItems { request, limit, .. })) =
            list.ensure_window(20)
        {
            let from = list.end();
            list.apply_page(request, limit, rows(from, limit as u64));
        }
    }
    assert!(list.rows.len() <= MAX_WINDOW + MAX_LIMIT);
    assert!(list.rows.len() <= MAX_WINDOW, "{}", list.rows.len());
    let cursor = list.cursor;
    assert_eq!(list.selected().unwrap().title, format!("item {cursor}"));
}

#[test]
fn bottom_reads_the_last_page_directly() {
    let mut list = list_with(100_000, 100);
    let cmd = list.jump_to_bottom(20).unwrap();
    assert!(matches!(
        cmd,
        Command::Db(DbRequest::LoadItems {
            request: WindowRequest::Last,
            ..
        })
    ));
    list.apply_page(WindowRequest::Last, PAGE, rows(99_900, 100));
    assert_eq!(list.start, 99_900);
    assert_eq!(list.selected().unwrap().title, "item 99999");
    // Scrolling up from the bottom pages backwards.
    list.move_by(-80, 20);
    let cmd = list.ensure_window(20).unwrap();
    assert!(matches!(
        cmd,
        Command::Db(DbRequest::LoadItems {
            request: WindowRequest::Before(_),
            ..
        })
    ));
    list.apply_page(WindowRequest::Before((0, 0)), PAGE, rows(99_800, 100));
    assert_eq!(list.start, 99_800);
    assert_eq!(list.row(99_850).unwrap().title, "item 99850");
}

#[test]
fn an_answer_superseded_by_a_jump_is_not_expected() {
    let mut list = list_with(100_000, 100);
    list.jump_to_bottom(20).unwrap();
    list.jump_to_top(20).unwrap();
    assert!(!list.expects(WindowRequest::Last, PAGE));
    assert!(list.expects(WindowRequest::Top, PAGE));
}

#[test]
fn a_short_page_fixes_the_total() {
    let mut list = HeadlineList::new(ListSource::All, ItemQuery::default(), 1);
    list.apply_page(WindowRequest::Top, PAGE, rows(0, 7));
    assert_eq!(list.total, Some(7));
    list.move_to(100, 20);
    assert_eq!(list.cursor, 6);
}

#[test]
fn find_unread_searches_forward_and_asks_for_more() {
    let mut list = list_with(300, 100);
    for r in &mut list.rows {
        r.read = true;
    }
    list.rows[5].read = false;
    let seek = Seek {
        forward: true,
        inclusive: false,
        open: false,
    };
    assert_eq!(list.find_unread(seek), Found::At(5));
    list.cursor = 5;
    assert_eq!(list.find_unread(seek), Found::NeedMore);
    let back = Seek {
        forward: false,
        ..seek
    };
    list.cursor = 50;
    assert_eq!(list.find_unread(back), Found::At(5));
    list.cursor = 5;
    assert_eq!(list.find_unread(back), Found::None);
}
