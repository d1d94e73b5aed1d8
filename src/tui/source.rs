//! What a headline list shows (all items, unread, starred, a feed, a tag) and
//! the tag counts of the feed screen. Plain data shared by the model, the
//! messages and the list window, so that none of them imports another for it.

use crate::query::Query;
use crate::store::{FeedId, ItemQuery};

/// What a headline list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListSource {
    /// Every item of every enabled feed.
    All,
    /// Unread items only.
    Unread,
    /// Starred items only.
    Starred,
    /// The items of one feed.
    Feed(FeedId),
    /// Items of the feeds with this tag (and items with it as their own category).
    Tag(String),
    /// The matches of a query in the search language (`/`, a view): ranked
    /// when it searches words, else newest first.
    Search(Query),
}

impl ListSource {
    /// The store query for this list (`unread_only` narrows any list to its unread items).
    pub fn query(&self, unread_only: bool) -> ItemQuery {
        ItemQuery {
            feed: match self {
                ListSource::Feed(id) => Some(*id),
                _ => None,
            },
            tag: match self {
                ListSource::Tag(tag) => Some(tag.clone()),
                _ => None,
            },
            unread_only: unread_only || *self == ListSource::Unread,
            starred_only: *self == ListSource::Starred,
        }
    }
}

/// The starred items of every enabled feed, for the feed screen's *Starred*
/// entry: unread/total like *All items* beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StarredCounts {
    /// Starred items not read yet.
    pub unread: u64,
    /// All starred items.
    pub total: u64,
}

/// A tag of the feeds with its counts, for the feed screen's tag entries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TagCount {
    /// The tag as written in the config.
    pub name: String,
    /// Unread items in the tag's list.
    pub unread: u64,
    /// All items in the tag's list.
    pub total: u64,
}
