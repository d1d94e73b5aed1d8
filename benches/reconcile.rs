//! Reconciliation's local write at 100,000 entries (issue 11): every synced
//! entry's read state flipped by the server, written by `Store::sync_apply`,
//! then the connection closed (SQLite checkpoints the WAL on close), as one
//! `khabar sync` does after a mass flip on the server.
//!
//! The database is a copy of `$KHABAR_RECONCILE_DB` (a synced database, e.g.
//! the one `bench/sync.sh` leaves with `KHABAR_BENCH_KEEP=1`) or, without it, a
//! synthetic one (100 server feeds, 100,000 entries, one in seven with a
//! category of its own) built once at `<tmp>/khabar-reconcile-100k.db`. Each
//! round opens the copy, reads the states, flips every entry (to the state fewer
//! of them have: all read, then all unread, …), writes, and closes. `ROUNDS` (default 6).
//! Run: `cargo bench --bench reconcile`.

// Benchmark code: inputs are fixed.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use khabar::feed::ParsedItem;
use khabar::store::{StateChange, Store, SyncedEntry, SyncedFeed};

const FEEDS: i64 = 100;
const ENTRIES: i64 = 100_000;
const NOW: i64 = 1_790_000_000;

fn synthetic(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let mut store = Store::open(path).unwrap();
    store.tune_for_sync().unwrap();
    let feeds: Vec<SyncedFeed> = (1..=FEEDS)
        .map(|id| SyncedFeed {
            remote_id: id,
            url: format!("https://feeds.example/{id}.xml"),
            title: format!("Feed {id}"),
            tags: vec!["All".into()],
            ..SyncedFeed::default()
        })
        .collect();
    let map = store.sync_feeds(&feeds).unwrap();
    let entries: Vec<SyncedEntry> = (1..=ENTRIES)
        .map(|id| SyncedEntry {
            remote_id: id,
            remote_feed: 1 + id % FEEDS,
            item: ParsedItem {
                identity: khabar::store::synced_identity(id),
                title: format!("Entry {id} — خبر شماره {id}"),
                link: Some(format!("http://example.org/entry/{id}")),
                author: Some(format!("Bench {}", id % 7)),
                published: Some(NOW - id * 60),
                categories: if id % 7 == 0 {
                    vec![format!("category {}", id % 5)]
                } else {
                    Vec::new()
                },
                content_hash: format!("{id:064x}"),
                ..ParsedItem::default()
            },
            read: id % 3 != 0,
            starred: id % 50 == 0,
        })
        .collect();
    for page in entries.chunks(1000) {
        store.sync_write_entries(&map, page, &[], NOW).unwrap();
    }
    store.checkpoint_passive().unwrap();
}

fn source() -> PathBuf {
    if let Some(path) = std::env::var_os("KHABAR_RECONCILE_DB") {
        return PathBuf::from(path);
    }
    let path = std::env::temp_dir().join("khabar-reconcile-100k.db");
    let ready = Store::open(&path)
        .and_then(|store| store.synced_states())
        .is_ok_and(|states| states.len() == ENTRIES as usize);
    if !ready {
        let started = Instant::now();
        synthetic(&path);
        eprintln!("built {} in {:?}", path.display(), started.elapsed());
    }
    path
}

/// CPU time of this process so far (user + system): wall time is noise on a
/// shared machine.
fn cpu() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_SELF is valid.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn main() {
    let source = source();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("khabar.db");
    std::fs::copy(&source, &db).unwrap();
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(6);
    for round in 1..=rounds {
        let mut store = Store::open(&db).unwrap();
        store.tune_for_sync().unwrap();
        let started = Instant::now();
        let states = store.synced_states().unwrap();
        let read_states = started.elapsed();
        // Every entry to the state fewer of them have now.
        let to_read = states.iter().filter(|state| !state.read).count() * 2 > states.len();
        let changes: Vec<StateChange> = states
            .iter()
            .map(|state| StateChange {
                remote_id: state.remote_id,
                item_id: state.item_id,
                read: (state.read != to_read).then_some(to_read),
                starred: None,
                server_read: to_read,
                server_starred: state.server_starred,
            })
            .filter(|change| change.read.is_some() || change.server_read != to_read)
            .collect();
        let (started, cpu_started) = (Instant::now(), cpu());
        store
            .sync_apply(&changes, &[], &[("bench", round.to_string())], NOW + 1)
            .unwrap();
        let written = (started.elapsed(), cpu() - cpu_started);
        let (started, cpu_started) = (Instant::now(), cpu());
        drop(store);
        let closed = (started.elapsed(), cpu() - cpu_started);
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "round {round}: {} flips to {}: states {:.0} ms, \
             written {:.0} ms ({:.0} ms CPU), closed {:.0} ms ({:.0} ms CPU)",
            changes.len(),
            if to_read { "read" } else { "unread" },
            ms(read_states),
            ms(written.0),
            ms(written.1),
            ms(closed.0),
            ms(closed.1),
        );
    }
}
