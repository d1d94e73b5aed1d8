//! Switching from newsboat in one command (issue 8): newsboat's `cache.db` read
//! (read-only, never changed) and its cached items written into khabar's
//! database with their read, unread and flagged (starred) state, in the same
//! transaction as the subscriptions, so an interrupted import leaves nothing half
//! done and nothing that was read in newsboat reads as new in khabar.
//!
//! newsboat's schema (stable since 2.x): `rss_feed(rssurl, url, title, …)` and
//! `rss_item(guid, title, author, url, feedurl, pubDate, content, unread,
//! enclosure_url, enclosure_type, flags, deleted, …)`. An item's `guid` is the
//! feed's guid, else its link (else its title), which is what khabar's identity
//! is too, so a later refresh finds the imported items instead of adding them again.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OpenFlags, params};

use super::{FeedSpec, FeedUpdate, Store, StoreError};
use crate::feed::url_key::feed_url_key;
use crate::feed::{Enclosure, ParsedFeed, ParsedItem};

/// Why newsboat's cache could not be read.
#[derive(Debug, thiserror::Error)]
pub enum NewsboatCacheError {
    /// The file is missing, not SQLite, or not newsboat's schema.
    #[error("cannot read newsboat's cache {path}: {error}")]
    Read {
        /// The cache file.
        path: String,
        /// What SQLite said.
        error: rusqlite::Error,
    },
}

/// One feed of newsboat's cache.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewsboatFeed {
    /// The feed's URL as the `urls` file names it.
    pub url: String,
    /// The feed's own title as newsboat last saw it.
    pub title: Option<String>,
    /// The site's link.
    pub site_link: Option<String>,
}

/// One cached item and its state in newsboat.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewsboatItem {
    /// The feed's URL (`rss_item.feedurl`).
    pub feed_url: String,
    /// newsboat's identity of the item.
    pub guid: String,
    /// The title as newsboat shows it.
    pub title: String,
    /// The author, if any.
    pub author: Option<String>,
    /// The item's link, if any.
    pub link: Option<String>,
    /// Unix seconds; `None` when newsboat had no date.
    pub published: Option<i64>,
    /// The item's HTML as newsboat cached it.
    pub content: Option<String>,
    /// Not read in newsboat.
    pub unread: bool,
    /// newsboat's flags (letters the user set); any flag counts as starred.
    pub flags: String,
    /// Deleted in newsboat: not imported as an item, and not brought back.
    pub deleted: bool,
    /// A podcast enclosure.
    pub enclosure: Option<Enclosure>,
}

/// What newsboat's cache holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewsboatCache {
    /// `rss_feed` rows.
    pub feeds: Vec<NewsboatFeed>,
    /// `rss_item` rows, in newsboat's order.
    pub items: Vec<NewsboatItem>,
}

/// Reads newsboat's cache file without writing to it (newsboat may be running).
pub fn read_newsboat_cache(path: &Path) -> Result<NewsboatCache, NewsboatCacheError> {
    let read_err = |error| NewsboatCacheError::Read {
        path: path.display().to_string(),
        error,
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(read_err)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(read_err)?;
    let text = |value: Option<String>| {
        value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let feeds = {
        let mut stmt = conn
            .prepare("SELECT rssurl, title, url FROM rss_feed")
            .map_err(read_err)?;
        stmt.query_map([], |row| {
            Ok(NewsboatFeed {
                url: row.get(0)?,
                title: text(row.get(1)?),
                site_link: text(row.get(2)?),
            })
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(read_err)?
    };
    let items = {
        let mut stmt = conn
            .prepare(
                "SELECT feedurl, guid, title, author, url, pubDate, content, unread, \
                        COALESCE(flags, ''), deleted, enclosure_url, enclosure_type \
                 FROM rss_item ORDER BY id",
            )
            .map_err(read_err)?;
        stmt.query_map([], |row| {
            let enclosure_url: Option<String> = text(row.get(10)?);
            Ok(NewsboatItem {
                feed_url: row.get(0)?,
                guid: row.get(1)?,
                title: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                author: text(row.get(3)?),
                link: text(row.get(4)?),
                published: row.get::<_, Option<i64>>(5)?.filter(|&t| t > 0),
                content: text(row.get(6)?),
                unread: row.get::<_, Option<i64>>(7)?.unwrap_or(1) != 0,
                flags: row.get(8)?,
                deleted: row.get::<_, Option<i64>>(9)?.unwrap_or(0) != 0,
                enclosure: enclosure_url.map(|url| Enclosure {
                    url,
                    mime_type: text(row.get(11).ok().flatten()),
                    ..Enclosure::default()
                }),
            })
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(read_err)?
    };
    Ok(NewsboatCache { feeds, items })
}

/// What [`Store::import_with_newsboat_cache`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NewsboatImport {
    /// Subscriptions that were new.
    pub new_feeds: usize,
    /// Cached items now in khabar (new or already there).
    pub items: usize,
    /// Of those, read in newsboat.
    pub read: usize,
    /// Of those, flagged in newsboat (now starred).
    pub starred: usize,
    /// Items deleted in newsboat: remembered so they do not come back.
    pub deleted: usize,
    /// Cached items of feeds the subscription list does not have: left out.
    pub without_feed: usize,
}

impl Store {
    /// Adds `specs` (as [`Store::add_feeds`] does) and every cached item of those
    /// feeds from newsboat's `cache`, with its read and flagged state, in one
    /// transaction. A read item stays read (and a starred one starred) if khabar
    /// already had it; newsboat's state only ever adds "read" and "starred", and an
    /// item khabar already had keeps khabar's copy of it.
    pub fn import_with_newsboat_cache(
        &mut self,
        specs: &[FeedSpec],
        cache: &NewsboatCache,
        now: i64,
    ) -> Result<NewsboatImport, StoreError> {
        let tx = self.begin_write()?;
        let mut report = NewsboatImport {
            new_feeds: super::feeds::add_feeds_in(&tx, specs, now)?,
            ..NewsboatImport::default()
        };
        // Feed ids by normalised URL: the cache names feeds as the urls file does.
        let mut ids: HashMap<String, i64> = HashMap::with_capacity(specs.len());
        {
            let mut stmt = tx.prepare_cached("SELECT id FROM feeds WHERE url = ?1")?;
            for spec in specs {
                if let Some(id) = stmt
                    .query_map([&spec.url], |row| row.get::<_, i64>(0))?
                    .next()
                    .transpose()?
                {
                    ids.insert(feed_url_key(&spec.url), id);
                }
            }
        }
        let titles: HashMap<String, &NewsboatFeed> = cache
            .feeds
            .iter()
            .map(|feed| (feed_url_key(&feed.url), feed))
            .collect();
        let mut by_feed: HashMap<i64, Vec<&NewsboatItem>> = HashMap::new();
        for item in &cache.items {
            match ids.get(&feed_url_key(&item.feed_url)) {
                Some(&id) => by_feed.entry(id).or_default().push(item),
                None => report.without_feed += 1,
            }
        }
        let mut feed_ids: Vec<(&String, &i64)> = ids.iter().collect();
        feed_ids.sort_by_key(|(_, id)| **id);
        for (key, &feed) in feed_ids {
            let items = by_feed.remove(&feed).unwrap_or_default();
            let known = titles.get(key);
            if items.is_empty() && known.is_none() {
                continue;
            }
            let (kept, deleted): (Vec<&NewsboatItem>, Vec<&NewsboatItem>) =
                items.into_iter().partition(|item| !item.deleted);
            // An item khabar holds already (an import run again after a refresh)
            // keeps khabar's copy: newsboat's has no categories and, where newsboat
            // could not read a date (Jalali ones), the time it fetched the item.
            let mut held =
                tx.prepare_cached("SELECT 1 FROM items WHERE feed_id = ?1 AND identity = ?2")?;
            let mut fresh = Vec::with_capacity(kept.len());
            for item in &kept {
                if !held.exists(params![feed, identity(item)])? {
                    fresh.push(parsed_item(item));
                }
            }
            let update = FeedUpdate {
                feed: ParsedFeed {
                    title: known.and_then(|f| f.title.clone()),
                    site_link: known.and_then(|f| f.site_link.clone()),
                    language: None,
                    items: fresh,
                },
                ..FeedUpdate::default()
            };
            super::update::write_feed(&tx, feed, &update, now)?;
            report.items += kept.len();
            let mut mark_read = tx.prepare_cached(
                "UPDATE item_state SET read = 1, read_at = ?3 WHERE read = 0 AND item_id = \
                 (SELECT id FROM items WHERE feed_id = ?1 AND identity = ?2)",
            )?;
            let mut star = tx.prepare_cached(
                "UPDATE item_state SET starred = 1, starred_at = ?3 WHERE starred = 0 AND item_id = \
                 (SELECT id FROM items WHERE feed_id = ?1 AND identity = ?2)",
            )?;
            for item in &kept {
                let identity = identity(item);
                if !item.unread {
                    mark_read.execute(params![feed, identity, now])?;
                    report.read += 1;
                }
                if !item.flags.trim().is_empty() {
                    star.execute(params![feed, identity, now])?;
                    report.starred += 1;
                }
            }
            let mut remember = tx.prepare_cached(
                "INSERT OR IGNORE INTO removed_items (feed_id, identity, removed_at) \
                 SELECT ?1, ?2, ?3 WHERE NOT EXISTS \
                 (SELECT 1 FROM items WHERE feed_id = ?1 AND identity = ?2)",
            )?;
            for item in &deleted {
                remember.execute(params![feed, identity(item), now])?;
                report.deleted += 1;
            }
        }
        tx.commit()?;
        Ok(report)
    }
}

/// khabar's identity of a newsboat item: its guid (newsboat's guid is the feed's
/// guid, else the link, which is khabar's rule too).
fn identity(item: &NewsboatItem) -> String {
    let guid = item.guid.trim();
    // Without a guid newsboat names an item by its link (or title) followed by
    // its pubDate as published: `https://x/3Mon, 02 Sep 2024 12:00:00 GMT`.
    let named_by = |base: &str| {
        !base.is_empty()
            && guid.strip_prefix(base).is_some_and(|rest| {
                rest.is_empty() || crate::feed::dates::parse_timestamp(rest.trim()).is_some()
            })
    };
    if let Some(link) = item.link.as_deref().filter(|link| named_by(link)) {
        return link.to_string();
    }
    if item.link.is_none() && (guid.is_empty() || named_by(item.title.trim())) {
        // Neither guid nor link: newsboat names the item by its title, khabar by a
        // hash of its title and text (see `feed::normalise`).
        let mut hasher = blake3::Hasher::new();
        hasher.update(
            crate::text::sanitize::clean_paragraph(&item.title)
                .trim()
                .as_bytes(),
        );
        hasher.update(b"\0");
        hasher.update(item.content.as_deref().unwrap_or("").as_bytes());
        return format!("hash:{}", hasher.finalize().to_hex());
    }
    if guid.is_empty() {
        item.link.clone().unwrap_or_default()
    } else {
        guid.to_string()
    }
}

fn parsed_item(item: &NewsboatItem) -> ParsedItem {
    let title = crate::text::sanitize::clean_paragraph(&item.title);
    let mut hasher = blake3::Hasher::new();
    for field in [
        item.guid.as_str(),
        &title,
        item.link.as_deref().unwrap_or(""),
        item.content.as_deref().unwrap_or(""),
    ] {
        hasher.update(&(field.len() as u64).to_le_bytes());
        hasher.update(field.as_bytes());
    }
    ParsedItem {
        identity: identity(item),
        title,
        link: item.link.clone(),
        author: item
            .author
            .as_deref()
            .map(crate::text::sanitize::clean_paragraph),
        summary: None,
        content_html: item.content.clone(),
        published: item.published,
        updated: None,
        categories: Vec::new(),
        enclosures: item.enclosure.iter().cloned().collect(),
        language: None,
        // Not the parser's hash: the next refresh rewrites the item once in
        // khabar's own form (its read and starred state kept).
        content_hash: format!("newsboat:{}", hasher.finalize().to_hex()),
    }
}
