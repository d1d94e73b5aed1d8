//! Builds the search index of items stored before it existed (a database from an
//! older khabar) when the database is opened, with a progress bar on standard
//! error when that is a terminal (before the reader takes the screen).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use crate::store::{Store, StoreError};

/// Indexes the backlog, if any; a no-op costing one count otherwise.
pub fn build_if_needed(store: &mut Store) -> Result<(), StoreError> {
    let backlog = store.search_backlog()?;
    if backlog == 0 {
        return Ok(());
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(backlog);
        if let Ok(style) =
            ProgressStyle::with_template("building the search index {bar:30} {pos}/{len} items")
        {
            bar.set_style(style);
        }
        bar
    });
    tracing::info!(backlog, "building the search index");
    store.build_search_index(|done, _| {
        if let Some(bar) = &bar {
            bar.set_position(done);
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    // Built in batches of one transaction each: as many segments to merge. The
    // index is whole without it, so a failure is only logged.
    store.merge_search_index_logged();
    Ok(())
}
