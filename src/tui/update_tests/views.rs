//! The saved views' counts (`[[view]]`) while other processes commit: counted
//! again at most once per `RECOUNT_EVERY` seconds of the clock, once more after
//! the last commit, and at once after the reader's own actions; and "mark all
//! read" on a view's entry bounded by the newest item its counts saw.

use super::*;
use crate::tui::model::View;

/// The feed screen with one view (words: counted through the search index),
/// its first count answered at `now` under `newest`.
fn with_view(now: i64, newest: i64) -> Model {
    let mut m = Model::new(
        Keymap::default(),
        LayoutOptions::default(),
        DateStyle::default(),
    );
    m.views.push(View {
        name: "words".into(),
        query: crate::query::parse("election").unwrap(),
        counts: None,
        newest: 0,
    });
    tick(&mut m, now);
    assert!(counts_views(&feeds_loaded(&mut m, i64::MAX)));
    update(
        &mut m,
        Msg::ViewsCounted {
            counts: vec![(3, 5)],
            newest,
        },
    );
    m
}

fn tick(m: &mut Model, now: i64) -> Vec<Command> {
    update(m, Msg::Tick { now, utc_offset: 0 })
}

fn feeds_loaded(m: &mut Model, newest: i64) -> Vec<Command> {
    update(
        m,
        Msg::FeedsLoaded {
            newest,
            feeds: vec![feed(1, "One", 2, 3)],
            unread: 2,
            starred: Default::default(),
            tags: Vec::new(),
        },
    )
}

fn counts_views(commands: &[Command]) -> bool {
    commands
        .iter()
        .any(|c| matches!(c, Command::Db(DbRequest::CountViews(_))))
}

/// Another process's commit: the reload's feed counts arrive; whether the
/// views are counted with them.
fn commit_elsewhere(m: &mut Model) -> bool {
    let commands = update(m, Msg::DatabaseChanged);
    assert!(commands.contains(&Command::Db(DbRequest::LoadFeeds)));
    counts_views(&feeds_loaded(m, i64::MAX))
}

/// A sync commits every second: the views were counted at every commit (0.7 s
/// of CPU each at a million items). Now at most once per ten seconds, and the
/// last commit is always followed by a count (from the clock).
#[test]
fn commits_elsewhere_recount_the_views_at_most_every_ten_seconds_and_after_the_last() {
    let mut m = with_view(1_000, 50);
    let mut counted = Vec::new();
    for now in 1_001..=1_025 {
        if counts_views(&tick(&mut m, now)) {
            counted.push(now);
        }
        if commit_elsewhere(&mut m) {
            counted.push(now);
        }
    }
    assert_eq!(counted, [1_010, 1_020]);
    // The commits stop at 1_025: one count after the last, then none.
    for now in 1_026..=1_040 {
        if counts_views(&tick(&mut m, now)) {
            counted.push(now);
        }
    }
    assert_eq!(counted, [1_010, 1_020, 1_030]);
    // A commit after a quiet spell is counted at once.
    tick(&mut m, 1_100);
    assert!(commit_elsewhere(&mut m));
}

/// The reader's own actions are never held back: a mark-all's feed reload,
/// going back to the feed screen and the end of its refresh count the views
/// at once, even right after a commit elsewhere was held back.
#[test]
fn the_readers_own_actions_count_the_views_at_once() {
    let mut m = with_view(1_000, 50);
    tick(&mut m, 1_001);
    assert!(!commit_elsewhere(&mut m));
    let commands = update(&mut m, Msg::MarkedAllRead(2));
    assert_eq!(commands, [Command::Db(DbRequest::LoadFeeds)]);
    assert!(counts_views(&feeds_loaded(&mut m, i64::MAX)));
    // The held-back count was made: the clock adds none.
    assert!(!counts_views(&tick(&mut m, 1_005)));

    tick(&mut m, 1_006);
    assert!(!commit_elsewhere(&mut m));
    m.feed_cursor = 4;
    key(&mut m, "enter");
    let generation = m.list().unwrap().generation;
    update(
        &mut m,
        Msg::ItemsLoaded {
            newest: i64::MAX,
            generation,
            request: WindowRequest::Top,
            limit: PAGE,
            rows: vec![item(0, 1, false)],
        },
    );
    key(&mut m, "q");
    assert!(matches!(m.screen, Screen::Feeds));
    assert!(counts_views(&feeds_loaded(&mut m, i64::MAX)));

    tick(&mut m, 1_007);
    assert!(!commit_elsewhere(&mut m));
    key(&mut m, "R");
    update(
        &mut m,
        Msg::Refresh(RefreshEvent::Finished(RefreshSummary::default())),
    );
    assert!(counts_views(&feeds_loaded(&mut m, i64::MAX)));
}

/// `A` on a view's entry marked up to the feed screen's bound (the newest id
/// when the feeds were read), not the one its own counts were read under: an
/// item that arrived after the view was counted (ten seconds apart while
/// commits are paced) was marked read without ever being counted or shown.
#[test]
fn a_on_a_view_entry_marks_up_to_the_newest_item_its_counts_saw() {
    let mut m = with_view(1_000, 50);
    feeds_loaded(&mut m, 60);
    assert_eq!(m.feed_cursor, 0, "on the view's entry");
    assert_eq!(
        key(&mut m, "A"),
        [Command::Db(DbRequest::MarkSearchRead {
            query: crate::query::parse("election").unwrap(),
            upto: 50,
        })]
    );
    // A feed's entry keeps the feed screen's bound.
    m.feed_cursor = 4;
    assert!(matches!(
        key(&mut m, "A").as_slice(),
        [Command::Db(DbRequest::MarkAllRead { upto: 60, .. })]
    ));
}
