//! Ranked search: the order `khabar search` prints and the reader's `/` lists,
//! read a page at a time by position.
//!
//! Ranking: title matches above body matches, each by bm25 (a title hit worth
//! ten body hits; `fts_rank`'s `khabar_bm25`, FTS5's scores from less work),
//! ties newest first. To stay fast at a million items the
//! candidates are the newest [`RANK_CANDIDATES`] matches in the order items were
//! stored, scored by bm25, plus as many of the newest title matches (so a title
//! match is never lost behind many body matches); a title match older than the
//! scored ones has no score and follows the scored title matches, newest first.
//! Below that many matches the ranking is exact. Matches beyond the candidates
//! follow them, newest first, so the ranked list holds every match (its length
//! is `count_query`'s total). A query without words at its top level (`a or
//! tag:x`, only filters) and `sort:date` list every match newest first.

use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::fts_rank;
use super::query::{ITEMS_STATE_FEEDS, ROW_COLUMNS, STATE_FEEDS, item_row};
use super::search::SearchClock;
use super::search_sql::Compiled;
use super::{ItemRow, Store, StoreError};
use crate::query::{Query, Sort};

/// Matches ranked by bm25 per search; see the module doc.
pub const RANK_CANDIDATES: usize = 2_000;

/// bm25 weights of the index columns: title, body, author, feed title, tags.
const WEIGHTS: &str = "10.0, 1.0, 2.0, 2.0, 2.0";

/// The SQL pieces of one ranked search, sharing one list of bound values.
struct Ranked {
    compiled: Compiled,
    /// `?N` of the whole FTS5 expression and of its title-only form.
    all: String,
    title: String,
    /// The rank function's call: `khabar_bm25` with `?N` of the expression's
    /// exact words ([`fts_rank`](super::fts_rank)), else FTS5's `bm25`.
    rank: String,
    /// The query's other conditions over `i` and `f`.
    conditions: String,
}

impl Ranked {
    /// The newest [`RANK_CANDIDATES`] matches of `match_n` (by index order),
    /// with their bm25 score when `scored`.
    fn candidates(&self, match_n: &str, scored: bool) -> String {
        self.newest_matches(match_n, scored, "1", &RANK_CANDIDATES.to_string())
    }

    /// The newest matches of `match_n` that also pass `rowids` (a condition
    /// on `item_search.rowid`), at most `limit` (an SQL expression), with
    /// their bm25 score when `scored`.
    fn newest_matches(&self, match_n: &str, scored: bool, rowids: &str, limit: &str) -> String {
        let score = if scored {
            format!(", {} AS score", self.rank)
        } else {
            String::new()
        };
        // Each match's state and feed, and its item only when a condition
        // reads it: the items' rows are the widest and a match's row is seldom
        // near the last one's, so skipping them saves a quarter of a title scan
        // (BENCHMARKS.md, "The twenty-seventh pass").
        let (from, id, time) = if reads_items(&self.conditions) {
            (ITEMS_STATE_FEEDS, "i.id", "i.sort_time")
        } else {
            (STATE_FEEDS, "st.item_id", "st.sort_time")
        };
        // Wrapped: a compound SELECT takes no ORDER BY in its parts.
        format!(
            "SELECT * FROM (SELECT item_search.rowid AS id, {time} AS t{score} \
             FROM item_search CROSS JOIN {from} \
             WHERE {id} = item_search.rowid AND item_search MATCH {match_n} AND {rowids} \
                   AND f.enabled = 1 AND {} \
             ORDER BY item_search.rowid DESC LIMIT {limit})",
            self.conditions
        )
    }

    /// Every ranked candidate's id (title and all), each once.
    fn candidate_ids(&self) -> String {
        format!(
            "SELECT id FROM ({}) UNION SELECT id FROM ({})",
            self.candidates(&self.all, false),
            self.candidates(&self.title, false)
        )
    }
}

impl Store {
    /// The first `limit` matches of `query` in ranked order (see the module doc).
    pub fn search(
        &self,
        query: &Query,
        clock: SearchClock,
        limit: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        self.search_page(query, clock, 0, limit)
    }

    /// Matches `offset..offset + limit` of `query` in ranked order (see the
    /// module doc): what `khabar search` prints, a page at a time.
    pub fn search_page(
        &self,
        query: &Query,
        clock: SearchClock,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut compiled = self.compile(query, clock)?;
        let (Some(all), Some(title), Sort::Relevance) =
            (compiled.fts.clone(), compiled.fts_title.clone(), query.sort)
        else {
            return self.newest_first_at(compiled, offset, limit);
        };
        let conditions = compiled.where_sql();
        let rank = if self.ranks_by_counts {
            let words = compiled.bind(Value::Text(fts_rank::exact_words_of(&all)));
            format!("{}(item_search, {words}, {WEIGHTS})", fts_rank::FUNCTION)
        } else {
            format!("bm25(item_search, {WEIGHTS})")
        };
        let all = compiled.bind(Value::Text(all));
        let title = compiled.bind(Value::Text(title));
        let ranked = Ranked {
            compiled,
            all,
            title,
            rank,
            conditions,
        };
        let mut rows = self.ranked_rows(&ranked, offset, limit)?;
        if rows.len() < limit {
            let tail = self.after_candidates(ranked, offset + rows.len(), limit - rows.len())?;
            rows.extend(tail);
        }
        Ok(rows)
    }

    /// Candidates `offset..offset + limit` by score.
    fn ranked_rows(
        &self,
        ranked: &Ranked,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        let mut values = ranked.compiled.values.clone();
        let n = values.len();
        values.push(Value::Integer(to_i64(limit)));
        values.push(Value::Integer(to_i64(offset)));
        // bm25 once, over the newest matches: FTS5 counts each phrase's rows
        // over the whole index for it (a scan per query, not per row), so the
        // title candidates are only told apart, not scored a second time. The
        // candidates carry their dates, so the page is chosen before any row
        // is read: only its rows are joined to their items, not all ~4,000
        // candidates a second time (a tenth of a search's instructions at
        // 100,000 items; BENCHMARKS.md, "The twenty-sixth pass").
        //
        // The title candidates are the newest 2,000 title matches. Those at or
        // above the oldest scored match are all scored (`title_top`: every
        // title match is a match); the older ones (`title_rest`) have no
        // score and sort after every scored title match. So when `title_top`
        // fills the page, `title_rest` cannot reach it and is not looked for:
        // finding it walks the words' rows far below the scored ones, with
        // their positions, most of a search's cost when titles hold the words
        // (BENCHMARKS.md, "The twenty-seventh pass").
        let (limit_n, offset_n) = (n + 1, n + 2);
        let title_top = ranked.newest_matches(
            &ranked.title,
            false,
            "item_search.rowid >= (SELECT id FROM low)",
            &RANK_CANDIDATES.to_string(),
        );
        let title_rest = ranked.newest_matches(
            &ranked.title,
            false,
            "item_search.rowid < (SELECT id FROM low)",
            // A LIMIT of 0 ends the scan before FTS5 reads anything; the same
            // test as a WHERE condition still let it walk every row.
            &format!(
                "CASE WHEN (SELECT COUNT(*) FROM title_top) < ?{limit_n} + ?{offset_n} \
                 THEN {RANK_CANDIDATES} - (SELECT COUNT(*) FROM title_top) ELSE 0 END"
            ),
        );
        let sql = format!(
            "WITH scored AS MATERIALIZED ({}), \
                  low AS MATERIALIZED (SELECT MIN(id) AS id FROM scored), \
                  title_top AS MATERIALIZED ({title_top}), \
                  title_rest AS MATERIALIZED ({title_rest}), \
                  page AS MATERIALIZED ( \
                      SELECT id, t, in_title, score FROM ( \
                          SELECT id, t, id IN (SELECT id FROM title_top) AS in_title, score \
                          FROM scored \
                          UNION ALL SELECT id, t, 1, NULL FROM title_rest) \
                      ORDER BY in_title DESC, score IS NULL, score, t DESC, id DESC \
                      LIMIT ?{limit_n} OFFSET ?{offset_n}) \
             SELECT {ROW_COLUMNS} FROM page CROSS JOIN {ITEMS_STATE_FEEDS} WHERE i.id = page.id \
             ORDER BY page.in_title DESC, page.score IS NULL, page.score, page.t DESC, \
                      page.id DESC",
            ranked.candidates(&ranked.all, true),
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(values), item_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The matches after the candidates (newest first), from absolute position
    /// `position` of the ranked list: only when there are more matches than
    /// candidates.
    fn after_candidates(
        &self,
        mut ranked: Ranked,
        position: usize,
        limit: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        // The title expression is the last value bound, and this query has no use for it.
        let without_title = &ranked.compiled.values[..ranked.compiled.values.len() - 1];
        let full: i64 = self
            .conn
            .prepare(&format!(
                "SELECT COUNT(*) FROM ({})",
                ranked.candidates(&ranked.all, false)
            ))?
            .query_row(params_from_iter(without_title.iter()), |row| row.get(0))?;
        if full < to_i64(RANK_CANDIDATES) {
            // Every match was a candidate: the list ends here.
            return Ok(Vec::new());
        }
        let ranked_len: i64 = self
            .conn
            .prepare(&format!(
                "SELECT COUNT(*) FROM ({})",
                ranked.candidate_ids()
            ))?
            .query_row(params_from_iter(ranked.compiled.values.iter()), |row| {
                row.get(0)
            })?;
        let skip = to_i64(position).saturating_sub(ranked_len).max(0);
        let candidate_ids = ranked.candidate_ids();
        let compiled = &mut ranked.compiled;
        let skip = compiled.bind(Value::Integer(skip));
        let limit = compiled.bind(Value::Integer(to_i64(limit)));
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM {ITEMS_STATE_FEEDS} WHERE f.enabled = 1 AND {} \
             AND i.id IN (SELECT rowid FROM item_search WHERE item_search MATCH {}) \
             AND i.id NOT IN ({candidate_ids}) \
             ORDER BY i.sort_time DESC, i.id DESC LIMIT {limit} OFFSET {skip}",
            ranked.conditions, ranked.all
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(ranked.compiled.values), item_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Matches `offset..offset + limit` newest first (a query that does not rank).
    fn newest_first_at(
        &self,
        compiled: Compiled,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        let (sql, values, _) =
            self.newest_first_sql(compiled, offset, limit, super::search_date::DENSE_PROBE)?;
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(values), item_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

/// Whether SQL `conditions` read the items' alias `i` (`i.id`, `i.feed_id`,
/// `i.sort_time`): `i.` not inside a longer name.
fn reads_items(conditions: &str) -> bool {
    conditions.match_indices("i.").any(|(at, _)| {
        conditions[..at]
            .chars()
            .next_back()
            .is_none_or(|before| !(before.is_alphanumeric() || before == '_'))
    })
}

pub(super) fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::reads_items;

    #[test]
    fn conditions_that_read_the_item_are_told_apart() {
        assert!(reads_items("(i.feed_id IN (3, 4))"));
        assert!(reads_items("i.sort_time >= ?3"));
        assert!(reads_items(
            "EXISTS (SELECT 1 FROM tag_items t WHERE t.tag IN (?2) AND t.item_id = i.id)"
        ));
        assert!(!reads_items("1"));
        assert!(!reads_items("(st.read = 0 AND st.starred = 1)"));
        assert!(!reads_items("(st.read = 0 AND fi.x = 1 AND ai.y = 2)"));
    }
}
