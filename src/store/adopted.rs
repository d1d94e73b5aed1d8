//! The user's side of a feed the config file owns: what the user had of it (or
//! asked for it) before the config adopted it, kept aside in `adopted_feeds` while
//! the config's title, tags and `enabled` apply, and given back when the config
//! stops listing the feed. `feeds.rs` decides when (its module doc has the
//! whole ownership rule); this file only keeps the rows.
//!
//! A row exists for a config feed that was the user's when the config first
//! listed it ([`put_aside`]), or that the user added or imported while the
//! config listed it ([`claim`]). No row means the feed was only ever the config's.
//! The row holds the user's `enabled`, title (`None`: the feed's own) and tags;
//! items, read and starred marks and full text are not the user's *settings* and
//! never pass through here.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{FeedId, FeedSpec, StoreError};

/// What the user had of a feed: given back by [`take_back`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct UserSide {
    pub enabled: bool,
    pub title: Option<String>,
    pub tags: Vec<String>,
}

/// The config is about to take over feed `id`, which is the user's now: keeps
/// its `enabled`, title and tags as they are, before the config's replace them.
pub(super) fn put_aside(tx: &Transaction<'_>, id: FeedId) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO adopted_feeds (feed_id, enabled, title, tags) \
         SELECT id, enabled, user_title, \
                (SELECT json_group_array(tag) FROM \
                     (SELECT tag FROM feed_tags WHERE feed_id = ?1 ORDER BY tag)) \
           FROM feeds WHERE id = ?1",
    )?
    .execute([id])?;
    Ok(())
}

/// The user adds or imports feed `id`, which the config owns: the user wants it
/// too. Recorded aside, the way `khabar add` changes a feed of the user's own:
/// enabled as `spec` says, its title and tags only when `spec` gives them (else
/// what the user gave before, or nothing).
pub(super) fn claim(tx: &Transaction<'_>, id: FeedId, spec: &FeedSpec) -> Result<(), StoreError> {
    let tags = match spec.tags.is_empty() {
        true => None,
        false => Some(tags_to_sql(&spec.tags)?),
    };
    tx.prepare_cached(
        "INSERT INTO adopted_feeds (feed_id, enabled, title, tags) \
         VALUES (?1, ?2, ?3, COALESCE(?4, '[]')) \
         ON CONFLICT (feed_id) DO UPDATE SET enabled = excluded.enabled, \
             title = COALESCE(?3, title), tags = COALESCE(?4, tags)",
    )?
    .execute(params![id, spec.enabled, spec.title, tags])?;
    Ok(())
}

/// Removes and returns the user's side of feed `id`; `None` when the feed was
/// only ever the config's.
pub(super) fn take_back(tx: &Transaction<'_>, id: FeedId) -> Result<Option<UserSide>, StoreError> {
    let row: Option<(bool, Option<String>, String)> = tx
        .prepare_cached("SELECT enabled, title, tags FROM adopted_feeds WHERE feed_id = ?1")?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?;
    let Some((enabled, title, tags)) = row else {
        return Ok(None);
    };
    tx.prepare_cached("DELETE FROM adopted_feeds WHERE feed_id = ?1")?
        .execute([id])?;
    Ok(Some(UserSide {
        enabled,
        title,
        tags: tags_from_sql(id, &tags),
    }))
}

/// Tags as a JSON array of strings: read and written whole, never searched, so
/// one column (see the migration's note).
fn tags_to_sql(tags: &[String]) -> Result<String, StoreError> {
    serde_json::to_string(tags)
        .map_err(|err| rusqlite::Error::ToSqlConversionFailure(Box::new(err)).into())
}

/// Stored tags that do not read as a JSON list (the file edited by hand) are
/// given back as none, logged: one feed's tags are not worth a sync that fails,
/// which would stop every command from starting.
fn tags_from_sql(id: FeedId, text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_else(|err| {
        tracing::warn!(feed = id, %err, "the user's saved tags are unreadable: none given back");
        Vec::new()
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn tags_round_trip_any_text_and_bad_json_reads_as_none() {
        let tags = vec![
            "a, b".to_string(),
            "\"quoted\"\n".to_string(),
            "اقتصاد".to_string(),
        ];
        assert_eq!(tags_from_sql(1, &tags_to_sql(&tags).unwrap()), tags);
        assert!(tags_from_sql(1, "not json").is_empty());
        assert!(tags_from_sql(1, "[1, 2]").is_empty());
    }
}
