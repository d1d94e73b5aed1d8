//! What a refresh learns about a feed besides its items (issue 8), kept out of
//! the hot path: whether its body was "read with repairs", whether the server
//! asked for a pause (`Retry-After`), and the bound on items a feed keeps. The
//! writer touches these tables only for feeds that have, had or need a note.

use std::collections::HashSet;

use super::{FeedFailure, FeedOutcome, JobResult, WriteJob};
use crate::store::{FeedId, MAX_ITEMS_PER_FEED, Store};

/// Notes on one feed's refresh.
#[derive(Debug, Default)]
pub(super) struct JobNotes {
    /// What recovery repaired to read the body (`None`: read as it is).
    pub(super) repairs: Option<String>,
    /// Not to be fetched before this time (Unix seconds): Retry-After.
    pub(super) retry_at: Option<i64>,
}

/// The result of a feed that is not fetched because its pause runs until `until`.
pub(super) fn paused<P>(until: i64) -> (JobResult, JobNotes, Option<P>) {
    let when = chrono::DateTime::from_timestamp(until, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default();
    (
        JobResult::Failed(FeedFailure::Paused(when)),
        JobNotes {
            retry_at: Some(until),
            ..JobNotes::default()
        },
        None,
    )
}

/// The writer's view of which feeds carry a note, so it writes only for those.
pub(super) struct NoteKeeper {
    repaired: HashSet<FeedId>,
    pausing: HashSet<FeedId>,
}

impl NoteKeeper {
    /// Reads which feeds have a repairs note or a pause.
    pub(super) fn load(store: &Store) -> NoteKeeper {
        let repaired = match store.feed_repairs() {
            Ok(repairs) => repairs.into_keys().collect(),
            Err(err) => {
                tracing::warn!("cannot read which feeds were repaired: {err}");
                HashSet::new()
            }
        };
        let pausing = match store.retry_after_all() {
            Ok(pauses) => pauses.into_keys().collect(),
            Err(err) => {
                tracing::warn!("cannot read Retry-After pauses: {err}");
                HashSet::new()
            }
        };
        NoteKeeper { repaired, pausing }
    }

    /// After a batch is written: bounds the feeds that grew, and records repairs
    /// and pauses that changed. Failures are logged; the items are stored anyway.
    pub(super) fn after_batch(
        &mut self,
        store: &mut Store,
        batch: &[WriteJob],
        outcomes: &[FeedOutcome],
        now: i64,
    ) {
        let mut grown = Vec::new();
        let mut repairs = Vec::new();
        let mut pauses = Vec::new();
        for (job, outcome) in batch.iter().zip(outcomes) {
            let feed = job.feed_id;
            if matches!(outcome, FeedOutcome::Updated(stats) if stats.new_items > 0) {
                grown.push(feed);
            }
            let retry_at = job.notes.retry_at;
            if retry_at.is_some() || self.pausing.contains(&feed) {
                match retry_at {
                    Some(_) => self.pausing.insert(feed),
                    None => self.pausing.remove(&feed),
                };
                pauses.push((feed, retry_at));
            }
            let repaired = &job.notes.repairs;
            if matches!(outcome, FeedOutcome::Updated(_))
                && (repaired.is_some() || self.repaired.contains(&feed))
            {
                match repaired {
                    Some(what) => {
                        tracing::info!(url = %job.url, "read with repairs: {what}");
                        self.repaired.insert(feed);
                    }
                    None => {
                        self.repaired.remove(&feed);
                    }
                }
                repairs.push((feed, repaired.clone()));
            }
        }
        // A feed flooding in new identities on every fetch stays bounded.
        if let Err(err) = store.trim_feeds_over(&grown, MAX_ITEMS_PER_FEED, now) {
            tracing::warn!("cannot bound the feeds' items: {err}");
        }
        if let Err(err) = store.record_repairs(&repairs, now) {
            tracing::warn!("cannot record repairs: {err}");
        }
        if let Err(err) = store.record_retry_after(&pauses) {
            tracing::warn!("cannot record Retry-After pauses: {err}");
        }
    }
}
