//! A headline list that never holds all its rows: a contiguous window of rows
//! around the cursor, extended at either edge by keyset paging as the cursor
//! approaches it and trimmed at the far edge, plus the total count.

use crate::store::{ItemId, ItemQuery, ItemRow};

use super::msg::{Command, DbRequest, WindowRequest};
use super::source::ListSource;

/// Rows read per page.
pub const PAGE: usize = 100;
/// Start loading when the cursor is this close to a window edge.
pub const MARGIN: u64 = 40;
/// Rows kept at most (a few pages around the cursor).
pub const MAX_WINDOW: usize = 600;
/// Largest single page asked for when the cursor ran far past the window.
pub(super) const MAX_LIMIT: usize = 5_000;

/// What a search for an unread row among the loaded rows found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// At this absolute index.
    At(u64),
    /// No unread row in that direction in the whole list.
    None,
    /// The window ends before the list does: load more rows.
    NeedMore,
}

/// A pending search for the next/previous unread item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seek {
    /// Towards older items.
    pub forward: bool,
    /// Consider the row under the cursor too (a list just opened).
    pub inclusive: bool,
    /// Open the article once found (when `n` was pressed in an article).
    pub open: bool,
}

/// A headline list: a window of rows of a long list, paged in as the cursor moves.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadlineList {
    /// What the list shows.
    pub source: ListSource,
    /// The query it reads with.
    pub query: ItemQuery,
    /// Answers for another generation are stale and dropped.
    pub generation: u64,
    /// `None` until counted.
    pub total: Option<u64>,
    /// Absolute index of the selected row.
    pub cursor: u64,
    /// Absolute index of the first row on screen.
    pub scroll: u64,
    /// Absolute index of `rows[0]`.
    pub start: u64,
    /// The rows loaded: the window.
    pub rows: Vec<ItemRow>,
    /// The page request in flight (at most one): answers to any other
    /// (superseded by a jump) are dropped.
    pub in_flight: Option<(WindowRequest, usize)>,
    /// A next/previous-unread search waiting for rows.
    pub seek: Option<Seek>,
    /// Enter was pressed on a row still loading: open it when it arrives.
    pub open_pending: bool,
    /// After a reload, put the cursor back on this item if it is still there.
    pub anchor: Option<ItemId>,
    /// Rows read in an unread-only list before a reload, kept until the user
    /// leaves it (`list_reload.rs`).
    pub kept: Vec<ItemRow>,
    /// How many of those the window holds beyond the database's count.
    pub kept_extra: u64,
    /// The database's count for this generation, once it arrived.
    pub counted: Option<u64>,
    /// The newest item id the list had loaded its count and rows under: "mark
    /// all read" marks only up to it (`list_reload.rs`). `None` before the
    /// first answer.
    pub bound: Option<ItemId>,
    /// `bound` came from this generation's answers, not a reloaded one's.
    pub bound_current: bool,
}

impl HeadlineList {
    /// A list about to load its first page.
    pub fn new(source: ListSource, query: ItemQuery, generation: u64) -> HeadlineList {
        HeadlineList {
            source,
            query,
            generation,
            total: None,
            cursor: 0,
            scroll: 0,
            start: 0,
            rows: Vec::new(),
            in_flight: None,
            seek: None,
            open_pending: false,
            anchor: None,
            kept: Vec::new(),
            kept_extra: 0,
            counted: None,
            bound: None,
            bound_current: false,
        }
    }

    /// The first commands for a new (or reloaded) list. A search reads its first
    /// page before counting every match (the worker runs them in order), so its
    /// first screen never waits for the count.
    pub fn open_commands(&mut self) -> Vec<Command> {
        let first = self.top_request();
        let load = self.load(first, PAGE);
        match self.source {
            ListSource::Search(_) => vec![load, self.count_command()],
            _ => vec![self.count_command(), load],
        }
    }

    /// Counts the list's rows (answers `Msg::Counted`).
    pub fn count_command(&self) -> Command {
        Command::Db(match &self.source {
            ListSource::Search(query) => DbRequest::CountSearch {
                generation: self.generation,
                query: query.clone(),
                unread_only: self.query.unread_only,
            },
            _ => DbRequest::CountItems {
                generation: self.generation,
                query: self.query.clone(),
            },
        })
    }

    /// The row at an absolute index, if loaded.
    pub fn row(&self, index: u64) -> Option<&ItemRow> {
        index
            .checked_sub(self.start)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.rows.get(i))
    }

    /// The row at an absolute index, to change it.
    pub fn row_mut(&mut self, index: u64) -> Option<&mut ItemRow> {
        index
            .checked_sub(self.start)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.rows.get_mut(i))
    }

    /// The row under the cursor, if loaded.
    pub fn selected(&self) -> Option<&ItemRow> {
        self.row(self.cursor)
    }

    /// One past the last absolute index known: the total, else the window's end.
    pub fn end(&self) -> u64 {
        self.start + self.rows.len() as u64
    }

    /// Number of rows the cursor can move over: the count, else what is loaded.
    pub fn len(&self) -> u64 {
        self.total.unwrap_or_else(|| self.end())
    }

    /// Known to have no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Moves the cursor to `index` (clamped) and keeps it visible in `height` rows.
    pub fn move_to(&mut self, index: u64, height: usize) {
        self.cursor = index.min(self.len().saturating_sub(1));
        self.keep_visible(height);
    }

    /// Moves the cursor by `delta` rows within the list, keeping it on screen.
    pub fn move_by(&mut self, delta: i64, height: usize) {
        let target = if delta < 0 {
            self.cursor.saturating_sub(delta.unsigned_abs())
        } else {
            self.cursor.saturating_add(delta as u64)
        };
        self.move_to(target, height);
    }

    /// Scrolls so the cursor is on a screen of `height` rows.
    pub fn keep_visible(&mut self, height: usize) {
        let height = height.max(1) as u64;
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + height {
            self.scroll = self.cursor + 1 - height;
        }
        let max_scroll = self.len().saturating_sub(height);
        self.scroll = self.scroll.min(max_scroll);
    }

    /// Takes the rows of `ids` out of the window and the count (items another
    /// process deleted), keeping the cursor on the row it was on, or on the
    /// next one when that row went.
    pub fn drop_items(&mut self, ids: &[ItemId], height: usize) {
        let mut dropped = 0;
        let mut i = 0;
        while i < self.rows.len() {
            if !ids.contains(&self.rows[i].id) {
                i += 1;
                continue;
            }
            let index = self.start + i as u64;
            self.rows.remove(i);
            if index < self.cursor {
                self.cursor -= 1;
            }
            if index < self.scroll {
                self.scroll -= 1;
            }
            dropped += 1;
        }
        if let Some(total) = self.total.as_mut() {
            *total = total.saturating_sub(dropped);
        }
        self.move_to(self.cursor, height);
    }

    /// `G`: the oldest page, read directly instead of paging through the list.
    pub fn jump_to_bottom(&mut self, height: usize) -> Option<Command> {
        let total = self.total?;
        if total == 0 {
            return None;
        }
        self.cursor = total - 1;
        self.keep_visible(height);
        if self.end() >= total && !self.rows.is_empty() {
            return None;
        }
        self.rows.clear();
        self.start = total;
        let request = if self.ranked() {
            WindowRequest::Ranked(total.saturating_sub(PAGE as u64))
        } else {
            WindowRequest::Last
        };
        Some(self.load(request, PAGE))
    }

    /// `g`: the newest page.
    pub fn jump_to_top(&mut self, height: usize) -> Option<Command> {
        self.cursor = 0;
        self.keep_visible(height);
        if self.start == 0 && !self.rows.is_empty() {
            return None;
        }
        self.rows.clear();
        self.start = 0;
        let first = self.top_request();
        Some(self.load(first, PAGE))
    }

    /// A page request if the cursor (or the visible rows) come near an edge of the window.
    pub fn ensure_window(&mut self, height: usize) -> Option<Command> {
        if self.loading() {
            return None;
        }
        let total = self.total?;
        let want_end = (self.scroll + height as u64).max(self.cursor + 1) + MARGIN;
        let want_start = self.scroll.min(self.cursor).saturating_sub(MARGIN);
        let request = if self.rows.is_empty() {
            if total == 0 {
                return None;
            }
            self.start = 0;
            Some((self.top_request(), PAGE))
        } else if self.ranked() {
            self.ranked_request(total, want_start, want_end)
        } else if self.end() < total && self.end() < want_end {
            let last = self.rows.last()?.cursor();
            let gap = usize::try_from(want_end - self.end()).unwrap_or(MAX_LIMIT);
            Some((WindowRequest::After(last), gap.clamp(PAGE, MAX_LIMIT)))
        } else if self.start > 0 && self.start > want_start {
            let first = self.rows.first()?.cursor();
            let gap = usize::try_from(self.start - want_start).unwrap_or(MAX_LIMIT);
            Some((WindowRequest::Before(first), gap.clamp(PAGE, MAX_LIMIT)))
        } else {
            None
        };
        let (request, limit) = request?;
        Some(self.load(request, limit))
    }

    /// A page request, remembered as the one in flight.
    pub(super) fn load(&mut self, request: WindowRequest, limit: usize) -> Command {
        self.in_flight = Some((request, limit));
        Command::Db(match &self.source {
            ListSource::Search(query) => DbRequest::LoadSearch {
                generation: self.generation,
                query: query.clone(),
                unread_only: self.query.unread_only,
                request,
                limit,
            },
            _ => DbRequest::LoadItems {
                generation: self.generation,
                query: self.query.clone(),
                request,
                limit,
            },
        })
    }

    /// Whether a page request is in flight.
    pub fn loading(&self) -> bool {
        self.in_flight.is_some()
    }

    /// Whether a page answers the request in flight (not one a jump superseded).
    pub fn expects(&self, request: WindowRequest, limit: usize) -> bool {
        self.in_flight == Some((request, limit))
    }

    /// Forgets the request in flight (its answer will be dropped).
    pub fn cancel_load(&mut self) {
        self.in_flight = None;
    }

    /// Puts a page of rows into the window.
    pub fn apply_page(&mut self, request: WindowRequest, limit: usize, rows: Vec<ItemRow>) {
        self.in_flight = None;
        let short = rows.len() < limit;
        match request {
            WindowRequest::Top => {
                self.start = 0;
                self.rows = rows;
                self.merge_kept(short);
                if short {
                    self.total = Some(self.rows.len() as u64);
                }
                self.restore_anchor();
            }
            WindowRequest::From(_) => {
                // The window read again in place (`reload`).
                self.rows = rows;
                self.merge_kept(short);
                if short {
                    self.total = Some(self.end());
                }
                self.restore_anchor();
            }
            WindowRequest::After(_) => {
                self.rows.extend(rows);
                if short {
                    self.total = Some(self.end());
                }
                self.trim_front();
            }
            WindowRequest::Before(_) => {
                let n = rows.len() as u64;
                if short || n > self.start {
                    // The list changed under us: renumber from the top.
                    self.start = 0;
                } else {
                    self.start -= n;
                }
                let mut rows = rows;
                rows.append(&mut self.rows);
                self.rows = rows;
                self.trim_back();
            }
            WindowRequest::Ranked(offset) => self.apply_ranked(offset, short, rows),
            WindowRequest::Last => {
                let total = self
                    .total
                    .unwrap_or(rows.len() as u64)
                    .max(rows.len() as u64);
                self.total = Some(total);
                self.start = total - rows.len() as u64;
                self.rows = rows;
            }
        }
        let len = self.len();
        if self.cursor >= len {
            self.cursor = len.saturating_sub(1);
        }
    }

    pub(super) fn trim_front(&mut self) {
        if self.rows.len() <= MAX_WINDOW {
            return;
        }
        let keep_from = self.scroll.min(self.cursor).saturating_sub(MARGIN);
        let excess = (self.rows.len() - MAX_WINDOW) as u64;
        let drop = excess.min(keep_from.saturating_sub(self.start));
        self.rows.drain(..drop as usize);
        self.start += drop;
    }

    pub(super) fn trim_back(&mut self) {
        if self.rows.len() <= MAX_WINDOW {
            return;
        }
        let keep_to = self.cursor.max(self.scroll) + 2 * MARGIN + PAGE as u64;
        let excess = self.rows.len() - MAX_WINDOW;
        let removable = self.end().saturating_sub(keep_to) as usize;
        let drop = excess.min(removable);
        self.rows.truncate(self.rows.len() - drop);
    }

    /// Looks for the next/previous unread row among loaded rows.
    pub fn find_unread(&self, seek: Seek) -> Found {
        if self.rows.is_empty() {
            return if self.is_empty() {
                Found::None
            } else {
                Found::NeedMore
            };
        }
        if seek.forward {
            let from = if seek.inclusive {
                self.cursor
            } else {
                self.cursor + 1
            };
            let mut i = from.max(self.start);
            while i < self.end() {
                if self.row(i).is_some_and(|r| !r.read) {
                    return Found::At(i);
                }
                i += 1;
            }
            if self.end() < self.len() {
                Found::NeedMore
            } else {
                Found::None
            }
        } else {
            let Some(from) = (if seek.inclusive {
                Some(self.cursor)
            } else {
                self.cursor.checked_sub(1)
            }) else {
                return Found::None;
            };
            let mut i = from.min(self.end().saturating_sub(1));
            loop {
                if i < self.start {
                    return Found::NeedMore;
                }
                if self.row(i).is_some_and(|r| !r.read) {
                    return Found::At(i);
                }
                if i == 0 {
                    return Found::None;
                }
                i -= 1;
            }
        }
    }
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;
