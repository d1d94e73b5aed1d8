//! Full-article text: which items still need their page fetched, the extracted
//! article once it has been, and why a page gave none. A failed page is retried
//! at most once a day and at most [`MAX_ATTEMPTS`] times; the feed's own text
//! stays in place meanwhile.

use rusqlite::{OptionalExtension, params};

use super::{FeedId, ItemId, Store, StoreError};

/// A page that failed this many times is not fetched again by refreshes.
pub const MAX_ATTEMPTS: i64 = 3;

/// Seconds between two attempts at a failing page.
pub const RETRY_AFTER_SECS: i64 = 24 * 60 * 60;

/// An item whose web page should be fetched for its full text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FulltextJob {
    /// The item.
    pub item_id: ItemId,
    /// Its feed.
    pub feed_id: FeedId,
    /// Its web page.
    pub link: String,
}

/// What is known about an item's full text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FulltextStatus {
    /// The extracted article, when there is one.
    pub html: Option<String>,
    /// Why the last attempt gave none.
    pub error: Option<String>,
    /// Attempts that failed so far.
    pub attempts: i64,
    /// Whether the item's feed fetches pages when an item is first opened.
    pub on_open: bool,
    /// The item's web page.
    pub link: Option<String>,
}

/// Which items `khabar fulltext` fetches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FulltextSelection {
    /// Only this feed (by id); else feeds with full text on.
    pub feed: Option<FeedId>,
    /// Only feeds with this tag; else feeds with full text on.
    pub tag: Option<String>,
    /// Only items without full text (a page that failed is tried again).
    pub missing: bool,
    /// At most this many, newest first.
    pub limit: usize,
}

impl Store {
    /// Up to `limit` items, newest first, of enabled `fulltext` feeds whose page is
    /// due: never tried, or failed fewer than [`MAX_ATTEMPTS`] times and not in the
    /// last [`RETRY_AFTER_SECS`].
    pub fn fulltext_jobs(&self, limit: usize, now: i64) -> Result<Vec<FulltextJob>, StoreError> {
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
                AND i.link IS NOT NULL AND c.fulltext_html IS NULL
                AND c.fulltext_attempts < ?2
                AND (c.fulltext_tried_at IS NULL OR c.fulltext_tried_at <= ?3)
              ORDER BY i.sort_time DESC, i.id DESC
              LIMIT ?1",
        )?;
        let jobs = statement
            .query_map(
                params![limit as i64, MAX_ATTEMPTS, now - RETRY_AFTER_SECS],
                job_from_row,
            )?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(jobs)
    }

    /// Items for `khabar fulltext`, newest first.
    pub fn fulltext_selection(
        &self,
        selection: &FulltextSelection,
    ) -> Result<Vec<FulltextJob>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT i.id, i.feed_id, i.link FROM feeds f
               JOIN items i ON i.feed_id = f.id
               JOIN item_content c ON c.item_id = i.id
              WHERE i.link IS NOT NULL
                AND (?1 IS NULL OR f.id = ?1)
                AND (?2 IS NULL OR EXISTS (SELECT 1 FROM feed_tags t
                                            WHERE t.feed_id = f.id AND t.tag = ?2))
                AND (?1 IS NOT NULL OR ?2 IS NOT NULL OR f.fulltext = 1 OR f.fulltext_on_open = 1)
                AND (?3 = 0 OR c.fulltext_html IS NULL)
              ORDER BY i.sort_time DESC, i.id DESC
              LIMIT ?4",
        )?;
        let jobs = statement
            .query_map(
                params![
                    selection.feed,
                    selection.tag,
                    selection.missing,
                    selection.limit as i64
                ],
                job_from_row,
            )?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(jobs)
    }

    /// Records the outcome of fetching an item's page at `now`: the article, or
    /// why there is none (the feed's text stays; the page is retried later).
    /// One page (the reader's): no merge of the search index follows it, so
    /// it merges itself once the index is crowded.
    pub fn set_fulltext_result(
        &mut self,
        item: ItemId,
        result: Result<&str, &str>,
        now: i64,
    ) -> Result<(), StoreError> {
        self.set_fulltext_results([(item, result)], now)?;
        self.merge_search_index_if_crowded();
        Ok(())
    }

    /// [`Store::set_fulltext_result`] for several pages in one transaction: the
    /// refresh's page writer stores together the pages that arrived while it
    /// was writing, so the search index flushes once for them instead of once
    /// per page (BENCHMARKS.md, issue 10).
    pub fn set_fulltext_results<'r>(
        &mut self,
        results: impl IntoIterator<Item = (ItemId, Result<&'r str, &'r str>)>,
        now: i64,
    ) -> Result<(), StoreError> {
        let tx = super::begin_write(&mut self.conn, self.file.as_ref())?;
        let mut terms = super::search_terms::Terms::default();
        let mut articles = Vec::new();
        for (item, result) in results {
            match result {
                Ok(html) => {
                    tx.prepare_cached(
                        "UPDATE item_content SET fulltext_html = ?2, fulltext_tried = 1,
                                fulltext_error = NULL, fulltext_tried_at = ?3 WHERE item_id = ?1",
                    )?
                    .execute(params![item, html, now])?;
                    articles.push(item);
                }
                Err(why) => {
                    tx.prepare_cached(
                        "UPDATE item_content SET fulltext_tried = 1, fulltext_error = ?2,
                                fulltext_attempts = fulltext_attempts + 1, fulltext_tried_at = ?3
                          WHERE item_id = ?1",
                    )?
                    .execute(params![item, why, now])?;
                }
            }
        }
        // The articles' words become searchable in the same transaction (issue
        // 9), all of the batch's rows written together.
        super::search_reindex::reindex_items_with(&tx, &articles, &mut terms)?;
        terms.without_stored(&self.stored_terms);
        terms.insert(&tx)?;
        tx.commit()?;
        self.stored_terms.remember(terms);
        Ok(())
    }

    /// Records the outcome of fetching an item's page now (see
    /// [`Store::set_fulltext_result`]); `None` records a failure without a reason.
    pub fn set_fulltext(
        &mut self,
        item: ItemId,
        article_html: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = chrono::Utc::now().timestamp();
        let result = article_html.ok_or("no article");
        self.set_fulltext_result(item, result, now)
    }

    /// The article extracted from the item's page, when there is one.
    pub fn item_fulltext(&self, item: ItemId) -> Result<Option<String>, StoreError> {
        Ok(self.fulltext_status(item)?.and_then(|s| s.html))
    }

    /// Everything known about the item's full text; `None` for an unknown item.
    pub fn fulltext_status(&self, item: ItemId) -> Result<Option<FulltextStatus>, StoreError> {
        let status = self
            .conn
            .prepare_cached(
                "SELECT c.fulltext_html, c.fulltext_error, c.fulltext_attempts,
                        f.fulltext_on_open, i.link
                   FROM items i JOIN item_content c ON c.item_id = i.id
                   JOIN feeds f ON f.id = i.feed_id
                  WHERE i.id = ?1",
            )?
            .query_row([item], |row| {
                Ok(FulltextStatus {
                    html: row.get(0)?,
                    error: row.get(1)?,
                    attempts: row.get(2)?,
                    on_open: row.get(3)?,
                    link: row.get(4)?,
                })
            })
            .optional()?;
        Ok(status)
    }

    /// Makes the config's feeds fetch pages when an item is first opened, or not
    /// (`(url, on)` pairs, as the config names the feeds).
    pub fn sync_fulltext_on_open(&mut self, feeds: &[(String, bool)]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for (url, on) in feeds {
            tx.execute(
                "UPDATE feeds SET fulltext_on_open = ?2
                  WHERE (url = ?1 OR config_url = ?1) AND fulltext_on_open IS NOT ?2",
                params![url, on],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

fn job_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<FulltextJob> {
    Ok(FulltextJob {
        item_id: row.get(0)?,
        feed_id: row.get(1)?,
        link: row.get(2)?,
    })
}
