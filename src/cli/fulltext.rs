//! `khabar fulltext [--feed URL] [--tag T] [--missing] [--limit N]`: fetch the
//! web pages of items and keep their articles, with a progress bar: a cron job
//! before going offline. Without `--feed` or `--tag`, the items of feeds with
//! `fulltext` on; pages go through the configured fetch limits.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};

use super::Context;
use crate::fetch::Fetcher;
use crate::store::{FulltextSelection, Store};

/// What the command line asked for.
pub struct Options<'a> {
    /// `--feed`.
    pub feed: Option<&'a str>,
    /// `--tag`.
    pub tag: Option<&'a str>,
    /// `--missing`.
    pub missing: bool,
    /// `--limit`.
    pub limit: usize,
}

/// Fetches the selected items' pages.
pub fn run(ctx: &Context, options: &Options<'_>) -> anyhow::Result<ExitCode> {
    let config = ctx.config()?;
    let store = ctx.open_store_synced(&config)?;
    let feed = match options.feed {
        Some(url) => match store.feed_by_url(url)? {
            Some(feed) => Some(feed.id),
            None => anyhow::bail!("no feed with URL {url} (see khabar feeds)"),
        },
        None => None,
    };
    let jobs = store.fulltext_selection(&FulltextSelection {
        feed,
        tag: options.tag.map(str::to_string),
        missing: options.missing,
        limit: options.limit,
    })?;
    drop(store);
    let total = jobs.len();
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {bar:40} {pos}/{len} pages {elapsed}")
        {
            bar.set_style(style);
        }
        bar
    });
    let runtime = crate::fetch::runtime(crate::fetch::Workers::PerCpu)
        .context("cannot start the async runtime")?;
    let summary = runtime.block_on(async {
        let fetcher = Fetcher::new(&config.fetch)?;
        crate::fulltext::fetch::fetch_jobs(
            &ctx.db_path,
            &fetcher,
            config.fetch.concurrency,
            jobs,
            |_, done| {
                if let Some(bar) = &bar {
                    bar.set_position(done as u64);
                }
            },
        )
        .await
    })?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    // Each batch of pages went into the search index as a segment of its own
    // (FTS5 merges none by itself: `MIGRATION_SEARCH_MERGE_AFTER_WRITES`), as
    // after a refresh. A failure costs only search speed: logged.
    if summary.extracted > 0 {
        match Store::open(&ctx.db_path) {
            Ok(store) => {
                store.merge_search_index_logged();
            }
            Err(err) => tracing::warn!("cannot merge the search index: {err}"),
        }
    }
    println!(
        "{}: {} with full text, {} without (see the log for why)",
        crate::text::plural::counted(total as u64, "page", "pages"),
        summary.extracted,
        summary.failed
    );
    Ok(if total > 0 && summary.extracted == 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
