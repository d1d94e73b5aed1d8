//! Read and starred state, and the cleanup policy.
//!
//! State changes are committed before the call returns, so a read mark survives a
//! crash of the reader a moment later. The cleanup only ever removes items that are
//! read, not starred, and older than the policy; it remembers their identities so
//! a feed that still carries them cannot bring them back as unread.

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter};

use super::query::Scope;
use super::read_counts::{SET_WIDE_FROM, SetWideFlip};
use super::{CleanupPolicy, ItemId, ItemQuery, Store, StoreError};

/// SQLite binds at most 32,766 parameters; stay well below.
const IDS_PER_STATEMENT: usize = 500;

const SECONDS_PER_DAY: i64 = 86_400;

/// Items removed per cleanup transaction.
const CLEANUP_BATCH: i64 = 5_000;

/// The cleanup's next batch: read, unstarred, sorted and read before the cutoff
/// `?1`, at most `?2`. Driven by the items' time index: with nothing old enough
/// (the usual refresh) it reads nothing, where a scan of the states took 21 ms
/// at 500,000 items.
const CLEANUP_CANDIDATES: &str = "SELECT i.id \
     FROM items i CROSS JOIN item_state st ON st.item_id = i.id \
     WHERE i.sort_time < ?1 AND st.read = 1 AND st.starred = 0 \
       AND COALESCE(st.read_at, 0) < ?1 LIMIT ?2";

/// The items [`mark_scope_read`] marks, once its scope is evaluated.
const MARKED_SCOPE_IDS: &str = "SELECT item_id FROM temp.marked_scope";

/// Marks read, in `tx`, the unread items `SELECT {id_col} FROM {from_where}`
/// names (`from_where` has only numbered placeholders, bound to `values`, and
/// selects unread items only), and queues their marks for the sync server;
/// returns how many changed. From `set_wide_from` flips the write is set-wide
/// (`read_counts.rs`): a "mark all read" of a large list or search moves the
/// counts once per feed and tag instead of once per item.
pub(super) fn mark_scope_read(
    tx: &rusqlite::Transaction<'_>,
    id_col: &str,
    from_where: &str,
    values: &[Value],
    now: i64,
    set_wide_from: usize,
) -> Result<u64, StoreError> {
    // The scope is evaluated once, into a temporary table that the outbox, the
    // count and the update then read by id: a search scope (FTS5 matches, tag and
    // date joins) used to run three times, and its last run came after the
    // set-wide path had dropped the unread indexes it was planned with.
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS marked_scope (item_id INTEGER PRIMARY KEY); \
         DELETE FROM temp.marked_scope;",
    )?;
    let flips = tx.execute(
        &format!("INSERT OR IGNORE INTO temp.marked_scope SELECT {id_col} FROM {from_where}"),
        params_from_iter(values),
    )?;
    let changed = mark_marked_scope_read(tx, flips, now, set_wide_from)?;
    // The rows are this call's alone (on an error the transaction's rollback
    // takes them).
    tx.execute("DELETE FROM temp.marked_scope", [])?;
    Ok(changed)
}

/// The second half of [`mark_scope_read`]: marks the `flips` items of
/// `temp.marked_scope` read.
fn mark_marked_scope_read(
    tx: &rusqlite::Transaction<'_>,
    flips: usize,
    now: i64,
    set_wide_from: usize,
) -> Result<u64, StoreError> {
    if flips == 0 {
        return Ok(0);
    }
    super::outbox::queue_mark_all(tx, MARKED_SCOPE_IDS, now)?;
    let sql = format!(
        "UPDATE item_state SET read = 1, read_at = ?1 \
         WHERE read = 0 AND item_id IN ({MARKED_SCOPE_IDS})"
    );
    if flips < set_wide_from.max(1) {
        return Ok(tx.execute(&sql, [now])? as u64);
    }
    let mut flip = SetWideFlip::start(tx, flips, 0)?;
    let mut changed = 0;
    {
        let mut update = tx.prepare(&format!("{sql} RETURNING item_id, feed_id"))?;
        let mut rows = update.query([now])?;
        while let Some(row) = rows.next()? {
            changed += 1;
            flip.flipped(row.get(0)?, row.get(1)?, -1);
        }
    }
    flip.finish(tx)?;
    Ok(changed)
}

/// Items that a khabar from before `item_state` wrote into this file after it
/// was upgraded (a reader of the old version left running, refreshing) have no
/// state row: that khabar inserts into `items` alone, counting each new item
/// unread. They get one, unread, when the file is next opened, so they are
/// listed again. Two index lookups when nothing is missing; the old khabar's
/// ids are always above every state row's (SQLite gives a new row the highest
/// id plus one, and an item's delete takes its state row).
pub(super) fn add_missing_state_rows(conn: &rusqlite::Connection) -> rusqlite::Result<usize> {
    let (items_max, state_max): (i64, i64) = conn.query_row(
        "SELECT COALESCE((SELECT MAX(id) FROM items), 0), \
                COALESCE((SELECT MAX(item_id) FROM item_state), 0)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    if items_max <= state_max {
        return Ok(0);
    }
    conn.execute(
        "INSERT OR IGNORE INTO item_state (item_id, feed_id, sort_time) \
         SELECT id, feed_id, sort_time FROM items WHERE id > ?1",
        [state_max],
    )
}

impl Store {
    /// Sets read state, durably, before returning. Refused with
    /// [`StoreError::FileReplaced`] when the database file was removed or
    /// replaced since it was opened (as is every mark below).
    pub fn set_read(&mut self, ids: &[ItemId], read: bool, now: i64) -> Result<u64, StoreError> {
        self.set_flag(ids, "read", read, now)
    }

    /// Stars or unstars items; returns how many changed.
    pub fn set_starred(
        &mut self,
        ids: &[ItemId],
        starred: bool,
        now: i64,
    ) -> Result<u64, StoreError> {
        self.set_flag(ids, "starred", starred, now)
    }

    /// Which of `ids` are no longer in the database: removed by another
    /// process (a cron cleanup, `khabar remove`) since the reader listed them.
    /// A mark that changed nothing asks this to tell "already so" from "gone".
    pub fn missing_items(&self, ids: &[ItemId]) -> Result<Vec<ItemId>, StoreError> {
        let mut missing = Vec::new();
        let mut present = self
            .conn
            .prepare_cached("SELECT 1 FROM item_state WHERE item_id = ?1")?;
        for &id in ids {
            if !present.exists([id])? {
                missing.push(id);
            }
        }
        Ok(missing)
    }

    /// `column` is `read` or `starred`; its timestamp column is `<column>_at`.
    fn set_flag(
        &mut self,
        ids: &[ItemId],
        column: &'static str,
        value: bool,
        now: i64,
    ) -> Result<u64, StoreError> {
        // Into a file removed or replaced since it was opened, the mark would be
        // lost: refused before the transaction, so nothing is undone.
        self.check_file()?;
        let tx = self.begin_write()?;
        let mut changed = 0;
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let placeholders = (0..chunk.len())
                .map(|i| format!("?{}", i + 3))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "UPDATE item_state SET {column} = ?1, {column}_at = ?2 \
                 WHERE {column} <> ?1 AND item_id IN ({placeholders})"
            );
            let mut values = vec![Value::Integer(value.into()), Value::Integer(now)];
            values.extend(chunk.iter().map(|id| Value::Integer(*id)));
            changed += tx.execute(&sql, params_from_iter(values))? as u64;
            super::outbox::queue_marks(&tx, chunk, column, value, now)?;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Marks every item matching `query` read; returns how many changed. Many
    /// items (a "mark all read" of a large list) are flipped set-wide
    /// (`read_counts.rs`): the counts moved once per feed and tag, the unread
    /// indexes built anew when most of the table flips.
    pub fn mark_all_read(&mut self, query: &ItemQuery, now: i64) -> Result<u64, StoreError> {
        self.mark_all_read_with(query, now, SET_WIDE_FROM)
    }

    /// [`Store::mark_all_read`] of the items up to `upto` (an id from
    /// [`Store::newest_item_id`]): the reader marks only what its screen had
    /// loaded, never an item another process or its own refresh added since.
    pub fn mark_all_read_upto(
        &mut self,
        query: &ItemQuery,
        upto: ItemId,
        now: i64,
    ) -> Result<u64, StoreError> {
        self.mark_all_read_bounded(query, Some(upto), now, SET_WIDE_FROM)
    }

    /// The newest item's id: every item added later has a higher one (ids are
    /// never given out twice, `MIGRATION_ITEM_ID_HIGH`), so it bounds "what was
    /// there when this was read". 0 without items.
    pub fn newest_item_id(&self) -> Result<ItemId, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM items")?
            .query_row([], |row| row.get(0))?)
    }

    /// [`Store::mark_all_read`] with the number of flips from which the write
    /// is set-wide: tests run both paths on the same data.
    #[doc(hidden)]
    pub fn mark_all_read_with(
        &mut self,
        query: &ItemQuery,
        now: i64,
        set_wide_from: usize,
    ) -> Result<u64, StoreError> {
        self.mark_all_read_bounded(query, None, now, set_wide_from)
    }

    /// [`Store::mark_all_read_with`] of the items up to `upto`, when given.
    #[doc(hidden)]
    pub fn mark_all_read_bounded(
        &mut self,
        query: &ItemQuery,
        upto: Option<ItemId>,
        now: i64,
        set_wide_from: usize,
    ) -> Result<u64, StoreError> {
        let mut scope = Scope::new(&ItemQuery {
            unread_only: true,
            ..query.clone()
        });
        let mut from_where = scope.state_from_where;
        if let Some(upto) = upto {
            scope.values.push(Value::Integer(upto));
            from_where = format!(
                "{from_where} AND {} <= ?{}",
                scope.id_col,
                scope.values.len()
            );
        }
        self.check_file()?;
        let tx = self.begin_write()?;
        let changed = mark_scope_read(
            &tx,
            scope.id_col,
            &from_where,
            &scope.values,
            now,
            set_wide_from,
        )?;
        tx.commit()?;
        Ok(changed)
    }

    /// Removes read, unstarred items older than the policy allows (by their sort
    /// time: published, else first seen) that were also read longer ago than that:
    /// an old article read today stays readable offline for the whole period
    /// instead of vanishing at the next refresh. Returns how many were removed.
    ///
    /// Works in batches of [`CLEANUP_BATCH`] items, one transaction each, so that a
    /// first cleanup of a large old database never holds the write lock long
    /// enough for the reader's next write to time out.
    pub fn cleanup(&mut self, policy: CleanupPolicy, now: i64) -> Result<u64, StoreError> {
        if policy.keep_read_days == 0 {
            return Ok(0);
        }
        let cutoff = now - i64::from(policy.keep_read_days) * SECONDS_PER_DAY;
        let mut removed = 0;
        loop {
            let tx = self.begin_write()?;
            tx.execute(
                "CREATE TEMP TABLE IF NOT EXISTS cleanup_batch (id INTEGER PRIMARY KEY)",
                [],
            )?;
            tx.execute("DELETE FROM temp.cleanup_batch", [])?;
            let batch = tx.execute(
                &format!("INSERT INTO temp.cleanup_batch (id) {CLEANUP_CANDIDATES}"),
                params![cutoff, CLEANUP_BATCH],
            )? as u64;
            tx.execute(
                "INSERT OR REPLACE INTO removed_items (feed_id, identity, removed_at) \
                 SELECT feed_id, identity, ?1 FROM items \
                 WHERE id IN (SELECT id FROM temp.cleanup_batch)",
                [now],
            )?;
            tx.execute(
                "DELETE FROM items WHERE id IN (SELECT id FROM temp.cleanup_batch)",
                [],
            )?;
            tx.commit()?;
            removed += batch;
            if batch < CLEANUP_BATCH as u64 {
                break;
            }
        }
        if removed > 0 {
            tracing::info!(removed, "cleanup removed old read items");
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::CLEANUP_CANDIDATES;
    use crate::store::Store;

    /// The cleanup runs after every refresh: its candidates come through an
    /// index on the sort time, never a scan of every item or state row.
    #[test]
    fn the_cleanup_candidates_are_found_through_an_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("k.db")).unwrap();
        let plan: Vec<String> = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {CLEANUP_CANDIDATES}"))
            .unwrap()
            .query_map([1_000, 5_000], |row| row.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter().all(|step| !step.starts_with("SCAN")),
            "{plan:?}"
        );
        assert!(plan[0].contains("items_by_time"), "{plan:?}");
    }
}
