//! The query language shared by the reader's `/` prompt, `khabar search`,
//! `khabar items --query`, `khabar mark-read --query` and saved views.
//!
//! Pure: text in, a syntax tree (or an error with its column) out, and back to
//! text. No IO; the store compiles a [`Query`] to SQL (`store::search`).
//!
//! Grammar (implicit `and` binds loosest, then `or`, then `-`):
//!
//! ```text
//! query   := conj
//! conj    := disj (["and"] disj)*        -- juxtaposition is "and"
//! disj    := unary ("or" unary)*
//! unary   := "-" unary | "(" conj ")" | term
//! term    := word | "phrase" | key ":" value
//! key     := tag | feed | is | after | before | sort
//! ```
//!
//! So `tag:اقتصاد or tag:بورس is:unread` is `(tag:اقتصاد or tag:بورس) and is:unread`.

mod ast;
mod date;
mod error;
mod eval;
mod highlight;
mod lexer;
pub mod newsboat;
mod parser;
mod printer;
mod words;

#[cfg(test)]
mod tests;

pub use ast::{AgoUnit, DateSpec, Expr, Query, Sort, State, Term};
pub use date::{DateError, parse_date};
pub use error::{ErrorKind, Needed};
pub use eval::{FeedFacts, ItemFacts, Matcher};
pub use highlight::{Needle, match_ranges, snippet, word_matches};
pub use parser::{MAX_NESTING, ParseError, parse};
pub use words::{append_index_text, append_index_text_fast, index_text, tokens};
