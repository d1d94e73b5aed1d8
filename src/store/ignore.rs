//! `[[ignore]]` rules as the refresh's writer applies them: a new item one of
//! them selects is not stored (newsboat's `ignore-article`). Only new items are
//! tested; an item already stored is never removed by a rule, and items a
//! sync pulls from a feed server are written without rules
//! (`update::write_feed`), since dropping them locally would contradict the
//! server's unread counts.
//!
//! The test is `query::Matcher`, over the item's index text: the text the
//! index would hold, made once and then handed to the index if the item is kept.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension};

use super::search_item_text::ItemText;
use crate::core::FeedId;
use crate::query::{FeedFacts, ItemFacts, Matcher, Query, append_index_text, index_text};

/// The rules a [`super::Store`] applies to the new items it writes in a
/// refresh ([`super::Store::set_ignore_rules`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreRules {
    queries: Vec<Query>,
    utc_offset: i64,
}

impl IgnoreRules {
    /// `queries`, their calendar days read in the time zone `utc_offset`
    /// seconds east of UTC; `None` when there are none, so that a refresh
    /// without rules does no work for them at all.
    pub fn new(queries: Vec<Query>, utc_offset: i64) -> Option<IgnoreRules> {
        (!queries.is_empty()).then_some(IgnoreRules {
            queries,
            utc_offset,
        })
    }

    /// The rules with relative dates (`7d`) read at `now`, the write's clock.
    pub(super) fn at(&self, now: i64) -> Vec<Matcher> {
        self.queries
            .iter()
            .map(|query| Matcher::new(query, now, self.utc_offset))
            .collect()
    }
}

/// The rules bound to one feed's write: what `feed:` and the feed's tags
/// need, looked up and normalised once per feed.
pub(super) struct FeedRules<'r> {
    matchers: &'r [Matcher],
    feed: FeedFacts,
    feed_tags: Vec<String>,
    feed_tag_keys: Vec<String>,
}

impl<'r> FeedRules<'r> {
    pub(super) fn new(
        tx: &Connection,
        feed: FeedId,
        feed_tags: &[String],
        matchers: &'r [Matcher],
    ) -> rusqlite::Result<FeedRules<'r>> {
        let (url, title): (String, String) = tx
            .prepare_cached(
                "SELECT url, COALESCE(user_title, feed_title, url) FROM feeds WHERE id = ?1",
            )?
            .query_row([feed], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?
            .unwrap_or_default();
        Ok(FeedRules {
            matchers,
            feed: FeedFacts::new(&url, &title),
            feed_tags: feed_tags.to_vec(),
            feed_tag_keys: feed_tags.iter().map(|tag| index_text(tag)).collect(),
        })
    }

    /// Whether a rule selects the new item with this index text (`feed_title`:
    /// the feed's normalised title, the index's `feed` column) and these
    /// categories. Also returns the tags column it made, for the index.
    pub(super) fn selects(
        &self,
        text: &ItemText,
        feed_title: &str,
        categories: &BTreeSet<&str>,
        sort_time: i64,
    ) -> (bool, String) {
        let mut tag_keys = self.feed_tag_keys.clone();
        tag_keys.extend(categories.iter().map(|tag| index_text(tag)));
        // The index's tags column, made as the index makes it (the keys above
        // are the same words one tag at a time: `tag:` compares whole tags).
        let mut tags = String::new();
        for tag in self
            .feed_tags
            .iter()
            .map(String::as_str)
            .chain(categories.iter().copied())
        {
            append_index_text(tag, &mut tags);
        }
        let [title, body, author] = text.columns();
        let columns = [title, body, author, feed_title, tags.as_str()];
        let item = ItemFacts {
            columns: &columns,
            tag_keys: &tag_keys,
            feed: &self.feed,
            sort_time,
            // A new item is unread and not starred.
            read: false,
            starred: false,
        };
        let selected = self.matchers.iter().any(|rule| rule.matches(&item));
        (selected, tags)
    }
}
