//! `khabar add`: subscribe to a feed, discovering it from a web page when needed.

use std::process::ExitCode;

use super::Context;

pub fn run(
    ctx: &Context,
    url: &str,
    tags: &[String],
    title: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let _ = (ctx, url, tags, title);
    anyhow::bail!("not built yet")
}
