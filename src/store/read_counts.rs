//! A set-wide read flip: many items' read state written by a few statements
//! (reconciliation's write, mark all read), with the per-row count triggers
//! and, for most of the table, the unread indexes set aside (`set_aside.rs`),
//! and the unread counts those triggers keep moved once per feed and tag
//! instead of once per item.

use std::collections::HashMap;
use std::rc::Rc;

use rusqlite::types::Value;
use rusqlite::{Transaction, params};

use super::set_aside::{
    Kind, READ_COUNT_TRIGGERS, SetAside, UNREAD_INDEXES, rebuild_unread_indexes,
};
use super::{FeedId, ItemId};

/// From how many read flips the count triggers are set aside for one set-wide
/// write. Below it the triggers run per row: cheap, and no schema change (which
/// makes every other connection prepare its statements again).
pub(super) const SET_WIDE_FROM: usize = 2_000;

/// A read flip in progress: what was set aside and the counts to move. The
/// default sets nothing aside (the triggers keep the counts row by row).
#[derive(Default)]
pub(super) struct SetWideFlip {
    aside: SetAside,
    counts: ReadCounts,
}

impl SetWideFlip {
    /// Sets the count triggers aside for about `flips` read flips, `to_unread`
    /// of them to unread, and the unread indexes too when building them anew
    /// is the cheaper way.
    pub(super) fn start(
        tx: &Transaction<'_>,
        flips: usize,
        to_unread: usize,
    ) -> rusqlite::Result<SetWideFlip> {
        let mut flip = SetWideFlip::default();
        flip.aside.drop(tx, Kind::Trigger, &READ_COUNT_TRIGGERS)?;
        if rebuild_indexes(tx, flips, to_unread)? {
            flip.aside.drop(tx, Kind::Index, &UNREAD_INDEXES)?;
        }
        Ok(flip)
    }

    /// Whether the counts are this flip's to move ([`SetWideFlip::flipped`]).
    pub(super) fn is_set_wide(&self) -> bool {
        !self.aside.is_empty()
    }

    /// One item of `feed` flipped: `delta` is +1 when it became unread.
    pub(super) fn flipped(&mut self, item: ItemId, feed: FeedId, delta: i64) {
        self.counts.add(item, feed, delta);
    }

    /// Moves the counts of each trigger set aside and creates everything again.
    pub(super) fn finish(mut self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        for name in self.aside.names() {
            self.counts.write(tx, name)?;
        }
        self.aside.restore(tx)
    }
}

/// Whether a set-wide write of `flips` read flips, `to_unread` of them to
/// unread, builds the unread indexes anew rather than moving each row. The
/// rows are bounded by the largest item id and the unread items are the
/// feeds' counts: two lookups, where counting either would read an index
/// (tens of milliseconds at a million items).
fn rebuild_indexes(tx: &Transaction<'_>, flips: usize, to_unread: usize) -> rusqlite::Result<bool> {
    let (rows, unread): (i64, i64) = tx.query_row(
        "SELECT COALESCE((SELECT MAX(item_id) FROM item_state), 0), \
                COALESCE((SELECT SUM(unread_count) FROM feeds), 0)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    let wide = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    Ok(rebuild_unread_indexes(
        wide(flips),
        count(rows),
        count(unread).saturating_add(wide(to_unread)),
    ))
}

/// How many category rows walking them all costs as much as looking up one
/// flipped item's. Looking up an item's tag rows reads its `tag_items_by_item`
/// entries, then each row in the table by its (tag, item) key, comparing tag
/// strings at every level for `via_feed`: ~20,400 instructions per item at
/// 100,000 items, against ~1,400 per category row walked (callgrind,
/// BENCHMARKS.md "Mark a search read"). 12 is a little under that 14.5, which
/// only grows with the table's depth.
const CATEGORY_ROWS_PER_FLIPPED_ITEM: usize = 12;

/// The unread counts that the read flips of a set-wide write move: what the
/// count triggers would have added, row by row.
#[derive(Default)]
pub(super) struct ReadCounts {
    /// Feed → the change of its unread count.
    feeds: HashMap<FeedId, i64>,
    /// (feed, +1 or -1) → the items flipped that way, for their tags' counts.
    items: HashMap<(FeedId, i64), Vec<Value>>,
}

impl ReadCounts {
    /// One item of `feed` flipped: `delta` is +1 when it became unread.
    fn add(&mut self, item: ItemId, feed: FeedId, delta: i64) {
        *self.feeds.entry(feed).or_default() += delta;
        self.items
            .entry((feed, delta))
            .or_default()
            .push(Value::Integer(item));
    }

    /// Moves the counts that the trigger `name` keeps.
    fn write(&mut self, tx: &Transaction<'_>, name: &str) -> rusqlite::Result<()> {
        match name {
            "item_state_count_read" => {
                let mut update = tx.prepare_cached(
                    "UPDATE feeds SET unread_count = unread_count + ?2 WHERE id = ?1",
                )?;
                for (feed, delta) in &self.feeds {
                    update.execute([feed, delta])?;
                }
            }
            "item_state_tag_counts_read" => {
                // A feed's own tags are on every one of its items (the schema
                // rests on it too: `feed_tags_tag_counts_insert` gives a new
                // feed tag the feed's counts), so they move with the feed.
                let mut by_feed = tx.prepare_cached(
                    "UPDATE feed_tag_counts SET unread = unread + ?2 \
                     WHERE feed_id = ?1 AND tag IN (SELECT tag FROM feed_tags WHERE feed_id = ?1)",
                )?;
                for (feed, delta) in &self.feeds {
                    if *delta != 0 {
                        by_feed.execute([feed, delta])?;
                    }
                }
                self.write_category_counts(tx)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Moves the counts of the tags that flipped items have through their own
    /// categories only (`tag_items.via_feed = 0`; a tag their feed also has
    /// moved with the feed). Whichever is cheaper is walked: those tag rows
    /// (their partial index), looking each item up among the flipped ones, or
    /// the flipped items, looking up each one's tag rows (see
    /// [`CATEGORY_ROWS_PER_FLIPPED_ITEM`]).
    fn write_category_counts(&mut self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        let flipped: usize = self.items.values().map(Vec::len).sum();
        let categories: i64 = tx
            .prepare_cached("SELECT COUNT(*) FROM tag_items WHERE via_feed = 0")?
            .query_row([], |row| row.get(0))?;
        let mut deltas: HashMap<(FeedId, String), i64> = HashMap::new();
        if usize::try_from(categories).unwrap_or(usize::MAX)
            <= flipped.saturating_mul(CATEGORY_ROWS_PER_FLIPPED_ITEM)
        {
            let mut flips: HashMap<ItemId, (FeedId, i64)> = HashMap::with_capacity(flipped);
            for ((feed, delta), items) in &self.items {
                for item in items {
                    if let Value::Integer(item) = item {
                        flips.insert(*item, (*feed, *delta));
                    }
                }
            }
            let mut rows =
                tx.prepare_cached("SELECT item_id, tag FROM tag_items WHERE via_feed = 0")?;
            let mut rows = rows.query([])?;
            while let Some(row) = rows.next()? {
                if let Some((feed, delta)) = flips.get(&row.get::<_, ItemId>(0)?) {
                    *deltas.entry((*feed, row.get(1)?)).or_default() += delta;
                }
            }
        } else {
            // The ids drive the join (`CROSS JOIN` keeps that order): the
            // planner cannot tell how many there are.
            let mut tags = tx.prepare_cached(
                "SELECT t.tag, COUNT(*) FROM rarray(?1) r \
                 CROSS JOIN tag_items t INDEXED BY tag_items_by_item ON t.item_id = r.value \
                 WHERE t.via_feed = 0 GROUP BY t.tag",
            )?;
            for ((feed, delta), items) in &mut self.items {
                let mut rows = tags.query([Rc::new(std::mem::take(items))])?;
                while let Some(row) = rows.next()? {
                    let n: i64 = row.get(1)?;
                    *deltas.entry((*feed, row.get(0)?)).or_default() += n * *delta;
                }
            }
        }
        let mut update = tx.prepare_cached(
            "UPDATE feed_tag_counts SET unread = unread + ?3 WHERE feed_id = ?1 AND tag = ?2",
        )?;
        for ((feed, tag), delta) in deltas {
            if delta != 0 {
                update.execute(params![feed, tag, delta])?;
            }
        }
        Ok(())
    }
}
