//! The one place a tokio runtime is built: the refresh task (the reader,
//! `khabar refresh`, `khabar add`), `khabar fulltext`, and the single requests
//! (a sync, one page, `khabar extract`) all run on one of these. It lives with
//! the fetcher, the lowest layer that does async IO, so that `sync` and
//! `fulltext` can use it too.

use tokio::runtime::Runtime;

/// How many worker threads the runtime gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workers {
    /// One per CPU: a refresh that is the whole job (`khabar refresh`).
    PerCpu,
    /// A fixed number: the reader, which mostly waits on keys and keeps a
    /// refresh from taking every core while the user reads.
    Fixed(usize),
    /// None: the calling thread runs it (a sync, one page, one extraction,
    /// where a thread of its own already waits on the answer).
    CallerOnly,
}

/// A runtime with IO and timers.
pub fn runtime(workers: Workers) -> std::io::Result<Runtime> {
    let mut builder = match workers {
        Workers::CallerOnly => tokio::runtime::Builder::new_current_thread(),
        Workers::PerCpu => tokio::runtime::Builder::new_multi_thread(),
        Workers::Fixed(threads) => {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            builder.worker_threads(threads.max(1));
            builder
        }
    };
    builder.enable_all().build()
}

/// Runs `future` as a task on `runtime`'s workers and waits for it on the
/// calling thread.
///
/// Why not `block_on(future)`: that polls the future on the calling thread,
/// while the tasks it starts (each connection's, each page's) run on the
/// workers, so every wake-up between them crosses threads. As a task it runs
/// beside them, as the reader's refresh does. Measured on 2 cores: 200 pages
/// at 8 at once came back about 5 ms sooner (BENCHMARKS.md, issue 10).
pub fn run_on_workers<F>(runtime: &Runtime, future: F) -> Result<F::Output, tokio::task::JoinError>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    runtime.block_on(runtime.spawn(future))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn run_on_workers_runs_the_future_on_a_worker_not_the_caller() {
        let runtime = runtime(Workers::Fixed(1)).unwrap();
        let caller = std::thread::current().id();
        let (ran_on, answer) = run_on_workers(&runtime, async {
            // A task it starts finishes too.
            let inner = tokio::spawn(async { 41 }).await.unwrap();
            (std::thread::current().id(), inner + 1)
        })
        .unwrap();
        assert_ne!(ran_on, caller, "the future ran on the calling thread");
        assert_eq!(answer, 42);
    }
}
