//! `khabar import` (OPML or a newsboat `urls` file) and `khabar export` (OPML 2.0).

use std::path::Path;
use std::process::ExitCode;

use super::Context;

pub fn import(ctx: &Context, file: &Path) -> anyhow::Result<ExitCode> {
    let _ = (ctx, file);
    anyhow::bail!("not built yet")
}

pub fn export(ctx: &Context) -> anyhow::Result<ExitCode> {
    let _ = ctx;
    anyhow::bail!("not built yet")
}
