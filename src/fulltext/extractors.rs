//! The threads that read downloaded pages during a refresh: CPU work (decoding,
//! parsing, extraction) on a few threads of their own whose scheduling priority
//! is lowered, so that it never delays the work that waits on the network.
//!
//! Why their own threads: a page's download is a few milliseconds of the fetcher
//! reacting (reading the body, opening the next connection, sending the next
//! request) between long waits, and on a machine with few cores a page being
//! extracted at the same priority can hold the core those milliseconds need —
//! and the one a local feed server needs to answer. Measured on 2 cores, pages
//! then arrive a few percent slower than the same pages fetched alone
//! (BENCHMARKS.md, issue 10). With extraction at a lower priority the scheduler
//! runs the fetcher and the server first and extraction in the time left over,
//! which on such a refresh is most of it. The lowered priority cannot be given
//! back (an unprivileged thread may lower its priority, never raise it), so it
//! is never set on tokio's shared blocking threads, only on these, which end
//! with the phase. A page the reader asks for (`F`, `on-open`) is not read here:
//! someone is waiting for it.
//!
//! Why a nice value and not Linux's `SCHED_IDLE` (run only on an idle core):
//! on a machine kept busy by other work, idle-class threads get next to no CPU.
//! Measured with two CPU-bound processes on 2 cores, a refresh of 200 full-text
//! pages took 29 s under `SCHED_IDLE` against 4 s at nice +10, for a gain on a
//! quiet machine within the benchmark's spread (BENCHMARKS.md, issue 10).

use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};

/// How much lower than the thread that starts them extraction threads run
/// (`nice` +10: about a tenth of a normal thread's share of a busy core, and
/// a normal thread that wakes up runs first).
#[cfg(target_os = "linux")]
const EXTRACTION_NICE: libc::c_int = 10;

/// The lowest priority there is.
#[cfg(target_os = "linux")]
const MAX_NICE: libc::c_int = 19;

type Job = Box<dyn FnOnce() + Send>;

/// A pool of lowered-priority threads; they end when the pool is dropped and
/// the jobs already given are done.
pub(super) struct Extractors {
    jobs: Sender<Job>,
}

/// Why a job gave no result.
#[derive(Debug, thiserror::Error)]
pub(super) enum JobError {
    /// No thread could be started or every one has stopped.
    #[error("no extraction thread is running")]
    Stopped,
    /// The job panicked; the message.
    #[error("extraction panicked: {0}")]
    Panicked(String),
}

impl Extractors {
    /// `threads` threads (at least one).
    pub(super) fn start(threads: usize) -> Extractors {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..threads.max(1) {
            let queue = queue.clone();
            let started = std::thread::Builder::new()
                .name("khabar-extract".into())
                .spawn(move || work(&queue));
            if let Err(err) = started {
                // Fewer threads, or none: `run` then says the pool stopped.
                tracing::warn!("cannot start an extraction thread: {err}");
            }
        }
        Extractors { jobs }
    }

    /// Runs `job` on one of the threads and returns what it returned.
    pub(super) async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, JobError> {
        let (reply, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))
                .map_err(|panic| JobError::Panicked(panic_message(panic.as_ref())));
            // The caller may have given up waiting (the refresh was cancelled).
            let _ = reply.send(outcome);
        });
        self.jobs.send(job).map_err(|_| JobError::Stopped)?;
        result.await.map_err(|_| JobError::Stopped)?
    }
}

/// One thread's life: lower its priority, then run jobs until the pool is gone.
fn work(queue: &Mutex<Receiver<Job>>) {
    lower_priority();
    loop {
        // The lock is held only to take a job, never while running one.
        let next = {
            let queue = queue.lock().unwrap_or_else(|e| e.into_inner());
            queue.recv()
        };
        match next {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: these calls take and return plain integers (errno is this
    // thread's own). On Linux a thread's id as `PRIO_PROCESS`'s `who` names that
    // one thread (setpriority(2), NOTES), so only this thread's priority changes.
    // errno is cleared first because -1 is also a valid priority.
    let rc = unsafe {
        let tid = libc::gettid() as libc::id_t;
        *libc::__errno_location() = 0;
        let current = libc::getpriority(libc::PRIO_PROCESS, tid);
        if current == -1 && *libc::__errno_location() != 0 {
            -1
        } else {
            libc::setpriority(
                libc::PRIO_PROCESS,
                tid,
                (current + EXTRACTION_NICE).min(MAX_NICE),
            )
        }
    };
    if rc != 0 {
        tracing::debug!(
            "extraction thread keeps its priority: {}",
            std::io::Error::last_os_error()
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[cfg(target_os = "linux")]
    fn nice_of_this_thread() -> i32 {
        // SAFETY: as in `lower_priority`; errno is cleared first because -1 is
        // also a valid priority.
        unsafe {
            *libc::__errno_location() = 0;
            libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t)
        }
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn jobs_run_on_the_pool_at_a_lower_priority_and_return_their_result() {
        let pool = Extractors::start(2);
        let caller = nice_of_this_thread();
        let (name, nice) = pool
            .run(|| {
                let name = std::thread::current().name().map(str::to_string);
                (name, nice_of_this_thread())
            })
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some("khabar-extract"));
        assert_eq!(nice, (caller + EXTRACTION_NICE).min(MAX_NICE));
        // The caller's own thread is untouched.
        assert_eq!(nice_of_this_thread(), caller);
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_pool_goes_on() {
        let pool = Extractors::start(1);
        let failed = pool.run(|| -> u32 { panic!("bad page") }).await;
        assert!(matches!(failed, Err(JobError::Panicked(ref m)) if m == "bad page"));
        assert_eq!(pool.run(|| 7).await.unwrap(), 7);
    }

    #[tokio::test]
    async fn many_jobs_at_once_all_come_back() {
        let pool = Extractors::start(2);
        let results =
            futures_util::future::join_all((0..50u64).map(|i| pool.run(move || i * i))).await;
        let sum: u64 = results.into_iter().map(|r| r.unwrap()).sum();
        assert_eq!(sum, (0..50u64).map(|i| i * i).sum::<u64>());
    }
}
