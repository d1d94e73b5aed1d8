//! Compiles a [`Query`] to SQL over `items i`, their state `item_state st` and `feeds f`.
//!
//! The free words and phrases of the top-level conjunction become one FTS5 MATCH
//! expression that drives the query (ranked by bm25); every other condition
//! becomes SQL: `is:` on the item flags, `after:`/`before:` on the sort time,
//! `tag:` an index lookup per stored spelling with the same search key, `feed:`
//! the ids of the feeds whose URL or title matches (resolved here, there are few),
//! and words nested under `or`/`-` with other filters a MATCH subquery.

use std::collections::HashMap;

use rusqlite::types::Value;

use crate::query::{Expr, Query, State, Term, index_text, tokens};

/// A feed as `feed:` matches it: id, URL, title.
pub(super) type FeedName = (i64, String, String);

/// What a query needs from the database that is not in the query.
pub(super) struct Context<'a> {
    pub now: i64,
    pub utc_offset: i64,
    pub feeds: &'a [FeedName],
    /// Every stored tag spelling.
    pub tags: &'a [String],
    /// The indexed words each typed word starts (see `search_terms`); a word
    /// missing here has too many to list and uses FTS5's own prefix query.
    pub expansions: &'a HashMap<String, Vec<String>>,
}

/// The pieces of a compiled query.
#[derive(Debug, Default)]
pub(super) struct Compiled {
    /// The top-level FTS5 expression, when the query has words to match.
    pub fts: Option<String>,
    /// The same restricted to titles (ranks title matches first).
    pub fts_title: Option<String>,
    /// SQL conditions over `i` and `f`, all must hold.
    pub conditions: Vec<String>,
    /// Values for `?N` placeholders, in order.
    pub values: Vec<Value>,
    /// A top-level condition that a count can start from: see
    /// [`Compiled::led_by_a_set`].
    driver: Option<Driver>,
    /// Where a top-level `is:unread` is in `conditions`.
    unread_at: Option<usize>,
}

/// A top-level condition, by its place in `conditions`, and the same written
/// as `i.id IN (a set SQLite reads from an index)`.
#[derive(Debug)]
struct Driver {
    at: usize,
    sql: String,
    /// `is:starred`: few items, so it leads over a tag.
    starred: bool,
}

impl Compiled {
    pub fn bind(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("?{}", self.values.len())
    }

    /// Counts only: a top-level `is:starred`; else a top-level `is:unread`
    /// when `few_unread`; else the first top-level condition made only of
    /// `tag:` terms joined by `or`: tested as `i.id IN (the starred / unread
    /// items / the items under those tags)`, so that SQLite reads only those
    /// items instead of testing every item (a view's count at 1,000,000 items,
    /// BENCHMARKS.md). Lists keep the per-item test: they walk a date index
    /// (the items', or the unread state's when few are unread) and stop after
    /// a page.
    pub fn led_by_a_set(&mut self, few_unread: bool) {
        let starred = self.driver.as_ref().is_some_and(|d| d.starred);
        if !starred
            && few_unread
            && let Some(at) = self.unread_at
        {
            self.conditions[at] =
                "i.id IN (SELECT item_id FROM item_state WHERE read = 0)".to_string();
        } else if let Some(Driver { at, sql, .. }) = self.driver.take() {
            self.conditions[at] = sql;
        }
    }

    /// Whether the query has `is:unread` at its top level: a date-ordered page
    /// of it may walk the unread items only.
    pub fn unread_at_top(&self) -> bool {
        self.unread_at.is_some()
    }

    /// Whether [`Compiled::led_by_a_set`] would ask whether few items are unread.
    pub fn asks_for_unread(&self) -> bool {
        self.unread_at.is_some() && !self.driver.as_ref().is_some_and(|d| d.starred)
    }

    /// The conditions joined with AND, `1` when there are none.
    pub fn where_sql(&self) -> String {
        if self.conditions.is_empty() {
            "1".to_string()
        } else {
            balanced(&self.conditions, " AND ")
        }
    }
}

/// Compiles `query`.
pub(super) fn compile(query: &Query, ctx: &Context<'_>) -> Compiled {
    let mut out = Compiled::default();
    let Some(expr) = &query.expr else {
        return out;
    };
    let conjuncts: Vec<&Expr> = match expr {
        Expr::And(parts) => parts.iter().collect(),
        other => vec![other],
    };
    let mut positive = Vec::new();
    let mut negative = Vec::new();
    let mut rest = Vec::new();
    for part in conjuncts {
        if let Some(fts) = fts_expr(part, ctx) {
            positive.push(fts);
        } else if let Expr::Not(inner) = part
            && let Some(fts) = fts_expr(inner, ctx)
        {
            negative.push(fts);
        } else {
            rest.push(part);
        }
    }
    if positive.is_empty() {
        if !negative.is_empty() {
            let n = out.bind(Value::Text(negative.join(" OR ")));
            out.conditions.push(format!(
                "i.id NOT IN (SELECT rowid FROM item_search WHERE item_search MATCH {n})"
            ));
        }
    } else {
        let all = positive.join(" AND ");
        let (all, title) = if negative.is_empty() {
            (all.clone(), format!("{{title}} : ({all})"))
        } else {
            let not = negative.join(" OR ");
            (
                format!("({all}) NOT ({not})"),
                format!("({{title}} : ({all})) NOT ({not})"),
            )
        };
        out.fts = Some(all);
        out.fts_title = Some(title);
    }
    for part in rest {
        let bound_before = out.values.len();
        let sql = condition(part, ctx, &mut out);
        if matches!(part, Expr::Term(Term::Is(State::Unread))) && out.unread_at.is_none() {
            out.unread_at = Some(out.conditions.len());
        }
        if matches!(part, Expr::Term(Term::Is(State::Starred)))
            && !out.driver.as_ref().is_some_and(|d| d.starred)
        {
            out.driver = Some(Driver {
                at: out.conditions.len(),
                sql: "i.id IN (SELECT item_id FROM item_state WHERE starred = 1)".to_string(),
                starred: true,
            });
        } else if out.driver.is_none() && only_tags(part) {
            // A tag with no stored spelling bound nothing: it matches nothing.
            let spellings: Vec<String> = (bound_before + 1..=out.values.len())
                .map(|n| format!("?{n}"))
                .collect();
            let driver = if spellings.is_empty() {
                "0".to_string()
            } else {
                format!(
                    "i.id IN (SELECT item_id FROM tag_items WHERE tag IN ({}))",
                    spellings.join(", ")
                )
            };
            out.driver = Some(Driver {
                at: out.conditions.len(),
                sql: driver,
                starred: false,
            });
        }
        out.conditions.push(sql);
    }
    out
}

/// Whether `expr` is `tag:` terms joined by `or` (one or more).
fn only_tags(expr: &Expr) -> bool {
    match expr {
        Expr::Term(Term::Tag(_)) => true,
        Expr::Or(parts) => parts.iter().all(only_tags),
        _ => false,
    }
}

/// The FTS5 expression of a subtree made only of words and phrases (with `or`,
/// nested `and`, and `-` inside an `and` that also has a positive part).
fn fts_expr(expr: &Expr, ctx: &Context<'_>) -> Option<String> {
    match expr {
        Expr::Term(Term::Word(word)) => {
            let tokens = tokens(word);
            if let [token] = tokens.as_slice()
                && let Some(words) = ctx.expansions.get(token)
            {
                return Some(match words.as_slice() {
                    // Not a word of any item: matches nothing.
                    [] => format!("\"{token}\""),
                    [one] => format!("\"{one}\""),
                    many => {
                        let quoted: Vec<String> = many.iter().map(|t| format!("\"{t}\"")).collect();
                        format!("({})", quoted.join(" OR "))
                    }
                });
            }
            let quoted: Vec<String> = tokens.iter().map(|t| format!("\"{t}\"")).collect();
            (!quoted.is_empty()).then(|| format!("{}*", quoted.join(" + ")))
        }
        Expr::Term(Term::Phrase(phrase)) => {
            let text = index_text(phrase);
            (!text.is_empty()).then(|| format!("\"{text}\""))
        }
        Expr::Term(_) => None,
        Expr::Or(parts) => {
            let parts: Option<Vec<String>> = parts.iter().map(|p| fts_expr(p, ctx)).collect();
            Some(format!("({})", parts?.join(" OR ")))
        }
        Expr::And(parts) => {
            let mut positive = Vec::new();
            let mut negative = Vec::new();
            for part in parts {
                match part {
                    Expr::Not(inner) => negative.push(fts_expr(inner, ctx)?),
                    other => positive.push(fts_expr(other, ctx)?),
                }
            }
            if positive.is_empty() {
                return None;
            }
            let all = positive.join(" AND ");
            Some(if negative.is_empty() {
                format!("({all})")
            } else {
                format!("(({all}) NOT ({}))", negative.join(" OR "))
            })
        }
        Expr::Not(_) => None,
    }
}

/// An SQL condition for any subtree.
fn condition(expr: &Expr, ctx: &Context<'_>, out: &mut Compiled) -> String {
    if let Some(fts) = fts_expr(expr, ctx) {
        let n = out.bind(Value::Text(fts));
        return format!("i.id IN (SELECT rowid FROM item_search WHERE item_search MATCH {n})");
    }
    match expr {
        Expr::And(parts) => {
            let parts: Vec<String> = parts.iter().map(|p| condition(p, ctx, out)).collect();
            balanced(&parts, " AND ")
        }
        Expr::Or(parts) => {
            let parts: Vec<String> = parts.iter().map(|p| condition(p, ctx, out)).collect();
            balanced(&parts, " OR ")
        }
        Expr::Not(inner) => format!("NOT {}", condition(inner, ctx, out)),
        Expr::Term(term) => term_condition(term, ctx, out),
    }
}

/// Conditions joined by `op` (` AND ` or ` OR `) in parentheses. SQLite nests
/// a chain of `OR`s one level per operand and refuses an expression deeper
/// than 1,000 levels, so a long chain is grouped into halves: a view of a
/// thousand tags (`tag:a or tag:b or …`) nests a dozen levels, not a thousand.
fn balanced(parts: &[String], op: &str) -> String {
    const CHAIN: usize = 16;
    if parts.len() <= CHAIN {
        return format!("({})", parts.join(op));
    }
    let (left, right) = parts.split_at(parts.len() / 2);
    format!("({}{op}{})", balanced(left, op), balanced(right, op))
}

fn term_condition(term: &Term, ctx: &Context<'_>, out: &mut Compiled) -> String {
    match term {
        // Handled by `fts_expr`; kept total for safety.
        Term::Word(_) | Term::Phrase(_) => "0".to_string(),
        Term::Is(State::Unread) => "st.read = 0".to_string(),
        Term::Is(State::Read) => "st.read = 1".to_string(),
        Term::Is(State::Starred) => "st.starred = 1".to_string(),
        Term::After(date) => {
            let n = out.bind(Value::Integer(date.to_unix(ctx.now, ctx.utc_offset)));
            format!("i.sort_time >= {n}")
        }
        Term::Before(date) => {
            let n = out.bind(Value::Integer(date.to_unix(ctx.now, ctx.utc_offset)));
            format!("i.sort_time < {n}")
        }
        Term::Tag(tag) => {
            let spellings = tag_spellings(tag, ctx.tags);
            if spellings.is_empty() {
                return "0".to_string();
            }
            let list: Vec<String> = spellings
                .into_iter()
                .map(|t| out.bind(Value::Text(t.to_string())))
                .collect();
            format!(
                "EXISTS (SELECT 1 FROM tag_items t WHERE t.tag IN ({}) AND t.item_id = i.id)",
                list.join(", ")
            )
        }
        Term::Feed(value) => {
            let ids: Vec<String> = matching_feeds(value, ctx.feeds)
                .into_iter()
                .map(|id| id.to_string())
                .collect();
            if ids.is_empty() {
                "0".to_string()
            } else {
                format!("i.feed_id IN ({})", ids.join(", "))
            }
        }
    }
}

/// The single-token words of `expr` (as the index spells them): what
/// [`Context::expansions`] needs.
pub(super) fn prefix_words(expr: &Expr, out: &mut Vec<String>) {
    match expr {
        Expr::And(parts) | Expr::Or(parts) => parts.iter().for_each(|p| prefix_words(p, out)),
        Expr::Not(inner) => prefix_words(inner, out),
        Expr::Term(Term::Word(word)) => {
            if let [token] = tokens(word).as_slice()
                && !out.contains(token)
            {
                out.push(token.clone());
            }
        }
        Expr::Term(_) => {}
    }
}

/// The stored tags a user typing `tag` means: the same words once normalised.
pub(super) fn tag_spellings<'t>(tag: &str, tags: &'t [String]) -> Vec<&'t str> {
    let key = index_text(tag);
    tags.iter()
        .filter(|stored| index_text(stored) == key)
        .map(String::as_str)
        .collect()
}

/// Feeds whose URL contains `value` (any case), or whose title has words
/// starting with each of `value`'s words.
pub(super) fn matching_feeds(value: &str, feeds: &[FeedName]) -> Vec<i64> {
    let lower = value.to_lowercase();
    let wanted = tokens(value);
    feeds
        .iter()
        .filter(|(_, url, title)| {
            url.to_lowercase().contains(&lower) || {
                let words = tokens(title);
                !wanted.is_empty()
                    && wanted
                        .iter()
                        .all(|w| words.iter().any(|t| t.starts_with(w.as_str())))
            }
        })
        .map(|(id, _, _)| *id)
        .collect()
}
