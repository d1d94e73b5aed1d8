//! The local SQLite database: feeds, items, tags, read/starred state, content.
//!
//! One [`Store`] wraps one connection. WAL mode, a busy timeout and one
//! transaction per feed refresh let the TUI and a `khabar refresh` from cron use
//! the same file at once. Times are Unix seconds (UTC).
//!
//! API contract (other modules code against this; keep signatures stable):
//! listing methods never read whole tables: they page through indexes.

use std::path::Path;

use crate::feed::{Enclosure, ParsedFeed};
use crate::text::Direction;

pub type FeedId = i64;
pub type ItemId = i64;

/// Errors from the store, each saying what the user can do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open database {path}: {source}")]
    Open {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "database {path} was written by a newer khabar (schema {found}, this one knows {known})"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("no feed with URL {0}")]
    NoSuchFeed(String),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// A feed as the user configured it (config file, `khabar add`, import).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeedSpec {
    pub url: String,
    pub title: Option<String>,
    pub tags: Vec<String>,
    pub direction: Direction,
    pub fulltext: bool,
    pub enabled: bool,
}

/// A feed with its counts, for lists.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeedRow {
    pub id: FeedId,
    pub url: String,
    /// The user's title, else the feed's own, else the URL.
    pub title: String,
    pub site_link: Option<String>,
    pub language: Option<String>,
    pub direction: Direction,
    pub tags: Vec<String>,
    pub enabled: bool,
    pub unread: u64,
    pub total: u64,
    pub last_error: Option<String>,
    pub last_error_at: Option<i64>,
    pub last_success_at: Option<i64>,
}

/// What to list: the scope and filters of a headline list or `khabar items`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemQuery {
    pub feed: Option<FeedId>,
    /// Items of feeds with this tag, or with this item category.
    pub tag: Option<String>,
    pub unread_only: bool,
    pub starred_only: bool,
}

/// Position in a newest-first list, for keyset paging: (sort time, id).
pub type Cursor = (i64, ItemId);

/// One headline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemRow {
    pub id: ItemId,
    pub feed_id: FeedId,
    pub feed_title: String,
    pub title: String,
    pub link: Option<String>,
    /// Published time, else the time the item was first seen; the list sorts on it.
    pub sort_time: i64,
    pub read: bool,
    pub starred: bool,
    /// Item language, else the feed's.
    pub language: Option<String>,
    /// The feed's configured direction.
    pub direction: Direction,
}

impl ItemRow {
    pub fn cursor(&self) -> Cursor {
        (self.sort_time, self.id)
    }
}

/// Everything about one item, for the article view and `--json`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemDetail {
    pub row: ItemRow,
    pub feed_url: String,
    pub author: Option<String>,
    pub summary: Option<String>,
    pub content_html: Option<String>,
    pub published: Option<i64>,
    /// Item categories and feed tags, deduplicated.
    pub tags: Vec<String>,
    pub enclosures: Vec<Enclosure>,
}

/// HTTP validators and body hash kept per feed for conditional GET.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FetchState {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Hash of the last body parsed; an identical body is not parsed again.
    pub body_hash: Option<String>,
}

/// What a successful fetch brought, to be written in one transaction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeedUpdate {
    pub feed: ParsedFeed,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body_hash: Option<String>,
    /// Set when a permanent redirect moved the feed.
    pub new_url: Option<String>,
}

/// What [`Store::apply_update`] changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UpdateStats {
    pub new_items: u64,
    pub changed_items: u64,
}

/// How long read items are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CleanupPolicy {
    /// Read, unstarred items older than this many days are removed; 0 keeps all.
    pub keep_read_days: u32,
}

/// A connection to the khabar database.
pub struct Store {
    conn: rusqlite::Connection,
}

#[allow(unused_variables)]
impl Store {
    /// Opens (creating and migrating as needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        todo!()
    }

    /// Makes the database's subscriptions match the config's `[[feed]]` list
    /// (adds new ones, updates titles/tags/direction); feeds added with
    /// `khabar add` or import are left alone.
    pub fn sync_config_feeds(&mut self, specs: &[FeedSpec]) -> Result<(), StoreError> {
        todo!()
    }

    /// Adds a feed (or updates its title/tags when it exists). Returns its id.
    pub fn add_feed(&mut self, spec: &FeedSpec) -> Result<FeedId, StoreError> {
        todo!()
    }

    /// Removes a feed and its items.
    pub fn remove_feed(&mut self, url: &str) -> Result<(), StoreError> {
        todo!()
    }

    /// Every feed with its counts, ordered by title. Cheap: counts are kept up to date
    /// on write, not computed by scanning items.
    pub fn feeds(&self) -> Result<Vec<FeedRow>, StoreError> {
        todo!()
    }

    pub fn feed_by_url(&self, url: &str) -> Result<Option<FeedRow>, StoreError> {
        todo!()
    }

    pub fn fetch_state(&self, feed: FeedId) -> Result<FetchState, StoreError> {
        todo!()
    }

    /// Writes a fetched feed in one transaction: new items inserted unread,
    /// known items updated only when their content hash changed (read state kept).
    pub fn apply_update(
        &mut self,
        feed: FeedId,
        update: &FeedUpdate,
        now: i64,
    ) -> Result<UpdateStats, StoreError> {
        todo!()
    }

    /// Records a 304 or an unchanged body.
    pub fn record_unchanged(&mut self, feed: FeedId, now: i64) -> Result<(), StoreError> {
        todo!()
    }

    /// Records a failed fetch; the feed keeps its items.
    pub fn record_error(
        &mut self,
        feed: FeedId,
        message: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        todo!()
    }

    /// Newest-first page of items matching `query`, strictly after `after`
    /// (or from the top when `None`).
    pub fn items_after(
        &self,
        query: &ItemQuery,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        todo!()
    }

    /// The page just before `before`, returned newest first (for scrolling up).
    pub fn items_before(
        &self,
        query: &ItemQuery,
        before: Cursor,
        limit: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        todo!()
    }

    /// The `limit` oldest items of `query`, returned newest first (for `G`).
    pub fn items_last(&self, query: &ItemQuery, limit: usize) -> Result<Vec<ItemRow>, StoreError> {
        todo!()
    }

    pub fn count_items(&self, query: &ItemQuery) -> Result<u64, StoreError> {
        todo!()
    }

    pub fn item(&self, id: ItemId) -> Result<Option<ItemDetail>, StoreError> {
        todo!()
    }

    /// Sets read state, durably, before returning.
    pub fn set_read(&mut self, ids: &[ItemId], read: bool, now: i64) -> Result<u64, StoreError> {
        todo!()
    }

    pub fn set_starred(
        &mut self,
        ids: &[ItemId],
        starred: bool,
        now: i64,
    ) -> Result<u64, StoreError> {
        todo!()
    }

    /// Marks every item matching `query` read; returns how many changed.
    pub fn mark_all_read(&mut self, query: &ItemQuery, now: i64) -> Result<u64, StoreError> {
        todo!()
    }

    /// Unread items in enabled feeds. Fast at any size (`khabar unread` in a status bar).
    pub fn unread_count(&self) -> Result<u64, StoreError> {
        todo!()
    }

    /// Removes read, unstarred items older than the policy allows.
    pub fn cleanup(&mut self, policy: CleanupPolicy, now: i64) -> Result<u64, StoreError> {
        todo!()
    }
}
