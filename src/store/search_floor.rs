//! The floor under the search index's cost (issue 9's "+30 %", BENCHMARKS.md):
//! SQLite's FTS5 indexing exactly the rows khabar indexes, with nothing else
//! running. The rows are made beforehand from a database a refresh wrote, and
//! indexed into an in-memory database (no WAL, no disk) with the same schema,
//! merge settings, tokenizer, batches and final merge as a first refresh.
//! While it is timed, no khabar code runs but the tokenizer FTS5 calls and the
//! statement that hands FTS5 each row. Used by `benches/fts5_floor.rs`
//! (`bench/fts5_floor.sh`).

use std::time::Duration;

use rusqlite::{Connection, params};

use super::search_index::INSERT;
use super::search_reindex::stored_item_row;
use super::{ItemId, Store, StoreError, fts_tokenizer, schema};

/// The index rows of every stored item, in rowid order.
pub struct IndexRows {
    rows: Vec<IndexRow>,
}

/// One item's index row: its five columns as the index holds them.
struct IndexRow {
    id: ItemId,
    columns: [String; 5],
}

/// What FTS5 alone took to index [`IndexRows`], in CPU time of the one thread
/// that did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FloorCost {
    /// Rows indexed.
    pub rows: usize,
    /// Tokens indexed (FTS5's own count, summed over its vocabulary:
    /// [`Store::index_vocabulary`]).
    pub tokens: u64,
    /// The inserts and their commits, batch by batch.
    pub insert_cpu: Duration,
    /// The merge that follows a refresh (`Store::merge_search_index`).
    pub merge_cpu: Duration,
}

impl IndexRows {
    /// How many rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// No rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

impl Store {
    /// The index row of every stored item, made from what the database holds
    /// (as the index's first build makes it for items stored before it existed).
    #[doc(hidden)]
    pub fn index_rows(&self) -> Result<IndexRows, StoreError> {
        let ids: Vec<ItemId> = self
            .conn
            .prepare("SELECT id FROM items ORDER BY id")?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(row) = stored_item_row(&self.conn, id)? {
                rows.push(IndexRow {
                    id,
                    columns: [
                        row.text.title,
                        row.text.body,
                        row.text.author,
                        row.feed_title,
                        row.tags,
                    ],
                });
            }
        }
        Ok(IndexRows { rows })
    }
}

/// Indexes `rows` into a new in-memory database, `batch` rows per transaction
/// (the refresh writer's batch), then merges as a refresh does; returns the
/// CPU time of each part and the database, for a caller to look into.
pub fn index_alone(rows: &IndexRows, batch: usize) -> Result<(FloorCost, Store), StoreError> {
    let mut conn = Connection::open_in_memory()?;
    fts_tokenizer::register(&conn);
    schema::migrate(&mut conn)?;
    let mut store = Store::with(conn);
    // As the refresh writer's connection (`Store::tune_for_bulk_writes`).
    store.keep_merge_settings()?;
    let started = thread_cpu();
    for chunk in rows.rows.chunks(batch.max(1)) {
        let tx = store.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(INSERT)?;
            for row in chunk {
                let [title, body, author, feed, tags] = &row.columns;
                insert.execute(params![row.id, title, body, author, feed, tags])?;
            }
        }
        tx.commit()?;
    }
    let inserted = thread_cpu();
    store.merge_search_index()?;
    let merged = thread_cpu();
    let tokens: i64 = store
        .index_vocabulary()?
        .iter()
        .map(|(_, _, count)| count)
        .sum();
    Ok((
        FloorCost {
            rows: rows.len(),
            tokens: tokens.max(0) as u64,
            insert_cpu: inserted.saturating_sub(started),
            merge_cpu: merged.saturating_sub(inserted),
        },
        store,
    ))
}

/// The calling thread's CPU time so far.
fn thread_cpu() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to fill; the clock id is a
    // constant the kernel knows.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    Duration::new(
        now.tv_sec.max(0) as u64,
        now.tv_nsec.clamp(0, 999_999_999) as u32,
    )
}

impl Store {
    /// The vocabulary of this database's index: each term with the items it is
    /// in and how many times (`fts5vocab`'s `row` table), in term order.
    #[doc(hidden)]
    pub fn index_vocabulary(&self) -> Result<Vec<(String, i64, i64)>, StoreError> {
        self.conn.execute_batch(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.item_search_terms_floor \
             USING fts5vocab(main, item_search, row)",
        )?;
        let terms = self
            .conn
            .prepare("SELECT term, doc, cnt FROM temp.item_search_terms_floor ORDER BY term")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<Result<_, _>>()?;
        Ok(terms)
    }
}
