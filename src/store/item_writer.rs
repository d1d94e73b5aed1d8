//! Writing one feed's items inside its transaction: a new item gets its row, its
//! state, content, categories, tag index rows, enclosures and search index rows;
//! a known item is rewritten only when its content hash changed, keeping its read
//! and starred state; an item the cleanup removed is not brought back; a new
//! item an `[[ignore]]` rule selects is not stored (`ignore.rs`).

use std::collections::{BTreeSet, HashMap};

use rusqlite::{CachedStatement, Connection, OptionalExtension, params};

use super::ItemId;
use super::ignore::FeedRules;
use super::search_index::IndexSource;
use super::search_item_text::{ItemText, PreparedIndex};
use crate::core::FeedId;
use crate::feed::{ParsedItem, content_hash_matches};

pub(super) enum ItemWrite {
    Inserted,
    Changed,
    Unchanged,
    /// Removed by the cleanup earlier; not brought back.
    Removed,
    /// New, and an `[[ignore]]` rule selects it: not stored.
    Ignored,
}

/// Writes the items of one feed inside its transaction. New items fire no
/// triggers (schema v6): their tag index rows are written with the item, each
/// once with its final reference count, and the feed's counters once per feed by
/// [`ItemWriter::finish`], which is what makes a first refresh of many items fast.
pub(super) struct ItemWriter<'t, 'i, 'r> {
    tx: &'t Connection,
    /// The `[[ignore]]` rules for this feed; `None` without rules, and then
    /// nothing is done for them.
    ignore: Option<FeedRules<'r>>,
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
    /// The id the next new item gets: read once, at the first insert, as one
    /// above every id ever given out (`MIGRATION_ITEM_ID_HIGH`), then counted
    /// up here, since nothing else inserts items inside this transaction.
    next_id: Option<ItemId>,
    /// Taken from the statement cache once per feed, not once per item.
    insert_item: CachedStatement<'t>,
    insert_content: CachedStatement<'t>,
    insert_state: CachedStatement<'t>,
    insert_category: CachedStatement<'t>,
    insert_tag: CachedStatement<'t>,
    insert_enclosure: CachedStatement<'t>,
    /// The full-text index rows, written with the items (issue 9).
    search: super::search_index::SearchIndexer<'t, 'i>,
}

impl<'t, 'i, 'r> ItemWriter<'t, 'i, 'r> {
    pub(super) fn new(
        tx: &'t Connection,
        feed: FeedId,
        now: i64,
        ignore: Option<&'r [crate::query::Matcher]>,
    ) -> rusqlite::Result<Self> {
        let is_fresh: bool = tx
            .prepare_cached(
                "SELECT NOT EXISTS (SELECT 1 FROM items WHERE feed_id = ?1) \
                    AND NOT EXISTS (SELECT 1 FROM removed_items WHERE feed_id = ?1)",
            )?
            .query_row([feed], |row| row.get(0))?;
        let feed_tags = super::feeds::feed_tags(tx, feed)?;
        let ignore = match ignore {
            Some(rules) => Some(FeedRules::new(tx, feed, &feed_tags, rules)?),
            None => None,
        };
        Ok(ItemWriter {
            tx,
            ignore,
            feed,
            now,
            fresh: is_fresh.then(HashMap::new),
            feed_tags,
            inserted: 0,
            next_id: None,
            insert_item: tx.prepare_cached(
                // The id is given (`next_id`): one above every id ever given
                // out, deleted ones too; the reader's mark-all bound trusts that
                // a new item's id is above every older item's.
                "INSERT INTO items (id, feed_id, identity, title, link, author, published, updated, \
                                    first_seen, sort_time, language, content_hash, last_updated) \
                 VALUES (?12, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?8)",
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

    pub(super) fn write(
        &mut self,
        item: &'i ParsedItem,
        text: Option<(usize, &'i ItemText)>,
    ) -> rusqlite::Result<ItemWrite> {
        match self.known(item)? {
            Some((_, hash, _)) if content_hash_matches(item, &hash) => Ok(ItemWrite::Unchanged),
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
                let source = match text {
                    Some((position, text)) => IndexSource::Prepared(position, text),
                    None => IndexSource::Make,
                };
                let source = match &self.ignore {
                    None => source,
                    Some(rules) => match self.test_rules(rules, item, source) {
                        Some(source) => source,
                        None => {
                            if let Some((position, _)) = text {
                                self.search.prepared_ignored(position);
                            }
                            return Ok(ItemWrite::Ignored);
                        }
                    },
                };
                let id = self.insert(item, source)?;
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

    /// The new item's index text when no rule selects it (made here unless
    /// it was made ahead, and then handed on to the index rather than made
    /// again); `None` when a rule selects it.
    fn test_rules(
        &self,
        rules: &FeedRules<'_>,
        item: &ParsedItem,
        source: IndexSource<'i>,
    ) -> Option<IndexSource<'i>> {
        let categories = categories(item);
        let sort_time = sort_time(item.published, self.now);
        let feed_title = self.search.feed_title();
        match source {
            IndexSource::Prepared(_, text) => {
                let (selected, _) = rules.selects(text, feed_title, &categories, sort_time);
                (!selected).then_some(source)
            }
            IndexSource::Make | IndexSource::Made(..) => {
                let text = ItemText::of_item(item);
                let (selected, tags) = rules.selects(&text, feed_title, &categories, sort_time);
                (!selected).then_some(IndexSource::Made(text, tags))
            }
        }
    }

    fn insert(&mut self, item: &ParsedItem, source: IndexSource<'i>) -> rusqlite::Result<ItemId> {
        let sort_time = sort_time(item.published, self.now);
        let id = match self.next_id {
            Some(id) => id,
            None => self.tx.query_row(
                "SELECT MAX(COALESCE((SELECT MAX(id) FROM items), 0), \
                            COALESCE((SELECT id FROM item_id_high), 0)) + 1",
                [],
                |row| row.get(0),
            )?,
        };
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
            item.content_hash,
            id
        ])?;
        self.next_id = Some(id + 1);
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
        self.search.add(id, item, &categories, source);
        self.inserted += 1;
        Ok(id)
    }

    /// A known item whose content changed: rewritten, read/starred state kept.
    fn rewrite(
        &mut self,
        id: ItemId,
        first_seen: i64,
        item: &ParsedItem,
        text: Option<(usize, &'i ItemText)>,
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
        let source = match text {
            Some((position, text)) => IndexSource::Prepared(position, text),
            None => IndexSource::Make,
        };
        self.search.replace(id, item, &categories, source);
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
    /// The words of the items written from `prepared` (made ahead on a parser
    /// thread), for `search_terms`, before [`Self::finish`].
    pub(super) fn take_prepared_terms(&mut self, prepared: &PreparedIndex) {
        self.search.take_prepared_terms(prepared);
    }

    pub(super) fn finish(self) -> rusqlite::Result<()> {
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

const INSERT_ENCLOSURE: &str = "INSERT INTO enclosures \
                                (item_id, position, url, mime_type, length, title, duration) \
                                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

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
            enclosure.length.map(|len| len.min(i64::MAX as u64) as i64),
            enclosure.title,
            enclosure
                .duration
                .map(|secs| secs.min(i64::MAX as u64) as i64)
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
