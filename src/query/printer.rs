//! Prints a [`Query`] back as query text that parses to the same tree: what a
//! saved view stores and what the reader shows.

use std::fmt;

use super::ast::{Expr, Query, Sort, State, Term};
use super::date::format_date;

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(expr) = &self.expr {
            write!(f, "{expr}")?;
            if self.sort == Sort::Date {
                f.write_str(" ")?;
            }
        }
        if self.sort == Sort::Date {
            f.write_str("sort:date")?;
        }
        Ok(())
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::And(parts) => {
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    // `or` binds tighter than juxtaposition: only a nested `and` needs parentheses.
                    match part {
                        Expr::And(_) => write!(f, "({part})")?,
                        _ => write!(f, "{part}")?,
                    }
                }
                Ok(())
            }
            Expr::Or(parts) => {
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" or ")?;
                    }
                    match part {
                        Expr::And(_) | Expr::Or(_) => write!(f, "({part})")?,
                        _ => write!(f, "{part}")?,
                    }
                }
                Ok(())
            }
            Expr::Not(inner) => match inner.as_ref() {
                Expr::And(_) | Expr::Or(_) => write!(f, "-({inner})"),
                _ => write!(f, "-{inner}"),
            },
            Expr::Term(term) => write!(f, "{term}"),
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Word(word) => f.write_str(word),
            Term::Phrase(phrase) => write!(f, "\"{phrase}\""),
            Term::Tag(tag) => write!(f, "tag:{}", value(tag)),
            Term::Feed(feed) => write!(f, "feed:{}", value(feed)),
            Term::Is(State::Unread) => f.write_str("is:unread"),
            Term::Is(State::Read) => f.write_str("is:read"),
            Term::Is(State::Starred) => f.write_str("is:starred"),
            Term::After(date) => write!(f, "after:{}", format_date(date)),
            Term::Before(date) => write!(f, "before:{}", format_date(date)),
        }
    }
}

/// A filter value, quoted when it holds a space or a character that would end it.
fn value(text: &str) -> String {
    let plain = !text.is_empty()
        && !text
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '"'));
    if plain {
        text.to_string()
    } else {
        format!("\"{text}\"")
    }
}
