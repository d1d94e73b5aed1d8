//! What the store keeps for sync with a feed server: the server's feeds mapped to
//! local feeds, its entries mapped to local items with the read/starred state the
//! server last reported, and the account's state (cursors, capabilities, the last
//! result) as key/value pairs.
//!
//! Every write here is one transaction that also advances the cursor it belongs
//! to, so a sync killed at any point resumes where the last commit left it and
//! never stores an entry twice (entries are keyed by the server's id).
//!
//! Every write here (and the outbox's and reconciliation's) first checks that
//! the database file is still the one opened (`Store::check_file`, one `stat`
//! per transaction): a sync must not pour a server's state into a file that was
//! removed or replaced and that nothing will open again.

use crate::feed::command_url::is_command_url;
use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::{FeedId, FeedUpdate, ItemId, Store, StoreError};
use crate::feed::{ParsedFeed, ParsedItem};

/// A subscription on the server.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncedFeed {
    /// The server's id of the feed.
    pub remote_id: i64,
    /// The feed's address.
    pub url: String,
    /// The feed's title on the server.
    pub title: String,
    /// The site's home page.
    pub site_url: Option<String>,
    /// The server's category (folder) names: they become tags.
    pub tags: Vec<String>,
}

/// An entry from the server, normalised into a local item.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncedEntry {
    /// The server's id of the entry.
    pub remote_id: i64,
    /// The server's id of its feed.
    pub remote_feed: i64,
    /// The item as stored; its identity is derived from `remote_id`.
    pub item: ParsedItem,
    /// Read on the server.
    pub read: bool,
    /// Starred on the server.
    pub starred: bool,
}

/// One synced item: its local state, the server's last reported state and the
/// marks waiting in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncedState {
    /// The server's id of the entry.
    pub remote_id: i64,
    /// The local item.
    pub item_id: ItemId,
    /// Read locally.
    pub read: bool,
    /// Starred locally.
    pub starred: bool,
    /// Read on the server, as last reported.
    pub server_read: bool,
    /// Starred on the server, as last reported.
    pub server_starred: bool,
    /// Read mark waiting to be sent.
    pub pending_read: Option<bool>,
    /// Star mark waiting to be sent.
    pub pending_starred: Option<bool>,
}

/// A change reconciliation decided for one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateChange {
    /// The server's id of the entry.
    pub remote_id: i64,
    /// The local item.
    pub item_id: ItemId,
    /// New local read state, when it changes.
    pub read: Option<bool>,
    /// New local starred state, when it changes.
    pub starred: Option<bool>,
    /// The server's state now.
    pub server_read: bool,
    /// The server's state now.
    pub server_starred: bool,
}

/// The identity stored for a server entry: unique per feed, stable, and telling
/// where the item came from.
pub fn synced_identity(remote_id: i64) -> String {
    format!("sync:{remote_id}")
}

impl Store {
    /// A value of the account's state.
    pub fn sync_value(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM sync_state WHERE key = ?1",
                [key],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Sets values of the account's state in one transaction.
    pub fn set_sync_values(&mut self, values: &[(&str, String)]) -> Result<(), StoreError> {
        self.check_file()?;
        let tx = self.begin_write()?;
        put_sync_values(&tx, values)?;
        tx.commit()?;
        Ok(())
    }

    /// Forgets the server's ids, cursors and pending marks (the account changed):
    /// local feeds and items stay.
    pub fn reset_sync(&mut self) -> Result<(), StoreError> {
        self.check_file()?;
        let tx = self.begin_write()?;
        tx.execute_batch(
            "DELETE FROM sync_items; DELETE FROM sync_feeds; DELETE FROM sync_outbox; \
             DELETE FROM sync_state;",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The server ids of every entry held locally.
    pub fn held_remote_ids(&self) -> Result<std::collections::HashSet<i64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT remote_id FROM sync_items")?;
        let ids = stmt
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// The server's id of a local feed, when it comes from the server.
    pub fn synced_feed_remote_id(&self, feed: FeedId) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT remote_id FROM sync_feeds WHERE feed_id = ?1",
                [feed],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Local ids of the feeds that come from the server (not refreshed directly).
    pub fn synced_feed_ids(&self) -> Result<Vec<FeedId>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT feed_id FROM sync_feeds")?;
        let ids = stmt
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// Makes the server's subscriptions local feeds (a local feed with the same URL
    /// is adopted, keeping its tags and adding the server's). Feeds no longer on
    /// the server are disabled, keeping their items. A feed whose URL is a command
    /// (`exec:`, `filter:`) is left out. Returns remote id → feed id.
    pub fn sync_feeds(&mut self, feeds: &[SyncedFeed]) -> Result<HashMap<i64, FeedId>, StoreError> {
        let now = chrono::Utc::now().timestamp();
        self.check_file()?;
        let tx = self.begin_write()?;
        let mut map = HashMap::with_capacity(feeds.len());
        for feed in feeds {
            // Only the user makes command feeds (`feed::command_url`): a server's
            // is never stored, so never run.
            if is_command_url(&feed.url) {
                continue;
            }
            let mapped: Option<FeedId> = tx
                .query_row(
                    "SELECT feed_id FROM sync_feeds WHERE remote_id = ?1",
                    [feed.remote_id],
                    |row| row.get(0),
                )
                .optional()?;
            let by_url: Option<FeedId> = tx
                .query_row("SELECT id FROM feeds WHERE url = ?1", [&feed.url], |row| {
                    row.get(0)
                })
                .optional()?;
            let id = match mapped.or(by_url) {
                Some(id) => {
                    tx.execute(
                        "UPDATE feeds SET feed_title = ?2, site_link = COALESCE(?3, site_link), \
                                          enabled = 1 WHERE id = ?1",
                        params![id, feed.title, feed.site_url],
                    )?;
                    id
                }
                None => {
                    tx.execute(
                        "INSERT INTO feeds (url, feed_title, site_link, source, added_at) \
                         VALUES (?1, ?2, ?3, 'user', ?4)",
                        params![feed.url, feed.title, feed.site_url, now],
                    )?;
                    tx.last_insert_rowid()
                }
            };
            tx.execute(
                "INSERT OR REPLACE INTO sync_feeds (remote_id, feed_id) VALUES (?1, ?2)",
                params![feed.remote_id, id],
            )?;
            let mut tags = super::feeds::feed_tags(&tx, id)?;
            for tag in &feed.tags {
                if !tags.contains(tag) {
                    tags.push(tag.clone());
                }
            }
            super::feeds::set_feed_tags(&tx, id, &tags)?;
            map.insert(feed.remote_id, id);
        }
        let gone: Vec<(i64, FeedId)> = {
            let mut stmt = tx.prepare("SELECT remote_id, feed_id FROM sync_feeds")?;
            stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .filter(|(remote, _)| !map.contains_key(remote))
                .collect()
        };
        for (remote, feed) in gone {
            tx.execute("DELETE FROM sync_feeds WHERE remote_id = ?1", [remote])?;
            tx.execute("UPDATE feeds SET enabled = 0 WHERE id = ?1", [feed])?;
            tracing::info!(feed, "feed left the server: disabled, items kept");
        }
        tx.commit()?;
        Ok(map)
    }

    /// Stores pulled entries with the server's read/starred state, and the state
    /// values (the cursor) in the same transaction. An entry already held is not
    /// stored again; one whose feed is unknown is skipped. Returns how many items
    /// are new.
    pub fn sync_write_entries(
        &mut self,
        feeds: &HashMap<i64, FeedId>,
        entries: &[SyncedEntry],
        state: &[(&str, String)],
        now: i64,
    ) -> Result<u64, StoreError> {
        self.check_file()?;
        let tx = self.begin_write()?;
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS sync_pulled ( \
                 remote_id INTEGER PRIMARY KEY, feed_id INTEGER NOT NULL, \
                 identity TEXT NOT NULL, read INTEGER NOT NULL, starred INTEGER NOT NULL); \
             DELETE FROM temp.sync_pulled;",
        )?;
        let mut by_feed: HashMap<FeedId, Vec<&SyncedEntry>> = HashMap::new();
        {
            // The entries already held, in one range query (a page's ids are
            // close together) instead of one query each.
            let low = entries
                .iter()
                .map(|entry| entry.remote_id)
                .min()
                .unwrap_or(0);
            let high = entries
                .iter()
                .map(|entry| entry.remote_id)
                .max()
                .unwrap_or(-1);
            let held: std::collections::HashSet<i64> = tx
                .prepare_cached(
                    "SELECT remote_id FROM sync_items WHERE remote_id BETWEEN ?1 AND ?2",
                )?
                .query_map([low, high], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            for entry in entries {
                if held.contains(&entry.remote_id) {
                    continue;
                }
                match feeds.get(&entry.remote_feed) {
                    Some(feed) => by_feed.entry(*feed).or_default().push(entry),
                    None => tracing::warn!(entry = entry.remote_id, "entry of an unknown feed"),
                }
            }
        }
        let mut new_items = 0;
        for (feed, entries) in &mut by_feed {
            // A feed that was fetched directly before it came from the server (the
            // same URL, adopted): an entry with the link of an item already held is
            // that item, not a new one.
            let unmapped = unmapped_links(&tx, *feed)?;
            if !unmapped.is_empty() {
                let mut map = tx.prepare_cached(
                    "INSERT OR REPLACE INTO sync_items (remote_id, item_id, server_read, server_starred) \
                     VALUES (?1, ?2, ?3, ?4)",
                )?;
                let mut adopted = Vec::new();
                entries.retain(|entry| {
                    match entry.item.link.as_ref().and_then(|link| unmapped.get(link)) {
                        Some(id) => {
                            adopted.push((*id, *entry));
                            false
                        }
                        None => true,
                    }
                });
                for (id, entry) in adopted {
                    map.execute(params![entry.remote_id, id, entry.read, entry.starred])?;
                    set_state(&tx, id, entry.read, entry.starred, now)?;
                }
            }
            let update = FeedUpdate {
                feed: ParsedFeed {
                    items: entries.iter().map(|entry| entry.item.clone()).collect(),
                    ..ParsedFeed::default()
                },
                ..FeedUpdate::default()
            };
            new_items += super::update::write_feed(&tx, *feed, &update, now)?.new_items;
            let mut pulled = tx.prepare_cached(
                "INSERT OR REPLACE INTO temp.sync_pulled (remote_id, feed_id, identity, read, starred) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for entry in entries.iter() {
                pulled.execute(params![
                    entry.remote_id,
                    feed,
                    entry.item.identity,
                    entry.read,
                    entry.starred
                ])?;
            }
        }
        // Link the page's entries to their items and give them the server's state
        // in a few statements for the whole page, not four per entry. An entry
        // whose item is missing was removed by the local cleanup earlier: it is
        // not brought back.
        tx.execute_batch(
            "INSERT OR REPLACE INTO sync_items (remote_id, item_id, server_read, server_starred) \
             SELECT remote_id, item_id, read, starred FROM ( \
                 SELECT p.remote_id, p.read, p.starred, \
                        (SELECT i.id FROM items i \
                          WHERE i.feed_id = p.feed_id AND i.identity = p.identity) AS item_id \
                 FROM temp.sync_pulled p) \
             WHERE item_id IS NOT NULL;",
        )?;
        for flag in ["read", "starred"] {
            tx.execute(
                &format!(
                    "UPDATE item_state SET {flag} = 1 - {flag}, {flag}_at = ?1 \
                     WHERE item_id IN (SELECT s.item_id FROM temp.sync_pulled p \
                                       JOIN sync_items s ON s.remote_id = p.remote_id \
                                       JOIN item_state st ON st.item_id = s.item_id \
                                       WHERE st.{flag} <> p.{flag})"
                ),
                [now],
            )?;
        }
        tx.execute("DELETE FROM temp.sync_pulled", [])?;
        for (key, value) in state {
            tx.execute(
                "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?1, ?2)",
                params![key, value],
            )?;
        }
        tx.commit()?;
        Ok(new_items)
    }

    /// Connection settings for a sync: a 16 MiB page cache (the default 2 MiB
    /// made a first sync of 100,000 entries re-read index pages from the OS
    /// cache: a tenth of its CPU went to copying them in), checkpoints every
    /// 5,000 pages of WAL, temporary tables in memory. Performance only: foreign
    /// keys stay on and every transaction still commits.
    pub fn tune_for_sync(&self) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "cache_size", -16_384i64)?;
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 5_000i64)?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        Ok(())
    }
}

/// Links of a feed's items not yet mapped to server entries → their ids.
fn unmapped_links(
    tx: &rusqlite::Connection,
    feed: FeedId,
) -> rusqlite::Result<HashMap<String, ItemId>> {
    let mut stmt = tx.prepare_cached(
        "SELECT i.link, i.id FROM items i WHERE i.feed_id = ?1 AND i.link IS NOT NULL \
           AND NOT EXISTS (SELECT 1 FROM sync_items s WHERE s.item_id = i.id)",
    )?;
    stmt.query_map([feed], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect()
}

/// Sets an item's read and starred state (the server's).
fn set_state(
    tx: &rusqlite::Connection,
    id: ItemId,
    read: bool,
    starred: bool,
    now: i64,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE item_state SET read = ?2, read_at = ?3 WHERE item_id = ?1 AND read <> ?2",
    )?
    .execute(params![id, read, now])?;
    tx.prepare_cached(
        "UPDATE item_state SET starred = ?2, starred_at = ?3 WHERE item_id = ?1 AND starred <> ?2",
    )?
    .execute(params![id, starred, now])?;
    Ok(())
}

/// Writes values of the account's state inside the caller's transaction.
pub(super) fn put_sync_values(
    conn: &rusqlite::Connection,
    values: &[(&str, String)],
) -> rusqlite::Result<()> {
    let mut put =
        conn.prepare_cached("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?1, ?2)")?;
    for (key, value) in values {
        put.execute(params![key, value])?;
    }
    Ok(())
}
