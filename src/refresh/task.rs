//! The refresh task: the one entry point through which `khabar refresh` (and so
//! cron), `khabar add` and the reader refresh feeds. It runs every phase: fetch,
//! parse and write the feeds ([`super::fetch_and_write`]); fetch the full text
//! of new items of `fulltext` feeds, each feed's pages as soon as the feed is
//! written (while the other feeds are still fetched, through the same fetcher
//! and so the same concurrency budget); then remove read items past the cleanup
//! policy, and only then report [`RefreshEvent::Finished`], so a reader that
//! reloads its lists on that event sees the database as the refresh left it.
//!
//! Callers differ only in how they show progress: the CLI draws a progress bar
//! from the events, the reader a status line.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use super::{FeedOutcome, RefreshError, RefreshEvent, RefreshSummary, RefreshTarget};
use crate::config::{Config, FetchConfig};
use crate::core::{CleanupPolicy, FeedId};
use crate::fetch::Fetcher;
use crate::fulltext::fetch::FulltextSummary;
use crate::query::Query;
use crate::store::{IgnoreRules, Store};

/// Everything one refresh needs.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshRequest {
    /// The database; the refresh opens its own connections.
    pub db_path: PathBuf,
    /// Limits and timeouts of the fetcher.
    pub fetch: FetchConfig,
    /// Which read items to remove afterwards.
    pub cleanup: CleanupPolicy,
    /// The feeds to refresh.
    pub targets: Vec<RefreshTarget>,
    /// `[[ignore]]`: new items any of these select are not stored.
    pub ignore: Vec<Query>,
    /// `[general] notify_command`, run after a refresh that stored new items;
    /// empty: none.
    pub notify_command: String,
}

impl RefreshRequest {
    /// A refresh of `targets` as `config` asks for it.
    pub fn new(db_path: &Path, config: &Config, targets: Vec<RefreshTarget>) -> RefreshRequest {
        RefreshRequest {
            db_path: db_path.to_path_buf(),
            fetch: config.fetch.clone(),
            cleanup: config.cleanup_policy(),
            targets,
            ignore: config.ignore_queries(),
            notify_command: config.general.notify_command.clone(),
        }
    }
}

/// What a whole refresh did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RefreshReport {
    /// The feeds' outcomes, as sent in [`RefreshEvent::Finished`].
    pub summary: RefreshSummary,
    /// Pages fetched for full text.
    pub fulltext: FulltextSummary,
    /// Read items removed by the cleanup policy.
    pub removed: u64,
    /// Why `notify_command` could not be started, to say once; the refresh
    /// itself went on.
    pub notify_failed: Option<String>,
}

/// Runs a whole refresh and reports progress on `events`: `Started`, one
/// `FeedDone` per feed, then `Finished` once everything (cleanup included) is
/// done. One failing feed never stops the others; a failing full-text phase is
/// logged and never fails the refresh; a failing cleanup is returned as
/// [`RefreshError::Cleanup`] after `Finished` was sent (the feeds are written).
pub async fn run(
    request: RefreshRequest,
    events: UnboundedSender<RefreshEvent>,
) -> Result<RefreshReport, RefreshError> {
    let RefreshRequest {
        db_path,
        fetch,
        cleanup,
        targets,
        ignore,
        notify_command,
    } = request;
    // Calendar days in the rules are the user's days, as in a search.
    let clock = crate::store::SearchClock::local();
    let ignore = IgnoreRules::new(ignore, clock.utc_offset);
    // One fetcher, so feeds and pages share its global and per-host slots.
    let fetcher = Arc::new(Fetcher::new(&fetch).map_err(RefreshError::Client)?);
    let checkpointer = {
        let path = db_path.clone();
        tokio::task::spawn_blocking(move || super::checkpointer::Checkpointer::start(&path)).await?
    };
    // The feeds' events pass through here on their way to the caller: each
    // written feed starts its pages.
    let (feed_events, mut feed_events_rx) = tokio::sync::mpsc::unbounded_channel();
    let (written, written_rx) = tokio::sync::mpsc::unbounded_channel::<FeedId>();
    let feeds = {
        let fetcher = fetcher.clone();
        let db_path = &db_path;
        async move {
            let feeds =
                super::fetch_and_write(db_path, fetcher, targets, ignore, &feed_events).await;
            // Closes the channel: no more feeds to start pages for.
            drop(feed_events);
            feeds
        }
    };
    let forward = async move {
        // Feeds that got new items: `%f` of `notify_command`.
        let mut with_new = 0u64;
        while let Some(event) = feed_events_rx.recv().await {
            if let RefreshEvent::FeedDone {
                feed_id, outcome, ..
            } = &event
            {
                let _ = written.send(*feed_id);
                if matches!(outcome, FeedOutcome::Updated(stats) if stats.new_items > 0) {
                    with_new += 1;
                }
            }
            let _ = events.send(event);
        }
        (events, with_new)
    };
    let pages = full_text(&db_path, &fetcher, fetch.concurrency, written_rx);
    let (feeds, (events, with_new), fulltext) = tokio::join!(feeds, forward, pages);
    let feeds = match feeds {
        Ok(feeds) => feeds,
        Err(err) => {
            stop_checkpointer(checkpointer).await;
            return Err(err);
        }
    };
    let (summary, _feed_ids) = feeds;
    // Before `Finished`: a reader reloading then sees the merge's commits as its own.
    let wrote = summary.new_items > 0 || fulltext.extracted > 0;
    let removed = after_writes(db_path.clone(), cleanup, wrote).await;
    // Here, where `khabar refresh`, `khabar add` and the reader all pass, once the
    // feeds are written: `%u` counts what the refresh left. Only spawned.
    let notify_failed =
        super::notify::after_refresh(db_path, &notify_command, summary.new_items, with_new).await;
    let _ = events.send(RefreshEvent::Finished(summary));
    // After `Finished`: a reader reloading its lists need not wait for it.
    stop_checkpointer(checkpointer).await;
    Ok(RefreshReport {
        summary,
        fulltext,
        removed: removed?,
        notify_failed,
    })
}

/// Copies the rest of the WAL into the database and closes the checkpointer's
/// connection (the last one the task holds).
async fn stop_checkpointer(checkpointer: Option<super::checkpointer::Checkpointer>) {
    if let Some(checkpointer) = checkpointer
        && let Err(err) = tokio::task::spawn_blocking(move || checkpointer.stop()).await
    {
        tracing::error!("checkpoint thread failed: {err}");
    }
}

/// A feed's pages are fetched once the feed is stored, so headlines never wait
/// on them.
async fn full_text(
    db_path: &Path,
    fetcher: &Fetcher,
    concurrency: usize,
    written: UnboundedReceiver<FeedId>,
) -> FulltextSummary {
    let pages =
        crate::fulltext::fetch::fetch_articles_as_written(db_path, fetcher, concurrency, written);
    match pages.await {
        Ok(pages) => {
            if pages.extracted + pages.failed > 0 {
                tracing::info!(
                    "full text: {} extracted, {} failed",
                    pages.extracted,
                    pages.failed
                );
            }
            pages
        }
        Err(err) => {
            tracing::warn!("full-text phase failed: {err:#}");
            FulltextSummary::default()
        }
    }
}

/// Through one connection of its own: the cleanup policy applied, then, when
/// the refresh wrote or the cleanup removed anything, the search index merged
/// into few segments (`Store::merge_search_index`). A failing cleanup is the
/// refresh's error; a failing merge is logged only.
async fn after_writes(
    db_path: PathBuf,
    policy: CleanupPolicy,
    wrote: bool,
) -> Result<u64, RefreshError> {
    if policy.keep_read_days == 0 && !wrote {
        return Ok(0);
    }
    tokio::task::spawn_blocking(move || {
        let mut store = match Store::open(&db_path) {
            Ok(store) => store,
            // Without a cleanup to run, only the merge is lost: logged, as its failure is.
            Err(err) if policy.keep_read_days == 0 => {
                tracing::warn!("cannot merge the search index: {err}");
                return Ok(0);
            }
            Err(err) => return Err(RefreshError::Cleanup(err)),
        };
        let mut removed = 0;
        if policy.keep_read_days > 0 {
            let now = chrono::Utc::now().timestamp();
            removed = store.cleanup(policy, now).map_err(RefreshError::Cleanup)?;
            tracing::info!(removed, "cleanup after refresh");
        }
        if wrote || removed > 0 {
            store.merge_search_index_logged();
        }
        Ok(removed)
    })
    .await?
}
