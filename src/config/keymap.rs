//! The keymap: which key does which [`Action`]. Defaults ship here; the config's
//! `[keys]` table (action name -> key or keys) replaces an action's keys. A key
//! bound by the user is taken away from whatever action had it by default.
//!
//! Pure: keys are crossterm's plain data types, nothing touches the terminal.
//! It lives with the config because the `[keys]` table is part of the config
//! file: loading a config checks every binding here (so every command reports a
//! bad one, at its line), and the reader builds its [`Keymap`] from the result.

use std::collections::BTreeMap;

use super::KeySpec;
pub use super::key::{Edit, Key};

/// Everything a key can ask the reader to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Move the cursor down.
    Down,
    /// Move the cursor up.
    Up,
    /// Go to the top.
    Top,
    /// Go to the bottom.
    Bottom,
    /// One page down.
    PageDown,
    /// One page up.
    PageUp,
    /// Half a page down.
    HalfPageDown,
    /// Half a page up.
    HalfPageUp,
    /// Open the list or article under the cursor.
    Open,
    /// Go back (quits from the feed list).
    Back,
    /// Quit the reader.
    Quit,
    /// Refresh the feed (or tag) in view.
    Refresh,
    /// Refresh every feed.
    RefreshAll,
    /// Next unread item, across feeds.
    NextUnread,
    /// Previous unread item.
    PrevUnread,
    /// From a list or an article: the next feed's headlines (newsboat's `next-feed`).
    NextFeed,
    /// From a list or an article: the previous feed's headlines (newsboat's `prev-feed`).
    PrevFeed,
    /// The next feed with unread items, wrapping (newsboat's `next-unread-feed`).
    NextUnreadFeed,
    /// The previous feed with unread items, wrapping (newsboat's `prev-unread-feed`).
    PrevUnreadFeed,
    /// Toggle the item's read mark.
    ToggleRead,
    /// Mark everything in the list read.
    MarkAllRead,
    /// Toggle the item's star.
    ToggleStarred,
    /// Open the item's link (or link N) in the browser.
    OpenInBrowser,
    /// Copy the link (or link N) with OSC 52.
    CopyLink,
    /// Show only unread items, or everything.
    ToggleUnreadOnly,
    /// Switch the article between the feed's text and the full text of its page.
    ToggleFulltext,
    /// Show the help overlay.
    Help,
    /// Suspend to the shell (Ctrl-Z).
    Suspend,
    /// Opens the search line (issue 9).
    Search,
    /// Opens the tag picker (issue 9).
    Tags,
    /// Saves the search shown as a view (issue 9).
    SaveView,
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
    // newsboat's keys: J/K (j/k move, so the capitals were free), ^N/^P.
    (
        Action::NextFeed,
        "next_feed",
        "in a list or article: the next feed's (tag's, view's) list",
        &["J"],
    ),
    (
        Action::PrevFeed,
        "prev_feed",
        "in a list or article: the previous feed's (tag's, view's) list",
        &["K"],
    ),
    (
        Action::NextUnreadFeed,
        "next_unread_feed",
        "the next feed with unread items (wraps around)",
        &["ctrl-n"],
    ),
    (
        Action::PrevUnreadFeed,
        "prev_unread_feed",
        "the previous feed with unread items (wraps around)",
        &["ctrl-p"],
    ),
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
    (
        Action::Tags,
        "tags",
        "pick a tag (every tag with its counts; type to narrow)",
        &["t"],
    ),
    (
        Action::SaveView,
        "save_view",
        "save this search as a view (listed first on the feed screen)",
        &["S"],
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

    /// What it does, for the help screen.
    pub fn description(self) -> &'static str {
        ACTIONS.iter().find(|a| a.0 == self).map_or("", |a| a.2)
    }

    /// The keys the action has when `[keys]` does not name it.
    pub fn default_keys(self) -> &'static [&'static str] {
        ACTIONS.iter().find(|a| a.0 == self).map_or(&[], |a| a.3)
    }

    /// The action a `[keys]` name stands for.
    pub fn from_name(name: &str) -> Option<Action> {
        ACTIONS.iter().find(|a| a.1 == name).map(|a| a.0)
    }
}

/// A binding in the config that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    /// No action has this name.
    #[error("[keys] {action}: unknown action{hint} (known: {known})")]
    UnknownAction {
        /// The name as written.
        action: String,
        /// `, did you mean "open"?` for a near miss, else empty.
        hint: String,
        /// Every action name, for the message.
        known: String,
    },
    /// A key name khabar does not know.
    #[error(
        "[keys] {action} = \"{key}\": not a key (use e.g. \"j\", \"G\", \"space\", \"enter\", \"pagedown\", \"f1\", \"ctrl-d\")"
    )]
    BadKey {
        /// The action it was bound to.
        action: String,
        /// The text that is not a key.
        key: String,
    },
    /// The action with an empty list.
    #[error("[keys] {action}: no keys given")]
    Empty {
        /// The action.
        action: String,
    },
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
        action: super::schema::shown(name),
        hint: match super::newsboat_names::action(name) {
            Some(ours) => format!(", did you mean \"{ours}\" (newsboat's {name})?"),
            None => closest_action(name)
                .map(|best| format!(", did you mean \"{best}\"?"))
                .unwrap_or_default(),
        },
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
            key: super::schema::shown(text),
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

    /// Takes `key` from whatever action has it (a user command has it instead).
    pub fn release(&mut self, key: Key) {
        self.bindings.remove(&key);
        self.order.retain(|k| *k != key);
    }

    /// The action `key` is bound to, if any.
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
#[path = "keymap_tests.rs"]
mod tests;
