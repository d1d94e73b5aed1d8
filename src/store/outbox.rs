//! The outbox of read/unread and star/unstar marks made locally on items that came
//! from a feed server, waiting to be sent to it.
//!
//! Marks are queued in the same transaction as the local change (the hooks below
//! are called by `state.rs`), so a mark that is on screen is also in the outbox,
//! whatever happens next. One row per server entry, one column per flag: a later
//! mark replaces an earlier one, and a mark that brings an item back to the state
//! the server last reported removes the pending value (read then unread cancels
//! out). Rows are keyed by the server's entry id and have no foreign key, so a mark
//! outlives the local cleanup of its item and days offline.

use rusqlite::types::Value;
use rusqlite::{Connection, params, params_from_iter};

use super::{ItemId, Store, StoreError};

/// Which flag a mark sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// Read (`true`) or unread.
    Read,
    /// Starred (`true`) or not.
    Starred,
}

impl Flag {
    /// The column of `sync_outbox` and of `sync_items` (`server_<column>`).
    fn column(self) -> &'static str {
        match self {
            Flag::Read => "read",
            Flag::Starred => "starred",
        }
    }

    fn from_column(column: &str) -> Option<Flag> {
        match column {
            "read" => Some(Flag::Read),
            "starred" => Some(Flag::Starred),
            _ => None,
        }
    }
}

/// One entry's pending marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingMarks {
    /// The server's id of the entry.
    pub remote_id: i64,
    /// Read state to send, if any.
    pub read: Option<bool>,
    /// Starred state to send, if any.
    pub starred: Option<bool>,
    /// How many sends of this row failed so far.
    pub attempts: i64,
}

/// What the outbox holds, for `khabar feeds` and the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxStats {
    /// Entries with at least one mark to send.
    pub entries: u64,
    /// Marks to send (an entry can have a read and a star mark).
    pub marks: u64,
}

/// Queues `flag = value` for those of `ids` that came from the server. Called
/// inside the transaction that changes the items.
pub(super) fn queue_marks(
    tx: &Connection,
    ids: &[ItemId],
    column: &str,
    value: bool,
    now: i64,
) -> rusqlite::Result<()> {
    let Some(flag) = Flag::from_column(column) else {
        return Ok(());
    };
    if ids.is_empty() || !has_synced_items(tx)? {
        return Ok(());
    }
    let placeholders = (0..ids.len())
        .map(|i| format!("?{}", i + 3))
        .collect::<Vec<_>>()
        .join(", ");
    let selection = format!("SELECT remote_id FROM sync_items WHERE item_id IN ({placeholders})");
    let mut values = vec![Value::Integer(value.into()), Value::Integer(now)];
    values.extend(ids.iter().map(|id| Value::Integer(*id)));
    queue(tx, flag, &selection, values)
}

/// Queues "read" for every synced item among `ids` (SQL selecting the item ids a
/// mark-all flips, with no placeholders): exactly the items the local `UPDATE`
/// marks, never a server-side "mark feed read".
pub(super) fn queue_mark_all(tx: &Connection, ids: &str, now: i64) -> rusqlite::Result<()> {
    if !has_synced_items(tx)? {
        return Ok(());
    }
    let selection = format!("SELECT si.remote_id FROM sync_items si WHERE si.item_id IN ({ids})");
    queue(
        tx,
        Flag::Read,
        &selection,
        vec![Value::Integer(1), Value::Integer(now)],
    )
}

fn has_synced_items(tx: &Connection) -> rusqlite::Result<bool> {
    tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM sync_items)")?
        .query_row([], |row| row.get(0))
}

/// The merge: set the pending value for every selected entry, then drop the values
/// that equal what the server last reported, then the rows left empty.
/// `values[0]` is the flag value, `values[1]` the time; `selection` selects
/// `remote_id`s and may use the rest.
fn queue(tx: &Connection, flag: Flag, selection: &str, values: Vec<Value>) -> rusqlite::Result<()> {
    let column = flag.column();
    tx.execute(
        &format!(
            "INSERT INTO sync_outbox (remote_id, {column}, queued_at) \
             SELECT remote_id, ?1, ?2 FROM ({selection}) WHERE true \
             ON CONFLICT (remote_id) DO UPDATE SET {column} = excluded.{column}, \
                                                   queued_at = excluded.queued_at"
        ),
        params_from_iter(values.iter()),
    )?;
    tx.execute(
        &format!(
            "UPDATE sync_outbox SET {column} = NULL \
             WHERE {column} IS NOT NULL AND {column} = \
                   (SELECT server_{column} FROM sync_items s \
                     WHERE s.remote_id = sync_outbox.remote_id)"
        ),
        [],
    )?;
    tx.execute(
        "DELETE FROM sync_outbox WHERE read IS NULL AND starred IS NULL",
        [],
    )?;
    Ok(())
}

impl Store {
    /// Every entry with marks to send, oldest first.
    pub fn outbox_pending(&self) -> Result<Vec<PendingMarks>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT remote_id, read, starred, attempts FROM sync_outbox \
             ORDER BY queued_at, remote_id",
        )?;
        let rows = stmt
            .query_map([], |row| {
                Ok(PendingMarks {
                    remote_id: row.get(0)?,
                    read: row.get(1)?,
                    starred: row.get(2)?,
                    attempts: row.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// How many marks wait to be sent.
    pub fn outbox_stats(&self) -> Result<OutboxStats, StoreError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM((read IS NOT NULL) + (starred IS NOT NULL)), 0) \
             FROM sync_outbox",
            [],
            |row| {
                Ok(OutboxStats {
                    entries: row.get::<_, i64>(0)?.max(0) as u64,
                    marks: row.get::<_, i64>(1)?.max(0) as u64,
                })
            },
        )?)
    }

    /// The server now has `flag = value` for `remote_ids`: the server state is
    /// recorded and the pending mark dropped, unless the user changed it again
    /// meanwhile (then the newer mark stays to be sent).
    pub fn outbox_acknowledge(
        &mut self,
        flag: Flag,
        value: bool,
        remote_ids: &[i64],
    ) -> Result<(), StoreError> {
        let column = flag.column();
        self.check_file()?;
        let tx = self.begin_write()?;
        {
            let mut server = tx.prepare_cached(&format!(
                "UPDATE sync_items SET server_{column} = ?2 WHERE remote_id = ?1"
            ))?;
            let mut sent = tx.prepare_cached(&format!(
                "UPDATE sync_outbox SET {column} = NULL, attempts = 0, last_error = NULL \
                 WHERE remote_id = ?1 AND {column} = ?2"
            ))?;
            for id in remote_ids {
                server.execute(params![id, value])?;
                sent.execute(params![id, value])?;
            }
        }
        tx.execute(
            "DELETE FROM sync_outbox WHERE read IS NULL AND starred IS NULL",
            [],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A send failed: the rows stay, with the attempt counted and the reason.
    pub fn outbox_record_failure(
        &mut self,
        remote_ids: &[i64],
        error: &str,
    ) -> Result<(), StoreError> {
        self.check_file()?;
        let tx = self.begin_write()?;
        {
            let mut failed = tx.prepare_cached(
                "UPDATE sync_outbox SET attempts = attempts + 1, last_error = ?2 \
                 WHERE remote_id = ?1",
            )?;
            for id in remote_ids {
                failed.execute(params![id, error])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
