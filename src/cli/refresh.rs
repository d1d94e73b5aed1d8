//! `khabar refresh`: fetch feeds with a progress bar and print one summary line.

use std::process::ExitCode;

use super::Context;

pub fn run(
    ctx: &Context,
    feeds: &[String],
    tags: &[String],
    quiet: bool,
) -> anyhow::Result<ExitCode> {
    let _ = (ctx, feeds, tags, quiet);
    anyhow::bail!("not built yet")
}
