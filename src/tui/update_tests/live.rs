//! Another process committed to the database (`Msg::DatabaseChanged`: a cron
//! `khabar refresh`, `khabar mark-read`): the reader reads its counts and the
//! list's window again and keeps the user's place.

use super::*;

/// The window read asked for by `commands`, with its generation.
fn window_request(commands: &[Command]) -> (u64, WindowRequest, usize) {
    commands
        .iter()
        .find_map(|c| match c {
            Command::Db(DbRequest::LoadItems {
                generation,
                request,
                limit,
                ..
            }) => Some((*generation, *request, *limit)),
            _ => None,
        })
        .expect("no window read")
}

/// Answers a reload: the count, then the window.
fn answer(m: &mut Model, commands: &[Command], total: u64, rows: Vec<ItemRow>) {
    let (generation, request, limit) = window_request(commands);
    update(
        m,
        Msg::Counted {
            generation,
            total,
            newest: i64::MAX,
        },
    );
    update(
        m,
        Msg::ItemsLoaded {
            newest: i64::MAX,
            generation,
            request,
            limit,
            rows,
        },
    );
}

fn ids(m: &Model) -> Vec<i64> {
    m.list().unwrap().rows.iter().map(|r| r.id).collect()
}

/// New items arrived above the selected one and another item was marked read
/// elsewhere: the list shows both, the cursor stays on its item (by id, not
/// by row number), on the same screen row as far as the list allows.
#[test]
fn a_change_elsewhere_reads_the_window_again_keeping_the_selected_item() {
    let mut m = in_list(vec![
        item(0, 1, false),
        item(1, 1, false),
        item(2, 1, false),
    ]);
    key(&mut m, "j");
    assert_eq!(m.list().unwrap().selected().unwrap().id, 101);
    let commands = update(&mut m, Msg::DatabaseChanged);
    // What other connections wrote so far is seen before it is read again.
    assert_eq!(commands[0], Command::Db(DbRequest::CatchUp));
    assert!(commands.contains(&Command::Db(DbRequest::LoadFeeds)));
    let (_, request, limit) = window_request(&commands);
    assert_eq!((request, limit), (WindowRequest::Top, PAGE));
    // The old rows stay on screen until the new ones arrive.
    assert_eq!(ids(&m), [100, 101, 102]);
    let newer = |id: i64| ItemRow {
        id,
        sort_time: 1_800_000_000 + id,
        ..item(0, 1, false)
    };
    answer(
        &mut m,
        &commands,
        5,
        vec![
            newer(201),
            newer(200),
            item(0, 1, true),
            item(1, 1, false),
            item(2, 1, false),
        ],
    );
    let list = m.list().unwrap();
    assert_eq!(list.selected().unwrap().id, 101);
    assert_eq!(list.cursor, 3);
    assert_eq!(list.total, Some(5));
    assert!(list.rows[2].read, "marked read elsewhere");
}

/// Deep in a long list the window is read again from its own first row (a
/// window read, not the list from its top): same rows, fresh flags.
#[test]
fn deep_in_a_list_the_window_is_read_again_from_its_first_row() {
    let mut m = in_list((0..3).map(|i| item(i, 1, false)).collect());
    // The list's last three rows, two thousand rows down.
    {
        let list = m.list_mut().unwrap();
        list.start = 2_000;
        list.cursor = 2_001;
        list.scroll = 1_982;
        list.total = Some(2_003);
    }
    let commands = update(&mut m, Msg::DatabaseChanged);
    let first = item(0, 1, false).cursor();
    let (_, request, limit) = window_request(&commands);
    assert_eq!((request, limit), (WindowRequest::From(first), PAGE));
    answer(
        &mut m,
        &commands,
        2_003,
        vec![item(0, 1, false), item(1, 1, true), item(2, 1, false)],
    );
    let list = m.list().unwrap();
    assert_eq!(
        (list.start, list.cursor, list.scroll),
        (2_000, 2_001, 1_982)
    );
    assert_eq!(list.selected().unwrap().id, 101);
    assert!(list.selected().unwrap().read);
}

/// `u` is not reset, and an item read here in an unread-only list stays
/// (shown read) until the user leaves the list, as it does when nothing
/// reloads; the database, which lists only unread items, no longer has it.
#[test]
fn unread_only_stays_and_keeps_the_rows_read_here() {
    let mut m = model();
    key(&mut m, "u");
    m.feed_cursor = 3;
    let commands = key(&mut m, "enter");
    answer(
        &mut m,
        &commands,
        3,
        vec![item(0, 1, false), item(1, 1, false), item(2, 1, false)],
    );
    // `m` marks item 0 read and moves on to item 1.
    key(&mut m, "m");
    assert_eq!(m.list().unwrap().selected().unwrap().id, 101);
    let commands = update(&mut m, Msg::DatabaseChanged);
    assert!(m.unread_only);
    let (generation, ..) = window_request(&commands);
    assert!(commands.contains(&Command::Db(DbRequest::CountItems {
        generation,
        query: ItemQuery {
            feed: Some(1),
            unread_only: true,
            ..Default::default()
        }
    })));
    // Item 2 was read elsewhere: it leaves the list; item 0, read here, stays.
    answer(&mut m, &commands, 1, vec![item(1, 1, false)]);
    assert_eq!(ids(&m), [100, 101]);
    let list = m.list().unwrap();
    assert!(list.rows[0].read);
    assert_eq!(list.total, Some(2));
    assert_eq!(list.selected().unwrap().id, 101);
    // Left and opened again: read here no longer counts.
    key(&mut m, "q");
    let commands = key(&mut m, "enter");
    answer(&mut m, &commands, 1, vec![item(1, 1, false)]);
    assert_eq!(ids(&m), [101]);
}

/// An open article stays open (the list under it is read again); the search
/// line and the tag picker stay as they were, the picker's counts read again.
#[test]
fn an_open_article_the_search_line_and_the_tag_picker_stay() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, false)]);
    key(&mut m, "enter");
    let commands = update(&mut m, Msg::DatabaseChanged);
    assert!(m.article().is_some_and(|a| a.id == 100));
    answer(
        &mut m,
        &commands,
        2,
        vec![item(0, 1, true), item(1, 1, false)],
    );
    assert!(m.article().is_some_and(|a| a.id == 100));
    assert_eq!(m.list().unwrap().selected().unwrap().id, 100);

    let mut m = model();
    key(&mut m, "t");
    assert!(m.tag_picker.is_some());
    let commands = update(&mut m, Msg::DatabaseChanged);
    assert!(m.tag_picker.is_some());
    assert!(commands.contains(&Command::Db(DbRequest::LoadTagTotals)));

    let mut m = model();
    key(&mut m, "/");
    m.search.as_mut().unwrap().text = "tag:news".into();
    update(&mut m, Msg::DatabaseChanged);
    assert_eq!(m.search.as_ref().unwrap().text, "tag:news");
}

/// While the reader's own refresh runs, a change (its own writes, mostly) reads
/// nothing: its end reads everything again, once, and takes what it wrote as
/// seen so the worker does not report it again.
#[test]
fn the_readers_own_refresh_is_read_once_at_its_end() {
    let mut m = in_list(vec![item(0, 1, false)]);
    key(&mut m, "R");
    assert!(m.refresh.is_some());
    assert!(update(&mut m, Msg::DatabaseChanged).is_empty());
    let commands = update(
        &mut m,
        Msg::Refresh(RefreshEvent::Finished(RefreshSummary::default())),
    );
    assert_eq!(commands[0], Command::Db(DbRequest::CatchUp));
    assert_eq!(
        commands
            .iter()
            .filter(|c| matches!(c, Command::Db(DbRequest::LoadItems { .. })))
            .count(),
        1
    );
}

/// `s` on an open article after a sync starred its item elsewhere: the star the
/// reload brought is the one toggled (it unstars), not the article's copy from
/// when it opened.
#[test]
fn s_on_an_open_article_toggles_the_star_a_reload_brought() {
    let mut m = in_list(vec![item(0, 1, false)]);
    key(&mut m, "enter");
    update(
        &mut m,
        Msg::ArticleLoaded {
            id: 100,
            detail: Some(Box::new(ItemDetail {
                row: item(0, 1, true),
                ..Default::default()
            })),
        },
    );
    let commands = update(&mut m, Msg::DatabaseChanged);
    let mut starred_elsewhere = item(0, 1, true);
    starred_elsewhere.starred = true;
    answer(&mut m, &commands, 1, vec![starred_elsewhere]);
    assert!(m.article().is_some_and(|a| a.id == 100));
    assert_eq!(
        key(&mut m, "s"),
        vec![Command::Db(DbRequest::SetStarred {
            ids: vec![100],
            starred: false
        })]
    );
}

/// Another process marked the open article's item unread and starred it: the
/// article's own copy of the item kept the read and starred state from when it
/// opened; it now follows the list's row as the reload read it.
#[test]
fn an_open_articles_copy_of_its_item_follows_a_reload() {
    let mut m = in_list(vec![item(0, 1, false)]);
    key(&mut m, "enter");
    update(
        &mut m,
        Msg::ArticleLoaded {
            id: 100,
            detail: Some(Box::new(ItemDetail {
                row: item(0, 1, false),
                ..Default::default()
            })),
        },
    );
    let marks = |m: &Model| {
        let row = &m.article().unwrap().detail.as_ref().unwrap().row;
        (row.read, row.starred)
    };
    // Opening it marked it read (a write queued after the article's read).
    assert_eq!(marks(&m), (true, false));
    let commands = update(&mut m, Msg::DatabaseChanged);
    let mut changed_elsewhere = item(0, 1, false);
    changed_elsewhere.starred = true;
    answer(&mut m, &commands, 1, vec![changed_elsewhere]);
    assert_eq!(marks(&m), (false, true));
}
