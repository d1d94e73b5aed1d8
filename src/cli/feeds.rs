//! `khabar feeds` and `khabar remove`.
//!
//! A feed whose last body was malformed but recovered is listed with a
//! "read with repairs" line saying what was repaired.
//!
//! Feed text is passed through `clean_inline` before it reaches the terminal.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use super::items::{items, json_line, local_time, rfc3339, until_reader_leaves};
use crate::store::FeedRow;
use crate::text::sanitize::clean_inline;

/// Lists feeds: unread/total, title, URL, tags, and the last error with its time.
pub fn list(ctx: &Context, json: bool) -> anyhow::Result<ExitCode> {
    until_reader_leaves(write_feeds(ctx, json))
}

fn write_feeds(ctx: &Context, json: bool) -> anyhow::Result<ExitCode> {
    // Synced, so feeds just added to the config file are listed before a refresh.
    let store = ctx.open_store_synced(&ctx.config()?)?;
    let feeds = store.feeds()?;
    let repairs = store.feed_repairs()?;
    if feeds.is_empty() && !json {
        // On standard error: a script reading standard output still sees no feeds.
        eprintln!("no feeds: add one with `khabar add URL` or `khabar import FILE`");
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for feed in &feeds {
        if json {
            let mut line = feed_json(feed);
            line["repairs"] = repairs.get(&feed.id).map_or(serde_json::Value::Null, |r| {
                serde_json::Value::String(r.clone())
            });
            writeln!(out, "{}", json_line(&line))?;
        } else {
            write_feed(&mut out, feed)?;
            if let Some(repairs) = repairs.get(&feed.id) {
                // Read, not failed: the body was malformed and recovered.
                writeln!(out, "{:14}read with repairs: {}", "", clean_inline(repairs))?;
            }
        }
    }
    if !json && let Some(line) = super::sync::status_line(ctx, &store)? {
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_feed(out: &mut impl Write, feed: &FeedRow) -> std::io::Result<()> {
    let tags: String = feed
        .tags
        .iter()
        .map(|tag| format!(" #{}", clean_inline(tag)))
        .collect();
    let disabled = if feed.enabled { "" } else { " (disabled)" };
    writeln!(
        out,
        "{:>6}/{:<6} {}{disabled}  {}{tags}",
        feed.unread,
        feed.total,
        clean_inline(&feed.title),
        clean_inline(&feed.url),
    )?;
    if let Some(error) = &feed.last_error {
        let when = feed.last_error_at.map(local_time).unwrap_or_default();
        writeln!(out, "{:14}error {when}: {}", "", clean_inline(error))?;
    }
    Ok(())
}

fn feed_json(feed: &FeedRow) -> serde_json::Value {
    serde_json::json!({
        "id": feed.id,
        "url": feed.url,
        "title": feed.title,
        "site_link": feed.site_link,
        "language": feed.language,
        "tags": feed.tags,
        "enabled": feed.enabled,
        "unread": feed.unread,
        "total": feed.total,
        "last_error": feed.last_error,
        "last_error_at": feed.last_error_at.and_then(rfc3339),
        "last_success_at": feed.last_success_at.and_then(rfc3339),
    })
}

/// Unsubscribes. A feed the config file lists is refused: it would come back on
/// the next refresh, so the user is told to edit the config instead. "Lists" also
/// covers a config feed that has since moved (301/308) to the URL given here.
pub fn remove(ctx: &Context, url: &str) -> anyhow::Result<ExitCode> {
    let config = ctx.config()?;
    let mut store = ctx.open_store()?;
    let feed = store.feed_by_url(url)?;
    let mut listed = None;
    // The built-in list stands in only while the user has no feed of their own
    // (`refresh::open_synced_store`): then it lists nothing.
    let set_aside = config.uses_builtin_feeds() && store.has_own_enabled_feed()?;
    let listing = if set_aside {
        &[][..]
    } else {
        &config.feeds[..]
    };
    for entry in listing {
        if entry.url == url
            || feed.is_some()
                && store.feed_by_url(&entry.url)?.map(|f| f.id) == feed.as_ref().map(|f| f.id)
        {
            listed = Some(entry.url.clone());
            break;
        }
    }
    if let Some(listed) = listed {
        // With no `[[feed]]` list of its own the config uses the built-in one:
        // the file does not list the URL, so "remove it from that file" would mislead.
        if config.uses_builtin_feeds() {
            anyhow::bail!(
                "{listed} is one of khabar's built-in feeds, used because {} has no [[feed]] \
                 list; write your own list there (`feed = []` for none) to drop the \
                 built-in ones",
                config_name(ctx)
            );
        }
        anyhow::bail!(
            "{} lists {listed}; remove it from that file (khabar then disables it and keeps \
             its items), or set `enabled = false` there",
            config_name(ctx)
        );
    }
    let feed = feed.with_context(|| format!("no feed with URL {url} (see `khabar feeds`)"))?;
    super::sync::remove_on_server(ctx, &store, feed.id)?;
    store.remove_feed(&feed.url)?;
    println!(
        "removed {} ({})",
        clean_inline(&feed.title),
        items(feed.total)
    );
    Ok(ExitCode::SUCCESS)
}

/// How to name the config file in a message, also when there is none.
fn config_name(ctx: &Context) -> String {
    if ctx.config_path.as_os_str().is_empty() {
        "the config file".to_string()
    } else {
        ctx.config_path.display().to_string()
    }
}
