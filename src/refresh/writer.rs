//! The refresh's writer thread: it owns the [`Store`] for the refresh, records
//! each feed's result (the feeds waiting together in one transaction), and
//! reports progress.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::notes::{self, JobNotes};
use super::{FeedFailure, FeedOutcome, RefreshEvent, RefreshSummary};
use crate::store::{FeedId, FeedUpdate, PreparedIndex, PreparedUpdate, Store};

/// What the writer should record for one feed.
pub(super) struct WriteJob {
    pub(super) feed_id: FeedId,
    pub(super) url: String,
    pub(super) result: JobResult,
    pub(super) notes: JobNotes,
}

pub(super) enum JobResult {
    /// With the items' index text when it was made on the parser thread.
    Update(Box<FeedUpdate>, Option<Box<PreparedIndex>>),
    Unchanged,
    Failed(FeedFailure),
}

/// Feeds already waiting for the writer are written in one transaction, up to
/// about this many items: one commit per batch instead of per feed (the WAL gets
/// each shared index page once per batch), while a transaction, and the lock the
/// reader's writes may wait for, stays short.
pub const BATCH_ITEMS: usize = 5_000;

/// When the writer is faster than the parsers (since they make the index text of
/// new feeds), a batch waits this long at most for more feeds: every commit
/// flushes a new search index segment that FTS5 must later merge, and writes the
/// shared index pages to the WAL again. A feed's progress event waits as long.
const BATCH_WAIT: std::time::Duration = std::time::Duration::from_millis(30);

/// How often a waiting batch looks for more feeds.
const BATCH_POLL: std::time::Duration = std::time::Duration::from_millis(2);

/// The writer thread: owns the store, records the feeds' results (those waiting
/// together in one transaction), and reports progress.
pub(super) fn write_all(
    mut store: Store,
    mut jobs: mpsc::Receiver<WriteJob>,
    events: mpsc::UnboundedSender<RefreshEvent>,
    total: usize,
) -> RefreshSummary {
    let mut summary = RefreshSummary {
        feeds: total,
        ..RefreshSummary::default()
    };
    let mut done = 0;
    // This connection only lives for the refresh (first refresh of the 100k-item
    // benchmark: 20 s -> 10 s with these settings).
    if let Err(err) = store.tune_for_bulk_writes() {
        tracing::warn!("cannot tune the database for the refresh: {err}");
    }
    // Into a database with no items, the time-ordered indexes are made once
    // after the last batch (`store::deferred_indexes`).
    let deferred = store.defer_time_indexes().unwrap_or_else(|err| {
        tracing::warn!("time indexes kept through the refresh: {err}");
        false
    });
    let freer = spawn_freer();
    let mut keeper = notes::NoteKeeper::load(&store);
    while let Some(first) = jobs.blocking_recv() {
        let mut items = first.items();
        let mut batch = vec![first];
        let waiting_since = std::time::Instant::now();
        while items < BATCH_ITEMS {
            match jobs.try_recv() {
                Ok(job) => {
                    items += job.items();
                    batch.push(job);
                }
                // Every sender is gone: the last batch.
                Err(mpsc::error::TryRecvError::Disconnected) => break,
                Err(mpsc::error::TryRecvError::Empty) => {
                    if waiting_since.elapsed() >= BATCH_WAIT {
                        break;
                    }
                    std::thread::sleep(BATCH_POLL);
                }
            }
        }
        let now = chrono::Utc::now().timestamp();
        let outcomes = write_batch(&mut store, &batch, now);
        let mut written = Vec::with_capacity(batch.len());
        keeper.after_batch(&mut store, &batch, &outcomes, now);
        for (job, outcome) in batch.into_iter().zip(outcomes) {
            let WriteJob {
                feed_id,
                url,
                result,
                notes: _,
            } = job;
            written.push(result);
            let job = Job { feed_id, url };
            if let FeedOutcome::Failed(failure) = &outcome {
                tracing::warn!(url = %job.url, "refresh failed: {failure}");
                if let Err(err) = store.record_error(job.feed_id, &failure.to_string(), now) {
                    tracing::error!(url = %job.url, "cannot record the error: {err}");
                }
            }
            match &outcome {
                FeedOutcome::Updated(stats) => {
                    summary.updated += 1;
                    summary.new_items += stats.new_items;
                    summary.ignored += stats.ignored_items;
                }
                FeedOutcome::Unchanged => summary.unchanged += 1,
                FeedOutcome::Failed(failure) => {
                    summary.failed += 1;
                    summary.disk_full += usize::from(failure.is_disk_full());
                }
            }
            done += 1;
            let _ = events.send(RefreshEvent::FeedDone {
                feed_id: job.feed_id,
                url: job.url,
                outcome,
                done,
                total,
            });
        }
        // Freeing parsed feeds (a first refresh: ~100k items of strings) costs the
        // writer, the slowest stage, a few per cent: done on another thread.
        if let Some(freer) = &freer {
            let _ = freer.send(written);
        }
    }
    if deferred {
        match store.restore_time_indexes() {
            Ok(made) => tracing::debug!(made, "time indexes made after the last batch"),
            // The next open makes them (`refresh::open_store`).
            Err(err) => tracing::warn!("cannot make the time indexes: {err}"),
        }
    }
    summary
}

/// What the writer still needs of a job once its result is written.
struct Job {
    feed_id: FeedId,
    url: String,
}

/// A thread that drops what it is sent; `None` if it cannot be started (then the
/// writer drops things itself).
fn spawn_freer() -> Option<std::sync::mpsc::Sender<Vec<JobResult>>> {
    let (sender, receiver) = std::sync::mpsc::channel::<Vec<JobResult>>();
    std::thread::Builder::new()
        .name("khabar-free".into())
        .spawn(move || receiver.into_iter().for_each(drop))
        .ok()?;
    Some(sender)
}

impl WriteJob {
    fn items(&self) -> usize {
        match &self.result {
            JobResult::Update(update, _) => update.feed.items.len().max(1),
            JobResult::Unchanged | JobResult::Failed(_) => 1,
        }
    }
}

/// Writes a batch of results: the updates in one transaction, the unchanged feeds
/// in another. Returns the outcome of each job, in order; failures to store are
/// outcomes of their feed, never of the whole refresh.
fn write_batch(store: &mut Store, batch: &[WriteJob], now: i64) -> Vec<FeedOutcome> {
    // A database file removed or replaced since the refresh opened it would
    // take these feeds into a file nobody opens again: each fails, saying why
    // (one `stat` per batch, never per item).
    if let Err(err) = store.check_file() {
        let err = Arc::new(err);
        return batch
            .iter()
            .map(|job| match &job.result {
                JobResult::Failed(failure) => FeedOutcome::Failed(failure.clone()),
                _ => FeedOutcome::Failed(FeedFailure::Store(err.clone())),
            })
            .collect();
    }
    let updates: Vec<PreparedUpdate<'_>> = batch
        .iter()
        .filter_map(|job| match &job.result {
            JobResult::Update(update, prepared) => {
                Some((job.feed_id, &**update, prepared.as_deref()))
            }
            _ => None,
        })
        .collect();
    let mut stored = if updates.is_empty() {
        Vec::new()
    } else {
        store.apply_prepared_updates(&updates, now)
    }
    .into_iter();
    let unchanged: Vec<FeedId> = batch
        .iter()
        .filter(|job| matches!(job.result, JobResult::Unchanged))
        .map(|job| job.feed_id)
        .collect();
    let unchanged_stored = if unchanged.is_empty() {
        Ok(())
    } else {
        // Shared by every unchanged feed of the batch.
        store
            .record_unchanged_many(&unchanged, now)
            .map_err(Arc::new)
    };
    batch
        .iter()
        .map(|job| match &job.result {
            JobResult::Update(..) => match stored.next() {
                Some(Ok(stats)) => FeedOutcome::Updated(stats),
                Some(Err(err)) => FeedOutcome::Failed(err.into()),
                None => FeedOutcome::Failed(FeedFailure::NotWritten),
            },
            JobResult::Unchanged => match &unchanged_stored {
                Ok(()) => FeedOutcome::Unchanged,
                Err(err) => FeedOutcome::Failed(FeedFailure::Store(err.clone())),
            },
            JobResult::Failed(message) => FeedOutcome::Failed(message.clone()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::FeedSpec;

    /// A refresh whose database file was removed (or replaced) under it fails
    /// each feed with the reason instead of writing into the unlinked file.
    #[test]
    fn feeds_fail_when_the_database_file_was_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("khabar.db");
        let mut store = Store::open(&path).expect("open");
        let spec = FeedSpec {
            url: "https://example.org/feed".into(),
            ..FeedSpec::default()
        };
        let feed_id = store.add_feed(&spec).expect("add");
        let job = || WriteJob {
            feed_id,
            url: spec.url.clone(),
            result: JobResult::Unchanged,
            notes: JobNotes::default(),
        };
        let outcomes = write_batch(&mut store, &[job()], 0);
        assert!(
            matches!(outcomes[0], FeedOutcome::Unchanged),
            "{outcomes:?}"
        );
        std::fs::remove_file(&path).expect("rm");
        let outcomes = write_batch(&mut store, &[job()], 0);
        match &outcomes[0] {
            FeedOutcome::Failed(failure) => assert!(
                failure.to_string().contains("removed or replaced"),
                "{failure}"
            ),
            other => panic!("written into a removed file: {other:?}"),
        }
    }
}
