//! Whether a fetcher is reading an answer right now, for CPU work that should
//! keep out of the network's way.
//!
//! Why: on a machine with few cores, a page being extracted while answers
//! arrive holds a core that the fetcher needs for a few hundred microseconds per
//! answer (reading the body, opening the next connection, sending the next
//! request), and that a local server needs to answer. Answers to requests sent
//! together arrive together, so a refresh's answers come in bursts with
//! quiet time between them. Extraction threads that start a page only in the
//! quiet ([`NetworkActivity::wait_quiet`]) let each burst through at full speed
//! and do the same work between bursts: measured on 2 cores, 200 pages at
//! 8 at once came in 0.3–0.5 ms sooner per burst (BENCHMARKS.md, issue 10).
//! A wait is bounded, so a network that is never quiet delays a page by that
//! bound at most.

use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// Answers being read by one fetcher, and when the last one ended.
#[derive(Debug, Default)]
pub struct NetworkActivity {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct State {
    /// Answers whose headers came and whose body is not read yet.
    reading: usize,
    /// When the last answer was read (the next request goes out just after).
    last_read: Option<Instant>,
}

/// An answer being read: counted from [`NetworkActivity::reading`] until dropped.
#[derive(Debug)]
pub struct Reading<'a> {
    activity: &'a NetworkActivity,
}

impl NetworkActivity {
    /// How long after an answer is read the network counts as busy still: the
    /// fetcher then opens the next connection and sends the next request.
    pub const GRACE: Duration = Duration::from_millis(1);

    /// The longest CPU work beside the fetcher waits for quiet (a burst of
    /// answers on a 2-core machine is read in 2 to 5 ms).
    pub const AT_MOST: Duration = Duration::from_millis(5);

    /// Counts an answer as being read until the returned guard is dropped.
    pub fn reading(&self) -> Reading<'_> {
        self.lock().reading += 1;
        Reading { activity: self }
    }

    /// Waits until no answer is being read and none was for `grace`, or for
    /// `at_most`, whichever comes first. Returns whether the network was quiet.
    pub fn wait_quiet(&self, grace: Duration, at_most: Duration) -> bool {
        let deadline = Instant::now() + at_most;
        let mut state = self.lock();
        loop {
            let now = Instant::now();
            // None while an answer is being read: quiet only once it is read.
            let quiet_from = match state.last_read {
                _ if state.reading > 0 => None,
                Some(read) => Some(read + grace),
                None => Some(now),
            };
            if quiet_from.is_some_and(|quiet| quiet <= now) {
                return true;
            }
            if now >= deadline {
                return false;
            }
            let until = quiet_from.map_or(deadline, |quiet| quiet.min(deadline));
            state = self
                .changed
                .wait_timeout(state, until - now)
                .map(|(state, _)| state)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is two counters, consistent whatever panicked.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Reading<'_> {
    fn drop(&mut self) {
        let mut state = self.activity.lock();
        state.reading = state.reading.saturating_sub(1);
        state.last_read = Some(Instant::now());
        drop(state);
        self.activity.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::sync::Arc;

    const GRACE: Duration = Duration::from_millis(20);
    const LONG: Duration = Duration::from_secs(5);

    #[test]
    fn a_fetcher_that_never_read_is_quiet_at_once() {
        let activity = NetworkActivity::default();
        // Quiet without waiting at all, whatever the grace.
        assert!(activity.wait_quiet(LONG, Duration::ZERO));
    }

    #[test]
    fn an_answer_being_read_holds_the_wait_until_it_ends_and_the_grace_passes() {
        let activity = Arc::new(NetworkActivity::default());
        let reader = {
            let activity = activity.clone();
            std::thread::spawn(move || {
                let reading = activity.reading();
                std::thread::sleep(Duration::from_millis(60));
                // Taken before the guard ends, so the wait's end is after it plus the grace.
                let read = Instant::now();
                drop(reading);
                read
            })
        };
        // Let the reader start reading.
        while activity.lock().reading == 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(activity.wait_quiet(GRACE, LONG));
        let quiet = Instant::now();
        let read = reader.join().unwrap();
        assert!(quiet >= read + GRACE, "the wait ended before the grace");
        assert!(quiet < read + LONG, "the wait ran to its bound");
    }

    #[test]
    fn a_network_that_is_never_quiet_delays_by_the_bound_only() {
        let activity = NetworkActivity::default();
        let _reading = activity.reading();
        let started = Instant::now();
        assert!(!activity.wait_quiet(GRACE, Duration::from_millis(30)));
        let waited = started.elapsed();
        assert!(waited >= Duration::from_millis(30), "{waited:?}");
        assert!(waited < LONG, "{waited:?}");
    }

    #[test]
    fn an_answer_read_long_ago_is_quiet() {
        let activity = NetworkActivity::default();
        drop(activity.reading());
        // Not quiet within the grace; quiet, without waiting, after it.
        assert!(!activity.wait_quiet(LONG, Duration::ZERO));
        std::thread::sleep(GRACE);
        assert!(activity.wait_quiet(GRACE, Duration::ZERO));
    }
}
