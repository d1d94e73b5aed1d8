//! The count worker: the reader's counts that read many items (a search's
//! total, the views' unread/total) run on a second, read-only connection, so the
//! database worker goes on to the next page or the next query at once (issue 9:
//! at a million items such a count takes hundreds of milliseconds). A count that
//! a newer list or a newer views request supersedes is stopped (SQLite's
//! interrupt) and never answered; the screen shows its placeholder until the
//! newest count arrives.

use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::mpsc::UnboundedSender;

use crate::query::Query;
use crate::store::{SearchClock, Store, StoreError};

use super::msg::{DbRequest, Msg};

/// A count that reads many items.
#[derive(Debug, Clone)]
pub(super) enum CountJob {
    /// A search list's total (`DbRequest::CountSearch`).
    Search {
        generation: u64,
        query: Query,
        unread_only: bool,
    },
    /// Each view's (unread, total) (`DbRequest::CountViews`).
    Views(Vec<Query>),
}

/// Runs a count, here or on the database worker when there is no count worker.
pub(super) fn run_count(store: &mut Store, job: &CountJob) -> Result<Msg, StoreError> {
    let clock = SearchClock::local();
    Ok(match job {
        CountJob::Search {
            generation,
            query,
            unread_only,
        } => {
            let newest = store.newest_item_id()?;
            let (unread, total) = store.count_query(query, clock)?;
            Msg::Counted {
                generation: *generation,
                total: if *unread_only { unread } else { total },
                newest,
            }
        }
        CountJob::Views(queries) => {
            // Read first: every item up to it is in the counts below.
            let newest = store.newest_item_id()?;
            let counts = queries
                .iter()
                .map(|q| store.count_query(q, clock))
                .collect::<Result<Vec<_>, _>>()?;
            Msg::ViewsCounted { counts, newest }
        }
    })
}

/// What a count answers for: a list generation, or the n-th views request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ticket {
    List(u64),
    Views(u64),
}

/// The newest tickets asked for, and the one running.
#[derive(Debug, Default)]
struct Tickets {
    newest_list: u64,
    newest_views: u64,
    running: Option<Ticket>,
    closing: bool,
}

impl Tickets {
    fn is_stale(&self, ticket: Ticket) -> bool {
        self.closing
            || match ticket {
                Ticket::List(generation) => generation < self.newest_list,
                Ticket::Views(n) => n < self.newest_views,
            }
    }
}

/// The count worker's queue and controls (owned by the database worker).
pub struct Counter {
    tx: Option<mpsc::Sender<(Ticket, CountJob)>>,
    tickets: Arc<Mutex<Tickets>>,
    interrupt: rusqlite::InterruptHandle,
    worker: Option<std::thread::JoinHandle<()>>,
}

impl Counter {
    /// Starts the count worker on a second connection to `store`'s file; `None`
    /// when there is none (a database in memory): counts then run in order on
    /// the database worker, as before.
    pub fn spawn(store: &Store, out: UnboundedSender<Msg>) -> Option<Counter> {
        let reader = store.second_reader()?;
        let interrupt = reader.interrupt_handle();
        let tickets = Arc::new(Mutex::new(Tickets::default()));
        let (tx, rx) = mpsc::channel::<(Ticket, CountJob)>();
        let shared = tickets.clone();
        let worker = std::thread::spawn(move || count_loop(reader, &rx, &shared, &out));
        Some(Counter {
            tx: Some(tx),
            tickets,
            interrupt,
            worker: Some(worker),
        })
    }

    /// Notes that list generation `generation` was asked for: a running count of
    /// an older list is stopped.
    pub fn saw_generation(&self, generation: u64) {
        let mut tickets = self.lock();
        tickets.newest_list = tickets.newest_list.max(generation);
        self.stop_if_stale(&tickets);
    }

    /// Takes `command` when it is a count this worker runs; gives it back otherwise.
    pub fn take(&self, command: DbRequest) -> Option<DbRequest> {
        let (ticket, job) = match command {
            DbRequest::CountSearch {
                generation,
                query,
                unread_only,
            } => (
                Ticket::List(generation),
                CountJob::Search {
                    generation,
                    query,
                    unread_only,
                },
            ),
            DbRequest::CountViews(queries) => {
                let mut tickets = self.lock();
                tickets.newest_views += 1;
                let ticket = Ticket::Views(tickets.newest_views);
                self.stop_if_stale(&tickets);
                (ticket, CountJob::Views(queries))
            }
            other => return Some(other),
        };
        if let Some(tx) = &self.tx {
            // The worker only stops on closing; then there is nothing to answer.
            let _ = tx.send((ticket, job));
        }
        None
    }

    /// Stops the running count and waits for the worker to end.
    pub fn finish(mut self) {
        {
            let mut tickets = self.lock();
            tickets.closing = true;
            self.stop_if_stale(&tickets);
        }
        self.tx = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Tickets> {
        self.tickets.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn stop_if_stale(&self, tickets: &Tickets) {
        if tickets.running.is_some_and(|t| tickets.is_stale(t)) {
            // A statement that already ended is not affected; one that a race
            // stops wrongly is run again by the worker (see `count_loop`).
            self.interrupt.interrupt();
        }
    }
}

fn count_loop(
    mut store: Store,
    rx: &mpsc::Receiver<(Ticket, CountJob)>,
    tickets: &Mutex<Tickets>,
    out: &UnboundedSender<Msg>,
) {
    let lock = || tickets.lock().unwrap_or_else(PoisonError::into_inner);
    while let Ok((ticket, job)) = rx.recv() {
        loop {
            {
                let mut state = lock();
                if state.is_stale(ticket) {
                    break;
                }
                state.running = Some(ticket);
            }
            let answer = run_count(&mut store, &job);
            let mut state = lock();
            state.running = None;
            match answer {
                Err(err) if err.is_interrupted() => {
                    // Stopped for a newer count: dropped. Stopped by a race
                    // while still the newest: run again.
                    if state.is_stale(ticket) {
                        break;
                    }
                }
                Err(err) => {
                    tracing::warn!("reader count failed: {err}");
                    let _ = out.send(Msg::DbFailed(err.to_string()));
                    break;
                }
                Ok(msg) => {
                    if !state.is_stale(ticket) {
                        let _ = out.send(msg);
                    }
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_is_stale_once_a_newer_list_or_views_request_is_seen() {
        let mut tickets = Tickets {
            newest_list: 3,
            newest_views: 2,
            ..Tickets::default()
        };
        assert!(!tickets.is_stale(Ticket::List(3)));
        assert!(tickets.is_stale(Ticket::List(2)));
        assert!(!tickets.is_stale(Ticket::Views(2)));
        assert!(tickets.is_stale(Ticket::Views(1)));
        tickets.closing = true;
        assert!(tickets.is_stale(Ticket::List(3)));
    }

    /// The worker answers the newest count on its own connection, never one a
    /// newer list already replaced, and gives back what is not a count.
    #[test]
    fn counts_run_on_a_second_connection_and_stale_ones_are_not_answered() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("k.db")).unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let counter = Counter::spawn(&store, tx).expect("a file has a second reader");
        let search = |generation| DbRequest::CountSearch {
            generation,
            query: crate::query::parse("word").unwrap(),
            unread_only: false,
        };
        counter.saw_generation(5);
        assert!(counter.take(search(3)).is_none());
        assert!(counter.take(search(5)).is_none());
        assert!(counter.take(DbRequest::CountViews(Vec::new())).is_none());
        assert_eq!(
            counter.take(DbRequest::LoadFeeds),
            Some(DbRequest::LoadFeeds)
        );
        // Finishing stops a running count; these are queued before it and run
        // first (the worker takes them in order), so wait for both answers.
        let mut answers = Vec::new();
        while answers.len() < 2 {
            answers.push(rx.blocking_recv().unwrap());
        }
        counter.finish();
        while let Ok(msg) = rx.try_recv() {
            answers.push(msg);
        }
        assert_eq!(
            answers,
            vec![
                Msg::Counted {
                    newest: 0,
                    generation: 5,
                    total: 0
                },
                Msg::ViewsCounted {
                    counts: Vec::new(),
                    newest: 0
                },
            ]
        );
    }

    #[test]
    fn a_database_in_memory_has_no_count_worker() {
        let store = Store::open(std::path::Path::new(":memory:")).unwrap();
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        assert!(Counter::spawn(&store, tx).is_none());
    }
}
