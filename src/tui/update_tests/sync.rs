//! The reader and a sync server: R syncs too, progress and the result on the
//! message line, lists reloaded after.

use super::*;
use crate::sync::{SyncReport, SyncStage};

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
    update(&mut m, Msg::SyncProgress(SyncStage::SendingMarks));
    assert_eq!(m.message.as_deref(), Some("sync: sending marks"));
    let commands = update(
        &mut m,
        Msg::Synced(Ok(SyncReport {
            new: 3,
            read_on_server: 1,
            sent: 2,
            ..SyncReport::default()
        })),
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
        Msg::Synced(Err("cannot reach the sync server http://x".into())),
    );
    assert_eq!(
        m.last_error.as_deref(),
        Some("sync failed: cannot reach the sync server http://x")
    );
}

#[test]
fn a_sync_that_succeeds_after_a_failed_one_clears_sync_failed_from_the_status_line() {
    let mut m = model();
    m.sync_enabled = true;
    update(
        &mut m,
        Msg::Synced(Err("cannot reach the sync server http://x".into())),
    );
    assert!(m.last_error.is_some());
    update(&mut m, Msg::Synced(Ok(SyncReport::default())));
    assert_eq!(
        m.last_error, None,
        "the server is back: no sync failure shown"
    );

    // An error from elsewhere, after the failed sync, stays.
    update(
        &mut m,
        Msg::Synced(Err("cannot reach the sync server http://x".into())),
    );
    m.last_error = Some("database is locked".into());
    update(&mut m, Msg::Synced(Ok(SyncReport::default())));
    assert_eq!(m.last_error.as_deref(), Some("database is locked"));
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

fn persian_model() -> Model {
    let mut m = model();
    m.dates = DateStyle {
        jalali: true,
        persian_digits: true,
        locale: crate::config::Locale::Fa,
        relative: true,
        ..DateStyle::default()
    };
    m.sync_enabled = true;
    m
}

fn english_model() -> Model {
    let mut m = model();
    m.sync_enabled = true;
    m
}

/// The message line after `msg` in a Persian and an English reader.
fn both(msg: Msg) -> (Option<String>, Option<String>) {
    let mut fa = persian_model();
    let mut en = english_model();
    update(&mut fa, msg.clone());
    update(&mut en, msg);
    (fa.message, en.message)
}

#[test]
fn sync_progress_is_worded_in_the_interface_language() {
    let mut fa = persian_model();
    let mut en = english_model();
    key(&mut fa, "R");
    key(&mut en, "R");
    assert_eq!(fa.message.as_deref(), Some("همگام‌سازی: آغاز"));
    assert_eq!(en.message.as_deref(), Some("sync: starting"));
    let cases = [
        (
            SyncStage::LoggingIn,
            "همگام‌سازی: ورود به سرور",
            "sync: logging in",
        ),
        (
            SyncStage::SendingMarks,
            "همگام‌سازی: فرستادن نشانه‌ها",
            "sync: sending marks",
        ),
        (
            SyncStage::ReadingSubscriptions,
            "همگام‌سازی: خواندن اشتراک‌ها",
            "sync: reading subscriptions",
        ),
        (
            SyncStage::NewEntries(1),
            "همگام‌سازی: ۱ مطلب تازه",
            "sync: 1 new entry",
        ),
        (
            SyncStage::NewEntries(12_500),
            "همگام‌سازی: ۱۲٬۵۰۰ مطلب تازه",
            "sync: 12,500 new entries",
        ),
        (
            SyncStage::Reconciling,
            "همگام‌سازی: هماهنگ کردن وضعیت خوانده‌ها",
            "sync: reconciling read state",
        ),
    ];
    for (stage, fa_line, en_line) in cases {
        let (fa, en) = both(Msg::SyncProgress(stage));
        assert_eq!(fa.as_deref(), Some(fa_line), "{stage:?}");
        assert_eq!(en.as_deref(), Some(en_line), "{stage:?}");
    }
}

#[test]
fn a_sync_summary_is_worded_in_the_interface_language_with_its_counts() {
    let report = SyncReport {
        new: 312,
        read_on_server: 1204,
        sent: 17,
        ..SyncReport::default()
    };
    let (fa, en) = both(Msg::Synced(Ok(report.clone())));
    assert_eq!(
        fa.as_deref(),
        Some("همگام‌سازی: ۳۱۲ تازه، ۱٬۲۰۴ در سرور خوانده شد، ۱۷ فرستاده شد")
    );
    // The reader's English is the command line's summary.
    assert_eq!(en.as_deref(), Some(report.summary().as_str()));
    assert_eq!(
        en.as_deref(),
        Some("sync: 312 new, 1,204 marked read on the server, 17 sent")
    );

    let report = SyncReport {
        new: 1,
        unread_on_server: 2,
        stars_on_server: 1,
        gone_on_server: 3,
        unsent: 5,
        ..SyncReport::default()
    };
    let cli = report.summary();
    let (fa, en) = both(Msg::Synced(Ok(report)));
    assert_eq!(en.as_deref(), Some(cli.as_str()));
    assert_eq!(
        fa.as_deref(),
        Some(
            "همگام‌سازی: ۱ تازه، ۰ در سرور خوانده شد، ۰ فرستاده شد، ۲ در سرور نخوانده شد، \
             ۱ ستاره در سرور تغییر کرد، ۵ فرستاده نشد (سرور نپذیرفت؛ برای همگام‌سازی بعد نگه داشته شد)، \
             ۳ در سرور پاک شد (اینجا مانده است)"
        )
    );
    assert_eq!(
        en.as_deref(),
        Some(
            "sync: 1 new, 0 marked read on the server, 0 sent, 2 marked unread on the server, \
             1 star changed on the server, 5 not sent (the server refused them; kept for the next sync), \
             3 deleted on the server (kept here)"
        )
    );
    let (_, en) = both(Msg::Synced(Ok(SyncReport {
        stars_on_server: 4,
        ..SyncReport::default()
    })));
    assert_eq!(
        en.as_deref(),
        Some("sync: 0 new, 0 marked read on the server, 0 sent, 4 stars changed on the server")
    );
}

#[test]
fn a_failed_sync_keeps_the_servers_detail_after_translated_words() {
    let mut fa = persian_model();
    let mut en = english_model();
    for m in [&mut fa, &mut en] {
        key(m, "R");
        update(m, Msg::SyncProgress(SyncStage::LoggingIn));
        let commands = update(
            m,
            Msg::Synced(Err(
                "the sync server http://x refused the login: check [sync] username".into(),
            )),
        );
        assert!(!m.sync_running);
        assert!(commands.contains(&Command::Db(DbRequest::LoadFeeds)));
    }
    assert_eq!(
        fa.last_error.as_deref(),
        Some(
            "همگام‌سازی ناموفق بود: the sync server http://x refused the login: check [sync] username"
        )
    );
    assert_eq!(
        en.last_error.as_deref(),
        Some("sync failed: the sync server http://x refused the login: check [sync] username")
    );
}

/// Regression: a sync that could not reach the server said "sync failed:
/// cannot reach the sync server http://…: connection refused by …", cut at
/// the terminal's width, and not that the local marks were kept (as `khabar
/// sync` says). The cause comes first and short; the marks kept follow, in
/// both interfaces, within 80 columns.
#[test]
fn a_failed_sync_says_its_cause_and_the_marks_kept_within_80_columns() {
    let unreachable = crate::sync::SyncError::Unreachable {
        server: "https://miniflux.example.org:8443".into(),
        detail: "connection refused by miniflux.example.org".into(),
    };
    let mut fa = persian_model();
    let mut en = english_model();
    for m in [&mut fa, &mut en] {
        update(
            m,
            Msg::Synced(Err(crate::tui::msg::SyncFailure {
                cause: unreachable.cause(),
                marks_kept: 1_204,
            })),
        );
    }
    let en_line = en.last_error.clone().unwrap();
    assert_eq!(
        en_line,
        "sync failed: connection refused by miniflux.example.org; 1,204 local marks kept"
    );
    let fa_line = fa.last_error.clone().unwrap();
    assert_eq!(
        fa_line,
        "همگام‌سازی نشد: connection refused by miniflux.example.org؛ ۱٬۲۰۴ نشانهٔ محلی ماند"
    );
    for line in [en_line, fa_line] {
        assert!(
            unicode_width::UnicodeWidthStr::width(line.as_str()) <= 80,
            "{line:?} is wider than 80 columns"
        );
    }
    // One mark, and none: no "0 kept".
    update(
        &mut en,
        Msg::Synced(Err(crate::tui::msg::SyncFailure {
            cause: "timed out connecting".into(),
            marks_kept: 1,
        })),
    );
    assert_eq!(
        en.last_error.as_deref(),
        Some("sync failed: timed out connecting; 1 local mark kept")
    );
    update(&mut en, Msg::Synced(Err("timed out connecting".into())));
    assert_eq!(
        en.last_error.as_deref(),
        Some("sync failed: timed out connecting")
    );
}
