//! The user's marks (read, starred, mark all read), and the pages fetched for
//! full text, as the database worker runs them. Apart from the worker's reads because a mark is never dropped: it waits
//! out another process's lock, reports the items another process deleted, and a
//! mark that cannot be written answers with itself so the reader can take back
//! what it already shows.

use crate::store::{SearchClock, Store, StoreError};

use super::msg::{DbError, DbRequest, Msg};

/// Attempts at a write that keeps finding the database locked, each after the
/// store's own busy timeout: minutes, not seconds.
const WRITE_ATTEMPTS: u32 = 30;

/// Runs a read/star write again while another process holds the database locked
/// for longer than the busy timeout. The screen already shows the change, so
/// giving up at once would silently lose it (QA T20); this thread is not the UI's.
fn until_written<T>(mut write: impl FnMut() -> Result<T, StoreError>) -> Result<T, StoreError> {
    let mut attempt = 1;
    loop {
        match write() {
            Err(err) if err.is_busy() && attempt < WRITE_ATTEMPTS => {
                tracing::info!(attempt, "database locked; trying the write again");
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// After a mark that changed fewer items than it named: the ones deleted by
/// another process meanwhile, so the reader can say so and drop them (a mark
/// that found its item already in that state is no news).
fn gone_unless_all_changed(
    store: &Store,
    ids: &[i64],
    changed: u64,
) -> Result<Option<Msg>, StoreError> {
    if changed >= ids.len() as u64 {
        return Ok(None);
    }
    let gone = store.missing_items(ids)?;
    Ok((!gone.is_empty()).then_some(Msg::ItemsGone(gone)))
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Runs a user's mark. A write that fails answers [`Msg::WriteFailed`] with
/// the write itself, so the reader can take back what it already shows; a
/// failure after the write (looking for deleted items) is only reported.
pub(super) fn run_write(store: &mut Store, write: DbRequest) -> Option<Msg> {
    let written = match &write {
        DbRequest::SetRead { ids, read } => until_written(|| store.set_read(ids, *read, now()))
            .map(|changed| gone_unless_all_changed(store, ids, changed)),
        DbRequest::SetStarred { ids, starred } => {
            until_written(|| store.set_starred(ids, *starred, now()))
                .map(|changed| gone_unless_all_changed(store, ids, changed))
        }
        DbRequest::MarkAllRead { query, upto } => {
            until_written(|| store.mark_all_read_upto(query, *upto, now()))
                .map(|n| Ok(Some(Msg::MarkedAllRead(n))))
        }
        DbRequest::MarkSearchRead { query, upto } => {
            until_written(|| store.mark_read_query_upto(query, SearchClock::local(), *upto, now()))
                .map(|n| Ok(Some(Msg::MarkedAllRead(n))))
        }
        DbRequest::StoreFulltext { id, result } => until_written(|| {
            let result = result.as_deref().map_err(String::as_str);
            store.set_fulltext_result(*id, result, now())
        })
        .map(|()| Ok(None)),
        // Not a write: nothing to do here.
        _ => Ok(Ok(None)),
    };
    match written {
        Ok(answer) => answer.unwrap_or_else(|err| {
            tracing::warn!("reader database command failed: {err}");
            Some(Msg::DbFailed(err.to_string()))
        }),
        Err(err) => {
            tracing::warn!("reader write failed, not saved: {err}");
            Some(Msg::WriteFailed {
                write,
                error: DbError::of(&err),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;
    use crate::tui::db::run;
    use crate::tui::db_test_store::store_with_unread_items;

    /// Regression (QA T20): a read mark that met a write lock held longer than the
    /// busy timeout was dropped ("database is locked") while the screen showed it.
    #[test]
    fn a_write_waits_out_a_long_lock_instead_of_being_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let (mut store, ids) = store_with_unread_items(&path, 1);
        let id = ids[0];
        // A short busy timeout stands in for the store's 10 s one.
        store
            .connection()
            .busy_timeout(std::time::Duration::from_millis(50))
            .unwrap();
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let (locked_tx, locked_rx) = mpsc::channel();
        let holder = std::thread::spawn(move || {
            locked_tx.send(()).unwrap();
            // Longer than one busy timeout (50 ms), far shorter than all the
            // attempts together (1.5 s).
            std::thread::sleep(std::time::Duration::from_millis(150));
            other.execute_batch("COMMIT").unwrap();
        });
        locked_rx.recv().unwrap();
        let answer = run(
            &mut store,
            DbRequest::SetRead {
                ids: vec![id],
                read: true,
            },
        );
        holder.join().unwrap();
        assert!(answer.is_none(), "{answer:?}");
        assert_eq!(store.unread_count().unwrap(), 0);
    }

    /// The known gap: a mark on an item another process deleted answered
    /// nothing, so the reader kept the row and the counts it had moved.
    #[test]
    fn a_mark_on_an_item_deleted_elsewhere_answers_items_gone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let (mut store, ids) = store_with_unread_items(&path, 2);
        let other = Store::open(&path).unwrap();
        other
            .connection()
            .execute("DELETE FROM items WHERE id = ?1", [ids[0]])
            .unwrap();
        let read = |read| DbRequest::SetRead {
            ids: vec![ids[0]],
            read,
        };
        assert_eq!(
            run(&mut store, read(true)),
            Some(Msg::ItemsGone(vec![ids[0]]))
        );
        assert_eq!(
            run(&mut store, read(false)),
            Some(Msg::ItemsGone(vec![ids[0]]))
        );
        let star = DbRequest::SetStarred {
            ids: vec![ids[0]],
            starred: true,
        };
        assert_eq!(run(&mut store, star), Some(Msg::ItemsGone(vec![ids[0]])));
        // A mark that finds its (living) item already so is no news.
        let live = |read| DbRequest::SetRead {
            ids: vec![ids[1]],
            read,
        };
        assert_eq!(run(&mut store, live(true)), None);
        assert_eq!(run(&mut store, live(true)), None);
    }

    /// Regression: with the database file removed under the reader, `m` was
    /// written into the unlinked file. Now the write is refused and answered
    /// with itself, so the reader can take it back.
    #[test]
    fn a_mark_after_the_file_was_removed_answers_write_failed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let (mut store, ids) = store_with_unread_items(&path, 1);
        std::fs::remove_file(&path).unwrap();
        let write = DbRequest::SetRead {
            ids: ids.clone(),
            read: true,
        };
        assert_eq!(
            run(&mut store, write.clone()),
            Some(Msg::WriteFailed {
                write,
                error: DbError::FileReplaced {
                    path: path.display().to_string()
                },
            })
        );
        assert_eq!(store.unread_count().unwrap(), 1);
    }
}
