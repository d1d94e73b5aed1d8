//! Backoff across runs: a sync that fails against the server (down, 5xx, refused
//! login, TLS) counts a failure in the database and sets the earliest time of the
//! next scheduled try, so `khabar sync` from cron against a dead server backs off
//! (1 minute, doubling, at most an hour) instead of hammering it every run; the
//! marks stay queued meanwhile. A success clears it. An explicit sync (`khabar
//! sync --now`, the reader's `R`) tries at once.

use super::SyncError;
use super::engine::keys;
use crate::store::{Store, StoreError};

/// The first wait after a failure, in seconds.
const FIRST_WAIT_SECS: i64 = 60;
/// The longest wait, in seconds.
const MAX_WAIT_SECS: i64 = 3600;

/// Consecutive failed syncs and when the next scheduled one may run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    /// Failed syncs in a row.
    pub failures: u32,
    /// Unix time before which a scheduled sync does not try.
    pub next_attempt_at: i64,
}

/// The wait after `failures` failed syncs in a row: 1, 2, 4 … minutes, at most
/// an hour.
pub fn wait_secs(failures: u32) -> i64 {
    let doublings = failures.saturating_sub(1).min(16);
    (FIRST_WAIT_SECS << doublings).min(MAX_WAIT_SECS)
}

/// Whether a failure is the server's (worth backing off from) rather than the
/// local configuration's or database's.
pub fn counts(err: &SyncError) -> bool {
    !matches!(err, SyncError::Settings(_) | SyncError::Store(_))
}

/// The values to record after a sync: the failure count and the next attempt
/// time (cleared after a success).
pub fn after(
    store: &Store,
    failed: bool,
    now: i64,
) -> Result<Vec<(&'static str, String)>, StoreError> {
    if !failed {
        return Ok(vec![
            (keys::FAILURES, "0".to_string()),
            (keys::NEXT_ATTEMPT_AT, "0".to_string()),
        ]);
    }
    let failures = current(store)?.map_or(0, |b| b.failures) + 1;
    Ok(vec![
        (keys::FAILURES, failures.to_string()),
        (
            keys::NEXT_ATTEMPT_AT,
            (now + wait_secs(failures)).to_string(),
        ),
    ])
}

/// The recorded backoff, if the last sync failed.
pub fn current(store: &Store) -> Result<Option<Backoff>, StoreError> {
    let number = |key| -> Result<i64, StoreError> {
        Ok(store
            .sync_value(key)?
            .and_then(|text| text.parse().ok())
            .unwrap_or(0))
    };
    let failures = u32::try_from(number(keys::FAILURES)?).unwrap_or(0);
    if failures == 0 {
        return Ok(None);
    }
    Ok(Some(Backoff {
        failures,
        next_attempt_at: number(keys::NEXT_ATTEMPT_AT)?,
    }))
}

/// The backoff a scheduled sync at `now` must respect, if any.
pub fn pending(store: &Store, now: i64) -> Result<Option<Backoff>, StoreError> {
    Ok(current(store)?.filter(|backoff| backoff.next_attempt_at > now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_from_a_minute_to_an_hour() {
        assert_eq!(wait_secs(1), 60);
        assert_eq!(wait_secs(2), 120);
        assert_eq!(wait_secs(3), 240);
        assert_eq!(wait_secs(6), 1920);
        assert_eq!(wait_secs(7), 3600);
        assert_eq!(wait_secs(400), 3600);
    }

    #[test]
    fn only_the_servers_failures_count() {
        let server = "http://x".to_string();
        assert!(counts(&SyncError::Login {
            server: server.clone()
        }));
        assert!(counts(&SyncError::Unreachable {
            server,
            detail: "refused".into()
        }));
        assert!(!counts(&SyncError::Settings("no url".into())));
    }
}
