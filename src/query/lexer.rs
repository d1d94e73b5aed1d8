//! Splits a query into tokens, each with the column (1-based, in characters)
//! where it starts, so errors can point at it.

use super::error::ErrorKind;
use super::parser::ParseError;

/// The filters `key:value` knows.
pub(super) const KEYS: &[&str] = &["tag", "feed", "is", "after", "before", "sort"];

/// One token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    LParen,
    RParen,
    /// `-` directly before a term.
    Minus,
    Or,
    And,
    Word(String),
    Phrase(String),
    /// `key:value`; `value_column` is where the value starts (or would).
    Filter {
        key: &'static str,
        value: String,
        value_column: usize,
    },
}

/// A token and its column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Spanned {
    pub token: Token,
    pub column: usize,
}

/// Characters that end an unquoted word or value.
fn is_boundary(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"')
}

/// Tokenises `text`.
pub(super) fn lex(text: &str) -> Result<Vec<Spanned>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let token = match c {
            '(' => {
                i += 1;
                Token::LParen
            }
            ')' => {
                i += 1;
                Token::RParen
            }
            '"' => {
                let (phrase, next) = quoted(&chars, i)?;
                i = next;
                Token::Phrase(phrase)
            }
            '-' if chars
                .get(i + 1)
                .is_some_and(|n| !n.is_whitespace() && *n != ')') =>
            {
                i += 1;
                Token::Minus
            }
            '-' => {
                return Err(ParseError::new(ErrorKind::MinusNeedsTerm, column));
            }
            _ => {
                let start = i;
                while i < chars.len() && !is_boundary(chars[i]) && chars[i] != ':' {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if chars.get(i) == Some(&':') {
                    if let Some(key) = KEYS.iter().find(|k| k.eq_ignore_ascii_case(&word)) {
                        i += 1;
                        let value_column = i + 1;
                        let value = if chars.get(i) == Some(&'"') {
                            let (value, next) = quoted(&chars, i)?;
                            i = next;
                            value
                        } else {
                            let from = i;
                            while i < chars.len() && !is_boundary(chars[i]) {
                                i += 1;
                            }
                            chars[from..i].iter().collect()
                        };
                        out.push(Spanned {
                            token: Token::Filter {
                                key,
                                value,
                                value_column,
                            },
                            column,
                        });
                        continue;
                    }
                    if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphabetic()) {
                        return Err(ParseError::new(ErrorKind::UnknownFilter(word), column));
                    }
                }
                // Not a filter: the colon and what follows belong to the word.
                while i < chars.len() && !is_boundary(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                match word.as_str() {
                    "or" | "OR" => Token::Or,
                    "and" | "AND" => Token::And,
                    _ => Token::Word(word),
                }
            }
        };
        out.push(Spanned { token, column });
    }
    Ok(out)
}

/// The text between the quote at `open` and the next quote; the index after it.
fn quoted(chars: &[char], open: usize) -> Result<(String, usize), ParseError> {
    let Some(len) = chars[open + 1..].iter().position(|c| *c == '"') else {
        return Err(ParseError::new(ErrorKind::QuoteNotClosed, open + 1));
    };
    let text = chars[open + 1..open + 1 + len].iter().collect();
    Ok((text, open + len + 2))
}
