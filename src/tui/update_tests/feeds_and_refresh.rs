//! The feed screen, help, refresh and its events, ticks.

use super::*;

#[test]
fn movement_keys_move_the_feed_cursor() {
    let mut m = model();
    key(&mut m, "j");
    key(&mut m, "down");
    assert_eq!(m.feed_cursor, 2);
    key(&mut m, "k");
    assert_eq!(m.feed_cursor, 1);
    key(&mut m, "G");
    assert_eq!(m.feed_cursor, 5);
    key(&mut m, "g");
    assert_eq!(m.feed_cursor, 0);
    key(&mut m, "pagedown");
    assert_eq!(m.feed_cursor, 5);
    key(&mut m, "ctrl-u");
    assert_eq!(m.feed_cursor, 0);
}

#[test]
fn enter_on_a_virtual_entry_opens_its_list() {
    let mut m = model();
    key(&mut m, "j");
    let commands = key(&mut m, "enter");
    assert!(matches!(m.screen, Screen::Headlines(_)));
    let list = m.list().unwrap();
    assert_eq!(list.source, ListSource::Unread);
    assert!(commands.iter().any(|c| matches!(c,
        Command::Db(DbRequest::LoadItems { request: WindowRequest::Top, query, .. }) if query.unread_only)));
}

#[test]
fn back_from_feeds_quits_and_capital_q_quits_anywhere() {
    let mut m = model();
    assert_eq!(key(&mut m, "q"), vec![Command::Quit]);
    let mut m = in_list(vec![item(0, 1, false)]);
    assert_eq!(key(&mut m, "Q"), vec![Command::Quit]);
}

#[test]
fn help_opens_scrolls_and_closes() {
    let mut m = model();
    key(&mut m, "?");
    assert_eq!(m.overlay, Some(Overlay::Help { scroll: 0 }));
    key(&mut m, "j");
    assert_eq!(m.feed_cursor, 0, "keys go to the help screen");
    assert!(
        key(&mut m, "esc").is_empty(),
        "esc closes the help, not the reader"
    );
    assert_eq!(m.overlay, None);
}

#[test]
fn r_refreshes_the_selected_feed_and_capital_r_all() {
    let mut m = model();
    m.feed_cursor = 4;
    let commands = key(&mut m, "r");
    assert_eq!(
        commands,
        vec![Command::Refresh(vec![RefreshTarget {
            feed_id: 2,
            url: "http://127.0.0.1/2.xml".into()
        }])]
    );
    let commands = key(&mut m, "R");
    assert!(commands.is_empty(), "one refresh at a time");
    assert_eq!(m.message.as_deref(), Some("a refresh is already running"));
    m.refresh = None;
    let commands = key(&mut m, "R");
    assert!(matches!(&commands[..], [Command::Refresh(t)] if t.len() == 3));
}

#[test]
fn refresh_events_update_progress_errors_and_reload() {
    let mut m = in_list(vec![item(0, 1, false)]);
    update(&mut m, Msg::Refresh(RefreshEvent::Started { total: 3 }));
    update(
        &mut m,
        Msg::Refresh(RefreshEvent::FeedDone {
            feed_id: 2,
            url: "http://x/2".into(),
            outcome: FeedOutcome::Failed(
                crate::fetch::FetchError::Status {
                    status: reqwest::StatusCode::INTERNAL_SERVER_ERROR,
                }
                .into(),
            ),
            done: 1,
            total: 3,
        }),
    );
    assert_eq!(m.refresh.unwrap().done, 1);
    assert!(m.last_error.as_deref().unwrap().contains("HTTP 500"));
    update(
        &mut m,
        Msg::Refresh(RefreshEvent::FeedDone {
            feed_id: 1,
            url: "http://x/1".into(),
            outcome: FeedOutcome::Updated(UpdateStats {
                new_items: 2,
                changed_items: 0,
                ignored_items: 0,
            }),
            done: 2,
            total: 3,
        }),
    );
    assert!(m.stale);
    let commands = update(
        &mut m,
        Msg::Tick {
            now: 10,
            utc_offset: 0,
        },
    );
    assert!(commands.contains(&Command::Db(DbRequest::LoadFeeds)));
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::Db(DbRequest::LoadItems { .. })))
    );
    assert_eq!(
        m.list().unwrap().rows.len(),
        1,
        "rows stay on screen while the list is read again"
    );
    let commands = update(
        &mut m,
        Msg::Refresh(RefreshEvent::Finished(RefreshSummary {
            feeds: 3,
            updated: 1,
            unchanged: 1,
            failed: 1,
            disk_full: 0,
            new_items: 2,
            ignored: 0,
        })),
    );
    assert!(m.refresh.is_none());
    assert!(commands.contains(&Command::Db(DbRequest::LoadFeeds)));
    assert!(m.message.as_deref().unwrap().contains("2 new"));
}

#[test]
fn a_refresh_that_filled_the_disk_says_so_instead_of_the_totals() {
    let mut m = model();
    key(&mut m, "R");
    update(
        &mut m,
        Msg::Refresh(RefreshEvent::Finished(RefreshSummary {
            feeds: 3,
            updated: 1,
            failed: 2,
            disk_full: 2,
            ..RefreshSummary::default()
        })),
    );
    assert_eq!(
        m.message.as_deref(),
        Some("the disk is full: 2 feeds fetched but not stored; free some space and refresh again")
    );
}

#[test]
fn refresh_failing_to_start_clears_progress() {
    let mut m = model();
    key(&mut m, "R");
    update(&mut m, Msg::RefreshFailed("no network".into()));
    assert!(m.refresh.is_none());
    assert!(m.last_error.as_deref().unwrap().contains("no network"));
}

#[test]
fn refresh_interval_fires_on_tick() {
    let mut m = model();
    m.refresh_interval_minutes = 1;
    assert!(
        update(
            &mut m,
            Msg::Tick {
                now: 1000,
                utc_offset: 0
            }
        )
        .is_empty()
    );
    assert!(
        update(
            &mut m,
            Msg::Tick {
                now: 1030,
                utc_offset: 0
            }
        )
        .is_empty()
    );
    let commands = update(
        &mut m,
        Msg::Tick {
            now: 1061,
            utc_offset: 0,
        },
    );
    assert!(matches!(&commands[..], [Command::Refresh(_)]));
}

/// Regression (QA T18): `R` in `khabar --demo` fetched the sample feeds' made-up
/// addresses and marked every feed failed.
#[test]
fn the_demo_does_not_refresh() {
    let mut m = model();
    m.offline = true;
    for k in ["r", "R"] {
        assert!(key(&mut m, k).is_empty());
        assert_eq!(
            m.message.as_deref(),
            Some("the demo is offline: nothing to refresh")
        );
    }
    assert!(m.refresh.is_none());
}

/// Regression (QA T19): a first start showed every feed at 0/0 with no word on
/// how to fetch them. Issue 12: the one line also names the other ways in.
#[test]
fn a_first_start_says_how_to_fetch() {
    let mut m = Model::new(
        Keymap::default(),
        LayoutOptions::default(),
        DateStyle::default(),
    );
    let loaded = |feeds| Msg::FeedsLoaded {
        newest: i64::MAX,
        feeds,
        unread: 0,
        starred: Default::default(),
        tags: Vec::new(),
    };
    update(
        &mut m,
        loaded(vec![feed(1, "One", 0, 0), feed(2, "Two", 0, 0)]),
    );
    assert_eq!(
        m.message.as_deref(),
        Some("first start: R fetches these feeds; or khabar add URL, import FILE, --demo")
    );
    // Not once something was fetched, and only on the first load.
    let mut fetched = Model::new(
        Keymap::default(),
        LayoutOptions::default(),
        DateStyle::default(),
    );
    update(&mut fetched, loaded(vec![feed(1, "One", 0, 3)]));
    assert_eq!(fetched.message, None);
    m.message = None;
    update(&mut m, loaded(vec![feed(1, "One", 0, 0)]));
    assert_eq!(m.message, None);
}

/// Offline, `R` put `http://…/long.xml: connection refused` on the status line;
/// back online, `R` refreshed every feed without a failure and the status line
/// still said the feed could not be reached, on every screen, until quit.
#[test]
fn a_feed_error_from_the_last_refresh_goes_when_a_new_refresh_starts() {
    let failed = |url: &str| {
        Msg::Refresh(RefreshEvent::FeedDone {
            feed_id: 2,
            url: url.into(),
            outcome: FeedOutcome::Failed(
                crate::fetch::FetchError::Status {
                    status: reqwest::StatusCode::INTERNAL_SERVER_ERROR,
                }
                .into(),
            ),
            done: 1,
            total: 1,
        })
    };
    let mut m = model();
    update(&mut m, Msg::Refresh(RefreshEvent::Started { total: 1 }));
    update(&mut m, failed("http://x/2"));
    update(
        &mut m,
        Msg::Refresh(RefreshEvent::Finished(RefreshSummary {
            feeds: 1,
            failed: 1,
            ..RefreshSummary::default()
        })),
    );
    assert!(m.last_error.as_deref().unwrap().contains("HTTP 500"));
    // The next refresh: the old failure is no longer news.
    update(&mut m, Msg::Refresh(RefreshEvent::Started { total: 1 }));
    assert_eq!(m.last_error, None);
    // A failure of this refresh is shown again.
    update(&mut m, failed("http://x/3"));
    assert!(m.last_error.as_deref().unwrap().contains("http://x/3"));
    // An error that is not a feed's (the database) stays through a refresh.
    m.last_error = Some("database: locked".into());
    update(&mut m, Msg::Refresh(RefreshEvent::Started { total: 1 }));
    assert_eq!(m.last_error.as_deref(), Some("database: locked"));
    // A refresh that could not start is a refresh's error too: the next one clears it.
    update(&mut m, Msg::RefreshFailed("no network".into()));
    update(&mut m, Msg::Refresh(RefreshEvent::Started { total: 1 }));
    assert_eq!(m.last_error, None);
}
