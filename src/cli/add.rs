//! `khabar add`: subscribe to a feed, discovering it from a web page when needed.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use crate::config::{Config, FetchConfig};
use crate::feed::FeedError;
use crate::feed::command_url::{CommandFeed, is_command_url};
use crate::feed::discover::discover_in_page;
use crate::fetch::Workers;
use crate::fetch::{FetchOutcome, Fetcher, is_http};
use crate::refresh::{FeedOutcome, RefreshEvent, RefreshRequest, RefreshTarget};
use crate::store::{FeedRow, FeedSpec, FetchState, Store};
use crate::text::sanitize::clean_inline;
use crate::text::{Direction, counted};

pub fn run(
    ctx: &Context,
    url: &str,
    tags: &[String],
    title: Option<&str>,
) -> anyhow::Result<ExitCode> {
    // Errors quote the server and the feed (fetch errors, parser messages): they are
    // cleaned like everything else `add` prints, so no escape sequence or bidi
    // control reaches the terminal.
    subscribe(ctx, url, tags, title)
        .map_err(|err| anyhow::anyhow!(clean_inline(&super::one_line(&err))))
}

fn subscribe(
    ctx: &Context,
    url: &str,
    tags: &[String],
    title: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let config = ctx.config()?;
    let url = normalise_location(url)?;
    // Typed by the user, shown everywhere: no escape sequence or control character
    // is stored (issue 8, defect 9).
    let title = title
        .map(clean_inline)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let title = title.as_deref();
    // A feed URL already subscribed needs no network at all. Synced, so that a feed
    // the config file lists but no refresh has stored yet is known too.
    let store = ctx.open_store_synced(&config)?;
    if let Some(feed) = store.feed_by_url_key(&url)? {
        return already_subscribed(ctx, &config, store, feed, tags, title);
    }
    drop(store);
    let runtime =
        crate::fetch::runtime(Workers::PerCpu).context("cannot start the async runtime")?;
    // A command feed is run by the refresh below, never fetched to discover
    // feeds in a page.
    let (feed_url, others) = if is_command_url(&url) {
        (url.clone(), Vec::new())
    } else {
        runtime.block_on(find_feed(&config.fetch, &url))?
    };

    let mut store = ctx.open_store()?;
    if let Some(feed) = store.feed_by_url_key(&feed_url)? {
        let status = already_subscribed(ctx, &config, store, feed, tags, title)?;
        print_others(&others);
        return Ok(status);
    }
    // With a sync server, the subscription is made there (issue 11); a command
    // feed cannot be, and stays local.
    if !is_command_url(&feed_url)
        && let Some(status) = super::sync::add_on_server(ctx, &feed_url, tags, title)?
    {
        print_others(&others);
        return Ok(status);
    }
    let spec = FeedSpec {
        url: feed_url.clone(),
        title: title.map(str::to_string),
        tags: tags.to_vec(),
        direction: Direction::Auto,
        fulltext: false,
        enabled: true,
    };
    let had_own_feed = store.has_own_enabled_feed()?;
    let feed_id = store.add_feed(&spec)?;
    drop(store);

    // Fetch it now, so the new feed shows its items (and any error) right away.
    let target = RefreshTarget {
        feed_id,
        url: feed_url.clone(),
    };
    let (events_tx, mut events_rx) = tokio::sync::mpsc::unbounded_channel();
    let request = RefreshRequest {
        // The user is at the terminal and sees what the feed brought: no notice.
        notify_command: String::new(),
        ..RefreshRequest::new(&ctx.db_path, &config, vec![target])
    };
    crate::fetch::run_on_workers(&runtime, crate::refresh::run(request, events_tx))
        .context("the refresh task failed")??;
    let mut outcome = None;
    while let Ok(event) = events_rx.try_recv() {
        if let RefreshEvent::FeedDone { outcome: o, .. } = event {
            outcome = Some(o);
        }
    }
    let store = ctx.open_store()?;
    let shown = clean_inline(
        &store
            .feed_by_url(&feed_url)?
            .map(|f| f.title)
            .unwrap_or_else(|| feed_url.clone()),
    );
    let shown_url = clean_inline(&feed_url);
    match outcome {
        Some(FeedOutcome::Failed(failure)) => println!(
            "added {shown_url} (first fetch failed: {})",
            clean_inline(&failure.to_string())
        ),
        Some(FeedOutcome::Updated(stats)) => {
            let items = counted(stats.new_items, "item", "items");
            println!("added {shown} <{shown_url}>: {items}")
        }
        _ => println!("added {shown} <{shown_url}>"),
    }
    if config.uses_builtin_feeds() && !had_own_feed {
        println!(
            "khabar's built-in feeds are set aside now that you have one of your own \
             (list any you want to keep in a [[feed]] list in the config file)"
        );
    }
    print_others(&others);
    Ok(ExitCode::SUCCESS)
}

/// `add` of a feed khabar already has: says so and changes only what was asked
/// (title; tags, which replace the feed's; a disabled feed is enabled again). A feed
/// the config file lists is refused such changes: the next start would undo them.
/// Asked for with no changes, it is marked as the user's too, so that it stays,
/// enabled, when the config stops listing it (`store::feeds` has the rule).
fn already_subscribed(
    ctx: &Context,
    config: &Config,
    mut store: Store,
    feed: FeedRow,
    tags: &[String],
    title: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let shown_url = clean_inline(&feed.url);
    let changes_asked = !tags.is_empty() || title.is_some();
    let key = crate::feed::url_key::feed_url_key(&feed.url);
    let in_config = config
        .feeds
        .iter()
        .any(|f| crate::feed::url_key::feed_url_key(&f.url) == key);
    if in_config && (changes_asked || !feed.enabled) {
        let file = if ctx.config_path.as_os_str().is_empty() {
            "the config file".to_string()
        } else {
            ctx.config_path.display().to_string()
        };
        anyhow::bail!(
            "already subscribed to {shown_url} through {file}: change its title, tags or `enabled` there"
        );
    }
    let mut notes = Vec::new();
    let feed = if changes_asked || !feed.enabled || in_config {
        store.add_feed(&FeedSpec {
            url: feed.url.clone(),
            title: title.map(str::to_string),
            tags: tags.to_vec(),
            direction: Direction::Auto,
            fulltext: false,
            enabled: true,
        })?;
        if title.is_some() {
            notes.push("title updated".to_string());
        }
        if !tags.is_empty() {
            notes.push("tags updated".to_string());
        }
        if !feed.enabled {
            notes.push("enabled again".to_string());
        }
        if in_config {
            notes.push("kept for you if the config stops listing it".to_string());
        }
        store.feed_by_url(&feed.url)?.unwrap_or(feed)
    } else {
        feed
    };
    let tags_shown = if feed.tags.is_empty() {
        String::new()
    } else {
        let tags: Vec<String> = feed.tags.iter().map(|t| clean_inline(t)).collect();
        format!(" [{}]", tags.join(", "))
    };
    let items = counted(feed.total, "item", "items");
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!("; {}", notes.join(", "))
    };
    println!(
        "already subscribed to {} <{shown_url}>{tags_shown} ({items}){notes}",
        clean_inline(&feed.title),
    );
    Ok(ExitCode::SUCCESS)
}

fn print_others(others: &[String]) {
    if !others.is_empty() {
        println!("the page also advertises (add them with `khabar add URL`):");
        for line in others_lines(others) {
            println!("{line}");
        }
    }
}

/// Other feeds listed after the one added: a blog advertises its comments
/// feed, a news site one per section; a page advertising thousands (a
/// generated index, a hostile page) would otherwise fill the terminal.
const OTHERS_SHOWN: usize = 20;

/// The lines listing `others`: at most [`OTHERS_SHOWN`], then how many more.
fn others_lines(others: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = others
        .iter()
        .take(OTHERS_SHOWN)
        .map(|other| format!("  {}", clean_inline(other)))
        .collect();
    if others.len() > OTHERS_SHOWN {
        lines.push(format!("  … and {} more", others.len() - OTHERS_SHOWN));
    }
    lines
}

/// An absolute path for files (so refresh works from any directory); `https://`
/// for a bare host name.
fn normalise_location(url: &str) -> anyhow::Result<String> {
    let url = url.trim();
    if is_command_url(url) {
        if CommandFeed::parse(url).is_none() {
            anyhow::bail!("{url}: a command feed is exec:COMMAND or filter:COMMAND:URL");
        }
        return Ok(url.to_string());
    }
    if is_http(url) {
        // One spelling per feed: `HTTP://h/./x#top` is stored as `http://h/x`.
        return Ok(crate::feed::url_key::feed_url_key(url));
    }
    if url.starts_with("file://") {
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
            let found = discover_in_page(&body.bytes, body.charset.as_deref(), &body.final_url);
            let mut urls = found.into_iter().map(|f| f.url);
            let first = urls.next().with_context(|| {
                format!("{url} is a web page that advertises no feeds (no <link rel=\"alternate\"> to RSS, Atom or JSON Feed)")
            })?;
            Ok((first, urls.collect()))
        }
        Err(FeedError::Binary(kind)) => {
            Err(anyhow::anyhow!("{url} is {kind}, not a feed or a web page"))
        }
        Err(err) => Err(anyhow::anyhow!("{url}: {err}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_advertising_thousands_of_feeds_lists_twenty_and_a_count() {
        let few: Vec<String> = (0..3)
            .map(|i| format!("https://x.example/{i}.xml"))
            .collect();
        assert_eq!(
            others_lines(&few),
            [
                "  https://x.example/0.xml",
                "  https://x.example/1.xml",
                "  https://x.example/2.xml"
            ]
        );
        let many: Vec<String> = (0..5_000)
            .map(|i| format!("https://x.example/{i}.xml"))
            .collect();
        let lines = others_lines(&many);
        assert_eq!(lines.len(), OTHERS_SHOWN + 1);
        assert_eq!(lines[OTHERS_SHOWN - 1], "  https://x.example/19.xml");
        assert_eq!(lines[OTHERS_SHOWN], "  … and 4980 more");
        let exactly: Vec<String> = many[..OTHERS_SHOWN].to_vec();
        assert_eq!(others_lines(&exactly).len(), OTHERS_SHOWN);
    }
}
