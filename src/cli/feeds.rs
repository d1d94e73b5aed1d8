//! `khabar feeds` and `khabar remove`.

use std::process::ExitCode;

use super::Context;

pub fn list(ctx: &Context, json: bool) -> anyhow::Result<ExitCode> {
    let _ = (ctx, json);
    anyhow::bail!("not built yet")
}

pub fn remove(ctx: &Context, url: &str) -> anyhow::Result<ExitCode> {
    let _ = (ctx, url);
    anyhow::bail!("not built yet")
}
