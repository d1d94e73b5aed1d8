//! Fetching items' web pages and keeping their articles: after a refresh for
//! feeds with `fulltext = true`, for `khabar fulltext`, and for one item the
//! reader asks for. Pages go through the same [`Fetcher`] (same global and
//! per-host slots, same size and time limits) as feeds; extraction runs on
//! blocking threads. A page that fails leaves the feed's text in place and
//! records why.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use futures_util::StreamExt;

use super::{ExtractError, Extracted};
use crate::config::FetchConfig;
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
    let final_url = body.final_url.clone();
    tokio::task::spawn_blocking(move || {
        let html = super::decode_html(&body.bytes, body.charset.as_deref());
        super::extract(&html, Some(&final_url))
    })
    .await
    .map_err(|e| PageError::Task(e.to_string()))?
    .map_err(PageError::from)
}

/// Fetches and extracts the pages of items of `feeds` that are due (never tried,
/// or failed less than three times and not today). Runs after the feeds'
/// phase, with the same limits: the same concurrency budget, never on top of it.
pub async fn fetch_articles(
    db_path: &Path,
    config: &FetchConfig,
    feeds: &[FeedId],
) -> anyhow::Result<FulltextSummary> {
    let wanted: HashSet<FeedId> = feeds.iter().copied().collect();
    let path = db_path.to_path_buf();
    let jobs = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<FulltextJob>> {
        let store = Store::open(&path)?;
        let now = chrono::Utc::now().timestamp();
        let jobs = store.fulltext_jobs(PAGES_PER_REFRESH * 4, now)?;
        Ok(jobs
            .into_iter()
            .filter(|job| wanted.contains(&job.feed_id))
            .take(PAGES_PER_REFRESH)
            .collect())
    })
    .await??;
    if jobs.is_empty() {
        return Ok(FulltextSummary::default());
    }
    let fetcher = Fetcher::new(config)?;
    fetch_jobs(db_path, &fetcher, config.concurrency, jobs, |_, _| {}).await
}

/// Fetches the pages of `jobs` (at most `concurrency` at once, within the
/// fetcher's own limits), stores each result as it arrives, and calls
/// `progress` with each finished job and the number done so far.
///
/// Results are written by one blocking writer while the other pages are still
/// on the network, not all after the last page: each article is also indexed
/// for search, and that work then overlaps the downloads (BENCHMARKS.md).
pub async fn fetch_jobs(
    db_path: &Path,
    fetcher: &Fetcher,
    concurrency: usize,
    jobs: Vec<FulltextJob>,
    mut progress: impl FnMut(&FulltextJob, usize),
) -> anyhow::Result<FulltextSummary> {
    if jobs.is_empty() {
        return Ok(FulltextSummary::default());
    }
    let mut pending = futures_util::stream::iter(jobs)
        .map(|job| async move {
            let result = fetch_page(fetcher, &job.link).await;
            if let Err(err) = &result {
                tracing::info!(link = %job.link, "no full text: {err}");
            }
            (
                job,
                result.map(|a| a.content_html).map_err(|e| e.to_string()),
            )
        })
        .buffer_unordered(concurrency.max(1));
    let (results, writer) = spawn_writer(db_path.to_path_buf());
    let mut summary = FulltextSummary::default();
    while let Some((job, result)) = pending.next().await {
        match &result {
            Ok(_) => summary.extracted += 1,
            Err(_) => summary.failed += 1,
        }
        progress(&job, summary.extracted + summary.failed);
        if results.send((job.item_id, result)).is_err() {
            // The writer stopped on an error: it says which below.
            break;
        }
    }
    drop(results);
    writer.await??;
    Ok(summary)
}

type PageResult = (ItemId, Result<String, String>);

/// A blocking task that stores each result sent to it, until the sender is dropped.
fn spawn_writer(
    path: PathBuf,
) -> (
    std::sync::mpsc::Sender<PageResult>,
    tokio::task::JoinHandle<anyhow::Result<()>>,
) {
    let (sender, receiver) = std::sync::mpsc::channel::<PageResult>();
    let writer = tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let mut store = Store::open(&path)?;
        for (item, result) in receiver {
            let now = chrono::Utc::now().timestamp();
            let result = result.as_deref().map_err(String::as_str);
            store.set_fulltext_result(item, result, now)?;
        }
        Ok(())
    });
    (sender, writer)
}

/// Fetches one item's page now (the reader's `F`, `on-open`) and stores the
/// result; the article's HTML when there is one.
pub async fn fetch_item(
    db_path: &Path,
    config: &FetchConfig,
    item: ItemId,
    link: &str,
) -> anyhow::Result<Result<String, String>> {
    let fetcher = Fetcher::new(config)?;
    let result = fetch_page(&fetcher, link)
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
