//! Refreshing feeds: fetch concurrently, parse off the async threads, write each
//! feed in one transaction, and report progress as messages.
//!
//! The whole task — these phases, then full text and cleanup — is [`run`]
//! (`task.rs`), the one entry point of `khabar refresh`, `khabar add` and the
//! reader. This file holds its first phase, `fetch_and_write`.
//!
//! Shape: one async task per feed fetches (bounded by the fetcher's global and
//! per-host slots); bodies are parsed on blocking threads (at most one per CPU, and
//! a body keeps its fetch slot until a parser is free, which bounds memory); one
//! writer thread (`writer.rs`) owns the [`Store`] and writes the feeds waiting
//! for it in one transaction.

mod checkpointer;
mod failure;
mod notify;
mod open;
mod search_backlog;
mod task;
mod writer;

pub use failure::{FeedFailure, RefreshError};
pub use open::{FeedList, OpenError, open_store, open_synced_store};
pub use task::{RefreshReport, RefreshRequest, run};
/// For `benches/fts5_floor.rs`, which indexes in the writer's batches.
#[doc(hidden)]
pub use writer::BATCH_ITEMS;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

use crate::config::FetchConfig;
use crate::fetch::{FetchOutcome, Fetcher};
use crate::store::{
    CleanupPolicy, FeedId, FeedUpdate, FetchState, IgnoreRules, PreparedIndex, Store, UpdateStats,
};

mod notes;
use notes::JobNotes;
use writer::{JobResult, WriteJob, write_all};

/// One feed to refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshTarget {
    /// Its row id.
    pub feed_id: FeedId,
    /// Where to fetch it.
    pub url: String,
}

/// How one feed's refresh ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedOutcome {
    /// Written; what changed.
    Updated(UpdateStats),
    /// 304, or a body identical to the last one.
    Unchanged,
    /// Nothing written but the error; the feed keeps its items.
    Failed(FeedFailure),
}

/// Progress reported while refreshing, in completion order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshEvent {
    /// The feeds are being fetched; `total` of them.
    Started {
        /// How many feeds.
        total: usize,
    },
    /// One feed is done.
    FeedDone {
        /// Which feed.
        feed_id: FeedId,
        /// Its URL when the refresh started.
        url: String,
        /// How it ended.
        outcome: FeedOutcome,
        /// Feeds done so far, this one included.
        done: usize,
        /// Feeds in the refresh.
        total: usize,
    },
    /// Everything is done: feeds, full text and cleanup.
    Finished(RefreshSummary),
}

/// Totals of a whole refresh, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RefreshSummary {
    /// Feeds refreshed.
    pub feeds: usize,
    /// Feeds written with a new body.
    pub updated: usize,
    /// Feeds whose server or body said nothing changed.
    pub unchanged: usize,
    /// Feeds that failed.
    pub failed: usize,
    /// Of the failed feeds, those fetched and read but not stored because the
    /// disk is full (their items come again on the next refresh).
    pub disk_full: usize,
    /// Items seen for the first time.
    pub new_items: u64,
    /// New items not stored because an `[[ignore]]` rule selects them.
    pub ignored: u64,
}

/// The whole refresh task ([`run`]) without a cleanup policy (nothing is
/// removed), for callers that have no config: tests and benchmarks.
pub async fn refresh(
    db_path: &Path,
    config: &FetchConfig,
    targets: Vec<RefreshTarget>,
    events: tokio::sync::mpsc::UnboundedSender<RefreshEvent>,
) -> Result<RefreshSummary, RefreshError> {
    let request = RefreshRequest {
        db_path: db_path.to_path_buf(),
        fetch: config.clone(),
        cleanup: CleanupPolicy::default(),
        targets,
        ignore: Vec::new(),
        notify_command: String::new(),
    };
    Ok(run(request, events).await?.summary)
}

/// The first phase of a refresh: fetches `targets`, writing through its own
/// connection to `db_path`, and sends `Started` and one `FeedDone` per feed.
/// Returns the totals and the feeds that were refreshed. Fetches through
/// `fetcher`, the refresh's, which its full-text pages share (`task.rs`).
async fn fetch_and_write(
    db_path: &Path,
    fetcher: Arc<Fetcher>,
    mut targets: Vec<RefreshTarget>,
    ignore: Option<IgnoreRules>,
    events: &tokio::sync::mpsc::UnboundedSender<RefreshEvent>,
) -> Result<(RefreshSummary, Vec<FeedId>), RefreshError> {
    let (mut store, states, retry_at) =
        open_and_read_states(db_path.to_path_buf(), &targets).await?;
    store.set_ignore_rules(ignore);
    // The caller's list may be older than the database: a feed removed since (by
    // `khabar remove` in another shell) is not fetched, rather than reported as failed.
    targets.retain(|t| states.contains_key(&t.feed_id));
    let total = targets.len();
    let _ = events.send(RefreshEvent::Started { total });
    let feed_ids: Vec<FeedId> = targets.iter().map(|t| t.feed_id).collect();

    let (jobs_tx, jobs_rx) = mpsc::channel::<WriteJob>(WRITE_QUEUE);
    let writer_events = events.clone();
    let writer = std::thread::Builder::new()
        .name("khabar-writer".into())
        .spawn(move || write_all(store, jobs_rx, writer_events, total))
        .map_err(RefreshError::Thread)?;

    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
    let parsers = Arc::new(Semaphore::new(cpus));
    let mut tasks = tokio::task::JoinSet::new();
    let mut states = states;
    let started_at = chrono::Utc::now().timestamp();
    for target in targets {
        let state = states.remove(&target.feed_id).unwrap_or_default();
        let waiting_until = retry_at
            .get(&target.feed_id)
            .copied()
            .filter(|&until| until > started_at);
        let fetcher = fetcher.clone();
        let parsers = parsers.clone();
        let jobs = jobs_tx.clone();
        tasks.spawn(async move {
            let (result, notes, parse_permit) = match waiting_until {
                // The server asked for a pause (429/503 with Retry-After): not fetched.
                Some(until) => notes::paused(until),
                None => refresh_one(&fetcher, &parsers, &target, state).await,
            };
            // The writer only stops when every sender is gone, so this cannot fail
            // unless the writer thread died; then there is nothing to tell.
            let _ = jobs
                .send(WriteJob {
                    feed_id: target.feed_id,
                    url: target.url,
                    result,
                    notes,
                })
                .await;
            // Held until the writer took the parsed feed: when writing is the slow
            // part, parsed feeds wait in the small queue, not in memory without bound.
            drop(parse_permit);
        });
    }
    drop(jobs_tx);
    while let Some(joined) = tasks.join_next().await {
        if let Err(err) = joined {
            tracing::error!("refresh task failed: {err}");
        }
    }
    // Joining blocks until the last writes are done: not on an async worker thread.
    let summary = tokio::task::spawn_blocking(move || writer.join())
        .await?
        .map_err(|_| RefreshError::WriterPanicked)?;
    Ok((summary, feed_ids))
}

/// Parsed feeds waiting for the writer; small, so parsers wait rather than memory grow.
const WRITE_QUEUE: usize = 16;

async fn open_and_read_states(
    db_path: PathBuf,
    targets: &[RefreshTarget],
) -> Result<(Store, HashMap<FeedId, FetchState>, HashMap<FeedId, i64>), RefreshError> {
    let ids: Vec<FeedId> = targets.iter().map(|t| t.feed_id).collect();
    tokio::task::spawn_blocking(move || {
        let store = Store::open(&db_path).map_err(OpenError::Store)?;
        let feeds = store.feeds().map_err(RefreshError::ReadFeeds)?;
        let existing: HashSet<FeedId> = feeds.iter().map(|f| f.id).collect();
        // Feeds a sync server provides come from it (`khabar sync`), not from the site.
        let synced: HashSet<FeedId> = store
            .synced_feed_ids()
            .map_err(RefreshError::ReadFeeds)?
            .into_iter()
            .collect();
        let mut states = HashMap::with_capacity(ids.len());
        for id in ids
            .into_iter()
            .filter(|id| existing.contains(id) && !synced.contains(id))
        {
            let state = store.fetch_state(id).map_err(RefreshError::ReadFeeds)?;
            states.insert(id, state);
        }
        let retry_at = store.retry_after_all().map_err(RefreshError::ReadFeeds)?;
        Ok((store, states, retry_at))
    })
    .await?
}

async fn refresh_one(
    fetcher: &Fetcher,
    parsers: &Arc<Semaphore>,
    target: &RefreshTarget,
    state: FetchState,
) -> (JobResult, JobNotes, Option<OwnedSemaphorePermit>) {
    let fetched = match fetcher.fetch(&target.url, &state).await {
        Ok(fetched) => fetched,
        Err(err) => {
            let notes = JobNotes {
                retry_at: err
                    .retry_after_secs()
                    .map(|secs| chrono::Utc::now().timestamp().saturating_add(secs as i64)),
                ..JobNotes::default()
            };
            return (JobResult::Failed(err.into()), notes, None);
        }
    };
    let body = match fetched.outcome {
        FetchOutcome::NotModified => {
            let result = match fetched.new_url {
                // Moved permanently but unchanged: an update without items moves the
                // stored URL and keeps the validators.
                Some(new_url) => JobResult::Update(
                    Box::new(FeedUpdate {
                        feed: crate::feed::ParsedFeed::default(),
                        etag: state.etag,
                        last_modified: state.last_modified,
                        body_hash: state.body_hash,
                        new_url: Some(new_url),
                    }),
                    None,
                ),
                // Validators were sent only if a body was ever stored: a 304 to an
                // unconditional request would leave a feed silently empty.
                None if state.etag.is_none() && state.last_modified.is_none() => {
                    JobResult::Failed(FeedFailure::NotModifiedWithoutValidators)
                }
                None => JobResult::Unchanged,
            };
            return (result, JobNotes::default(), None);
        }
        FetchOutcome::Body(body) => body,
    };
    let body_hash = crate::feed::body_hash(&body.bytes);
    if fetched.new_url.is_none()
        && state
            .body_hash
            .as_deref()
            .is_some_and(|stored| crate::feed::body_hash_matches(stored, &body_hash, &body.bytes))
    {
        // The server ignored the validators but sent the same bytes: nothing to parse.
        return (JobResult::Unchanged, JobNotes::default(), None);
    }
    // Keep the fetch slot until a parser is free: bodies never pile up in memory.
    let parse_permit = parsers.clone().acquire_owned().await.ok();
    drop(fetched.permit);
    let new_url = fetched.new_url;
    // Never stored a body: a first refresh of this feed, where every item is new.
    // Its items' index text is then made here, on the parser thread, instead of
    // by the writer (the slowest stage). Otherwise most items are known and the
    // writer normalises only the few it writes.
    let first_fetch = state.body_hash.is_none();
    let parsed = tokio::task::spawn_blocking(move || {
        let feed =
            crate::feed::parse_with_repairs(&body.bytes, body.charset.as_deref(), &body.final_url);
        let prepared = match &feed {
            Ok((feed, _)) if first_fetch => Some(Box::new(PreparedIndex::new(feed))),
            _ => None,
        };
        (feed, prepared, body.etag, body.last_modified)
    })
    .await;
    let mut repairs = None;
    let result = match parsed {
        Ok((Ok((feed, found)), prepared, etag, last_modified)) => {
            repairs = (!found.is_empty()).then(|| found.join(", "));
            JobResult::Update(
                Box::new(FeedUpdate {
                    feed,
                    etag,
                    last_modified,
                    body_hash: Some(body_hash),
                    new_url,
                }),
                prepared,
            )
        }
        Ok((Err(err), _, _, _)) => JobResult::Failed(err.into()),
        Err(join_error) => JobResult::Failed(FeedFailure::ParserCrashed(join_error.to_string())),
    };
    let notes = JobNotes {
        repairs,
        retry_at: None,
    };
    (result, notes, parse_permit)
}
