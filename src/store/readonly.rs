//! Opening a database that cannot be written (file permissions, a read-only
//! directory or mount): `khabar unread`, `items` and the reader still read it
//! (issue 8, defect 9). Used by [`Store::open`] only after the read-write open
//! failed for that reason.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{BUSY_TIMEOUT, Store, StoreError, schema};

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
                }
                tracing::info!(path = %shown, mode, "database opened read-only");
                return Ok(Store { conn });
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
