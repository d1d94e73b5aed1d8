//! Tokens to a [`Query`]: recursive descent over the grammar in the module doc,
//! every error with the column it is about.

use std::fmt;

use super::ast::{Expr, Query, Sort, State, Term};
use super::date::parse_date;
use super::lexer::{Spanned, Token, lex};

/// What is wrong with a query and where (1-based column, in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong, e.g. `after: needs a date`.
    pub message: String,
    /// Where: the first character of the offending part, counted from 1.
    pub column: usize,
}

impl ParseError {
    pub(super) fn new(message: impl Into<String>, column: usize) -> ParseError {
        ParseError {
            message: message.into(),
            column,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, at column {}", self.message, self.column)
    }
}

impl std::error::Error for ParseError {}

/// Parses a query.
pub fn parse(text: &str) -> Result<Query, ParseError> {
    let tokens = lex(text)?;
    let end = text.chars().count() + 1;
    if tokens.is_empty() {
        return Err(ParseError::new("the query is empty", 1));
    }
    let mut parser = Parser {
        tokens,
        pos: 0,
        end,
        sort: None,
    };
    let expr = parser.conjunction(0)?;
    if let Some(extra) = parser.tokens.get(parser.pos) {
        // Only a `)` can stop the top-level conjunction early.
        return Err(ParseError::new("this \")\" closes no \"(\"", extra.column));
    }
    Ok(Query {
        expr,
        sort: parser.sort.unwrap_or_default(),
    })
}

struct Parser {
    tokens: Vec<Spanned>,
    pos: usize,
    /// The column just past the end, for "needs more" errors.
    end: usize,
    sort: Option<Sort>,
}

impl Parser {
    fn peek(&self) -> Option<&Spanned> {
        self.tokens.get(self.pos)
    }

    fn column(&self) -> usize {
        self.peek().map_or(self.end, |t| t.column)
    }

    /// `disj (["and"] disj)*`, up to a `)` or the end. `depth` 0 is the whole query,
    /// where `sort:` may appear; it may leave no expression (`sort:date` alone).
    fn conjunction(&mut self, depth: usize) -> Result<Option<Expr>, ParseError> {
        let mut parts = Vec::new();
        loop {
            let Some(next) = self.peek().cloned() else {
                break;
            };
            match &next.token {
                Token::RParen => break,
                Token::And => {
                    if parts.is_empty() {
                        return Err(ParseError::new(
                            "\"and\" needs a term on each side",
                            next.column,
                        ));
                    }
                    self.pos += 1;
                    if matches!(
                        self.peek().map(|t| &t.token),
                        None | Some(Token::RParen | Token::Or | Token::And)
                    ) {
                        return Err(ParseError::new(
                            "\"and\" needs a term on each side",
                            next.column,
                        ));
                    }
                }
                Token::Filter {
                    key: "sort",
                    value,
                    value_column,
                } if depth == 0 => {
                    self.pos += 1;
                    let sort = match value.to_ascii_lowercase().as_str() {
                        "date" => Sort::Date,
                        "relevance" => Sort::Relevance,
                        "" => {
                            return Err(ParseError::new(
                                "sort: needs date or relevance",
                                *value_column,
                            ));
                        }
                        _ => {
                            return Err(ParseError::new(
                                format!("sort: can be date or relevance, not \"{value}\""),
                                *value_column,
                            ));
                        }
                    };
                    if self.sort.replace(sort).is_some() {
                        return Err(ParseError::new("sort: is given twice", next.column));
                    }
                    if matches!(self.peek().map(|t| &t.token), Some(Token::Or)) {
                        return Err(ParseError::new(
                            "sort: applies to the whole query and cannot be part of \"or\"",
                            next.column,
                        ));
                    }
                }
                _ => parts.push(self.disjunction()?),
            }
        }
        if parts.is_empty() && (depth > 0 || self.sort.is_none()) {
            return Err(ParseError::new("the query is empty", self.column()));
        }
        Ok(match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Expr::And(parts)),
        })
    }

    /// `unary ("or" unary)*`
    fn disjunction(&mut self) -> Result<Expr, ParseError> {
        let mut parts = vec![self.unary()?];
        while let Some(Spanned {
            token: Token::Or,
            column,
        }) = self.peek().cloned()
        {
            self.pos += 1;
            if matches!(
                self.peek().map(|t| &t.token),
                None | Some(Token::RParen | Token::Or | Token::And)
            ) {
                return Err(ParseError::new("\"or\" needs a term on each side", column));
            }
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    /// `"-" unary | "(" conj ")" | term`
    fn unary(&mut self) -> Result<Expr, ParseError> {
        let Some(next) = self.peek().cloned() else {
            return Err(ParseError::new("a term is missing", self.end));
        };
        self.pos += 1;
        match next.token {
            Token::Minus => Ok(Expr::Not(Box::new(self.unary()?))),
            Token::LParen => {
                if matches!(self.peek().map(|t| &t.token), Some(Token::RParen)) {
                    return Err(ParseError::new("these parentheses are empty", next.column));
                }
                let inner = self.conjunction(1)?;
                match self.peek() {
                    Some(Spanned {
                        token: Token::RParen,
                        ..
                    }) => self.pos += 1,
                    _ => return Err(ParseError::new("this \"(\" is never closed", next.column)),
                }
                inner.ok_or_else(|| ParseError::new("these parentheses are empty", next.column))
            }
            Token::RParen => Err(ParseError::new("this \")\" closes no \"(\"", next.column)),
            Token::Or => Err(ParseError::new(
                "\"or\" needs a term on each side",
                next.column,
            )),
            Token::And => Err(ParseError::new(
                "\"and\" needs a term on each side",
                next.column,
            )),
            Token::Word(word) => {
                if !has_searchable(&word) {
                    return Err(ParseError::new(
                        format!("\"{word}\" has no letters or digits to search for"),
                        next.column,
                    ));
                }
                Ok(Expr::Term(Term::Word(word)))
            }
            Token::Phrase(phrase) => {
                if !has_searchable(&phrase) {
                    return Err(ParseError::new(
                        "this phrase has no letters or digits to search for",
                        next.column,
                    ));
                }
                Ok(Expr::Term(Term::Phrase(phrase)))
            }
            Token::Filter {
                key,
                value,
                value_column,
            } => filter(key, value, value_column, next.column).map(Expr::Term),
        }
    }
}

/// Whether `text` holds something the index can find: a letter or digit once
/// normalised.
fn has_searchable(text: &str) -> bool {
    !super::words::index_text(text).is_empty()
}

fn filter(
    key: &str,
    value: String,
    value_column: usize,
    column: usize,
) -> Result<Term, ParseError> {
    let needs = |what: &str| ParseError::new(format!("{key}: needs {what}"), value_column);
    match key {
        "tag" if value.trim().is_empty() => Err(needs("a tag name")),
        "tag" => Ok(Term::Tag(value)),
        "feed" if value.trim().is_empty() => Err(needs("a URL or title words")),
        "feed" => Ok(Term::Feed(value)),
        "is" => match value.to_ascii_lowercase().as_str() {
            "unread" => Ok(Term::Is(State::Unread)),
            "read" => Ok(Term::Is(State::Read)),
            "starred" => Ok(Term::Is(State::Starred)),
            "" => Err(needs("unread, read or starred")),
            _ => Err(ParseError::new(
                format!("is: can be unread, read or starred, not \"{value}\""),
                value_column,
            )),
        },
        "after" | "before" => {
            if value.is_empty() {
                return Err(needs("a date"));
            }
            let date = parse_date(&value)
                .map_err(|err| ParseError::new(format!("{key}: {err}"), value_column))?;
            Ok(if key == "after" {
                Term::After(date)
            } else {
                Term::Before(date)
            })
        }
        "sort" => Err(ParseError::new(
            "sort: applies to the whole query; put it outside parentheses, \"or\" and \"-\"",
            column,
        )),
        _ => Err(ParseError::new(
            format!("unknown filter \"{key}:\""),
            column,
        )),
    }
}
