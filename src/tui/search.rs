//! The search line (`/`): a line of text typed at the bottom of the screen whose
//! query, once it has two or more characters and parses, replaces the list with
//! its matches (best first, as `khabar search` orders them; newest first with
//! `sort:date` or without words), re-run on every key. A newer query replaces an
//! older one (its list generation makes the older answers stale, and the
//! database worker drops older requests still queued), so the screen never waits
//! on the index. Enter opens the selected match; Esc closes the line.
//!
//! Editing is by character in logical order: Backspace removes the character
//! before the cursor (the last one typed), and the arrows step one character in
//! the direction they point on screen, so in a right-to-left line Left moves
//! forward through the text. Ctrl-W, Ctrl-U and Ctrl-K delete the word before
//! the cursor, all before it and all after it, also in logical order (the word
//! typed last, whichever way the line reads).

use crate::config::keymap::{Action, Edit};
use crate::query::{ParseError, Query, parse};

/// Shortest query that runs while typing.
const MIN_CHARS: usize = 2;

/// The search line being typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchPrompt {
    /// The text in logical order.
    pub text: String,
    /// Byte offset of the cursor in `text` (always on a character boundary).
    pub cursor: usize,
    /// Why the text is not a query, with its column.
    pub error: Option<ParseError>,
}

impl SearchPrompt {
    /// A line holding `text`, the cursor at its end.
    pub fn with_text(text: String) -> SearchPrompt {
        SearchPrompt {
            cursor: text.len(),
            text,
            error: None,
        }
    }

    fn insert(&mut self, c: char) {
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    fn backspace(&mut self) {
        if let Some(c) = self.text[..self.cursor].chars().next_back() {
            self.cursor -= c.len_utf8();
            self.text.remove(self.cursor);
        }
    }

    fn delete(&mut self) {
        if self.cursor < self.text.len() {
            self.text.remove(self.cursor);
        }
    }

    /// Ctrl-W: the spaces before the cursor, then the word before them.
    fn delete_word_back(&mut self) {
        let before = &self.text[..self.cursor];
        let word_end = before.trim_end().len();
        let start = before[..word_end]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    fn forward(&mut self) {
        if let Some(c) = self.text[self.cursor..].chars().next() {
            self.cursor += c.len_utf8();
        }
    }

    fn backward(&mut self) {
        if let Some(c) = self.text[..self.cursor].chars().next_back() {
            self.cursor -= c.len_utf8();
        }
    }

    /// Whether the line reads right to left (its first strong character).
    fn rtl(&self) -> bool {
        crate::text::cursor::edit_line(&self.text, self.cursor, u16::MAX).rtl
    }
}

/// What an edit did, for `update` to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditOutcome {
    /// The text changed: run the query again.
    Changed,
    /// Only the cursor moved.
    Moved,
    /// Up or Down: move through the results.
    Move(Action),
    /// Enter: open the selected result.
    Open,
    /// Esc: close the line.
    Close,
}

impl SearchPrompt {
    /// Applies one edit.
    pub fn apply(&mut self, edit: Edit) -> EditOutcome {
        let rtl = self.rtl();
        match edit {
            Edit::Insert(c) => self.insert(c),
            Edit::Backspace => self.backspace(),
            Edit::Delete => self.delete(),
            Edit::DeleteWordBack => self.delete_word_back(),
            Edit::DeleteToStart => {
                self.text.replace_range(..self.cursor, "");
                self.cursor = 0;
            }
            Edit::DeleteToEnd => self.text.truncate(self.cursor),
            Edit::Left if rtl => self.forward(),
            Edit::Left => self.backward(),
            Edit::Right if rtl => self.backward(),
            Edit::Right => self.forward(),
            Edit::Home => self.cursor = 0,
            Edit::End => self.cursor = self.text.len(),
            Edit::Up => return EditOutcome::Move(Action::Up),
            Edit::Down => return EditOutcome::Move(Action::Down),
            Edit::Cancel => return EditOutcome::Close,
            Edit::Enter => return EditOutcome::Open,
        }
        match edit {
            Edit::Left | Edit::Right | Edit::Home | Edit::End => EditOutcome::Moved,
            _ => EditOutcome::Changed,
        }
    }

    /// The query the line holds, once it is long enough: `None` while shorter
    /// than two characters, else the parse (an error's column counts from the
    /// start of the line).
    pub fn query(&self) -> Option<Result<Query, ParseError>> {
        let text = self.text.trim();
        if text.chars().count() < MIN_CHARS {
            return None;
        }
        let lead = self.text[..self.text.len() - self.text.trim_start().len()]
            .chars()
            .count();
        Some(parse(text).map_err(|error| ParseError {
            column: error.column + lead,
            ..error
        }))
    }
}
