//! Feeds: as the user configures them ([`FeedSpec`]), as lists show them
//! ([`FeedRow`]), and what is kept between fetches for conditional GET
//! ([`FetchState`]).

use super::FeedId;
use crate::text::Direction;

/// A feed as the user configured it (config file, `khabar add`, import).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeedSpec {
    /// The feed's URL (or a `file://` URL or local path).
    pub url: String,
    /// The user's title; `None` shows the feed's own.
    pub title: Option<String>,
    /// The user's tags for the feed.
    pub tags: Vec<String>,
    /// The paragraph direction of the feed's text.
    pub direction: Direction,
    /// Fetch each new item's web page for its full text.
    pub fulltext: bool,
    /// A disabled feed keeps its items but is neither refreshed nor listed.
    pub enabled: bool,
}

/// A feed with its counts, for lists.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeedRow {
    /// Row id.
    pub id: FeedId,
    /// Where it is fetched from now (a permanent redirect changes it).
    pub url: String,
    /// The user's title, else the feed's own, else the URL.
    pub title: String,
    /// The site's home page, as the feed gives it.
    pub site_link: Option<String>,
    /// Language tag as the feed gives it (`fa`, `en-us`).
    pub language: Option<String>,
    /// The configured paragraph direction.
    pub direction: Direction,
    /// The user's tags.
    pub tags: Vec<String>,
    /// See [`FeedSpec::enabled`].
    pub enabled: bool,
    /// Unread items.
    pub unread: u64,
    /// All items kept.
    pub total: u64,
    /// The message of the last failed refresh, cleared by a successful one.
    pub last_error: Option<String>,
    /// When the last refresh failed (Unix seconds).
    pub last_error_at: Option<i64>,
    /// When the last refresh succeeded (Unix seconds).
    pub last_success_at: Option<i64>,
}

/// HTTP validators and body hash kept per feed for conditional GET.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FetchState {
    /// The `ETag` of the last response, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` of the last response, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// Hash of the last body parsed; an identical body is not parsed again.
    pub body_hash: Option<String>,
}
