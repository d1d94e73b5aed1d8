//! The refresh task's checkpoint thread (see [`Checkpointer`]).

use std::path::Path;

use crate::store::Store;

/// A thread with its own connection that moves the WAL into the database while
/// the writers write (SQLite's passive checkpoints never block a writer): the
/// copying and the disk syncs leave the writer, the slowest stage of a refresh.
/// The writer's own automatic checkpoints then find the work done and only let
/// the WAL start over, so it stays small.
///
/// It runs through the whole refresh task (feeds, full text, cleanup), and its
/// connection is open throughout: the phases' own connections closing never
/// find themselves the last one, which would checkpoint and delete the WAL
/// between phases only for the next phase to make it again. Its own last
/// checkpoint, when the task is done, then has only the last moments' writes to
/// copy.
pub(crate) struct Checkpointer {
    stop: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

/// How often the checkpointer looks at the WAL. Short, because the refresh
/// waits for the last checkpoint at its end, which copies what was written since
/// the one before: at 200 ms, a refresh storing 200 full-text articles spent
/// 32–43 ms between its cleanup and its exit; at 50 ms, 21–25 ms (BENCHMARKS.md).
/// A look with nothing new to copy costs no disk sync.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(50);

impl Checkpointer {
    /// `None` when it cannot start: the writer then checkpoints itself as usual.
    pub(crate) fn start(db_path: &Path) -> Option<Checkpointer> {
        let store = match Store::open(db_path) {
            Ok(store) => store,
            Err(err) => {
                tracing::warn!("no checkpoint thread: {err}");
                return None;
            }
        };
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("khabar-checkpoint".into())
            .spawn(move || {
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(CHECKPOINT_EVERY)
                {
                    if let Err(err) = store.checkpoint_passive() {
                        tracing::debug!("checkpoint: {err}");
                    }
                }
                // The writer is done: the rest of the WAL too, so it is not left
                // to whichever connection writes next (the reader may stay open).
                if let Err(err) = store.checkpoint_passive() {
                    tracing::debug!("checkpoint: {err}");
                }
            })
            .ok()?;
        Some(Checkpointer { stop, thread })
    }

    /// Checkpoints what the writer left and stops.
    pub(crate) fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}
