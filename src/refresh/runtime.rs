//! The one place a tokio runtime is built: the reader, `khabar refresh` and
//! `khabar add` all run their async work (the refresh task) on one of these.

use tokio::runtime::Runtime;

/// How many worker threads the runtime gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workers {
    /// One per CPU: a refresh that is the whole job (`khabar refresh`).
    PerCpu,
    /// A fixed number: the reader, which mostly waits on keys and keeps a
    /// refresh from taking every core while the user reads.
    Fixed(usize),
}

/// A multi-threaded runtime with IO and timers.
pub fn runtime(workers: Workers) -> std::io::Result<Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if let Workers::Fixed(threads) = workers {
        builder.worker_threads(threads.max(1));
    }
    builder.enable_all().build()
}
