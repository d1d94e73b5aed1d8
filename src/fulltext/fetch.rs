//! Fetching items' web pages and keeping their articles: after a refresh for
//! feeds with `fulltext = true`, for `khabar fulltext`, and for one item the
//! reader asks for. Pages go through a [`Fetcher`] with the feeds' size and
//! time limits: in a refresh the feeds' own one (same global and per-host
//! slots), in the reader one kept for its pages (`tui::runner`); extraction
//! runs on threads of its own. A page that fails leaves the feed's text in
//! place and records why.
//!
//! In a refresh, pages are fetched as soon as their feed is written
//! ([`fetch_articles_as_written`]), while the other feeds are still on the
//! network, through the feeds' own [`Fetcher`] (one budget for both).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::{Stream, StreamExt};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::sync::mpsc::error::TryRecvError;
use tokio::task::JoinSet;

use super::extractors::Extractors;
use super::page_writer::{ToWriter, spawn_writer};
use super::{ExtractError, Extracted};
use crate::fetch::{FetchError, FetchOutcome, Fetcher, is_http};
use crate::store::{FeedId, FetchState, FulltextJob, ItemId, Store};

/// Pages fetched per refresh at most: a feed that switches `fulltext` on with
/// thousands of old items catches up over several refreshes instead of one long
/// one, while a busy refresh (200 new items of full-text feeds) still gets all
/// of its pages.
pub const PAGES_PER_REFRESH: usize = 300;

/// What the full-text phase did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FulltextSummary {
    /// Pages that gave an article.
    pub extracted: usize,
    /// Pages that did not.
    pub failed: usize,
    /// The search index was merged while the last pages were on the network,
    /// so the merge after them had little left to do.
    pub merged_ahead: bool,
}

/// Why a page gave no article.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// Only http(s) pages are fetched for an item: a feed may not make khabar read
    /// local files.
    #[error("not a web link")]
    NotWeb,
    /// Timeout, too big, HTTP error, network.
    #[error("{0}")]
    Fetch(#[from] FetchError),
    /// The server answered 304 to a request without validators.
    #[error("the server sent no page")]
    NoBody,
    /// An image, a PDF, JSON...
    #[error("not an HTML page ({0})")]
    NotHtml(String),
    /// Nothing article-like on the page.
    #[error("{0}")]
    NoArticle(#[from] ExtractError),
    /// The extraction thread died.
    #[error("extraction failed: {0}")]
    Task(String),
}

/// Fetches `link` and extracts its article.
pub async fn fetch_page(fetcher: &Fetcher, link: &str) -> Result<Extracted, PageError> {
    let page = download_page(fetcher, link).await?;
    tokio::task::spawn_blocking(move || extract_page(page))
        .await
        .map_err(|e| PageError::Task(e.to_string()))?
}

/// A downloaded page, not yet read.
struct Page {
    bytes: Vec<u8>,
    charset: Option<String>,
    final_url: String,
}

/// Downloads `link` if it is an HTML page; the fetcher's slot is free when this returns.
async fn download_page(fetcher: &Fetcher, link: &str) -> Result<Page, PageError> {
    if !is_http(link) {
        return Err(PageError::NotWeb);
    }
    let fetched = fetcher.fetch(link, &FetchState::default()).await?;
    let FetchOutcome::Body(body) = fetched.outcome else {
        return Err(PageError::NoBody);
    };
    drop(fetched.permit);
    if let Some(kind) = &body.content_type {
        let kind = kind.to_ascii_lowercase();
        let html = kind.contains("html") || kind.contains("xml") || kind.starts_with("text/plain");
        if !html {
            return Err(PageError::NotHtml(kind));
        }
    }
    Ok(Page {
        bytes: body.bytes,
        charset: body.charset,
        final_url: body.final_url,
    })
}

/// Decodes and extracts a downloaded page (CPU work: on a blocking thread).
fn extract_page(page: Page) -> Result<Extracted, PageError> {
    Ok(super::extract_bytes(
        &page.bytes,
        page.charset.as_deref(),
        Some(&page.final_url),
    )?)
}

/// The jobs of `feeds` that are due (never tried, or failed less than three
/// times and not today), but for the items in `queued`, at most
/// [`PAGES_PER_REFRESH`] with them.
async fn due_jobs(
    db_path: &Path,
    feeds: HashSet<FeedId>,
    queued: HashSet<ItemId>,
) -> anyhow::Result<Vec<FulltextJob>> {
    let path = db_path.to_path_buf();
    tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<FulltextJob>> {
        let store = Store::open(&path)?;
        let now = chrono::Utc::now().timestamp();
        let jobs = store.fulltext_jobs(PAGES_PER_REFRESH * 4, now)?;
        Ok(jobs
            .into_iter()
            .filter(|job| feeds.contains(&job.feed_id) && !queued.contains(&job.item_id))
            .take(PAGES_PER_REFRESH.saturating_sub(queued.len()))
            .collect())
    })
    .await?
}

/// Least time between two looks for new pages while feeds are being written:
/// each look is one query over the items of full-text feeds.
const LOOK_EVERY: Duration = Duration::from_millis(200);

/// Fetches the pages of the feeds `written` names, as they are written (the
/// refresh's writer sends each feed once its items are stored): the first pages
/// download while other feeds are still fetched, parsed and written. At most
/// [`PAGES_PER_REFRESH`] pages;
/// `fetcher` is the feeds' own, so pages and feeds share one budget. Returns once
/// `written` is closed and every page is done.
pub async fn fetch_articles_as_written(
    db_path: &Path,
    fetcher: &Fetcher,
    concurrency: usize,
    mut written: UnboundedReceiver<FeedId>,
) -> anyhow::Result<FulltextSummary> {
    let (jobs_tx, jobs_rx) = tokio::sync::mpsc::unbounded_channel::<FulltextJob>();
    let total = JobTotal::default();
    let counted = &total;
    // `move`: the sender goes with it, so the jobs end when it does.
    let looking = async move {
        let mut feeds: HashSet<FeedId> = HashSet::new();
        let mut queued: HashSet<ItemId> = HashSet::new();
        let mut open = true;
        let mut next_look = Instant::now();
        while open && queued.len() < PAGES_PER_REFRESH {
            let Some(feed) = written.recv().await else {
                break;
            };
            let mut fresh = feeds.insert(feed);
            // Feeds written meanwhile join this look; after a short wait when the
            // last look was recent, so a refresh of many feeds makes few queries.
            let deadline = tokio::time::Instant::from_std(next_look);
            loop {
                match written.try_recv() {
                    Ok(feed) => fresh |= feeds.insert(feed),
                    Err(TryRecvError::Disconnected) => {
                        open = false;
                        break;
                    }
                    Err(TryRecvError::Empty) => {
                        if tokio::time::Instant::now() >= deadline {
                            break;
                        }
                        match tokio::time::timeout_at(deadline, written.recv()).await {
                            Ok(Some(feed)) => fresh |= feeds.insert(feed),
                            Ok(None) => {
                                open = false;
                                break;
                            }
                            Err(_) => break,
                        }
                    }
                }
            }
            if !fresh {
                continue;
            }
            let started = Instant::now();
            let jobs = due_jobs(db_path, feeds.clone(), queued.clone()).await?;
            next_look = Instant::now() + LOOK_EVERY.max(started.elapsed() * 4);
            for job in jobs {
                queued.insert(job.item_id);
                counted.queued.fetch_add(1, Ordering::SeqCst);
                if jobs_tx.send(job).is_err() {
                    return Ok(());
                }
            }
        }
        Ok::<(), anyhow::Error>(())
    };
    let producer = async {
        let produced = looking.await;
        total.complete.store(true, Ordering::SeqCst);
        produced
    };
    let jobs = futures_util::stream::unfold(jobs_rx, |mut rx| async move {
        rx.recv().await.map(|job| (job, rx))
    });
    let fetching = fetch_job_stream(db_path, fetcher, concurrency, jobs, &total, |_, _| {});
    let (produced, fetched) = tokio::join!(producer, fetching);
    produced?;
    fetched
}

/// Fetches the pages of `jobs` (at most `concurrency` at once, within the
/// fetcher's own limits), stores each result as it arrives, and calls
/// `progress` with each finished job and the number done so far.
pub async fn fetch_jobs(
    db_path: &Path,
    fetcher: &Fetcher,
    concurrency: usize,
    jobs: Vec<FulltextJob>,
    progress: impl FnMut(&FulltextJob, usize),
) -> anyhow::Result<FulltextSummary> {
    let total = JobTotal {
        queued: AtomicUsize::new(jobs.len()),
        complete: AtomicBool::new(true),
    };
    fetch_job_stream(
        db_path,
        fetcher,
        concurrency,
        futures_util::stream::iter(jobs),
        &total,
        progress,
    )
    .await
}

/// How many jobs a job stream gives, once its producer knows: when every one
/// has been requested, the search index is merged while the last pages are on
/// the network ([`ToWriter::MergeIndex`]).
#[derive(Debug, Default)]
struct JobTotal {
    /// Jobs given so far.
    queued: AtomicUsize,
    /// No more will be given.
    complete: AtomicBool,
}

impl JobTotal {
    fn all_requested(&self, requested: usize) -> bool {
        self.complete.load(Ordering::SeqCst) && requested >= self.queued.load(Ordering::SeqCst)
    }
}

/// [`fetch_jobs`] of jobs that arrive over time.
///
/// Downloads and extraction are separate stages: a page that is downloaded
/// frees its download slot at once and waits for one of the extraction threads
/// (one per core, but one fewer while pages still download, at a lowered
/// priority: `extractors.rs`), so extraction never holds back the next
/// downloads (at most twice `concurrency` pages wait to be read).
///
/// Results are written by one blocking writer while the other pages are still
/// on the network, not all after the last page: each article is also indexed
/// for search, and that work then overlaps the downloads (BENCHMARKS.md). The
/// writer starts with the first result: no pages, no database connection.
async fn fetch_job_stream(
    db_path: &Path,
    fetcher: &Fetcher,
    concurrency: usize,
    jobs: impl Stream<Item = FulltextJob>,
    total: &JobTotal,
    mut progress: impl FnMut(&FulltextJob, usize),
) -> anyhow::Result<FulltextSummary> {
    let concurrency = concurrency.max(1);
    let requested = AtomicUsize::new(0);
    let downloads = jobs
        .map(|job| {
            // Taken from the stream when its download starts.
            requested.fetch_add(1, Ordering::SeqCst);
            async move {
                let page = download_page(fetcher, &job.link).await;
                tracing::debug!(item = job.item_id, "page downloaded");
                (job, page)
            }
        })
        .buffer_unordered(concurrency);
    let mut downloads = std::pin::pin!(downloads);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    // Started with the first downloaded page: no pages, no threads.
    let mut extractors: Option<Arc<Extractors>> = None;
    let mut extracting: JoinSet<(FulltextJob, Result<Extracted, PageError>)> = JoinSet::new();
    let mut downloads_done = false;
    let mut writer: Option<(std::sync::mpsc::Sender<ToWriter>, _)> = None;
    let mut summary = FulltextSummary::default();
    let mut merged_ahead = false;
    loop {
        // Every page requested and some stored: their index segments are
        // merged now, while the last pages are on the network, instead of
        // after them (a merge ahead is mostly idle time; the one after the
        // refresh then finds little to do).
        let all_requested = total.all_requested(requested.load(Ordering::SeqCst));
        if all_requested && let Some(extractors) = &extractors {
            extractors.all_requested();
        }
        if !merged_ahead
            && all_requested
            && let Some((results, _)) = &writer
        {
            // A writer that stopped says why below.
            let _ = results.send(ToWriter::MergeIndex);
            merged_ahead = true;
        }
        let may_download = !downloads_done && extracting.len() < concurrency * 2;
        let (job, result) = tokio::select! {
            next = downloads.next(), if may_download => match next {
                None => {
                    downloads_done = true;
                    // Nothing left on the network: every core reads.
                    if let Some(extractors) = &extractors {
                        extractors.use_held(true);
                    }
                    continue;
                }
                Some((job, Err(err))) => (job, Err(err)),
                Some((job, Ok(page))) => {
                    let extractors = extractors
                        .get_or_insert_with(|| Arc::new(Extractors::start(cores, 1, fetcher.activity())))
                        .clone();
                    // Pages come faster than the threads not held back read
                    // them: every core reads until the backlog is nearly gone.
                    if extracting.len() >= BACKLOG_FOR_ALL_CORES {
                        extractors.use_held(true);
                    } else if extracting.len() <= BACKLOG_FOR_FEWER_CORES {
                        extractors.use_held(false);
                    }
                    extracting.spawn(async move {
                        let result = extractors
                            .run_reading(page.bytes.len(), move || extract_page(page))
                            .await
                            .map_err(|err| PageError::Task(err.to_string()))
                            .and_then(|extracted| extracted);
                        tracing::debug!(item = job.item_id, "page extracted");
                        (job, result)
                    });
                    continue;
                }
            },
            Some(joined) = extracting.join_next(), if !extracting.is_empty() => match joined {
                Ok(done) => done,
                Err(err) => {
                    tracing::error!("full-text task failed: {err}");
                    summary.failed += 1;
                    continue;
                }
            },
            else => break,
        };
        if let Err(err) = &result {
            tracing::info!(link = %job.link, "no full text: {err}");
        }
        let result = result.map(|a| a.content_html).map_err(|e| e.to_string());
        match &result {
            Ok(_) => summary.extracted += 1,
            Err(_) => summary.failed += 1,
        }
        progress(&job, summary.extracted + summary.failed);
        let (results, _) =
            writer.get_or_insert_with(|| spawn_writer(db_path.to_path_buf(), fetcher.activity()));
        if results.send(ToWriter::Page((job.item_id, result))).is_err() {
            // The writer stopped on an error: it says which below.
            break;
        }
    }
    if let Some((results, writer)) = writer {
        drop(results);
        summary.merged_ahead = writer.await??;
    }
    Ok(summary)
}

/// Pages being read or waiting to be at which the extraction thread held back
/// while pages download (`extractors.rs`) joins in, and at which it stops again.
const BACKLOG_FOR_ALL_CORES: usize = 8;
const BACKLOG_FOR_FEWER_CORES: usize = 2;

/// Fetches one item's page now (the reader's `F`, `on-open`, `khabar article
/// --full`) through `fetcher` and stores the result; the article's HTML when
/// there is one.
pub async fn fetch_item(
    db_path: &Path,
    fetcher: &Fetcher,
    item: ItemId,
    link: &str,
) -> anyhow::Result<Result<String, String>> {
    let result = fetch_page(fetcher, link)
        .await
        .map(|a| a.content_html)
        .map_err(|e| e.to_string());
    write_results(db_path.to_path_buf(), vec![(item, result.clone())]).await?;
    Ok(result)
}

async fn write_results(
    path: PathBuf,
    results: Vec<(ItemId, Result<String, String>)>,
) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let mut store = Store::open(&path)?;
        let now = chrono::Utc::now().timestamp();
        for (item, result) in results {
            let result = result.as_deref().map_err(String::as_str);
            store.set_fulltext_result(item, result, now)?;
        }
        Ok(())
    })
    .await?
}
