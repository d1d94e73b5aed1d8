//! The reader: the Elm architecture over the local database. A model, messages,
//! a pure `update(model, msg) -> Vec<Command>`, a view that only reads the model,
//! and a runner that executes commands in tasks that answer with messages.

pub mod article;
pub mod dates;
pub mod db;
mod db_counts;
#[cfg(test)]
mod db_test_store;
mod db_watch;
mod db_write;
pub mod demo;
pub mod help;
pub mod i18n;
pub mod item_text;
// Key parsing and bindings belong to the config; re-exported at the old path.
pub use crate::config::keymap;
mod browser;
pub mod list;
mod list_ranked;
mod list_reload;
pub mod model;
pub mod msg;
mod process;
mod runner;
pub mod screen;
pub mod search;
pub mod source;
pub mod tag_picker;
pub mod tags;
pub mod terminal;
pub mod theme;
pub mod update;
#[cfg(test)]
mod update_tests;
pub mod view;

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::config::{BidiMode, Config, ShapingMode};
use crate::text::LayoutOptions;

pub use keymap::Keymap;
pub use model::{DateStyle, Model};
pub use msg::{Command, DbRequest, Msg};
pub use theme::Theme;
pub use update::update;
pub use view::{draw, view};

/// What the reader needs to start, resolved by the command line (which the
/// reader does not know about): the config with command-line overrides applied,
/// and where things are.
#[derive(Debug, Clone)]
pub struct ReaderOptions {
    /// The merged config, `--bidi` / `--shaping` already applied.
    pub config: Config,
    /// The config file, for messages.
    pub config_path: PathBuf,
    /// The user's themes directory.
    pub themes_dir: PathBuf,
    /// The database file.
    pub db_path: PathBuf,
    /// Open a built-in offline sample in a temporary database instead.
    pub demo: bool,
    /// The user's config file sets `[display]` (bidi, shaping): then the first
    /// start does not suggest `khabar terminal-check`.
    pub display_configured: bool,
}

/// The model as the config asks for it: keymap, theme, layout and date options.
pub fn model_from_config(options: &ReaderOptions, utc_offset: i32) -> anyhow::Result<Model> {
    let config = &options.config;
    let keymap = Keymap::from_config(&config.keys)
        .with_context(|| format!("in {}", options.config_path.display()))?;
    let mut theme = theme::load(&config.general.theme, Some(&options.themes_dir))?;
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        theme = theme.without_colour();
    }
    let layout = LayoutOptions {
        shape: config.display.shaping == ShapingMode::App,
        terminal_bidi: config.display.bidi == BidiMode::Terminal,
    };
    let locale = config.display.locale;
    let dates = DateStyle {
        jalali: config.display.jalali_dates.resolve(locale),
        persian_digits: config.display.persian_digits.resolve(locale),
        utc_offset,
        locale,
        // Recent items in words (`دیروز`) belong to the Persian interface.
        relative: locale == crate::config::Locale::Fa,
        now: None,
    };
    let mut model = Model::new(keymap, layout, dates);
    model.set_commands(config.user_commands());
    model.theme = theme;
    model.refresh_interval_minutes = config.general.refresh_interval_minutes;
    // Loading the config checked every view's query; one that still fails is
    // skipped. A name listed twice is listed once (`Config::unique_views`).
    model.views = config
        .unique_views()
        .into_iter()
        .filter_map(|v| {
            let query = crate::query::parse(&v.query).ok()?;
            Some(model::View {
                name: v.name.clone(),
                query,
                counts: None,
                newest: 0,
            })
        })
        .collect();
    Ok(model)
}

/// Fails unless stdin and stdout are a terminal; checked before anything else is
/// read or opened.
pub fn require_terminal() -> anyhow::Result<()> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "the reader needs a terminal; for scripts use khabar items / unread / refresh"
        );
    }
    Ok(())
}

/// Opens the reader (or, with `demo`, the reader on a built-in offline sample).
pub fn run(options: ReaderOptions) -> anyhow::Result<ExitCode> {
    require_terminal()?;
    let config = &options.config;
    let utc_offset = chrono::Local::now().offset().local_minus_utc();
    let mut model = model_from_config(&options, utc_offset)?;
    model.offline = options.demo;
    model.sync_enabled = !options.demo && !config.sync.provider.trim().is_empty();
    model.offer_terminal_check = !options.display_configured && !options.demo;
    // The demo database lives in a temporary directory removed on exit.
    let demo_dir = if options.demo {
        Some(tempfile::tempdir()?)
    } else {
        None
    };
    let (store, db_path) = match &demo_dir {
        Some(dir) => {
            let path = dir.path().join("demo.db");
            (demo::create(&path)?, path)
        }
        None => {
            let mut store = crate::refresh::open_synced_store(
                &options.db_path,
                &config.feed_specs(),
                crate::refresh::FeedList::of(config),
            )?;
            store.sync_fulltext_on_open(&config.fulltext_on_open())?;
            (store, options.db_path.clone())
        }
    };
    let runner_config = runner::RunnerConfig {
        db_path,
        fetch: config.fetch.clone(),
        browser: config.general.browser.clone(),
        mouse: config.general.mouse,
        cleanup: config.cleanup_policy(),
        app_bidi: config.display.bidi == BidiMode::App,
        sync: if options.demo {
            None
        } else {
            crate::sync::SyncSettings::from_config(&config.sync, &options.config_path)?
        },
        config_path: options.config_path.clone(),
        ignore: config.ignore_queries(),
        notify_command: config.general.notify_command.clone(),
        notify_failure_said: std::sync::Arc::default(),
    };
    let runtime = crate::fetch::runtime(crate::fetch::Workers::Fixed(2))?;
    runtime.block_on(runner::run(model, store, runner_config))?;
    // Refresh tasks still running are abandoned; their writes are per-feed transactions.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    Ok(ExitCode::SUCCESS)
}
