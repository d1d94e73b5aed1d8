//! Which feeds were last read "with repairs" (issue 8): the malformed body was
//! recovered rather than refused, and what was repaired, for `khabar feeds`; and
//! which feeds the server asked to pause (429/503 with `Retry-After`).
//! Kept in their own tables (`feed_repairs`, `feed_retry_after`) so feed rows and
//! their queries stay as they are; a refresh writes here only for feeds that have
//! or had repairs or a pause.

use std::collections::HashMap;

use rusqlite::params;

use super::{FeedId, Store, StoreError};

impl Store {
    /// Each repaired feed and what its last body needed, e.g. `2 bare &, cut off`.
    pub fn feed_repairs(&self) -> Result<HashMap<FeedId, String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT feed_id, repairs FROM feed_repairs")?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records, in one transaction, what each feed's new body needed: `Some`
    /// replaces the note, `None` (read without repairs) removes it.
    pub fn record_repairs(
        &mut self,
        feeds: &[(FeedId, Option<String>)],
        now: i64,
    ) -> Result<(), StoreError> {
        if feeds.is_empty() {
            return Ok(());
        }
        let tx = self.begin_write()?;
        {
            let mut set = tx.prepare_cached(
                "INSERT INTO feed_repairs (feed_id, repairs, repaired_at) \
                 SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM feeds WHERE id = ?1) \
                 ON CONFLICT (feed_id) DO UPDATE SET repairs = ?2, repaired_at = ?3",
            )?;
            let mut clear = tx.prepare_cached("DELETE FROM feed_repairs WHERE feed_id = ?1")?;
            for (feed, repairs) in feeds {
                match repairs {
                    Some(repairs) => set.execute(params![feed, repairs, now])?,
                    None => clear.execute([feed])?,
                };
            }
        }
        tx.commit()?;
        Ok(())
    }
}

impl Store {
    /// Each paused feed and the time (Unix seconds) before which it is not fetched.
    pub fn retry_after_all(&self) -> Result<HashMap<FeedId, i64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT feed_id, not_before FROM feed_retry_after")?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Sets (`Some`) or clears (`None`) each feed's Retry-After pause, in one
    /// transaction.
    pub fn record_retry_after(
        &mut self,
        feeds: &[(FeedId, Option<i64>)],
    ) -> Result<(), StoreError> {
        if feeds.is_empty() {
            return Ok(());
        }
        let tx = self.begin_write()?;
        {
            let mut set = tx.prepare_cached(
                "INSERT INTO feed_retry_after (feed_id, not_before) \
                 SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM feeds WHERE id = ?1) \
                 ON CONFLICT (feed_id) DO UPDATE SET not_before = ?2",
            )?;
            let mut clear = tx.prepare_cached("DELETE FROM feed_retry_after WHERE feed_id = ?1")?;
            for (feed, until) in feeds {
                match until {
                    Some(until) => set.execute(params![feed, until])?,
                    None => clear.execute([feed])?,
                };
            }
        }
        tx.commit()?;
        Ok(())
    }
}
