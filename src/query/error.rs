//! What can be wrong with a query, as data: the parser's errors carry a kind
//! (with the words it is about) beside the English message, so the reader can
//! say it in the interface's language (`tui::i18n`) with the same column.

use std::fmt;

use super::date::DateError;
use super::parser::MAX_NESTING;

/// What a filter is missing its value for (`after:` with nothing after it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Needed {
    /// `tag:`: a tag name.
    TagName,
    /// `feed:`: a URL or title words.
    FeedValue,
    /// `is:`: unread, read or starred.
    State,
    /// `after:` / `before:` (the key): a date.
    Date(&'static str),
    /// `sort:`: date or relevance.
    Sort,
}

/// What is wrong with a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// Nothing to search for.
    Empty,
    /// `-` with no term right after it.
    MinusNeedsTerm,
    /// `word:` that is no filter.
    UnknownFilter(String),
    /// A `"` with no closing one.
    QuoteNotClosed,
    /// A `(` with no `)`.
    ParenNotClosed,
    /// A `)` with no `(`.
    ParenClosesNothing,
    /// `()`.
    EmptyParens,
    /// `or` without a term on a side.
    OrNeedsTerms,
    /// `and` without a term on a side.
    AndNeedsTerms,
    /// The query ends where a term should be.
    TermMissing,
    /// More than [`MAX_NESTING`] levels of `-` and `(`.
    TooDeep,
    /// A word with no letter or digit.
    WordNotSearchable(String),
    /// A phrase with no letter or digit.
    PhraseNotSearchable,
    /// A filter without its value.
    Needs(Needed),
    /// `is:` with another value.
    BadState(String),
    /// `sort:` with another value.
    BadSort(String),
    /// `sort:` twice.
    SortTwice,
    /// `sort:` as a side of `or`.
    SortInOr,
    /// `sort:` inside parentheses or after `-`.
    SortNested,
    /// `after:` / `before:` (the key) with a value that is no date.
    BadDate(&'static str, DateError),
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Empty => f.write_str("the query is empty"),
            ErrorKind::MinusNeedsTerm => f.write_str("\"-\" needs a term right after it"),
            ErrorKind::UnknownFilter(word) => write!(
                f,
                "unknown filter \"{word}:\" (known: tag:, feed:, is:, after:, before:, sort:)"
            ),
            ErrorKind::QuoteNotClosed => f.write_str("this quote is never closed"),
            ErrorKind::ParenNotClosed => f.write_str("this \"(\" is never closed"),
            ErrorKind::ParenClosesNothing => f.write_str("this \")\" closes no \"(\""),
            ErrorKind::EmptyParens => f.write_str("these parentheses are empty"),
            ErrorKind::OrNeedsTerms => f.write_str("\"or\" needs a term on each side"),
            ErrorKind::AndNeedsTerms => f.write_str("\"and\" needs a term on each side"),
            ErrorKind::TermMissing => f.write_str("a term is missing"),
            ErrorKind::TooDeep => {
                write!(f, "the query nests more than {MAX_NESTING} levels deep")
            }
            ErrorKind::WordNotSearchable(word) => {
                write!(f, "\"{word}\" has no letters or digits to search for")
            }
            ErrorKind::PhraseNotSearchable => {
                f.write_str("this phrase has no letters or digits to search for")
            }
            ErrorKind::Needs(Needed::TagName) => f.write_str("tag: needs a tag name"),
            ErrorKind::Needs(Needed::FeedValue) => f.write_str("feed: needs a URL or title words"),
            ErrorKind::Needs(Needed::State) => f.write_str("is: needs unread, read or starred"),
            ErrorKind::Needs(Needed::Date(key)) => write!(f, "{key}: needs a date"),
            ErrorKind::Needs(Needed::Sort) => f.write_str("sort: needs date or relevance"),
            ErrorKind::BadState(value) => {
                write!(f, "is: can be unread, read or starred, not \"{value}\"")
            }
            ErrorKind::BadSort(value) => {
                write!(f, "sort: can be date or relevance, not \"{value}\"")
            }
            ErrorKind::SortTwice => f.write_str("sort: is given twice"),
            ErrorKind::SortInOr => {
                f.write_str("sort: applies to the whole query and cannot be part of \"or\"")
            }
            ErrorKind::SortNested => f.write_str(
                "sort: applies to the whole query; put it outside parentheses, \"or\" and \"-\"",
            ),
            ErrorKind::BadDate(key, error) => write!(f, "{key}: {error}"),
        }
    }
}
