//! Which file a connection opened, so that a write can tell when the path no
//! longer leads to it. SQLite keeps its file descriptor: after an `rm` of the
//! database, or a backup moved over it (`mv`, a sync tool's rename), every
//! later write still succeeds, into an unlinked file that nothing will open
//! again, and a read mark the user made is silently lost.
//!
//! The check is one `stat` of the path compared with the (device, inode)
//! recorded at open: no SQL, no lock, so it costs a few microseconds per user
//! action. Writes are refused before their transaction begins (nothing to roll
//! back). A file written in place (`cp` over it, SQLite's own writes) keeps its
//! inode and is still the file. On systems without inodes the check does
//! nothing.

use std::path::{Path, PathBuf};

use super::StoreError;

/// The file a [`super::Store`] opened: its path and what identifies it.
#[derive(Debug, Clone)]
pub(super) struct OpenedFile {
    /// As given to `Store::open`, for messages.
    shown: String,
    /// Made absolute at open, so a later change of directory cannot move it.
    path: PathBuf,
    identity: Identity,
}

impl OpenedFile {
    /// The file now at `path`, just opened. `None` for a database without a
    /// file (`:memory:`) or one that cannot be examined: nothing to compare.
    /// Read right after SQLite opened the path; a replacement in between (a
    /// few microseconds) would go unnoticed.
    pub(super) fn of(path: &Path) -> Option<OpenedFile> {
        let absolute = std::path::absolute(path).ok()?;
        let identity = identity(&std::fs::metadata(&absolute).ok()?)?;
        Some(OpenedFile {
            shown: path.display().to_string(),
            path: absolute,
            identity,
        })
    }

    /// `Ok` while the path still names the file that was opened. When it does
    /// not (removed, another file in its place, or the path cannot be examined
    /// at all, so the write could not be trusted to land where it will be
    /// read), [`StoreError::FileReplaced`].
    /// The path as given to `Store::open`, for messages.
    pub(super) fn shown(&self) -> &str {
        &self.shown
    }

    pub(super) fn still_there(&self) -> Result<(), StoreError> {
        let now = std::fs::metadata(&self.path)
            .ok()
            .and_then(|meta| identity(&meta));
        if now == Some(self.identity) {
            return Ok(());
        }
        tracing::warn!(
            path = %self.shown,
            "the database file was removed or replaced while open; write refused"
        );
        Err(StoreError::FileReplaced {
            path: self.shown.clone(),
        })
    }
}

/// (device, inode) where there are inodes.
#[cfg(unix)]
type Identity = (u64, u64);

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

/// Elsewhere nothing is compared: every file is "the same".
#[cfg(not(unix))]
type Identity = ();

#[cfg(not(unix))]
fn identity(_meta: &std::fs::Metadata) -> Option<Identity> {
    Some(())
}
