//! Tests of the keymap (`keymap.rs`): defaults, rebinding, names and the help rows.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;

fn key(s: &str) -> Key {
    Key::parse(s).unwrap()
}

#[test]
fn defaults_cover_the_issue_keys() {
    let map = Keymap::default();
    assert_eq!(map.action(key("j")), Some(Action::Down));
    assert_eq!(map.action(key("down")), Some(Action::Down));
    assert_eq!(map.action(key("G")), Some(Action::Bottom));
    assert_eq!(map.action(key("g")), Some(Action::Top));
    assert_eq!(map.action(key("ctrl-d")), Some(Action::HalfPageDown));
    assert_eq!(map.action(key("space")), Some(Action::PageDown));
    assert_eq!(map.action(key("Q")), Some(Action::Quit));
    assert_eq!(map.action(key("q")), Some(Action::Back));
    assert_eq!(map.action(key("?")), Some(Action::Help));
}

#[test]
fn t13_ctrl_c_quits_by_default() {
    let map = Keymap::default();
    assert_eq!(map.action(key("ctrl-c")), Some(Action::Quit));
    assert_eq!(map.first_key(Action::Quit), Some(key("Q")));
}

#[test]
fn uppercase_event_with_shift_is_the_uppercase_key() {
    let event = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(Key::from_event(&event), Some(key("G")));
    let event = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
    assert_eq!(Key::from_event(&event), Some(key("ctrl-d")));
    assert_eq!(Key::from_event(&event), Some(key("Ctrl-D")));
}

#[test]
fn config_rebinding_replaces_and_steals_keys() {
    let mut keys = BTreeMap::new();
    keys.insert(
        "open".to_string(),
        KeySpec::Many(vec!["enter".into(), "o".into()]),
    );
    let map = Keymap::from_config(&keys).unwrap();
    assert_eq!(map.action(key("o")), Some(Action::Open));
    assert_eq!(map.action(key("l")), None);
    assert!(map.keys_for(Action::OpenInBrowser).is_empty());
}

#[test]
fn bad_action_and_bad_key_are_named() {
    let mut keys = BTreeMap::new();
    keys.insert("opne".to_string(), KeySpec::One("x".into()));
    let err = Keymap::from_config(&keys).unwrap_err().to_string();
    assert!(
        err.contains("opne") && err.contains("unknown action"),
        "{err}"
    );

    let mut keys = BTreeMap::new();
    keys.insert("open".to_string(), KeySpec::One("ctrl-enterr".into()));
    let err = Keymap::from_config(&keys).unwrap_err().to_string();
    assert!(err.contains("open") && err.contains("ctrl-enterr"), "{err}");
}

#[test]
fn t8_unknown_action_suggests_the_closest_name() {
    let mut keys = BTreeMap::new();
    keys.insert("opne".to_string(), KeySpec::One("x".into()));
    let err = Keymap::from_config(&keys).unwrap_err().to_string();
    assert!(
        err.starts_with("[keys] opne: unknown action, did you mean \"open\"?"),
        "{err}"
    );
    let mut keys = BTreeMap::new();
    keys.insert("refresh_al".to_string(), KeySpec::One("x".into()));
    let err = Keymap::from_config(&keys).unwrap_err().to_string();
    assert!(err.contains("did you mean \"refresh_all\"?"), "{err}");
    // Nothing close: no guess, the list of actions.
    let mut keys = BTreeMap::new();
    keys.insert("zzz".to_string(), KeySpec::One("x".into()));
    let err = Keymap::from_config(&keys).unwrap_err().to_string();
    assert!(
        !err.contains("did you mean") && err.contains("known: down"),
        "{err}"
    );
}

#[test]
fn t3_first_key_is_the_one_the_binding_lists_first() {
    let map = Keymap::default();
    assert_eq!(map.first_key(Action::Back), Some(key("q")));
    assert_eq!(map.first_key(Action::Open), Some(key("enter")));
    let mut keys = BTreeMap::new();
    keys.insert(
        "back".to_string(),
        KeySpec::Many(vec!["x".into(), "esc".into()]),
    );
    keys.insert("help".to_string(), KeySpec::One("f2".into()));
    keys.insert(
        "quit".to_string(),
        KeySpec::Many(vec!["q".into(), "?".into()]),
    );
    let map = Keymap::from_config(&keys).unwrap();
    assert_eq!(map.keys_for(Action::Back), vec![key("x"), key("esc")]);
    assert_eq!(map.first_key(Action::Help), Some(key("f2")));
    assert_eq!(map.first_key(Action::Quit), Some(key("q")));
    assert_eq!(map.first_key(Action::Suspend), Some(key("ctrl-z")));
}

#[test]
fn key_names_round_trip() {
    for text in ["j", "G", "space", "enter", "ctrl-d", "f1", "pagedown", "?"] {
        assert_eq!(key(text).to_string(), text);
    }
}

#[test]
fn help_lists_every_action_with_live_keys() {
    let mut keys = BTreeMap::new();
    keys.insert("quit".to_string(), KeySpec::One("x".into()));
    let rows = Keymap::from_config(&keys).unwrap().help_rows();
    assert_eq!(rows.len(), Action::all().count());
    assert!(rows.contains(&("x".to_string(), "quit")));
}
