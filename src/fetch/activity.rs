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
//!
//! Why the answers still to come count too ([`NetworkActivity::wait_for_room`]):
//! a page taken in a quiet moment could still be read when the next answers
//! come, and eight requests sent together drift apart by 5–12 ms over a
//! refresh, so quiet moments come inside the bursts too. Measured on 2 cores,
//! a third of the answers then came while a page was being read. Each request
//! is expected back after about the quickest recent answer's time, so a page
//! is read only when it is foreseen to end before the next expected answer:
//! the same 200 pages were all requested 7 ms sooner, within the spread of
//! a build that reads no page at all (BENCHMARKS.md, issue 10).

use std::collections::VecDeque;
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
    /// Requests sent and not answered yet: an id and when each was sent.
    waiting: Vec<(u64, Instant)>,
    /// The id of the next request sent.
    next_id: u64,
    /// How long the last few answers took to come (request sent to headers).
    recent: VecDeque<Duration>,
}

/// Answers whose time is remembered: the quickest of them is how soon after
/// its request the next answer can come.
const RECENT_ANSWERS: usize = 16;

impl State {
    /// The latest time until which an answer that may come during `work`
    /// starting `now` (or within `grace` before its end) is expected: one
    /// whose request was sent the quickest recent answer's time ago, give or
    /// take its lateness. None when no answer is expected then, when no
    /// answer came yet to say how long they take, or when answers come too
    /// quickly for room between them: quicker than the work takes (requests
    /// sent during the work are answered during it too) or than
    /// [`NetworkActivity::ROOM_FROM`].
    fn answer_expected(&self, now: Instant, work: Duration, grace: Duration) -> Option<Instant> {
        let quickest = self.recent.iter().min()?;
        if *quickest <= work + grace || *quickest < NetworkActivity::ROOM_FROM {
            return None;
        }
        // Answers come a little after the quickest one's time, not before it.
        let late = (*quickest / 16).max(grace);
        self.waiting
            .iter()
            .map(|&(_, sent)| sent + *quickest)
            .filter(|&expected| expected <= now + work + grace && now <= expected + late)
            .map(|expected| expected + late)
            .max()
    }

    /// A request no longer waits for its answer.
    fn forget(&mut self, id: u64) {
        self.waiting.retain(|&(waiting, _)| waiting != id);
    }
}

/// An answer being read: counted from [`Sent::answered`] until dropped.
#[derive(Debug)]
pub struct Reading<'a> {
    activity: &'a NetworkActivity,
}

/// A request sent and not answered yet: counted from [`NetworkActivity::sent`]
/// until [`Sent::answered`] or dropped (no answer: an error, a timeout).
#[derive(Debug)]
pub struct Sent<'a> {
    activity: &'a NetworkActivity,
    id: u64,
    at: Instant,
}

impl NetworkActivity {
    /// How long after an answer is read the network counts as busy still: the
    /// fetcher then opens the next connection and sends the next request.
    pub const GRACE: Duration = Duration::from_millis(1);

    /// The longest CPU work beside the fetcher waits for quiet (a burst of
    /// answers on a 2-core machine is read in 2 to 5 ms).
    pub const AT_MOST: Duration = Duration::from_millis(5);

    /// Answers quicker than this (a server on the same machine or network)
    /// leave no room worth waiting for: the waits would hold the work back,
    /// each up to [`NetworkActivity::AT_MOST`], and the answers come as
    /// often during the wait as during the work. Measured on 2 cores with
    /// answers at once: 200 pages took 0.44–0.51 s with room waited for,
    /// 0.38–0.44 s without (BENCHMARKS.md, issue 10).
    pub const ROOM_FROM: Duration = Duration::from_millis(20);

    /// Counts a request as waiting for its answer until the returned guard is
    /// answered or dropped.
    pub fn sent(&self) -> Sent<'_> {
        let mut state = self.lock();
        let id = state.next_id;
        state.next_id += 1;
        let at = Instant::now();
        state.waiting.push((id, at));
        Sent {
            activity: self,
            id,
            at,
        }
    }

    /// Waits until no answer is being read, none was for `grace` and none is
    /// expected within `grace` (as [`NetworkActivity::wait_for_room`] expects
    /// them), or for `at_most`, whichever comes first. Returns whether the
    /// network was quiet.
    pub fn wait_quiet(&self, grace: Duration, at_most: Duration) -> bool {
        self.wait_for_room(Duration::ZERO, grace, at_most)
    }

    /// [`NetworkActivity::wait_quiet`], and also until no answer is expected
    /// during `work` from now: CPU work of about that long then runs between
    /// bursts of answers, not into the next one. An answer is expected from
    /// when its request was sent plus the quickest recent answer's time (each
    /// request waits about as long on the same servers) until a little after.
    pub fn wait_for_room(&self, work: Duration, grace: Duration, at_most: Duration) -> bool {
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
            let quiet = quiet_from.is_some_and(|quiet| quiet <= now);
            let expected = state.answer_expected(now, work, grace);
            if quiet && expected.is_none() {
                return true;
            }
            if now >= deadline {
                return false;
            }
            // Looked at again when an answer comes or is read, or once the
            // grace or the expected answer's time has passed.
            let until = match (quiet, quiet_from, expected) {
                (false, Some(quiet), _) => quiet,
                (_, _, Some(expected)) => expected,
                _ => deadline,
            }
            .min(deadline);
            state = self
                .changed
                .wait_timeout(state, until - now)
                .map(|(state, _)| state)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is counters and times, consistent whatever panicked.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<'a> Sent<'a> {
    /// The answer's headers came: the request waits no more (and says how long
    /// answers take), and its answer is read until the returned guard is dropped.
    pub fn answered(self) -> Reading<'a> {
        let activity = self.activity;
        {
            let mut state = activity.lock();
            state.forget(self.id);
            if state.recent.len() == RECENT_ANSWERS {
                state.recent.pop_front();
            }
            state.recent.push_back(self.at.elapsed());
            state.reading += 1;
        }
        // Already forgotten: nothing left for `drop` to do.
        std::mem::forget(self);
        activity.changed.notify_all();
        Reading { activity }
    }
}

impl Drop for Sent<'_> {
    /// No answer (an error, a timeout, a cancelled refresh): nothing to expect.
    fn drop(&mut self) {
        self.activity.lock().forget(self.id);
        self.activity.changed.notify_all();
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

    /// An activity whose answers take about `time`: one request answered after it.
    fn answers_taking(time: Duration) -> NetworkActivity {
        let activity = NetworkActivity::default();
        let sent = activity.sent();
        std::thread::sleep(time);
        drop(sent.answered());
        activity
    }

    #[test]
    fn work_that_would_meet_an_expected_answer_waits_until_its_time_has_passed() {
        let answer_time = Duration::from_millis(400);
        let activity = answers_taking(answer_time);
        let sent = Instant::now();
        let _waiting = activity.sent();
        std::thread::sleep(Duration::from_millis(200));
        // 300 ms of work from 200 ms in would meet the answer expected at 400 ms.
        assert!(activity.wait_for_room(Duration::from_millis(300), Duration::ZERO, LONG));
        let waited = sent.elapsed();
        assert!(waited >= answer_time, "started after {waited:?}");
        assert!(waited < LONG, "waited {waited:?}");
    }

    #[test]
    fn work_that_ends_before_the_next_expected_answer_starts_at_once() {
        let activity = answers_taking(Duration::from_millis(800));
        let _waiting = activity.sent();
        let started = Instant::now();
        assert!(activity.wait_for_room(Duration::from_millis(20), Duration::ZERO, LONG));
        let waited = started.elapsed();
        assert!(waited < Duration::from_millis(400), "waited {waited:?}");
    }

    #[test]
    fn a_request_given_up_early_ends_the_wait_for_its_answer() {
        let activity = answers_taking(Duration::from_millis(600));
        let sent = Instant::now();
        let waiting = activity.sent();
        std::thread::scope(|scope| {
            // Given up (an error, a timeout) 100 ms in; the answer was expected at 600.
            scope.spawn(move || {
                std::thread::sleep(Duration::from_millis(100));
                drop(waiting);
            });
            assert!(activity.wait_for_room(LONG, Duration::ZERO, LONG));
        });
        let waited = sent.elapsed();
        assert!(waited >= Duration::from_millis(100), "waited {waited:?}");
        assert!(waited < Duration::from_millis(500), "waited {waited:?}");
    }

    #[test]
    fn work_longer_than_an_answer_takes_waits_for_quiet_only() {
        let activity = answers_taking(Duration::from_millis(100));
        let _waiting = activity.sent();
        // Any room before the answer due in 100 ms would be gone during the work.
        assert!(activity.wait_for_room(Duration::from_millis(500), Duration::ZERO, Duration::ZERO));
    }

    #[test]
    fn answers_quicker_than_room_is_worth_leave_work_waiting_for_quiet_only() {
        let activity = answers_taking(NetworkActivity::ROOM_FROM / 2);
        let _waiting = activity.sent();
        // 2 ms of work from 9 ms in would meet the answer due at 10 ms, were
        // room waited for.
        std::thread::sleep(NetworkActivity::ROOM_FROM / 2 - Duration::from_millis(1));
        assert!(activity.wait_for_room(Duration::from_millis(2), Duration::ZERO, Duration::ZERO));
    }

    #[test]
    fn before_any_answer_nothing_is_expected() {
        let activity = NetworkActivity::default();
        let _waiting = activity.sent();
        assert!(activity.wait_for_room(LONG, Duration::ZERO, Duration::ZERO));
    }

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
                let reading = activity.sent().answered();
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
        let _reading = activity.sent().answered();
        let started = Instant::now();
        assert!(!activity.wait_quiet(GRACE, Duration::from_millis(30)));
        let waited = started.elapsed();
        assert!(waited >= Duration::from_millis(30), "{waited:?}");
        assert!(waited < LONG, "{waited:?}");
    }

    #[test]
    fn an_answer_read_long_ago_is_quiet() {
        let activity = NetworkActivity::default();
        drop(activity.sent().answered());
        // Not quiet within the grace; quiet, without waiting, after it.
        assert!(!activity.wait_quiet(LONG, Duration::ZERO));
        std::thread::sleep(GRACE);
        assert!(activity.wait_quiet(GRACE, Duration::ZERO));
    }
}
