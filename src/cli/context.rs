//! What every subcommand needs: resolved paths, the loaded config (with command-line
//! overrides applied) and an open store.
//!
//! Nothing here is done before it is asked for: `khabar unread` opens the database
//! and nothing else (no config parsing, no feed sync), which keeps it fast enough
//! for a status bar.

use std::path::PathBuf;

use anyhow::Context as _;

use crate::config::Config;
use crate::store::Store;
use crate::tui::ReaderOptions;

use super::Cli;

/// Resolved once per run from the command line and the environment.
#[derive(Debug, Clone)]
pub struct Context {
    /// The config file (may not exist: then the defaults apply).
    pub config_path: PathBuf,
    /// True when the path came from `--config`/`KHABAR_CONFIG`: then it must exist.
    pub config_explicit: bool,
    /// The database file.
    pub db_path: PathBuf,
    /// True when the path came from `--db`/`KHABAR_DB`: then the commands that
    /// only read or mark what is stored want it to exist.
    pub db_explicit: bool,
    /// `--bidi`, overriding `[display] bidi`.
    pub bidi: Option<crate::config::BidiMode>,
    /// `--shaping`, overriding `[display] shaping`.
    pub shaping: Option<crate::config::ShapingMode>,
}

impl Context {
    /// Resolves the paths from the command line and the environment.
    pub fn from_cli(cli: &Cli) -> anyhow::Result<Context> {
        let config = cli
            .config
            .clone()
            .or_else(|| path_from_env("KHABAR_CONFIG"));
        let db = cli.db.clone().or_else(|| path_from_env("KHABAR_DB"));
        let (config_path, config_explicit) = match &config {
            // Checked here, not only when a command reads the config, so that a
            // mistyped --config is reported by every command.
            Some(path) if path.is_dir() => {
                anyhow::bail!("config file {} is a directory", path.display())
            }
            Some(path) if !path.is_file() => {
                anyhow::bail!("config file {} does not exist", path.display())
            }
            Some(path) => (path.clone(), true),
            // No home directory: no config file to look for; defaults apply.
            None => (
                crate::paths::default_config_file().unwrap_or_default(),
                false,
            ),
        };
        let (db_path, db_explicit) = match &db {
            Some(path) => (path.clone(), true),
            None => (
                crate::paths::default_db_file().context(
                    "cannot find a home directory for the database; pass --db PATH or set KHABAR_DB",
                )?,
                false,
            ),
        };
        Ok(Context {
            config_path,
            config_explicit,
            db_path,
            db_explicit,
            bidi: cli.bidi,
            shaping: cli.shaping,
        })
    }

    /// The config file a command that writes it should use: `--config`, else
    /// `KHABAR_CONFIG`, else the default location (empty with no home directory).
    /// Unlike [`Context::from_cli`], a file that does not exist yet is fine.
    pub fn config_path_for_writing(cli: &Cli) -> PathBuf {
        cli.config
            .clone()
            .or_else(|| path_from_env("KHABAR_CONFIG"))
            .unwrap_or_else(|| crate::paths::default_config_file().unwrap_or_default())
    }

    /// The config file merged over the defaults, with command-line overrides applied.
    pub fn config(&self) -> anyhow::Result<Config> {
        let mut config = if self.config_path.as_os_str().is_empty() {
            Config::builtin()
        } else {
            Config::load_file(&self.config_path, self.config_explicit)?
        };
        if let Some(bidi) = self.bidi {
            config.display.bidi = bidi;
        }
        if let Some(shaping) = self.shaping {
            config.display.shaping = shaping;
        }
        Ok(config)
    }

    /// Opens (creating if needed) the database.
    pub fn open_store(&self) -> anyhow::Result<Store> {
        Ok(crate::refresh::open_store(&self.db_path)?)
    }

    /// Opens the database for a command that reads or marks what is stored
    /// (`items`, `unread`, `search`, `mark-read`, `star`, `article`, `export`).
    /// A database named with `--db`/`KHABAR_DB` that does not exist is an error
    /// rather than a new empty one, so a mistyped path in a status-bar script
    /// does not read as "0 unread" forever. At the default place a missing
    /// database is made, as on a first start.
    pub fn open_existing_store(&self) -> anyhow::Result<Store> {
        if self.db_explicit && !self.db_path.exists() {
            anyhow::bail!(
                "database {} does not exist (check --db or KHABAR_DB; `khabar refresh` or the \
                 reader creates it)",
                self.db_path.display()
            );
        }
        self.open_store()
    }

    /// Opens the database and makes its subscriptions match `config`'s `[[feed]]`
    /// list: what the reader and `khabar refresh` start with.
    pub fn open_store_synced(&self, config: &Config) -> anyhow::Result<Store> {
        let mut store = crate::refresh::open_synced_store(
            &self.db_path,
            &config.feed_specs(),
            crate::refresh::FeedList::of(config),
        )?;
        store.sync_fulltext_on_open(&config.fulltext_on_open())?;
        Ok(store)
    }

    /// What the reader needs, resolved here so the reader knows nothing of the
    /// command line.
    pub fn reader_options(&self, demo: bool) -> anyhow::Result<ReaderOptions> {
        Ok(ReaderOptions {
            config: self.config()?,
            config_path: self.config_path.clone(),
            themes_dir: self.themes_dir(),
            db_path: self.db_path.clone(),
            demo,
            display_configured: self.config_sets_display(),
        })
    }

    /// Whether the user's config file has a `[display]` table. A file that cannot
    /// be read or parsed counts as not: `config()` has already reported it.
    fn config_sets_display(&self) -> bool {
        std::fs::read_to_string(&self.config_path)
            .ok()
            .and_then(|text| text.parse::<toml::Table>().ok())
            .is_some_and(|table| table.contains_key("display"))
    }

    /// The directory of the log file: the database's.
    pub fn log_dir(&self) -> PathBuf {
        crate::paths::log_dir(&self.db_path)
    }

    /// The user's themes directory: `themes/` next to the config file.
    pub fn themes_dir(&self) -> PathBuf {
        crate::paths::themes_dir(&self.config_path)
    }
}

/// A path from the environment; set but empty counts as unset, as shells and
/// service managers commonly write `KHABAR_DB=` to clear a variable.
fn path_from_env(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
}
