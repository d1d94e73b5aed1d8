//! An item's index text: its title, text and author as the full-text index
//! holds them (`query::index_text`), made by the refresh writer or ahead of it
//! on a parser thread ([`PreparedIndex`]). Apart from the writing of index rows
//! (`search_index`) because it is pure and both the rows and the `[[ignore]]`
//! rules (`ignore`) read it.

use super::search_terms::Terms;
use crate::feed::ParsedItem;
use crate::feed::html_to_text;
use crate::query::append_index_text;

/// An item's own index columns (title, text, author), normalised. The tags
/// column depends on the feed's tags in the database and is made by the writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemText {
    pub(super) title: String,
    pub(super) body: String,
    pub(super) author: String,
}

impl ItemText {
    /// The index text of the item's title, text (summary, content) and author.
    pub(super) fn of_item(item: &ParsedItem) -> ItemText {
        ItemText::new(
            &item.title,
            &[item.summary.as_deref(), item.content_html.as_deref()],
            item.author.as_deref(),
        )
    }

    pub(super) fn new(title: &str, html_parts: &[Option<&str>], author: Option<&str>) -> ItemText {
        let mut body = String::new();
        let mut parts = html_parts.iter().flatten();
        if let (Some(html), None) = (parts.next(), parts.next()) {
            // One part (most items): nothing to compare, straight to the index text.
            if html.contains('<') {
                let mut scratch = String::new();
                super::search_text::append_html_index_text(html, &mut body, &mut scratch);
            } else if html.contains('&') {
                append_index_text(&html_to_text(html), &mut body);
            } else {
                append_index_text(html, &mut body);
            }
            return ItemText::with_body(title, body, author);
        }
        let mut seen: Vec<String> = Vec::new();
        for html in html_parts.iter().flatten() {
            let text = if html.contains('<') || html.contains('&') {
                html_to_text(html)
            } else {
                html.to_string()
            };
            // A summary is often the content's first paragraph: index it once.
            if seen.iter().any(|earlier| earlier.contains(text.as_str())) {
                continue;
            }
            if let Some(at) = seen
                .iter()
                .position(|earlier| text.contains(earlier.as_str()))
            {
                seen.remove(at);
            }
            seen.push(text);
        }
        for text in &seen {
            append_index_text(text, &mut body);
        }
        ItemText::with_body(title, body, author)
    }

    fn with_body(title: &str, body: String, author: Option<&str>) -> ItemText {
        ItemText {
            title: crate::query::index_text(title),
            body,
            author: author.map(crate::query::index_text).unwrap_or_default(),
        }
    }

    /// Title, text and author, as the index holds them.
    pub(super) fn columns(&self) -> [&str; 3] {
        [&self.title, &self.body, &self.author]
    }

    /// Adds the words of the three columns to `terms`.
    pub(super) fn add_words(&self, terms: &mut Terms) {
        for text in [&self.title, &self.body, &self.author] {
            terms.add_text(text);
        }
    }
}

/// The index text of a parsed feed's items, normalised ahead of the write: the
/// refresh makes it on a parser thread for a feed fetched for the first time
/// (every item will be new), so the writer thread, the slowest stage of a first
/// refresh, only hands it to SQLite. The index holds exactly what the writer
/// would have made itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedIndex {
    /// One per item of the feed, in order.
    pub(super) texts: Vec<ItemText>,
    /// The words of all of them.
    pub(super) terms: Terms,
}

impl PreparedIndex {
    /// Normalises the index text of every item of `feed`.
    pub fn new(feed: &crate::feed::ParsedFeed) -> PreparedIndex {
        if cfg!(feature = "bench-no-search-index") {
            return PreparedIndex {
                texts: Vec::new(),
                terms: Terms::default(),
            };
        }
        let texts: Vec<ItemText> = feed.items.iter().map(ItemText::of_item).collect();
        let mut terms = Terms::default();
        for text in &texts {
            text.add_words(&mut terms);
        }
        PreparedIndex { texts, terms }
    }

    /// The text of the item at `position`, when this was made from `feed`'s items.
    pub(super) fn text(
        &self,
        feed: &crate::feed::ParsedFeed,
        position: usize,
    ) -> Option<&ItemText> {
        if self.texts.len() == feed.items.len() {
            self.texts.get(position)
        } else {
            None
        }
    }
}
