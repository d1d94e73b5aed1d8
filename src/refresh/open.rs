//! Opening the database the way every refresh, the reader and the CLI start:
//! its directory created when missing, and its subscriptions matched to the
//! config file's `[[feed]]` list.

use std::path::{Path, PathBuf};

use crate::core::FeedSpec;
use crate::store::{Store, StoreError};

/// Why the database could not be opened for use.
// The underlying errors are in the messages and deliberately not `source`s: the
// CLI prints the whole chain (`{:#}`), which would repeat them.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The database's directory does not exist and cannot be made.
    #[error("cannot create the directory {}: {error}", dir.display())]
    CreateDir {
        /// The directory.
        dir: PathBuf,
        /// What the file system said.
        error: std::io::Error,
    },
    /// SQLite could not open or migrate the file.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The config file's feeds could not be written.
    #[error("cannot add the config file's feeds to the database: {0}")]
    SyncFeeds(StoreError),
}

/// Opens (creating it and its directory if needed) the database at `path`.
pub fn open_store(path: &Path) -> Result<Store, OpenError> {
    if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|error| OpenError::CreateDir {
            dir: dir.to_path_buf(),
            error,
        })?;
    }
    let mut store = Store::open(path)?;
    // A database from before the search index gets it here (issue 9).
    super::search_backlog::build_if_needed(&mut store)?;
    Ok(store)
}

/// Opens the database and makes its subscriptions match the config's feeds:
/// what the reader and `khabar refresh` start with.
pub fn open_synced_store(path: &Path, config_feeds: &[FeedSpec]) -> Result<Store, OpenError> {
    let mut store = open_store(path)?;
    if store.is_read_only() {
        // A database that cannot be written is still read, as it is (issue 8).
        tracing::warn!("read-only database: config feeds not synced");
        return Ok(store);
    }
    store
        .sync_config_feeds(config_feeds)
        .map_err(OpenError::SyncFeeds)?;
    Ok(store)
}
