//! Who wins, decided without IO: the server's read/starred state against the local
//! state and the marks still waiting in the outbox.
//!
//! Rule: an item with a pending local mark keeps its local state for that flag
//! until the mark is sent; otherwise the server wins. The server's state is
//! recorded either way, so the outbox can tell a mark that returns an item to the
//! server's state (nothing to send) from one that changes it.
//!
//! An entry the server no longer has (its cleanup deletes old entries: 2.3 and
//! Google Reader servers drop them, 2.2 marks them `removed`) is absent from the
//! unread set exactly like a read one. It is told apart by the set of every entry
//! id the server holds: such an entry is "gone", keeps its local state (it stays
//! readable here, unread if it was) and is unlinked from the server.

use std::collections::{HashMap, HashSet};

use crate::store::{StateChange, SyncedState};

/// What the server says about entries' state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerState {
    /// The whole truth: every unread and every starred entry id. An entry in
    /// neither set is read and not starred, if the server still has it.
    Sets {
        /// Unread entry ids.
        unread: HashSet<i64>,
        /// Starred entry ids.
        starred: HashSet<i64>,
        /// Every entry id the server holds, when asked for (see
        /// [`needs_existing`]); `None`: every entry is taken to exist.
        existing: Option<HashSet<i64>>,
    },
    /// The state of some entries (those changed since a time): the others are
    /// left as they are.
    Some {
        /// (read, starred) of the entries reported.
        known: HashMap<i64, (bool, bool)>,
        /// Entries reported as removed by the server's cleanup.
        gone: HashSet<i64>,
    },
}

/// What the server says about one entry.
enum Verdict {
    /// Nothing known: left as it is.
    Unknown,
    /// The server no longer has it.
    Gone,
    /// (read, starred) on the server.
    State(bool, bool),
}

impl ServerState {
    fn of(&self, remote_id: i64) -> Verdict {
        match self {
            ServerState::Sets {
                unread,
                starred,
                existing,
            } => {
                let is_unread = unread.contains(&remote_id);
                let is_starred = starred.contains(&remote_id);
                let exists = is_unread
                    || is_starred
                    || existing.as_ref().is_none_or(|all| all.contains(&remote_id));
                if exists {
                    Verdict::State(!is_unread, is_starred)
                } else {
                    Verdict::Gone
                }
            }
            ServerState::Some { known, gone } => match known.get(&remote_id) {
                Some((read, starred)) => Verdict::State(*read, *starred),
                None if gone.contains(&remote_id) => Verdict::Gone,
                None => Verdict::Unknown,
            },
        }
    }
}

/// Whether the id sets alone could take an entry that the server deleted for a
/// read one: some entry the server last reported unread (or starred) is in
/// neither set. Only then is the set of every id worth asking for.
pub fn needs_existing(
    states: &[SyncedState],
    unread: &HashSet<i64>,
    starred: &HashSet<i64>,
) -> bool {
    states.iter().any(|state| {
        !unread.contains(&state.remote_id)
            && !starred.contains(&state.remote_id)
            && (!state.server_read || state.server_starred)
    })
}

/// What reconciliation changed locally, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Items the server made read.
    pub read: u64,
    /// Items the server made unread.
    pub unread: u64,
    /// Items the server starred.
    pub starred: u64,
    /// Items the server unstarred.
    pub unstarred: u64,
    /// Items whose local mark was kept because it is not sent yet.
    pub kept_local: u64,
    /// Entries the server no longer has: kept locally as they are.
    pub gone: u64,
}

/// What reconciliation decided.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// Local changes and the server state to record.
    pub changes: Vec<StateChange>,
    /// Server ids of entries the server no longer has: unlinked, kept locally.
    pub gone: Vec<i64>,
    /// Counts for the summary line.
    pub counts: Counts,
}

/// The changes to apply: one per item whose local state or recorded server state
/// differs from what it should be.
pub fn reconcile(states: &[SyncedState], server: &ServerState) -> Outcome {
    let mut counts = Counts::default();
    let mut changes = Vec::new();
    let mut gone = Vec::new();
    for state in states {
        let (server_read, server_starred) = match server.of(state.remote_id) {
            Verdict::State(read, starred) => (read, starred),
            Verdict::Unknown => continue,
            Verdict::Gone => {
                counts.gone += 1;
                gone.push(state.remote_id);
                continue;
            }
        };
        let read = match state.pending_read {
            Some(_) => {
                if server_read != state.read {
                    counts.kept_local += 1;
                }
                None
            }
            None => (server_read != state.read).then_some(server_read),
        };
        let starred = match state.pending_starred {
            Some(_) => {
                if server_starred != state.starred {
                    counts.kept_local += 1;
                }
                None
            }
            None => (server_starred != state.starred).then_some(server_starred),
        };
        match read {
            Some(true) => counts.read += 1,
            Some(false) => counts.unread += 1,
            None => {}
        }
        match starred {
            Some(true) => counts.starred += 1,
            Some(false) => counts.unstarred += 1,
            None => {}
        }
        let recorded_differs =
            server_read != state.server_read || server_starred != state.server_starred;
        if read.is_some() || starred.is_some() || recorded_differs {
            changes.push(StateChange {
                remote_id: state.remote_id,
                item_id: state.item_id,
                read,
                starred,
                server_read,
                server_starred,
            });
        }
    }
    Outcome {
        changes,
        gone,
        counts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(remote_id: i64, read: bool, starred: bool) -> SyncedState {
        SyncedState {
            remote_id,
            item_id: remote_id + 1000,
            read,
            starred,
            server_read: read,
            server_starred: starred,
            pending_read: None,
            pending_starred: None,
        }
    }

    fn sets(unread: &[i64], starred: &[i64]) -> ServerState {
        ServerState::Sets {
            unread: unread.iter().copied().collect(),
            starred: starred.iter().copied().collect(),
            existing: None,
        }
    }

    fn run(states: &[SyncedState], server: &ServerState) -> (Vec<StateChange>, Counts) {
        let outcome = reconcile(states, server);
        (outcome.changes, outcome.counts)
    }

    #[test]
    fn the_server_wins_without_pending_marks() {
        let states = [
            state(1, false, false),
            state(2, true, false),
            state(3, false, true),
        ];
        let (changes, counts) = run(&states, &sets(&[2], &[1]));
        assert_eq!(counts.read, 2, "1 and 3 read on the server");
        assert_eq!(counts.unread, 1);
        assert_eq!(counts.starred, 1);
        assert_eq!(counts.unstarred, 1);
        assert_eq!(changes.len(), 3);
        let one = changes.iter().find(|c| c.remote_id == 1).unwrap();
        assert_eq!((one.read, one.starred), (Some(true), Some(true)));
        assert_eq!(one.item_id, 1001);
    }

    #[test]
    fn a_pending_local_mark_keeps_the_local_state() {
        let mut local = state(1, true, false);
        local.server_read = false;
        local.pending_read = Some(true);
        let (changes, counts) = run(&[local], &sets(&[1], &[]));
        assert_eq!(counts.kept_local, 1);
        assert_eq!(counts.read + counts.unread, 0);
        assert!(changes.is_empty(), "{changes:?}");
    }

    #[test]
    fn only_known_entries_change_with_a_partial_answer() {
        let states = [state(1, false, false), state(2, false, false)];
        let known = ServerState::Some {
            known: [(2, (true, false))].into_iter().collect(),
            gone: HashSet::new(),
        };
        let (changes, counts) = run(&states, &known);
        assert_eq!(counts.read, 1);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].remote_id, 2);
    }

    #[test]
    fn agreement_changes_nothing() {
        let states = [state(1, false, true), state(2, true, false)];
        let (changes, _) = run(&states, &sets(&[1], &[1]));
        assert!(changes.is_empty());
    }

    #[test]
    fn an_entry_deleted_on_the_server_is_gone_not_read() {
        let mut starred_one = state(3, false, true);
        starred_one.server_starred = true;
        let states = [state(1, false, false), state(2, false, false), starred_one];
        let unread: HashSet<i64> = HashSet::new();
        let starred: HashSet<i64> = HashSet::new();
        assert!(needs_existing(&states, &unread, &starred));
        let server = ServerState::Sets {
            unread,
            starred,
            existing: Some([2].into_iter().collect()),
        };
        let outcome = reconcile(&states, &server);
        assert_eq!(
            outcome.gone,
            vec![1, 3],
            "1 and 3 are no longer on the server"
        );
        assert_eq!(outcome.counts.gone, 2);
        assert_eq!(outcome.counts.read, 1, "2 was read on the server");
        assert_eq!(outcome.changes.len(), 1);
        assert_eq!(outcome.changes[0].remote_id, 2);
    }

    #[test]
    fn the_set_of_every_id_is_asked_for_only_when_it_can_matter() {
        let states = [
            state(1, false, false),
            state(2, true, false),
            state(3, true, true),
        ];
        let unread: HashSet<i64> = [1].into_iter().collect();
        let starred: HashSet<i64> = [3].into_iter().collect();
        assert!(!needs_existing(&states, &unread, &starred));
        assert!(needs_existing(&states, &HashSet::new(), &starred));
        assert!(needs_existing(&states, &unread, &HashSet::new()));
    }

    #[test]
    fn a_removed_entry_of_a_partial_answer_is_gone() {
        let states = [state(1, false, false)];
        let server = ServerState::Some {
            known: HashMap::new(),
            gone: [1].into_iter().collect(),
        };
        let outcome = reconcile(&states, &server);
        assert_eq!(outcome.gone, vec![1]);
        assert!(outcome.changes.is_empty());
    }
}
