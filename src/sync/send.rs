//! Sending the outbox: pending marks grouped by flag and value, many ids a
//! request, several requests in flight, and each batch on its own.
//!
//! A batch the server refuses (5xx, 429, a timeout, a dropped connection) is
//! retried by the HTTP layer (`http::send`, about 15 s of backoff), then waits
//! its own longer backoff and is tried again, while the other batches go on. When
//! the server took other batches, one that still fails is split in two and tried
//! again, so a mark the server keeps refusing holds back as few others as it can. Whatever is not
//! sent stays in the outbox with its attempts counted, for the next sync: nothing
//! is lost. Only a refused login, or a server that took no batch at all, ends the
//! sync with the error.

use std::collections::VecDeque;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use super::SyncError;
use crate::store::{Flag, PendingMarks, Store};

/// Marks per request.
const MARKS_PER_REQUEST: usize = 1000;
/// Requests in flight at once.
const AT_ONCE: usize = 4;
/// A failed batch's own waits before it is tried again (after the HTTP layer's
/// retries have given up).
const BATCH_BACKOFF_MS: &[u64] = &[2_000, 8_000];
/// How many times a failing batch is halved at most (1000 → 1 in 10).
const MAX_SPLITS: u32 = 10;

/// What sending the outbox did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sent {
    /// Marks the server took.
    pub sent: u64,
    /// Marks left in the outbox because their batch kept failing.
    pub unsent: u64,
    /// The last error of a batch left unsent.
    pub error: Option<String>,
}

/// One request's worth of marks.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Batch {
    flag: Flag,
    value: bool,
    ids: Vec<i64>,
}

/// A list of delays from the environment variable `name` (milliseconds,
/// comma-separated), for tests that must not wait; else `default`.
fn delays(name: &str, default: &[u64]) -> Vec<Duration> {
    let custom = std::env::var(name).ok().map(|text| {
        text.split(',')
            .filter_map(|part| part.trim().parse().ok())
            .collect::<Vec<u64>>()
    });
    custom
        .unwrap_or_else(|| default.to_vec())
        .into_iter()
        .map(Duration::from_millis)
        .collect()
}

/// Marks per request: `KHABAR_SYNC_BATCH` overrides it (tests use small batches).
fn batch_size() -> usize {
    std::env::var("KHABAR_SYNC_BATCH")
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .filter(|size| *size > 0)
        .unwrap_or(MARKS_PER_REQUEST)
}

/// Whether waiting can make the server take the batch.
fn passing(err: &SyncError) -> bool {
    matches!(
        err,
        SyncError::ServerError { .. } | SyncError::Unreachable { .. }
    )
}

/// Sends every pending mark; each batch is acknowledged in the outbox as soon
/// as the server took it.
pub(super) async fn send_outbox<F, Fut>(store: &mut Store, send: F) -> Result<Sent, SyncError>
where
    F: Fn(Flag, bool, Vec<i64>) -> Fut,
    Fut: std::future::Future<Output = Result<(), SyncError>>,
{
    let pending = store.outbox_pending()?;
    let size = batch_size();
    let mut queue: VecDeque<Batch> = group(&pending)
        .into_iter()
        .flat_map(|(flag, value, ids)| {
            ids.chunks(size)
                .map(|chunk| Batch {
                    flag,
                    value,
                    ids: chunk.to_vec(),
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let waits = delays("KHABAR_SYNC_BATCH_RETRY_MS", BATCH_BACKOFF_MS);
    let send = &send;
    let waits = &waits;
    let attempt = |batch: Batch| async move {
        let mut tries = waits.iter();
        loop {
            match send(batch.flag, batch.value, batch.ids.clone()).await {
                Ok(()) => return (batch, Ok(())),
                Err(err) => match tries.next() {
                    Some(wait) if passing(&err) => {
                        tracing::info!(
                            marks = batch.ids.len(),
                            "a batch of marks failed ({err}); trying it again later"
                        );
                        tokio::time::sleep(*wait).await;
                    }
                    _ => return (batch, Err(err)),
                },
            }
        }
    };
    let mut outcome = Sent::default();
    let mut last_error: Option<SyncError> = None;
    // Rounds: every batch once (up to AT_ONCE in flight); then, if the server
    // took some batches but refused others, the refused ones split in two and go
    // again. Decided by round, not by which answer came first, so the outcome
    // does not depend on timing.
    for _ in 0..=MAX_SPLITS {
        let mut failed = Vec::new();
        let mut running = FuturesUnordered::new();
        loop {
            while running.len() < AT_ONCE
                && let Some(batch) = queue.pop_front()
            {
                running.push(attempt(batch));
            }
            let Some((batch, result)) = running.next().await else {
                break;
            };
            match result {
                Ok(()) => {
                    store.outbox_acknowledge(batch.flag, batch.value, &batch.ids)?;
                    outcome.sent += batch.ids.len() as u64;
                }
                Err(err @ SyncError::Login { .. }) => return Err(err),
                Err(err) => {
                    store.outbox_record_failure(&batch.ids, &err.to_string())?;
                    tracing::warn!(
                        marks = batch.ids.len(),
                        "marks not sent, kept queued: {err}"
                    );
                    failed.push(batch);
                    last_error = Some(err);
                }
            }
        }
        if outcome.sent == 0 || failed.iter().all(|batch| batch.ids.len() < 2) {
            outcome.unsent = failed.iter().map(|batch| batch.ids.len() as u64).sum();
            break;
        }
        for batch in failed {
            if batch.ids.len() < 2 {
                outcome.unsent += 1;
                continue;
            }
            let (left, right) = batch.ids.split_at(batch.ids.len() / 2);
            for half in [left, right] {
                queue.push_back(Batch {
                    ids: half.to_vec(),
                    ..batch.clone()
                });
            }
        }
    }
    outcome.unsent += queue
        .iter()
        .map(|batch| batch.ids.len() as u64)
        .sum::<u64>();
    match last_error {
        // The server took nothing: it is down or refusing; the sync stops here.
        Some(err) if outcome.sent == 0 => Err(err),
        Some(err) if outcome.unsent > 0 => {
            outcome.error = Some(err.to_string());
            Ok(outcome)
        }
        _ => Ok(outcome),
    }
}

/// Pending marks by (flag, value), in a fixed order.
fn group(pending: &[PendingMarks]) -> Vec<(Flag, bool, Vec<i64>)> {
    let mut groups = vec![
        (Flag::Read, true, Vec::new()),
        (Flag::Read, false, Vec::new()),
        (Flag::Starred, true, Vec::new()),
        (Flag::Starred, false, Vec::new()),
    ];
    for marks in pending {
        if let Some(read) = marks.read {
            groups[usize::from(!read)].2.push(marks.remote_id);
        }
        if let Some(starred) = marks.starred {
            groups[2 + usize::from(!starred)].2.push(marks.remote_id);
        }
    }
    groups.retain(|(_, _, ids)| !ids.is_empty());
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_grouped_by_flag_and_value() {
        let pending = [
            PendingMarks {
                remote_id: 1,
                read: Some(true),
                starred: Some(false),
                attempts: 0,
            },
            PendingMarks {
                remote_id: 2,
                read: Some(true),
                starred: None,
                attempts: 0,
            },
            PendingMarks {
                remote_id: 3,
                read: None,
                starred: Some(true),
                attempts: 0,
            },
        ];
        let groups = group(&pending);
        assert_eq!(
            groups,
            vec![
                (Flag::Read, true, vec![1, 2]),
                (Flag::Starred, true, vec![3]),
                (Flag::Starred, false, vec![1]),
            ]
        );
    }

    #[test]
    fn only_a_failure_that_can_pass_is_waited_for() {
        let server = SyncError::ServerError {
            server: "s".into(),
            status: 500,
            tries: 3,
        };
        assert!(passing(&server));
        assert!(!passing(&SyncError::Login { server: "s".into() }));
        assert!(!passing(&SyncError::Protocol {
            server: "s".into(),
            detail: "400".into()
        }));
    }
}
