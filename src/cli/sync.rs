//! `khabar sync [--quiet] [--now]`: one sync with the `[sync]` server, for cron
//! and by hand. Prints one summary line (nothing with `--quiet` unless it fails);
//! exits non-zero only when the server could not be reached, refused the login,
//! kept failing, or the local disk is full: the local data is untouched then, and
//! pending marks stay queued.
//! After failed syncs it backs off (`sync::backoff`): a run before the next try is
//! due says so and exits 0 without contacting the server, unless `--now`.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use crate::store::Store;
use crate::sync::engine::keys;
use crate::sync::{SyncError, SyncSettings, SyncStage, backoff, sync_once};
use crate::text::thousands;

/// Runs one sync (`now`: even while backing off).
pub fn run(ctx: &Context, quiet: bool, now: bool) -> anyhow::Result<ExitCode> {
    let config = ctx.config()?;
    let Some(settings) = SyncSettings::from_config(&config.sync, &ctx.config_path)? else {
        anyhow::bail!(
            "no sync server configured: set [sync] provider, url and username/password or token in {}",
            ctx.config_path.display()
        );
    };
    let mut store = ctx.open_store()?;
    sync_with(&mut store, &ctx.db_path, &settings, quiet, now)
}

/// One sync with `settings` on `store` (the database at `db_path`), its summary
/// or error printed; shared by `khabar sync` and `khabar refresh`.
pub fn sync_with(
    store: &mut Store,
    db_path: &std::path::Path,
    settings: &SyncSettings,
    quiet: bool,
    now: bool,
) -> anyhow::Result<ExitCode> {
    if !now && let Some(wait) = backoff::pending(store, chrono::Utc::now().timestamp())? {
        if !quiet {
            println!("{}", backing_off_line(settings, &wait));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let runtime = crate::fetch::runtime(crate::fetch::Workers::CallerOnly)
        .context("cannot start the async runtime")?;
    let show_progress = !quiet && std::io::stderr().is_terminal();
    let mut progress = |stage: SyncStage| {
        if show_progress {
            eprint!("\r\x1b[2Ksync: {stage}");
        }
    };
    let result = runtime.block_on(sync_once(store, settings, &mut progress));
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
                format!(
                    "; {} kept for the next sync",
                    match pending {
                        1 => "1 local mark".to_string(),
                        n => format!("{} local marks", thousands(n)),
                    }
                )
            } else {
                String::new()
            };
            let retry = match backoff::current(store).ok().flatten() {
                Some(wait) if backoff::counts(&err) => format!(
                    "; next try after {}",
                    super::items::local_time(wait.next_attempt_at)
                ),
                _ => String::new(),
            };
            let why = match &err {
                // As `khabar refresh` says it: which file, and what to do.
                SyncError::Store(store_err) if store_err.is_disk_full() => format!(
                    "{} (free some space and sync again)",
                    super::refresh::disk_full(db_path)
                ),
                _ => err.to_string(),
            };
            eprintln!("khabar: sync failed: {why}{kept}{retry}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `sync: skipped: 3 failed syncs in a row with http://…; next try after …`.
fn backing_off_line(settings: &SyncSettings, wait: &backoff::Backoff) -> String {
    let failures = match wait.failures {
        1 => "the last sync".to_string(),
        n => format!("{n} syncs in a row"),
    };
    format!(
        "sync: skipped: {failures} with {} failed; next try after {} (`khabar sync --now` tries at once)",
        settings.server(),
        super::items::local_time(wait.next_attempt_at)
    )
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
    let marks = match outbox.marks {
        1 => "1 mark".to_string(),
        n => format!("{} marks", thousands(n)),
    };
    let server = match (
        store.sync_value(keys::VERSION)?,
        store.sync_value(keys::CAPABILITIES)?,
    ) {
        (Some(version), Some(caps)) if version != caps => format!(" ({version}, {caps})"),
        (Some(version), _) => format!(" ({version})"),
        _ => String::new(),
    };
    let waiting = match backoff::current(store)? {
        Some(wait) => format!(
            ", {} failed in a row, next try after {}",
            wait.failures,
            super::items::local_time(wait.next_attempt_at)
        ),
        None => String::new(),
    };
    Ok(Some(format!(
        "sync: {}{server}, {last}, {marks} waiting to be sent{waiting}",
        settings.account()
    )))
}

/// The `[sync]` settings when a server is configured.
fn settings(ctx: &Context) -> anyhow::Result<Option<SyncSettings>> {
    let config = ctx.config()?;
    Ok(SyncSettings::from_config(&config.sync, &ctx.config_path)?)
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    crate::fetch::runtime(crate::fetch::Workers::CallerOnly)
        .context("cannot start the async runtime")
}

/// `khabar add` with a sync server: subscribes there, then syncs so the feed and
/// its entries arrive the way every other synced feed does. `None` when no server
/// is configured (the feed is then added locally).
pub fn add_on_server(
    ctx: &Context,
    feed_url: &str,
    tags: &[String],
    title: Option<&str>,
) -> anyhow::Result<Option<ExitCode>> {
    let Some(settings) = settings(ctx)? else {
        return Ok(None);
    };
    let runtime = runtime()?;
    runtime
        .block_on(crate::sync::engine::subscribe(&settings, feed_url))
        .with_context(|| format!("cannot subscribe to {feed_url} on the sync server"))?;
    let mut store = ctx.open_store()?;
    let report = runtime.block_on(sync_once(&mut store, &settings, &mut |_| {}))?;
    let Some(feed) = store.feed_by_url(feed_url)? else {
        println!(
            "subscribed on {} to {feed_url}; it did not come back in the sync ({})",
            settings.server(),
            report.summary()
        );
        return Ok(Some(ExitCode::SUCCESS));
    };
    if title.is_some() || !tags.is_empty() {
        store.add_feed(&crate::store::FeedSpec {
            url: feed.url.clone(),
            title: title.map(str::to_string),
            tags: tags.to_vec(),
            enabled: true,
            ..crate::store::FeedSpec::default()
        })?;
    }
    println!(
        "added {} <{feed_url}> on {}: {}",
        crate::text::sanitize::clean_inline(&feed.title),
        settings.server(),
        super::items::items(feed.total)
    );
    Ok(Some(ExitCode::SUCCESS))
}

/// `khabar remove` of a feed the server provides: unsubscribes there first, so the
/// next sync does not bring it back. Nothing is removed locally when that fails.
pub fn remove_on_server(
    ctx: &Context,
    store: &Store,
    feed: crate::store::FeedId,
) -> anyhow::Result<()> {
    let Some(remote) = crate::sync::engine::remote_feed(store, feed)? else {
        return Ok(());
    };
    let Some(settings) = settings(ctx)? else {
        return Ok(());
    };
    runtime()?
        .block_on(crate::sync::engine::unsubscribe(&settings, remote))
        .context("cannot unsubscribe on the sync server; nothing was removed")?;
    Ok(())
}
