//! Writing the result of a refresh: one feed (or a batch of feeds), one transaction.
//!
//! Item identity is `(feed, identity)`; a known item is rewritten only when its
//! content hash changed, and never loses its read/starred state. Items missing from
//! the fetched feed are left alone (offline reading) until the cleanup removes them.
//! The items themselves are written by `item_writer`.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::item_writer::{ItemWrite, ItemWriter};
use super::search_item_text::PreparedIndex;
use super::{FeedId, FeedUpdate, Store, StoreError, UpdateStats};
use crate::query::Matcher;

/// A feed to write: its id, what was fetched, and perhaps its index text made
/// ahead ([`Store::apply_prepared_updates`]).
pub type PreparedUpdate<'u> = (FeedId, &'u FeedUpdate, Option<&'u PreparedIndex>);

impl Store {
    /// Writes a fetched feed in one transaction: new items inserted unread,
    /// known items updated only when their content hash changed (read state kept).
    pub fn apply_update(
        &mut self,
        feed: FeedId,
        update: &FeedUpdate,
        now: i64,
    ) -> Result<UpdateStats, StoreError> {
        let rules = self.ignore.as_ref().map(|rules| rules.at(now));
        let tx = self.begin_write()?;
        let stats = write_feed_prepared(&tx, feed, update, None, now, rules.as_deref())?;
        tx.commit()?;
        Ok(stats)
    }

    /// Writes several fetched feeds in one transaction, with the same result per
    /// feed as [`Store::apply_update`] would give. One commit instead of one per
    /// feed: the index pages all feeds share (items and tags by time) go to the WAL
    /// once per batch. Should writing any feed fail, the batch is rolled back and
    /// every feed is written in its own transaction, so one bad feed still never
    /// stops the others. A feed removed meanwhile gets its own `NoSuchFeed`.
    pub fn apply_updates(
        &mut self,
        updates: &[(FeedId, &FeedUpdate)],
        now: i64,
    ) -> Vec<Result<UpdateStats, StoreError>> {
        let updates: Vec<PreparedUpdate<'_>> = updates
            .iter()
            .map(|(feed, update)| (*feed, *update, None))
            .collect();
        self.apply_prepared_updates(&updates, now)
    }

    /// [`Store::apply_updates`] with, for some feeds, their items' index text
    /// already made ([`PreparedIndex`], on another thread): what is written is the
    /// same, the writer only does less.
    pub fn apply_prepared_updates(
        &mut self,
        updates: &[PreparedUpdate<'_>],
        now: i64,
    ) -> Vec<Result<UpdateStats, StoreError>> {
        // Relative dates in the rules are read at this write's clock.
        let rules = self.ignore.as_ref().map(|rules| rules.at(now));
        let rules = rules.as_deref();
        match write_batch(&mut self.conn, updates, now, rules) {
            Ok(results) => results,
            Err(err) => {
                tracing::warn!(
                    "writing {} feeds at once failed ({err}); one by one",
                    updates.len()
                );
                updates
                    .iter()
                    .map(|(feed, update, prepared)| {
                        let tx = self.begin_write()?;
                        let stats = write_feed_prepared(&tx, *feed, update, *prepared, now, rules)?;
                        tx.commit()?;
                        Ok(stats)
                    })
                    .collect()
            }
        }
    }

    /// Records a 304 or an unchanged body.
    pub fn record_unchanged(&mut self, feed: FeedId, now: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE feeds SET last_success_at = ?2, last_error = NULL, last_error_at = NULL \
             WHERE id = ?1",
            params![feed, now],
        )?;
        Ok(())
    }

    /// [`Store::record_unchanged`] for many feeds in one commit (a refresh where
    /// little changed is mostly these).
    pub fn record_unchanged_many(&mut self, feeds: &[FeedId], now: i64) -> Result<(), StoreError> {
        let tx = self.begin_write()?;
        {
            let mut record = tx.prepare_cached(
                "UPDATE feeds SET last_success_at = ?2, last_error = NULL, last_error_at = NULL \
                 WHERE id = ?1",
            )?;
            for feed in feeds {
                record.execute(params![feed, now])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Records a failed fetch; the feed keeps its items.
    pub fn record_error(
        &mut self,
        feed: FeedId,
        message: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE feeds SET last_error = ?2, last_error_at = ?3 WHERE id = ?1",
            params![feed, message, now],
        )?;
        Ok(())
    }
}

/// The feeds of [`Store::apply_updates`] in one transaction; an error other than
/// a removed feed rolls all of them back.
fn write_batch(
    conn: &mut Connection,
    updates: &[PreparedUpdate<'_>],
    now: i64,
    rules: Option<&[Matcher]>,
) -> Result<Vec<Result<UpdateStats, StoreError>>, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut results = Vec::with_capacity(updates.len());
    for (feed, update, prepared) in updates {
        match write_feed_prepared(&tx, *feed, update, *prepared, now, rules) {
            // Nothing was written for it; the others go on.
            Err(StoreError::NoSuchFeed(url)) => results.push(Err(StoreError::NoSuchFeed(url))),
            Err(err) => return Err(err),
            Ok(stats) => results.push(Ok(stats)),
        }
    }
    tx.commit()?;
    Ok(results)
}

/// One feed's part of a transaction, without `[[ignore]]` rules: what a sync
/// pulls from a feed server is stored whatever the rules say (dropping it here
/// would contradict the server's unread counts).
pub(super) fn write_feed(
    tx: &Connection,
    feed: FeedId,
    update: &FeedUpdate,
    now: i64,
) -> Result<UpdateStats, StoreError> {
    write_feed_prepared(tx, feed, update, None, now, None)
}

/// [`write_feed`] with the items' index text perhaps made already.
fn write_feed_prepared(
    tx: &Connection,
    feed: FeedId,
    update: &FeedUpdate,
    prepared: Option<&PreparedIndex>,
    now: i64,
    rules: Option<&[Matcher]>,
) -> Result<UpdateStats, StoreError> {
    let exists: Option<i64> = tx
        .prepare_cached("SELECT id FROM feeds WHERE id = ?1")?
        .query_row([feed], |row| row.get(0))
        .optional()?;
    if exists.is_none() {
        // The feed was removed while it was being fetched: nothing to write.
        return Err(StoreError::NoSuchFeed(format!("#{feed}")));
    }
    let parsed = &update.feed;
    tx.prepare_cached(
        "UPDATE feeds SET feed_title = COALESCE(?2, feed_title), \
                          site_link = COALESCE(?3, site_link), \
                          language = COALESCE(?4, language), \
                          etag = ?5, last_modified = ?6, body_hash = ?7, \
                          last_success_at = ?8, last_error = NULL, last_error_at = NULL \
         WHERE id = ?1",
    )?
    .execute(params![
        feed,
        non_empty(parsed.title.as_deref()),
        non_empty(parsed.site_link.as_deref()),
        non_empty(parsed.language.as_deref()),
        update.etag,
        update.last_modified,
        update.body_hash,
        now
    ])?;
    if let Some(new_url) = &update.new_url {
        move_feed(tx, feed, new_url)?;
    }
    let mut writer = ItemWriter::new(tx, feed, now, rules)?;
    let mut stats = UpdateStats::default();
    for (position, item) in parsed.items.iter().enumerate() {
        let text = prepared
            .and_then(|prepared| prepared.text(parsed, position))
            .map(|text| (position, text));
        match writer.write(item, text)? {
            ItemWrite::Inserted => stats.new_items += 1,
            ItemWrite::Changed => stats.changed_items += 1,
            ItemWrite::Ignored => stats.ignored_items += 1,
            ItemWrite::Unchanged | ItemWrite::Removed => {}
        }
    }
    if let Some(prepared) = prepared {
        writer.take_prepared_terms(prepared);
    }
    writer.finish()?;
    Ok(stats)
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|text| !text.is_empty())
}

/// A permanent redirect: the feed now lives at `new_url`. When another
/// subscription already has that URL the old one is kept (and logged) rather than
/// merging two feeds behind the user's back.
fn move_feed(tx: &Connection, feed: FeedId, new_url: &str) -> rusqlite::Result<()> {
    let changed = tx.execute(
        "UPDATE OR IGNORE feeds SET url = ?2 WHERE id = ?1",
        params![feed, new_url],
    )?;
    if changed == 0 {
        tracing::warn!(
            feed,
            new_url,
            "feed moved to a URL another subscription has"
        );
    } else {
        tracing::info!(feed, new_url, "feed moved permanently");
    }
    Ok(())
}
