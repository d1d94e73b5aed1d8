//! Full-article text for feeds with `fulltext = true`: which items still need their
//! page fetched, and the extracted article once it has been.

use rusqlite::{OptionalExtension, params};

use super::{FeedId, ItemId, Store, StoreError};

/// An item whose web page should be fetched for its full text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FulltextJob {
    /// The item.
    pub item_id: ItemId,
    /// Its feed.
    pub feed_id: FeedId,
    /// The page to fetch.
    pub link: String,
}

impl Store {
    /// Up to `limit` items, newest first, of enabled `fulltext` feeds whose page has
    /// not been tried yet.
    pub fn fulltext_jobs(&self, limit: usize) -> Result<Vec<FulltextJob>, StoreError> {
        // The query below walks every item newest first; without a full-text feed
        // (the usual case) that is a scan of the whole database after each refresh.
        let any_feed: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM feeds WHERE fulltext = 1 AND enabled = 1)",
            )?
            .query_row([], |row| row.get(0))?;
        if !any_feed {
            return Ok(Vec::new());
        }
        let mut statement = self.conn.prepare_cached(
            "SELECT i.id, i.feed_id, i.link FROM feeds f
               JOIN items i ON i.feed_id = f.id
               JOIN item_content c ON c.item_id = i.id
              WHERE f.fulltext = 1 AND f.enabled = 1
                AND i.link IS NOT NULL AND c.fulltext_tried = 0
              ORDER BY i.sort_time DESC, i.id DESC
              LIMIT ?1",
        )?;
        let jobs = statement
            .query_map([limit as i64], |row| {
                Ok(FulltextJob {
                    item_id: row.get(0)?,
                    feed_id: row.get(1)?,
                    link: row.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(jobs)
    }

    /// Records the outcome of fetching an item's page: the article, or `None` when
    /// the page could not be fetched or read as an article (it is not tried again
    /// until the item changes).
    pub fn set_fulltext(
        &mut self,
        item: ItemId,
        article_html: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE item_content SET fulltext_html = ?2, fulltext_tried = 1 WHERE item_id = ?1",
            params![item, article_html],
        )?;
        Ok(())
    }

    /// The article extracted from the item's page, when there is one.
    pub fn item_fulltext(&self, item: ItemId) -> Result<Option<String>, StoreError> {
        let html = self
            .conn
            .query_row(
                "SELECT fulltext_html FROM item_content WHERE item_id = ?1",
                [item],
                |row| row.get::<_, Option<String>>(0),
            )
            .optional()?;
        Ok(html.flatten())
    }
}
