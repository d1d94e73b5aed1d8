//! `khabar render`: the layout engine as a Unix filter.

use std::process::ExitCode;

use crate::text::Direction;

pub fn run(
    width: Option<u16>,
    dir: Direction,
    shape: bool,
    html: bool,
) -> anyhow::Result<ExitCode> {
    let _ = (width, dir, shape, html);
    anyhow::bail!("not built yet")
}
