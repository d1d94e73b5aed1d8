//! The reader: the Elm architecture over the local database. A model, messages,
//! a pure `update(model, msg) -> Vec<Command>`, a view that only reads the model,
//! and a runner that executes commands in tasks that answer with messages.

pub mod article;
pub mod dates;
pub mod db;
pub mod demo;
pub mod keymap;
pub mod list;
pub mod model;
pub mod msg;
mod runner;
pub mod tags;
pub mod terminal;
pub mod theme;
pub mod update;
#[cfg(test)]
mod update_tests;
pub mod view;

use std::io::IsTerminal as _;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::Context;
use crate::config::{BidiMode, Config, ShapingMode};
use crate::text::LayoutOptions;

pub use keymap::Keymap;
pub use model::{DateStyle, Model};
pub use msg::{Command, Msg};
pub use theme::Theme;
pub use update::update;
pub use view::{draw, view};

/// The model as the config asks for it: keymap, theme, layout and date options.
pub fn model_from_config(config: &Config, ctx: &Context, utc_offset: i32) -> anyhow::Result<Model> {
    let keymap = Keymap::from_config(&config.keys)
        .with_context(|| format!("in {}", ctx.config_path.display()))?;
    let themes_dir = ctx.themes_dir();
    let mut theme = theme::load(&config.general.theme, Some(&themes_dir))?;
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        theme = theme.without_colour();
    }
    let bidi = ctx.bidi.unwrap_or(config.display.bidi);
    let shaping = ctx.shaping.unwrap_or(config.display.shaping);
    let layout = LayoutOptions {
        shape: shaping == ShapingMode::App,
        terminal_bidi: bidi == BidiMode::Terminal,
    };
    let dates = DateStyle {
        jalali: config.display.jalali_dates,
        persian_digits: config.display.persian_digits,
        utc_offset,
    };
    let mut model = Model::new(keymap, layout, dates);
    model.theme = theme;
    model.refresh_interval_minutes = config.general.refresh_interval_minutes;
    Ok(model)
}

/// Opens the reader (or, with `demo`, the reader on a built-in offline sample).
pub fn run(ctx: &Context, demo: bool) -> anyhow::Result<ExitCode> {
    // Checked first, before the database is opened or the terminal touched.
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "the reader needs a terminal; for scripts use khabar items / unread / refresh"
        );
    }
    let config = ctx.config()?;
    let utc_offset = chrono::Local::now().offset().local_minus_utc();
    let mut model = model_from_config(&config, ctx, utc_offset)?;
    model.offline = demo;
    model.sync_enabled = !demo && !config.sync.provider.trim().is_empty();
    // The demo database lives in a temporary directory removed on exit.
    let demo_dir = if demo {
        Some(tempfile::tempdir()?)
    } else {
        None
    };
    let (store, db_path) = match &demo_dir {
        Some(dir) => {
            let path = dir.path().join("demo.db");
            (demo::create(&path)?, path)
        }
        None => (ctx.open_store_synced(&config)?, ctx.db_path.clone()),
    };
    let runner_config = runner::RunnerConfig {
        db_path,
        fetch: config.fetch.clone(),
        browser: config.general.browser.clone(),
        mouse: config.general.mouse,
        app_bidi: ctx.bidi.unwrap_or(config.display.bidi) == BidiMode::App,
        sync: if demo {
            None
        } else {
            crate::sync::SyncSettings::from_config(&config.sync, &ctx.config_path)?
        },
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(runner::run(model, store, runner_config))?;
    // Refresh tasks still running are abandoned; their writes are per-feed transactions.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    Ok(ExitCode::SUCCESS)
}
