//! `khabar add`: subscribe to a feed, discovering it from a web page when needed.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use crate::config::FetchConfig;
use crate::feed::FeedError;
use crate::feed::discover::discover_feeds;
use crate::fetch::{FetchOutcome, Fetcher, is_http};
use crate::refresh::{FeedOutcome, RefreshTarget};
use crate::store::{FeedSpec, FetchState};
use crate::text::Direction;

pub fn run(
    ctx: &Context,
    url: &str,
    tags: &[String],
    title: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let config = ctx.config()?;
    let url = normalise_location(url)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let (feed_url, others) = runtime.block_on(find_feed(&config.fetch, &url))?;

    let mut store = ctx.open_store()?;
    let spec = FeedSpec {
        url: feed_url.clone(),
        title: title.map(str::to_string),
        tags: tags.to_vec(),
        direction: Direction::Auto,
        fulltext: false,
        enabled: true,
    };
    let feed_id = store.add_feed(&spec)?;
    drop(store);

    // Fetch it now, so the new feed shows its items (and any error) right away.
    let target = RefreshTarget {
        feed_id,
        url: feed_url.clone(),
    };
    let (events_tx, mut events_rx) = tokio::sync::mpsc::unbounded_channel();
    runtime.block_on(crate::refresh::refresh(
        &ctx.db_path,
        &config.fetch,
        vec![target],
        events_tx,
    ))?;
    let mut outcome = None;
    while let Ok(event) = events_rx.try_recv() {
        if let crate::refresh::RefreshEvent::FeedDone { outcome: o, .. } = event {
            outcome = Some(o);
        }
    }
    let store = ctx.open_store()?;
    let shown = store
        .feed_by_url(&feed_url)?
        .map(|f| f.title)
        .unwrap_or_else(|| feed_url.clone());
    let shown: String = shown.chars().filter(|c| !c.is_control()).collect();
    match outcome {
        Some(FeedOutcome::Failed(message)) => {
            println!("added {feed_url} (first fetch failed: {message})")
        }
        Some(FeedOutcome::Updated(stats)) => {
            println!("added {shown} <{feed_url}>: {} items", stats.new_items)
        }
        _ => println!("added {shown} <{feed_url}>"),
    }
    if !others.is_empty() {
        println!("the page also advertises (add them with `khabar add URL`):");
        for other in others {
            println!("  {other}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An absolute path for files (so refresh works from any directory); `https://`
/// for a bare host name.
fn normalise_location(url: &str) -> anyhow::Result<String> {
    let url = url.trim();
    if is_http(url) || url.starts_with("file://") {
        return Ok(url.to_string());
    }
    let path = Path::new(url);
    if path.exists() {
        let absolute = path
            .canonicalize()
            .with_context(|| format!("cannot resolve {url}"))?;
        return Ok(absolute.display().to_string());
    }
    if !url.contains(' ') && url.contains('.') && !url.starts_with(['.', '/']) {
        return Ok(format!("https://{url}"));
    }
    anyhow::bail!("{url} is neither a URL nor an existing file")
}

/// The feed URL behind `url`: itself when it is a feed, else the first feed the page
/// advertises (the others are returned too).
async fn find_feed(config: &FetchConfig, url: &str) -> anyhow::Result<(String, Vec<String>)> {
    let fetcher = Fetcher::new(config)?;
    let fetched = fetcher
        .fetch(url, &FetchState::default())
        .await
        .with_context(|| format!("cannot fetch {url}"))?;
    let FetchOutcome::Body(body) = fetched.outcome else {
        return Ok((url.to_string(), Vec::new()));
    };
    let start_url = fetched.new_url.unwrap_or_else(|| url.to_string());
    match crate::feed::parse(&body.bytes, body.charset.as_deref(), &body.final_url) {
        Ok(_) => Ok((start_url, Vec::new())),
        Err(FeedError::HtmlPage | FeedError::NotAFeed) => {
            let html = String::from_utf8_lossy(&body.bytes);
            let found = discover_feeds(&html, &body.final_url);
            let mut urls = found.into_iter().map(|f| f.url);
            let first = urls.next().with_context(|| {
                format!("{url} is a web page that advertises no feeds (no <link rel=\"alternate\"> to RSS, Atom or JSON Feed)")
            })?;
            Ok((first, urls.collect()))
        }
        Err(err) => Err(anyhow::anyhow!("{url}: {err}")),
    }
}
