//! One sync, end to end: log in and probe the server, send the outbox, bring the
//! subscriptions over, pull new entries by id cursor, reconcile read/starred state.
//!
//! Order matters: the outbox goes first, so the state the server reports next
//! already has the user's marks; marks made while a sync runs stay pending and win
//! over what the server reports until they are sent. Every step commits with its
//! cursor, so a sync interrupted anywhere (network, `kill -9`) resumes without
//! losing or doubling anything.

pub use super::report::SyncReport;
use std::collections::{HashMap, HashSet};

use super::SyncError;
use super::miniflux::{self, Capabilities};
use super::reconcile::{self, ServerState};
use super::sets::{Held, Sets};
use super::settings::{Provider, SyncSettings};
use super::stage::SyncStage;
use crate::feed::command_url::is_command_url;
use crate::store::{FeedId, Flag, Store, SyncedState};

/// How far back a "changed since" query reaches before the last change seen, so a
/// change committed late on the server is not skipped.
const CHANGED_OVERLAP_SECS: i64 = 60;
/// The longest time between two reconciliations from the whole id sets, even
/// when the server reports no change.
const FULL_RECONCILE_SECS: i64 = 3600;

/// How long changes written ahead of the id sets (`ahead`) wait for them,
/// holding the write lock, before they are rolled back (the sets are then
/// reconciled as they come, as without a lean).
const AHEAD_HOLD: std::time::Duration = std::time::Duration::from_secs(1);

/// [`AHEAD_HOLD`], or `KHABAR_SYNC_AHEAD_HOLD_MS`: the tests that delay a set
/// to see the write ahead set it long, so that a busy machine cannot turn
/// their case into the slow-server one (which a test sets short).
fn ahead_hold() -> std::time::Duration {
    super::sets::millis_from_env("KHABAR_SYNC_AHEAD_HOLD_MS", AHEAD_HOLD)
}

/// State keys in `sync_state`.
pub mod keys {
    /// Provider, user and server of the account the stored ids belong to.
    pub const ACCOUNT: &str = "account";
    /// The server's version at the last sync.
    pub const VERSION: &str = "version";
    /// The highest entry id pulled (Miniflux).
    pub const ENTRY_CURSOR: &str = "entry_cursor";
    /// Unix time from which changes are asked for (servers without id sets).
    pub const CHANGED_CURSOR: &str = "changed_cursor";
    /// Unix time of the last sync attempt.
    pub const LAST_SYNC_AT: &str = "last_sync_at";
    /// "ok: <summary>" or "error: <message>".
    pub const LAST_RESULT: &str = "last_result";
    /// What the server can do, as probed at the last sync (`id_sets` or
    /// `toggle_stars`).
    pub const CAPABILITIES: &str = "capabilities";
    /// The server's time (Unix seconds, a second early) when the id sets were
    /// last read: changes after it call for reading them again.
    pub const SETS_AS_OF: &str = "sets_as_of";
    /// Unix time of the last reconciliation from the whole id sets.
    pub const FULL_RECONCILE_AT: &str = "full_reconcile_at";
    /// Failed syncs in a row (`backoff`).
    pub const FAILURES: &str = "failures";
    /// Unix time before which a scheduled sync does not try (`backoff`).
    pub const NEXT_ATTEMPT_AT: &str = "next_attempt_at";
}

/// Syncs once and records the outcome (time, summary or error) in the database.
/// `progress` hears what the sync is doing, for a status line.
pub async fn sync_once(
    store: &mut Store,
    settings: &SyncSettings,
    progress: &mut (dyn FnMut(SyncStage) + Send),
) -> Result<SyncReport, SyncError> {
    let started = chrono::Utc::now().timestamp();
    let result = run(store, settings, progress).await;
    let outcome = match &result {
        Ok(report) => format!("ok, {}", report.summary().trim_start_matches("sync: ")),
        Err(err) => format!("error: {err}"),
    };
    let failed = result.as_ref().err().is_some_and(super::backoff::counts);
    // Recording the outcome must not hide the sync's own result.
    let recorded = super::backoff::after(store, failed, started).and_then(|mut values| {
        values.push((keys::LAST_SYNC_AT, started.to_string()));
        values.push((keys::LAST_RESULT, outcome));
        store.set_sync_values(&values)
    });
    if let Err(err) = recorded {
        tracing::warn!("cannot record the sync result: {err}");
    }
    // A pull writes items like a refresh: the index is merged the same way.
    if result.is_ok() {
        store.merge_search_index_logged();
    }
    match &result {
        Ok(report) => tracing::info!(server = %settings.server(), "{}", report.summary()),
        Err(err) => tracing::warn!("sync failed: {err}"),
    }
    result
}

async fn run(
    store: &mut Store,
    settings: &SyncSettings,
    progress: &mut (dyn FnMut(SyncStage) + Send),
) -> Result<SyncReport, SyncError> {
    if let Err(err) = store.tune_for_sync() {
        tracing::warn!("cannot tune the database for the sync: {err}");
    }
    let account = settings.account();
    if let Some(previous) = store.sync_value(keys::ACCOUNT)?
        && previous != account
    {
        tracing::info!("sync account changed: the server ids stored so far are forgotten");
        store.reset_sync()?;
    }
    store.set_sync_values(&[(keys::ACCOUNT, account)])?;
    match settings.provider {
        Provider::Miniflux => run_miniflux(store, settings, progress).await,
        Provider::GReader => super::greader::run(store, settings, progress).await,
    }
}

async fn run_miniflux(
    store: &mut Store,
    settings: &SyncSettings,
    progress: &mut (dyn FnMut(SyncStage) + Send),
) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    progress(SyncStage::LoggingIn);
    let client = miniflux::Client::new(settings)?;
    // Probed on every sync, never taken from what was stored: the server may have
    // been upgraded (2.2 → 2.3) or moved back since.
    let version = client.login().await?;
    let caps = Capabilities::from_version(&version);
    if let Some(before) = store.sync_value(keys::VERSION)?
        && before != version
    {
        tracing::info!(%before, now = %version, "the sync server's version changed");
    }
    store.set_sync_values(&[
        (keys::VERSION, version.clone()),
        (keys::CAPABILITIES, caps.describe().to_string()),
    ])?;
    report.version = version;
    tracing::debug!("logged in");

    progress(SyncStage::SendingMarks);
    let sent = super::send::send_outbox(store, |flag, value, ids| {
        let client = &client;
        async move {
            match flag {
                Flag::Read => client.set_read(&ids, value).await,
                Flag::Starred => client.set_starred(&ids, value, caps).await,
            }
        }
    })
    .await?;
    report.sent = sent.sent;
    report.unsent = sent.unsent;

    progress(SyncStage::ReadingSubscriptions);
    let feeds = client.feeds().await?;
    report.feeds = feeds.len();
    let refused = command_feeds(&feeds);
    report.refused_feeds = refused.len();
    let mut map = store.sync_feeds(&feeds)?;
    tracing::debug!(feeds = feeds.len(), "read the subscriptions");

    let cursor: i64 = parse_or(store.sync_value(keys::ENTRY_CURSOR)?, 0);
    // Every change of state on the server (read, unread, star, a new entry) sets
    // the entry's `changed_at` to the server's now: when no entry changed since
    // the id sets were last read (asked with the server's own clock, from its
    // `Date` header), they are not asked for again, and a sync with nothing new
    // is a few small requests. They are read at least every
    // `FULL_RECONCILE_SECS` anyway. With id sets, the sets are asked for while
    // new entries are pulled: they judge the entries held before this sync (ids
    // up to `cursor`); the entries pulled now came with their state.
    let now = chrono::Utc::now().timestamp();
    let asof: Option<i64> = store
        .sync_value(keys::SETS_AS_OF)?
        .and_then(|text| text.parse().ok())
        .filter(|_| {
            now - parse_or(store.sync_value(keys::FULL_RECONCILE_AT).ok().flatten(), 0)
                < FULL_RECONCILE_SECS
        });
    let check = super::sets::Check {
        asof,
        newest: store.newest_held_above(super::sets::probe_entries())?,
        cursor,
    };
    // The local states are read on a second connection while the id sets
    // download, once they are being read (a sync with nothing new does not
    // read them at all).
    let (reading, sets_reading) = tokio::sync::oneshot::channel();
    let (held_count, held) = tokio::sync::oneshot::channel();
    let reader = store.second_reader();
    let states = async move {
        let reader = reader?;
        sets_reading.await.ok()?;
        let read = tokio::task::spawn_blocking(move || reader.synced_states()).await;
        match read {
            Ok(Ok(states)) => {
                tracing::debug!(
                    states = states.len(),
                    "read the local states alongside the sets"
                );
                // The sets may not be listening any more.
                let _ = held_count.send(
                    states
                        .iter()
                        .filter(|state| state.remote_id <= cursor)
                        .count(),
                );
                Some(states)
            }
            Ok(Err(err)) => {
                tracing::debug!("cannot read the local states alongside the sets: {err}");
                None
            }
            Err(err) => {
                tracing::debug!("the local states' reader stopped: {err}");
                None
            }
        }
    };
    let (early, early_told) = tokio::sync::oneshot::channel();
    let sets = super::sets::read(&client, caps, check, reading, held, early);
    let pull = async {
        let mut last_change: Option<i64> = None;
        let mut pages = super::pull::spawn(client.clone(), cursor)?;
        while let Some(page) = pages.recv().await {
            let page = page?;
            if page.entries.iter().any(|entry| {
                !map.contains_key(&entry.remote_feed) && !refused.contains(&entry.remote_feed)
            }) {
                // A feed added on the server since the list was read.
                map = store.sync_feeds(&client.feeds().await?)?;
            }
            last_change = page.changed.into_iter().chain(last_change).max();
            let now = chrono::Utc::now().timestamp();
            report.new += store.sync_write_entries(
                &map,
                &page.entries,
                &[(keys::ENTRY_CURSOR, page.last.to_string())],
                now,
            )?;
            progress(SyncStage::NewEntries(report.new));
        }
        Ok::<_, SyncError>(last_change)
    };
    // The pull and the local states, the sets going on alongside; then, if
    // the sets lean one way and have not answered yet, their changes are
    // written ahead of the answer (`ahead`).
    tokio::pin!(sets);
    let mut answered = None;
    let (pulled, early_states) = {
        let both = async { tokio::join!(pull, states) };
        tokio::pin!(both);
        loop {
            tokio::select! {
                sets = &mut sets, if answered.is_none() => answered = Some(sets),
                both = &mut both => break both,
            }
        }
    };
    let mut last_change = pulled?;
    let mut ahead = None;
    if answered.is_none()
        && let Some(states) = &early_states
    {
        tokio::select! {
            early = early_told => if let Ok(early) = early {
                ahead = Some(super::ahead::start(store, states, cursor, early)?);
            },
            sets = &mut sets => answered = Some(sets),
        }
    }
    if answered.is_none() && ahead.is_some() {
        // The write lock is held while the set is on its way: a mark made in
        // the reader waits for it. A slow server is not waited for so long.
        tokio::select! {
            sets = &mut sets => answered = Some(sets),
            () = tokio::time::sleep(ahead_hold()) => {
                ahead = None;
                tracing::debug!("the set is slow to answer: what was written ahead is rolled back");
            }
        }
    }
    let sets = match answered {
        Some(sets) => sets,
        None => sets.await,
    };
    let sets = match sets? {
        Sets::Unchanged => return Ok(report),
        Sets::NotSupported => None,
        Sets::Read {
            unread,
            starred,
            asof,
            held,
        } => Some((unread, starred, asof, held)),
    };
    // `{ ahead }` moves it: rolled back here unless committed, and the store
    // is free again below.
    if let Some(ahead) = { ahead } {
        if let Some((unread, starred, asof, held)) = &sets
            && ahead.confirmed_by(unread, starred, held)
        {
            progress(SyncStage::Reconciling);
            let counts = ahead.commit(&[
                (
                    keys::SETS_AS_OF,
                    asof.map(|at| at.to_string()).unwrap_or_default(),
                ),
                (keys::FULL_RECONCILE_AT, now.to_string()),
            ])?;
            tracing::debug!("the sets confirmed the changes written ahead");
            report.add_counts(counts);
            return Ok(report);
        }
        tracing::debug!("the sets did not confirm the changes written ahead: rolled back");
    }

    progress(SyncStage::Reconciling);
    tracing::debug!("pulled and read the id sets");
    let mut states = match early_states {
        Some(states) => states,
        None => store.synced_states()?,
    };
    tracing::debug!(states = states.len(), "read the local states");
    let mut state_values = Vec::new();
    let server = if let Some((unread, starred, asof, held)) = sets {
        states.retain(|state| state.remote_id <= cursor);
        state_values.push((
            keys::SETS_AS_OF,
            asof.map(|at| at.to_string()).unwrap_or_default(),
        ));
        state_values.push((keys::FULL_RECONCILE_AT, now.to_string()));
        // An entry in neither set is read (unread, with the read ids), or deleted
        // by the server's cleanup: only the set of every id tells which, and it is
        // asked for only when that matters and the counts do not show that the
        // server still holds every entry held here.
        let all_held = match &held {
            Held::All => Some(true),
            Held::Counts(counts) => {
                let (unread_ids, read_ids) = &**counts;
                reconcile::all_held(states.len(), cursor, unread_ids, read_ids)
            }
        };
        let existing =
            if reconcile::needs_existing(&states, &unread, &starred) && all_held != Some(true) {
                Some(client.entry_ids("").await?)
            } else {
                None
            };
        ServerState::Sets {
            unread,
            starred,
            existing,
        }
    } else {
        let since: Option<i64> = store
            .sync_value(keys::CHANGED_CURSOR)?
            .and_then(|text| text.parse().ok());
        let mut known = HashMap::new();
        let mut gone = HashSet::new();
        if let Some(since) = since {
            let mut offset = 0;
            loop {
                let page = client.entries_changed(since, offset).await?;
                for entry in &page {
                    if entry.is_removed() {
                        gone.insert(entry.id());
                    } else {
                        known.insert(entry.id(), (entry.is_read(), entry.is_starred()));
                    }
                }
                last_change = page
                    .iter()
                    .filter_map(miniflux::Entry::changed_at)
                    .chain(last_change)
                    .max();
                offset += page.len();
                if page.len() < miniflux::PAGE {
                    break;
                }
            }
        }
        let next = last_change
            .map(|at| at - CHANGED_OVERLAP_SECS)
            .or(since)
            .unwrap_or_else(|| chrono::Utc::now().timestamp() - CHANGED_OVERLAP_SECS);
        state_values.push((
            keys::CHANGED_CURSOR,
            next.max(since.unwrap_or(0)).to_string(),
        ));
        ServerState::Some { known, gone }
    };
    apply_server_state(store, &states, &server, &state_values, &mut report)?;
    Ok(report)
}

/// Reconciles every synced item against `server` and applies the result.
/// `states` are the synced items as read before the server was asked.
pub(super) fn apply_server_state(
    store: &mut Store,
    states: &[SyncedState],
    server: &ServerState,
    state_values: &[(&str, String)],
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let started = std::time::Instant::now();
    let outcome = reconcile::reconcile(states, server);
    let decided = started.elapsed();
    let now = chrono::Utc::now().timestamp();
    store.sync_apply(&outcome.changes, &outcome.gone, state_values, now)?;
    tracing::debug!(
        changes = outcome.changes.len(),
        decided_ms = decided.as_millis(),
        written_ms = started.elapsed().as_millis(),
        "reconciled"
    );
    let counts = outcome.counts;
    report.add_counts(counts);
    if counts.gone > 0 {
        tracing::info!(
            gone = counts.gone,
            "entries deleted on the server: kept here as they are"
        );
    }
    Ok(())
}

fn parse_or(value: Option<String>, default: i64) -> i64 {
    value.and_then(|text| text.parse().ok()).unwrap_or(default)
}

/// Subscribes to `url` on the server (the next sync brings its entries).
pub async fn subscribe(settings: &SyncSettings, url: &str) -> Result<(), SyncError> {
    match settings.provider {
        Provider::Miniflux => {
            let client = miniflux::Client::new(settings)?;
            client.login().await?;
            client.subscribe(url).await.map(|_| ())
        }
        Provider::GReader => {
            super::greader::Client::login(settings)
                .await?
                .subscribe(url)
                .await
        }
    }
}

/// Unsubscribes from the server's feed `remote_id`.
pub async fn unsubscribe(settings: &SyncSettings, remote_id: i64) -> Result<(), SyncError> {
    match settings.provider {
        Provider::Miniflux => {
            miniflux::Client::new(settings)?
                .unsubscribe(remote_id)
                .await
        }
        Provider::GReader => {
            super::greader::Client::login(settings)
                .await?
                .unsubscribe(remote_id)
                .await
        }
    }
}

/// The server's id of a local feed, when the server provides it.
pub fn remote_feed(store: &Store, feed: FeedId) -> Result<Option<i64>, SyncError> {
    Ok(store.synced_feed_remote_id(feed)?)
}

/// The server's feeds named `exec:`/`filter:`: each would be a command run at the
/// next refresh, so none is taken (`feed::command_url`; the store refuses them
/// too). Both providers count them in [`SyncReport::refused_feeds`] from here.
pub(super) fn command_feeds(feeds: &[crate::store::SyncedFeed]) -> HashSet<i64> {
    let refused: HashSet<i64> = feeds
        .iter()
        .filter(|feed| is_command_url(&feed.url))
        .map(|feed| feed.remote_id)
        .collect();
    if !refused.is_empty() {
        tracing::warn!(
            feeds = refused.len(),
            "the server lists command (exec:/filter:) feeds; not taken"
        );
    }
    refused
}
