//! Schema objects set aside for one large write: dropped inside the write's
//! transaction and created again from their own stored SQL before it commits.
//!
//! Reconciliation can flip the read state of 100,000 items at once. Row by
//! row, each flip runs the count triggers and moves the item in and out of the
//! two partial indexes of unread items; for a flip of most of the table it is
//! cheaper to drop those, write, and build them again (the triggers' work is
//! then done set-wide by `reconciled::Counts`; an index is built in one sorted
//! pass). Other connections never see the database without them (they see the
//! state before the commit or after it), and a crash or a rollback puts them
//! back with everything else.

use rusqlite::{OptionalExtension, Transaction};

/// The count triggers on `item_state.read`, whose counts
/// `reconciled::Counts::write` moves while they are set aside.
pub(super) const READ_COUNT_TRIGGERS: [&str; 2] =
    ["item_state_count_read", "item_state_tag_counts_read"];

/// The partial indexes of unread items (`WHERE read = 0`): a read flip moves
/// each flipped row in or out of both.
pub(super) const UNREAD_INDEXES: [&str; 2] = ["state_unread_by_time", "state_unread_by_feed_time"];

/// What kind of schema object is set aside.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Trigger,
    Index,
}

impl Kind {
    /// Its `type` in `sqlite_master`.
    fn name(self) -> &'static str {
        match self {
            Kind::Trigger => "trigger",
            Kind::Index => "index",
        }
    }
}

/// Objects dropped in a transaction, with the SQL that creates them again.
#[derive(Default)]
pub(super) struct SetAside {
    objects: Vec<(&'static str, String)>,
    /// The planner's statistics of the indexes dropped (`sqlite_stat1` rows,
    /// when `ANALYZE` made that table), which `DROP INDEX` deletes with them.
    stats: Vec<(String, String, String)>,
}

impl SetAside {
    /// Drops those of `names` (each a `kind`) that exist in `tx`'s database.
    /// One this build does not find is not set aside.
    pub(super) fn drop(
        &mut self,
        tx: &Transaction<'_>,
        kind: Kind,
        names: &[&'static str],
    ) -> rusqlite::Result<()> {
        for name in names {
            let sql: Option<String> = tx
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE type = ?1 AND name = ?2",
                    [kind.name(), name],
                    |row| row.get(0),
                )
                .optional()?;
            if let Some(sql) = sql {
                if kind == Kind::Index {
                    self.keep_stats(tx, name)?;
                }
                let drop = match kind {
                    Kind::Trigger => "DROP TRIGGER",
                    Kind::Index => "DROP INDEX",
                };
                tx.execute_batch(&format!("{drop} {name}"))?;
                self.objects.push((name, sql));
            }
        }
        Ok(())
    }

    fn keep_stats(&mut self, tx: &Transaction<'_>, index: &str) -> rusqlite::Result<()> {
        let analysed: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1')",
            [],
            |row| row.get(0),
        )?;
        if analysed {
            let mut stmt = tx.prepare("SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx = ?1")?;
            let rows =
                stmt.query_map([index], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
            for row in rows {
                self.stats.push(row?);
            }
        }
        Ok(())
    }

    /// The names of the objects set aside.
    pub(super) fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.objects.iter().map(|(name, _)| *name)
    }

    /// Whether anything was set aside.
    pub(super) fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// Creates every object again from its stored SQL (an index is built anew
    /// from the rows as they are now).
    pub(super) fn restore(self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        for (_, sql) in self.objects {
            tx.execute_batch(&sql)?;
        }
        for (table, index, stat) in self.stats {
            tx.execute(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?1, ?2, ?3)",
                [table, index, stat],
            )?;
        }
        Ok(())
    }
}

/// Whether building the unread indexes anew is cheaper than moving `flips`
/// rows in and out of them, given the table's `rows` and the items that may be
/// unread after the write (`unread_after`), both upper bounds. Measured on 100,000
/// synced items (BENCHMARKS.md, issue 11): a flip moved in place costs about
/// ten times what a row scanned by the build does, and an unread row the build
/// indexes about half of a flip.
pub(super) fn rebuild_unread_indexes(flips: u64, rows: u64, unread_after: u64) -> bool {
    flips.saturating_mul(10) >= rows.saturating_add(unread_after.saturating_mul(5))
}

#[cfg(test)]
mod tests {
    use super::rebuild_unread_indexes;

    #[test]
    fn a_flip_of_most_of_the_table_rebuilds_a_small_one_does_not() {
        // Every one of 100,000 items flipped, either way.
        assert!(rebuild_unread_indexes(100_000, 100_000, 100_000));
        assert!(rebuild_unread_indexes(100_000, 100_000, 0));
        // 100,000 of a million made unread beside 100,000 unread already.
        assert!(!rebuild_unread_indexes(100_000, 1_000_000, 200_000));
        // 3,000 of 100,000.
        assert!(!rebuild_unread_indexes(3_000, 100_000, 3_000));
    }
}
