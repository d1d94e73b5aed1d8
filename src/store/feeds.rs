//! Subscriptions: adding, removing and listing feeds, their tags, and keeping the
//! config file's `[[feed]]` list and the database in step.
//!
//! Ownership rule for [`Store::sync_config_feeds`]: a feed is either the config's
//! (`source = 'config'`; the config file's list, or the built-in one when the
//! file has none) or the user's (`khabar add`, import). Sync adds and updates
//! config feeds and never touches user feeds the config does not list.
//!
//! - **The config lists a user's feed**: it adopts it. The user's `enabled`,
//!   title, tags, direction and `fulltext` are put aside first (`adopted.rs`);
//!   then what the config says applies, and what it leaves unsaid (a title,
//!   tags) stays as the user set it.
//! - **The user adds or imports a config feed**: the user wants it too. Nothing
//!   the config set changes (the next sync would undo it); the user's title,
//!   tags, direction (not `auto`) and `fulltext` (on), when given, are put aside
//!   with the feed enabled.
//! - **A config feed leaves the config**: when something was put aside, the feed
//!   is the user's again as the user had it: enabled or not, with the user's
//!   title (none: the feed's own), tags, direction and `fulltext` (where one of
//!   these two is not known, as the config last set it). Otherwise it was only
//!   ever the config's: it is *disabled* and handed to the user, with the
//!   direction and `fulltext` the config last set. Either way its items,
//!   read/starred state and full text stay. A disabled feed comes back with the
//!   config or `khabar add URL`; `khabar remove URL` deletes it.
//!
//! A feed handed over disabled is the user's: listed and dropped again, it is
//! disabled again, with the title and tags it had before it was listed.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::adopted;
use super::{
    FeedId, FeedRow, FeedSpec, FetchState, Store, StoreError, direction_from_sql, direction_to_sql,
};

/// Who owns a feed row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Config,
    User,
}

impl Source {
    fn as_sql(self) -> &'static str {
        match self {
            Source::Config => "config",
            Source::User => "user",
        }
    }
}

const FEED_COLUMNS: &str = "id, url, COALESCE(user_title, feed_title, url), site_link, language, \
     direction, enabled, unread_count, total_count, last_error, last_error_at, last_success_at";

impl Store {
    /// Makes the database's subscriptions match the config's `[[feed]]` list
    /// (adds new ones, updates titles/tags/direction); feeds added with
    /// `khabar add` or import are left alone unless the config lists them. See
    /// the module doc for feeds the config adopts from the user and removed feeds.
    pub fn sync_config_feeds(&mut self, specs: &[FeedSpec]) -> Result<(), StoreError> {
        let now = chrono::Utc::now().timestamp();
        let tx = self.begin_write()?;
        let mut configured = BTreeSet::new();
        for spec in specs {
            let id = upsert_feed(&tx, spec, Source::Config, now)?;
            configured.insert(id);
        }
        let config_feeds: Vec<FeedId> = {
            let mut stmt = tx.prepare("SELECT id FROM feeds WHERE source = 'config'")?;
            stmt.query_map([], |row| row.get(0))?
                .collect::<Result<_, _>>()?
        };
        for id in config_feeds
            .into_iter()
            .filter(|id| !configured.contains(id))
        {
            give_to_user(&tx, id)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Whether the user has an enabled feed of their own (`khabar add`, import;
    /// also one the config has adopted, kept aside for the user as enabled): the
    /// built-in feed list stands in only while they have none.
    pub fn has_own_enabled_feed(&self) -> Result<bool, StoreError> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM feeds WHERE source = 'user' AND enabled = 1) \
                 OR EXISTS (SELECT 1 FROM adopted_feeds WHERE enabled = 1)",
            [],
            |row| row.get(0),
        )?)
    }

    /// Adds a feed (or updates its title/tags when it exists). Returns its id.
    /// An existing feed keeps its tags when `spec.tags` is empty, its title when
    /// `spec.title` is `None` and its direction when `spec.direction` is `Auto`;
    /// `fulltext` is only ever switched on here; it is enabled as `spec.enabled` says.
    /// A feed the config owns is not changed: `spec` is put aside for when the
    /// config drops the feed (see the module doc).
    pub fn add_feed(&mut self, spec: &FeedSpec) -> Result<FeedId, StoreError> {
        let now = chrono::Utc::now().timestamp();
        let tx = self.begin_write()?;
        let id = upsert_feed(&tx, spec, Source::User, now)?;
        tx.commit()?;
        Ok(id)
    }

    /// Adds (or updates, as [`Store::add_feed`] does) many feeds in one
    /// transaction: an import of 95,000 outlines is all or nothing, and linear
    /// (issue 8, defect 7). Returns how many were new.
    pub fn add_feeds(&mut self, specs: &[FeedSpec]) -> Result<usize, StoreError> {
        let now = chrono::Utc::now().timestamp();
        let tx = self.begin_write()?;
        let new = add_feeds_in(&tx, specs, now)?;
        tx.commit()?;
        Ok(new)
    }

    /// The subscribed feed that `url` names, compared normalised (see
    /// [`crate::feed::url_key`]): `HTTP://h/x#top` finds `http://h/x`.
    pub fn feed_by_url_key(&self, url: &str) -> Result<Option<FeedRow>, StoreError> {
        if let Some(feed) = self.feed_by_url(url)? {
            return Ok(Some(feed));
        }
        let key = crate::feed::url_key::feed_url_key(url);
        let urls: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT url FROM feeds UNION SELECT config_url FROM feeds WHERE config_url IS NOT NULL")?;
            stmt.query_map([], |row| row.get(0))?
                .collect::<Result<_, _>>()?
        };
        match urls
            .iter()
            .find(|stored| crate::feed::url_key::feed_url_key(stored) == key)
        {
            Some(stored) => self.feed_by_url(stored),
            None => Ok(None),
        }
    }

    /// Removes a feed and its items.
    pub fn remove_feed(&mut self, url: &str) -> Result<(), StoreError> {
        let tx = self.begin_write()?;
        let id: Option<FeedId> = tx
            .query_row("SELECT id FROM feeds WHERE url = ?1", [url], |row| {
                row.get(0)
            })
            .optional()?;
        let Some(id) = id else {
            return Err(StoreError::NoSuchFeed(url.to_string()));
        };
        // Tags first, so the tag index is emptied per tag rather than per item.
        tx.execute("DELETE FROM feed_tags WHERE feed_id = ?1", [id])?;
        tx.execute("DELETE FROM items WHERE feed_id = ?1", [id])?;
        tx.execute("DELETE FROM feeds WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(())
    }

    /// Every feed with its counts, ordered by title. Cheap: counts are kept up to date
    /// on write, not computed by scanning items.
    pub fn feeds(&self) -> Result<Vec<FeedRow>, StoreError> {
        let mut tags = self.all_feed_tags()?;
        let sql = format!(
            "SELECT {FEED_COLUMNS} FROM feeds \
             ORDER BY COALESCE(user_title, feed_title, url) COLLATE NOCASE, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt
            .query_map([], feed_row)?
            .collect::<Result<Vec<_>, _>>()?;
        for row in &mut rows {
            row.tags = tags.remove(&row.id).unwrap_or_default();
        }
        Ok(rows)
    }

    /// The feed with this URL (as stored now, after any permanent redirect).
    pub fn feed_by_url(&self, url: &str) -> Result<Option<FeedRow>, StoreError> {
        // A config feed that moved (301/308) is still found by the URL its config
        // entry gives: that is the one the user knows and types.
        let sql = format!(
            "SELECT {FEED_COLUMNS} FROM feeds WHERE url = ?1 \
             UNION ALL SELECT {FEED_COLUMNS} FROM feeds WHERE config_url = ?1 LIMIT 1"
        );
        let row = self.conn.query_row(&sql, [url], feed_row).optional()?;
        let Some(mut row) = row else {
            return Ok(None);
        };
        row.tags = feed_tags(&self.conn, row.id)?;
        Ok(Some(row))
    }

    /// A feed by id, with its tags.
    pub fn feed_by_id(&self, id: FeedId) -> Result<Option<FeedRow>, StoreError> {
        let sql = format!("SELECT {FEED_COLUMNS} FROM feeds WHERE id = ?1");
        let row = self.conn.query_row(&sql, [id], feed_row).optional()?;
        let Some(mut row) = row else {
            return Ok(None);
        };
        row.tags = feed_tags(&self.conn, row.id)?;
        Ok(Some(row))
    }

    /// Whether the feed asks for full-text extraction (`fulltext = true`).
    pub fn feed_fulltext(&self, id: FeedId) -> Result<bool, StoreError> {
        let value: Option<bool> = self
            .conn
            .query_row("SELECT fulltext FROM feeds WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .optional()?;
        Ok(value.unwrap_or(false))
    }

    /// What the feed was last fetched with, for a conditional GET.
    pub fn fetch_state(&self, feed: FeedId) -> Result<FetchState, StoreError> {
        let state = self
            .conn
            .query_row(
                "SELECT etag, last_modified, body_hash FROM feeds WHERE id = ?1",
                [feed],
                |row| {
                    Ok(FetchState {
                        etag: row.get(0)?,
                        last_modified: row.get(1)?,
                        body_hash: row.get(2)?,
                    })
                },
            )
            .optional()?;
        Ok(state.unwrap_or_default())
    }

    fn all_feed_tags(&self) -> Result<HashMap<FeedId, Vec<String>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT feed_id, tag FROM feed_tags ORDER BY feed_id, tag")?;
        let mut map: HashMap<FeedId, Vec<String>> = HashMap::new();
        let rows = stmt.query_map([], |row| Ok((row.get::<_, FeedId>(0)?, row.get(1)?)))?;
        for row in rows {
            let (id, tag) = row?;
            map.entry(id).or_default().push(tag);
        }
        Ok(map)
    }
}

fn feed_row(row: &Row<'_>) -> rusqlite::Result<FeedRow> {
    let direction: String = row.get(5)?;
    Ok(FeedRow {
        id: row.get(0)?,
        url: row.get(1)?,
        title: row.get(2)?,
        site_link: row.get(3)?,
        language: row.get(4)?,
        direction: direction_from_sql(&direction),
        tags: Vec::new(),
        enabled: row.get(6)?,
        unread: row.get::<_, i64>(7)?.max(0) as u64,
        total: row.get::<_, i64>(8)?.max(0) as u64,
        last_error: row.get(9)?,
        last_error_at: row.get(10)?,
        last_success_at: row.get(11)?,
    })
}

pub(super) fn feed_tags(conn: &rusqlite::Connection, id: FeedId) -> rusqlite::Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT tag FROM feed_tags WHERE feed_id = ?1 ORDER BY tag")?;
    stmt.query_map([id], |row| row.get(0))?.collect()
}

/// Inserts or updates one feed. For `Source::Config` the spec is the whole truth
/// (title and tags replaced, even by nothing; a user's feed it adopts is put aside
/// first); for `Source::User` empty fields keep what is stored, and a config
/// feed's row is left as it is, the spec put aside.
fn upsert_feed(
    tx: &Transaction<'_>,
    spec: &FeedSpec,
    source: Source,
    now: i64,
) -> Result<FeedId, StoreError> {
    let existing: Option<(FeedId, String)> = match source {
        Source::Config => tx
            .prepare_cached(
                "SELECT id, source FROM feeds WHERE config_url = ?1 \
                 UNION ALL SELECT id, source FROM feeds WHERE url = ?1 LIMIT 1",
            )?
            .query_row([&spec.url], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?,
        Source::User => tx
            .prepare_cached("SELECT id, source FROM feeds WHERE url = ?1")?
            .query_row([&spec.url], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?,
    };
    let direction = direction_to_sql(spec.direction);
    let id = match (existing, source) {
        (None, _) => {
            let config_url = (source == Source::Config).then_some(spec.url.as_str());
            tx.prepare_cached(
                "INSERT INTO feeds (url, config_url, user_title, direction, fulltext, enabled, \
                                    source, added_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                spec.url,
                config_url,
                spec.title,
                direction,
                spec.fulltext,
                spec.enabled,
                source.as_sql(),
                now
            ])?;
            tx.last_insert_rowid()
        }
        (Some((id, owner)), Source::Config) => {
            // The config takes over a feed the user added (or one that left
            // the config before): what the config says about it applies, and
            // what it leaves unsaid (a title, tags) stays as the user set it.
            let adopted = owner != Source::Config.as_sql();
            if adopted {
                // Before anything is replaced: it is what the user gets back.
                adopted::put_aside(tx, id)?;
            }
            let title = match (&spec.title, adopted) {
                (None, true) => tx
                    .prepare_cached("SELECT user_title FROM feeds WHERE id = ?1")?
                    .query_row([id], |row| row.get::<_, Option<String>>(0))?,
                _ => spec.title.clone(),
            };
            // Only write when something differs, so syncing an unchanged config on
            // every start costs reads only.
            tx.execute(
                "UPDATE feeds SET user_title = ?2, direction = ?3, fulltext = ?4, enabled = ?5, \
                                  source = 'config', config_url = ?6 \
                 WHERE id = ?1 AND (user_title IS NOT ?2 OR direction IS NOT ?3 \
                       OR fulltext IS NOT ?4 OR enabled IS NOT ?5 OR source IS NOT 'config' \
                       OR config_url IS NOT ?6)",
                params![id, title, direction, spec.fulltext, spec.enabled, spec.url],
            )?;
            if adopted && spec.tags.is_empty() {
                return Ok(id);
            }
            id
        }
        (Some((id, owner)), Source::User) if owner == Source::Config.as_sql() => {
            // The config's feed: what it set stays (the next sync would undo a
            // change); what the user asked waits until the config drops the feed.
            adopted::claim(tx, id, spec)?;
            return Ok(id);
        }
        (Some((id, _)), Source::User) => {
            // `khabar add` on a feed of the user's: say only what was asked. No
            // title, no tags or direction `auto` keep what is stored.
            tx.execute(
                "UPDATE feeds SET user_title = COALESCE(?2, user_title), \
                                  direction = CASE WHEN ?3 = 'auto' THEN direction ELSE ?3 END, \
                                  fulltext = fulltext OR ?4, enabled = ?5 WHERE id = ?1",
                params![id, spec.title, direction, spec.fulltext, spec.enabled],
            )?;
            if spec.tags.is_empty() {
                return Ok(id);
            }
            id
        }
    };
    set_feed_tags(tx, id, &spec.tags)?;
    Ok(id)
}

/// Config feed `id` has left the config: the user's again as the user had it
/// when something was put aside for the user, else disabled and handed over.
fn give_to_user(tx: &Transaction<'_>, id: FeedId) -> Result<(), StoreError> {
    let Some(side) = adopted::take_back(tx, id)? else {
        tx.execute(
            "UPDATE feeds SET enabled = 0, source = 'user', config_url = NULL WHERE id = ?1",
            [id],
        )?;
        tracing::info!(feed = id, "feed left the config: disabled, items kept");
        return Ok(());
    };
    tx.execute(
        "UPDATE feeds SET enabled = ?2, user_title = ?3, direction = COALESCE(?4, direction), \
                          fulltext = COALESCE(?5, fulltext), source = 'user', config_url = NULL \
         WHERE id = ?1",
        params![id, side.enabled, side.title, side.direction, side.fulltext],
    )?;
    set_feed_tags(tx, id, &side.tags)?;
    tracing::info!(
        feed = id,
        enabled = side.enabled,
        "feed left the config: the user's again, with the user's title, tags, direction \
         and fulltext"
    );
    Ok(())
}

/// [`Store::add_feeds`] inside the caller's transaction: how many were new.
pub(super) fn add_feeds_in(
    tx: &Transaction<'_>,
    specs: &[FeedSpec],
    now: i64,
) -> Result<usize, StoreError> {
    let mut new = 0;
    for spec in specs {
        let known: Option<i64> = tx
            .prepare_cached("SELECT 1 FROM feeds WHERE url = ?1")?
            .query_row([&spec.url], |row| row.get(0))
            .optional()?;
        new += usize::from(known.is_none());
        upsert_feed(tx, spec, Source::User, now)?;
    }
    Ok(new)
}

/// Replaces a feed's tags, touching only the ones that changed (the triggers then
/// update the tag index for that feed's items).
pub(super) fn set_feed_tags(
    tx: &Transaction<'_>,
    id: FeedId,
    tags: &[String],
) -> rusqlite::Result<()> {
    let wanted: BTreeSet<&str> = tags
        .iter()
        .map(|tag| tag.trim())
        .filter(|tag| !tag.is_empty())
        .collect();
    let current: BTreeSet<String> = feed_tags(tx, id)?.into_iter().collect();
    for tag in current.iter().filter(|tag| !wanted.contains(tag.as_str())) {
        tx.prepare_cached("DELETE FROM feed_tags WHERE feed_id = ?1 AND tag = ?2")?
            .execute(params![id, tag])?;
    }
    for tag in wanted.iter().filter(|tag| !current.contains(**tag)) {
        tx.prepare_cached("INSERT INTO feed_tags (feed_id, tag) VALUES (?1, ?2)")?
            .execute(params![id, tag])?;
    }
    Ok(())
}
