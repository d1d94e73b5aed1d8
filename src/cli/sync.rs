//! `khabar sync [--quiet]`: one sync with the `[sync]` server, for cron and by
//! hand. Prints one summary line (nothing with `--quiet` unless it fails); exits
//! non-zero only when the server could not be reached, refused the login or kept
//! failing: the local data is untouched then, and pending marks stay queued.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use crate::store::Store;
use crate::sync::engine::{keys, thousands};
use crate::sync::{SyncSettings, sync_once};

/// Runs one sync.
pub fn run(ctx: &Context, quiet: bool) -> anyhow::Result<ExitCode> {
    let config = ctx.config()?;
    let Some(settings) = SyncSettings::from_config(&config.sync, &ctx.config_path)? else {
        anyhow::bail!(
            "no sync server configured: set [sync] provider, url and username/password or token in {}",
            ctx.config_path.display()
        );
    };
    let mut store = ctx.open_store()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let show_progress = !quiet && std::io::stderr().is_terminal();
    let mut progress = |stage: &str| {
        if show_progress {
            eprint!("\r\x1b[2Ksync: {stage}");
        }
    };
    let result = runtime.block_on(sync_once(&mut store, &settings, &mut progress));
    if show_progress {
        eprint!("\r\x1b[2K");
    }
    match result {
        Ok(report) => {
            if !quiet {
                println!("{}", report.summary());
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            let pending = store.outbox_stats().map(|stats| stats.marks).unwrap_or(0);
            let kept = if pending > 0 {
                format!("; {} local marks kept for the next sync", thousands(pending))
            } else {
                String::new()
            };
            eprintln!("khabar: sync failed: {err}{kept}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// The account line of `khabar feeds`: who, where, the last sync and the outbox.
pub fn status_line(ctx: &Context, store: &Store) -> anyhow::Result<Option<String>> {
    let config = ctx.config()?;
    let Some(settings) = SyncSettings::from_config(&config.sync, &ctx.config_path)? else {
        return Ok(None);
    };
    let last = match store.sync_value(keys::LAST_SYNC_AT)? {
        Some(at) => {
            let when = at
                .parse::<i64>()
                .ok()
                .map(super::items::local_time)
                .unwrap_or(at);
            let result = store.sync_value(keys::LAST_RESULT)?.unwrap_or_default();
            format!("last sync {when} ({result})")
        }
        None => "never synced".to_string(),
    };
    let outbox = store.outbox_stats()?;
    Ok(Some(format!(
        "sync: {}, {last}, {} marks waiting to be sent",
        settings.account(),
        thousands(outbox.marks)
    )))
}
