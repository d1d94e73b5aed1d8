//! `khabar search QUERY`, and the query parts of `khabar items --query` and
//! `khabar mark-read --query`: one query language (`crate::query`) everywhere.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::Utc;

use super::Context;
use super::items::{item_json, json_line, until_reader_leaves, write_item};
use crate::feed::html_to_text;
use crate::query::{Expr, Query, State, Term, parse, snippet};
use crate::store::SearchClock;
use crate::text::sanitize::clean_inline;

/// Characters of text around the first match in a result's snippet.
const SNIPPET_CHARS: usize = 160;

/// Parses a query for the command line; the error shows the query with a caret
/// under the column it is about.
pub fn parse_query(text: &str) -> anyhow::Result<Query> {
    parse(text).map_err(|err| {
        let caret = " ".repeat(err.column.saturating_sub(1));
        anyhow::anyhow!("bad query: {err}\n  {}\n  {caret}^", clean_inline(text))
    })
}

/// `query` narrowed to unread and/or starred items (`--unread`, `--starred`).
pub fn narrowed(query: Query, unread: bool, starred: bool) -> Query {
    let mut extra = Vec::new();
    if unread {
        extra.push(Expr::Term(Term::Is(State::Unread)));
    }
    if starred {
        extra.push(Expr::Term(Term::Is(State::Starred)));
    }
    query.and_also(extra)
}

/// `khabar search`: the best matches first (newest first with `sort:date`).
pub fn run(ctx: &Context, text: &str, limit: usize, json: bool) -> anyhow::Result<ExitCode> {
    let query = parse_query(text)?;
    until_reader_leaves(write_results(ctx, &query, limit, json))
}

fn write_results(
    ctx: &Context,
    query: &Query,
    limit: usize,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let store = ctx.open_existing_store()?;
    let rows = store.search(query, SearchClock::local(), limit)?;
    let needles = query.needles();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for row in &rows {
        let detail = store
            .item(row.id)?
            .with_context(|| format!("item {} vanished while listing", row.id))?;
        let html = detail
            .content_html
            .as_deref()
            .or(detail.summary.as_deref())
            .unwrap_or("");
        let snippet = snippet(&html_to_text(html), &needles, SNIPPET_CHARS);
        if json {
            let mut value = item_json(&detail);
            if let Some(object) = value.as_object_mut() {
                object.insert("snippet".to_string(), serde_json::Value::String(snippet));
            }
            writeln!(out, "{}", json_line(&value))?;
        } else {
            write_item(&mut out, row)?;
            if !snippet.is_empty() {
                writeln!(out, "          {}", clean_inline(&snippet))?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `khabar mark-read --query Q`.
pub fn mark_read(ctx: &Context, text: &str) -> anyhow::Result<ExitCode> {
    let query = parse_query(text)?;
    let mut store = ctx.open_existing_store()?;
    let changed = store.mark_read_query(&query, SearchClock::local(), Utc::now().timestamp())?;
    println!("{} marked read", super::items::items(changed));
    Ok(ExitCode::SUCCESS)
}
