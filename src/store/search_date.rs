//! How a query with words reads its matches in date order (`sort:date`, views,
//! `khabar items --query`) without sorting every match at a million items.
//!
//! Two plans. Few matches: the index lists them, each item is looked up and the
//! page is sorted (`i.id IN (SELECT rowid … MATCH …)`): cheap while the matches
//! are few. Many matches (words in a large part of all items): that plan reads
//! and sorts hundreds of thousands of rows for a page of 100 (217–239 ms at
//! 1,000,000 items); instead the page walks the items' date index and asks the
//! index about each row (`EXISTS (… MATCH … AND rowid = i.id)`), stopping after
//! the page: about `rows / density` rows. A bounded probe of the index (its
//! newest [`DENSITY_SAMPLE`] matches) tells the two apart.

use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::query::{ITEMS_STATE_FEEDS, ROW_COLUMNS, item_row};
use super::search::SearchClock;
use super::search_rank::to_i64;
use super::search_sql::Compiled;
use super::{ItemRow, Store, StoreError};
use crate::query::Query;

/// A page walks the date index only if that reads at most this many rows
/// (its offset included); otherwise the index lists the matches.
pub const DENSE_PROBE: usize = 20_000;

/// At most this many of the newest matches are read to judge a query's
/// density. Reading them is the probe's cost: 20,000 took 6 ms of a view's
/// first page at 1,000,000 items, 2,000 take a tenth of that, and they still
/// cover 400,000 ids at the sparsest density that walks (100 rows in 20,000).
/// The newest matches are where a newest-first walk starts, so a density
/// judged on them is the one the walk meets (BENCHMARKS.md, "The
/// twenty-sixth pass").
pub const DENSITY_SAMPLE: usize = 2_000;

/// How the top-level MATCH of a date-ordered page is tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePlan {
    /// Every match from the index, then sorted by date.
    FromIndex,
    /// The date index walked, each row tested against the index.
    WalkDates,
}

/// A date-ordered page as the store reads it, for the tests that check its plan.
#[doc(hidden)]
#[derive(Debug)]
pub struct DatePage {
    /// The plan chosen.
    pub plan: DatePlan,
    /// `EXPLAIN QUERY PLAN`, one line per step.
    pub explained: Vec<String>,
    /// The rows.
    pub rows: Vec<ItemRow>,
}

impl Store {
    /// Matches `offset..offset + limit` of `query` newest first, with the plan
    /// chosen after probing at most `probe` matches, and that plan explained:
    /// for the tests that check a dense query walks the date index.
    #[doc(hidden)]
    pub fn date_page_with_probe(
        &self,
        query: &Query,
        clock: SearchClock,
        offset: usize,
        limit: usize,
        probe: usize,
    ) -> Result<DatePage, StoreError> {
        let compiled = self.compile(query, clock)?;
        let (sql, values, plan) = self.newest_first_sql(compiled, offset, limit, probe)?;
        let explained = self
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?
            .query_map(params_from_iter(values.iter()), |row| {
                row.get::<_, String>(3)
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let rows = self
            .conn
            .prepare(&sql)?
            .query_map(params_from_iter(values), item_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DatePage {
            plan,
            explained,
            rows,
        })
    }

    /// The SQL and values of matches `offset..offset + limit` newest first.
    pub(super) fn newest_first_sql(
        &self,
        mut compiled: Compiled,
        offset: usize,
        limit: usize,
        probe: usize,
    ) -> Result<(String, Vec<Value>, DatePlan), StoreError> {
        let plan =
            self.with_date_ordered_match(&mut compiled, offset.saturating_add(limit), probe)?;
        let conditions = compiled.where_sql();
        let limit = compiled.bind(Value::Integer(to_i64(limit)));
        let offset = compiled.bind(Value::Integer(to_i64(offset)));
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM {ITEMS_STATE_FEEDS} WHERE f.enabled = 1 AND {conditions} \
             ORDER BY i.sort_time DESC, i.id DESC LIMIT {limit} OFFSET {offset}"
        );
        Ok((sql, compiled.values, plan))
    }

    /// The plan for a date-ordered page of `rows` rows (its offset included) of
    /// `compiled`, whose top-level MATCH it then turns into a condition.
    pub(super) fn with_date_ordered_match(
        &self,
        compiled: &mut Compiled,
        rows: usize,
        probe: usize,
    ) -> Result<DatePlan, StoreError> {
        let plan = match &compiled.fts {
            Some(fts) => self.date_plan(fts, rows, probe)?,
            None => DatePlan::FromIndex,
        };
        match plan {
            DatePlan::FromIndex => super::search::with_match_condition(compiled),
            DatePlan::WalkDates => {
                if let Some(fts) = compiled.fts.take() {
                    compiled.fts_title = None;
                    let n = compiled.bind(Value::Text(fts));
                    compiled.conditions.push(format!(
                        "EXISTS (SELECT 1 FROM item_search \
                         WHERE item_search MATCH {n} AND item_search.rowid = i.id)"
                    ));
                }
            }
        }
        Ok(plan)
    }

    /// Walk the dates when the index has at least a sample's worth of matches
    /// (the smaller of `probe` and [`DENSITY_SAMPLE`]) and they are so dense
    /// that the walk reads at most `probe` rows for the page. The density is
    /// the sample (the newest matches) over the span of item ids it covers
    /// (ids grow as items arrive; deleted items leave gaps, which errs
    /// towards walking less). Fewer matches than the sample are listed by
    /// the index. A prefix query (`"b"*`, a word too short to expand) is
    /// never walked: FTS5 would merge every word it starts for each row
    /// tested.
    fn date_plan(&self, fts: &str, rows: usize, probe: usize) -> Result<DatePlan, StoreError> {
        if fts.contains('*') {
            return Ok(DatePlan::FromIndex);
        }
        let sample = i64::try_from(probe.min(DENSITY_SAMPLE)).unwrap_or(i64::MAX);
        let probe = i64::try_from(probe).unwrap_or(i64::MAX);
        let (matches, oldest, newest): (i64, i64, i64) = self
            .conn
            .prepare_cached(
                "SELECT COUNT(*), COALESCE(MIN(id), 0), \
                        (SELECT COALESCE(MAX(id), 0) FROM items) \
                 FROM (SELECT rowid AS id FROM item_search \
                       WHERE item_search MATCH ?1 ORDER BY rowid DESC LIMIT ?2)",
            )?
            .query_row(rusqlite::params![fts, sample], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?;
        if matches < sample {
            return Ok(DatePlan::FromIndex);
        }
        let span = (newest - oldest).max(0) + 1;
        let rows = i64::try_from(rows).unwrap_or(i64::MAX);
        let walked = rows.saturating_mul(span) / matches.max(1);
        Ok(if walked <= probe {
            DatePlan::WalkDates
        } else {
            DatePlan::FromIndex
        })
    }
}
