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
    // A first refresh that died before its last batch left these out; every
    // query is right without them, so failing to make them is only logged.
    if !store.is_read_only()
        && let Err(err) = store.restore_time_indexes()
    {
        tracing::warn!("cannot create the time indexes: {err}");
    }
    Ok(store)
}

/// Where the config's feed list came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedList {
    /// The config file's own `[[feed]]` list (`feed = []` included).
    File,
    /// khabar's built-in starter list: the file has no `[[feed]]` list.
    Builtin,
}

impl FeedList {
    /// Where `config`'s feeds came from.
    pub fn of(config: &crate::config::Config) -> FeedList {
        if config.uses_builtin_feeds() {
            FeedList::Builtin
        } else {
            FeedList::File
        }
    }
}

/// Opens the database and makes its subscriptions match the config's feeds:
/// what the reader and `khabar refresh` start with.
///
/// The built-in list is a starter set: it stands in only while the user has no
/// enabled feed of their own. Once they add or import one, the built-in feeds
/// are set aside like any feed a config drops (disabled, items and marks kept;
/// one never fetched, with no items, is removed), so someone switching from
/// another reader gets their own feeds and not six others beside them.
pub fn open_synced_store(
    path: &Path,
    config_feeds: &[FeedSpec],
    list: FeedList,
) -> Result<Store, OpenError> {
    let mut store = open_store(path)?;
    if store.is_read_only() {
        // A database that cannot be written is still read, as it is (issue 8).
        tracing::warn!("read-only database: config feeds not synced");
        return Ok(store);
    }
    let set_aside =
        list == FeedList::Builtin && store.has_own_enabled_feed().map_err(OpenError::SyncFeeds)?;
    let specs = if set_aside { &[][..] } else { config_feeds };
    store
        .sync_config_feeds(specs)
        .map_err(OpenError::SyncFeeds)?;
    if set_aside {
        for spec in config_feeds {
            let never_used = store
                .feed_by_url(&spec.url)
                .map_err(OpenError::SyncFeeds)?
                .is_some_and(|feed| !feed.enabled && feed.total == 0);
            if never_used {
                store.remove_feed(&spec.url).map_err(OpenError::SyncFeeds)?;
            }
        }
    }
    Ok(store)
}
