//! `R` (refresh all) and the quit keys (`Q`, Ctrl-C) on every screen and
//! overlay of the reader, one table: each state is built, then each key is
//! pressed on a fresh copy of it. Where letters are text (the search line, the
//! tag picker's filter) `R` and `Q` are typed, Ctrl-C still quits and Esc
//! closes; everywhere else `R` refreshes every feed and `Q`/Ctrl-C quit.

use super::articles::open_long_article;
use super::*;

/// How a state takes letters.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Letters {
    /// Letters are keys: `R` refreshes, `Q` quits.
    Keys,
    /// As `Keys`, but `R` waits for the feed list it refreshes (the feeds are
    /// not known yet) and acts when it arrives.
    KeysOnceFeedsLoad,
    /// Letters are typed into a line.
    Text,
}

/// Every screen and overlay, by name, with how it takes letters.
fn states() -> Vec<(&'static str, Letters, Model)> {
    let rows = || vec![item(0, 1, false), item(1, 1, false)];
    let mut out = Vec::new();

    out.push(("feeds", Letters::Keys, model()));

    let mut m = model();
    m.feeds_loaded = false;
    m.feeds.clear();
    out.push(("feeds, still loading", Letters::KeysOnceFeedsLoad, m));

    let mut m = model();
    m.message = Some("a confirmation".into());
    m.last_error = Some("an error".into());
    out.push(("feeds with a message and an error", Letters::Keys, m));

    let mut m = model();
    key(&mut m, "3");
    out.push(("feeds with a count typed", Letters::Keys, m));

    out.push(("headlines", Letters::Keys, in_list(rows())));

    let mut m = model();
    m.feed_cursor = 3;
    key(&mut m, "enter");
    out.push(("headlines, still loading", Letters::Keys, m));

    let mut m = in_list(rows());
    open_long_article(&mut m);
    out.push(("article", Letters::Keys, m));

    let mut m = in_list(rows());
    key(&mut m, "enter");
    out.push(("article, still loading", Letters::Keys, m));

    let mut m = model();
    key(&mut m, "?");
    out.push(("help over feeds", Letters::Keys, m));

    let mut m = in_list(rows());
    open_long_article(&mut m);
    key(&mut m, "?");
    out.push(("help over an article", Letters::Keys, m));

    let mut m = model();
    key(&mut m, "/");
    out.push(("search line on feeds", Letters::Text, m));

    let mut m = in_list(rows());
    key(&mut m, "/");
    key(&mut m, "a");
    out.push(("search line over a list", Letters::Text, m));

    let mut m = model();
    key(&mut m, "t");
    out.push(("tag picker", Letters::Text, m));

    out
}

/// The feed list `model()` starts with, arriving.
fn loaded_feeds() -> Msg {
    Msg::FeedsLoaded {
        newest: i64::MAX,
        feeds: vec![
            feed(1, "One", 2, 3),
            feed(2, "Two", 1, 2),
            feed(3, "Three", 0, 1),
        ],
        unread: 3,
        starred: Default::default(),
        tags: Vec::new(),
    }
}

fn refreshes_all(commands: &[Command]) -> bool {
    commands.iter().any(|c| match c {
        Command::Refresh(targets) => targets.len() == 3,
        _ => false,
    })
}

fn quits(commands: &[Command]) -> bool {
    commands.contains(&Command::Quit)
}

/// The text of the open line: the search line's or the tag picker's filter.
fn line_text(m: &Model) -> Option<String> {
    m.search
        .as_ref()
        .map(|s| s.text.clone())
        .or_else(|| m.tag_picker.as_ref().map(|p| p.filter.text.clone()))
}

#[test]
fn r_refreshes_all_and_q_and_ctrl_c_quit_on_every_screen() {
    let mut failures = Vec::new();
    for (name, letters, state) in states() {
        let mut m = state.clone();
        let before = line_text(&m).unwrap_or_default();
        let mut commands = key(&mut m, "R");
        if letters == Letters::KeysOnceFeedsLoad {
            commands.extend(update(&mut m, loaded_feeds()));
        }
        match letters {
            Letters::Keys | Letters::KeysOnceFeedsLoad if !refreshes_all(&commands) => {
                failures.push(format!("{name}: R did not refresh all: {commands:?}"));
            }
            Letters::Text
                if refreshes_all(&commands) || line_text(&m) != Some(before.clone() + "R") =>
            {
                failures.push(format!("{name}: R was not typed: {commands:?}"));
            }
            _ => {}
        }

        let mut m = state.clone();
        let commands = key(&mut m, "Q");
        match letters {
            Letters::Keys | Letters::KeysOnceFeedsLoad if !quits(&commands) => {
                failures.push(format!("{name}: Q did not quit: {commands:?}"));
            }
            Letters::Text if quits(&commands) || line_text(&m) != Some(before.clone() + "Q") => {
                failures.push(format!("{name}: Q was not typed: {commands:?}"));
            }
            _ => {}
        }

        let mut m = state.clone();
        let commands = key(&mut m, "ctrl-c");
        if !quits(&commands) {
            failures.push(format!("{name}: Ctrl-C did not quit: {commands:?}"));
        }

        if letters == Letters::Text {
            let mut m = state.clone();
            key(&mut m, "esc");
            if line_text(&m).is_some() {
                failures.push(format!("{name}: Esc did not close the line"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A quit key bound to something that is not a letter (here F10 beside the
/// defaults) quits from the lines too; a refresh key that is not a letter
/// refreshes from them.
#[test]
fn keys_that_are_not_letters_act_from_the_lines_too() {
    let keymap = Keymap::from_config(&std::collections::BTreeMap::from([
        (
            "quit".to_string(),
            crate::config::KeySpec::Many(vec!["Q".into(), "ctrl-c".into(), "f10".into()]),
        ),
        (
            "refresh_all".to_string(),
            crate::config::KeySpec::Many(vec!["R".into(), "f5".into()]),
        ),
    ]))
    .unwrap();
    for (name, letters, state) in states() {
        if letters != Letters::Text {
            continue;
        }
        let mut m = state.clone();
        m.keymap = keymap.clone();
        assert!(quits(&key(&mut m, "f10")), "{name}: F10");
        let mut m = state.clone();
        m.keymap = keymap.clone();
        assert!(refreshes_all(&key(&mut m, "f5")), "{name}: F5");
    }
}
