//! The full-text phase of a refresh: for feeds with `fulltext = true`, fetch the web
//! page of each new item, extract the article, and keep it beside the HTML the feed
//! published. Runs after the feeds themselves are written, so a slow site never
//! holds up the headlines.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use futures_util::StreamExt;

use crate::config::FetchConfig;
use crate::fetch::{FetchOutcome, Fetcher, is_http};
use crate::store::{FeedId, FetchState, FulltextJob, ItemId, Store};

/// Pages fetched per refresh at most: a feed that switches `fulltext` on with
/// thousands of old items catches up over several refreshes instead of one long one.
pub const PAGES_PER_REFRESH: usize = 100;

/// What the full-text phase did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FulltextSummary {
    /// Pages whose article was extracted and stored.
    pub extracted: usize,
    /// Pages that could not be fetched or read as an article.
    pub failed: usize,
}

/// Fetches and extracts the pages of items of `feeds` that still need them.
pub async fn fetch_articles(
    db_path: &Path,
    config: &FetchConfig,
    feeds: &[FeedId],
) -> anyhow::Result<FulltextSummary> {
    let wanted: HashSet<FeedId> = feeds.iter().copied().collect();
    let path = db_path.to_path_buf();
    let jobs = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<FulltextJob>> {
        let store = Store::open(&path)?;
        let jobs = store.fulltext_jobs(PAGES_PER_REFRESH * 4)?;
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
    let results: Vec<(ItemId, Option<String>)> = futures_util::stream::iter(jobs)
        .map(|job| {
            let fetcher = &fetcher;
            async move {
                let article = fetch_one(fetcher, &job.link).await;
                if let Err(err) = &article {
                    tracing::info!(link = %job.link, "no full text: {err}");
                }
                (job.item_id, article.ok())
            }
        })
        .buffer_unordered(config.concurrency.max(1))
        .collect()
        .await;
    let summary = FulltextSummary {
        extracted: results.iter().filter(|(_, a)| a.is_some()).count(),
        failed: results.iter().filter(|(_, a)| a.is_none()).count(),
    };
    write_results(db_path.to_path_buf(), results).await?;
    Ok(summary)
}

async fn write_results(
    path: PathBuf,
    results: Vec<(ItemId, Option<String>)>,
) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let mut store = Store::open(&path)?;
        for (item, article) in results {
            store.set_fulltext(item, article.as_deref())?;
        }
        Ok(())
    })
    .await?
}

async fn fetch_one(fetcher: &Fetcher, link: &str) -> anyhow::Result<String> {
    // A feed is not allowed to make khabar read local files through an item link.
    anyhow::ensure!(is_http(link), "not a web link");
    let fetched = fetcher.fetch(link, &FetchState::default()).await?;
    let FetchOutcome::Body(body) = fetched.outcome else {
        anyhow::bail!("the server sent no page");
    };
    let final_url = body.final_url.clone();
    let extracted = tokio::task::spawn_blocking(move || {
        let html = super::decode_html(&body.bytes, body.charset.as_deref());
        super::extract(&html, Some(&final_url))
    })
    .await??;
    Ok(extracted.content_html)
}
