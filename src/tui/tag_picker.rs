//! The tag picker (`t`): every tag (feed tags and item categories) with its
//! unread and total counts, most unread first, narrowed while the user types
//! (compared by search key, so `فناوري` and `فناوری` are one). Enter lists the
//! tag's items (every spelling of it); Esc closes.

use crate::query::{Expr, Query, Sort, Term, index_text};
use crate::store::TagTotals;

use super::search::SearchPrompt;

/// The picker's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TagPicker {
    /// Every tag, once read from the database (`None` while loading).
    pub tags: Option<Vec<TagTotals>>,
    /// What is typed to narrow the list.
    pub filter: SearchPrompt,
    /// Index into [`TagPicker::shown`].
    pub cursor: usize,
    /// First row of [`TagPicker::shown`] on screen.
    pub scroll: usize,
}

impl TagPicker {
    /// The tags the filter leaves, in order.
    pub fn shown(&self) -> Vec<&TagTotals> {
        let key = index_text(&self.filter.text);
        self.tags
            .iter()
            .flatten()
            .filter(|tag| key.is_empty() || index_text(&tag.name).contains(&key))
            .collect()
    }

    /// Keeps the cursor on a shown tag and on screen (`rows` tall).
    pub fn clamp(&mut self, rows: usize) {
        let len = self.shown().len();
        self.cursor = self.cursor.min(len.saturating_sub(1));
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + rows.max(1) {
            self.scroll = self.cursor + 1 - rows.max(1);
        }
        // A taller window shows the tags above instead of blanks below.
        self.scroll = self.scroll.min(len.saturating_sub(rows.max(1)));
    }

    /// The list of the selected tag: every item with it, by any spelling.
    pub fn selected_query(&self) -> Option<Query> {
        let tag = self.shown().get(self.cursor)?.name.clone();
        Some(Query {
            expr: Some(Expr::Term(Term::Tag(tag))),
            sort: Sort::Date,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(name: &str, unread: u64) -> TagTotals {
        TagTotals {
            name: name.to_string(),
            unread,
            total: unread + 1,
        }
    }

    #[test]
    fn typing_narrows_by_search_key() {
        let mut picker = TagPicker {
            tags: Some(vec![tag("فناوری", 5), tag("اقتصاد", 3), tag("tech", 1)]),
            ..TagPicker::default()
        };
        assert_eq!(picker.shown().len(), 3);
        picker.filter = SearchPrompt::with_text("فناوري".to_string());
        let names: Vec<&str> = picker.shown().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["فناوری"]);
        picker.filter = SearchPrompt::with_text("TE".to_string());
        assert_eq!(picker.shown()[0].name, "tech");
        assert_eq!(
            picker.selected_query().unwrap().to_string(),
            "tag:tech sort:date"
        );
    }
}
