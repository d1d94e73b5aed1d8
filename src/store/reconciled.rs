//! Reconciliation's side of the store: every synced item's state as read before
//! the server is asked, and the changes reconciliation decided, written in one
//! transaction.
//!
//! A reconciliation can flip the read state of 100,000 items at once (every
//! entry marked read on the phone). Two triggers keep the unread counts per
//! item changed (`items_count_read` → `feeds.unread_count`,
//! `items_tag_counts_read` → `feed_tag_counts`): one `UPDATE` each per row. For
//! a large flip they are dropped inside the write transaction, the counts are
//! moved by one set-wide statement each (the same deltas the triggers would
//! have added), and the triggers are created again from their own stored SQL
//! before the commit. Other connections never see the database without them
//! (they see the state before the commit or after it), and a crash rolls the
//! whole write back, triggers included.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{StateChange, Store, StoreError, SyncedState};

/// From how many read flips the count triggers are set aside for one set-wide
/// write. Below it the triggers run per row: cheap, and no schema change (which
/// makes every other connection prepare its statements again).
const SET_WIDE_FROM: usize = 2_000;

/// The count triggers on `items.read` and the set-wide statement that moves
/// the same counts for every row of `temp.sync_flips` at once.
const READ_COUNT_TRIGGERS: [(&str, &str); 2] = [
    (
        "items_count_read",
        "UPDATE feeds SET unread_count = unread_count + d.delta \
         FROM (SELECT feed_id, SUM(CASE WHEN read = 0 THEN 1 ELSE -1 END) AS delta \
               FROM temp.sync_flips GROUP BY feed_id) d \
         WHERE feeds.id = d.feed_id",
    ),
    (
        "items_tag_counts_read",
        "UPDATE feed_tag_counts SET unread = unread + d.delta \
         FROM (SELECT f.feed_id, t.tag, SUM(CASE WHEN f.read = 0 THEN 1 ELSE -1 END) AS delta \
               FROM temp.sync_flips f JOIN tag_items t ON t.item_id = f.item_id \
               GROUP BY f.feed_id, t.tag) d \
         WHERE feed_tag_counts.feed_id = d.feed_id AND feed_tag_counts.tag = d.tag",
    ),
];

impl Store {
    /// Every synced item's local and server state and pending marks, by remote id.
    pub fn synced_states(&self) -> Result<Vec<SyncedState>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT s.remote_id, s.item_id, i.read, i.starred, s.server_read, s.server_starred, \
                    o.read, o.starred \
             FROM sync_items s JOIN items i ON i.id = s.item_id \
             LEFT JOIN sync_outbox o ON o.remote_id = s.remote_id \
             ORDER BY s.remote_id",
        )?;
        let rows = stmt
            .query_map([], |row| {
                Ok(SyncedState {
                    remote_id: row.get(0)?,
                    item_id: row.get(1)?,
                    read: row.get(2)?,
                    starred: row.get(3)?,
                    server_read: row.get(4)?,
                    server_starred: row.get(5)?,
                    pending_read: row.get(6)?,
                    pending_starred: row.get(7)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Applies reconciliation's changes and state values in one transaction. A
    /// local change is skipped for an item whose mark was queued after the states
    /// were read (the user's newest mark wins until it is sent). Entries in `gone`
    /// (the server no longer has them) are unlinked: their items stay as they
    /// are, plain local items, and marks waiting for them are dropped (there is
    /// nothing left on the server to mark).
    pub fn sync_apply(
        &mut self,
        changes: &[StateChange],
        gone: &[i64],
        state: &[(&str, String)],
        now: i64,
    ) -> Result<(), StoreError> {
        self.sync_apply_with(changes, gone, state, now, SET_WIDE_FROM)
    }

    /// [`Store::sync_apply`] with the number of read flips from which the count
    /// triggers are set aside: tests run both paths on the same data.
    #[doc(hidden)]
    pub fn sync_apply_with(
        &mut self,
        changes: &[StateChange],
        gone: &[i64],
        state: &[(&str, String)],
        now: i64,
        set_wide_from: usize,
    ) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut unlink = tx.prepare_cached("DELETE FROM sync_items WHERE remote_id = ?1")?;
            let mut unqueue = tx.prepare_cached("DELETE FROM sync_outbox WHERE remote_id = ?1")?;
            for remote_id in gone {
                unlink.execute([remote_id])?;
                unqueue.execute([remote_id])?;
            }
        }
        // The changes go into a temporary table, then a few set-wide statements
        // apply them: with 100,000 entries flipped on the server this is a few
        // statements instead of 300,000 (the search index is not touched).
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS sync_changes ( \
                 remote_id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL, \
                 read INTEGER, starred INTEGER, \
                 server_read INTEGER NOT NULL, server_starred INTEGER NOT NULL); \
             DELETE FROM temp.sync_changes; \
             CREATE TEMP TABLE IF NOT EXISTS sync_flips ( \
                 item_id INTEGER PRIMARY KEY, feed_id INTEGER NOT NULL, read INTEGER NOT NULL); \
             DELETE FROM temp.sync_flips;",
        )?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO temp.sync_changes \
                 (remote_id, item_id, read, starred, server_read, server_starred) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for change in changes {
                insert.execute(params![
                    change.remote_id,
                    change.item_id,
                    change.read,
                    change.starred,
                    change.server_read,
                    change.server_starred
                ])?;
            }
        }
        tx.execute(
            "UPDATE sync_items SET server_read = c.server_read, server_starred = c.server_starred \
             FROM temp.sync_changes c WHERE sync_items.remote_id = c.remote_id \
               AND (sync_items.server_read <> c.server_read \
                    OR sync_items.server_starred <> c.server_starred)",
            [],
        )?;
        // Only the rows whose flag really changes, and not those with a mark
        // queued since the states were read.
        tx.execute(
            "UPDATE items SET starred = c.starred, starred_at = ?1 \
             FROM temp.sync_changes c \
             WHERE items.id = c.item_id AND c.starred IS NOT NULL \
               AND items.starred <> c.starred \
               AND NOT EXISTS (SELECT 1 FROM sync_outbox o \
                               WHERE o.remote_id = c.remote_id AND o.starred IS NOT NULL)",
            [now],
        )?;
        let flips = tx.execute(
            "INSERT INTO temp.sync_flips (item_id, feed_id, read) \
             SELECT i.id, i.feed_id, c.read FROM temp.sync_changes c \
             JOIN items i ON i.id = c.item_id \
             WHERE c.read IS NOT NULL AND i.read <> c.read \
               AND NOT EXISTS (SELECT 1 FROM sync_outbox o \
                               WHERE o.remote_id = c.remote_id AND o.read IS NOT NULL)",
            [],
        )?;
        let mut set_aside = Vec::new();
        if flips >= set_wide_from {
            for (name, counts) in READ_COUNT_TRIGGERS {
                let sql: Option<String> = tx
                    .query_row(
                        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                        [name],
                        |row| row.get(0),
                    )
                    .optional()?;
                // A trigger this build does not find is not set aside, and its
                // counts are not moved here either.
                if let Some(sql) = sql {
                    tx.execute_batch(&format!("DROP TRIGGER {name}"))?;
                    set_aside.push((sql, counts));
                }
            }
        }
        tx.execute(
            "UPDATE items SET read = f.read, read_at = ?1 \
             FROM temp.sync_flips f WHERE items.id = f.item_id",
            [now],
        )?;
        for (sql, counts) in &set_aside {
            tx.execute(counts, [])?;
            tx.execute_batch(sql)?;
        }
        tx.execute_batch("DELETE FROM temp.sync_changes; DELETE FROM temp.sync_flips;")?;
        super::synced::put_sync_values(&tx, state)?;
        tx.commit()?;
        if flips > 0 {
            tracing::debug!(
                flips,
                set_wide = !set_aside.is_empty(),
                "read state written"
            );
        }
        Ok(())
    }
}
