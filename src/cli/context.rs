//! What every subcommand needs: resolved paths, the loaded config (with command-line
//! overrides applied) and an open store.

use std::path::PathBuf;

use crate::config::Config;
use crate::store::Store;

use super::Cli;

/// Resolved once per run from the command line and the environment.
#[derive(Debug, Clone)]
pub struct Context {
    pub config_path: PathBuf,
    /// True when the path came from `--config`/`KHABAR_CONFIG`: then it must exist.
    pub config_explicit: bool,
    pub db_path: PathBuf,
    pub bidi: Option<crate::config::BidiMode>,
    pub shaping: Option<crate::config::ShapingMode>,
}

impl Context {
    pub fn from_cli(cli: &Cli) -> anyhow::Result<Context> {
        let _ = cli;
        anyhow::bail!("not built yet")
    }

    /// The config file merged over the defaults, with command-line overrides applied.
    pub fn config(&self) -> anyhow::Result<Config> {
        anyhow::bail!("not built yet")
    }

    /// Opens (creating if needed) the database.
    pub fn open_store(&self) -> anyhow::Result<Store> {
        anyhow::bail!("not built yet")
    }
}
