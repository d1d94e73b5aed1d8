//! Items: one headline ([`ItemRow`]), one item in full ([`ItemDetail`]), what a
//! list shows ([`ItemQuery`]) and where a page of it starts ([`Cursor`]).

use super::{FeedId, ItemId};
use crate::text::Direction;

/// What to list: the scope and filters of a headline list or `khabar items`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemQuery {
    /// Only this feed's items.
    pub feed: Option<FeedId>,
    /// Items of feeds with this tag, or with this item category.
    pub tag: Option<String>,
    /// Only unread items.
    pub unread_only: bool,
    /// Only starred items.
    pub starred_only: bool,
}

/// Position in a newest-first list, for keyset paging: (sort time, id).
pub type Cursor = (i64, ItemId);

/// One headline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemRow {
    /// Row id.
    pub id: ItemId,
    /// The feed it came from.
    pub feed_id: FeedId,
    /// That feed's title as lists show it.
    pub feed_title: String,
    /// The headline (may be empty).
    pub title: String,
    /// The item's web page.
    pub link: Option<String>,
    /// Published time, else the time the item was first seen; the list sorts on it.
    pub sort_time: i64,
    /// Read by the user.
    pub read: bool,
    /// Starred by the user.
    pub starred: bool,
    /// Item language, else the feed's.
    pub language: Option<String>,
    /// The feed's configured direction.
    pub direction: Direction,
}

impl ItemRow {
    /// Where a list that ends with this item continues.
    pub fn cursor(&self) -> Cursor {
        (self.sort_time, self.id)
    }
}

/// Everything about one item, for the article view and `--json`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemDetail {
    /// What a list shows of it.
    pub row: ItemRow,
    /// The URL of its feed.
    pub feed_url: String,
    /// The author as the feed names them.
    pub author: Option<String>,
    /// Short text or HTML summary, as published.
    pub summary: Option<String>,
    /// The full content HTML, as published.
    pub content_html: Option<String>,
    /// Published time (Unix seconds), if the feed gave one.
    pub published: Option<i64>,
    /// Item categories and feed tags, deduplicated.
    pub tags: Vec<String>,
    /// Attached media.
    pub enclosures: Vec<Enclosure>,
    /// The article taken from the item's web page (full text), when fetched.
    pub fulltext_html: Option<String>,
    /// Its feed fetches the page when an item is first opened, and this one's
    /// page has not been tried yet.
    pub fetch_on_open: bool,
}

/// A podcast episode or other attached media.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Enclosure {
    /// Where the media is.
    pub url: String,
    /// Its MIME type, as the feed says.
    pub mime_type: Option<String>,
    /// Its length in bytes, as the feed says.
    pub length: Option<u64>,
    /// Its title (a JSON Feed attachment's `title`), one line.
    pub title: Option<String>,
    /// How long it plays, in seconds (JSON Feed `duration_in_seconds`, RSS
    /// `<itunes:duration>`, Media RSS `duration`).
    pub duration: Option<u64>,
}

impl Enclosure {
    /// What the article's link list says after the media's address:
    /// `audio/mpeg, 42:10, "Episode title"`, each part only when known;
    /// `None` when nothing is. The title is isolated (FSI … PDI), so a
    /// Persian one does not reorder the rest of the line.
    pub fn note(&self) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        if let Some(mime) = self.mime_type.as_deref().filter(|m| !m.is_empty()) {
            parts.push(mime.to_string());
        }
        if let Some(seconds) = self.duration {
            parts.push(play_time(seconds));
        }
        if let Some(title) = self.title.as_deref().filter(|t| !t.is_empty()) {
            parts.push(format!("\"\u{2068}{title}\u{2069}\""));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// Seconds as a player shows them: `42:10`, `1:02:03`.
pub fn play_time(seconds: u64) -> String {
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_names_what_is_known() {
        let mut media = Enclosure {
            url: "https://x.example/e.mp3".into(),
            ..Enclosure::default()
        };
        assert_eq!(media.note(), None);
        media.mime_type = Some("audio/mpeg".into());
        assert_eq!(media.note().as_deref(), Some("audio/mpeg"));
        media.duration = Some(42 * 60 + 10);
        media.title = Some("قسمت ۱".into());
        assert_eq!(
            media.note().as_deref(),
            Some("audio/mpeg, 42:10, \"\u{2068}قسمت ۱\u{2069}\"")
        );
    }

    #[test]
    fn play_times() {
        assert_eq!(play_time(0), "0:00");
        assert_eq!(play_time(59), "0:59");
        assert_eq!(play_time(2530), "42:10");
        assert_eq!(play_time(3723), "1:02:03");
        assert_eq!(play_time(36_000), "10:00:00");
    }
}
