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
//! readable here, unread if it was) and is unlinked from the server. That set is
//! not needed when the server's counts show it still holds every entry this
//! client has ([`all_held`]).
//!
//! The unread state may come as the unread ids, or as the read ids (every entry
//! the server holds is unread but those): the client reads the smaller set.

use std::collections::{HashMap, HashSet};

use super::miniflux::IdSet;
use crate::store::{StateChange, SyncedState};

/// What the server says about entries' state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerState {
    /// The whole truth: every unread and every starred entry id. An entry in
    /// neither set is read and not starred, if the server still has it.
    Sets {
        /// Which entries are unread.
        unread: Unread,
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

/// Which entries the server has unread: listed, or every entry it holds but the
/// read ones listed (when fewer are read than unread).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// These are unread; every other entry is read (or gone).
    Listed(HashSet<i64>),
    /// These are read; every other entry is unread (or gone).
    AllBut(HashSet<i64>),
}

impl Unread {
    /// Whether the entry is unread, if the server holds it.
    fn contains(&self, remote_id: i64) -> bool {
        match self {
            Unread::Listed(unread) => unread.contains(&remote_id),
            Unread::AllBut(read) => !read.contains(&remote_id),
        }
    }

    /// Whether the set read from the server names the entry (so it exists).
    fn names(&self, remote_id: i64) -> bool {
        match self {
            Unread::Listed(ids) | Unread::AllBut(ids) => ids.contains(&remote_id),
        }
    }
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
                let is_starred = starred.contains(&remote_id);
                let exists = unread.names(remote_id)
                    || is_starred
                    || existing.as_ref().is_none_or(|all| all.contains(&remote_id));
                if exists {
                    Verdict::State(!unread.contains(remote_id), is_starred)
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
/// read (or, with the read ids, an unread) one: some entry named by neither set
/// would change from what the server last reported. Only then is the set of
/// every id worth asking for.
pub fn needs_existing(states: &[SyncedState], unread: &Unread, starred: &HashSet<i64>) -> bool {
    states.iter().any(|state| {
        let id = state.remote_id;
        !unread.names(id)
            && !starred.contains(&id)
            && (unread.contains(id) == state.server_read || state.server_starred)
    })
}

/// Whether the server still holds every one of the `held` entries this client
/// has linked (ids up to `cursor`), told from counts alone: the entries the
/// server holds up to the cursor (its unread and read totals, less those above
/// the cursor) are as many as `held`. Every entry up to the cursor was pulled and
/// linked, and a gone one is unlinked, so the server holds no entry up to the
/// cursor that this client lacks; equal counts then mean the same entries. `None`
/// when the ids read do not tell how many are above the cursor.
pub fn all_held(held: usize, cursor: i64, unread: &IdSet, read: &IdSet) -> Option<bool> {
    let on_server = unread.count_at_or_below(cursor)? + read.count_at_or_below(cursor)?;
    Some(on_server == held)
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
            unread: Unread::Listed(unread.iter().copied().collect()),
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
        let unread = Unread::Listed(HashSet::new());
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
        let unread = Unread::Listed([1].into_iter().collect());
        let starred: HashSet<i64> = [3].into_iter().collect();
        assert!(!needs_existing(&states, &unread, &starred));
        assert!(needs_existing(
            &states,
            &Unread::Listed(HashSet::new()),
            &starred
        ));
        assert!(needs_existing(&states, &unread, &HashSet::new()));
        // The same truth told by the read ids: 2 and 3 read.
        let read = Unread::AllBut([2, 3].into_iter().collect());
        assert!(!needs_existing(&states, &read, &starred));
        let all_but_2 = Unread::AllBut([2].into_iter().collect());
        assert!(
            !needs_existing(&states, &all_but_2, &starred),
            "3 is starred, so the server has it: it turned unread"
        );
        assert!(
            needs_existing(&states, &all_but_2, &HashSet::new()),
            "3 named by neither set would turn unread: unread, or gone?"
        );
    }

    #[test]
    fn the_read_ids_tell_the_same_as_the_unread_ids() {
        let states = [
            state(1, true, false),
            state(2, false, false),
            state(3, true, false),
        ];
        let by_unread = sets(&[1, 3], &[]);
        let by_read = ServerState::Sets {
            unread: Unread::AllBut([2].into_iter().collect()),
            starred: HashSet::new(),
            existing: None,
        };
        let (left, counts) = run(&states, &by_unread);
        let (right, _) = run(&states, &by_read);
        assert_eq!(left, right);
        assert_eq!((counts.unread, counts.read), (2, 1));
        // With the set of every id, an entry named by neither set is gone.
        let gone = ServerState::Sets {
            unread: Unread::AllBut([2].into_iter().collect()),
            starred: HashSet::new(),
            existing: Some([1, 2].into_iter().collect()),
        };
        let outcome = reconcile(&states, &gone);
        assert_eq!(outcome.gone, vec![3], "3 is not unread: it is gone");
    }

    #[test]
    fn counts_tell_whether_every_entry_is_still_held() {
        let set = |ids: &[i64], total: usize, complete: bool| IdSet {
            ids: ids.iter().copied().collect(),
            total,
            complete,
            first_page_low: ids.iter().copied().min(),
            date: None,
        };
        // Entries 1..=10 held here (cursor 10); 11 and 12 new on the server.
        let unread = set(&[12, 9, 4], 3, true);
        let read = set(&[11, 10, 8], 9, false);
        assert_eq!(all_held(10, 10, &unread, &read), Some(true));
        assert_eq!(all_held(11, 10, &unread, &read), Some(false), "one is gone");
        let far = set(&[14, 13, 12], 9, false);
        assert_eq!(all_held(10, 10, &unread, &far), None, "11 not seen yet");
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
