//! Writing the full-text index (`item_search`, schema: `MIGRATION_SEARCH`).
//!
//! Every write of an item writes its index row in the same transaction, so the
//! index never disagrees with the items: the refresh writer calls
//! [`SearchIndexer::add`] / [`SearchIndexer::replace`], a full text fetched later
//! re-indexes the item (`search_reindex::reindex_items_with`), and deleting an item
//! deletes its row (trigger). Items stored before the index existed are indexed by
//! `Store::build_search_index` (`search_reindex`) from `search_backlog`. An item's
//! own columns are made in `search_item_text`.
//!
//! What is indexed: title, text (summary, content and full text with the markup
//! stripped), author, feed title, tags (feed tags and item categories), each
//! through `query::index_text`, the same normalisation queries go through.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{CachedStatement, Connection, OptionalExtension, params};

use super::search_item_text::{ItemText, PreparedIndex};
use super::search_terms::Terms;
use super::{FeedId, ItemId};
use crate::feed::ParsedItem;
use crate::query::append_index_text;

pub(super) const INSERT: &str = "INSERT INTO item_search (rowid, title, body, author, feed, tags) \
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
pub(super) const DELETE: &str = "DELETE FROM item_search WHERE rowid = ?1";

/// Index rows for the items of one feed, inside the refresh's transaction.
///
/// The rows are written by [`SearchIndexer::finish`], in rowid order, not as
/// the items are written: FTS5 keeps the rows written since its last flush in
/// memory only while their rowids rise, and writes what it holds to a new
/// segment whenever a rowid goes back. A feed lists its newest items first, so
/// rewriting its changed items in feed order (after its new ones, which get the
/// highest rowids) flushed a segment for each, and FTS5's merges of those then
/// took most of the refresh (BENCHMARKS.md, issue 9).
pub(super) struct SearchIndexer<'t, 'i> {
    insert: CachedStatement<'t>,
    delete: CachedStatement<'t>,
    /// The feed's title, normalised once per feed.
    feed_title: String,
    feed_tags: Vec<String>,
    tx: &'t Connection,
    feed: FeedId,
    /// New items per tag, added to `feed_tag_counts` by [`SearchIndexer::finish`].
    new_per_tag: HashMap<String, i64>,
    /// An item was rewritten (its categories may have changed): the feed's tag
    /// counts are recounted instead.
    rewrote: bool,
    /// The words indexed for this feed, added to `search_terms` once at the end.
    terms: Terms,
    /// Items written from a [`PreparedIndex`] (their words are taken from it at
    /// the end: all of its words when every item was written or ignored, else theirs).
    prepared_written: Vec<usize>,
    /// Items of the [`PreparedIndex`] an `[[ignore]]` rule left out.
    prepared_ignored: Vec<usize>,
    /// The rows to write at the end, in the order the items were written.
    rows: Vec<PendingRow<'i>>,
}

/// An index row to write, and whether an older one goes first.
struct PendingRow<'i> {
    id: ItemId,
    replaces: bool,
    text: RowText<'i>,
    tags: String,
}

/// Where a queued item's own index text comes from.
pub(super) enum IndexSource<'i> {
    /// Made here, from the item.
    Make,
    /// Made ahead on a parser thread ([`PreparedIndex`]), at this position of the feed.
    Prepared(usize, &'i ItemText),
    /// Made already by the writer (to test the `[[ignore]]` rules), with the tags column.
    Made(ItemText, String),
}

/// The item's own columns: normalised on a parser thread, or by the writer.
enum RowText<'i> {
    Prepared(&'i ItemText),
    Own(ItemText),
}

impl<'t, 'i> SearchIndexer<'t, 'i> {
    pub(super) fn new(tx: &'t Connection, feed: FeedId) -> rusqlite::Result<Self> {
        let title: String = tx
            .prepare_cached(
                "SELECT COALESCE(user_title, feed_title, url) FROM feeds WHERE id = ?1",
            )?
            .query_row([feed], |row| row.get(0))
            .optional()?
            .unwrap_or_default();
        Ok(SearchIndexer {
            insert: tx.prepare_cached(INSERT)?,
            delete: tx.prepare_cached(DELETE)?,
            feed_title: crate::query::index_text(&title),
            feed_tags: super::feeds::feed_tags(tx, feed)?,
            tx,
            feed,
            new_per_tag: HashMap::new(),
            rewrote: false,
            terms: Terms::default(),
            prepared_written: Vec::new(),
            prepared_ignored: Vec::new(),
            rows: Vec::new(),
        })
    }

    /// Indexes a new item (and counts it under its tags). `prepared`: its text
    /// already normalised ([`PreparedIndex`]), with its position in the feed.
    pub(super) fn add(
        &mut self,
        id: ItemId,
        item: &ParsedItem,
        categories: &BTreeSet<&str>,
        source: IndexSource<'i>,
    ) {
        for tag in &self.feed_tags {
            *self.new_per_tag.entry(tag.clone()).or_default() += 1;
        }
        for tag in categories {
            if !self.feed_tags.iter().any(|t| t == tag) {
                *self.new_per_tag.entry((*tag).to_string()).or_default() += 1;
            }
        }
        self.queue(id, false, item, categories, source);
    }

    /// Queues the item's row for [`SearchIndexer::finish`].
    fn queue(
        &mut self,
        id: ItemId,
        replaces: bool,
        item: &ParsedItem,
        categories: &BTreeSet<&str>,
        source: IndexSource<'i>,
    ) {
        if cfg!(feature = "bench-no-search-index") {
            return;
        }
        let tags_of = |feed_tags: &[String]| {
            let mut tags = String::new();
            for tag in feed_tags
                .iter()
                .map(String::as_str)
                .chain(categories.iter().copied())
            {
                append_index_text(tag, &mut tags);
            }
            tags
        };
        let (text, tags) = match source {
            IndexSource::Prepared(position, text) => {
                self.prepared_written.push(position);
                (RowText::Prepared(text), tags_of(&self.feed_tags))
            }
            IndexSource::Make => {
                let text = ItemText::of_item(item);
                text.add_words(&mut self.terms);
                (RowText::Own(text), tags_of(&self.feed_tags))
            }
            IndexSource::Made(text, tags) => {
                text.add_words(&mut self.terms);
                (RowText::Own(text), tags)
            }
        };
        self.terms.add_text(&tags);
        self.rows.push(PendingRow {
            id,
            replaces,
            text,
            tags,
        });
    }

    /// Writes the queued rows in rowid order (an item written twice in the
    /// feed keeps its order: the stable sort).
    fn write_rows(&mut self) -> rusqlite::Result<()> {
        let mut rows = std::mem::take(&mut self.rows);
        rows.sort_by_key(|row| row.id);
        for row in &rows {
            if row.replaces {
                self.delete.execute([row.id])?;
            }
            let text = match &row.text {
                RowText::Prepared(text) => text,
                RowText::Own(text) => text,
            };
            self.insert.execute(params![
                row.id,
                text.title,
                text.body,
                text.author,
                self.feed_title,
                row.tags
            ])?;
        }
        Ok(())
    }

    /// The item at `position` of the [`PreparedIndex`] was left out by an
    /// `[[ignore]]` rule.
    pub(super) fn prepared_ignored(&mut self, position: usize) {
        self.prepared_ignored.push(position);
    }

    /// The feed's title as the index's `feed` column holds it.
    pub(super) fn feed_title(&self) -> &str {
        &self.feed_title
    }

    /// Indexes a changed item again.
    pub(super) fn replace(
        &mut self,
        id: ItemId,
        item: &ParsedItem,
        categories: &BTreeSet<&str>,
        source: IndexSource<'i>,
    ) {
        self.rewrote = true;
        self.queue(id, true, item, categories, source);
    }

    /// The words of the items written from `prepared`, before [`Self::finish`].
    pub(super) fn take_prepared_terms(&mut self, prepared: &PreparedIndex) {
        if self.prepared_written.is_empty() {
            return;
        }
        let mut written = std::mem::take(&mut self.prepared_written);
        written.sort_unstable();
        written.dedup();
        let mut covered = written.clone();
        covered.append(&mut self.prepared_ignored);
        covered.sort_unstable();
        covered.dedup();
        // Every item written or ignored: the words made on the parser thread,
        // rather than each written item's words gathered again here. An ignored
        // item's words then join the vocabulary; harmless, as a removed item's
        // do (a word no item holds matches nothing).
        if covered.len() == prepared.texts.len() {
            self.terms.extend(&prepared.terms);
        } else {
            for text in written.iter().filter_map(|&at| prepared.texts.get(at)) {
                text.add_words(&mut self.terms);
            }
        }
    }

    /// Records the words indexed and brings the feed's tag counts up to date,
    /// once, after all its items.
    pub(super) fn finish(mut self) -> rusqlite::Result<()> {
        self.write_rows()?;
        if !cfg!(feature = "bench-no-search-index") {
            self.terms.add_text(&self.feed_title);
        }
        self.terms.store(self.tx)?;
        if self.rewrote {
            self.tx
                .prepare_cached("DELETE FROM feed_tag_counts WHERE feed_id = ?1")?
                .execute([self.feed])?;
            self.tx
                .prepare_cached(
                    "INSERT INTO feed_tag_counts (feed_id, tag, total, unread) \
                     SELECT ?1, t.tag, COUNT(*), COALESCE(SUM(st.read = 0), 0) \
                       FROM items i CROSS JOIN item_state st ON st.item_id = i.id \
                            CROSS JOIN tag_items t ON t.item_id = i.id \
                      WHERE i.feed_id = ?1 GROUP BY t.tag",
                )?
                .execute([self.feed])?;
            return Ok(());
        }
        let mut bump = self.tx.prepare_cached(
            "INSERT INTO feed_tag_counts (feed_id, tag, total, unread) VALUES (?1, ?2, ?3, ?3) \
             ON CONFLICT (feed_id, tag) DO UPDATE SET total = total + excluded.total, \
                                                      unread = unread + excluded.unread",
        )?;
        for (tag, n) in &self.new_per_tag {
            bump.execute(params![self.feed, tag, n])?;
        }
        Ok(())
    }
}
