//! One key with its modifiers, as the config's `[keys]` table names it (`j`, `G`,
//! `space`, `ctrl-d`, `f1`) and as a terminal event reports it, normalised so the
//! two compare equal. Pure: crossterm's event types are plain data here.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
    /// Removes the word before the cursor and the spaces after it (Ctrl-W).
    DeleteWordBack,
    /// Removes everything before the cursor (Ctrl-U).
    DeleteToStart,
    /// Removes everything after the cursor (Ctrl-K).
    DeleteToEnd,
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
    /// Alt (they keep their actions: Ctrl-C quits) and keys that do nothing there,
    /// but for the line-editing keys of readline and every shell: Ctrl-A and
    /// Ctrl-E to the start and end, Ctrl-W, Ctrl-U and Ctrl-K to delete a word,
    /// the start, the end. In a line, those mean that and nothing else.
    pub fn edit(self) -> Option<Edit> {
        if self.ctrl && !self.alt {
            return match self.code {
                KeyCodeOrd::Char('a') => Some(Edit::Home),
                KeyCodeOrd::Char('e') => Some(Edit::End),
                KeyCodeOrd::Char('w') => Some(Edit::DeleteWordBack),
                KeyCodeOrd::Char('u') => Some(Edit::DeleteToStart),
                KeyCodeOrd::Char('k') => Some(Edit::DeleteToEnd),
                _ => None,
            };
        }
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
