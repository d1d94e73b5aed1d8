//! Feed normalisation: bytes of RSS 0.9x/1.0/2.0, Atom or JSON Feed in, a
//! [`ParsedFeed`] out. Pure: no IO; the fetcher hands it bytes and headers.
//! Also the pure halves of autodiscovery ([`discover`]) and of OPML / newsboat
//! `urls` import and OPML export ([`subscriptions`]).

mod canonical_url;
pub mod command_url;
mod content_hash;
pub mod crash_guard;
pub mod dates;
mod dates_fast;
pub mod discover;
pub mod encoding;
mod episode;
mod fast;
mod normalise;
mod parse;
mod plain_text;
mod raw;
pub mod recover;
mod site_base;
pub mod sniff;
pub mod subscriptions;
#[cfg(test)]
pub(crate) mod test_fixtures;
mod text;
pub mod url_key;
mod xml_base;

pub use content_hash::{body_hash, body_hash_matches, content_hash_matches};
pub use parse::{Parsers, parse, parse_by, parse_with_repairs};
pub use plain_text::html_to_text;
pub use text::MAX_TITLE_CHARS;

/// Items read from one feed document at most; the rest are dropped (and the feed
/// says so, as a repair). Ordinary feeds hold tens to a few thousand.
pub const MAX_ITEMS_PER_DOCUMENT: usize = 10_000;

// Shared with the store and the reader; re-exported at its old path.
pub use crate::core::Enclosure;

/// Why a body could not be read as a feed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    /// Nothing (or only whitespace) was sent.
    #[error("empty response")]
    Empty,
    /// An HTML page arrived where a feed was expected.
    #[error(
        "this is a web page, not a feed (try `khabar add` with the page URL to find its feeds)"
    )]
    HtmlPage,
    /// Neither XML nor JSON of a known feed format.
    #[error("not a feed: no RSS, Atom or JSON Feed document found")]
    NotAFeed,
    /// A feed format, but broken; the parser's message.
    #[error("malformed feed: {0}")]
    Malformed(String),
    /// A file that is no text at all (a PDF, an image; [`sniff`]), said instead of
    /// `NotAFeed` or `Malformed` when the body could not be read.
    #[error("this is {0}, not a feed")]
    Binary(&'static str),
}

/// A feed as khabar keeps it, independent of the source format.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedFeed {
    /// The feed's own title.
    pub title: Option<String>,
    /// The site's home page.
    pub site_link: Option<String>,
    /// Language tag as published (`fa`, `fa-IR`, `en-us`).
    pub language: Option<String>,
    /// Its entries, in document order.
    pub items: Vec<ParsedItem>,
}

/// One entry of a feed, normalised.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedItem {
    /// Stable identity: guid, else link, else a hash of title + content.
    pub identity: String,
    /// The headline (may be empty).
    pub title: String,
    /// Absolute URL (relative links resolved against xml:base or the feed URL).
    pub link: Option<String>,
    /// The author as the feed names them.
    pub author: Option<String>,
    /// Short text or HTML summary, as published.
    pub summary: Option<String>,
    /// Full content HTML, as published (links resolved).
    pub content_html: Option<String>,
    /// Unix seconds; `None` when the feed gave no date khabar could read.
    pub published: Option<i64>,
    /// Unix seconds of the last update, when given.
    pub updated: Option<i64>,
    /// The item's own categories; they become item tags.
    pub categories: Vec<String>,
    /// Attached media.
    pub enclosures: Vec<Enclosure>,
    /// Item language when it differs from the feed's (`xml:lang` on an entry).
    pub language: Option<String>,
    /// Hash of everything above, to skip rewriting unchanged items.
    pub content_hash: String,
}
