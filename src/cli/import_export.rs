//! `khabar import` (OPML or a newsboat `urls` file) and `khabar export` (OPML 2.0).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use crate::feed::subscriptions::{
    ImportError, SkippedEntry, parse_subscriptions, to_opml, unsupported_lines,
};
use crate::store::FeedSpec;
use crate::text::plural;
use crate::text::sanitize::clean_inline;

pub fn import(ctx: &Context, file: &Path) -> anyhow::Result<ExitCode> {
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
    let list = match parse_subscriptions(&text, &resolve) {
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
    let mut store = ctx.open_store()?;
    let mut new = 0usize;
    for spec in &list.feeds {
        if store.feed_by_url(&spec.url)?.is_none() {
            new += 1;
        }
        store
            .add_feed(spec)
            .with_context(|| format!("cannot add {}", clean_inline(&spec.url)))?;
    }
    let count = list.feeds.len();
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
    if list.unsupported > 0 {
        println!("skipped {}", unsupported_lines(list.unsupported));
    }
    Ok(ExitCode::SUCCESS)
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
    let store = ctx.open_store()?;
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
