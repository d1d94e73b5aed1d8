//! Searching the store with the query language: lists of a query's matches
//! newest first by keyset pages (views, `khabar items --query`), their counts,
//! and marking them read. Ranked search (`khabar search`, the reader's `/`) is
//! in `search_rank.rs`.

use std::collections::HashMap;

use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::query::{ITEMS_STATE_FEEDS, ROW_COLUMNS, STATE_ITEMS_FEEDS, item_row};
use super::search_date::DatePlan;
use super::search_sql::{Compiled, Context, FeedName, compile, prefix_words};
use super::{Cursor, ItemId, ItemRow, Store, StoreError};
use crate::query::{Expr, Query, Term};

/// A typed word expands to at most this many indexed words; more (a one-letter
/// word) use FTS5's own prefix query.
const MAX_EXPANSIONS: usize = 64;

/// A count or a date-ordered page with `is:unread` at its top level starts
/// from the unread items when at most one enabled item in this many is unread:
/// reading them from their index then costs less than a sixteenth of testing
/// every item, and a tag's items are seldom fewer. Above it, a count of a
/// mostly unread database (a first refresh) would have SQLite gather most ids
/// into a temporary B-tree, slower than testing each item (1,000,000 unread:
/// 2.6 s against 0.5 s, BENCHMARKS.md).
const FEW_UNREAD: i64 = 16;

/// The moment and time zone relative dates and calendar days are read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchClock {
    /// Unix seconds.
    pub now: i64,
    /// Seconds east of UTC of the user's time zone.
    pub utc_offset: i64,
}

impl SearchClock {
    /// Now, in the machine's local time zone.
    pub fn local() -> SearchClock {
        let now = chrono::Local::now();
        SearchClock {
            now: now.timestamp(),
            utc_offset: i64::from(now.offset().local_minus_utc()),
        }
    }
}

impl Store {
    pub(super) fn compile(
        &self,
        query: &Query,
        clock: SearchClock,
    ) -> Result<Compiled, StoreError> {
        let (needs_feeds, needs_tags) = query.expr.as_ref().map_or((false, false), uses);
        let feeds = if needs_feeds {
            self.feed_names()?
        } else {
            Vec::new()
        };
        let tags = if needs_tags {
            self.distinct_tags()?
        } else {
            Vec::new()
        };
        let mut words = Vec::new();
        if let Some(expr) = &query.expr {
            prefix_words(expr, &mut words);
        }
        let mut expansions = HashMap::new();
        for word in words {
            if let Some(terms) = self.expand(&word)? {
                expansions.insert(word, terms);
            }
        }
        let ctx = Context {
            now: clock.now,
            utc_offset: clock.utc_offset,
            feeds: &feeds,
            tags: &tags,
            expansions: &expansions,
        };
        Ok(compile(query, &ctx))
    }

    /// A newest-first page of `query`'s matches strictly after `after`, whatever
    /// its `sort:` (lists, views, `khabar items --query`).
    pub fn query_items_after(
        &self,
        query: &Query,
        clock: SearchClock,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        let compiled = self.compile(query, clock)?;
        self.date_page(compiled, after, limit)
    }

    /// The page of `query`'s matches just newer than `before`, returned newest
    /// first (scrolling up a list).
    pub fn query_items_before(
        &self,
        query: &Query,
        clock: SearchClock,
        before: Cursor,
        limit: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        let compiled = self.compile(query, clock)?;
        self.page_in_order(compiled, Some(before), limit, false)
    }

    /// The `limit` oldest matches of `query`, returned newest first (`G`).
    pub fn query_items_last(
        &self,
        query: &Query,
        clock: SearchClock,
        limit: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        let compiled = self.compile(query, clock)?;
        self.page_in_order(compiled, None, limit, false)
    }

    fn date_page(
        &self,
        compiled: Compiled,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        self.page_in_order(compiled, after, limit, true)
    }

    /// [`Store::query_items_after`] with its words' plan chosen after probing
    /// at most `probe` matches (see `search_date.rs`): for the tests of a
    /// walk over a corpus far smaller than [`super::search_date::DENSE_PROBE`].
    #[doc(hidden)]
    pub fn query_items_after_with_probe(
        &self,
        query: &Query,
        clock: SearchClock,
        after: Option<Cursor>,
        limit: usize,
        probe: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        let compiled = self.compile(query, clock)?;
        self.page_in_order_with_probe(compiled, after, limit, true, probe)
    }

    /// Newest first strictly older than `bound`, or oldest first strictly newer
    /// (then reversed, so pages always come newest first).
    fn page_in_order(
        &self,
        compiled: Compiled,
        bound: Option<Cursor>,
        limit: usize,
        newest_first: bool,
    ) -> Result<Vec<ItemRow>, StoreError> {
        let probe = super::search_date::DENSE_PROBE;
        self.page_in_order_with_probe(compiled, bound, limit, newest_first, probe)
    }

    fn page_in_order_with_probe(
        &self,
        mut compiled: Compiled,
        bound: Option<Cursor>,
        limit: usize,
        newest_first: bool,
        probe: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let (cmp, dir) = if newest_first {
            ("<", "DESC")
        } else {
            (">", "ASC")
        };
        let had_words = compiled.fts.is_some();
        let few_unread = compiled.unread_at_top() && self.few_unread()?;
        let plan = self.with_date_ordered_match(&mut compiled, limit, probe)?;
        // A view of unread items when nearly everything is read: the items'
        // date index would pass over ~16 read items or more for each row of
        // the page (10–18 ms for a page at 1,000,000 items, 2 % unread), so
        // the unread ones are walked instead, unless the index's few matches
        // are read and sorted.
        let walk_unread = few_unread && (!had_words || plan == DatePlan::WalkDates);
        let (from, time, id) = if walk_unread {
            (STATE_ITEMS_FEEDS, "st.sort_time", "st.item_id")
        } else {
            (ITEMS_STATE_FEEDS, "i.sort_time", "i.id")
        };
        let mut sql = format!(
            "SELECT {ROW_COLUMNS} FROM {from} WHERE f.enabled = 1 AND {}",
            compiled.where_sql()
        );
        if let Some((t, n)) = bound {
            let t = compiled.bind(Value::Integer(t));
            let n = compiled.bind(Value::Integer(n));
            sql.push_str(&format!(" AND ({time}, {id}) {cmp} ({t}, {n})"));
        }
        let n = compiled.bind(Value::Integer(limit.min(i64::MAX as usize) as i64));
        sql.push_str(&format!(" ORDER BY {time} {dir}, {id} {dir} LIMIT {n}"));
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt
            .query_map(params_from_iter(compiled.values), item_row)?
            .collect::<Result<Vec<_>, _>>()?;
        if !newest_first {
            rows.reverse();
        }
        Ok(rows)
    }

    /// (unread, total) matches of `query` in enabled feeds.
    pub fn count_query(&self, query: &Query, clock: SearchClock) -> Result<(u64, u64), StoreError> {
        let mut compiled = self.compile(query, clock)?;
        // With words, the index's matches drive the count.
        if compiled.fts.is_none() {
            let few_unread = compiled.asks_for_unread() && self.few_unread()?;
            compiled.led_by_a_set(few_unread);
        }
        with_match_condition(&mut compiled);
        let sql = format!(
            "SELECT COALESCE(SUM(st.read = 0), 0), COUNT(*) FROM {ITEMS_STATE_FEEDS} \
             WHERE f.enabled = 1 AND {}",
            compiled.where_sql()
        );
        let (unread, total): (i64, i64) = self
            .conn
            .prepare(&sql)?
            .query_row(params_from_iter(compiled.values), |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        Ok((unread.max(0) as u64, total.max(0) as u64))
    }

    /// Whether at most one enabled item in [`FEW_UNREAD`] is unread (the
    /// feeds' counters, summed over every enabled feed): then the unread
    /// items are the smallest set a count with `is:unread` can start from
    /// (read from the `state_unread_by_time` partial index), whatever else the
    /// query asks, and a date-ordered page walks them. The answer is kept
    /// until the database changes: summing 5,000 feeds took 1.5 ms, a tenth of
    /// a view's first page at 1,000,000 items, and the reader asks on every
    /// page and every count (BENCHMARKS.md, "The twenty-sixth pass").
    fn few_unread(&self) -> Result<bool, StoreError> {
        let seen = self.database_version()?;
        if let Some((at, few)) = self.few_unread_seen.get()
            && at == seen
        {
            return Ok(few);
        }
        let (unread, total): (i64, i64) = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(SUM(unread_count), 0), COALESCE(SUM(total_count), 0) \
                 FROM feeds WHERE enabled = 1",
            )?
            .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        let few = unread.saturating_mul(FEW_UNREAD) <= total;
        self.few_unread_seen.set(Some((seen, few)));
        Ok(few)
    }

    /// [`Store::few_unread`], for the tests that check it follows every
    /// connection's writes.
    #[doc(hidden)]
    pub fn unread_is_few(&self) -> Result<bool, StoreError> {
        self.few_unread()
    }

    /// What changes whenever the database does: `PRAGMA data_version` moves
    /// when another connection commits, this connection's total of changed
    /// rows when it writes itself (a write rolled back still moves it: a
    /// needless recount, never a stale answer).
    fn database_version(&self) -> Result<(i64, u64), StoreError> {
        let others: i64 = self
            .conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |row| row.get(0))?;
        Ok((others, self.conn.total_changes()))
    }

    /// Marks every unread match of `query` read; returns how many changed.
    /// Synced items among them get their marks queued for the server in the
    /// same transaction, as every other way of marking does.
    pub fn mark_read_query(
        &mut self,
        query: &Query,
        clock: SearchClock,
        now: i64,
    ) -> Result<u64, StoreError> {
        self.mark_read_query_with(query, clock, now, super::read_counts::SET_WIDE_FROM)
    }

    /// [`Store::mark_read_query`] of the matches up to `upto` (an id from
    /// [`Store::newest_item_id`]): the reader's search list marks only what it
    /// had loaded.
    pub fn mark_read_query_upto(
        &mut self,
        query: &Query,
        clock: SearchClock,
        upto: ItemId,
        now: i64,
    ) -> Result<u64, StoreError> {
        self.mark_read_query_bounded(
            query,
            clock,
            Some(upto),
            now,
            super::read_counts::SET_WIDE_FROM,
        )
    }

    /// [`Store::mark_read_query`] with the number of flips from which the
    /// write is set-wide: tests run both paths on the same data.
    #[doc(hidden)]
    pub fn mark_read_query_with(
        &mut self,
        query: &Query,
        clock: SearchClock,
        now: i64,
        set_wide_from: usize,
    ) -> Result<u64, StoreError> {
        self.mark_read_query_bounded(query, clock, None, now, set_wide_from)
    }

    /// [`Store::mark_read_query_with`] of the matches up to `upto`, when given.
    fn mark_read_query_bounded(
        &mut self,
        query: &Query,
        clock: SearchClock,
        upto: Option<ItemId>,
        now: i64,
        set_wide_from: usize,
    ) -> Result<u64, StoreError> {
        let mut compiled = self.compile(query, clock)?;
        with_match_condition(&mut compiled);
        if let Some(upto) = upto {
            let n = compiled.bind(Value::Integer(upto));
            compiled.conditions.push(format!("i.id <= {n}"));
        }
        let scope = format!(
            "{ITEMS_STATE_FEEDS} WHERE f.enabled = 1 AND st.read = 0 AND {}",
            compiled.where_sql()
        );
        self.check_file()?;
        let tx = self.begin_write()?;
        let changed = super::state::mark_scope_read(
            &tx,
            "i.id",
            &scope,
            &compiled.values,
            now,
            set_wide_from,
        )?;
        tx.commit()?;
        Ok(changed)
    }

    /// The indexed words that start with `prefix`, when there are at most
    /// [`MAX_EXPANSIONS`].
    fn expand(&self, prefix: &str) -> Result<Option<Vec<String>>, StoreError> {
        let upper = format!("{prefix}{}", char::MAX);
        let terms = self
            .conn
            .prepare_cached(
                "SELECT term FROM search_terms WHERE term >= ?1 AND term < ?2 LIMIT ?3",
            )?
            .query_map(
                rusqlite::params![prefix, upper, MAX_EXPANSIONS as i64 + 1],
                |row| row.get::<_, String>(0),
            )?
            .collect::<Result<Vec<_>, _>>()?;
        Ok((terms.len() <= MAX_EXPANSIONS).then_some(terms))
    }

    /// Every feed's id, URL and shown title, for `feed:`.
    fn feed_names(&self) -> Result<Vec<FeedName>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, url, COALESCE(user_title, feed_title, url) FROM feeds")?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Every distinct tag spelling stored (feed tags and item categories), one
    /// index seek per tag.
    pub fn distinct_tags(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "WITH RECURSIVE t(tag) AS ( \
                 SELECT MIN(tag) FROM tag_items \
                 UNION ALL \
                 SELECT (SELECT MIN(tag) FROM tag_items WHERE tag > t.tag) FROM t \
                 WHERE t.tag IS NOT NULL) \
             SELECT tag FROM t WHERE tag IS NOT NULL",
        )?;
        let tags = stmt
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(tags)
    }
}

/// Turns the top-level MATCH into a condition, for queries not driven by the index.
pub(super) fn with_match_condition(compiled: &mut Compiled) {
    if let Some(fts) = compiled.fts.take() {
        compiled.fts_title = None;
        let n = compiled.bind(Value::Text(fts));
        compiled.conditions.push(format!(
            "i.id IN (SELECT rowid FROM item_search WHERE item_search MATCH {n})"
        ));
    }
}

/// Whether the expression has `feed:` and `tag:` terms.
fn uses(expr: &Expr) -> (bool, bool) {
    match expr {
        Expr::And(parts) | Expr::Or(parts) => parts
            .iter()
            .map(uses)
            .fold((false, false), |a, b| (a.0 || b.0, a.1 || b.1)),
        Expr::Not(inner) => uses(inner),
        Expr::Term(Term::Feed(_)) => (true, false),
        Expr::Term(Term::Tag(_)) => (false, true),
        Expr::Term(_) => (false, false),
    }
}
