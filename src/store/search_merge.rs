//! Keeps the search index in few segments, so that asking it about one item
//! stays cheap.
//!
//! FTS5 writes each flush of new rows as a segment and merges segments four at
//! a time (`automerge`), so an index left to itself holds ten to fifteen: at
//! 1,000,000 items, fifteen after a first refresh. A query pays a seek in every
//! segment for every word, and a view's first page asks the index about one
//! item at a time while it walks the dates (`search_date`): 67 µs an item with
//! fifteen segments, 20 µs with one, and the page 20–22 ms against 9–10 ms
//! (BENCHMARKS.md, "The twenty-first pass: the index kept in few segments"). After a refresh has
//! written, [`Store::merge_search_index`] merges the segments until FTS5 has
//! nothing left to merge, in one of two ways chosen by the segments' sizes:
//!
//! - When no segment holds more than the others together (a first refresh, a
//!   large import), all of them into one, each page written once (FTS5's
//!   incremental `optimize`: `merge` with a negative page count). Two at a time
//!   wrote new pages once per level they climbed (`tests/search/merge.rs`: 346
//!   row changes for 57 pages against 204).
//! - Otherwise (everyday refreshes beside one large segment), two at a time
//!   (`usermerge = 2`): two to five segments in all over everyday refreshes,
//!   each row rewritten about log2 (not log4) of the index's size times over
//!   its life, and the large segment rewritten whenever a merge reaches its
//!   level (one refresh in twenty at 1,000,000 items).
//!
//! An item indexed again (its full text arrived, its tags changed) or removed
//! leaves a tombstone in the segment that held it, and FTS5 rewrites a level
//! whose tombstones reach `deletemerge` per cent of its rows whenever it is
//! asked to merge. At FTS5's 10 % that was every refresh with full text: the
//! feed's items are merged ahead into one segment while their last pages
//! download (`fulltext::page_writer`), and the pages that come after leave
//! their tombstones in it (22 of 200 with 200 pages); rewriting it cost 3–4 ms
//! after the last page. [`DELETEMERGE`] is 25 %: a segment a quarter dead is
//! still rewritten, and one a refresh touched a tenth of is not.
//!
//! FTS5 merges nothing by itself (`automerge` 0,
//! `MIGRATION_SEARCH_MERGE_AFTER_WRITES`): its merges inside the writes only
//! rewrote what this merge rewrites again (a first refresh of 20,000 items:
//! 982 M instructions of merging before, 500 M; BENCHMARKS.md, "The
//! twenty-second pass"). For the same reason its crisis merge waits for 64
//! segments on a level ([`CRISISMERGE`]); a write no merge follows (a page the
//! reader fetched) merges at 16 ([`Store::merge_search_index_if_crowded`]).

use rusqlite::OptionalExtension;

use super::{Store, StoreError};

/// Pages FTS5 merges per `merge` command; each command is its own
/// transaction, so a reader's marks never wait for more than one of them.
const MERGE_PAGES: i64 = 500;

/// FTS5's `usermerge`: merge as soon as two segments share a level.
const USERMERGE: i64 = 2;

/// FTS5's `deletemerge`: a level is rewritten for its tombstones alone once
/// they are this share (per cent) of its rows (FTS5's default is 10).
const DELETEMERGE: i64 = 25;

/// FTS5's `crisismerge`: this many segments on one level are merged at once
/// inside the write that makes the last of them (FTS5's default is 16).
///
/// A first refresh flushes a segment for about every megabyte of index it
/// writes (FTS5's `hashsize`), 40 or so at 100,000 items; at 16 FTS5 merged
/// them twice inside the writer's transactions before [`Store::merge_search_index`]
/// rewrote everything once more at the end. At 64 they wait for that one merge:
/// FTS5 alone indexing a first refresh's rows took 0.92–0.94 s of CPU against
/// 1.05–1.07 s (`benches/fts5_floor.rs`), and the whole first refresh 7–9 %
/// less wall time, 4–7 % less CPU (BENCHMARKS.md, "The thirty-first pass").
/// Writes that no merge follows keep their own bound ([`CROWDED_SEGMENTS`]).
const CRISISMERGE: i64 = 64;

/// The merge settings this module keeps, as FTS5 names them in its config.
const SETTINGS: [(&str, i64); 3] = [
    ("usermerge", USERMERGE),
    ("deletemerge", DELETEMERGE),
    ("crisismerge", CRISISMERGE),
];

/// A write that no [`Store::merge_search_index`] follows (one page the reader
/// fetched) merges once the index holds this many segments
/// ([`Store::merge_search_index_if_crowded`]): the bound FTS5's own default
/// `crisismerge` kept before [`CRISISMERGE`] raised it for bulk writes.
const CROWDED_SEGMENTS: usize = 16;

/// A leaf's rowid in `item_search_data` is its segment id shifted by this
/// (page number 31 bits, b-tree height 5, doclist-index flag 1: FTS5's
/// `fts5_dri`), plus its page number.
const SEGMENT_ROWID_SHIFT: u32 = 37;

/// Rowids of one segment's leaves (page numbers below 2^31).
const LEAF_PAGES: i64 = 1 << 31;

/// Fewer segments than this are left alone (no write at all).
const MERGE_FROM_SEGMENTS: usize = 3;

/// What [`Store::merge_search_index`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexMerge {
    /// Segments before.
    pub segments_before: usize,
    /// Segments after.
    pub segments_after: usize,
    /// `merge` commands run (none when there were few segments).
    pub steps: usize,
}

impl Store {
    /// The search index's segments (FTS5 b-trees), counted by walking the
    /// distinct segment ids of `item_search_idx` one lookup each.
    pub fn search_segments(&self) -> Result<usize, StoreError> {
        Ok(self.segment_ids()?.len())
    }

    /// The segments' ids, one lookup each in `item_search_idx`.
    fn segment_ids(&self) -> Result<Vec<i64>, StoreError> {
        let mut next = self
            .conn
            .prepare_cached("SELECT MIN(segid) FROM item_search_idx WHERE segid > ?1")?;
        let mut ids = Vec::new();
        let mut after = i64::MIN;
        while let Some(segid) = next
            .query_row([after], |row| row.get::<_, Option<i64>>(0))
            .optional()?
            .flatten()
        {
            ids.push(segid);
            after = segid;
        }
        Ok(ids)
    }

    /// The leaf pages of each segment: the span of its leaves' rowids in
    /// `item_search_data`, where FTS5 numbers a leaf `segid << 37 | page`
    /// (`FTS5_SEGMENT_ROWID`); two lookups a segment.
    fn segment_pages(&self, ids: &[i64]) -> Result<Vec<i64>, StoreError> {
        let mut span = self.conn.prepare_cached(
            "SELECT MIN(id), MAX(id) FROM item_search_data WHERE id >= ?1 AND id < ?2",
        )?;
        ids.iter()
            .map(|&segid| {
                let first = segid << SEGMENT_ROWID_SHIFT;
                let (low, high) = span.query_row([first, first + LEAF_PAGES], |row| {
                    Ok((row.get::<_, Option<i64>>(0)?, row.get::<_, Option<i64>>(1)?))
                })?;
                Ok(match (low, high) {
                    (Some(low), Some(high)) => high - low + 1,
                    _ => 0,
                })
            })
            .collect()
    }

    /// Stores this module's FTS5 merge settings where they differ (a lookup
    /// each when they do not): before every merge, and before a refresh writes,
    /// so that a new database's first refresh writes with [`CRISISMERGE`].
    pub(super) fn keep_merge_settings(&self) -> Result<(), StoreError> {
        for (name, value) in SETTINGS {
            let stored: Option<i64> = self
                .conn
                .prepare_cached("SELECT v FROM item_search_config WHERE k = ?1")?
                .query_row([name], |row| row.get(0))
                .optional()?;
            if stored != Some(value) {
                self.conn.execute(
                    "INSERT INTO item_search(item_search, rank) VALUES(?1, ?2)",
                    rusqlite::params![name, value],
                )?;
            }
        }
        Ok(())
    }

    /// After a write that no [`Store::merge_search_index`] follows: merges
    /// when the index holds [`CROWDED_SEGMENTS`] or more, logging a failure
    /// (the write is stored; only search speed is at stake).
    pub fn merge_search_index_if_crowded(&self) {
        match self.segment_ids() {
            Ok(ids) if ids.len() >= CROWDED_SEGMENTS => {
                self.merge_search_index_logged();
            }
            Ok(_) => {}
            Err(err) => tracing::warn!("cannot count the search index's segments: {err}"),
        }
    }

    /// [`Store::merge_search_index`] after a write whose rows are stored
    /// already, where a failure costs only search speed: what it did, or why
    /// it could not, goes to the log. Returns whether the index is merged (or
    /// had too few segments to need it).
    pub fn merge_search_index_logged(&self) -> bool {
        match self.merge_search_index() {
            Ok(merged) => {
                if merged.steps > 0 {
                    tracing::info!(
                        before = merged.segments_before,
                        after = merged.segments_after,
                        steps = merged.steps,
                        "search index merged"
                    );
                }
                true
            }
            Err(err) => {
                tracing::warn!("cannot merge the search index: {err}");
                false
            }
        }
    }

    /// Merges the search index's segments after a write, when there are
    /// [`MERGE_FROM_SEGMENTS`] or more, until FTS5 reports nothing left to
    /// merge. A no-op costing a few lookups otherwise.
    pub fn merge_search_index(&self) -> Result<IndexMerge, StoreError> {
        let ids = self.segment_ids()?;
        let segments_before = ids.len();
        let mut report = IndexMerge {
            segments_before,
            segments_after: segments_before,
            steps: 0,
        };
        if segments_before < MERGE_FROM_SEGMENTS {
            return Ok(report);
        }
        let pages = self.segment_pages(&ids)?;
        let largest = pages.iter().copied().max().unwrap_or(0);
        let total: i64 = pages.iter().sum();
        // All into one when that rewrites at most twice what the smaller
        // segments hold; a negative count is FTS5's incremental optimize.
        let pages_per_step = if largest <= total - largest {
            -MERGE_PAGES
        } else {
            MERGE_PAGES
        };
        self.keep_merge_settings()?;
        loop {
            let before = self.conn.total_changes();
            self.conn.execute(
                "INSERT INTO item_search(item_search, rank) VALUES('merge', ?1)",
                [pages_per_step],
            )?;
            report.steps += 1;
            // FTS5's documented test: fewer than two changes, no work was left.
            if self.conn.total_changes() - before < 2 {
                break;
            }
        }
        report.segments_after = self.search_segments()?;
        Ok(report)
    }
}
