//! A query evaluated against one item in memory, with no database: how the
//! refresh drops the items an `[[ignore]]` rule matches before storing them.
//!
//! It must select exactly what the SQL path (`store/search_sql.rs`) selects for
//! the same item, so each term follows what that path asks of FTS5 and SQLite:
//! a word is a prefix of a word in any indexed column (several tokens, as in
//! `e-mail`, are consecutive words of one column, the last a prefix); a phrase
//! is consecutive whole words of one column; `tag:` compares normalised tag
//! spellings; `feed:` is the URL (any case) or the title's word prefixes;
//! `after:`/`before:` compare the sort time. `tests/search/ignore_agrees.rs`
//! holds the two paths to the same answers.
//!
//! Pure: the caller gives the item's index text, made once by the same
//! [`super::index_text`] the index uses.

use memchr::memmem::Finder;

use super::ast::{Expr, Query, State, Term};
use super::words::{index_text, tokens};

/// A query made ready to test items: words normalised, dates resolved.
#[derive(Debug, Clone)]
pub struct Matcher {
    node: Option<Node>,
}

#[derive(Debug, Clone)]
enum Node {
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
    /// A word or phrase with no word in it: FTS5 is never asked, SQL says `0`.
    Nothing,
    /// Consecutive words within one column, the last one a prefix when `prefix`
    /// (a typed word), whole when not (a phrase). Held joined by single spaces,
    /// as the index text holds them, with their searcher made once (a refresh
    /// tests thousands of items).
    Words {
        finder: Box<Finder<'static>>,
        prefix: bool,
    },
    /// The `index_text` of the tag.
    Tag(String),
    /// `feed:`: the value in lowercase, and its words.
    Feed {
        lower: String,
        words: Vec<String>,
    },
    Is(State),
    /// Sort time at or after.
    After(i64),
    /// Sort time before.
    Before(i64),
}

/// The feed an item comes from, as `feed:` sees it: made once per feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedFacts {
    url_lower: String,
    title_words: Vec<String>,
}

impl FeedFacts {
    /// `url` and the title the feed is shown with (the user's, the feed's, else
    /// its URL).
    pub fn new(url: &str, title: &str) -> FeedFacts {
        FeedFacts {
            url_lower: url.to_lowercase(),
            title_words: tokens(title),
        }
    }
}

/// One item as the index and the tables hold it.
#[derive(Debug, Clone, Copy)]
pub struct ItemFacts<'a> {
    /// The index text ([`super::index_text`]) of each indexed column: title,
    /// text, author, feed title, tags. Words are separated by single spaces.
    pub columns: &'a [&'a str],
    /// The [`super::index_text`] of each of its tags (the feed's tags and the
    /// item's categories).
    pub tag_keys: &'a [String],
    /// Its feed.
    pub feed: &'a FeedFacts,
    /// The time it sorts by (Unix seconds).
    pub sort_time: i64,
    /// Read.
    pub read: bool,
    /// Starred.
    pub starred: bool,
}

impl Matcher {
    /// `query` with its dates read at `now` in the time zone `utc_offset` seconds
    /// east of UTC.
    pub fn new(query: &Query, now: i64, utc_offset: i64) -> Matcher {
        Matcher {
            node: query
                .expr
                .as_ref()
                .map(|expr| Node::of(expr, now, utc_offset)),
        }
    }

    /// Whether the query selects `item`. A query with no condition (only
    /// `sort:`) selects every item, as a search does.
    pub fn matches(&self, item: &ItemFacts<'_>) -> bool {
        self.node.as_ref().is_none_or(|node| node.matches(item))
    }
}

impl Node {
    fn of(expr: &Expr, now: i64, utc_offset: i64) -> Node {
        match expr {
            Expr::And(parts) => {
                Node::All(parts.iter().map(|p| Node::of(p, now, utc_offset)).collect())
            }
            Expr::Or(parts) => {
                Node::Any(parts.iter().map(|p| Node::of(p, now, utc_offset)).collect())
            }
            Expr::Not(inner) => Node::Not(Box::new(Node::of(inner, now, utc_offset))),
            Expr::Term(term) => Node::term(term, now, utc_offset),
        }
    }

    fn term(term: &Term, now: i64, utc_offset: i64) -> Node {
        match term {
            Term::Word(word) => {
                let words = tokens(word);
                if words.is_empty() {
                    Node::Nothing
                } else {
                    Node::words(&words.join(" "), true)
                }
            }
            Term::Phrase(phrase) => {
                let text = index_text(phrase);
                if text.is_empty() {
                    Node::Nothing
                } else {
                    Node::words(&text, false)
                }
            }
            Term::Tag(tag) => Node::Tag(index_text(tag)),
            Term::Feed(value) => Node::Feed {
                lower: value.to_lowercase(),
                words: tokens(value),
            },
            Term::Is(state) => Node::Is(*state),
            Term::After(date) => Node::After(date.to_unix(now, utc_offset)),
            Term::Before(date) => Node::Before(date.to_unix(now, utc_offset)),
        }
    }

    fn words(text: &str, prefix: bool) -> Node {
        Node::Words {
            finder: Box::new(Finder::new(text.as_bytes()).into_owned()),
            prefix,
        }
    }

    fn matches(&self, item: &ItemFacts<'_>) -> bool {
        match self {
            Node::All(parts) => parts.iter().all(|p| p.matches(item)),
            Node::Any(parts) => parts.iter().any(|p| p.matches(item)),
            Node::Not(inner) => !inner.matches(item),
            Node::Nothing => false,
            Node::Words { finder, prefix } => item
                .columns
                .iter()
                .any(|column| has_words(column, finder, *prefix)),
            Node::Tag(key) => item.tag_keys.iter().any(|tag| tag == key),
            Node::Feed { lower, words } => {
                item.feed.url_lower.contains(lower.as_str())
                    || (!words.is_empty()
                        && words.iter().all(|w| {
                            item.feed
                                .title_words
                                .iter()
                                .any(|t| t.starts_with(w.as_str()))
                        }))
            }
            Node::Is(State::Unread) => !item.read,
            Node::Is(State::Read) => item.read,
            Node::Is(State::Starred) => item.starred,
            Node::After(at) => item.sort_time >= *at,
            Node::Before(at) => item.sort_time < *at,
        }
    }
}

/// Whether `column` (words separated by single spaces) holds the words
/// `finder` looks for one after another, starting at a word, and ending at a
/// word's end unless the last is a `prefix`. A substring search instead of
/// splitting the column into words: the index text separates words by exactly
/// one space. Matches may overlap (`ab ab` in `xab ab ab` is found at the
/// second `ab`), so the search goes on one byte after each candidate.
fn has_words(column: &str, finder: &Finder<'_>, prefix: bool) -> bool {
    let bytes = column.as_bytes();
    let len = finder.needle().len();
    let mut from = 0;
    while let Some(found) = bytes.get(from..).and_then(|rest| finder.find(rest)) {
        let at = from + found;
        let end = at + len;
        let starts = at == 0 || bytes.get(at - 1) == Some(&b' ');
        if starts && (prefix || end == bytes.len() || bytes.get(end) == Some(&b' ')) {
            return true;
        }
        from = at + 1;
    }
    false
}

#[cfg(test)]
#[path = "eval_tests.rs"]
mod tests;
