//! Logging to a file in the data directory (never to the terminal the UI draws on).
//!
//! `KHABAR_LOG` sets the filter (`info` by default, e.g. `KHABAR_LOG=debug`). The
//! file is `khabar.log` next to the database; when it grows past
//! [`MAX_LOG_BYTES`] it is moved to `khabar.log.old` at start. If the file cannot
//! be opened khabar runs without a log: logging is never a reason to fail.

use std::fs::OpenOptions;
use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

use crate::paths::LOG_FILE_NAME;

/// Size at which the log is rotated (once, at start).
pub const MAX_LOG_BYTES: u64 = 10 * 1024 * 1024;

/// Starts logging to `log_dir/khabar.log`. Keep the guard alive until exit: it
/// flushes the last lines when dropped. `None` when logging could not start.
pub fn init(log_dir: &Path) -> Option<WorkerGuard> {
    if std::fs::create_dir_all(log_dir).is_err() {
        return None;
    }
    let path = log_dir.join(LOG_FILE_NAME);
    if std::fs::metadata(&path).is_ok_and(|meta| meta.len() > MAX_LOG_BYTES) {
        // Best effort: if the rename fails the log simply keeps growing.
        let _ = std::fs::rename(&path, log_dir.join(format!("{LOG_FILE_NAME}.old")));
    }
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::try_from_env("KHABAR_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unusable_log_directory_is_not_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "not a directory").unwrap();
        assert!(init(&file.join("logs")).is_none());
    }
}
