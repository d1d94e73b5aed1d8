//! `khabar items`, `khabar unread`, `khabar mark-read` and `khabar star`.

use std::process::ExitCode;

use super::Context;

/// Filters of `khabar items`.
#[derive(Debug, Clone, Default)]
pub struct ItemsFilter {
    pub unread: bool,
    pub starred: bool,
    pub tag: Option<String>,
    pub feed: Option<String>,
    pub limit: usize,
}

pub fn list(ctx: &Context, filter: &ItemsFilter, json: bool) -> anyhow::Result<ExitCode> {
    let _ = (ctx, filter, json);
    anyhow::bail!("not built yet")
}

pub fn unread(ctx: &Context) -> anyhow::Result<ExitCode> {
    let _ = ctx;
    anyhow::bail!("not built yet")
}

pub fn mark_read(
    ctx: &Context,
    ids: &[i64],
    all: bool,
    tag: Option<&str>,
    read: bool,
) -> anyhow::Result<ExitCode> {
    let _ = (ctx, ids, all, tag, read);
    anyhow::bail!("not built yet")
}

pub fn star(ctx: &Context, ids: &[i64], starred: bool) -> anyhow::Result<ExitCode> {
    let _ = (ctx, ids, starred);
    anyhow::bail!("not built yet")
}
