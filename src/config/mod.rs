//! Configuration: types, the defaults compiled into the binary, and loading a
//! user's TOML file merged over them. Pure apart from [`Config::load_file`].
//!
//! Errors name the file, line, column and key, and suggest the nearest known key.

pub mod command;
pub mod edit;
mod key;
pub mod keymap;
mod load;
pub mod newsboat_config;
mod newsboat_names;
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
    /// The file exists but cannot be read.
    #[error("cannot read {path}: {error}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the file system said.
        error: std::io::Error,
    },
    /// `message` already names the key and, where one is close, the key meant.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line of the mistake.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// What is wrong, naming the key.
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
    /// `[general]`.
    pub general: General,
    /// `[fetch]`.
    pub fetch: FetchConfig,
    /// `[cleanup]`.
    pub cleanup: CleanupConfig,
    /// `[display]`.
    pub display: DisplayConfig,
    /// Sync with a feed server (issue 11); off while `provider` is empty.
    #[serde(default)]
    pub sync: SyncConfig,
    /// Action name -> key or keys, e.g. `open = ["enter", "l"]`; checked against
    /// [`keymap`] when the file is loaded.
    #[serde(default)]
    pub keys: BTreeMap<String, KeySpec>,
    /// The `[[feed]]` list.
    #[serde(default, rename = "feed")]
    pub feeds: Vec<FeedConfig>,
    /// Saved searches listed at the top of the feed screen (`[[view]]`, issue 9).
    #[serde(default, rename = "view")]
    pub views: Vec<ViewConfig>,
    /// Items a refresh does not store (`[[ignore]]`, a killfile).
    #[serde(default, rename = "ignore")]
    pub ignores: Vec<IgnoreConfig>,
    /// The user's own commands on a key (`[[command]]`, newsboat's macros).
    #[serde(default, rename = "command")]
    pub commands: Vec<CommandConfig>,
    /// Whether `feeds` came from the built-in defaults (the user's file has no
    /// `[[feed]]` list), recorded by the loader, which knows.
    #[serde(skip)]
    builtin_feeds: bool,
}

/// A `[[command]]`: a key that runs a shell line on the selected item.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandConfig {
    /// A key as `[keys]` names them.
    pub key: String,
    /// Shown in help and on the message line; empty shows the run line.
    #[serde(default)]
    pub name: String,
    /// Run with `sh -c`, placeholders filled in quoted.
    pub run: String,
    /// Background, terminal or pipe.
    #[serde(default)]
    pub mode: command::CommandMode,
}

/// An `[[ignore]]`: new items its query selects are not stored by a refresh.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreConfig {
    /// What it is for, in messages; optional.
    #[serde(default)]
    pub name: String,
    /// In the search language, e.g. `feed:hnrss.org sponsored`.
    pub query: String,
}

/// A `[[view]]`: a name and a query in the search language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewConfig {
    /// Shown on the feed screen and in the title bar.
    pub name: String,
    /// What the view lists, e.g. `tag:اقتصاد or tag:بورس is:unread`.
    pub query: String,
}

/// One key or several for an action.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeySpec {
    /// `quit = "q"`.
    One(String),
    /// `quit = ["q", "Q"]`.
    Many(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
/// `[general]`: the reader's behaviour.
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
    /// Run with `sh -c` after a refresh that stored new items (`%n` new, `%u`
    /// unread, `%f` feeds with new items, `%%`); empty: nothing runs.
    pub notify_command: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
/// `[fetch]`: limits and timeouts of every HTTP fetch.
#[serde(deny_unknown_fields)]
pub struct FetchConfig {
    /// Fetches at once, all hosts together.
    pub concurrency: usize,
    /// Fetches at once to one host.
    pub per_host: usize,
    /// Seconds to wait for a connection.
    pub connect_timeout_secs: u64,
    /// Seconds a whole fetch may take.
    pub timeout_secs: u64,
    /// Largest body accepted, after decompression.
    pub max_feed_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
    /// The `User-Agent` header.
    pub user_agent: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
/// `[cleanup]`: what a refresh removes.
#[serde(deny_unknown_fields)]
pub struct CleanupConfig {
    /// Read, unstarred items older than this are removed; 0 keeps everything.
    pub keep_read_days: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
/// `[display]`: how text is laid out.
#[serde(deny_unknown_fields)]
pub struct DisplayConfig {
    /// Who reorders right-to-left text.
    pub bidi: BidiMode,
    /// Who joins Arabic-script letters.
    pub shaping: ShapingMode,
    /// Show dates in the Jalali (Persian) calendar (`"auto"`: with locale fa).
    pub jalali_dates: AutoBool,
    /// Show digits as Persian digits in dates and counts (`"auto"`: with locale fa).
    pub persian_digits: AutoBool,
    /// The reader's interface language.
    pub locale: Locale,
}

/// `[sync]`: a feed server whose subscriptions, entries and read/starred state
/// khabar keeps in step with. The secret is one of `token`, `password`,
/// `password_file` or `password_command` (never logged or stored in the database).
#[derive(Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SyncConfig {
    /// `"miniflux"`, `"greader"`, or empty for no sync.
    pub provider: String,
    /// The server's address (greader: the API root).
    pub url: String,
    /// The account name (with a password).
    pub username: String,
    /// A Miniflux API token, instead of a username and password.
    pub token: String,
    /// The password itself (keep the file private: `chmod 600`).
    pub password: String,
    /// A file whose first line is the password.
    pub password_file: String,
    /// A command whose first output line is the password (run once per process).
    pub password_command: String,
}

// By hand, so that a debug print of the config never shows the secret.
impl std::fmt::Debug for SyncConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |text: &str| if text.is_empty() { "" } else { "***" };
        f.debug_struct("SyncConfig")
            .field("provider", &self.provider)
            .field("url", &self.url)
            .field("username", &self.username)
            .field("token", &hidden(&self.token))
            .field("password", &hidden(&self.password))
            .field("password_file", &self.password_file)
            .field("password_command", &self.password_command)
            .finish()
    }
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
    /// The feed's URL or local path.
    pub url: String,
    /// The user's title; none shows the feed's own.
    pub title: Option<String>,
    /// The user's tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Paragraph direction of the feed's text.
    #[serde(default)]
    pub direction: Direction,
    /// `true`: fetch each new item's page after a refresh; `"on-open"`: when an
    /// item is first opened in the reader.
    #[serde(default)]
    pub fulltext: FulltextSetting,
    /// `false` keeps the feed's items but stops refreshing and listing it.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
}

fn enabled_by_default() -> bool {
    true
}

impl FeedConfig {
    /// The feed as the store takes it.
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
            .map(|f| {
                (
                    f.url.clone(),
                    matches!(f.fulltext, FulltextSetting::OnOpen(_)),
                )
            })
            .collect()
    }

    /// The `[[view]]`s the feed screen lists: each name once, the first in the
    /// file winning. Older readers appended a saved view without looking at
    /// the names already there, so a file can hold a hand-written view and a
    /// saved one of the same name; the saved one is always the later (`S`
    /// appends), and what the user wrote above it is what they chose to keep.
    pub fn unique_views(&self) -> Vec<&ViewConfig> {
        let mut seen = std::collections::HashSet::new();
        self.views
            .iter()
            .filter(|view| seen.insert(view.name.as_str()))
            .collect()
    }

    /// Whether the feed list is khabar's built-in one (the config file has no
    /// `[[feed]]` list of its own).
    pub fn uses_builtin_feeds(&self) -> bool {
        self.builtin_feeds
    }

    /// The config's feeds as the store takes them.
    pub fn feed_specs(&self) -> Vec<FeedSpec> {
        self.feeds.iter().map(FeedConfig::to_spec).collect()
    }

    /// The `[[ignore]]` queries, parsed (the schema checked at load that each
    /// parses and has a condition; one that does not is left out).
    pub fn ignore_queries(&self) -> Vec<crate::query::Query> {
        self.ignores
            .iter()
            .filter_map(|rule| crate::query::parse(&rule.query).ok())
            .filter(|query| query.expr.is_some())
            .collect()
    }

    /// The `[[command]]`s for the reader (the schema checked at load that each
    /// key and run line is good and no key is used twice; one that is not
    /// is left out).
    pub fn user_commands(&self) -> Vec<command::UserCommand> {
        self.commands
            .iter()
            .filter_map(|c| {
                Some(command::UserCommand {
                    key: key::Key::parse(&c.key)?,
                    name: if c.name.trim().is_empty() {
                        c.run.clone()
                    } else {
                        c.name.clone()
                    },
                    template: command::Template::parse(&c.run).ok()?,
                    mode: c.mode,
                })
            })
            .collect()
    }

    /// The cleanup policy as the store takes it.
    pub fn cleanup_policy(&self) -> crate::core::CleanupPolicy {
        crate::core::CleanupPolicy {
            keep_read_days: self.cleanup.keep_read_days,
        }
    }
}
