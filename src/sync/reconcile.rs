//! Who wins, decided without IO: the server's read/starred state against the local
//! state and the marks still waiting in the outbox.
//!
//! Rule: an item with a pending local mark keeps its local state for that flag
//! until the mark is sent; otherwise the server wins. The server's state is
//! recorded either way, so the outbox can tell a mark that returns an item to the
//! server's state (nothing to send) from one that changes it.

use std::collections::{HashMap, HashSet};

use crate::store::{StateChange, SyncedState};

/// What the server says about entries' state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerState {
    /// The whole truth: every unread and every starred entry id. An entry in
    /// neither set is read and not starred.
    Sets {
        /// Unread entry ids.
        unread: HashSet<i64>,
        /// Starred entry ids.
        starred: HashSet<i64>,
    },
    /// The state of some entries (those changed since a time): the others are
    /// left as they are.
    Some(HashMap<i64, (bool, bool)>),
}

impl ServerState {
    /// (read, starred) on the server, when known.
    fn of(&self, remote_id: i64) -> Option<(bool, bool)> {
        match self {
            ServerState::Sets { unread, starred } => {
                Some((!unread.contains(&remote_id), starred.contains(&remote_id)))
            }
            ServerState::Some(known) => known.get(&remote_id).copied(),
        }
    }
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
}

/// The changes to apply: one per item whose local state or recorded server state
/// differs from what it should be.
pub fn reconcile(states: &[SyncedState], server: &ServerState) -> (Vec<StateChange>, Counts) {
    let mut counts = Counts::default();
    let mut changes = Vec::new();
    for state in states {
        let Some((server_read, server_starred)) = server.of(state.remote_id) else {
            continue;
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
    (changes, counts)
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
        }
    }

    #[test]
    fn the_server_wins_without_pending_marks() {
        let states = [
            state(1, false, false),
            state(2, true, false),
            state(3, false, true),
        ];
        let (changes, counts) = reconcile(&states, &sets(&[2], &[1]));
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
        let (changes, counts) = reconcile(&[local], &sets(&[1], &[]));
        assert_eq!(counts.kept_local, 1);
        assert_eq!(counts.read + counts.unread, 0);
        assert!(changes.is_empty(), "{changes:?}");
    }

    #[test]
    fn only_known_entries_change_with_a_partial_answer() {
        let states = [state(1, false, false), state(2, false, false)];
        let known = ServerState::Some([(2, (true, false))].into_iter().collect());
        let (changes, counts) = reconcile(&states, &known);
        assert_eq!(counts.read, 1);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].remote_id, 2);
    }

    #[test]
    fn agreement_changes_nothing() {
        let states = [state(1, false, true), state(2, true, false)];
        let (changes, _) = reconcile(&states, &sets(&[1], &[1]));
        assert!(changes.is_empty());
    }
}
