//! Items: one headline ([`ItemRow`]), one item in full ([`ItemDetail`]), what a
//! list shows ([`ItemQuery`]) and where a page of it starts ([`Cursor`]).

use super::{FeedId, ItemId};
use crate::text::Direction;

/// What to list: the scope and filters of a headline list or `khabar items`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemQuery {
    /// Only this feed's items.
    pub feed: Option<FeedId>,
    /// Items of feeds with this tag, or with this item category.
    pub tag: Option<String>,
    /// Only unread items.
    pub unread_only: bool,
    /// Only starred items.
    pub starred_only: bool,
}

/// Position in a newest-first list, for keyset paging: (sort time, id).
pub type Cursor = (i64, ItemId);

/// One headline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemRow {
    /// Row id.
    pub id: ItemId,
    /// The feed it came from.
    pub feed_id: FeedId,
    /// That feed's title as lists show it.
    pub feed_title: String,
    /// The headline (may be empty).
    pub title: String,
    /// The item's web page.
    pub link: Option<String>,
    /// Published time, else the time the item was first seen; the list sorts on it.
    pub sort_time: i64,
    /// Read by the user.
    pub read: bool,
    /// Starred by the user.
    pub starred: bool,
    /// Item language, else the feed's.
    pub language: Option<String>,
    /// The feed's configured direction.
    pub direction: Direction,
}

impl ItemRow {
    /// Where a list that ends with this item continues.
    pub fn cursor(&self) -> Cursor {
        (self.sort_time, self.id)
    }
}

/// Everything about one item, for the article view and `--json`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemDetail {
    /// What a list shows of it.
    pub row: ItemRow,
    /// The URL of its feed.
    pub feed_url: String,
    /// The author as the feed names them.
    pub author: Option<String>,
    /// Short text or HTML summary, as published.
    pub summary: Option<String>,
    /// The full content HTML, as published.
    pub content_html: Option<String>,
    /// Published time (Unix seconds), if the feed gave one.
    pub published: Option<i64>,
    /// Item categories and feed tags, deduplicated.
    pub tags: Vec<String>,
    /// Attached media.
    pub enclosures: Vec<Enclosure>,
    /// The article taken from the item's web page (full text), when fetched.
    pub fulltext_html: Option<String>,
    /// Its feed fetches the page when an item is first opened, and this one's
    /// page has not been tried yet.
    pub fetch_on_open: bool,
}

/// A podcast episode or other attached media.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Enclosure {
    /// Where the media is.
    pub url: String,
    /// Its MIME type, as the feed says.
    pub mime_type: Option<String>,
    /// Its length in bytes, as the feed says.
    pub length: Option<u64>,
}
