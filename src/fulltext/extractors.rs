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
//! Why one core is kept free while pages download: a lowered priority makes
//! extraction wait for the fetcher, not cost the fetcher nothing. On the 2-core
//! machine of the benchmarks, every wake-up of a download (the connection
//! opened, the answer, each part of the body) seems to pay for a busy core:
//! curl alone took ~30 ms longer for the same 200 pages beside one busy loop
//! at nice 19, one core still free. With one extraction thread fewer than the
//! cores, a refresh of those pages ended 7 and 30 ms sooner on average (two sets
//! of 12 rounds) than with one per core (BENCHMARKS.md, issue 10). The thread
//! held back joins when the downloads are done (the last pages are then read on
//! every core) and while pages wait to be read faster than the others read them.
//!
//! Why each page waits for a quiet network first ([`NetworkActivity`]): answers
//! to requests sent together arrive together, and a lowered priority does not
//! stop a page already being read from delaying the fetcher by a fraction of
//! a millisecond per answer. A page taken while answers arrive waits until
//! they are read, and until no answer is expected before the page's foreseen
//! end (`pace.rs`, [`NetworkActivity::wait_for_room`]), at most
//! [`NetworkActivity::AT_MOST`] in all, so extraction runs between bursts.
//!
//! Why a nice value and not Linux's `SCHED_IDLE` (run only on an idle core):
//! on a machine kept busy by other work, idle-class threads get next to no CPU.
//! Measured with two CPU-bound processes on 2 cores, a refresh of 200 full-text
//! pages took 29 s under `SCHED_IDLE` against 4 s at nice +10, for a gain on a
//! quiet machine within the benchmark's spread (BENCHMARKS.md, issue 10).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::pace::Pace;
use crate::fetch::NetworkActivity;

/// How much lower than the thread that starts them extraction threads run
/// (`nice` +10: about a tenth of a normal thread's share of a busy core, and
/// a normal thread that wakes up runs first).
#[cfg(target_os = "linux")]
const EXTRACTION_NICE: libc::c_int = 10;

/// The lowest priority there is.
#[cfg(target_os = "linux")]
const MAX_NICE: libc::c_int = 19;

/// A job and the size of what it reads (a page's bytes), from which its time is
/// foreseen ([`Pace`]).
struct Job {
    bytes: usize,
    run: Box<dyn FnOnce() + Send>,
}

/// A pool of lowered-priority threads, some of them held back while
/// [`Extractors::use_held`] says so; they end when the pool is dropped and the jobs
/// already given are done.
pub(super) struct Extractors {
    jobs: Sender<Job>,
    held: Arc<Gate>,
    /// Every page is requested: no answer is waited for any more, so a job
    /// need not wait for a quiet network ([`Extractors::all_requested`]).
    all_requested: Arc<AtomicBool>,
}

/// Whether the held-back threads may take jobs: a level, set and cleared by
/// the pool's owner as the pages waiting to be read come and go.
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    fn set(&self, open: bool) {
        let mut state = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if *state != open {
            *state = open;
            self.opened.notify_all();
        }
    }

    fn is_open(&self) -> bool {
        *self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait_open(&self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        while !*open {
            open = self.opened.wait(open).unwrap_or_else(|e| e.into_inner());
        }
    }
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
    /// `threads` threads (at least one), of which `held` (fewer than
    /// `threads`) take no job while [`Extractors::use_held`] says not to (at first).
    /// Each job starts when `network` is quiet (or has waited [`NetworkActivity::AT_MOST`]).
    pub(super) fn start(threads: usize, held: usize, network: Arc<NetworkActivity>) -> Extractors {
        Extractors::start_waiting(threads, held, network, NetworkActivity::AT_MOST)
    }

    /// [`Extractors::start`] with jobs waiting at most `at_most` for quiet.
    fn start_waiting(
        threads: usize,
        held: usize,
        network: Arc<NetworkActivity>,
        at_most: Duration,
    ) -> Extractors {
        let threads = threads.max(1);
        let held = held.min(threads - 1);
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let gate = Arc::new(Gate::default());
        let all_requested = Arc::new(AtomicBool::new(false));
        let pace = Arc::new(Pace::new());
        for n in 0..threads {
            let queue = queue.clone();
            let gate = (n >= threads - held).then(|| gate.clone());
            let network = Network {
                activity: network.clone(),
                all_requested: all_requested.clone(),
                at_most,
                pace: pace.clone(),
            };
            let started = std::thread::Builder::new()
                .name("khabar-extract".into())
                .spawn(move || work(&queue, gate.as_deref(), &network));
            if let Err(err) = started {
                // Fewer threads, or none: `run` then says the pool stopped.
                tracing::warn!("cannot start an extraction thread: {err}");
            }
        }
        Extractors {
            jobs,
            held: gate,
            all_requested,
        }
    }

    /// Every page is requested: what the network still sends is the answers
    /// themselves, which nothing waits on, so jobs stop waiting for quiet.
    pub(super) fn all_requested(&self) {
        self.all_requested.store(true, Ordering::SeqCst);
    }

    /// Whether the held-back threads take jobs too (until told otherwise).
    pub(super) fn use_held(&self, all: bool) {
        self.held.set(all);
    }

    /// Runs `job` on one of the threads and returns what it returned.
    #[cfg(test)]
    pub(super) async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, JobError> {
        self.run_reading(0, job).await
    }

    /// Runs `job`, which reads `bytes` (a page), on one of the threads and
    /// returns what it returned. It starts when the network has room for a
    /// job of that size ([`Pace`]).
    pub(super) async fn run_reading<T: Send + 'static>(
        &self,
        bytes: usize,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, JobError> {
        let (reply, result) = tokio::sync::oneshot::channel();
        let run = Box::new(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))
                .map_err(|panic| JobError::Panicked(panic_message(panic.as_ref())));
            // The caller may have given up waiting (the refresh was cancelled).
            let _ = reply.send(outcome);
        });
        let job = Job { bytes, run };
        self.jobs.send(job).map_err(|_| JobError::Stopped)?;
        result.await.map_err(|_| JobError::Stopped)?
    }
}

impl Drop for Extractors {
    /// The held-back threads find the queue closed and end.
    fn drop(&mut self) {
        self.held.set(true);
    }
}

/// The network as the extraction threads see it.
struct Network {
    activity: Arc<NetworkActivity>,
    all_requested: Arc<AtomicBool>,
    /// The longest a job waits for quiet.
    at_most: Duration,
    /// How long jobs take.
    pace: Arc<Pace>,
}

/// One thread's life: lower its priority, then run jobs until the pool is gone;
/// a held-back thread takes each job only once `held` is open. Each job waits
/// for a quiet `network` first, until every page is requested.
fn work(queue: &Mutex<Receiver<Job>>, held: Option<&Gate>, network: &Network) {
    lower_priority();
    loop {
        if let Some(gate) = held {
            gate.wait_open();
        }
        // The lock is held only to take a job, never while running one.
        let next = {
            let queue = queue.lock().unwrap_or_else(|e| e.into_inner());
            // Held back again while this thread waited for the lock. (Once
            // waiting for a job it takes the next one: one job at most.)
            if held.is_some_and(|gate| !gate.is_open()) {
                continue;
            }
            queue.recv()
        };
        match next {
            Ok(job) => {
                if !network.all_requested.load(Ordering::SeqCst) {
                    network.activity.wait_for_room(
                        network.pace.foresee(job.bytes),
                        NetworkActivity::GRACE,
                        network.at_most,
                    );
                }
                let started = Instant::now();
                (job.run)();
                network.pace.learn(job.bytes, started.elapsed());
            }
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
#[path = "extractors_tests.rs"]
mod tests;
