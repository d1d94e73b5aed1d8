//! Tokens to a [`Query`]: recursive descent over the grammar in the module doc,
//! every error with the column it is about.

use std::fmt;

use super::ast::{Expr, Query, Sort, State, Term};
use super::date::parse_date;
use super::error::{ErrorKind, Needed};
use super::lexer::{Spanned, Token, lex};

/// What is wrong with a query and where (1-based column, in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong, in English, e.g. `after: needs a date`.
    pub message: String,
    /// What is wrong, as data (for a translation).
    pub kind: ErrorKind,
    /// Where: the first character of the offending part, counted from 1.
    pub column: usize,
}

impl ParseError {
    pub(super) fn new(kind: ErrorKind, column: usize) -> ParseError {
        ParseError {
            message: kind.to_string(),
            kind,
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
        return Err(ParseError::new(ErrorKind::Empty, 1));
    }
    let mut parser = Parser {
        tokens,
        pos: 0,
        end,
        sort: None,
        nesting: 0,
    };
    let expr = parser.conjunction(0)?;
    if let Some(extra) = parser.tokens.get(parser.pos) {
        // Only a `)` can stop the top-level conjunction early.
        return Err(ParseError::new(ErrorKind::ParenClosesNothing, extra.column));
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
    /// `-` and `(` open around the current term (see [`MAX_NESTING`]).
    nesting: usize,
}

/// How deeply `-` and `(` may nest. The parser, the printer and the SQL compiler
/// recurse once per level, so input must not decide the depth (issue 8,
/// defect 1: 100,000 `(` overflowed the stack).
pub const MAX_NESTING: usize = 64;

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
        while let Some(next) = self.peek().cloned() {
            match &next.token {
                Token::RParen => break,
                Token::And => {
                    if parts.is_empty() {
                        return Err(ParseError::new(ErrorKind::AndNeedsTerms, next.column));
                    }
                    self.pos += 1;
                    if matches!(
                        self.peek().map(|t| &t.token),
                        None | Some(Token::RParen | Token::Or | Token::And)
                    ) {
                        return Err(ParseError::new(ErrorKind::AndNeedsTerms, next.column));
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
                                ErrorKind::Needs(Needed::Sort),
                                *value_column,
                            ));
                        }
                        _ => {
                            return Err(ParseError::new(
                                ErrorKind::BadSort(value.clone()),
                                *value_column,
                            ));
                        }
                    };
                    if self.sort.replace(sort).is_some() {
                        return Err(ParseError::new(ErrorKind::SortTwice, next.column));
                    }
                    if matches!(self.peek().map(|t| &t.token), Some(Token::Or)) {
                        return Err(ParseError::new(ErrorKind::SortInOr, next.column));
                    }
                }
                _ => parts.push(self.disjunction()?),
            }
        }
        if parts.is_empty() && (depth > 0 || self.sort.is_none()) {
            // `)` first at the top: it closes nothing, rather than "empty".
            if let (0, Some(Token::RParen)) = (depth, self.peek().map(|t| &t.token)) {
                return Err(ParseError::new(
                    ErrorKind::ParenClosesNothing,
                    self.column(),
                ));
            }
            return Err(ParseError::new(ErrorKind::Empty, self.column()));
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
                return Err(ParseError::new(ErrorKind::OrNeedsTerms, column));
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
            return Err(ParseError::new(ErrorKind::TermMissing, self.end));
        };
        self.pos += 1;
        let nested = matches!(next.token, Token::Minus | Token::LParen);
        if nested {
            self.nesting += 1;
            if self.nesting > MAX_NESTING {
                return Err(ParseError::new(ErrorKind::TooDeep, next.column));
            }
        }
        let result = self.unary_token(next);
        if nested {
            self.nesting -= 1;
        }
        result
    }

    fn unary_token(&mut self, next: Spanned) -> Result<Expr, ParseError> {
        match next.token {
            Token::Minus => Ok(Expr::Not(Box::new(self.unary()?))),
            Token::LParen => {
                match self.peek().map(|t| &t.token) {
                    Some(Token::RParen) => {
                        return Err(ParseError::new(ErrorKind::EmptyParens, next.column));
                    }
                    None => return Err(ParseError::new(ErrorKind::ParenNotClosed, next.column)),
                    Some(_) => {}
                }
                let inner = self.conjunction(1)?;
                match self.peek() {
                    Some(Spanned {
                        token: Token::RParen,
                        ..
                    }) => self.pos += 1,
                    _ => return Err(ParseError::new(ErrorKind::ParenNotClosed, next.column)),
                }
                inner.ok_or_else(|| ParseError::new(ErrorKind::EmptyParens, next.column))
            }
            Token::RParen => Err(ParseError::new(ErrorKind::ParenClosesNothing, next.column)),
            Token::Or => Err(ParseError::new(ErrorKind::OrNeedsTerms, next.column)),
            Token::And => Err(ParseError::new(ErrorKind::AndNeedsTerms, next.column)),
            Token::Word(word) => {
                if !has_searchable(&word) {
                    return Err(ParseError::new(
                        ErrorKind::WordNotSearchable(word),
                        next.column,
                    ));
                }
                Ok(Expr::Term(Term::Word(word)))
            }
            Token::Phrase(phrase) => {
                if !has_searchable(&phrase) {
                    return Err(ParseError::new(ErrorKind::PhraseNotSearchable, next.column));
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
    key: &'static str,
    value: String,
    value_column: usize,
    column: usize,
) -> Result<Term, ParseError> {
    let needs = |what: Needed| ParseError::new(ErrorKind::Needs(what), value_column);
    match key {
        "tag" if value.trim().is_empty() => Err(needs(Needed::TagName)),
        "tag" => Ok(Term::Tag(value)),
        "feed" if value.trim().is_empty() => Err(needs(Needed::FeedValue)),
        "feed" => Ok(Term::Feed(value)),
        "is" => match value.to_ascii_lowercase().as_str() {
            "unread" => Ok(Term::Is(State::Unread)),
            "read" => Ok(Term::Is(State::Read)),
            "starred" => Ok(Term::Is(State::Starred)),
            "" => Err(needs(Needed::State)),
            _ => Err(ParseError::new(ErrorKind::BadState(value), value_column)),
        },
        "after" | "before" => {
            if value.is_empty() {
                return Err(needs(Needed::Date(key)));
            }
            let date = parse_date(&value)
                .map_err(|err| ParseError::new(ErrorKind::BadDate(key, err), value_column))?;
            Ok(if key == "after" {
                Term::After(date)
            } else {
                Term::Before(date)
            })
        }
        "sort" => Err(ParseError::new(ErrorKind::SortNested, column)),
        _ => Err(ParseError::new(
            ErrorKind::UnknownFilter(key.to_string()),
            column,
        )),
    }
}
