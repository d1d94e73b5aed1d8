//! The refresh's page writer: one blocking task that stores the full-text
//! results of a refresh (and of `khabar fulltext`) as they arrive, in few
//! transactions, keeps the WAL short while it waits, and merges the search
//! index when told that the last pages are on the network.

use std::path::PathBuf;
use std::sync::Arc;

use crate::fetch::NetworkActivity;
use crate::store::{ItemId, Store};

pub(super) type PageResult = (ItemId, Result<String, String>);

/// What the refresh's page writer is sent.
pub(super) enum ToWriter {
    /// A page's result, to store.
    Page(PageResult),
    /// Merge the search index's segments now (when the network is quiet).
    MergeIndex,
}

/// Most pages the refresh's writer stores in one transaction, so that one
/// transaction never holds the write lock for long.
const MAX_PAGES_PER_WRITE: usize = 32;

/// A blocking task that stores each result sent to it, until the sender is
/// dropped (then it returns whether it merged the index ahead): the results
/// that queued up while it wrote go in one transaction, and whenever it waits
/// for the next page it copies the WAL into the database, so the WAL restarts
/// instead of growing with every page. Freeing a WAL of several MB cost the
/// last connection's close 15–30 ms at the end of each refresh with full
/// text; a checkpoint thread alone seldom restarts it, since a page is usually
/// committed while it copies (BENCHMARKS.md, issue 10).
///
/// [`ToWriter::MergeIndex`] comes once every page of the phase is requested:
/// the segments its writes made so far are merged while the last pages are on
/// the network (after a quiet moment, see `fetch::activity`), not after them.
pub(super) fn spawn_writer(
    path: PathBuf,
    network: Arc<NetworkActivity>,
) -> (
    std::sync::mpsc::Sender<ToWriter>,
    tokio::task::JoinHandle<anyhow::Result<bool>>,
) {
    let (sender, receiver) = std::sync::mpsc::channel::<ToWriter>();
    let writer = tokio::task::spawn_blocking(move || -> anyhow::Result<bool> {
        let mut store = Store::open(&path)?;
        let mut merged_ahead = false;
        let mut next = receiver.recv().ok();
        while let Some(first) = next {
            // The results that arrived while the last ones were written go in
            // one transaction with this one; nothing waits for more.
            let mut batch: Vec<PageResult> = Vec::new();
            let mut merge = false;
            let mut message = Some(first);
            while let Some(taken) = message.take() {
                match taken {
                    ToWriter::Page(page) => batch.push(page),
                    ToWriter::MergeIndex => merge = true,
                }
                if !merge && batch.len() < MAX_PAGES_PER_WRITE {
                    message = receiver.try_recv().ok();
                }
            }
            if !batch.is_empty() {
                let now = chrono::Utc::now().timestamp();
                store.set_fulltext_results(
                    batch
                        .iter()
                        .map(|(item, result)| (*item, result.as_deref().map_err(String::as_str))),
                    now,
                )?;
                tracing::debug!(pages = batch.len(), "pages stored");
            }
            if merge {
                network.wait_quiet(NetworkActivity::GRACE, NetworkActivity::AT_MOST);
                // A failed merge loses nothing: the one after the refresh does it.
                merged_ahead = store.merge_search_index_logged();
            }
            next = match receiver.try_recv() {
                Ok(more) => Some(more),
                Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    // Idle until the next page: checkpoint now, while no page
                    // can be committed, so the next write restarts the WAL.
                    if let Err(err) = store.checkpoint_passive() {
                        tracing::debug!("checkpoint: {err}");
                    }
                    receiver.recv().ok()
                }
            };
        }
        Ok(merged_ahead)
    });
    (sender, writer)
}
