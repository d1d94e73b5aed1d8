//! Reading lists of items: newest-first keyset paging on `(sort_time, id)` through
//! the index that matches the scope (everything, a feed, a tag; unread or starred
//! only), counts, and one item in full.
//!
//! The joins are written `CROSS JOIN` on purpose: SQLite then keeps the written
//! order, drives the query from the item index in sort order and stops after
//! `LIMIT` rows, instead of choosing to read a whole feed or tag and sort it.
//! `tests/store.rs` checks the plans with `EXPLAIN QUERY PLAN`.

use std::collections::BTreeSet;

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params_from_iter};

use super::{
    Cursor, FeedId, ItemDetail, ItemId, ItemQuery, ItemRow, Store, StoreError, direction_from_sql,
};
use crate::core::Enclosure;

/// Which way a page runs from its bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    NewestFirst,
    OldestFirst,
}

/// The FROM and WHERE of a query over `query`'s scope, with the columns that hold
/// the sort key, and the values to bind, in order.
pub(super) struct Scope {
    /// Items with their state (`st`) and feed (`f`), and the conditions.
    pub from_where: String,
    /// The same rows without the `items` table when the scope's driver is not
    /// `items` (a count or a set of ids needs no title); `id_col` names the id
    /// in both.
    pub state_from_where: String,
    pub time_col: &'static str,
    pub id_col: &'static str,
    pub values: Vec<Value>,
}

/// `items i` with its state `st` and feed `f`, driven by the items' own order
/// (every query that selects [`ROW_COLUMNS`] outside a [`Scope`]).
pub(super) const ITEMS_STATE_FEEDS: &str = "items i CROSS JOIN item_state st ON st.item_id = i.id \
     CROSS JOIN feeds f ON f.id = i.feed_id";

/// Each item's state `st` and feed `f` without the item itself: for a query
/// whose conditions read neither the item's columns nor `i.id`
/// (`st.item_id`, `st.feed_id` and `st.sort_time` are the item's).
pub(super) const STATE_FEEDS: &str = "item_state st CROSS JOIN feeds f ON f.id = st.feed_id";

/// The same rows driven by the unread state's order: with `st.read = 0` among
/// the conditions SQLite walks the `state_unread_by_time` partial index, only
/// the unread items (`st.sort_time` and `st.item_id` are the item's).
pub(super) const STATE_ITEMS_FEEDS: &str = "item_state st CROSS JOIN items i ON i.id = st.item_id \
     CROSS JOIN feeds f ON f.id = i.feed_id";

impl Scope {
    pub(super) fn new(query: &ItemQuery) -> Scope {
        let mut values = Vec::new();
        let mut conditions = Vec::new();
        // The driver is the index that holds the scope in sort order: a tag's
        // rows, the unread or starred state (its partial indexes), else the
        // items. `items` comes last when it is not the driver, after the
        // conditions on state and feed have dropped what they drop.
        let (from, items, time_col, id_col, feed_col) = if let Some(tag) = &query.tag {
            values.push(Value::Text(tag.clone()));
            conditions.push(format!("t.tag = ?{}", values.len()));
            (
                "tag_items t CROSS JOIN item_state st ON st.item_id = t.item_id \
                 CROSS JOIN feeds f ON f.id = st.feed_id",
                " CROSS JOIN items i ON i.id = t.item_id",
                "t.sort_time",
                "t.item_id",
                "st.feed_id",
            )
        } else if query.unread_only || query.starred_only {
            (
                "item_state st CROSS JOIN feeds f ON f.id = st.feed_id",
                " CROSS JOIN items i ON i.id = st.item_id",
                "st.sort_time",
                "st.item_id",
                "st.feed_id",
            )
        } else {
            (ITEMS_STATE_FEEDS, "", "i.sort_time", "i.id", "i.feed_id")
        };
        match query.feed {
            Some(feed) => {
                values.push(Value::Integer(feed));
                conditions.push(format!("{feed_col} = ?{}", values.len()));
            }
            // A disabled feed's items stay in the database but out of the lists.
            None => conditions.push("f.enabled = 1".to_string()),
        }
        // Literal `read = 0` / `starred = 1` so SQLite can pick the partial indexes.
        if query.unread_only && query.starred_only {
            // The few starred rows are walked and tested: with a plain `read =
            // 0` SQLite walked the unread index instead, every unread item to
            // find the starred ones (the Starred entry's unread count: 29 ms at
            // 100,000 items on every feed-screen load). The `+` keeps the term
            // from choosing an index; a named index would not do, as an older
            // file opened read-only has `item_state` as a view.
            conditions.push("+st.read = 0".to_string());
        } else if query.unread_only {
            conditions.push("st.read = 0".to_string());
        }
        if query.starred_only {
            conditions.push("st.starred = 1".to_string());
        }
        let conditions = conditions.join(" AND ");
        Scope {
            from_where: format!("{from}{items} WHERE {conditions}"),
            state_from_where: format!("{from} WHERE {conditions}"),
            time_col,
            id_col,
            values,
        }
    }

    fn next_param(&self) -> usize {
        self.values.len() + 1
    }
}

pub(super) const ROW_COLUMNS: &str = "i.id, i.feed_id, COALESCE(f.user_title, f.feed_title, f.url), i.title, \
     i.link, i.sort_time, st.read, st.starred, COALESCE(i.language, f.language), f.direction";

/// The SQL and parameters of one page.
pub(super) fn page_sql(
    query: &ItemQuery,
    order: Order,
    bound: Option<Cursor>,
    limit: usize,
) -> (String, Vec<Value>) {
    let mut scope = Scope::new(query);
    let (cmp, dir) = match order {
        Order::NewestFirst => ("<", "DESC"),
        Order::OldestFirst => (">", "ASC"),
    };
    let mut sql = format!("SELECT {ROW_COLUMNS} FROM {}", scope.from_where);
    if let Some((time, id)) = bound {
        let n = scope.next_param();
        sql.push_str(&format!(
            " AND ({}, {}) {cmp} (?{n}, ?{})",
            scope.time_col,
            scope.id_col,
            n + 1
        ));
        scope.values.push(Value::Integer(time));
        scope.values.push(Value::Integer(id));
    }
    let n = scope.next_param();
    sql.push_str(&format!(
        " ORDER BY {} {dir}, {} {dir} LIMIT ?{n}",
        scope.time_col, scope.id_col
    ));
    scope
        .values
        .push(Value::Integer(limit.min(i64::MAX as usize) as i64));
    (sql, scope.values)
}

pub(super) fn item_row(row: &Row<'_>) -> rusqlite::Result<ItemRow> {
    let direction: String = row.get(9)?;
    Ok(ItemRow {
        id: row.get(0)?,
        feed_id: row.get(1)?,
        feed_title: row.get(2)?,
        title: row.get(3)?,
        link: row.get(4)?,
        sort_time: row.get(5)?,
        read: row.get(6)?,
        starred: row.get(7)?,
        language: row.get(8)?,
        direction: direction_from_sql(&direction),
    })
}

impl Store {
    /// The tags as stored that a user typing `tag` means: `tag` itself when some
    /// item has it, else every stored tag with the same Persian search key (Arabic
    /// Yeh/Kaf vs Persian, ZWNJ, digits, case), so `--tag فناوری` finds a feed that
    /// writes `فناوري`. Walks the distinct tags through the tag index (one index
    /// seek per distinct tag), never the tagged rows.
    pub fn tag_spellings(&self, tag: &str) -> Result<Vec<String>, StoreError> {
        let exact: Option<i64> = self
            .conn
            .query_row(
                "SELECT 1 FROM tag_items WHERE tag = ?1 LIMIT 1",
                [tag],
                |row| row.get(0),
            )
            .optional()?;
        if exact.is_some() {
            return Ok(vec![tag.to_string()]);
        }
        let key = crate::text::persian::search_key(tag);
        let mut stmt = self.conn.prepare_cached(
            "WITH RECURSIVE t(tag) AS ( \
                 SELECT MIN(tag) FROM tag_items \
                 UNION ALL \
                 SELECT (SELECT MIN(tag) FROM tag_items WHERE tag > t.tag) FROM t \
                 WHERE t.tag IS NOT NULL) \
             SELECT tag FROM t WHERE tag IS NOT NULL",
        )?;
        let tags = stmt.query_map([], |row| row.get::<_, String>(0))?;
        let mut out = Vec::new();
        for stored in tags {
            let stored = stored?;
            if crate::text::persian::search_key(&stored) == key {
                out.push(stored);
            }
        }
        Ok(out)
    }

    fn page(
        &self,
        query: &ItemQuery,
        order: Order,
        bound: Option<Cursor>,
        limit: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let (sql, values) = page_sql(query, order, bound, limit);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt
            .query_map(params_from_iter(values), item_row)?
            .collect::<Result<Vec<_>, _>>()?;
        if order == Order::OldestFirst {
            rows.reverse();
        }
        Ok(rows)
    }

    /// Newest-first page of items matching `query`, strictly after `after`
    /// (or from the top when `None`).
    pub fn items_after(
        &self,
        query: &ItemQuery,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        self.page(query, Order::NewestFirst, after, limit)
    }

    /// The page just before `before`, returned newest first (for scrolling up).
    pub fn items_before(
        &self,
        query: &ItemQuery,
        before: Cursor,
        limit: usize,
    ) -> Result<Vec<ItemRow>, StoreError> {
        self.page(query, Order::OldestFirst, Some(before), limit)
    }

    /// The `limit` oldest items of `query`, returned newest first (for `G`).
    pub fn items_last(&self, query: &ItemQuery, limit: usize) -> Result<Vec<ItemRow>, StoreError> {
        self.page(query, Order::OldestFirst, None, limit)
    }

    /// How many items match. Reads no items: everything or a feed sums the
    /// per-feed counters, a tag the per-feed-and-tag counters (`feed_tag_counts`,
    /// which hold the items of feeds with that tag and the items with it as their
    /// own category alike). Only `starred_only` counts items one by one (there
    /// are few).
    pub fn count_items(&self, query: &ItemQuery) -> Result<u64, StoreError> {
        if query.starred_only {
            return self.count_rows(query);
        }
        if let Some(tag) = &query.tag {
            return self.count_tag(tag, query.feed, query.unread_only);
        }
        let column = if query.unread_only {
            "unread_count"
        } else {
            "total_count"
        };
        let counted: i64 = match query.feed {
            Some(feed) => self
                .conn
                .prepare_cached(&format!("SELECT {column} FROM feeds WHERE id = ?1"))?
                .query_row([feed], |row| row.get(0))
                .optional()?
                .unwrap_or(0),
            None => self
                .conn
                .prepare_cached(&format!(
                    "SELECT COALESCE(SUM({column}), 0) FROM feeds WHERE enabled = 1"
                ))?
                .query_row([], |row| row.get(0))?,
        };
        Ok(counted.max(0) as u64)
    }

    /// Items with `tag` (of one feed, or of every enabled feed): a sum over the
    /// feeds' rows of `feed_tag_counts`, a few hundred rows at most. Counting
    /// the tag's items instead cost ~80 ms at 100,000 items for the feed screen's
    /// dozen tags, on every start and every reload.
    fn count_tag(
        &self,
        tag: &str,
        feed: Option<FeedId>,
        unread_only: bool,
    ) -> Result<u64, StoreError> {
        let column = if unread_only { "c.unread" } else { "c.total" };
        let counted: i64 = match feed {
            Some(feed) => self
                .conn
                .prepare_cached(&format!(
                    "SELECT COALESCE(SUM({column}), 0) FROM feed_tag_counts c \
                     WHERE c.tag = ?1 AND c.feed_id = ?2"
                ))?
                .query_row(rusqlite::params![tag, feed], |row| row.get(0))?,
            None => self
                .conn
                .prepare_cached(&format!(
                    "SELECT COALESCE(SUM({column}), 0) FROM feed_tag_counts c \
                     CROSS JOIN feeds f ON f.id = c.feed_id \
                     WHERE c.tag = ?1 AND f.enabled = 1"
                ))?
                .query_row([tag], |row| row.get(0))?,
        };
        Ok(counted.max(0) as u64)
    }

    /// Counts the rows of `query`'s scope one by one.
    fn count_rows(&self, query: &ItemQuery) -> Result<u64, StoreError> {
        let scope = Scope::new(query);
        let sql = format!("SELECT COUNT(*) FROM {}", scope.state_from_where);
        let count: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(scope.values), |row| row.get(0))?;
        Ok(count.max(0) as u64)
    }

    /// Unread items in enabled feeds. Fast at any size (`khabar unread` in a status bar).
    pub fn unread_count(&self) -> Result<u64, StoreError> {
        self.count_items(&ItemQuery {
            unread_only: true,
            ..ItemQuery::default()
        })
    }

    /// SQLite's `PRAGMA data_version`: it changes when another connection (a
    /// cron `khabar refresh`, a sync, `khabar mark-read`) commits, never for
    /// this connection's own writes. The reader polls it to see the database
    /// changed under it; reading it touches no table.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |row| row.get(0))?)
    }

    /// One item in full, with its tags and enclosures; `None` if it is gone.
    pub fn item(&self, id: ItemId) -> Result<Option<ItemDetail>, StoreError> {
        let sql = format!(
            "SELECT {ROW_COLUMNS}, f.url, i.author, c.summary, c.content_html, i.published \
             FROM {ITEMS_STATE_FEEDS} \
             LEFT JOIN item_content c ON c.item_id = i.id WHERE i.id = ?1"
        );
        let detail = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], |row| {
                Ok(ItemDetail {
                    row: item_row(row)?,
                    feed_url: row.get(10)?,
                    author: row.get(11)?,
                    summary: row.get(12)?,
                    content_html: row.get(13)?,
                    published: row.get(14)?,
                    tags: Vec::new(),
                    enclosures: Vec::new(),
                    ..Default::default()
                })
            })
            .optional()?;
        let Some(mut detail) = detail else {
            return Ok(None);
        };
        detail.tags = self.item_tags(id, detail.row.feed_id)?;
        detail.enclosures = self
            .conn
            .prepare_cached(
                "SELECT url, mime_type, length, title, duration FROM enclosures \
                 WHERE item_id = ?1 ORDER BY position",
            )?
            .query_map([id], |row| {
                Ok(Enclosure {
                    url: row.get(0)?,
                    mime_type: row.get(1)?,
                    length: row.get::<_, Option<i64>>(2)?.map(|len| len.max(0) as u64),
                    title: row.get(3)?,
                    duration: row.get::<_, Option<i64>>(4)?.map(|secs| secs.max(0) as u64),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(Some(detail))
    }

    /// The feed's tags, then the item's own categories, without duplicates.
    fn item_tags(&self, id: ItemId, feed: i64) -> Result<Vec<String>, StoreError> {
        let mut tags = super::feeds::feed_tags(&self.conn, feed)?;
        let categories: Vec<String> = self
            .conn
            .prepare_cached("SELECT tag FROM item_categories WHERE item_id = ?1 ORDER BY tag")?
            .query_map([id], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let mut seen: BTreeSet<String> = tags.iter().cloned().collect();
        for tag in categories {
            if seen.insert(tag.clone()) {
                tags.push(tag);
            }
        }
        Ok(tags)
    }
}

/// `EXPLAIN QUERY PLAN` of one page query, one line per plan step, for the test
/// and the benchmark that check no list sorts or scans the whole table.
#[doc(hidden)]
pub fn explain_page(
    conn: &rusqlite::Connection,
    query: &ItemQuery,
    newest_first: bool,
    bound: Option<Cursor>,
) -> rusqlite::Result<Vec<String>> {
    let order = if newest_first {
        Order::NewestFirst
    } else {
        Order::OldestFirst
    };
    let (sql, values) = page_sql(query, order, bound, 50);
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    stmt.query_map(params_from_iter(values), |row| row.get::<_, String>(3))?
        .collect()
}
