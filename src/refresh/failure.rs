//! Typed failures of a refresh: why one feed failed ([`FeedFailure`], one of the
//! outcomes, never fatal to the others) and why a whole refresh could not run
//! ([`RefreshError`]).
//!
//! A feed's failure is shown to the user (`khabar feeds`, the reader's status line,
//! the progress bar) by its `Display`, which is also what the store records as the
//! feed's last error.

use std::sync::Arc;

use super::OpenError;
use crate::feed::FeedError;
use crate::fetch::FetchError;
use crate::store::StoreError;

/// Why one feed's refresh failed. Clones share the underlying error; two
/// failures are equal when they say the same thing.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FeedFailure {
    /// The feed could not be fetched (network, HTTP status, size, file).
    #[error("{0}")]
    Fetch(Arc<FetchError>),
    /// The body is not a feed khabar can read.
    #[error("{0}")]
    Parse(FeedError),
    /// The parser panicked on this body (a bug, but only this feed fails).
    #[error("parser crashed: {0}")]
    ParserCrashed(String),
    /// The feed was fetched and parsed but could not be written.
    #[error("cannot store: {0}")]
    Store(Arc<StoreError>),
    /// The database writer stopped before it reached this feed.
    #[error("cannot store: not written")]
    NotWritten,
    /// A 304 to a request that sent no validators (a first fetch): the server
    /// sent no feed, and the feed would otherwise stay silently empty.
    #[error("HTTP 304 Not Modified to a request without validators: the server sent no feed")]
    NotModifiedWithoutValidators,
    /// Not fetched: a 429/503 asked for a pause (`Retry-After`) that runs until then.
    #[error("not fetched: the server asked to wait until {0} (Retry-After)")]
    Paused(String),
}

impl FeedFailure {
    /// The network or the server failed, so the same refresh may work later; a
    /// body that is not a feed or a store failure will not fix itself.
    pub fn is_fetch(&self) -> bool {
        matches!(
            self,
            FeedFailure::Fetch(_)
                | FeedFailure::Paused(_)
                | FeedFailure::NotModifiedWithoutValidators
        )
    }

    /// The feed was fetched and read but the disk is full: the refresh as a
    /// whole needs saying so, not only this feed.
    pub fn is_disk_full(&self) -> bool {
        matches!(self, FeedFailure::Store(err) if err.is_disk_full())
    }
}

impl PartialEq for FeedFailure {
    fn eq(&self, other: &FeedFailure) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
            && self.to_string() == other.to_string()
    }
}

impl Eq for FeedFailure {}

impl From<FetchError> for FeedFailure {
    fn from(error: FetchError) -> FeedFailure {
        FeedFailure::Fetch(Arc::new(error))
    }
}

impl From<FeedError> for FeedFailure {
    fn from(error: FeedError) -> FeedFailure {
        FeedFailure::Parse(error)
    }
}

impl From<StoreError> for FeedFailure {
    fn from(error: StoreError) -> FeedFailure {
        FeedFailure::Store(Arc::new(error))
    }
}

/// Why a whole refresh could not run or finish. Feeds that fail are outcomes
/// ([`FeedFailure`]), not errors of the refresh.
// Underlying errors are in the messages and not `source`s where their own
// message would repeat in the CLI's `{:#}` chain.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// The database could not be opened.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// Reading what the feeds were fetched with last time failed.
    #[error("cannot read the feeds to refresh: {0}")]
    ReadFeeds(StoreError),
    /// The HTTP client could not be built (TLS setup, bad user agent).
    #[error("{0}")]
    Client(FetchError),
    /// A thread for the refresh could not be started.
    #[error("cannot start a refresh thread: {0}")]
    Thread(std::io::Error),
    /// The thread that writes the feeds panicked; what it wrote before is kept.
    #[error("the database writer thread panicked")]
    WriterPanicked,
    /// A background task of the refresh panicked or was cancelled.
    #[error("a refresh task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// Removing old read items after the refresh failed (the refresh itself is kept).
    #[error("cleanup after refresh failed: {0}")]
    Cleanup(StoreError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_read_as_before_and_compare_by_meaning() {
        let fetch = FeedFailure::from(FetchError::Timeout(3));
        assert_eq!(fetch.to_string(), "timed out after 3 s");
        assert!(fetch.is_fetch());
        assert_eq!(fetch, fetch.clone());
        assert_eq!(fetch, FeedFailure::from(FetchError::Timeout(3)));
        assert_ne!(fetch, FeedFailure::from(FetchError::Timeout(4)));
        let parse = FeedFailure::from(FeedError::Empty);
        assert_eq!(parse.to_string(), "empty response");
        assert!(!parse.is_fetch());
        assert_eq!(
            FeedFailure::NotWritten.to_string(),
            "cannot store: not written"
        );
        assert_eq!(
            FeedFailure::from(StoreError::NoSuchFeed("#3".into())).to_string(),
            "cannot store: no such feed: #3 (removed?)"
        );
    }
}
