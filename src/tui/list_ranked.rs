//! A ranked search's headline list (`/` with words): its order is by relevance,
//! not by date, so it pages by position ([`WindowRequest::Ranked`]) instead of
//! by the (date, id) keyset the other lists use. The window, its trimming and
//! the cursor work as for every list (`list.rs`).

use crate::store::ItemRow;

use super::list::{HeadlineList, MAX_LIMIT, PAGE};
use super::msg::WindowRequest;
use super::source::ListSource;

impl HeadlineList {
    /// Whether the list is a ranked search's (paged by position, see
    /// [`WindowRequest::Ranked`]).
    pub fn ranked(&self) -> bool {
        matches!(&self.source, ListSource::Search(query) if query.ranks())
    }

    /// The request for the list's first page.
    pub(super) fn top_request(&self) -> WindowRequest {
        if self.ranked() {
            WindowRequest::Ranked(0)
        } else {
            WindowRequest::Top
        }
    }

    /// The page a ranked list needs next: positions after its window, or before.
    pub(super) fn ranked_request(
        &self,
        total: u64,
        want_start: u64,
        want_end: u64,
    ) -> Option<(WindowRequest, usize)> {
        if self.end() < total && self.end() < want_end {
            let gap = usize::try_from(want_end - self.end()).unwrap_or(MAX_LIMIT);
            Some((
                WindowRequest::Ranked(self.end()),
                gap.clamp(PAGE, MAX_LIMIT),
            ))
        } else if self.start > 0 && self.start > want_start {
            let gap = (self.start - want_start).clamp(PAGE as u64, MAX_LIMIT as u64);
            let from = self.start.saturating_sub(gap);
            let limit = usize::try_from(self.start - from).unwrap_or(MAX_LIMIT);
            Some((WindowRequest::Ranked(from), limit))
        } else {
            None
        }
    }

    /// Puts a page read by position into the window: after it, before it, or
    /// in its place (a jump).
    pub(super) fn apply_ranked(&mut self, offset: u64, short: bool, rows: Vec<ItemRow>) {
        let n = rows.len() as u64;
        if !self.rows.is_empty() && offset > 0 && offset == self.end() {
            self.rows.extend(rows);
            if short {
                self.total = Some(self.end());
            }
            self.trim_front();
        } else if !self.rows.is_empty() && n > 0 && offset + n == self.start {
            let mut rows = rows;
            rows.append(&mut self.rows);
            self.rows = rows;
            self.start = offset;
            self.trim_back();
        } else {
            self.start = offset;
            self.rows = rows;
            if short && (offset == 0 || n > 0) {
                self.total = Some(self.end());
            }
            self.restore_anchor();
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::query::parse;
    use crate::store::{ItemQuery, ItemRow};
    use crate::tui::list::{HeadlineList, MAX_WINDOW, PAGE};
    use crate::tui::msg::{Command, DbRequest, WindowRequest};
    use crate::tui::source::ListSource;

    /// Rows `from..from + n` of a ranked list: positions, not dates, order them.
    fn rows(from: u64, n: u64) -> Vec<ItemRow> {
        (from..from + n)
            .map(|i| ItemRow {
                id: 7 + (i as i64 * 7919) % 100_003,
                sort_time: 1_000 + (i as i64 * 31) % 977,
                title: format!("rank {i}"),
                ..Default::default()
            })
            .collect()
    }

    fn request(cmd: Option<Command>) -> Option<(WindowRequest, usize)> {
        match cmd? {
            Command::Db(DbRequest::LoadSearch { request, limit, .. }) => Some((request, limit)),
            _ => None,
        }
    }

    fn ranked_list(total: u64) -> HeadlineList {
        let source = ListSource::Search(parse("bank").unwrap());
        let mut list = HeadlineList::new(source, ItemQuery::default(), 1);
        let first = list.open_commands();
        assert!(
            first.iter().any(|c| matches!(
                c,
                Command::Db(DbRequest::LoadSearch {
                    request: WindowRequest::Ranked(0),
                    ..
                })
            )),
            "{first:?}"
        );
        list.total = Some(total);
        list.apply_page(WindowRequest::Ranked(0), PAGE, rows(0, PAGE as u64));
        list
    }

    #[test]
    fn a_search_by_date_or_without_words_pages_by_date() {
        for text in ["bank sort:date", "tag:x is:unread"] {
            let source = ListSource::Search(parse(text).unwrap());
            let mut list = HeadlineList::new(source, ItemQuery::default(), 1);
            assert!(!list.ranked());
            let first = list.open_commands();
            assert!(first.iter().any(|c| matches!(
                c,
                Command::Db(DbRequest::LoadSearch {
                    request: WindowRequest::Top,
                    ..
                })
            )));
        }
    }

    #[test]
    fn scrolling_down_reads_the_next_positions_and_keeps_the_window_bounded() {
        let mut list = ranked_list(10_000);
        for _ in 0..100 {
            list.move_by(50, 20);
            if let Some((WindowRequest::Ranked(offset), limit)) = request(list.ensure_window(20)) {
                assert_eq!(offset, list.end(), "the positions right after the window");
                list.apply_page(
                    WindowRequest::Ranked(offset),
                    limit,
                    rows(offset, limit as u64),
                );
            }
        }
        assert!(list.rows.len() <= MAX_WINDOW, "{}", list.rows.len());
        let cursor = list.cursor;
        assert_eq!(list.selected().unwrap().title, format!("rank {cursor}"));
    }

    #[test]
    fn bottom_then_up_reads_by_position_and_a_short_page_ends_the_list() {
        let mut list = ranked_list(1_000);
        let (req, limit) = request(list.jump_to_bottom(20)).unwrap();
        assert_eq!(req, WindowRequest::Ranked(900));
        list.apply_page(req, limit, rows(900, 100));
        assert_eq!(list.start, 900);
        assert_eq!(list.selected().unwrap().title, "rank 999");
        list.move_by(-80, 20);
        let (req, limit) = request(list.ensure_window(20)).unwrap();
        let WindowRequest::Ranked(from) = req else {
            panic!("{req:?}")
        };
        assert_eq!(
            from + limit as u64,
            900,
            "the positions just before the window"
        );
        list.apply_page(req, limit, rows(from, limit as u64));
        assert_eq!(list.start, from);
        assert_eq!(list.row(850).unwrap().title, "rank 850");
        // Fewer matches than counted (an item went meanwhile): the list ends there.
        let mut list = ranked_list(500);
        list.move_to(90, 20);
        let (req, limit) = request(list.ensure_window(20)).unwrap();
        list.apply_page(req, limit, rows(100, 30));
        assert_eq!(list.total, Some(130));
    }
}
