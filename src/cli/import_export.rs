//! `khabar import` (OPML or a newsboat `urls` file) and `khabar export` (OPML 2.0).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use crate::feed::subscriptions::{parse_subscriptions, to_opml};
use crate::store::FeedSpec;

pub fn import(ctx: &Context, file: &Path) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let feeds = parse_subscriptions(&text).with_context(|| format!("{}", file.display()))?;
    let mut store = ctx.open_store()?;
    let mut new = 0usize;
    for spec in &feeds {
        if store.feed_by_url(&spec.url)?.is_none() {
            new += 1;
        }
        store
            .add_feed(spec)
            .with_context(|| format!("cannot add {}", spec.url))?;
    }
    println!(
        "imported {} feeds from {} ({new} new); run `khabar refresh` to fetch them",
        feeds.len(),
        file.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn export(ctx: &Context) -> anyhow::Result<ExitCode> {
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
