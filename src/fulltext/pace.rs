//! How long the extraction threads' jobs take, foreseen from the bytes a job
//! reads, so that a page is read between answers and not into the next one
//! (`extractors.rs`, [`crate::fetch::NetworkActivity::wait_for_room`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How long the pool's jobs take per byte they read, learned from the jobs run
/// (most of a page's extraction time grows with its size: 15–30 ns a byte on
/// the benchmark's pages), so that a job waits for room for its own length
/// between answers ([`crate::fetch::NetworkActivity::wait_for_room`]).
pub(super) struct Pace {
    /// Picoseconds a byte, a running average.
    picos_per_byte: AtomicU64,
}

/// What a job is assumed to take a byte before any was timed.
const FIRST_PICOS_PER_BYTE: u64 = 30_000;

/// Jobs that read less than this are not timed: their fixed costs would
/// pass for a slow pace.
const TIMED_FROM_BYTES: usize = 16 * 1024;

impl Pace {
    pub(super) fn new() -> Pace {
        Pace {
            picos_per_byte: AtomicU64::new(FIRST_PICOS_PER_BYTE),
        }
    }

    /// How long a job reading `bytes` is foreseen to take.
    pub(super) fn foresee(&self, bytes: usize) -> Duration {
        let picos = self.picos_per_byte.load(Ordering::Relaxed);
        Duration::from_nanos((bytes as u64).saturating_mul(picos) / 1000)
    }

    /// A job read `bytes` in `took`: the average moves a quarter of the way.
    pub(super) fn learn(&self, bytes: usize, took: Duration) {
        if bytes < TIMED_FROM_BYTES {
            return;
        }
        let seen =
            u64::try_from(took.as_nanos().saturating_mul(1000) / bytes as u128).unwrap_or(u64::MAX);
        let old = self.picos_per_byte.load(Ordering::Relaxed);
        let new = old / 4 * 3 + seen / 4;
        self.picos_per_byte.store(new, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pace_moves_a_quarter_of_the_way_to_each_timed_job() {
        let pace = Pace::new();
        assert_eq!(pace.foresee(1_000_000), Duration::from_millis(30));
        // 100 ns a byte: from 30 to 30 * 3/4 + 100 / 4 = 47.5.
        pace.learn(100_000, Duration::from_millis(10));
        assert_eq!(pace.foresee(1_000_000), Duration::from_micros(47_500));
        // Too small to be timed.
        pace.learn(1_000, Duration::from_millis(10));
        assert_eq!(pace.foresee(1_000_000), Duration::from_micros(47_500));
    }
}
