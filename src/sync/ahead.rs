//! Reconciling ahead of the server's answer. After a mass change elsewhere (a
//! "mark all read" on the phone), the set the newest entries moved to is asked
//! for alone (`sets::Lean`), and the starred ids come back long before it: the
//! server walks 100,000 freshly changed rows for the other. Meanwhile the
//! local states are already read, so the changes that set would bring (every
//! entry held here in it, none gone) are decided and written then, in a
//! transaction left open; the set's answer either confirms them (committed
//! with the state values) or not (rolled back, and reconciled from the answer
//! as always). The local write, 0.15–0.37 s for 100,000 flips (most of a
//! table: the unread indexes are built anew, `store::set_aside`), then
//! overlaps the server's work instead of following it (BENCHMARKS.md).

use std::collections::HashSet;

use super::SyncError;
use super::reconcile::{self, Counts, ServerState, Unread};
use super::sets::Held;
use crate::store::{Ahead, Store, SyncedState};

/// What the sets tell before they answer: the set the newest entries lean to
/// (`unread`) and the starred ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Early {
    /// The unread set (`true`) or the read set.
    pub unread: bool,
    /// The starred ids, as the server answered them.
    pub starred: HashSet<i64>,
}

impl Early {
    /// The unread state if every entry held here is in the set leaned to.
    fn unread(&self) -> Unread {
        if self.unread {
            Unread::AllBut(HashSet::new())
        } else {
            Unread::Listed(HashSet::new())
        }
    }
}

/// Changes written ahead of the answer, and what the answer must be to keep them.
pub(super) struct Reconciled<'a> {
    ahead: Ahead<'a>,
    early: Early,
    counts: Counts,
}

/// Decides and writes, without committing, the changes that `early`'s set
/// would bring if it holds every entry held here up to `cursor`. `states` are
/// the synced items as read alongside the sets (ordered by server id).
pub(super) fn start<'a>(
    store: &'a mut Store,
    states: &[SyncedState],
    cursor: i64,
    early: Early,
) -> Result<Reconciled<'a>, SyncError> {
    let held = &states[..states.partition_point(|state| state.remote_id <= cursor)];
    let server = ServerState::Sets {
        unread: early.unread(),
        starred: early.starred.clone(),
        existing: None,
    };
    let outcome = reconcile::reconcile(held, &server);
    let now = chrono::Utc::now().timestamp();
    let ahead = store.sync_apply_ahead(&outcome.changes, now)?;
    tracing::debug!(
        changes = outcome.changes.len(),
        unread = early.unread,
        "reconciled ahead of the sets"
    );
    Ok(Reconciled {
        ahead,
        early,
        counts: outcome.counts,
    })
}

impl Reconciled<'_> {
    /// Whether the sets as answered are the ones the changes were decided from.
    pub fn confirmed_by(&self, unread: &Unread, starred: &HashSet<i64>, held: &Held) -> bool {
        matches!(held, Held::All)
            && *unread == self.early.unread()
            && *starred == self.early.starred
    }

    /// Commits the changes with the state values; their counts for the summary.
    pub fn commit(self, state_values: &[(&str, String)]) -> Result<Counts, SyncError> {
        self.ahead.commit(state_values)?;
        Ok(self.counts)
    }
}
