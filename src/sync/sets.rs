//! The id-set side of a Miniflux sync: whether the server's read and starred
//! state changed since the sets were last read (the changed-since check, first
//! over the newest entries, then over every entry), and if so the sets
//! themselves, read so that the server does as little as it can
//! (`miniflux::ids`).

use std::collections::HashSet;

use super::SyncError;
use super::miniflux::{Capabilities, Client, IdSet};
use super::reconcile::Unread;

/// How long the "changed since" check runs alone before the id sets are asked
/// for alongside it.
const CHECK_GRACE: std::time::Duration = std::time::Duration::from_millis(250);

/// [`CHECK_GRACE`], or `KHABAR_SYNC_CHECK_GRACE_MS`: the tests that count a
/// sync's requests set it long, so that a check slowed by a busy machine cannot
/// add the id-set requests to the count.
fn check_grace() -> std::time::Duration {
    std::env::var("KHABAR_SYNC_CHECK_GRACE_MS")
        .ok()
        .and_then(|ms| ms.trim().parse().ok())
        .map_or(CHECK_GRACE, std::time::Duration::from_millis)
}

/// What the id-set side of a Miniflux sync found.
pub(super) enum Sets {
    /// The server has no id sets (before 2.3.2).
    NotSupported,
    /// No entry changed since the sets were last read.
    Unchanged,
    /// The sets, the server's time when they were read, and the unread and
    /// read sets as read (whole or first page) with their totals.
    Read {
        unread: Unread,
        starred: HashSet<i64>,
        asof: Option<i64>,
        counts: Box<(IdSet, IdSet)>,
    },
}

/// Where the changed-since check looks first: the entries above `newest`
/// (the newest [`PROBE_ENTRIES`] held here, and any new ones), then, if none of
/// those changed, every entry.
#[derive(Debug, Clone, Copy)]
pub(super) struct Check {
    /// The server's time when the sets were last read (`None`: read them now).
    pub asof: Option<i64>,
    /// The id above which the newest entries held here are (`None`: fewer than
    /// [`PROBE_ENTRIES`] are held, so the first look would be the whole check).
    pub newest: Option<i64>,
}

/// How many of the newest entries held here the first, cheap look covers. A
/// change made elsewhere almost always touches them (a "mark all read" takes
/// the newest entries with the rest), and the server's cost of the look is
/// bounded by their number however many entries changed: 10–14 ms right after
/// 100,000 entries flipped, where the check over every entry took 2.2–3.0 s
/// (Miniflux 2.3.4, `BENCHMARKS.md`).
pub const PROBE_ENTRIES: usize = 100;

/// [`PROBE_ENTRIES`], or `KHABAR_SYNC_PROBE_ENTRIES` (tests, to put a change
/// outside the look with a few entries).
pub fn probe_entries() -> usize {
    std::env::var("KHABAR_SYNC_PROBE_ENTRIES")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(PROBE_ENTRIES)
}

/// Reads the id sets, or tells that they need no reading (see [`Check`]).
/// `reading` hears when the sets start to be read: the caller then reads the
/// local states alongside.
pub(super) async fn read(
    client: &Client,
    caps: Capabilities,
    check: Check,
    reading: tokio::sync::oneshot::Sender<()>,
) -> Result<Sets, SyncError> {
    if !caps.id_sets {
        return Ok(Sets::NotSupported);
    }
    let read_sets = async move {
        // The receiver may be gone: there is no one else to tell then.
        let _ = reading.send(());
        // The first pages of the unread and the read ids at once: their totals
        // tell which set is smaller, and only that one is read to the end (with
        // every entry flipped one way, the other is empty). Both totals also tell
        // whether the server still holds every entry held here.
        let (unread, read, (starred, date)) = tokio::try_join!(
            client.id_set_head("status=unread&"),
            client.id_set_head("status=read&"),
            client.entry_ids_dated("starred=true&")
        )?;
        let (unread, read, listed) = if unread.total <= read.total {
            let unread = client.id_set_rest("status=unread&", unread).await?;
            let listed = Unread::Listed(unread.ids.clone());
            (unread, read, listed)
        } else {
            let read = client.id_set_rest("status=read&", read).await?;
            let listed = Unread::AllBut(read.ids.clone());
            (unread, read, listed)
        };
        // A second early: `changed_after` compares whole seconds.
        let asof = [unread.date, read.date, date]
            .into_iter()
            .flatten()
            .min()
            .map(|at| at - 1);
        tracing::debug!("read the id sets");
        Ok(Sets::Read {
            unread: listed,
            starred,
            asof,
            counts: Box::new((unread, read)),
        })
    };
    let Some(asof) = check.asof else {
        tracing::debug!("reading the id sets (no recent reconciliation)");
        return read_sets.await;
    };
    // "Did any entry change since?" costs the server in proportion to the
    // entries that did (it counts them with their contents): milliseconds
    // when none did, seconds when 100,000 flipped, and it cannot be called
    // off once asked. So the newest entries are looked at first, a bounded
    // cost: a change there is enough to read the sets at once, and the check
    // over every entry is never asked.
    if let Some(newest) = check.newest {
        if client.changed_since(asof, Some(newest)).await? {
            tracing::debug!("the newest entries changed: reading the id sets");
            return read_sets.await;
        }
        tracing::debug!("the newest entries did not change: checking every entry");
    }
    // Every entry: the sets are asked for too once the check is slower than
    // `CHECK_GRACE`, and whichever tells first wins: an unchanged answer
    // drops the sets.
    let check = client.changed_since(asof, None);
    tokio::pin!(check);
    tokio::select! {
        changed = &mut check => {
            tracing::debug!("the changed-since check answered within its grace");
            return if changed? { read_sets.await } else { Ok(Sets::Unchanged) };
        }
        () = tokio::time::sleep(check_grace()) => {}
    }
    tracing::debug!("the changed-since check is slow: reading the id sets alongside");
    tokio::pin!(read_sets);
    tokio::select! {
        changed = &mut check => {
            if changed? { read_sets.await } else { Ok(Sets::Unchanged) }
        }
        sets = &mut read_sets => sets,
    }
}
