//! The syntax tree of a query: what [`super::parse`] builds and
//! [`std::fmt::Display`] prints back.

use chrono::NaiveDate;

use crate::text::jalali::JalaliDate;

/// A whole query: an optional filter expression and the order of results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// `None` for a query that only sets the order (`sort:date`): every item.
    pub expr: Option<Expr>,
    /// `sort:date` orders by date only; otherwise text matches rank by relevance.
    pub sort: Sort,
}

/// The order results come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// bm25 (title above body), then newest; newest first when no word is searched.
    #[default]
    Relevance,
    /// Newest first only (`sort:date`).
    Date,
}

/// A filter expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// Every part matches (juxtaposition or `and`); two or more parts.
    And(Vec<Expr>),
    /// Any part matches (`or`); two or more parts.
    Or(Vec<Expr>),
    /// The part does not match (`-`).
    Not(Box<Expr>),
    /// A single condition.
    Term(Term),
}

/// One condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A free word: matches words that start with it (prefix), anywhere in the item.
    Word(String),
    /// A quoted phrase: its words, in order.
    Phrase(String),
    /// `tag:x`: a feed tag or an item category, Persian-normalised.
    Tag(String),
    /// `feed:x`: a feed whose URL contains `x` or whose title contains its words.
    Feed(String),
    /// `is:unread`, `is:read`, `is:starred`.
    Is(State),
    /// `after:date`: on or after the start of that day (or that long ago).
    After(DateSpec),
    /// `before:date`: before the start of that day (or that long ago).
    Before(DateSpec),
}

/// Read/starred state for `is:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Not read yet.
    Unread,
    /// Read.
    Read,
    /// Starred.
    Starred,
}

/// A date as the user wrote it; the calendar is kept so the query prints back
/// the way it was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSpec {
    /// A Gregorian day (`2024-08-01`).
    Gregorian(NaiveDate),
    /// A Jalali day (`1403/05/01`).
    Jalali(JalaliDate),
    /// A span back from now (`7d`, `2w`).
    Ago(u32, AgoUnit),
}

/// Unit of a relative date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgoUnit {
    /// `d`
    Days,
    /// `w`
    Weeks,
}

impl Query {
    /// This query with `extra` conditions added to its top-level `and`.
    pub fn and_also(mut self, extra: Vec<Expr>) -> Query {
        if extra.is_empty() {
            return self;
        }
        let mut parts: Vec<Expr> = match self.expr.take() {
            Some(Expr::And(parts)) => parts,
            Some(other) => vec![other],
            None => Vec::new(),
        };
        parts.extend(extra);
        self.expr = Some(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        });
        self
    }

    /// The free words and phrases that must match (not under `-`): what to
    /// highlight and what the snippet shows.
    pub fn positive_text(&self) -> Vec<&Term> {
        let mut out = Vec::new();
        if let Some(expr) = &self.expr {
            collect_positive(expr, &mut out);
        }
        out
    }

    /// Whether its matches come ranked (bm25, title above body) rather than
    /// newest first: it searches words and has no `sort:date`.
    pub fn ranks(&self) -> bool {
        self.sort == Sort::Relevance && self.has_text()
    }

    /// Whether any free word or phrase appears (under `-` or not).
    pub fn has_text(&self) -> bool {
        fn walk(expr: &Expr) -> bool {
            match expr {
                Expr::And(parts) | Expr::Or(parts) => parts.iter().any(walk),
                Expr::Not(inner) => walk(inner),
                Expr::Term(term) => matches!(term, Term::Word(_) | Term::Phrase(_)),
            }
        }
        self.expr.as_ref().is_some_and(walk)
    }
}

fn collect_positive<'q>(expr: &'q Expr, out: &mut Vec<&'q Term>) {
    match expr {
        Expr::And(parts) | Expr::Or(parts) => {
            for part in parts {
                collect_positive(part, out);
            }
        }
        Expr::Not(_) => {}
        Expr::Term(term @ (Term::Word(_) | Term::Phrase(_))) => out.push(term),
        Expr::Term(_) => {}
    }
}

impl DateSpec {
    /// The Unix time this date stands for: the start of the day in the time zone
    /// `utc_offset` seconds east of UTC, or `now` minus the span.
    pub fn to_unix(&self, now: i64, utc_offset: i64) -> i64 {
        match self {
            DateSpec::Gregorian(day) => start_of_day(*day, utc_offset),
            DateSpec::Jalali(day) => super::date::jalali_to_gregorian(*day)
                .map_or(now, |day| start_of_day(day, utc_offset)),
            DateSpec::Ago(n, unit) => {
                let days = match unit {
                    AgoUnit::Days => i64::from(*n),
                    AgoUnit::Weeks => i64::from(*n) * 7,
                };
                now.saturating_sub(days.saturating_mul(86_400))
            }
        }
    }
}

fn start_of_day(day: NaiveDate, utc_offset: i64) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp())
        .saturating_sub(utc_offset)
}
