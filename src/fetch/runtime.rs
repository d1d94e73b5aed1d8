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
