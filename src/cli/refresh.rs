//! `khabar refresh`: fetch feeds with a progress bar and print one summary line;
//! with a `[sync]` server, a whole refresh then syncs too (a second line).

use crate::text::thousands;
use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};

use super::Context;
use crate::refresh::{FeedOutcome, RefreshEvent, RefreshRequest, RefreshSummary, RefreshTarget};
use crate::text::plural;

/// Refreshes the enabled feeds (or those named by `feeds` / `tags`) through the
/// refresh task, with a progress bar on a terminal and one summary line.
pub fn run(
    ctx: &Context,
    feeds: &[String],
    tags: &[String],
    quiet: bool,
) -> anyhow::Result<ExitCode> {
    let config = ctx.config()?;
    let store = ctx.open_store_synced(&config)?;
    let all = store.feeds()?;
    // A feed named on the command line is looked up like the config names it, so a
    // feed that moved (301) is still found by the URL the user knows.
    let mut wanted = Vec::with_capacity(feeds.len());
    for url in feeds {
        match store.feed_by_url(url)? {
            Some(feed) => wanted.push(feed.id),
            None => anyhow::bail!("no feed with URL {url} (add it with `khabar add {url}`)"),
        }
    }
    let targets: Vec<RefreshTarget> = all
        .iter()
        .filter(|f| f.enabled || !feeds.is_empty())
        .filter(|f| feeds.is_empty() || wanted.contains(&f.id))
        .filter(|f| tags.is_empty() || f.tags.iter().any(|t| tags.contains(t)))
        .map(|f| RefreshTarget {
            feed_id: f.id,
            url: f.url.clone(),
        })
        .collect();
    drop(store);

    let show_progress = !quiet && std::io::stderr().is_terminal();
    let runtime = crate::fetch::runtime(crate::fetch::Workers::PerCpu)
        .context("cannot start the async runtime")?;
    let request = RefreshRequest::new(&ctx.db_path, &config, targets);
    let refresh = async move {
        let (events_tx, events_rx) = tokio::sync::mpsc::unbounded_channel();
        let progress = tokio::spawn(show_progress_bar(events_rx, show_progress));
        let result = crate::refresh::run(request, events_tx).await;
        let _ = progress.await;
        result
    };
    let report =
        crate::fetch::run_on_workers(&runtime, refresh).context("the refresh task failed")??;

    if !quiet {
        println!("{}", summary_line(&report.summary));
    }
    if let Some(message) = &report.notify_failed {
        // Said even with --quiet, like the full disk below: cron mails it.
        eprintln!("khabar: {}", clean(message));
    }
    let summary = report.summary;
    if summary.disk_full > 0 {
        // Said even with --quiet: cron mails what a quiet run prints on stderr.
        eprintln!("{}", disk_full_line(&ctx.db_path, summary.disk_full));
    }
    let nothing_refreshed = summary.feeds > 0 && summary.failed == summary.feeds;
    // A whole refresh also syncs with the [sync] server (its feeds come from it),
    // as `R` in the reader does; backing off after failed syncs like `khabar sync`.
    // Not on a full disk: it could store nothing, and the disk is said once.
    let synced = match crate::sync::SyncSettings::from_config(&config.sync, &ctx.config_path)? {
        Some(settings) if feeds.is_empty() && tags.is_empty() && summary.disk_full == 0 => {
            let mut store = ctx.open_store()?;
            super::sync::sync_with(&mut store, &ctx.db_path, &settings, quiet, false)?
        }
        _ => ExitCode::SUCCESS,
    };
    Ok(if nothing_refreshed || summary.disk_full > 0 {
        ExitCode::FAILURE
    } else {
        synced
    })
}

/// Draws the refresh's events as a progress bar (when `show` is set) until the
/// refresh drops its sender.
async fn show_progress_bar(
    mut events: tokio::sync::mpsc::UnboundedReceiver<RefreshEvent>,
    show: bool,
) {
    let bar = show.then(new_progress_bar);
    while let Some(event) = events.recv().await {
        let Some(bar) = &bar else { continue };
        match event {
            RefreshEvent::Started { total } => bar.set_length(total as u64),
            RefreshEvent::FeedDone {
                url, outcome, done, ..
            } => {
                bar.set_position(done as u64);
                if let FeedOutcome::Failed(failure) = outcome {
                    bar.println(format!("{}: {}", clean(&url), clean(&failure.to_string())));
                }
            }
            RefreshEvent::Finished(_) => bar.finish_and_clear(),
        }
    }
}

fn new_progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {bar:40} {pos}/{len} feeds {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}

/// Feed-supplied text on its way to a terminal: no control characters.
fn clean(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// What a refresh that filled the disk says once, beside the per-feed errors in
/// `khabar feeds`: which file, how many feeds, and that nothing stored was lost.
fn disk_full_line(db: &std::path::Path, feeds: usize) -> String {
    format!(
        "khabar: {}: {} {} fetched but not stored \
         (what was stored before is kept; free some space and refresh again)",
        disk_full(db),
        thousands(feeds as u64),
        plural(feeds as u64, "feed", "feeds"),
    )
}

/// How `refresh` and `sync` name a full disk: by the database it holds.
pub(super) fn disk_full(db: &std::path::Path) -> String {
    format!("the disk holding {} is full", db.display())
}

/// `312 feeds: 309 updated, 3 failed (see khabar feeds); 1,204 new items`, and
/// `, 12 ignored` when `[[ignore]]` rules left new items out.
pub fn summary_line(summary: &RefreshSummary) -> String {
    let mut parts = vec![format!("{} updated", thousands(summary.updated as u64))];
    if summary.unchanged > 0 {
        parts.push(format!("{} unchanged", thousands(summary.unchanged as u64)));
    }
    if summary.failed > 0 {
        parts.push(format!(
            "{} failed (see khabar feeds)",
            thousands(summary.failed as u64)
        ));
    }
    let feeds = plural(summary.feeds as u64, "feed", "feeds");
    let items = plural(summary.new_items, "item", "items");
    let ignored = if summary.ignored > 0 {
        format!(", {} ignored", thousands(summary.ignored))
    } else {
        String::new()
    };
    format!(
        "{} {feeds}: {}; {} new {items}{ignored}",
        thousands(summary.feeds as u64),
        parts.join(", "),
        thousands(summary.new_items)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_has_thousands_separators_and_failures() {
        let summary = RefreshSummary {
            feeds: 312,
            updated: 309,
            unchanged: 0,
            failed: 3,
            disk_full: 0,
            new_items: 1204,
            ignored: 0,
        };
        assert_eq!(
            summary_line(&summary),
            "312 feeds: 309 updated, 3 failed (see khabar feeds); 1,204 new items"
        );
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn summary_mentions_unchanged_feeds() {
        let summary = RefreshSummary {
            feeds: 2,
            updated: 1,
            unchanged: 1,
            failed: 0,
            disk_full: 0,
            new_items: 1,
            ignored: 0,
        };
        assert_eq!(
            summary_line(&RefreshSummary {
                ignored: 1_500,
                ..summary
            }),
            "2 feeds: 1 updated, 1 unchanged; 1 new item, 1,500 ignored"
        );
        assert_eq!(
            summary_line(&summary),
            "2 feeds: 1 updated, 1 unchanged; 1 new item"
        );
    }

    #[test]
    fn a_full_disk_is_said_once_with_the_file_and_the_count() {
        let line = disk_full_line(std::path::Path::new("/data/khabar.db"), 1);
        assert_eq!(
            line,
            "khabar: the disk holding /data/khabar.db is full: 1 feed fetched but not stored \
             (what was stored before is kept; free some space and refresh again)"
        );
        assert!(
            disk_full_line(std::path::Path::new("k.db"), 1_200).contains(": 1,200 feeds fetched")
        );
    }
}
