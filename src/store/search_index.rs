//! Writing the full-text index (`item_search`, schema: `MIGRATION_SEARCH`).
//!
//! Every write of an item writes its index row in the same transaction, so the
//! index never disagrees with the items: the refresh writer calls
//! [`SearchIndexer::add`] / [`SearchIndexer::replace`], a full text fetched later
//! re-indexes the item ([`reindex_items_with`]), and deleting an item deletes its row
//! (trigger). Items stored before the index existed are indexed by
//! [`Store::build_search_index`] from `search_backlog`.
//!
//! What is indexed: title, text (summary, content and full text with the markup
//! stripped), author, feed title, tags (feed tags and item categories), each
//! through `query::index_text`, the same normalisation queries go through.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{CachedStatement, Connection, OptionalExtension, TransactionBehavior, params};

use super::search_terms::Terms;
use super::{FeedId, ItemId, Store, StoreError};
use crate::feed::ParsedItem;
use crate::feed::html_to_text;
use crate::query::append_index_text;

const INSERT: &str = "INSERT INTO item_search (rowid, title, body, author, feed, tags) \
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const DELETE: &str = "DELETE FROM item_search WHERE rowid = ?1";

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

/// An item's own index columns (title, text, author), normalised. The tags
/// column depends on the feed's tags in the database and is made by the writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemText {
    title: String,
    body: String,
    author: String,
}

impl ItemText {
    /// The index text of the item's title, text (summary, content) and author.
    pub(super) fn of_item(item: &ParsedItem) -> ItemText {
        ItemText::new(
            &item.title,
            &[item.summary.as_deref(), item.content_html.as_deref()],
            item.author.as_deref(),
        )
    }

    fn new(title: &str, html_parts: &[Option<&str>], author: Option<&str>) -> ItemText {
        let mut body = String::new();
        let mut parts = html_parts.iter().flatten();
        if let (Some(html), None) = (parts.next(), parts.next()) {
            // One part (most items): nothing to compare, straight to the index text.
            if html.contains('<') {
                let mut scratch = String::new();
                super::search_text::append_html_index_text(html, &mut body, &mut scratch);
            } else if html.contains('&') {
                append_index_text(&html_to_text(html), &mut body);
            } else {
                append_index_text(html, &mut body);
            }
            return ItemText::with_body(title, body, author);
        }
        let mut seen: Vec<String> = Vec::new();
        for html in html_parts.iter().flatten() {
            let text = if html.contains('<') || html.contains('&') {
                html_to_text(html)
            } else {
                html.to_string()
            };
            // A summary is often the content's first paragraph: index it once.
            if seen.iter().any(|earlier| earlier.contains(text.as_str())) {
                continue;
            }
            if let Some(at) = seen
                .iter()
                .position(|earlier| text.contains(earlier.as_str()))
            {
                seen.remove(at);
            }
            seen.push(text);
        }
        for text in &seen {
            append_index_text(text, &mut body);
        }
        ItemText::with_body(title, body, author)
    }

    fn with_body(title: &str, body: String, author: Option<&str>) -> ItemText {
        ItemText {
            title: crate::query::index_text(title),
            body,
            author: author.map(crate::query::index_text).unwrap_or_default(),
        }
    }

    /// Title, text and author, as the index holds them.
    pub(super) fn columns(&self) -> [&str; 3] {
        [&self.title, &self.body, &self.author]
    }

    /// Adds the words of the three columns to `terms`.
    fn add_words(&self, terms: &mut Terms) {
        for text in [&self.title, &self.body, &self.author] {
            terms.add_text(text);
        }
    }
}

/// The index text of a parsed feed's items, normalised ahead of the write: the
/// refresh makes it on a parser thread for a feed fetched for the first time
/// (every item will be new), so the writer thread, the slowest stage of a first
/// refresh, only hands it to SQLite. The index holds exactly what the writer
/// would have made itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedIndex {
    /// One per item of the feed, in order.
    texts: Vec<ItemText>,
    /// The words of all of them.
    terms: Terms,
}

impl PreparedIndex {
    /// Normalises the index text of every item of `feed`.
    pub fn new(feed: &crate::feed::ParsedFeed) -> PreparedIndex {
        if cfg!(feature = "bench-no-search-index") {
            return PreparedIndex {
                texts: Vec::new(),
                terms: Terms::default(),
            };
        }
        let texts: Vec<ItemText> = feed.items.iter().map(ItemText::of_item).collect();
        let mut terms = Terms::default();
        for text in &texts {
            text.add_words(&mut terms);
        }
        PreparedIndex { texts, terms }
    }

    /// The text of the item at `position`, when this was made from `feed`'s items.
    pub(super) fn text(
        &self,
        feed: &crate::feed::ParsedFeed,
        position: usize,
    ) -> Option<&ItemText> {
        if self.texts.len() == feed.items.len() {
            self.texts.get(position)
        } else {
            None
        }
    }
}

/// Indexes stored items again from what the database holds (their full text
/// arrived, or they were stored before the index existed); their words are
/// added to `terms`, for the caller to store.
///
/// The items go in rowid order, each one's old row deleted just before its new
/// one is written: FTS5 keeps the rows written since its last flush in memory
/// only while their rowids rise (a delete and then an insert of the same rowid
/// included), and writes what it holds to a new segment whenever a rowid goes
/// back. In the order pages arrive, that made one segment per item for FTS5 to
/// merge later; in rowid order a batch makes one, at the commit (BENCHMARKS.md,
/// issue 10).
pub(super) fn reindex_items_with(
    conn: &Connection,
    ids: &[ItemId],
    terms: &mut Terms,
) -> rusqlite::Result<()> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        conn.prepare_cached(DELETE)?.execute([id])?;
        index_stored_item(conn, id, terms)?;
    }
    Ok(())
}

/// Writes the index row of a stored item whose old row, if any, is deleted.
fn index_stored_item(conn: &Connection, id: ItemId, terms: &mut Terms) -> rusqlite::Result<()> {
    let row = conn
        .prepare_cached(
            "SELECT i.title, i.author, COALESCE(f.user_title, f.feed_title, f.url), \
                    c.summary, c.content_html, c.fulltext_html \
             FROM items i CROSS JOIN feeds f ON f.id = i.feed_id \
             LEFT JOIN item_content c ON c.item_id = i.id WHERE i.id = ?1",
        )?
        .query_row([id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, Option<String>>(4)?,
                row.get::<_, Option<String>>(5)?,
            ))
        })
        .optional()?;
    let Some((title, author, feed_title, summary, content, fulltext)) = row else {
        return Ok(());
    };
    let tags: Vec<String> = conn
        .prepare_cached("SELECT tag FROM tag_items WHERE item_id = ?1")?
        .query_map([id], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let text = ItemText::new(
        &title,
        &[summary.as_deref(), content.as_deref(), fulltext.as_deref()],
        author.as_deref(),
    );
    let mut tag_text = String::new();
    for tag in &tags {
        append_index_text(tag, &mut tag_text);
    }
    let feed_title = crate::query::index_text(&feed_title);
    conn.prepare_cached(INSERT)?.execute(params![
        id,
        text.title,
        text.body,
        text.author,
        feed_title,
        tag_text
    ])?;
    text.add_words(terms);
    terms.add_text(&tag_text);
    terms.add_text(&feed_title);
    Ok(())
}

/// Items indexed per transaction while building the index for an existing
/// database: short enough that the reader's writes never wait long.
const BUILD_BATCH: usize = 2_000;

impl Store {
    /// How many stored items are not in the search index yet (items stored before
    /// the index existed).
    pub fn search_backlog(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM search_backlog", [], |row| row.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// Indexes every item in the backlog, in batches of one transaction each (a
    /// crash keeps what was done), calling `progress(done, total)` after each.
    pub fn build_search_index(
        &mut self,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<u64, StoreError> {
        let total = self.search_backlog()?;
        let mut done = 0;
        loop {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let ids: Vec<ItemId> = tx
                .prepare_cached("SELECT item_id FROM search_backlog ORDER BY item_id LIMIT ?1")?
                .query_map([BUILD_BATCH as i64], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            if ids.is_empty() {
                tx.commit()?;
                break;
            }
            let mut terms = Terms::default();
            reindex_items_with(&tx, &ids, &mut terms)?;
            let mut done_item =
                tx.prepare_cached("DELETE FROM search_backlog WHERE item_id = ?1")?;
            for id in &ids {
                done_item.execute([id])?;
            }
            drop(done_item);
            terms.store(&tx)?;
            tx.commit()?;
            done += ids.len() as u64;
            progress(done.min(total), total);
        }
        Ok(done)
    }
}
