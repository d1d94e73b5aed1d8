//! The reader and a sync server: R syncs too, progress and the result on the
//! message line, lists reloaded after.

use super::*;

#[test]
fn capital_r_with_a_sync_server_also_syncs_once_at_a_time() {
    let mut m = model();
    m.sync_enabled = true;
    let commands = key(&mut m, "R");
    assert_eq!(commands.first(), Some(&Command::Sync));
    assert!(matches!(&commands[1..], [Command::Refresh(t)] if t.len() == 3));
    m.refresh = None;
    let commands = key(&mut m, "R");
    assert!(
        !commands.contains(&Command::Sync),
        "a sync already runs: {commands:?}"
    );
    update(&mut m, Msg::SyncProgress("sending marks".into()));
    assert_eq!(m.message.as_deref(), Some("sync: sending marks"));
    let commands = update(
        &mut m,
        Msg::Synced {
            summary: "sync: 3 new, 1 marked read on the server, 2 sent".into(),
            ok: true,
        },
    );
    assert!(!m.sync_running);
    assert_eq!(
        m.message.as_deref(),
        Some("sync: 3 new, 1 marked read on the server, 2 sent")
    );
    assert!(
        commands.contains(&Command::Db(DbRequest::LoadFeeds)),
        "lists reload"
    );
}

#[test]
fn a_failed_sync_is_an_error_line_and_r_on_one_feed_does_not_sync() {
    let mut m = model();
    m.sync_enabled = true;
    m.feed_cursor = 4;
    let commands = key(&mut m, "r");
    assert!(!commands.contains(&Command::Sync));
    update(
        &mut m,
        Msg::Synced {
            summary: "sync failed: cannot reach the sync server http://x".into(),
            ok: false,
        },
    );
    assert_eq!(
        m.last_error.as_deref(),
        Some("sync failed: cannot reach the sync server http://x")
    );
}

#[test]
fn with_only_synced_feeds_capital_r_still_syncs() {
    let mut m = model();
    m.sync_enabled = true;
    m.feeds.clear();
    let commands = key(&mut m, "R");
    assert_eq!(commands, vec![Command::Sync]);
    assert_eq!(m.message.as_deref(), Some("sync: starting"));
}

#[test]
fn the_refresh_interval_syncs_too_and_only_once_at_a_time() {
    let mut m = model();
    m.sync_enabled = true;
    m.refresh_interval_minutes = 1;
    let tick = |m: &mut Model, now: i64| update(m, Msg::Tick { now, utc_offset: 0 });
    assert!(tick(&mut m, 1000).is_empty());
    let commands = tick(&mut m, 1061);
    assert_eq!(commands.first(), Some(&Command::Sync), "{commands:?}");
    assert!(matches!(&commands[1..], [Command::Refresh(_)]));
    assert_eq!(m.message.as_deref(), Some("sync: starting"));
    // The next interval while that sync still runs: the feeds refresh, no second sync.
    m.refresh = None;
    let commands = tick(&mut m, 1122);
    assert!(!commands.contains(&Command::Sync), "{commands:?}");
}
