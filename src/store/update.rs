//! Writing the result of a refresh: one feed, one transaction.
//!
//! Item identity is `(feed, identity)`; a known item is rewritten only when its
//! content hash changed, and never loses its read/starred state. Items missing from
//! the fetched feed are left alone (offline reading) until the cleanup removes them.

use std::collections::BTreeSet;

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::{FeedId, FeedUpdate, ItemId, Store, StoreError, UpdateStats};
use crate::feed::ParsedItem;

impl Store {
    /// Writes a fetched feed in one transaction: new items inserted unread,
    /// known items updated only when their content hash changed (read state kept).
    pub fn apply_update(
        &mut self,
        feed: FeedId,
        update: &FeedUpdate,
        now: i64,
    ) -> Result<UpdateStats, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: Option<i64> = tx
            .query_row("SELECT id FROM feeds WHERE id = ?1", [feed], |row| {
                row.get(0)
            })
            .optional()?;
        if exists.is_none() {
            // The feed was removed while it was being fetched: nothing to write.
            return Err(StoreError::NoSuchFeed(format!("#{feed}")));
        }
        let parsed = &update.feed;
        tx.execute(
            "UPDATE feeds SET feed_title = COALESCE(?2, feed_title), \
                              site_link = COALESCE(?3, site_link), \
                              language = COALESCE(?4, language), \
                              etag = ?5, last_modified = ?6, body_hash = ?7, \
                              last_success_at = ?8, last_error = NULL, last_error_at = NULL \
             WHERE id = ?1",
            params![
                feed,
                non_empty(parsed.title.as_deref()),
                non_empty(parsed.site_link.as_deref()),
                non_empty(parsed.language.as_deref()),
                update.etag,
                update.last_modified,
                update.body_hash,
                now
            ],
        )?;
        if let Some(new_url) = &update.new_url {
            move_feed(&tx, feed, new_url)?;
        }
        let mut stats = UpdateStats::default();
        for item in &parsed.items {
            match write_item(&tx, feed, item, now)? {
                ItemWrite::Inserted => stats.new_items += 1,
                ItemWrite::Changed => stats.changed_items += 1,
                ItemWrite::Unchanged | ItemWrite::Removed => {}
            }
        }
        tx.commit()?;
        Ok(stats)
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

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|text| !text.is_empty())
}

/// A permanent redirect: the feed now lives at `new_url`. When another
/// subscription already has that URL the old one is kept (and logged) rather than
/// merging two feeds behind the user's back.
fn move_feed(tx: &Transaction<'_>, feed: FeedId, new_url: &str) -> rusqlite::Result<()> {
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

enum ItemWrite {
    Inserted,
    Changed,
    Unchanged,
    /// Removed by the cleanup earlier; not brought back.
    Removed,
}

fn write_item(
    tx: &Transaction<'_>,
    feed: FeedId,
    item: &ParsedItem,
    now: i64,
) -> rusqlite::Result<ItemWrite> {
    let known: Option<(ItemId, String, i64)> = tx
        .prepare_cached(
            "SELECT id, content_hash, first_seen FROM items WHERE feed_id = ?1 AND identity = ?2",
        )?
        .query_row(params![feed, item.identity], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    match known {
        Some((_, hash, _)) if hash == item.content_hash => Ok(ItemWrite::Unchanged),
        Some((id, _, first_seen)) => {
            let sort_time = item.published.unwrap_or(first_seen);
            tx.prepare_cached(
                "UPDATE items SET title = ?2, link = ?3, author = ?4, published = ?5, \
                                  updated = ?6, sort_time = ?7, language = ?8, \
                                  content_hash = ?9, last_updated = ?10 \
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                item.title,
                item.link,
                item.author,
                item.published,
                item.updated,
                sort_time,
                item.language,
                item.content_hash,
                now
            ])?;
            write_item_parts(tx, id, item, true)?;
            Ok(ItemWrite::Changed)
        }
        None => {
            let removed: Option<i64> = tx
                .prepare_cached("SELECT 1 FROM removed_items WHERE feed_id = ?1 AND identity = ?2")?
                .query_row(params![feed, item.identity], |row| row.get(0))
                .optional()?;
            if removed.is_some() {
                return Ok(ItemWrite::Removed);
            }
            let sort_time = item.published.unwrap_or(now);
            tx.prepare_cached(
                "INSERT INTO items (feed_id, identity, title, link, author, published, updated, \
                                    first_seen, sort_time, language, content_hash, last_updated) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?8)",
            )?
            .execute(params![
                feed,
                item.identity,
                item.title,
                item.link,
                item.author,
                item.published,
                item.updated,
                now,
                sort_time,
                item.language,
                item.content_hash
            ])?;
            let id = tx.last_insert_rowid();
            write_item_parts(tx, id, item, false)?;
            Ok(ItemWrite::Inserted)
        }
    }
}

/// Content, categories and enclosures of an item; `replace` clears the old ones.
fn write_item_parts(
    tx: &Transaction<'_>,
    id: ItemId,
    item: &ParsedItem,
    replace: bool,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO item_content (item_id, summary, content_html) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![id, item.summary, item.content_html])?;

    let categories: BTreeSet<&str> = item
        .categories
        .iter()
        .map(|tag| tag.trim())
        .filter(|tag| !tag.is_empty())
        .collect();
    if replace {
        let current: BTreeSet<String> = tx
            .prepare_cached("SELECT tag FROM item_categories WHERE item_id = ?1")?
            .query_map([id], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        for tag in current
            .iter()
            .filter(|tag| !categories.contains(tag.as_str()))
        {
            tx.prepare_cached("DELETE FROM item_categories WHERE item_id = ?1 AND tag = ?2")?
                .execute(params![id, tag])?;
        }
        tx.prepare_cached("DELETE FROM enclosures WHERE item_id = ?1")?
            .execute([id])?;
        let mut insert =
            tx.prepare_cached("INSERT INTO item_categories (item_id, tag) VALUES (?1, ?2)")?;
        for tag in categories.iter().filter(|tag| !current.contains(**tag)) {
            insert.execute(params![id, tag])?;
        }
    } else {
        let mut insert =
            tx.prepare_cached("INSERT INTO item_categories (item_id, tag) VALUES (?1, ?2)")?;
        for tag in &categories {
            insert.execute(params![id, tag])?;
        }
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO enclosures (item_id, position, url, mime_type, length) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (position, enclosure) in item.enclosures.iter().enumerate() {
        insert.execute(params![
            id,
            position as i64,
            enclosure.url,
            enclosure.mime_type,
            enclosure.length.map(|len| len.min(i64::MAX as u64) as i64)
        ])?;
    }
    Ok(())
}
