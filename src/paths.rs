//! Where khabar's files live: the config file, the database, the log file and the
//! user's themes directory, from `--config`/`--db` (or `KHABAR_CONFIG`/`KHABAR_DB`)
//! and the platform directories.
//!
//! On Linux: `~/.config/khabar/config.toml`, `~/.config/khabar/themes/`,
//! `~/.local/share/khabar/khabar.db` and `~/.local/share/khabar/khabar.log`
//! (XDG variables respected). The log always sits next to the database, so a
//! `--db` in a temporary directory keeps its log there too.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

/// The config file's name in the config directory.
pub const CONFIG_FILE_NAME: &str = "config.toml";
/// The database file's name in the data directory.
pub const DB_FILE_NAME: &str = "khabar.db";
/// The log file's name, next to the database.
pub const LOG_FILE_NAME: &str = "khabar.log";
/// The user's themes directory, next to the config file.
pub const THEMES_DIR_NAME: &str = "themes";

/// The platform directories, or `None` when there is no home directory.
fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "khabar")
}

/// `~/.config/khabar/config.toml` on Linux.
pub fn default_config_file() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.config_dir().join(CONFIG_FILE_NAME))
}

/// `~/.local/share/khabar/khabar.db` on Linux.
pub fn default_db_file() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.data_dir().join(DB_FILE_NAME))
}

/// The user's themes: a `themes` directory next to the config file.
pub fn themes_dir(config_file: &Path) -> PathBuf {
    parent_or_here(config_file).join(THEMES_DIR_NAME)
}

/// The directory the log file goes to: the database's.
pub fn log_dir(db_file: &Path) -> PathBuf {
    parent_or_here(db_file)
}

fn parent_or_here(file: &Path) -> PathBuf {
    match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_sit_next_to_their_anchor() {
        assert_eq!(
            themes_dir(Path::new("/x/khabar/config.toml")),
            Path::new("/x/khabar/themes")
        );
        assert_eq!(log_dir(Path::new("/d/khabar.db")), Path::new("/d"));
        assert_eq!(log_dir(Path::new("khabar.db")), Path::new("."));
    }

    #[test]
    fn defaults_use_the_khabar_directories() {
        if let Some(config) = default_config_file() {
            assert!(config.ends_with("khabar/config.toml"), "{config:?}");
        }
        if let Some(db) = default_db_file() {
            assert!(db.ends_with("khabar/khabar.db"), "{db:?}");
        }
    }
}
