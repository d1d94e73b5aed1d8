//! The id-set side of a Miniflux sync: whether the server's read and starred
//! state changed since the sets were last read (the changed-since check, first
//! over the newest entries, then over every entry), and if so the sets
//! themselves, read so that the server does as little as it can
//! (`miniflux::ids`).

use std::collections::HashSet;

use super::SyncError;
use super::ahead::Early;
use super::miniflux::{Capabilities, Changed, Client, IdSet};
use super::reconcile::Unread;

/// How long the "changed since" check runs alone before the id sets are asked
/// for alongside it.
const CHECK_GRACE: std::time::Duration = std::time::Duration::from_millis(250);

/// [`CHECK_GRACE`], or `KHABAR_SYNC_CHECK_GRACE_MS`: the tests that count a
/// sync's requests set it long, so that a check slowed by a busy machine cannot
/// add the id-set requests to the count.
fn check_grace() -> std::time::Duration {
    millis_from_env("KHABAR_SYNC_CHECK_GRACE_MS", CHECK_GRACE)
}

/// The milliseconds in the environment variable `name`, else `default`: the
/// tests' way to set a sync's waits.
pub(super) fn millis_from_env(name: &str, default: std::time::Duration) -> std::time::Duration {
    std::env::var(name)
        .ok()
        .and_then(|ms| ms.trim().parse().ok())
        .map_or(default, std::time::Duration::from_millis)
}

/// What the id-set side of a Miniflux sync found.
pub(super) enum Sets {
    /// The server has no id sets (before 2.3.2).
    NotSupported,
    /// No entry changed since the sets were last read.
    Unchanged,
    /// The sets, the server's time when they were read, and what they tell of
    /// the entries the server still holds.
    Read {
        unread: Unread,
        starred: HashSet<i64>,
        asof: Option<i64>,
        held: Held,
    },
}

/// What the sets read tell of the entries held here that the server still holds.
pub(super) enum Held {
    /// The unread and the read sets as read (whole or first page) with their
    /// totals: `reconcile::all_held` tells from them.
    Counts(Box<(IdSet, IdSet)>),
    /// One set alone counts every entry held here: the server holds them all.
    All,
}

/// Which way every entry held here stands on the server, when one set's first
/// page counts them all.
enum Heads {
    /// The first pages of both sets.
    Both { unread: IdSet, read: IdSet },
    /// Every entry held here is unread (`true`) or read (`false`); the set's
    /// first page.
    All { unread: bool, head: IdSet },
}

impl Heads {
    /// Both first pages, `first` being the unread set's when `first_is_unread`.
    fn both(first_is_unread: bool, first: IdSet, other: IdSet) -> Heads {
        if first_is_unread {
            Heads::Both {
                unread: first,
                read: other,
            }
        } else {
            Heads::Both {
                unread: other,
                read: first,
            }
        }
    }
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
    /// The pull's cursor: the sets judge the entries held up to it.
    pub cursor: i64,
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
/// local states alongside, and sends on `held` how many entries it holds up to
/// the cursor (nothing, if it could not read them).
pub(super) async fn read(
    client: &Client,
    caps: Capabilities,
    check: Check,
    reading: tokio::sync::oneshot::Sender<()>,
    held: tokio::sync::oneshot::Receiver<usize>,
    early: tokio::sync::oneshot::Sender<Early>,
) -> Result<Sets, SyncError> {
    if !caps.id_sets {
        return Ok(Sets::NotSupported);
    }
    // Which set the first look suggests reading first (see [`Lean`]); set
    // before the sets start to be read.
    let lean = std::cell::Cell::new(None);
    let leaning = &lean;
    let read_sets = async move {
        // The receiver may be gone: there is no one else to tell then.
        let _ = reading.send(());
        let lean = leaning.get();
        // With a lean, the starred ids (a small set, answered first) are told
        // at once: the caller may reconcile ahead of the leaned set (`ahead`).
        let starred = async {
            let starred = client.entry_ids_dated("starred=true&").await?;
            if let Some(Lean { unread }) = lean {
                // The caller may not be listening.
                let _ = early.send(Early {
                    unread,
                    starred: starred.0.clone(),
                });
            }
            Ok::<_, SyncError>(starred)
        };
        let (heads, (starred, date)) =
            tokio::try_join!(heads(client, check.cursor, lean, held), starred)?;
        let (listed, dates, held) = match heads {
            Heads::All { unread, head } => {
                tracing::debug!(unread, "one set counts every entry held here");
                let listed = if unread {
                    Unread::AllBut(HashSet::new())
                } else {
                    Unread::Listed(HashSet::new())
                };
                (listed, [head.date, None], Held::All)
            }
            // Their totals tell which set is smaller, and only that one is read
            // to the end. Both totals also tell whether the server still holds
            // every entry held here.
            Heads::Both { unread, read } => {
                let (unread, read, listed) = if unread.total <= read.total {
                    let unread = client.id_set_rest("status=unread&", unread).await?;
                    let listed = Unread::Listed(unread.ids.clone());
                    (unread, read, listed)
                } else {
                    let read = client.id_set_rest("status=read&", read).await?;
                    let listed = Unread::AllBut(read.ids.clone());
                    (unread, read, listed)
                };
                let dates = [unread.date, read.date];
                (listed, dates, Held::Counts(Box::new((unread, read))))
            }
        };
        // A second early: `changed_after` compares whole seconds.
        let asof = dates
            .into_iter()
            .chain([date])
            .flatten()
            .min()
            .map(|at| at - 1);
        tracing::debug!("read the id sets");
        Ok(Sets::Read {
            unread: listed,
            starred,
            asof,
            held,
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
        let changed = client.changed_since(asof, Some(newest)).await?;
        if changed.count > 0 {
            lean.set(lean_of(changed, check.cursor));
            tracing::debug!(
                changed = changed.count,
                lean = ?lean.get(),
                "the newest entries changed: reading the id sets"
            );
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
            return if changed?.count > 0 { read_sets.await } else { Ok(Sets::Unchanged) };
        }
        () = tokio::time::sleep(check_grace()) => {}
    }
    tracing::debug!("the changed-since check is slow: reading the id sets alongside");
    tokio::pin!(read_sets);
    tokio::select! {
        changed = &mut check => {
            if changed?.count > 0 { read_sets.await } else { Ok(Sets::Unchanged) }
        }
        sets = &mut read_sets => sets,
    }
}

/// The first pages of the unread and the read ids, asked for at once. When the
/// first to answer already counts every entry held here up to `cursor` (and
/// the server holds no entry up to it that this client lacks: see
/// `reconcile::all_held`), the other set holds none of them and is not waited
/// for. A "mark all read" made elsewhere is then answered by the read ids
/// alone, while the server may still be walking the rows the flip left behind
/// for the empty unread set (0.45–0.96 s after a flip of 100,000 entries,
/// against 0.16–0.69 s for the read ids: BENCHMARKS.md).
async fn heads(
    client: &Client,
    cursor: i64,
    lean: Option<Lean>,
    held: tokio::sync::oneshot::Receiver<usize>,
) -> Result<Heads, SyncError> {
    if let Some(Lean { unread }) = lean {
        // Alone, so the server gives it all its cores; the other set only if
        // this one does not count every entry held here.
        let first = client.id_set_head(status_filter(unread)).await?;
        let held = held.await.ok();
        tracing::debug!(
            unread,
            ?held,
            counted = ?first.count_at_or_below(cursor),
            "the set the newest entries lean to answered"
        );
        if counts_every_held(&first, cursor, held) {
            return Ok(Heads::All {
                unread,
                head: first,
            });
        }
        let other = client.id_set_head(status_filter(!unread)).await?;
        return Ok(Heads::both(unread, first, other));
    }
    let unread = client.id_set_head("status=unread&");
    let read = client.id_set_head("status=read&");
    tokio::pin!(unread, read, held);
    let (first_is_unread, first) = tokio::select! {
        head = &mut unread => (true, head?),
        head = &mut read => (false, head?),
    };
    // The count comes from the local states, read alongside: usually long
    // before the first set answers. If the other set answers first, both are
    // there and nothing is left to save.
    let counted = tokio::select! {
        biased;
        held = &mut held => held.ok(),
        other = async { if first_is_unread { (&mut read).await } else { (&mut unread).await } } => {
            return Ok(Heads::both(first_is_unread, first, other?));
        }
    };
    tracing::debug!(
        first_is_unread,
        held = ?counted,
        counted = ?first.count_at_or_below(cursor),
        "the first id set answered"
    );
    if counts_every_held(&first, cursor, counted) {
        return Ok(Heads::All {
            unread: first_is_unread,
            head: first,
        });
    }
    let other = if first_is_unread {
        read.await?
    } else {
        unread.await?
    };
    Ok(Heads::both(first_is_unread, first, other))
}

/// Whether `set` holds every entry held here up to `cursor` (`held` of them,
/// when the local states could be counted). The server holds no entry up to
/// the cursor that this client lacks (`reconcile::all_held`), so the other set
/// then holds none of them, and none of them is gone from the server.
fn counts_every_held(set: &IdSet, cursor: i64, held: Option<usize>) -> bool {
    held.is_some() && set.count_at_or_below(cursor) == held
}

/// The set that every one of the newest entries held here moved to since the
/// sets were last read, when they all moved the same way (a "mark all read"
/// elsewhere): that set is then asked for first and alone, since it likely
/// counts every entry held here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Lean {
    /// The unread set (`true`) or the read set.
    pub unread: bool,
}

/// Tells [`Lean`] from the first look, which costs nothing more: when at least
/// [`probe_entries`] entries changed among the newest (so every one of the
/// newest held here did, or new ones came), the state of the one it returned,
/// if that one is held here (new entries are unread whatever happened to the
/// others). Fewer changes lean nowhere: both sets are asked for at once.
fn lean_of(changed: Changed, cursor: i64) -> Option<Lean> {
    if changed.count < probe_entries() {
        return None;
    }
    let (id, read) = changed.sample?;
    (id <= cursor).then_some(Lean { unread: !read })
}

/// The `/v1/entries/ids` filter of the unread (`true`) or the read set.
fn status_filter(unread: bool) -> &'static str {
    if unread {
        "status=unread&"
    } else {
        "status=read&"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changed(count: usize, sample: Option<(i64, bool)>) -> Changed {
        Changed { count, sample }
    }

    #[test]
    fn the_newest_entries_lean_only_when_every_one_of_them_changed() {
        let cursor = 1_000;
        assert_eq!(
            lean_of(changed(PROBE_ENTRIES, Some((990, true))), cursor),
            Some(Lean { unread: false })
        );
        assert_eq!(
            lean_of(changed(PROBE_ENTRIES + 5, Some((990, false))), cursor),
            Some(Lean { unread: true })
        );
        // Fewer changes than the entries looked at: some of them did not move.
        assert_eq!(
            lean_of(changed(PROBE_ENTRIES - 1, Some((990, true))), cursor),
            None
        );
        // A new entry tells nothing of the entries held here.
        assert_eq!(
            lean_of(changed(PROBE_ENTRIES, Some((1_001, true))), cursor),
            None
        );
        assert_eq!(lean_of(changed(PROBE_ENTRIES, None), cursor), None);
    }

    fn set(ids: &[i64], total: usize) -> IdSet {
        IdSet {
            ids: ids.iter().copied().collect(),
            total,
            complete: ids.len() >= total,
            first_page_low: ids.iter().copied().min(),
            date: None,
        }
    }

    #[test]
    fn a_set_counts_every_entry_held_only_with_the_same_count_up_to_the_cursor() {
        // Ids 1..=4 held (cursor 4); 5 and 6 arrived since.
        let all = set(&[6, 5, 4, 3, 2, 1], 6);
        assert!(counts_every_held(&all, 4, Some(4)));
        // One held entry is missing from the set: in the other, or gone.
        let short = set(&[6, 5, 4, 3, 2], 5);
        assert!(!counts_every_held(&short, 4, Some(4)));
        // The local states could not be counted: nothing is assumed.
        assert!(!counts_every_held(&all, 4, None));
        // A first page that does not reach the cursor cannot tell.
        let head = IdSet {
            ids: [6, 5].into_iter().collect(),
            total: 6,
            complete: false,
            first_page_low: Some(5),
            date: None,
        };
        assert!(!counts_every_held(&head, 4, Some(4)));
    }
}
