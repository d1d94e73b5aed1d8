//! A headline list read again where it is: after a refresh or a sync, and when
//! another process (a cron `khabar refresh`, `khabar mark-read` from a script)
//! changed the database. Only the window is read again, not the list, so it
//! costs the same at 500,000 items as at 500. The user keeps their place: the
//! selected item by its id, on the same screen row; the old rows stay on
//! screen until the new ones replace them. In an unread-only list, an item the
//! user read there stays (shown read) until they leave the list, as it does
//! while nothing reloads.

use crate::store::{ItemId, ItemRow};

use super::list::{HeadlineList, MAX_LIMIT, PAGE};
use super::msg::{Command, WindowRequest};
use super::source::ListSource;

impl HeadlineList {
    /// Reads the list again under a new `generation`: its count, and its window
    /// from the same first row (or from the top when it is at the top, so new
    /// items show). Returns the commands to send.
    pub fn reload(&mut self, generation: u64) -> Vec<Command> {
        let fresh = HeadlineList::new(self.source.clone(), self.query.clone(), generation);
        let old = std::mem::replace(self, fresh);
        self.anchor = old.selected().map(|r| r.id);
        self.kept = if old.query.unread_only {
            old.rows.iter().filter(|r| r.read).cloned().collect()
        } else {
            Vec::new()
        };
        self.total = old.total;
        self.cursor = old.cursor;
        self.scroll = old.scroll;
        self.start = old.start;
        self.seek = old.seek;
        // Until the reload's first answer, what the screen shows is the old one's.
        self.bound = old.bound;
        let limit = old.rows.len().clamp(PAGE, MAX_LIMIT);
        let request = match old.rows.first() {
            _ if self.ranked() => WindowRequest::Ranked(old.start),
            Some(first) if old.start > 0 => WindowRequest::From(first.cursor()),
            _ => {
                self.start = 0;
                WindowRequest::Top
            }
        };
        // Old rows stay on screen until the new window replaces them.
        self.rows = old.rows;
        let load = self.load(request, limit);
        match self.source {
            ListSource::Search(_) => vec![load, self.count_command()],
            _ => vec![self.count_command(), load],
        }
    }

    /// An answer of this generation (count or rows) was read with `newest` the
    /// newest item id: the bound becomes the lowest of them, since an item
    /// above any of them may be missing from what that answer showed; the
    /// first answer after a reload replaces the old generation's bound.
    pub fn loaded_under(&mut self, newest: ItemId) {
        self.bound = match self.bound {
            Some(bound) if self.bound_current => Some(bound.min(newest)),
            _ => Some(newest),
        };
        self.bound_current = true;
    }

    /// The list's count from the database, plus the read rows kept in it.
    pub fn set_count(&mut self, counted: u64) {
        self.counted = Some(counted);
        self.total = Some(counted + self.kept_extra);
    }

    /// After a reload's window arrived: the cursor back on the item it was on,
    /// on the same screen row as far as the list allows.
    pub(super) fn restore_anchor(&mut self) {
        let Some(anchor) = self.anchor.take() else {
            return;
        };
        if let Some(i) = self.rows.iter().position(|r| r.id == anchor) {
            let row = self.cursor.saturating_sub(self.scroll);
            self.cursor = self.start + i as u64;
            self.scroll = self.cursor.saturating_sub(row);
        }
    }

    /// Puts back the rows the user read in an unread-only list that the
    /// reload's window no longer has (the database lists only unread items),
    /// in date order, within the window's range (`complete`: the window reaches
    /// the list's end).
    pub(super) fn merge_kept(&mut self, complete: bool) {
        let kept = std::mem::take(&mut self.kept);
        if kept.is_empty() {
            return;
        }
        let last = self.rows.last().map(ItemRow::cursor);
        let mut merged = 0;
        for row in kept {
            if self.rows.iter().any(|r| r.id == row.id)
                || (!complete && last.is_some_and(|last| row.cursor() < last))
            {
                continue;
            }
            let at = self
                .rows
                .iter()
                .position(|r| r.cursor() < row.cursor())
                .unwrap_or(self.rows.len());
            self.rows.insert(at, row);
            merged += 1;
        }
        self.kept_extra = merged;
        if let Some(counted) = self.counted {
            self.total = Some(counted + merged);
        }
    }
}
