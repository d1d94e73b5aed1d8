//! Indexing items already stored, from what the database holds: an item whose
//! full text arrived later, and the backlog of items stored before the index
//! existed. Apart from `search_index`, which writes the rows of a refresh from
//! the parsed feed inside its transaction, because these read the item back and
//! run in their own transactions (the backlog in batches).

use rusqlite::{Connection, OptionalExtension, params};

use super::search_index::{DELETE, INSERT};
use super::search_item_text::ItemText;
use super::search_terms::Terms;
use super::{ItemId, Store, StoreError};
use crate::query::append_index_text;

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
    let Some(row) = stored_item_row(conn, id)? else {
        return Ok(());
    };
    conn.prepare_cached(INSERT)?.execute(params![
        id,
        row.text.title,
        row.text.body,
        row.text.author,
        row.feed_title,
        row.tags
    ])?;
    row.text.add_words(terms);
    terms.add_text(&row.tags);
    terms.add_text(&row.feed_title);
    Ok(())
}

/// A stored item's index columns, made from what the database holds.
pub(super) struct StoredItemRow {
    pub(super) text: ItemText,
    pub(super) feed_title: String,
    pub(super) tags: String,
}

/// The index columns of stored item `id`; `None` when there is no such item.
pub(super) fn stored_item_row(
    conn: &Connection,
    id: ItemId,
) -> rusqlite::Result<Option<StoredItemRow>> {
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
        return Ok(None);
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
    Ok(Some(StoredItemRow {
        text,
        feed_title: crate::query::index_text(&feed_title),
        tags: tag_text,
    }))
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
            let tx = self.begin_write()?;
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
