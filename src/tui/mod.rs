//! The reader: the Elm architecture over the local database. A model, messages,
//! a pure `update(model, msg) -> Vec<Command>`, a view that only reads the model,
//! and a runner that executes commands in tasks that answer with messages.

use std::process::ExitCode;

use crate::cli::Context;

/// Opens the reader (or, with `demo`, the reader on a built-in offline sample).
pub fn run(ctx: &Context, demo: bool) -> anyhow::Result<ExitCode> {
    let _ = (ctx, demo);
    anyhow::bail!("the reader is not built yet")
}
