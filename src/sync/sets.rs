//! The id-set side of a Miniflux sync: whether the server's read and starred
//! state changed since the sets were last read (the changed-since check), and
//! if so the sets themselves, read so that the server does as little as it can
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

/// Reads the id sets, or tells that they need no reading: `asof` is the
/// server's time when they were last read (`None`: read them now).
pub(super) async fn read(
    client: &Client,
    caps: Capabilities,
    asof: Option<i64>,
) -> Result<Sets, SyncError> {
    if !caps.id_sets {
        return Ok(Sets::NotSupported);
    }
    let read_sets = async {
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
    let Some(asof) = asof else {
        tracing::debug!("reading the id sets (no recent reconciliation)");
        return read_sets.await;
    };
    // "Did any entry change since?" answers in milliseconds when none did,
    // but the server's cost grows with the entries that did (it counts them
    // with their contents): seconds when 100,000 flipped. So the sets are
    // asked for too once the check is slower than `CHECK_GRACE`, and
    // whichever tells first wins: an unchanged answer drops the sets.
    let check = client.changed_since(asof);
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
