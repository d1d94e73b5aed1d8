//! A bound on the items one feed keeps (issue 8): a feed that floods in new
//! identities on every fetch would otherwise grow the database without end.
//! Over the bound, its oldest unstarred items go, read ones first; like the
//! cleanup, their identities are remembered so they do not come back.

use rusqlite::{OptionalExtension, params};

use super::{FeedId, Store, StoreError};

/// Items one feed keeps at most; starred items are never removed for it.
pub const MAX_ITEMS_PER_FEED: u64 = 50_000;

impl Store {
    /// Trims each of `feeds` that holds more than `cap` items down to `cap`, in one
    /// transaction. Returns how many items were removed. Reads one counter per
    /// feed when nothing is over the bound.
    pub fn trim_feeds_over(
        &mut self,
        feeds: &[FeedId],
        cap: u64,
        now: i64,
    ) -> Result<u64, StoreError> {
        let mut over = Vec::new();
        {
            let mut total = self
                .conn
                .prepare_cached("SELECT total_count FROM feeds WHERE id = ?1")?;
            for &feed in feeds {
                let count: Option<i64> = total.query_row([feed], |row| row.get(0)).optional()?;
                let count = u64::try_from(count.unwrap_or(0)).unwrap_or(0);
                if count > cap {
                    over.push((feed, count - cap));
                }
            }
        }
        if over.is_empty() {
            return Ok(0);
        }
        let tx = self.begin_write()?;
        let mut removed = 0;
        for (feed, excess) in over {
            tx.execute(
                "CREATE TEMP TABLE IF NOT EXISTS trim_batch (id INTEGER PRIMARY KEY)",
                [],
            )?;
            tx.execute("DELETE FROM temp.trim_batch", [])?;
            let batch = tx.execute(
                // The feed's items through their index, not a scan of every state.
                "INSERT INTO temp.trim_batch (id) SELECT i.id \
                 FROM items i CROSS JOIN item_state st ON st.item_id = i.id \
                 WHERE i.feed_id = ?1 AND st.starred = 0 \
                 ORDER BY st.read DESC, i.sort_time, i.id LIMIT ?2",
                params![feed, i64::try_from(excess).unwrap_or(i64::MAX)],
            )?;
            tx.execute(
                "INSERT OR REPLACE INTO removed_items (feed_id, identity, removed_at) \
                 SELECT feed_id, identity, ?1 FROM items \
                 WHERE id IN (SELECT id FROM temp.trim_batch)",
                [now],
            )?;
            tx.execute(
                "DELETE FROM items WHERE id IN (SELECT id FROM temp.trim_batch)",
                [],
            )?;
            // The remembered identities are bounded too: the newest `2 * cap` stay.
            tx.execute(
                "DELETE FROM removed_items WHERE feed_id = ?1 AND identity NOT IN \
                 (SELECT identity FROM removed_items WHERE feed_id = ?1 \
                  ORDER BY removed_at DESC LIMIT ?2)",
                params![
                    feed,
                    i64::try_from(cap.saturating_mul(2)).unwrap_or(i64::MAX)
                ],
            )?;
            tracing::warn!(
                feed,
                removed = batch,
                "feed over its item bound: oldest items removed"
            );
            removed += batch as u64;
        }
        tx.commit()?;
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::{ParsedFeed, ParsedItem};
    use crate::store::{FeedSpec, FeedUpdate};

    fn items(from: usize, count: usize) -> Vec<ParsedItem> {
        (from..from + count)
            .map(|n| ParsedItem {
                identity: format!("flood-{n}"),
                title: format!("Item {n}"),
                published: Some(1_700_000_000 + n as i64),
                content_hash: format!("{n}"),
                ..ParsedItem::default()
            })
            .collect()
    }

    #[test]
    fn a_feed_flooding_new_identities_stays_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db")).unwrap();
        let feed = store
            .add_feed(&FeedSpec {
                url: "https://flood.example/".into(),
                enabled: true,
                ..FeedSpec::default()
            })
            .unwrap();
        let cap = 100;
        for fetch in 0..5 {
            let update = FeedUpdate {
                feed: ParsedFeed {
                    items: items(fetch * 60, 60),
                    ..ParsedFeed::default()
                },
                ..FeedUpdate::default()
            };
            store.apply_update(feed, &update, 1_800_000_000).unwrap();
            store.trim_feeds_over(&[feed], cap, 1_800_000_000).unwrap();
            let total: i64 = store
                .conn
                .query_row(
                    "SELECT COUNT(*) FROM items WHERE feed_id = ?1",
                    [feed],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(total as u64 <= cap, "fetch {fetch}: {total} items");
        }
        // The newest stay; the oldest went and do not come back.
        let oldest: i64 = store
            .conn
            .query_row("SELECT MIN(published) FROM items", [], |r| r.get(0))
            .unwrap();
        assert_eq!(oldest, 1_700_000_000 + 200);
        let update = FeedUpdate {
            feed: ParsedFeed {
                items: items(0, 10),
                ..ParsedFeed::default()
            },
            ..FeedUpdate::default()
        };
        let stats = store.apply_update(feed, &update, 1_800_000_000).unwrap();
        assert_eq!(stats.new_items, 0);
    }
}
