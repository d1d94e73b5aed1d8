//! Another process changed the database under the reader: items deleted since
//! they were listed (a cron cleanup, `khabar remove`, a `DELETE` by hand).

use super::*;
use crate::tui::i18n::Text;

/// The known gap: `m` on an item another process deleted marked the row on
/// screen, moved the counts, and said nothing. The worker now answers
/// `ItemsGone`; the row leaves the list with a message that says why.
#[test]
fn an_item_gone_from_the_database_is_dropped_with_a_message() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, false), item(2, 1, true)]);
    let commands = key(&mut m, "m");
    assert!(commands.contains(&Command::Db(DbRequest::SetRead {
        ids: vec![100],
        read: true
    })));
    assert_eq!(m.list().unwrap().cursor, 1);
    let commands = update(&mut m, Msg::ItemsGone(vec![100]));
    let list = m.list().unwrap();
    let ids: Vec<i64> = list.rows.iter().map(|r| r.id).collect();
    assert_eq!(ids, [101, 102]);
    assert_eq!(list.total, Some(2));
    // Still on the row it moved to ("item 1"), now the first.
    assert_eq!(list.cursor, 0);
    assert_eq!(list.selected().unwrap().id, 101);
    assert_eq!(m.message.as_deref(), Some(m.t(Text::ItemsGoneElsewhere)));
    // The counts were moved for a mark that never happened: read them again.
    assert!(commands.contains(&Command::Db(DbRequest::LoadFeeds)));
}

/// The last row gone: the cursor steps back onto the row before it, and an
/// answer for an item not in the window changes nothing but the message.
#[test]
fn the_last_row_gone_moves_the_cursor_back() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, false)]);
    key(&mut m, "j");
    key(&mut m, "s");
    update(&mut m, Msg::ItemsGone(vec![101]));
    let list = m.list().unwrap();
    assert_eq!(list.total, Some(1));
    assert_eq!(list.cursor, 0);
    assert_eq!(list.selected().unwrap().id, 100);
    update(&mut m, Msg::ItemsGone(vec![999]));
    assert_eq!(m.list().unwrap().total, Some(1));
}

/// Gone while its article is open (opened, then `m` or `s`): the list under it
/// drops the row, so going back shows the list as the database has it.
#[test]
fn gone_under_an_open_article_leaves_the_list_on_a_live_row() {
    let mut m = in_list(vec![item(0, 1, true), item(1, 1, false)]);
    key(&mut m, "enter");
    assert!(m.screen.article().is_some());
    key(&mut m, "s");
    update(&mut m, Msg::ItemsGone(vec![100]));
    assert!(m.message.is_some());
    key(&mut m, "q");
    let list = m.list().unwrap();
    assert_eq!(list.total, Some(1));
    assert_eq!(list.selected().unwrap().id, 101);
}

/// The message in the Persian interface is Persian.
#[test]
fn the_message_is_in_the_interface_language() {
    let mut m = in_list(vec![item(0, 1, false)]);
    m.dates.locale = crate::tui::i18n::Locale::Fa;
    key(&mut m, "m");
    update(&mut m, Msg::ItemsGone(vec![100]));
    let message = m.message.clone().unwrap();
    assert!(message.contains("پایگاه داده"), "{message}");
    assert_eq!(m.list().unwrap().total, Some(0));
}

fn replaced() -> crate::tui::msg::DbError {
    crate::tui::msg::DbError::FileReplaced {
        path: "/home/u/khabar.db".into(),
    }
}

/// Regression: the database file removed or replaced under the reader. The
/// worker's `m` is refused; the row goes back to unread (and the counts with
/// it) and the status line says the change was not saved.
#[test]
fn a_refused_read_mark_is_taken_back_and_explained() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, false)]);
    let unread = m.unread_total;
    let commands = key(&mut m, "m");
    let Some(Command::Db(write)) = commands.into_iter().next() else {
        panic!("no write");
    };
    assert!(m.list().unwrap().rows[0].read);
    let commands = update(
        &mut m,
        Msg::WriteFailed {
            write,
            error: replaced(),
        },
    );
    assert!(!m.list().unwrap().rows[0].read);
    assert_eq!(m.unread_total, unread);
    assert!(commands.contains(&Command::Db(DbRequest::LoadFeeds)));
    assert_eq!(
        m.last_error.as_deref(),
        Some(
            "the database file was removed or replaced (/home/u/khabar.db); \
             this change was not saved — restart khabar"
        )
    );
}

/// A refused star comes off again, and "starred" is not left on the line.
#[test]
fn a_refused_star_is_taken_back() {
    let mut m = in_list(vec![item(0, 1, false)]);
    let commands = key(&mut m, "s");
    let Some(Command::Db(write)) = commands.into_iter().next() else {
        panic!("no write");
    };
    assert!(m.list().unwrap().rows[0].starred);
    update(
        &mut m,
        Msg::WriteFailed {
            write,
            error: replaced(),
        },
    );
    assert!(!m.list().unwrap().rows[0].starred);
    assert!(m.message.is_none());
    assert!(m.last_error.is_some());
}

/// A refused mark-all: the rows it showed read are read again from the
/// database, which still has them as they were.
#[test]
fn a_refused_mark_all_reads_the_list_again() {
    let mut m = in_list(vec![item(0, 1, false), item(1, 1, false)]);
    let write = DbRequest::MarkAllRead {
        query: ItemQuery {
            feed: Some(1),
            ..Default::default()
        },
        upto: i64::MAX,
    };
    let commands = update(
        &mut m,
        Msg::WriteFailed {
            write,
            error: crate::tui::msg::DbError::Other("disk I/O error".into()),
        },
    );
    let generation = m.list().unwrap().generation;
    assert!(commands.iter().any(|c| matches!(
        c,
        Command::Db(DbRequest::LoadItems { generation: g, .. }) if *g == generation
    )));
    assert_eq!(m.last_error.as_deref(), Some("database: disk I/O error"));
}
