//! The database schema as a list of numbered migrations, applied in order and
//! recorded in `PRAGMA user_version`.
//!
//! Rules: a migration is never edited once released, only appended; each runs in
//! the same `BEGIN IMMEDIATE` transaction as the version bump, so a crash leaves
//! the database at the old version or the new one, never in between. A database
//! whose version is higher than [`MIGRATIONS`] knows is refused, not "repaired".

use rusqlite::{Connection, TransactionBehavior};

mod first;
mod migrations;
use first::MIGRATION_1;
use migrations::*;

/// Migration `n` (1-based) is `MIGRATIONS[n - 1]`.
pub(crate) const MIGRATIONS: &[&str] = &[
    MIGRATION_1,
    MIGRATION_2,
    MIGRATION_3,
    MIGRATION_4,
    MIGRATION_5,
    MIGRATION_6,
    MIGRATION_SEARCH,
    MIGRATION_FULLTEXT,
    MIGRATION_REPAIRS,
    MIGRATION_SYNC,
    MIGRATION_STATE,
    MIGRATION_ADOPTED,
    MIGRATION_ADOPTED_SETTINGS,
    MIGRATION_ENCLOSURE_DETAILS,
    MIGRATION_ITEM_ID_HIGH,
    MIGRATION_SEARCH_MERGE_AFTER_WRITES,
];

/// The schema version this build writes (tests compare with this, never with a
/// number: branches append migrations).
pub fn current_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// What [`migrate`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MigrateOutcome {
    UpToDate,
    Upgraded { from: i64, to: i64 },
    TooNew { found: i64 },
}

/// Reads the schema version without taking a write lock.
pub(crate) fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Brings the schema up to [`current_version`]. The check is repeated inside the
/// write transaction because another process may have migrated in the meantime.
pub(crate) fn migrate(conn: &mut Connection) -> rusqlite::Result<MigrateOutcome> {
    let target = current_version();
    let found = user_version(conn)?;
    if found == target {
        return Ok(MigrateOutcome::UpToDate);
    }
    if found > target {
        return Ok(MigrateOutcome::TooNew { found });
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let from = user_version(&tx)?;
    if from > target {
        return Ok(MigrateOutcome::TooNew { found: from });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(from.max(0) as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    tx.commit()?;
    if from == target {
        Ok(MigrateOutcome::UpToDate)
    } else {
        Ok(MigrateOutcome::Upgraded { from, to: target })
    }
}

/// Applies only the first `version` migrations: for tests of the upgrade path.
#[doc(hidden)]
pub fn create_at_version(conn: &mut Connection, version: usize) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().take(version) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    tx.commit()
}

/// The version right before the first migration whose SQL contains `marker`: lets
/// a test create a database as it was before one migration without hard-coding
/// version numbers (the order of migrations is settled at merge).
#[doc(hidden)]
pub fn version_before(marker: &str) -> Option<usize> {
    MIGRATIONS.iter().position(|sql| sql.contains(marker))
}
