//! The keymap: which key does which [`Action`]. Defaults ship here; the config's
//! `[keys]` table (action name -> key or keys) replaces an action's keys. A key
//! bound by the user is taken away from whatever action had it by default.
//!
//! Pure: keys are crossterm's plain data types, nothing touches the terminal.
//! It lives with the config because the `[keys]` table is part of the config
//! file: loading a config checks every binding here (so every command reports a
//! bad one, at its line), and the reader builds its [`Keymap`] from the result.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::KeySpec;

/// Everything a key can ask the reader to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Down,
    Up,
    Top,
    Bottom,
    PageDown,
    PageUp,
    HalfPageDown,
    HalfPageUp,
    Open,
    Back,
    Quit,
    Refresh,
    RefreshAll,
    NextUnread,
    PrevUnread,
    ToggleRead,
    MarkAllRead,
    ToggleStarred,
    OpenInBrowser,
    CopyLink,
    ToggleUnreadOnly,
    ToggleFulltext,
    Help,
    Suspend,
    /// Opens the search line (issue 9).
    Search,
}

/// Name in the config, what it does (for the help screen), default keys.
const ACTIONS: &[(Action, &str, &str, &[&str])] = &[
    (Action::Down, "down", "move down", &["j", "down"]),
    (Action::Up, "up", "move up", &["k", "up"]),
    (Action::Top, "top", "go to the top", &["g", "home"]),
    (Action::Bottom, "bottom", "go to the bottom", &["G", "end"]),
    (
        Action::PageDown,
        "page_down",
        "page down",
        &["pagedown", "space"],
    ),
    (Action::PageUp, "page_up", "page up", &["pageup"]),
    (
        Action::HalfPageDown,
        "half_page_down",
        "half a page down",
        &["ctrl-d"],
    ),
    (
        Action::HalfPageUp,
        "half_page_up",
        "half a page up",
        &["ctrl-u"],
    ),
    (Action::Open, "open", "open", &["enter", "l", "right"]),
    (
        Action::Back,
        "back",
        "go back (quit from the feed list)",
        &["q", "esc", "h", "left"],
    ),
    // Ctrl-C is what a newcomer presses to get out (raw mode sends no SIGINT).
    (Action::Quit, "quit", "quit", &["Q", "ctrl-c"]),
    (Action::Refresh, "refresh", "refresh this feed", &["r"]),
    (
        Action::RefreshAll,
        "refresh_all",
        "refresh all feeds",
        &["R"],
    ),
    (
        Action::NextUnread,
        "next_unread",
        "next unread (across feeds)",
        &["n"],
    ),
    (Action::PrevUnread, "prev_unread", "previous unread", &["p"]),
    (Action::ToggleRead, "toggle_read", "toggle read", &["m"]),
    (
        Action::MarkAllRead,
        "mark_all_read",
        "mark everything in this list read",
        &["A"],
    ),
    (
        Action::ToggleStarred,
        "toggle_starred",
        "toggle starred",
        &["s"],
    ),
    (
        Action::OpenInBrowser,
        "open_in_browser",
        "open the link in the browser (N o: link N)",
        &["o"],
    ),
    (
        Action::CopyLink,
        "copy_link",
        "copy the link (OSC 52) (N y: link N)",
        &["y"],
    ),
    (
        Action::ToggleUnreadOnly,
        "toggle_unread_only",
        "show only unread / everything",
        &["u"],
    ),
    (
        Action::ToggleFulltext,
        "toggle_fulltext",
        "article: the feed's text / the full text from the page (fetched if needed)",
        &["F"],
    ),
    (Action::Help, "help", "this help", &["?", "f1"]),
    (
        Action::Suspend,
        "suspend",
        "suspend to the shell",
        &["ctrl-z"],
    ),
    (
        Action::Search,
        "search",
        "search (words, \"phrases\", tag:, feed:, is:, after:, before:, -, or)",
        &["/"],
    ),
];

impl Action {
    /// Every action, in help-screen order.
    pub fn all() -> impl Iterator<Item = Action> {
        ACTIONS.iter().map(|a| a.0)
    }

    /// The name used in the config's `[keys]` table.
    pub fn name(self) -> &'static str {
        ACTIONS.iter().find(|a| a.0 == self).map_or("", |a| a.1)
    }

    pub fn description(self) -> &'static str {
        ACTIONS.iter().find(|a| a.0 == self).map_or("", |a| a.2)
    }

    pub fn from_name(name: &str) -> Option<Action> {
        ACTIONS.iter().find(|a| a.1 == name).map(|a| a.0)
    }
}

/// A key with its modifiers, normalised so that `G` and `shift-g` are the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    code: KeyCodeOrd,
    ctrl: bool,
    alt: bool,
}

/// crossterm's `KeyCode` is not `Ord`; the subset a keymap can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeyCodeOrd {
    Char(char),
    F(u8),
    Named(NamedKey),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum NamedKey {
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
}

const NAMED: &[(NamedKey, &str)] = &[
    (NamedKey::Enter, "enter"),
    (NamedKey::Esc, "esc"),
    (NamedKey::Tab, "tab"),
    (NamedKey::BackTab, "backtab"),
    (NamedKey::Backspace, "backspace"),
    (NamedKey::Delete, "delete"),
    (NamedKey::Insert, "insert"),
    (NamedKey::Up, "up"),
    (NamedKey::Down, "down"),
    (NamedKey::Left, "left"),
    (NamedKey::Right, "right"),
    (NamedKey::Home, "home"),
    (NamedKey::End, "end"),
    (NamedKey::PageUp, "pageup"),
    (NamedKey::PageDown, "pagedown"),
];

impl Key {
    /// Parses `j`, `G`, `?`, `space`, `enter`, `pagedown`, `f1`, `ctrl-d`, `alt-x`.
    pub fn parse(text: &str) -> Option<Key> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 2 && lower.starts_with("ctrl-") {
                ctrl = true;
                rest = &rest[5..];
            } else if rest.chars().count() > 2 && lower.starts_with("alt-") {
                alt = true;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => {
                // Ctrl combinations arrive lowercase from terminals.
                KeyCodeOrd::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
            _ => {
                let lower = rest.to_ascii_lowercase();
                if lower == "space" {
                    KeyCodeOrd::Char(' ')
                } else if let Some(named) = NAMED.iter().find(|n| n.1 == lower) {
                    KeyCodeOrd::Named(named.0)
                } else if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    if (1..=24).contains(&n) {
                        KeyCodeOrd::F(n)
                    } else {
                        return None;
                    }
                } else {
                    return None;
                }
            }
        };
        Some(Key { code, ctrl, alt })
    }

    /// The key a terminal event stands for, if a keymap can name it.
    pub fn from_event(event: &KeyEvent) -> Option<Key> {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        let code = match event.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            KeyCode::Enter => KeyCodeOrd::Named(NamedKey::Enter),
            KeyCode::Esc => KeyCodeOrd::Named(NamedKey::Esc),
            KeyCode::Tab => KeyCodeOrd::Named(NamedKey::Tab),
            KeyCode::BackTab => KeyCodeOrd::Named(NamedKey::BackTab),
            KeyCode::Backspace => KeyCodeOrd::Named(NamedKey::Backspace),
            KeyCode::Delete => KeyCodeOrd::Named(NamedKey::Delete),
            KeyCode::Insert => KeyCodeOrd::Named(NamedKey::Insert),
            KeyCode::Up => KeyCodeOrd::Named(NamedKey::Up),
            KeyCode::Down => KeyCodeOrd::Named(NamedKey::Down),
            KeyCode::Left => KeyCodeOrd::Named(NamedKey::Left),
            KeyCode::Right => KeyCodeOrd::Named(NamedKey::Right),
            KeyCode::Home => KeyCodeOrd::Named(NamedKey::Home),
            KeyCode::End => KeyCodeOrd::Named(NamedKey::End),
            KeyCode::PageUp => KeyCodeOrd::Named(NamedKey::PageUp),
            KeyCode::PageDown => KeyCodeOrd::Named(NamedKey::PageDown),
            _ => return None,
        };
        Some(Key { code, ctrl, alt })
    }

    /// A digit typed without modifiers (the count prefix of `3o`).
    pub fn digit(self) -> Option<u32> {
        match self.code {
            KeyCodeOrd::Char(c) if !self.ctrl && !self.alt => c.to_digit(10),
            _ => None,
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCodeOrd::Char(' ') => f.write_str("space"),
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::F(n) => write!(f, "f{n}"),
            KeyCodeOrd::Named(n) => {
                f.write_str(NAMED.iter().find(|x| x.0 == n).map_or("?", |x| x.1))
            }
        }
    }
}

/// What a key does in a line of text being typed (the search line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Types this character.
    Insert(char),
    /// Removes the character before the cursor.
    Backspace,
    /// Removes the character after the cursor.
    Delete,
    /// The left arrow.
    Left,
    /// The right arrow.
    Right,
    /// To the start of the line.
    Home,
    /// To the end of the line.
    End,
    /// The up arrow.
    Up,
    /// The down arrow.
    Down,
    /// Enter.
    Enter,
    /// Esc.
    Cancel,
}

impl Key {
    /// What this key does in a line being typed; `None` for keys with Ctrl or
    /// Alt (they keep their actions: Ctrl-C quits) and keys that do nothing there.
    pub fn edit(self) -> Option<Edit> {
        if self.ctrl || self.alt {
            return None;
        }
        Some(match self.code {
            KeyCodeOrd::Char(c) => Edit::Insert(c),
            KeyCodeOrd::F(_) => return None,
            KeyCodeOrd::Named(named) => match named {
                NamedKey::Enter => Edit::Enter,
                NamedKey::Esc => Edit::Cancel,
                NamedKey::Backspace => Edit::Backspace,
                NamedKey::Delete => Edit::Delete,
                NamedKey::Left => Edit::Left,
                NamedKey::Right => Edit::Right,
                NamedKey::Home => Edit::Home,
                NamedKey::End => Edit::End,
                NamedKey::Up => Edit::Up,
                NamedKey::Down => Edit::Down,
                NamedKey::Tab
                | NamedKey::BackTab
                | NamedKey::Insert
                | NamedKey::PageUp
                | NamedKey::PageDown => return None,
            },
        })
    }
}

/// A binding in the config that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("[keys] {action}: unknown action{hint} (known: {known})")]
    UnknownAction {
        action: String,
        /// `, did you mean "open"?` for a near miss, else empty.
        hint: String,
        known: String,
    },
    #[error(
        "[keys] {action} = \"{key}\": not a key (use e.g. \"j\", \"G\", \"space\", \"enter\", \"pagedown\", \"f1\", \"ctrl-d\")"
    )]
    BadKey { action: String, key: String },
    #[error("[keys] {action}: no keys given")]
    Empty { action: String },
}

/// The action name closest to a misspelt one, when it is close enough to be a
/// typo (the same measure and threshold as the config's unknown keys).
fn closest_action(name: &str) -> Option<&'static str> {
    ACTIONS
        .iter()
        .map(|a| (strsim::jaro_winkler(name, a.1), a.1))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

/// One `[keys]` entry read: the action it names and its keys, in order. Each
/// entry stands alone, so the config check (see `config::schema`) reports a bad
/// one at its line with the same message the keymap would give.
pub fn parse_binding(name: &str, spec: &KeySpec) -> Result<(Action, Vec<Key>), KeymapError> {
    let action = Action::from_name(name).ok_or_else(|| KeymapError::UnknownAction {
        action: name.to_string(),
        hint: closest_action(name)
            .map(|best| format!(", did you mean \"{best}\"?"))
            .unwrap_or_default(),
        known: ACTIONS.iter().map(|a| a.1).collect::<Vec<_>>().join(", "),
    })?;
    let texts: Vec<&str> = match spec {
        KeySpec::One(k) => vec![k.as_str()],
        KeySpec::Many(ks) => ks.iter().map(String::as_str).collect(),
    };
    if texts.is_empty() {
        return Err(KeymapError::Empty {
            action: name.to_string(),
        });
    }
    let mut parsed = Vec::with_capacity(texts.len());
    for text in texts {
        parsed.push(Key::parse(text).ok_or_else(|| KeymapError::BadKey {
            action: name.to_string(),
            key: text.to_string(),
        })?);
    }
    Ok((action, parsed))
}

/// Keys to actions, and back for the help screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: BTreeMap<Key, Action>,
    /// Every bound key in the order it was given (defaults, then the config's),
    /// so an action's first key is the one its binding lists first.
    order: Vec<Key>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        let mut map = Keymap {
            bindings: BTreeMap::new(),
            order: Vec::new(),
        };
        for (action, _, _, keys) in ACTIONS {
            map.bind(*action, keys.iter().filter_map(|k| Key::parse(k)));
        }
        map
    }
}

impl Keymap {
    /// The defaults with the config's `[keys]` table applied.
    pub fn from_config(keys: &BTreeMap<String, KeySpec>) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::default();
        for (name, spec) in keys {
            let (action, parsed) = parse_binding(name, spec)?;
            map.bindings.retain(|_, a| *a != action);
            map.bind(action, parsed);
        }
        Ok(map)
    }

    /// Binds `keys` to `action` (taking them from other actions), in this order.
    fn bind(&mut self, action: Action, keys: impl IntoIterator<Item = Key>) {
        for key in keys {
            self.bindings.insert(key, action);
            self.order.retain(|k| *k != key);
            self.order.push(key);
        }
    }

    pub fn action(&self, key: Key) -> Option<Action> {
        self.bindings.get(&key).copied()
    }

    /// Keys bound to `action`, in the order its binding gives them.
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        self.order
            .iter()
            .filter(|k| self.bindings.get(k) == Some(&action))
            .copied()
            .collect()
    }

    /// The key to name in hints ("?: help"): the action's first key.
    pub fn first_key(&self, action: Action) -> Option<Key> {
        self.order
            .iter()
            .find(|k| self.bindings.get(k) == Some(&action))
            .copied()
    }

    /// One line per action for the help screen: keys, then what it does.
    pub fn help_rows(&self) -> Vec<(String, &'static str)> {
        Action::all()
            .map(|action| {
                let keys = self.keys_for(action);
                let keys = if keys.is_empty() {
                    "(unbound)".to_string()
                } else {
                    keys.iter()
                        .map(Key::to_string)
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                (keys, action.description())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
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
}
