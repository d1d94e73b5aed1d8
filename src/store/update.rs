//! Writing the result of a refresh: one feed (or a batch of feeds), one transaction.
//!
//! Item identity is `(feed, identity)`; a known item is rewritten only when its
//! content hash changed, and never loses its read/starred state. Items missing from
//! the fetched feed are left alone (offline reading) until the cleanup removes them.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{CachedStatement, Connection, OptionalExtension, TransactionBehavior, params};

use super::search_index::{ItemText, PreparedIndex};
use super::{FeedId, FeedUpdate, ItemId, Store, StoreError, UpdateStats};

/// A feed to write: its id, what was fetched, and perhaps its index text made
/// ahead ([`Store::apply_prepared_updates`]).
pub type PreparedUpdate<'u> = (FeedId, &'u FeedUpdate, Option<&'u PreparedIndex>);
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
        let stats = write_feed(&tx, feed, update, now)?;
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
        match write_batch(&mut self.conn, updates, now) {
            Ok(results) => results,
            Err(err) => {
                tracing::warn!(
                    "writing {} feeds at once failed ({err}); one by one",
                    updates.len()
                );
                updates
                    .iter()
                    .map(|(feed, update, prepared)| {
                        let tx = self
                            .conn
                            .transaction_with_behavior(TransactionBehavior::Immediate)?;
                        let stats = write_feed_prepared(&tx, *feed, update, *prepared, now)?;
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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
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
) -> Result<Vec<Result<UpdateStats, StoreError>>, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut results = Vec::with_capacity(updates.len());
    for (feed, update, prepared) in updates {
        match write_feed_prepared(&tx, *feed, update, *prepared, now) {
            // Nothing was written for it; the others go on.
            Err(StoreError::NoSuchFeed(url)) => results.push(Err(StoreError::NoSuchFeed(url))),
            Err(err) => return Err(err),
            Ok(stats) => results.push(Ok(stats)),
        }
    }
    tx.commit()?;
    Ok(results)
}

/// One feed's part of a refresh transaction.
pub(super) fn write_feed(
    tx: &Connection,
    feed: FeedId,
    update: &FeedUpdate,
    now: i64,
) -> Result<UpdateStats, StoreError> {
    write_feed_prepared(tx, feed, update, None, now)
}

/// [`write_feed`] with the items' index text perhaps made already.
fn write_feed_prepared(
    tx: &Connection,
    feed: FeedId,
    update: &FeedUpdate,
    prepared: Option<&PreparedIndex>,
    now: i64,
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
    let mut writer = ItemWriter::new(tx, feed, now)?;
    let mut stats = UpdateStats::default();
    for (position, item) in parsed.items.iter().enumerate() {
        let text = prepared
            .and_then(|prepared| prepared.text(parsed, position))
            .map(|text| (position, text));
        match writer.write(item, text)? {
            ItemWrite::Inserted => stats.new_items += 1,
            ItemWrite::Changed => stats.changed_items += 1,
            ItemWrite::Unchanged | ItemWrite::Removed => {}
        }
    }
    if let Some(prepared) = prepared {
        writer.search.take_prepared_terms(prepared);
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

enum ItemWrite {
    Inserted,
    Changed,
    Unchanged,
    /// Removed by the cleanup earlier; not brought back.
    Removed,
}

/// Writes the items of one feed inside its transaction. New items fire no
/// triggers (schema v6): their tag index rows are written with the item, each
/// once with its final reference count, and the feed's counters once per feed by
/// [`ItemWriter::finish`], which is what makes a first refresh of many items fast.
struct ItemWriter<'t, 'i> {
    tx: &'t Connection,
    feed: FeedId,
    now: i64,
    /// Set when the feed had no items and no removed identities as the transaction
    /// began (a first refresh): every item is new unless the document repeats an
    /// identity, so identities are looked up here rather than in the database.
    /// Identity -> (id, content hash).
    fresh: Option<HashMap<&'i str, (ItemId, &'i str)>>,
    /// The feed's tags: every new item gets a tag index row for each.
    feed_tags: Vec<String>,
    /// How many items this transaction inserted.
    inserted: i64,
    /// Taken from the statement cache once per feed, not once per item.
    insert_item: CachedStatement<'t>,
    insert_content: CachedStatement<'t>,
    insert_state: CachedStatement<'t>,
    insert_category: CachedStatement<'t>,
    insert_tag: CachedStatement<'t>,
    insert_enclosure: CachedStatement<'t>,
    /// The full-text index rows, written with the items (issue 9).
    search: super::search_index::SearchIndexer<'t>,
}

impl<'t, 'i> ItemWriter<'t, 'i> {
    fn new(tx: &'t Connection, feed: FeedId, now: i64) -> rusqlite::Result<Self> {
        let is_fresh: bool = tx
            .prepare_cached(
                "SELECT NOT EXISTS (SELECT 1 FROM items WHERE feed_id = ?1) \
                    AND NOT EXISTS (SELECT 1 FROM removed_items WHERE feed_id = ?1)",
            )?
            .query_row([feed], |row| row.get(0))?;
        Ok(ItemWriter {
            tx,
            feed,
            now,
            fresh: is_fresh.then(HashMap::new),
            feed_tags: super::feeds::feed_tags(tx, feed)?,
            inserted: 0,
            insert_item: tx.prepare_cached(
                "INSERT INTO items (feed_id, identity, title, link, author, published, updated, \
                                    first_seen, sort_time, language, content_hash, last_updated) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?8)",
            )?,
            insert_content: tx.prepare_cached(
                "INSERT INTO item_content (item_id, summary, content_html) VALUES (?1, ?2, ?3)",
            )?,
            // Unread and unstarred: the column defaults.
            insert_state: tx.prepare_cached(
                "INSERT INTO item_state (item_id, feed_id, sort_time) VALUES (?1, ?2, ?3)",
            )?,
            insert_category: tx.prepare_cached(INSERT_CATEGORY)?,
            // Tag index rows of new items, each written once with its final
            // reference count (feed tag + item category): single-row inserts that
            // cannot conflict need no upsert and no statement journal.
            insert_tag: tx.prepare_cached(
                "INSERT INTO tag_items (tag, item_id, sort_time, refs, via_feed) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            insert_enclosure: tx.prepare_cached(INSERT_ENCLOSURE)?,
            search: super::search_index::SearchIndexer::new(tx, feed)?,
        })
    }

    /// The stored item with this identity: (id, content hash, first seen).
    fn known(&self, item: &ParsedItem) -> rusqlite::Result<Option<(ItemId, String, i64)>> {
        if let Some(seen) = &self.fresh {
            return Ok(seen
                .get(item.identity.as_str())
                .map(|(id, hash)| (*id, hash.to_string(), self.now)));
        }
        self.tx
            .prepare_cached(
                "SELECT id, content_hash, first_seen FROM items \
                 WHERE feed_id = ?1 AND identity = ?2",
            )?
            .query_row(params![self.feed, item.identity], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()
    }

    fn write(
        &mut self,
        item: &'i ParsedItem,
        text: Option<(usize, &ItemText)>,
    ) -> rusqlite::Result<ItemWrite> {
        match self.known(item)? {
            Some((_, hash, _)) if hash == item.content_hash => Ok(ItemWrite::Unchanged),
            Some((id, _, first_seen)) => {
                self.rewrite(id, first_seen, item, text)?;
                if let Some(seen) = &mut self.fresh {
                    seen.insert(&item.identity, (id, &item.content_hash));
                }
                Ok(ItemWrite::Changed)
            }
            None => {
                if self.fresh.is_none() && self.was_removed(item)? {
                    return Ok(ItemWrite::Removed);
                }
                let id = self.insert(item, text)?;
                if let Some(seen) = &mut self.fresh {
                    seen.insert(&item.identity, (id, &item.content_hash));
                }
                Ok(ItemWrite::Inserted)
            }
        }
    }

    fn was_removed(&self, item: &ParsedItem) -> rusqlite::Result<bool> {
        let removed: Option<i64> = self
            .tx
            .prepare_cached("SELECT 1 FROM removed_items WHERE feed_id = ?1 AND identity = ?2")?
            .query_row(params![self.feed, item.identity], |row| row.get(0))
            .optional()?;
        Ok(removed.is_some())
    }

    fn insert(
        &mut self,
        item: &ParsedItem,
        text: Option<(usize, &ItemText)>,
    ) -> rusqlite::Result<ItemId> {
        let sort_time = sort_time(item.published, self.now);
        self.insert_item.execute(params![
            self.feed,
            item.identity,
            item.title,
            item.link,
            item.author,
            item.published,
            item.updated,
            self.now,
            sort_time,
            item.language,
            item.content_hash
        ])?;
        let id = self.tx.last_insert_rowid();
        self.insert_state
            .execute(params![id, self.feed, sort_time])?;
        self.insert_content
            .execute(params![id, item.summary, item.content_html])?;
        let categories = categories(item);
        for tag in &categories {
            self.insert_category.execute(params![id, tag])?;
        }
        for tag in &self.feed_tags {
            let refs = 1 + i64::from(categories.contains(tag.as_str()));
            self.insert_tag
                .execute(params![tag, id, sort_time, refs, 1])?;
        }
        for tag in categories
            .iter()
            .filter(|tag| !self.feed_tags.iter().any(|feed_tag| feed_tag == *tag))
        {
            self.insert_tag.execute(params![tag, id, sort_time, 1, 0])?;
        }
        write_enclosures(&mut self.insert_enclosure, id, item)?;
        self.search.add(id, item, &categories, text)?;
        self.inserted += 1;
        Ok(id)
    }

    /// A known item whose content changed: rewritten, read/starred state kept.
    fn rewrite(
        &mut self,
        id: ItemId,
        first_seen: i64,
        item: &ParsedItem,
        text: Option<(usize, &ItemText)>,
    ) -> rusqlite::Result<()> {
        let tx = self.tx;
        let sort_time = sort_time(item.published, first_seen);
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
            self.now
        ])?;
        tx.prepare_cached(
            "INSERT OR REPLACE INTO item_content (item_id, summary, content_html) \
             VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, item.summary, item.content_html])?;

        let categories = categories(item);
        self.search.replace(id, item, &categories, text)?;
        let current: BTreeSet<String> = tx
            .prepare_cached("SELECT tag FROM item_categories WHERE item_id = ?1")?
            .query_map([id], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        // The `item_categories_delete` trigger drops their tag index rows.
        for tag in current
            .iter()
            .filter(|tag| !categories.contains(tag.as_str()))
        {
            tx.prepare_cached("DELETE FROM item_categories WHERE item_id = ?1 AND tag = ?2")?
                .execute(params![id, tag])?;
        }
        for tag in categories.iter().filter(|tag| !current.contains(**tag)) {
            tx.prepare_cached(INSERT_CATEGORY)?
                .execute(params![id, tag])?;
            tx.prepare_cached(
                "INSERT INTO tag_items (tag, item_id, sort_time, refs) VALUES (?1, ?2, ?3, 1) \
                 ON CONFLICT (tag, item_id) DO UPDATE SET refs = refs + 1",
            )?
            .execute(params![tag, id, sort_time])?;
        }
        tx.prepare_cached("DELETE FROM enclosures WHERE item_id = ?1")?
            .execute([id])?;
        write_enclosures(&mut tx.prepare_cached(INSERT_ENCLOSURE)?, id, item)
    }

    /// The feed's counters, once for all the items this transaction inserted (new
    /// items are unread).
    fn finish(self) -> rusqlite::Result<()> {
        if self.inserted > 0 {
            self.tx
                .prepare_cached(
                    "UPDATE feeds SET total_count = total_count + ?2, \
                                      unread_count = unread_count + ?2 \
                     WHERE id = ?1",
                )?
                .execute(params![self.feed, self.inserted])?;
        }
        self.search.finish()
    }
}

/// An item's categories, trimmed, without blanks and duplicates.
fn categories(item: &ParsedItem) -> BTreeSet<&str> {
    item.categories
        .iter()
        .map(|tag| tag.trim())
        .filter(|tag| !tag.is_empty())
        .collect()
}

const INSERT_CATEGORY: &str = "INSERT INTO item_categories (item_id, tag) VALUES (?1, ?2)";

const INSERT_ENCLOSURE: &str = "INSERT INTO enclosures (item_id, position, url, mime_type, length) \
                                VALUES (?1, ?2, ?3, ?4, ?5)";

fn write_enclosures(
    insert: &mut CachedStatement<'_>,
    id: ItemId,
    item: &ParsedItem,
) -> rusqlite::Result<()> {
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

/// How far a publication date may lie ahead of the moment khabar first saw the item
/// and still be believed: clock skew between the site and this machine.
const FUTURE_SLACK_SECS: i64 = 15 * 60;

/// The time an item sorts by: its publication date, else when it was first seen.
/// A date in the future (a wrong time zone, an event announced for next year) would
/// pin the item above everything newer until that day comes, so such an item sorts
/// by when it was first seen; `published` itself is kept as the feed gave it.
fn sort_time(published: Option<i64>, first_seen: i64) -> i64 {
    match published {
        Some(published) if published <= first_seen.saturating_add(FUTURE_SLACK_SECS) => published,
        _ => first_seen,
    }
}
