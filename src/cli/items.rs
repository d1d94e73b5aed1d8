//! `khabar items`, `khabar unread`, `khabar mark-read` and `khabar star`.
//!
//! Text output is for terminals: every piece of feed text goes through
//! `clean_inline`, so no control character or escape sequence from a feed reaches
//! the terminal. `--json` output is for programs: it keeps feed text exactly, but
//! every control character (C0, DEL, C1), line separator and bidi control is written
//! as a `\uXXXX` escape, so the JSON is the same data and yet safe to print.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::{DateTime, Local, SecondsFormat, Utc};

use super::Context;
use crate::store::{FeedId, ItemDetail, ItemQuery, ItemRow, Store};
use crate::text::sanitize::{clean_inline, is_terminal_unsafe};

/// Filters of `khabar items`.
#[derive(Debug, Clone, Default)]
pub struct ItemsFilter {
    pub unread: bool,
    pub starred: bool,
    pub tag: Option<String>,
    pub feed: Option<String>,
    pub limit: usize,
    /// `--query`: a query in the search language, listed newest first.
    pub query: Option<String>,
}

/// Lists items newest first: one line each, or one JSON object per line.
pub fn list(ctx: &Context, filter: &ItemsFilter, json: bool) -> anyhow::Result<ExitCode> {
    until_reader_leaves(write_items(ctx, filter, json))
}

/// `khabar items | head` closes the pipe early: the reader has what it wanted, so
/// that is success, not "Broken pipe (os error 32)".
pub(super) fn until_reader_leaves(result: anyhow::Result<ExitCode>) -> anyhow::Result<ExitCode> {
    match result {
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(ExitCode::SUCCESS)
        }
        other => other,
    }
}

fn write_items(ctx: &Context, filter: &ItemsFilter, json: bool) -> anyhow::Result<ExitCode> {
    if let Some(text) = &filter.query {
        let query = super::search::narrowed(
            super::search::parse_query(text)?,
            filter.unread,
            filter.starred,
        );
        let store = ctx.open_existing_store()?;
        let clock = crate::store::SearchClock::local();
        return write_pages(filter.limit, json, &store, |cursor, n| {
            Ok(store.query_items_after(&query, clock, cursor, n)?)
        });
    }
    let store = ctx.open_existing_store()?;
    let query = ItemQuery {
        feed: filter
            .feed
            .as_deref()
            .map(|url| feed_id(&store, url))
            .transpose()?,
        tag: filter
            .tag
            .as_deref()
            .map(|tag| stored_tag(&store, tag))
            .transpose()?,
        unread_only: filter.unread,
        starred_only: filter.starred,
    };
    write_pages(filter.limit, json, &store, |cursor, n| {
        Ok(store.items_after(&query, cursor, n)?)
    })
}

/// Writes up to `limit` items, page by page from `next_page(after, n)`.
fn write_pages(
    limit: usize,
    json: bool,
    store: &Store,
    mut next_page: impl FnMut(Option<crate::store::Cursor>, usize) -> anyhow::Result<Vec<ItemRow>>,
) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Pages of at most 500 keep memory flat for `--limit 1000000`.
    let mut cursor = None;
    let mut left = limit;
    while left > 0 {
        let page = next_page(cursor, left.min(500))?;
        let Some(last) = page.last() else { break };
        cursor = Some(last.cursor());
        left -= page.len();
        for row in &page {
            if json {
                let detail = store
                    .item(row.id)?
                    .with_context(|| format!("item {} vanished while listing", row.id))?;
                writeln!(out, "{}", json_line(&item_json(&detail)))?;
            } else {
                write_item(&mut out, row)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The tag as the database spells it (see [`Store::tag_spellings`]); when two
/// spellings are stored, the first is used and the other named in a warning.
fn stored_tag(store: &Store, tag: &str) -> anyhow::Result<String> {
    let mut spellings = store.tag_spellings(tag)?.into_iter();
    let Some(first) = spellings.next() else {
        return Ok(tag.to_string());
    };
    let others: Vec<String> = spellings.map(|t| clean_inline(&t)).collect();
    if !others.is_empty() {
        eprintln!(
            "khabar: tag {} also appears spelled {}; use that spelling for those items",
            clean_inline(&first),
            others.join(", ")
        );
    }
    Ok(first)
}

fn feed_id(store: &Store, url: &str) -> anyhow::Result<FeedId> {
    Ok(store
        .feed_by_url(url)?
        .with_context(|| format!("no feed with URL {url} (see `khabar feeds`)"))?
        .id)
}

/// `value` as one line of JSON in which nothing can act on a terminal: serde_json
/// escapes only C0 controls, so C1 controls (U+009B is a one-character CSI), DEL,
/// U+2028/U+2029 and bidi controls are escaped here. They only occur inside
/// strings, so the result parses to the same value.
pub(super) fn json_line(value: &serde_json::Value) -> String {
    let text = value.to_string();
    if !text.chars().any(needs_json_escape) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_json_escape(c) {
            // Characters past U+FFFF (tag characters) are escaped as a surrogate pair.
            for unit in c.encode_utf16(&mut [0u16; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The sanitiser's list of characters never printed raw (see `is_terminal_unsafe`).
fn needs_json_escape(c: char) -> bool {
    is_terminal_unsafe(c)
}

/// `   123 N* 2026-11-26 14:05  Feed: Title`; N marks unread, * starred.
pub(super) fn write_item(out: &mut impl Write, row: &ItemRow) -> std::io::Result<()> {
    writeln!(
        out,
        "{:>7} {}{} {}  {}: {}",
        row.id,
        if row.read { ' ' } else { 'N' },
        if row.starred { '*' } else { ' ' },
        local_time(row.sort_time),
        clean_inline(&row.feed_title),
        clean_inline(&row.title),
    )
}

/// `published` is the time the list sorts on: the feed's date, else when khabar
/// first saw the item.
pub(super) fn item_json(detail: &ItemDetail) -> serde_json::Value {
    let row = &detail.row;
    serde_json::json!({
        "id": row.id,
        "feed": detail.feed_url,
        "feed_title": row.feed_title,
        "title": row.title,
        "summary": detail.summary,
        "link": row.link,
        "published": rfc3339(detail.published.unwrap_or(row.sort_time)),
        "tags": detail.tags,
        "enclosures": detail.enclosures.iter().map(|e| serde_json::json!({
            "url": e.url,
            "mime_type": e.mime_type,
            "length": e.length,
            "title": e.title,
            "duration": e.duration,
        })).collect::<Vec<_>>(),
        "read": row.read,
        "starred": row.starred,
    })
}

/// Prints the number of unread items in enabled feeds.
pub fn unread(ctx: &Context) -> anyhow::Result<ExitCode> {
    let store = ctx.open_existing_store()?;
    println!("{}", store.unread_count()?);
    Ok(ExitCode::SUCCESS)
}

/// Marks items read (or unread) by id, or every item (of a tag) read.
pub fn mark_read(
    ctx: &Context,
    ids: &[i64],
    all: bool,
    tag: Option<&str>,
    read: bool,
) -> anyhow::Result<ExitCode> {
    let now = Utc::now().timestamp();
    let mut store = ctx.open_existing_store()?;
    let word = if read { "read" } else { "unread" };
    if all {
        if !read {
            anyhow::bail!("--all marks items read; to mark items unread, give their ids");
        }
        let query = ItemQuery {
            tag: tag.map(|tag| stored_tag(&store, tag)).transpose()?,
            ..ItemQuery::default()
        };
        let changed = store.mark_all_read(&query, now)?;
        println!("{} marked read", items(changed));
        return Ok(ExitCode::SUCCESS);
    }
    if ids.is_empty() {
        anyhow::bail!("give item ids (see `khabar items`) or --all");
    }
    check_ids(&store, ids)?;
    let changed = store.set_read(ids, read, now)?;
    println!("{} marked {word}", items(changed));
    Ok(ExitCode::SUCCESS)
}

/// Stars (or unstars) items by id.
pub fn star(ctx: &Context, ids: &[i64], starred: bool) -> anyhow::Result<ExitCode> {
    let now = Utc::now().timestamp();
    let mut store = ctx.open_existing_store()?;
    check_ids(&store, ids)?;
    let changed = store.set_starred(ids, starred, now)?;
    let word = if starred { "starred" } else { "unstarred" };
    println!("{} {word}", items(changed));
    Ok(ExitCode::SUCCESS)
}

/// "1 item", "2 items".
pub(super) fn items(count: u64) -> String {
    match count {
        1 => "1 item".to_string(),
        n => format!("{n} items"),
    }
}

/// Refuses the whole command when an id does not exist, so a typo is noticed
/// instead of silently changing the other items only.
fn check_ids(store: &Store, ids: &[i64]) -> anyhow::Result<()> {
    let missing: Vec<String> = ids
        .iter()
        .filter_map(|id| match store.item(*id) {
            Ok(Some(_)) => None,
            _ => Some(id.to_string()),
        })
        .collect();
    if !missing.is_empty() {
        anyhow::bail!(
            "no item with id {} (see `khabar items`)",
            missing.join(", ")
        );
    }
    Ok(())
}

/// RFC 3339 in UTC, e.g. `2026-11-26T12:00:00Z`.
pub(super) fn rfc3339(secs: i64) -> Option<String> {
    DateTime::<Utc>::from_timestamp(secs, 0).map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// Local date and time for terminal output.
pub(super) fn local_time(secs: i64) -> String {
    DateTime::<Utc>::from_timestamp(secs, 0)
        .map(|t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}
