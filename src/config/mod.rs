//! Configuration: types, the defaults compiled into the binary, and loading a
//! user's TOML file merged over them. Pure apart from [`Config::load_file`].
//!
//! Errors name the file, line, column and key, and suggest the nearest known key.

pub mod edit;
pub mod keymap;
mod load;
mod schema;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::core::FeedSpec;
use crate::text::Direction;

/// The defaults, shipped in the binary: every option and a short curated feed list.
pub const DEFAULT_CONFIG: &str = include_str!("default.toml");

/// A config file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    // The io error is in the message and not a `source`: the CLI prints the whole
    // chain, which would repeat it.
    #[error("cannot read {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    /// `message` already names the key and, where one is close, the key meant.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

/// Who reorders right-to-left text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum BidiMode {
    /// khabar reorders and puts the terminal in explicit mode.
    #[default]
    App,
    /// khabar writes logical order; the terminal reorders.
    Terminal,
}

/// The language of the reader's interface (issue 9). Only the interface's own
/// words, their direction and the default date style change; feeds do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// English, left to right.
    #[default]
    En,
    /// Persian, right to left, Jalali dates and Persian digits by default.
    Fa,
}

/// A switch that may follow the locale: `true`, `false`, or `"auto"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum AutoBool {
    /// Set explicitly.
    Set(bool),
    /// `"auto"`: on for a Persian interface, off otherwise.
    Auto(AutoWord),
}

/// The word `"auto"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AutoWord {
    /// Follows the locale.
    Auto,
}

impl AutoBool {
    /// The value, with `"auto"` meaning on exactly when the locale is Persian.
    pub fn resolve(self, locale: Locale) -> bool {
        match self {
            AutoBool::Set(on) => on,
            AutoBool::Auto(AutoWord::Auto) => locale == Locale::Fa,
        }
    }
}

/// Who joins Arabic-script letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ShapingMode {
    /// khabar writes presentation forms.
    App,
    /// The terminal shapes.
    #[default]
    Terminal,
}

/// The whole configuration after merging.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub general: General,
    pub fetch: FetchConfig,
    pub cleanup: CleanupConfig,
    pub display: DisplayConfig,
    /// Action name -> key or keys, e.g. `open = ["enter", "l"]`; checked against
    /// [`keymap`] when the file is loaded.
    #[serde(default)]
    pub keys: BTreeMap<String, KeySpec>,
    #[serde(default, rename = "feed")]
    pub feeds: Vec<FeedConfig>,
}

/// One key or several for an action.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeySpec {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct General {
    /// Theme name (`themes/NAME.toml`, built in or in the user's themes directory).
    pub theme: String,
    /// Minutes between automatic refreshes in the reader; 0 turns it off.
    pub refresh_interval_minutes: u32,
    /// Browser command for `o`; empty uses `$BROWSER`, else the platform opener.
    pub browser: String,
    /// Mouse wheel scrolling.
    pub mouse: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FetchConfig {
    pub concurrency: usize,
    pub per_host: usize,
    pub connect_timeout_secs: u64,
    pub timeout_secs: u64,
    pub max_feed_bytes: u64,
    pub max_redirects: usize,
    pub user_agent: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CleanupConfig {
    /// Read, unstarred items older than this are removed; 0 keeps everything.
    pub keep_read_days: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisplayConfig {
    pub bidi: BidiMode,
    pub shaping: ShapingMode,
    /// Show dates in the Jalali (Persian) calendar (`"auto"`: with locale fa).
    pub jalali_dates: AutoBool,
    /// Show digits as Persian digits in dates and counts (`"auto"`: with locale fa).
    pub persian_digits: AutoBool,
    /// The reader's interface language.
    pub locale: Locale,
}

/// A feed's `fulltext`: `true`, `false` or `"on-open"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum FulltextSetting {
    /// After each refresh (`true`) or never (`false`).
    Set(bool),
    /// `"on-open"`: when an item is first opened.
    OnOpen(OnOpenWord),
}

impl Default for FulltextSetting {
    fn default() -> Self {
        FulltextSetting::Set(false)
    }
}

/// The word `"on-open"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum OnOpenWord {
    /// Fetch the page when an item is first opened.
    #[serde(rename = "on-open")]
    OnOpen,
}

/// A `[[feed]]` entry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    pub url: String,
    pub title: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub direction: Direction,
    /// `true`: fetch each new item's page after a refresh; `"on-open"`: when an
    /// item is first opened in the reader.
    #[serde(default)]
    pub fulltext: FulltextSetting,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
}

fn enabled_by_default() -> bool {
    true
}

impl FeedConfig {
    pub fn to_spec(&self) -> FeedSpec {
        FeedSpec {
            url: self.url.clone(),
            title: self.title.clone(),
            tags: self.tags.clone(),
            direction: self.direction,
            fulltext: self.fulltext == FulltextSetting::Set(true),
            enabled: self.enabled,
        }
    }
}

impl Config {
    /// The built-in defaults alone.
    pub fn builtin() -> Config {
        load::builtin()
    }

    /// Parses `text` (the content of `path`) merged over the defaults.
    pub fn from_user_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        load::from_user_toml(text, path)
    }

    /// Loads `path` if it exists, else the defaults. A missing default-location file is
    /// not an error; a missing file named with `--config` is.
    pub fn load_file(path: &Path, must_exist: bool) -> Result<Config, ConfigError> {
        load::load_file(path, must_exist)
    }

    /// The config's feeds as the store takes them.
    /// The feeds with `fulltext = "on-open"` (by URL) and the others.
    pub fn fulltext_on_open(&self) -> Vec<(String, bool)> {
        self.feeds
            .iter()
            .map(|f| (f.url.clone(), matches!(f.fulltext, FulltextSetting::OnOpen(_))))
            .collect()
    }

    pub fn feed_specs(&self) -> Vec<FeedSpec> {
        self.feeds.iter().map(FeedConfig::to_spec).collect()
    }

    /// The cleanup policy as the store takes it.
    pub fn cleanup_policy(&self) -> crate::core::CleanupPolicy {
        crate::core::CleanupPolicy {
            keep_read_days: self.cleanup.keep_read_days,
        }
    }
}
