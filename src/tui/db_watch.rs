//! Noticing, on the database worker, that another process changed the database
//! under the reader: a cron `khabar refresh`, a sync, `khabar mark-read` from a
//! script. SQLite's `PRAGMA data_version` changes when another connection
//! commits and never for the worker's own writes, so the user's marks are not
//! noticed; the reader's own refresh and sync are, and the reload after them
//! (`DbRequest::CatchUp`) takes what they wrote as seen so it is not read twice.

use std::time::{Duration, Instant};

use crate::store::Store;

/// How often the worker looks, when it has nothing else to do.
pub const POLL: Duration = Duration::from_secs(1);

/// The data version the reader last showed, and when the worker last looked.
pub struct Watch {
    seen: Option<i64>,
    looked: Instant,
}

impl Watch {
    /// Starts from the database as the reader first reads it.
    pub fn new(store: &Store) -> Watch {
        Watch {
            seen: version(store),
            looked: Instant::now(),
        }
    }

    /// How long the worker may wait for a request before it looks again.
    pub fn wait(&self) -> Duration {
        POLL.saturating_sub(self.looked.elapsed())
    }

    /// Looks: whether another connection committed since the last look or
    /// catch-up. Each change is reported once.
    pub fn changed(&mut self, store: &Store) -> bool {
        self.looked = Instant::now();
        let Some(now) = version(store) else {
            return false;
        };
        let changed = self.seen.is_some_and(|seen| seen != now);
        self.seen = Some(now);
        changed
    }

    /// Everything committed so far is about to be read again: seen.
    pub fn catch_up(&mut self, store: &Store) {
        self.seen = version(store).or(self.seen);
        self.looked = Instant::now();
    }
}

fn version(store: &Store) -> Option<i64> {
    store
        .data_version()
        .inspect_err(|err| tracing::debug!("cannot read the data version: {err}"))
        .ok()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

    use super::Watch;
    use crate::store::Store;
    use crate::tui::db::spawn;
    use crate::tui::db_test_store::store_with_unread_items;
    use crate::tui::msg::{DbRequest, Msg};

    /// How many `DatabaseChanged` arrived in `wait`.
    fn changes(rx: &mut UnboundedReceiver<Msg>, wait: Duration) -> usize {
        std::thread::sleep(wait);
        let mut n = 0;
        while let Ok(msg) = rx.try_recv() {
            n += usize::from(msg == Msg::DatabaseChanged);
        }
        n
    }

    /// The reader's own marks (on the worker's connection) are never reported,
    /// so they never make it read its lists again; another connection's commit
    /// is reported once, not at every look.
    #[test]
    fn only_another_connections_commit_is_reported_and_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let (store, ids) = store_with_unread_items(&path, 3);
        let (tx, mut rx) = unbounded_channel();
        let handle = spawn(store, tx);
        handle.send(DbRequest::SetRead {
            ids: vec![ids[0]],
            read: true,
        });
        assert_eq!(changes(&mut rx, Duration::from_millis(2_500)), 0);
        Store::open(&path)
            .unwrap()
            .set_read(&ids[1..2], true, 1_700_000_100)
            .unwrap();
        assert_eq!(changes(&mut rx, Duration::from_millis(3_500)), 1);
        handle.finish();
    }

    /// A catch-up (the reader about to read everything again) takes what was
    /// committed elsewhere so far as seen; a later commit is news again.
    #[test]
    fn a_catch_up_takes_earlier_commits_as_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let (store, ids) = store_with_unread_items(&path, 2);
        let mut watch = Watch::new(&store);
        let mut other = Store::open(&path).unwrap();
        other.set_read(&ids[..1], true, 1_700_000_100).unwrap();
        watch.catch_up(&store);
        assert!(!watch.changed(&store));
        other.set_read(&ids[1..], true, 1_700_000_100).unwrap();
        assert!(watch.changed(&store));
        assert!(!watch.changed(&store));
    }
}
