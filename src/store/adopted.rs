//! The user's side of a feed the config file owns: what the user had of it (or
//! asked for it) before the config adopted it, kept aside in `adopted_feeds` while
//! the config's title, tags and `enabled` apply, and given back when the config
//! stops listing the feed. `feeds.rs` decides when (its module doc has the
//! whole ownership rule); this file only keeps the rows.
//!
//! A row exists for a config feed that was the user's when the config first
//! listed it ([`put_aside`]), or that the user added or imported while the
//! config listed it ([`claim`]). No row means the feed was only ever the config's.
//! The row holds the user's `enabled`, title (`None`: the feed's own), tags,
//! direction and `fulltext` (these two `None` when not known: the feed then
//! keeps what the config set);
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
    /// As stored in `feeds.direction`; `None`: not known, keep the feed's.
    pub direction: Option<String>,
    /// `None`: not known, keep the feed's.
    pub fulltext: Option<bool>,
}

/// The config is about to take over feed `id`, which is the user's now: keeps
/// its `enabled`, title, tags, direction and `fulltext` as they are, before
/// the config's replace them.
pub(super) fn put_aside(tx: &Transaction<'_>, id: FeedId) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO adopted_feeds \
             (feed_id, enabled, title, tags, direction, fulltext) \
         SELECT id, enabled, user_title, \
                (SELECT json_group_array(tag) FROM \
                     (SELECT tag FROM feed_tags WHERE feed_id = ?1 ORDER BY tag)), \
                direction, fulltext \
           FROM feeds WHERE id = ?1",
    )?
    .execute([id])?;
    Ok(())
}

/// The user adds or imports feed `id`, which the config owns: the user wants it
/// too. Recorded aside, the way `khabar add` changes a feed of the user's own:
/// enabled as `spec` says, its title and tags only when `spec` gives them (else
/// what the user gave before, or nothing), its direction when not `auto` and
/// `fulltext` only switched on (as `khabar add` does to a feed of the user's).
pub(super) fn claim(tx: &Transaction<'_>, id: FeedId, spec: &FeedSpec) -> Result<(), StoreError> {
    let tags = match spec.tags.is_empty() {
        true => None,
        false => Some(tags_to_sql(&spec.tags)?),
    };
    let direction = match spec.direction {
        crate::text::Direction::Auto => None,
        other => Some(super::direction_to_sql(other)),
    };
    let fulltext = spec.fulltext.then_some(true);
    tx.prepare_cached(
        "INSERT INTO adopted_feeds (feed_id, enabled, title, tags, direction, fulltext) \
         VALUES (?1, ?2, ?3, COALESCE(?4, '[]'), ?5, ?6) \
         ON CONFLICT (feed_id) DO UPDATE SET enabled = excluded.enabled, \
             title = COALESCE(?3, title), tags = COALESCE(?4, tags), \
             direction = COALESCE(?5, direction), fulltext = COALESCE(?6, fulltext)",
    )?
    .execute(params![
        id,
        spec.enabled,
        spec.title,
        tags,
        direction,
        fulltext
    ])?;
    Ok(())
}

/// Removes and returns the user's side of feed `id`; `None` when the feed was
/// only ever the config's.
pub(super) fn take_back(tx: &Transaction<'_>, id: FeedId) -> Result<Option<UserSide>, StoreError> {
    type Row = (bool, Option<String>, String, Option<String>, Option<bool>);
    let row: Option<Row> = tx
        .prepare_cached(
            "SELECT enabled, title, tags, direction, fulltext FROM adopted_feeds \
             WHERE feed_id = ?1",
        )?
        .query_row([id], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })
        .optional()?;
    let Some((enabled, title, tags, direction, fulltext)) = row else {
        return Ok(None);
    };
    tx.prepare_cached("DELETE FROM adopted_feeds WHERE feed_id = ?1")?
        .execute([id])?;
    Ok(Some(UserSide {
        enabled,
        title,
        tags: tags_from_sql(id, &tags),
        direction,
        fulltext,
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
