//! A first refresh into an empty database builds the secondary indexes of
//! `items` and `tag_items` once, at the end, instead of entry by entry.
//!
//! Every new item costs an entry in each of those indexes (by time, unread by
//! time, by feed and time, …, and three for each tag row): about a third of the
//! writer's SQLite work on a first refresh, which writes ~100,000 items into
//! empty tables. Sorting them once afterwards (`CREATE INDEX`) is cheaper.
//!
//! Consistency: the indexes are dropped, and their SQL recorded in
//! `deferred_indexes`, in one transaction; they are built again from that table
//! in one transaction. Every commit in between leaves a database whose queries
//! give the same answers (an index never changes a result, only its speed), and
//! a refresh that dies half way leaves the table behind: the next
//! [`Store::open`] builds them. Unique indexes and the tables' own keys are never
//! dropped, so no constraint is ever off. Only a database with no items at all
//! is touched (nothing to list slowly meanwhile but what this refresh writes).

use rusqlite::{Connection, TransactionBehavior, params};

use super::{Store, StoreError};

/// The tables whose secondary indexes a first refresh builds at the end.
const TABLES: &str = "('items', 'tag_items')";

impl Store {
    /// When the database holds no items, drops the secondary (non-unique)
    /// indexes of `items` and `tag_items`, keeping their SQL in
    /// `deferred_indexes`; [`Store::build_deferred_indexes`] makes them again.
    /// Returns how many were dropped (0: the database has items, or it was done
    /// already).
    pub fn defer_indexes_if_empty(&mut self) -> Result<usize, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let empty: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM items)", [], |row| {
            row.get(0)
        })?;
        if !empty {
            return Ok(0);
        }
        let indexes: Vec<(String, String)> = tx
            .prepare(&format!(
                "SELECT name, sql FROM sqlite_master \
                  WHERE type = 'index' AND tbl_name IN {TABLES} AND sql IS NOT NULL \
                    AND sql NOT LIKE 'CREATE UNIQUE%'"
            ))?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (name, sql) in &indexes {
            tx.execute(
                "INSERT OR REPLACE INTO deferred_indexes (name, sql) VALUES (?1, ?2)",
                params![name, sql],
            )?;
            tx.execute_batch(&format!("DROP INDEX {}", quoted(name)))?;
        }
        tx.commit()?;
        Ok(indexes.len())
    }

    /// Builds every index a first refresh deferred (none: nothing to do), in one
    /// transaction. Returns how many were built.
    pub fn build_deferred_indexes(&mut self) -> Result<usize, StoreError> {
        Ok(build_deferred(&mut self.conn)?)
    }
}

/// [`Store::build_deferred_indexes`] on a connection (also run by `Store::open`,
/// after a refresh that did not finish).
pub(super) fn build_deferred(conn: &mut Connection) -> rusqlite::Result<usize> {
    let pending: i64 = conn.query_row("SELECT COUNT(*) FROM deferred_indexes", [], |row| {
        row.get(0)
    })?;
    if pending == 0 {
        return Ok(0);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let indexes: Vec<(String, String)> = tx
        .prepare("SELECT name, sql FROM deferred_indexes ORDER BY name")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, sql) in &indexes {
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1)",
            [name],
            |row| row.get(0),
        )?;
        if !exists {
            tx.execute_batch(sql)?;
        }
    }
    tx.execute("DELETE FROM deferred_indexes", [])?;
    tx.commit()?;
    Ok(indexes.len())
}

/// An SQL identifier in double quotes.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
