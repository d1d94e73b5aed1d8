//! Search through the real index on real SQLite files: Persian normalisation in
//! both directions, prefixes, phrases, exclusions, ranking, dates in both
//! calendars, tags and feeds, the `fa-*` fixtures, the index kept in step with
//! the items, the index built for an older database, and the command line.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod cli;
mod consistency;
mod date_plan;
mod fixtures;
mod floor;
mod ignore_agrees;
mod matching;
mod merge;
mod ranked_pages;

use std::path::Path;

use khabar::feed::{ParsedFeed, ParsedItem};
use khabar::query::parse;
use khabar::store::{FeedId, FeedSpec, FeedUpdate, SearchClock, Store};
use khabar::text::Direction;

/// 2023-11-14 22:13:20 UTC.
pub const NOW: i64 = 1_700_000_000;
pub const DAY: i64 = 86_400;
pub const CLOCK: SearchClock = SearchClock {
    now: NOW,
    utc_offset: 0,
};

pub fn open(dir: &Path) -> Store {
    Store::open(&dir.join("khabar.db")).unwrap()
}

pub fn spec(url: &str, title: Option<&str>, tags: &[&str]) -> FeedSpec {
    FeedSpec {
        url: url.to_string(),
        title: title.map(str::to_string),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        direction: Direction::Auto,
        fulltext: false,
        enabled: true,
    }
}

/// An item with this title and body, published `days_ago` before [`NOW`].
pub fn item(identity: &str, title: &str, body: &str, days_ago: i64) -> ParsedItem {
    ParsedItem {
        identity: identity.to_string(),
        title: title.to_string(),
        link: Some(format!("https://example.org/{identity}")),
        content_html: Some(format!("<p>{body}</p>")),
        published: Some(NOW - days_ago * DAY),
        content_hash: format!("{identity}-{title}-{body}"),
        ..ParsedItem::default()
    }
}

pub fn update(title: &str, items: Vec<ParsedItem>) -> FeedUpdate {
    FeedUpdate {
        feed: ParsedFeed {
            title: Some(title.to_string()),
            items,
            ..ParsedFeed::default()
        },
        ..FeedUpdate::default()
    }
}

/// Adds a feed and writes its items.
pub fn feed(store: &mut Store, url: &str, tags: &[&str], items: Vec<ParsedItem>) -> FeedId {
    let id = store.add_feed(&spec(url, None, tags)).unwrap();
    store
        .apply_update(id, &update(&format!("Feed {url}"), items), NOW)
        .unwrap();
    id
}

/// The titles `text` finds, best first.
pub fn titles(store: &Store, text: &str) -> Vec<String> {
    let query = parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    store
        .search(&query, CLOCK, 100)
        .unwrap()
        .into_iter()
        .map(|row| row.title)
        .collect()
}

/// The titles `text` finds, sorted, for set comparisons.
pub fn found(store: &Store, text: &str) -> Vec<String> {
    let mut out = titles(store, text);
    out.sort();
    out
}
