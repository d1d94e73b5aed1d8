//! The indexes a first refresh builds once, after its last batch, instead of
//! row by row.
//!
//! Three indexes order rows by time across every feed: `items_by_time`,
//! `state_unread_by_time` and `tag_items_by_time`. A refresh writes feed after
//! feed, so each batch adds rows all over them: every batch dirtied nearly every
//! page of each (16 KiB pages), and the WAL took those pages again. On the first
//! refresh of genfeeds 100k that was 0.6 s of 4.5 s of CPU. Creating them after
//! the last batch sorts each once, in about 0.2 s (BENCHMARKS.md, "The
//! thirtieth pass").
//!
//! So a refresh into a database with no items drops them
//! ([`Store::defer_time_indexes`]) and creates them when its writes are done
//! ([`Store::restore_time_indexes`]). Other indexes stay: a feed's rows are
//! written together, so those ordered by feed or by item id take them in
//! place.
//!
//! Every query is still right without these indexes, only slower: the reader
//! listing during that first refresh scans instead. A refresh that dies in
//! between leaves them missing; opening the database for the reader or a
//! command (`refresh::open_store`) creates them again. A migration that
//! touches one must say `IF EXISTS`.

use rusqlite::TransactionBehavior;

use super::{Store, StoreError};

/// Each deferred index and the statement that creates it, as in the schema
/// (a test compares them with a new database's).
const TIME_INDEXES: [(&str, &str); 3] = [
    (
        "items_by_time",
        "CREATE INDEX items_by_time ON items (sort_time, id)",
    ),
    (
        "state_unread_by_time",
        "CREATE INDEX state_unread_by_time ON item_state (sort_time, item_id) WHERE read = 0",
    ),
    (
        "tag_items_by_time",
        "CREATE INDEX tag_items_by_time ON tag_items (tag, sort_time, item_id)",
    ),
];

impl Store {
    /// Drops the time-ordered indexes when the database holds no item yet, in
    /// one transaction; returns whether it did. Any other refresh pays one
    /// lookup, without taking the write lock.
    pub fn defer_time_indexes(&mut self) -> Result<bool, StoreError> {
        const EMPTY: &str = "SELECT NOT EXISTS (SELECT 1 FROM items)";
        if !self
            .conn
            .query_row(EMPTY, [], |row| row.get::<_, bool>(0))?
        {
            return Ok(false);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another connection may have written items since the lookup.
        if !tx.query_row(EMPTY, [], |row| row.get::<_, bool>(0))? {
            return Ok(false);
        }
        for (name, _) in TIME_INDEXES {
            tx.execute(&format!("DROP INDEX IF EXISTS {name}"), [])?;
        }
        tx.commit()?;
        Ok(true)
    }

    /// Creates whichever time-ordered index is missing, in one transaction;
    /// returns how many it created (none: one lookup, no write).
    pub fn restore_time_indexes(&mut self) -> Result<usize, StoreError> {
        let missing = self.missing_time_indexes()?;
        if missing.is_empty() {
            return Ok(0);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (name, create) in TIME_INDEXES {
            if missing.contains(&name) {
                // Another connection may have made it since the lookup.
                let create = create.replacen("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1);
                tx.execute(&create, [])?;
            }
        }
        tx.commit()?;
        Ok(missing.len())
    }

    /// The time-ordered indexes the schema lacks now.
    fn missing_time_indexes(&self) -> Result<Vec<&'static str>, StoreError> {
        let mut present = self.conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1)",
        )?;
        let mut missing = Vec::new();
        for (name, _) in TIME_INDEXES {
            if !present.query_row([name], |row| row.get::<_, bool>(0))? {
                missing.push(name);
            }
        }
        Ok(missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SQL of each index as a new database has it.
    fn schema_sql(store: &Store, name: &str) -> Option<String> {
        store
            .conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1",
                [name],
                |row| row.get(0),
            )
            .ok()
    }

    #[test]
    fn the_statements_are_the_schemas() {
        let store = Store::open(std::path::Path::new(":memory:")).expect("open");
        for (name, create) in TIME_INDEXES {
            assert_eq!(schema_sql(&store, name).as_deref(), Some(create), "{name}");
        }
    }

    #[test]
    fn dropped_only_while_no_item_is_stored_and_restored_as_they_were() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(&dir.path().join("k.db")).expect("open");
        assert_eq!(store.restore_time_indexes().expect("restore"), 0);
        assert!(store.defer_time_indexes().expect("defer"));
        for (name, _) in TIME_INDEXES {
            assert_eq!(schema_sql(&store, name), None, "{name} kept");
        }
        assert_eq!(store.restore_time_indexes().expect("restore"), 3);
        for (name, create) in TIME_INDEXES {
            assert_eq!(schema_sql(&store, name).as_deref(), Some(create), "{name}");
        }

        let feed = store
            .add_feed(&crate::core::FeedSpec {
                url: "https://example.org/feed".into(),
                ..crate::core::FeedSpec::default()
            })
            .expect("feed");
        let update = super::super::FeedUpdate {
            feed: crate::feed::ParsedFeed {
                items: vec![crate::feed::ParsedItem {
                    identity: "a".into(),
                    title: "A".into(),
                    content_hash: "a".into(),
                    ..crate::feed::ParsedItem::default()
                }],
                ..crate::feed::ParsedFeed::default()
            },
            ..super::super::FeedUpdate::default()
        };
        store.apply_update(feed, &update, 0).expect("item");
        assert!(!store.defer_time_indexes().expect("defer"));
        assert!(schema_sql(&store, "items_by_time").is_some());
    }
}
