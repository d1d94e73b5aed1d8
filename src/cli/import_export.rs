//! `khabar import` (OPML or a newsboat `urls` file) and `khabar export` (OPML 2.0).

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use crate::feed::subscriptions::{
    ImportError, NewsboatQuery, SkippedEntry, parse_subscriptions_with, refused_commands, to_opml,
};
use crate::feed::url_key::feed_url_key;
use crate::store::{FeedSpec, Store};
use crate::text::plural;
use crate::text::sanitize::clean_inline;

pub fn import(
    ctx: &Context,
    file: &Path,
    newsboat_cache: Option<&Path>,
    allow_commands: bool,
) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let shown = clean_inline(&file.display().to_string());
    // Relative paths in the file mean "next to the file", as `add` resolves them
    // against the current directory: stored absolute, so refresh works from anywhere.
    let base = file
        .canonicalize()
        .ok()
        .and_then(|f| f.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let resolve = |location: &str| resolve_path(&base, location);
    let list = match parse_subscriptions_with(&text, &resolve, allow_commands) {
        Ok(list) => list,
        Err(err) => {
            if let ImportError::NoUsableFeed { skipped } = &err {
                report_skipped(&shown, skipped);
            }
            // Parser messages quote the file: cleaned like the rest of the output.
            return Err(anyhow::anyhow!(clean_inline(&format!("{shown}: {err}"))));
        }
    };
    report_skipped(&shown, &list.skipped);
    for entry in &list.commands_refused {
        eprintln!(
            "{shown}:{}: skipped \"{}\": it runs a command; import with --allow-commands to keep it",
            entry.line,
            clean_inline(&entry.location)
        );
    }
    // Checked before anything is written: a config that does not load gets no views.
    let views = if list.queries.is_empty() {
        None
    } else {
        Some(views_to_add(&ctx.config()?.views, &list.queries, &shown))
    };
    // Read before anything is written: a cache that cannot be read changes nothing.
    let cache = newsboat_cache
        .map(crate::store::newsboat_cache::read_newsboat_cache)
        .transpose()?;
    let mut store = ctx.open_store()?;
    let feeds = same_feeds_once(&store, list.feeds)?;
    // One transaction: all or nothing, and linear in the number of feeds.
    let (new, items) = match &cache {
        Some(cache) => {
            let now = chrono::Utc::now().timestamp();
            let report = store
                .import_with_newsboat_cache(&feeds, cache, now)
                .context("cannot import the feeds and newsboat's items")?;
            (report.new_feeds, Some(report))
        }
        None => (
            store.add_feeds(&feeds).context("cannot import the feeds")?,
            None,
        ),
    };
    let count = feeds.len();
    println!(
        "imported {count} {} from {shown} ({new} new); run `khabar refresh` to fetch {}",
        plural(count as u64, "feed", "feeds"),
        plural(count as u64, "it", "them")
    );
    if !list.skipped.is_empty() {
        let n = list.skipped.len();
        println!(
            "skipped {n} {} not a feed URL or an existing file (listed above)",
            plural(n as u64, "entry that is", "entries that are")
        );
    }
    if !list.commands_refused.is_empty() {
        println!("skipped {}", refused_commands(list.commands_refused.len()));
    }
    if let Some(views) = views {
        save_views(ctx, &views)?;
    }
    match items {
        Some(report) => {
            println!(
                "from newsboat's cache: {} items ({} read, {} starred){}{}",
                report.items,
                report.read,
                report.starred,
                if report.deleted > 0 {
                    format!(", {} deleted ones kept out", report.deleted)
                } else {
                    String::new()
                },
                if report.without_feed > 0 {
                    format!(
                        "; {} items of feeds not in {shown} left out",
                        report.without_feed
                    )
                } else {
                    String::new()
                }
            );
        }
        None => {
            if let Some(cache) = newsboat_cache_near(file) {
                println!(
                    "newsboat's cache is at {}: import again with `--newsboat-cache {}` to \
                     bring its items and read state",
                    clean_inline(&cache.display().to_string()),
                    clean_inline(&cache.display().to_string())
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What the `query:` lines give: views to add, and how many were already there.
struct NewViews {
    add: Vec<(String, String)>,
    known: usize,
    refused: usize,
    /// Queries that are one of the reader's own lists (`flags # "s"`: Starred).
    builtin: usize,
}

/// The reader's own lists a translated query can be exactly: a view of it would
/// stand beside the list of the same items on the feed screen.
fn builtin_list(query: &str) -> Option<&'static str> {
    match query {
        "is:starred" => Some("Starred"),
        "is:unread" => Some("Unread"),
        _ => None,
    }
}

/// Translates the `query:` lines (`query::newsboat`); one that cannot be
/// translated exactly is named with the part that could not be, and left out.
/// A view with the same name or the same query as one in the config is not
/// added again (import twice, one view).
fn views_to_add(
    existing: &[crate::config::ViewConfig],
    queries: &[NewsboatQuery],
    shown: &str,
) -> NewViews {
    let mut views = NewViews {
        add: Vec::new(),
        known: 0,
        refused: 0,
        builtin: 0,
    };
    for query in queries {
        let name = clean_inline(&query.name).trim().to_string();
        let name = if name.is_empty() {
            "newsboat query".to_string()
        } else {
            name
        };
        match crate::query::newsboat::translate(&query.expr) {
            Ok(text) if builtin_list(&text).is_some() => {
                views.builtin += 1;
                eprintln!(
                    "{shown}:{}: query feed \"{name}\" is khabar's own {} list: no view made",
                    query.line,
                    builtin_list(&text).unwrap_or_default()
                );
            }
            Ok(text) => {
                let same = |(n, q): (&str, &str)| n == name || q == text;
                if existing
                    .iter()
                    .map(|v| (v.name.as_str(), v.query.as_str()))
                    .chain(views.add.iter().map(|(n, q)| (n.as_str(), q.as_str())))
                    .any(same)
                {
                    views.known += 1;
                } else {
                    views.add.push((name, text));
                }
            }
            Err(err) => {
                views.refused += 1;
                eprintln!(
                    "{shown}:{}: query feed \"{name}\" not imported: cannot translate {}",
                    query.line,
                    clean_inline(&err.to_string())
                );
            }
        }
    }
    views
}

/// Adds the views to the config file (`[[view]]`, as the reader's `S` does) and
/// says how many.
fn save_views(ctx: &Context, views: &NewViews) -> anyhow::Result<()> {
    if !views.add.is_empty() {
        if ctx.config_path.as_os_str().is_empty() {
            anyhow::bail!("no config file to save the query feeds' views in: pass --config PATH");
        }
        let path = &ctx.config_path;
        let mut text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(err) => {
                return Err(err).with_context(|| format!("cannot read {}", path.display()));
            }
        };
        for (name, query) in &views.add {
            text = crate::config::edit::add_view(&text, name, query)
                .with_context(|| format!("cannot add a view to {}", path.display()))?;
        }
        crate::config_file::replace(path, &text)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let made = views.add.len();
    let mut line = format!(
        "made {made} {} from newsboat's query feeds",
        plural(made as u64, "view", "views")
    );
    if views.known > 0 {
        line.push_str(&format!(", {} already there", views.known));
    }
    if views.builtin > 0 {
        line.push_str(&format!(
            ", {} already khabar's own {}",
            views.builtin,
            plural(views.builtin as u64, "list", "lists")
        ));
    }
    if views.refused > 0 {
        line.push_str(&format!(
            ", {} not translated (listed above)",
            views.refused
        ));
    }
    println!("{line}");
    Ok(())
}

/// newsboat's cache for a `urls` file in newsboat's own place: next to it
/// (`~/.newsboat/`), or in the XDG data directory when the file is in the XDG
/// config directory (`~/.config/newsboat/urls` and `~/.local/share/newsboat/cache.db`).
fn newsboat_cache_near(urls: &Path) -> Option<std::path::PathBuf> {
    let dir = urls.canonicalize().ok()?.parent()?.to_path_buf();
    if dir.file_name()? != "newsboat" && dir.file_name()? != ".newsboat" {
        return None;
    }
    let beside = dir.join("cache.db");
    if beside.is_file() {
        return Some(beside);
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share")))?;
    Some(data.join("newsboat/cache.db")).filter(|c| c.is_file())
}

/// The feeds to import with each feed once: spellings of a subscribed URL
/// (`HTTP://h/x#top` for `http://h/x`) become that URL, and a feed listed twice
/// in the file is imported once (its first entry).
fn same_feeds_once(store: &Store, feeds: Vec<FeedSpec>) -> anyhow::Result<Vec<FeedSpec>> {
    let mut known: HashMap<String, String> = store
        .feeds()?
        .into_iter()
        .map(|feed| (feed_url_key(&feed.url), feed.url))
        .collect();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(feeds.len());
    for mut spec in feeds {
        let key = feed_url_key(&spec.url);
        if !seen.insert(key.clone()) {
            continue;
        }
        match known.get(&key) {
            Some(stored) => spec.url = stored.clone(),
            None => {
                known.insert(key, spec.url.clone());
            }
        }
        out.push(spec);
    }
    Ok(out)
}

/// A path from an imported file: absolute ones as they are, relative ones against
/// `base` (the file's directory) and only when the file exists there.
fn resolve_path(base: &Path, location: &str) -> Option<String> {
    let path = Path::new(location);
    if path.is_absolute() {
        let resolved = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        return Some(resolved.display().to_string());
    }
    let joined = base.join(path);
    let resolved = joined.canonicalize().ok().filter(|p| p.is_file())?;
    Some(resolved.display().to_string())
}

fn report_skipped(file: &str, skipped: &[SkippedEntry]) {
    for entry in skipped {
        eprintln!(
            "{file}:{}: skipped \"{}\": not an http(s) or file URL, nor an existing file",
            entry.line,
            clean_inline(&entry.location)
        );
    }
}

pub fn export(ctx: &Context) -> anyhow::Result<ExitCode> {
    super::items::until_reader_leaves(write_export(ctx))
}

fn write_export(ctx: &Context) -> anyhow::Result<ExitCode> {
    let store = ctx.open_existing_store()?;
    let feeds: Vec<FeedSpec> = store
        .feeds()?
        .into_iter()
        .map(|row| FeedSpec {
            title: Some(row.title).filter(|t| *t != row.url),
            url: row.url,
            tags: row.tags,
            direction: row.direction,
            fulltext: false,
            enabled: row.enabled,
        })
        .collect();
    let now = chrono::Utc::now().to_rfc2822();
    let mut out = std::io::stdout().lock();
    out.write_all(to_opml(&feeds, &now).as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
