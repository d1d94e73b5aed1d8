//! Opening a database that cannot be written (file permissions, a read-only
//! directory or mount): `khabar unread`, `items` and the reader still read it
//! (issue 8, defect 9). Used by [`Store::open`] only after the read-write open
//! failed for that reason.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{BUSY_TIMEOUT, Store, StoreError, fts_tokenizer, schema};

/// Opens `path` read-only: first as an ordinary read-only connection (which still
/// shares the WAL index with writers), then, when even the WAL index cannot be
/// created (a read-only directory), as an immutable file.
pub(super) fn open_read_only(path: &Path) -> Result<Store, StoreError> {
    let shown = path.display().to_string();
    let open_err = |error| StoreError::Open {
        path: shown.clone(),
        error,
    };
    let absolute = std::path::absolute(path).map_err(|err| {
        open_err(rusqlite::Error::InvalidPath(
            format!("{}: {err}", path.display()).into(),
        ))
    })?;
    let uri = url::Url::from_file_path(&absolute)
        .map_err(|()| open_err(rusqlite::Error::InvalidPath(absolute.clone())))?;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut last_error = None;
    for mode in ["mode=ro", "immutable=1"] {
        let attempt =
            Connection::open_with_flags(format!("{uri}?{mode}"), flags).and_then(|conn| {
                conn.busy_timeout(BUSY_TIMEOUT)?;
                fts_tokenizer::register(&conn);
                let version = schema::user_version(&conn)?;
                Ok((conn, version))
            });
        match attempt {
            Ok((conn, version)) => {
                let known = schema::current_version();
                if version > known {
                    return Err(StoreError::TooNew {
                        path: shown,
                        found: version,
                        known,
                    });
                }
                if version < known {
                    tracing::warn!(
                        path = %shown,
                        version,
                        known,
                        "read-only database of an older schema: not upgraded"
                    );
                    state_view_over_items(&conn, version).map_err(open_err)?;
                }
                tracing::info!(path = %shown, mode, "database opened read-only");
                return Ok(Store::with(conn));
            }
            Err(err) => last_error = Some(err),
        }
    }
    Err(open_err(
        last_error.unwrap_or(rusqlite::Error::InvalidQuery),
    ))
}

impl Store {
    /// True when this connection cannot write (see [`open_read_only`]).
    pub fn is_read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false)
    }
}

impl Store {
    /// A second, read-only connection to this store's file, for reads that may
    /// take long (the reader's counts at a million items) and must not hold up
    /// the first connection's work. `None` for a database without a file (in
    /// memory) or when the file cannot be opened again. Only `mode=ro`: an
    /// immutable open would not see later writes.
    pub fn second_reader(&self) -> Option<Store> {
        let path = self.conn.path().filter(|p| !p.is_empty())?;
        let absolute = std::path::absolute(path).ok()?;
        let uri = url::Url::from_file_path(&absolute).ok()?;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let opened =
            Connection::open_with_flags(format!("{uri}?mode=ro"), flags).and_then(|conn| {
                conn.busy_timeout(BUSY_TIMEOUT)?;
                fts_tokenizer::register(&conn);
                Ok(conn)
            });
        match opened {
            Ok(conn) => Some(Store::with(conn)),
            Err(err) => {
                tracing::info!("no second reader connection: {err}");
                None
            }
        }
    }

    /// A handle that stops this connection's running statement from another
    /// thread (a count superseded by a newer one); the statement then fails
    /// with an error for which [`StoreError::is_interrupted`] is true.
    pub fn interrupt_handle(&self) -> rusqlite::InterruptHandle {
        self.conn.get_interrupt_handle()
    }
}

impl StoreError {
    /// True when the statement was stopped through [`Store::interrupt_handle`].
    pub fn is_interrupted(&self) -> bool {
        matches!(
            self,
            StoreError::Sqlite(err)
                if err.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted)
        )
    }
}

/// A database from before read state had its own table keeps it in `items`:
/// a temporary view (the temp schema is writable on any connection) gives the
/// queries the `item_state` they read, so an old file that cannot be upgraded
/// still lists with its read and starred marks.
fn state_view_over_items(conn: &Connection, version: i64) -> rusqlite::Result<()> {
    let Some(before) = schema::version_before("CREATE TABLE item_state") else {
        return Ok(());
    };
    if version > before as i64 {
        return Ok(());
    }
    conn.execute_batch(
        "CREATE TEMP VIEW item_state AS \
         SELECT id AS item_id, feed_id, sort_time, read, read_at, starred, starred_at FROM items",
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::{open_read_only, schema};
    use crate::store::ItemQuery;

    /// An old file that cannot be upgraded still lists with its marks: the
    /// read state is read from `items` through the temporary view.
    #[test]
    fn an_older_schema_read_only_keeps_its_read_and_starred_marks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            let before = schema::version_before("CREATE TABLE item_state").unwrap();
            schema::create_at_version(&mut conn, before).unwrap();
            conn.execute_batch(
                "INSERT INTO feeds (url, added_at) VALUES ('https://a.example/feed', 0);
                 INSERT INTO items (feed_id, identity, title, first_seen, sort_time, content_hash, \
                                    read, starred) \
                 VALUES (1, 'a', 'read one', 5, 5, 'h', 1, 0), (1, 'b', 'starred one', 6, 6, 'h', 0, 1);",
            )
            .unwrap();
        }
        let store = open_read_only(&path).unwrap();
        let rows = store.items_after(&ItemQuery::default(), None, 5).unwrap();
        let marks: Vec<_> = rows
            .iter()
            .map(|row| (row.title.as_str(), row.read, row.starred))
            .collect();
        assert_eq!(
            marks,
            [("starred one", false, true), ("read one", true, false)]
        );
        let starred = ItemQuery {
            starred_only: true,
            ..ItemQuery::default()
        };
        assert_eq!(store.count_items(&starred).unwrap(), 1);
        let unread = ItemQuery {
            unread_only: true,
            ..ItemQuery::default()
        };
        assert_eq!(store.items_after(&unread, None, 5).unwrap().len(), 1);
    }
}
