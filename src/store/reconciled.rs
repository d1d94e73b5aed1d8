//! Reconciliation's side of the store: every synced item's state as read before
//! the server is asked, and the changes reconciliation decided, written in one
//! transaction.
//!
//! A reconciliation can flip the read state of 100,000 items at once (every
//! entry marked read on the phone). The changes are grouped by the values they
//! write and each group is bound as one set of ids (`rarray(?)`): a few
//! statements, no table of changes to fill first, and rows that already hold
//! the values are not rewritten. Two triggers keep the unread counts per item
//! changed (`item_state_count_read` → `feeds.unread_count`, `item_state_tag_counts_read`
//! → `feed_tag_counts`): one `UPDATE` each per row. For a large flip they are
//! set aside (`set_aside.rs`: dropped inside the write transaction, created
//! again from their own stored SQL before the commit), the flipped rows' feeds
//! come back from the update itself (`RETURNING`), and the counts are moved by
//! those deltas (what the triggers would have added). When the flip is most of
//! the table, the two partial indexes of unread items are set aside too and
//! built anew after the update, in one sorted pass, instead of moving every
//! flipped row in or out of both.

use std::collections::HashSet;
use std::rc::Rc;

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, ToSql, Transaction, params_from_iter};

use super::read_counts::{SET_WIDE_FROM, SetWideFlip};
use super::{StateChange, Store, StoreError, SyncedState};

/// How many consecutive ids make a run worth its own statement.
const MIN_RUN: usize = 32;

/// A set of ids, bound the cheapest way: runs of consecutive ids (a flip of
/// every entry is mostly one run) as the bounds of a `BETWEEN`, the rest as
/// one `rarray` (which SQLite first copies into a temporary index).
#[derive(Default)]
struct Ids {
    runs: Vec<(i64, i64)>,
    rest: Vec<Value>,
}

impl Ids {
    fn new(mut ids: Vec<i64>) -> Ids {
        ids.sort_unstable();
        ids.dedup();
        let mut set = Ids::default();
        for run in ids.chunk_by(|a, b| *b == *a + 1) {
            match (run.first(), run.last()) {
                (Some(low), Some(high)) if run.len() >= MIN_RUN => set.runs.push((*low, *high)),
                _ => set.rest.extend(run.iter().map(|id| Value::Integer(*id))),
            }
        }
        set
    }

    /// Runs `sql`, whose `{ids}` stands for the condition that `column` is
    /// one of the ids, once per run and once for the rest, with `values` as
    /// its first parameters; `each` sees every row it returns.
    fn run(
        self,
        tx: &Transaction<'_>,
        sql: &str,
        column: &str,
        values: &[i64],
        mut each: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<()>,
    ) -> rusqlite::Result<()> {
        let next = values.len() + 1;
        let own = values.iter().map(|value| Value::Integer(*value));
        if !self.runs.is_empty() {
            let condition = format!("{column} BETWEEN ?{next} AND ?{}", next + 1);
            let mut stmt = tx.prepare_cached(&sql.replace("{ids}", &condition))?;
            for (low, high) in self.runs {
                let bound = [Value::Integer(low), Value::Integer(high)];
                let mut rows = stmt.query(params_from_iter(own.clone().chain(bound)))?;
                while let Some(row) = rows.next()? {
                    each(row)?;
                }
            }
        }
        if !self.rest.is_empty() {
            let condition = format!("{column} IN rarray(?{next})");
            let mut stmt = tx.prepare_cached(&sql.replace("{ids}", &condition))?;
            let params: Vec<Box<dyn ToSql>> = own
                .map(|value| Box::new(value) as Box<dyn ToSql>)
                .chain([Box::new(Rc::new(self.rest)) as Box<dyn ToSql>])
                .collect();
            let mut rows = stmt.query(params_from_iter(params))?;
            while let Some(row) = rows.next()? {
                each(row)?;
            }
        }
        Ok(())
    }
}

/// Remote ids with a read mark and with a star mark waiting in the outbox.
fn pending_marks(tx: &Transaction<'_>) -> rusqlite::Result<(HashSet<i64>, HashSet<i64>)> {
    let mut read = HashSet::new();
    let mut starred = HashSet::new();
    let mut stmt = tx.prepare_cached(
        "SELECT remote_id, read IS NOT NULL, starred IS NOT NULL FROM sync_outbox",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let remote_id: i64 = row.get(0)?;
        if row.get(1)? {
            read.insert(remote_id);
        }
        if row.get(2)? {
            starred.insert(remote_id);
        }
    }
    Ok((read, starred))
}

impl Store {
    /// The server id above which the newest `count` entries held here are, or
    /// `None` when fewer are held.
    pub fn newest_held_above(&self, count: usize) -> Result<Option<i64>, StoreError> {
        let Some(offset) = count.checked_sub(1) else {
            return Ok(None);
        };
        let below: Option<i64> = self
            .conn
            .query_row(
                "SELECT remote_id FROM sync_items ORDER BY remote_id DESC LIMIT 1 OFFSET ?1",
                [i64::try_from(offset).unwrap_or(i64::MAX)],
                |row| row.get(0),
            )
            .optional()?;
        Ok(below.map(|id| id - 1))
    }

    /// Every synced item's local and server state and pending marks, by remote id.
    pub fn synced_states(&self) -> Result<Vec<SyncedState>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT s.remote_id, s.item_id, st.read, st.starred, s.server_read, s.server_starred, \
                    o.read, o.starred \
             FROM sync_items s JOIN item_state st ON st.item_id = s.item_id \
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
        self.check_file()?;
        let tx = self.begin_write()?;
        let written = apply_changes(&tx, changes, gone, now, set_wide_from)?;
        super::synced::put_sync_values(&tx, state)?;
        tx.commit()?;
        written.log();
        Ok(())
    }

    /// Applies reconciliation's changes (as [`Store::sync_apply`], nothing
    /// gone) in a transaction left open: reconciliation decided ahead of the
    /// server's answer, committed with the state values once the answer
    /// confirms it, rolled back when it is dropped. The write lock is held
    /// meanwhile; a mark made in the reader waits for it, then wins.
    pub fn sync_apply_ahead(
        &mut self,
        changes: &[StateChange],
        now: i64,
    ) -> Result<Ahead<'_>, StoreError> {
        self.check_file()?;
        let file = self.file.as_ref();
        let tx = super::begin_write(&mut self.conn, file)?;
        let written = apply_changes(&tx, changes, &[], now, SET_WIDE_FROM)?;
        Ok(Ahead { tx, written, file })
    }
}

/// Changes applied ahead of the server's answer, not yet committed.
pub struct Ahead<'a> {
    tx: Transaction<'a>,
    written: Written,
    /// Checked again before the commit: the transaction may be held for a
    /// second while the server answers, long enough for the file to be moved.
    file: Option<&'a super::opened_file::OpenedFile>,
}

impl Ahead<'_> {
    /// Records the state values and commits.
    pub fn commit(self, state: &[(&str, String)]) -> Result<(), StoreError> {
        if let Some(file) = self.file {
            // Dropping the transaction rolls it back.
            file.still_there()?;
        }
        super::synced::put_sync_values(&self.tx, state)?;
        self.tx.commit()?;
        self.written.log();
        Ok(())
    }
}

/// What a write of changes flipped, for the log.
struct Written {
    flipped: usize,
    set_wide: bool,
}

impl Written {
    fn log(&self) {
        if self.flipped > 0 {
            tracing::debug!(
                flipped = self.flipped,
                set_wide = self.set_wide,
                "read state written"
            );
        }
    }
}

/// The changes and the entries gone, written in `tx` (see [`Store::sync_apply`]).
fn apply_changes(
    tx: &Transaction<'_>,
    changes: &[StateChange],
    gone: &[i64],
    now: i64,
    set_wide_from: usize,
) -> Result<Written, StoreError> {
    for table in ["sync_items", "sync_outbox"] {
        Ids::new(gone.to_vec()).run(
            tx,
            &format!("DELETE FROM {table} WHERE {{ids}}"),
            "remote_id",
            &[],
            |_| Ok(()),
        )?;
    }
    // The changes, grouped by the values they write, each group bound as
    // one set of ids: with 100,000 entries flipped on the server this is a
    // few statements, with no table of the changes to fill first (the
    // search index is not touched).
    let (pending_read, pending_starred) = pending_marks(tx)?;
    let mut recorded: [Vec<i64>; 4] = Default::default();
    let mut stars: [Vec<i64>; 2] = Default::default();
    let mut reads: [Vec<i64>; 2] = Default::default();
    for change in changes {
        let server = usize::from(change.server_read) * 2 + usize::from(change.server_starred);
        recorded[server].push(change.remote_id);
        // A mark queued since the states were read wins over the server.
        if let Some(starred) = change.starred
            && !pending_starred.contains(&change.remote_id)
        {
            stars[usize::from(starred)].push(change.item_id);
        }
        if let Some(read) = change.read
            && !pending_read.contains(&change.remote_id)
        {
            reads[usize::from(read)].push(change.item_id);
        }
    }
    for (server, ids) in (0i64..).zip(recorded) {
        // Rows that already hold these values are not rewritten.
        Ids::new(ids).run(
            tx,
            "UPDATE OR FAIL sync_items SET server_read = ?1, server_starred = ?2 \
             WHERE {ids} AND (server_read <> ?1 OR server_starred <> ?2)",
            "remote_id",
            &[server / 2, server % 2],
            |_| Ok(()),
        )?;
    }
    for (starred, ids) in (0i64..).zip(stars) {
        Ids::new(ids).run(
            tx,
            "UPDATE OR FAIL item_state SET starred = ?1, starred_at = ?2 \
             WHERE {ids} AND starred <> ?1",
            "item_id",
            &[starred, now],
            |_| Ok(()),
        )?;
    }
    let flips = reads[0].len() + reads[1].len();
    let mut flip = if flips >= set_wide_from {
        SetWideFlip::start(tx, flips, reads[0].len())?
    } else {
        SetWideFlip::default()
    };
    // Only the rows whose flag really changes; with the triggers set aside,
    // each one's feed comes back for the counts. `OR FAIL`: no statement
    // journal (a failure fails the whole transaction, which is rolled back).
    let mut flipped = 0;
    let set_wide = flip.is_set_wide();
    for (read, ids) in (0i64..).zip(reads) {
        let delta = if read == 1 { -1 } else { 1 };
        Ids::new(ids).run(
            tx,
            "UPDATE OR FAIL item_state SET read = ?1, read_at = ?2 \
             WHERE {ids} AND read <> ?1 RETURNING item_id, feed_id",
            "item_id",
            &[read, now],
            |row| {
                flipped += 1;
                if set_wide {
                    flip.flipped(row.get(0)?, row.get(1)?, delta);
                }
                Ok(())
            },
        )?;
    }
    flip.finish(tx)?;
    Ok(Written { flipped, set_wide })
}
