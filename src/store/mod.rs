//! The local SQLite database: feeds, items, tags, read/starred state, content.
//!
//! One [`Store`] wraps one connection. WAL mode, a busy timeout and one
//! transaction per feed refresh let the TUI and a `khabar refresh` from cron use
//! the same file at once. Times are Unix seconds (UTC).
//!
//! API contract (other modules code against this; keep signatures stable):
//! listing methods never read whole tables: they page through indexes.
//!
//! Concurrency: every multi-statement write is a `BEGIN IMMEDIATE` transaction
//! (single statements take the write lock directly), so a writer takes the lock up
//! front and waits (busy timeout) instead of failing on a lock upgrade; readers
//! never block writers in WAL mode. That is what lets the reader stay open while
//! cron runs `khabar refresh` on the same file.
//!
//! Files: `schema` (numbered migrations), `feeds` (subscriptions, config sync),
//! `update` (writing a refresh), `query` (lists, counts, one item), `state`
//! (read/starred, cleanup).

mod adopted;
mod bounds;
mod deferred_indexes;
mod feeds;
mod fts_rank;
mod fts_tokenizer;
mod fulltext;
mod ignore;
mod item_writer;
pub mod newsboat_cache;
mod opened_file;
mod outbox;
mod query;
mod read_counts;
mod readonly;
mod reconciled;
mod repairs;
pub mod schema;
mod search;
mod search_date;
/// For `benches/fts5_floor.rs`: what FTS5 alone costs (issue 9).
#[doc(hidden)]
pub mod search_floor;
mod search_index;
mod search_item_text;
mod search_merge;
mod search_rank;
mod search_reindex;
mod search_sql;
mod search_terms;
mod search_text;
mod set_aside;
mod state;
mod synced;
mod tag_counts;
mod update;

pub use ignore::IgnoreRules;
pub use query::explain_page;
pub use reconciled::Ahead;
pub use search::SearchClock;
pub use search_date::{DENSE_PROBE, DatePage, DatePlan};
pub use search_item_text::{ItemText, PreparedIndex};
pub use search_merge::IndexMerge;
pub use search_rank::RANK_CANDIDATES;
pub use tag_counts::TagTotals;
pub use update::PreparedUpdate;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::feed::ParsedFeed;
use crate::text::Direction;

// The vocabulary moved to `core`; re-exported so `store::FeedSpec` etc. keep working.
pub use crate::core::{
    CleanupPolicy, Cursor, FeedId, FeedRow, FeedSpec, FetchState, ItemDetail, ItemId, ItemQuery,
    ItemRow, UpdateStats,
};

pub use bounds::MAX_ITEMS_PER_FEED;
pub use fulltext::{FulltextJob, FulltextSelection, FulltextStatus};
pub use outbox::{Flag, OutboxStats, PendingMarks};
pub use synced::{StateChange, SyncedEntry, SyncedFeed, SyncedState, synced_identity};

/// Errors from the store, each saying what the user can do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    // The SQLite error is in the message and deliberately not a `source`: the CLI
    // prints the whole chain (`{:#}`), and rusqlite's chain repeats its message
    // ("file is not a database: file is not a database: Error code 26: …").
    /// The file cannot be opened as a database.
    #[error("cannot open database {path}: {error}")]
    Open {
        /// The file.
        path: String,
        /// What SQLite said.
        error: rusqlite::Error,
    },
    /// The file's schema is newer than this khabar.
    #[error(
        "database {path} was written by a newer khabar (schema {found}, this one knows {known})"
    )]
    TooNew {
        /// The file.
        path: String,
        /// Its schema version.
        found: i64,
        /// The newest version this khabar knows.
        known: i64,
    },
    /// A URL, or `#id` for a feed removed while it was being refreshed.
    #[error("no such feed: {0} (removed?)")]
    NoSuchFeed(String),
    /// The file at the database's path is no longer the one this connection
    /// opened: it was removed, or another file was moved over it. A write would
    /// go to the old file, which nothing will open again, so it was refused.
    #[error(
        "the database file {path} was removed or replaced since khabar opened it; \
         this change was not saved: restart khabar"
    )]
    FileReplaced {
        /// The database's path.
        path: String,
    },
    /// The database can be read but not written: no permission to write the
    /// file or its directory, or a read-only file system. Said with the path,
    /// where SQLite's own words ("attempt to write a readonly database") name
    /// no file.
    #[error(
        "the database {path} is read-only (no permission to write it or its directory, \
         or a read-only file system): nothing was changed"
    )]
    ReadOnly {
        /// The database's path.
        path: String,
    },
    /// Not `transparent` (see `Open`): the message once, without rusqlite's chain.
    #[error("{0}")]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    /// The database stayed locked by another connection for longer than the busy
    /// timeout: trying the same write again later can succeed.
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Sqlite(err) | StoreError::Open { error: err, .. } => is_busy(err),
            _ => false,
        }
    }

    /// The disk holding the database is full: nothing more can be written until
    /// space is freed, whatever is tried.
    pub fn is_disk_full(&self) -> bool {
        match self {
            StoreError::Sqlite(err) | StoreError::Open { error: err, .. } => {
                err.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull)
            }
            _ => false,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        StoreError::Sqlite(error)
    }
}

/// What a successful fetch brought, to be written in one transaction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeedUpdate {
    /// The parsed feed.
    pub feed: ParsedFeed,
    /// The response's `ETag`.
    pub etag: Option<String>,
    /// The response's `Last-Modified`.
    pub last_modified: Option<String>,
    /// Hash of the body, to skip an identical one next time.
    pub body_hash: Option<String>,
    /// Set when a permanent redirect moved the feed.
    pub new_url: Option<String>,
}

/// A connection to the khabar database.
pub struct Store {
    conn: Connection,
    /// Words this connection committed to the search vocabulary.
    stored_terms: search_terms::StoredTerms,
    /// The file opened, checked before a user's write (`opened_file.rs`);
    /// `None` without a file.
    file: Option<opened_file::OpenedFile>,
    /// `[[ignore]]` rules for the new items a refresh writes
    /// ([`Store::set_ignore_rules`]); `None` for every other connection.
    ignore: Option<IgnoreRules>,
    /// [`Store::few_unread`]'s last answer and the database version it read.
    few_unread_seen: std::cell::Cell<Option<((i64, u64), bool)>>,
    /// `khabar_bm25` is registered on `conn` ([`fts_rank`]): ranked searches
    /// use it, else FTS5's `bm25()`.
    ranks_by_counts: bool,
}

/// How long a write waits for another process's write to finish before giving up.
/// Refreshing one feed takes milliseconds, so this is only reached if something is
/// badly wrong.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

impl Store {
    fn with(conn: Connection) -> Store {
        let ranks_by_counts = fts_rank::register(&conn);
        Store {
            ranks_by_counts,
            conn,
            stored_terms: search_terms::StoredTerms::default(),
            file: None,
            ignore: None,
            few_unread_seen: std::cell::Cell::new(None),
        }
    }

    /// Makes [`Store::apply_update`] and [`Store::apply_prepared_updates`]
    /// leave out the new items one of `rules` selects (`[[ignore]]`); `None`
    /// stores every item.
    pub fn set_ignore_rules(&mut self, rules: Option<IgnoreRules>) {
        self.ignore = rules;
    }

    /// Opens (creating and migrating as needed) the database at `path`. A file that
    /// exists but cannot be written (permissions, a read-only mount) is opened
    /// read-only, so it can still be read (issue 8, defect 9); a write transaction
    /// is then refused with [`StoreError::ReadOnly`], which names the file.
    ///
    /// Remembers which file it opened: a read or star mark made after the file
    /// was removed or replaced is refused ([`StoreError::FileReplaced`]).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let mut store = match Store::open_read_write(path) {
            Err(StoreError::Open { path: shown, error })
                if is_read_only(&error) && path.is_file() =>
            {
                readonly::open_read_only(path)
                    .map_err(|_| StoreError::Open { path: shown, error })?
            }
            other => other?,
        };
        store.file = opened_file::OpenedFile::of(path);
        Ok(store)
    }

    /// `Ok` while the database's path still names the file this connection
    /// opened (one `stat`, no SQL); called before a user's write begins, so a
    /// refused write has nothing to roll back.
    pub fn check_file(&self) -> Result<(), StoreError> {
        match &self.file {
            Some(file) => file.still_there(),
            None => Ok(()),
        }
    }

    /// Begins a write transaction: [`begin_write`] on this connection.
    fn begin_write(&mut self) -> Result<rusqlite::Transaction<'_>, StoreError> {
        begin_write(&mut self.conn, self.file.as_ref())
    }

    fn open_read_write(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        let open_err = |error| StoreError::Open {
            path: shown.clone(),
            error,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        // Before anything touches `item_search`: a migration may index items.
        fts_tokenizer::register(&conn);
        // Switching a new file to WAL takes an exclusive lock, and SQLite answers BUSY
        // at once (without the busy handler) when another process is doing the same:
        // two khabar processes starting on a fresh machine. Wait for it like any lock.
        // A refresh alone uses ~20 distinct statements; the default cache holds 16.
        conn.set_prepared_statement_cache_capacity(64);
        let started = std::time::Instant::now();
        let outcome = loop {
            match configure(&conn).and_then(|()| schema::migrate(&mut conn)) {
                Err(err) if is_busy(&err) && started.elapsed() < BUSY_TIMEOUT => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                other => break other.map_err(open_err)?,
            }
        };
        // `rarray(?)`: a set of ids bound as one parameter (reconciliation's
        // write). Registered once per connection: registering it again would
        // drop the table that statements already prepared use.
        rusqlite::vtab::array::load_module(&conn).map_err(open_err)?;
        match outcome {
            schema::MigrateOutcome::TooNew { found } => {
                return Err(StoreError::TooNew {
                    path: shown,
                    found,
                    known: schema::current_version(),
                });
            }
            schema::MigrateOutcome::Upgraded { from, to } => {
                tracing::info!(path = %shown, from, to, "database schema upgraded");
            }
            schema::MigrateOutcome::UpToDate => {}
        }
        // Not fatal: the items stay stored, and the next open tries again.
        match state::add_missing_state_rows(&conn) {
            Ok(0) => {}
            Ok(added) => tracing::warn!(added, "state rows added for items an older khabar wrote"),
            Err(err) => tracing::warn!(%err, "state rows of items an older khabar wrote"),
        }
        Ok(Store::with(conn))
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(schema::user_version(&self.conn)?)
    }

    /// Settings for a connection that writes a whole refresh: a 16 MiB page cache
    /// keeps the item indexes in memory, checkpointing every 5,000 pages (~40 MB)
    /// of WAL instead of every 1,000 halves the disk writes, and statement journals
    /// (the remaining triggers) stay in memory instead of a temp file. Durability
    /// is unchanged: every transaction still commits. The search index's merge
    /// settings are stored if they are not yet (a new database's first refresh:
    /// `search_merge::CRISISMERGE`).
    ///
    /// Foreign keys are not enforced on this connection: the refresh writer only
    /// adds rows under a feed it found in the same transaction and under items it
    /// has just inserted, and deletes nothing with dependants (cascades are for
    /// removing feeds and the cleanup, which use their own connections). Checking
    /// them cost a parent lookup for every item, content, category and tag row,
    /// about a tenth of a first refresh (issue 7).
    pub fn tune_for_bulk_writes(&self) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        self.conn.pragma_update(None, "cache_size", -16_384i64)?;
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 5_000i64)?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        self.keep_merge_settings()
    }

    /// Copies what it can of the WAL into the database without blocking writers
    /// or readers.
    pub fn checkpoint_passive(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// The underlying connection, for benchmarks and diagnostics (`EXPLAIN QUERY PLAN`).
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// Errors that mean "this file cannot be written here".
/// Begins a write transaction (`BEGIN IMMEDIATE`, so the write lock is taken
/// now and a busy database waits here, not halfway through). On a database
/// that cannot be written the error names the file (`file`, the one opened),
/// where SQLite's own words ("attempt to write a readonly database") name none.
/// A function of the fields it needs, so a caller can keep using the store's
/// other fields while the transaction is open.
fn begin_write<'c>(
    conn: &'c mut Connection,
    file: Option<&opened_file::OpenedFile>,
) -> Result<rusqlite::Transaction<'c>, StoreError> {
    let read_only = || StoreError::ReadOnly {
        path: file.map_or_else(|| "(in memory)".to_string(), |f| f.shown().to_string()),
    };
    // A connection opened read-only (`readonly.rs`) begins a transaction
    // without complaint and fails at its first write: refuse before it.
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
        return Err(read_only());
    }
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(|err| {
            if err.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly) {
                read_only()
            } else {
                err.into()
            }
        })
}

fn is_read_only(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
    )
}

fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Per-connection settings. WAL survives in the file; the rest must be set on every
/// connection.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Only takes effect when the file is created: 8 KiB pages made a first
    // refresh's B-tree work ~10 % cheaper than the default 4 KiB; 16 KiB halve
    // its writes again (system time of a first refresh ~20 % lower) with the
    // same instructions, and searches at 100,000 items no slower (BENCHMARKS.md,
    // the twenty-fourth pass).
    conn.pragma_update(None, "page_size", 16384)?;
    switch_to_wal(conn)?;
    // NORMAL in WAL mode: a crash of khabar or of the machine never corrupts the
    // file; a power cut may lose the last transactions, never half of one.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Tests stand a page limit in for a full disk: SQLite answers both with
    // SQLITE_FULL. Not for users: a real limit would need its own message.
    if let Some(pages) = std::env::var("KHABAR_TEST_MAX_PAGES")
        .ok()
        .and_then(|pages| pages.parse::<i64>().ok())
    {
        conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
    }
    Ok(())
}

/// Puts the file in WAL mode (stored in the file, so usually already done). When
/// several processes open a new file at once, the switch can report "database is
/// locked" at once instead of waiting for the busy timeout: retried until then.
fn switch_to_wal(conn: &Connection) -> rusqlite::Result<()> {
    let started = std::time::Instant::now();
    loop {
        let attempt = conn
            .query_row("PRAGMA journal_mode", [], |row| row.get::<_, String>(0))
            .and_then(|mode| {
                if mode.eq_ignore_ascii_case("wal") {
                    Ok(())
                } else {
                    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
                }
            });
        match attempt {
            Err(rusqlite::Error::SqliteFailure(err, _))
                if err.code == rusqlite::ErrorCode::DatabaseBusy
                    && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

/// Text stored in `feeds.direction`.
fn direction_to_sql(direction: Direction) -> &'static str {
    match direction {
        Direction::Auto => "auto",
        Direction::Rtl => "rtl",
        Direction::Ltr => "ltr",
    }
}

fn direction_from_sql(text: &str) -> Direction {
    match text {
        "rtl" => Direction::Rtl,
        "ltr" => Direction::Ltr,
        _ => Direction::Auto,
    }
}
