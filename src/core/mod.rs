//! The shared vocabulary of khabar: the plain values that several layers pass to
//! each other — feeds as configured and as listed, items and their queries,
//! paging cursors, per-feed fetch validators, the cleanup policy.
//!
//! Pure data: no IO, no database, no network, no terminal. Everything here may be
//! imported by every other module except [`crate::text`], and imports nothing but
//! [`crate::text`] (for [`Direction`]). `store`, `feed`, `config`, `fetch`, the
//! reader and the CLI all speak these types, so none of them has to import
//! another for its vocabulary (which is what used to tie `store` and `feed` in a
//! circle). Old paths such as `store::FeedSpec` stay as re-exports.

mod feed;
mod item;
mod policy;

pub use feed::{FeedRow, FeedSpec, FetchState};
pub use item::{Cursor, Enclosure, ItemDetail, ItemQuery, ItemRow};
pub use policy::{CleanupPolicy, UpdateStats};

/// Row id of a feed in the database.
pub type FeedId = i64;
/// Row id of an item in the database.
pub type ItemId = i64;

#[doc(no_inline)]
pub use crate::text::Direction;
