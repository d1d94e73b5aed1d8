//! The fields of a parsed feed that normalisation reads, as both parsers hand
//! them over: feed-rs's model (converted here) and the streaming fast path
//! (`fast`), which builds them directly. One shape for both means one
//! normalisation, so the two paths cannot drift apart after parsing.

use feed_rs::model::{Entry, Feed, FeedType, Link, Text};

/// A feed document as parsed, before normalisation.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct RawFeed {
    /// Atom (entries may carry `xml:lang` of their own).
    pub atom: bool,
    pub title: Option<RawText>,
    pub links: Vec<RawLink>,
    pub language: Option<String>,
    /// The `xml:base` in scope for the entries (Atom's `<feed>`, RSS 2.0's
    /// `<channel>` else `<rss>`, RSS 1.0's `<rdf:RDF>`): the base of their
    /// text unless they declare their own (RFC 4287 §2, XML Base). Resolved
    /// against the feed URL by normalisation, so it may be relative.
    pub base: Option<String>,
    pub entries: Vec<RawEntry>,
}

/// A text construct: its content (trimmed) and whether it is markup.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct RawText {
    pub content: String,
    /// HTML or XHTML (Atom `type="html"`/`"xhtml"`), not plain text.
    pub is_html: bool,
}

/// A link as published (`href` already resolved against `xml:base`).
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct RawLink {
    pub href: String,
    pub rel: Option<String>,
    pub media_type: Option<String>,
    pub length: Option<u64>,
    /// Atom's `title` attribute; a JSON Feed attachment's `title`.
    pub title: Option<String>,
    /// A JSON Feed attachment's `duration_in_seconds` (`episode::json_durations`).
    pub duration: Option<u64>,
}

/// A media object's file (RSS `<enclosure>`, Media RSS content).
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct RawMedia {
    pub url: String,
    pub mime_type: Option<String>,
    pub size: Option<u64>,
    /// Media RSS `duration`, in seconds.
    pub duration: Option<u64>,
    /// Its media object's `media:title`, in an Atom entry (YouTube's
    /// `media:group`); `None` in RSS, whose media objects feed-rs merges
    /// with the iTunes ones.
    pub title: Option<RawText>,
}

/// Full content: its body and the URL it came from (its base).
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct RawContent {
    pub body: Option<String>,
    pub src: Option<String>,
}

/// A category: its term and optional human label.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct RawCategory {
    pub term: String,
    pub label: Option<String>,
}

/// One entry as parsed.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct RawEntry {
    /// Guid or Atom id, empty when none.
    pub id: String,
    pub title: Option<RawText>,
    pub links: Vec<RawLink>,
    pub summary: Option<String>,
    pub content: Option<RawContent>,
    /// The nearest `xml:base` inside an entry for its text: in Atom the
    /// `<content>`'s, else the `<entry>`'s; in RSS the `<description>`'s,
    /// else the `<content:encoded>`'s, else the `<item>`'s (the feed's is
    /// [`RawFeed::base`]). Resolved against the feed's base by normalisation,
    /// so it may be relative.
    pub base: Option<String>,
    pub categories: Vec<RawCategory>,
    pub media: Vec<RawMedia>,
    /// Each author's name, if they have one.
    pub authors: Vec<Option<String>>,
    pub language: Option<String>,
    pub published: Option<i64>,
    pub updated: Option<i64>,
    /// The episode's `<itunes:duration>`, in seconds (`episode::duration`).
    pub duration: Option<u64>,
}

impl RawText {
    fn from_feed_rs(text: &Text) -> RawText {
        // Atom `type="xhtml"` comes as `application/xhtml+xml` (issue 8, defect 9).
        let is_html = text.content_type.subty() == "html"
            || text.content_type.subty().as_str().starts_with("xhtml")
            || text.content_type.suffix().is_some_and(|s| s == "xml");
        RawText {
            content: text.content.clone(),
            is_html,
        }
    }
}

fn link_from_feed_rs(link: Link) -> RawLink {
    RawLink {
        href: link.href,
        rel: link.rel,
        media_type: link.media_type,
        length: link.length,
        title: link.title,
        duration: None,
    }
}

impl From<Feed> for RawFeed {
    fn from(mut feed: Feed) -> RawFeed {
        if feed.feed_type == FeedType::JSON {
            for entry in &mut feed.entries {
                mark_attachments(entry);
            }
        }
        let atom = feed.feed_type == FeedType::Atom;
        RawFeed {
            atom,
            title: feed.title.as_ref().map(RawText::from_feed_rs),
            links: feed.links.into_iter().map(link_from_feed_rs).collect(),
            language: feed.language,
            // feed-rs keeps no base but the content's; normalisation reads
            // the others from the document (`xml_base::apply`).
            base: None,
            entries: feed
                .entries
                .into_iter()
                .map(|entry| RawEntry::from_feed_rs(entry, atom))
                .collect(),
        }
    }
}

/// JSON Feed `attachments` are enclosures (podcast episodes, their media),
/// as RSS `<enclosure>` and Atom `rel="enclosure"` links are; feed-rs makes
/// them links with no `rel`, beside the item's `url` and `external_url`, so
/// they were read as neither. Only an attachment's link has a media type
/// (its required `mime_type`): the item's own links never do.
fn mark_attachments(entry: &mut Entry) {
    for link in &mut entry.links {
        if link.rel.is_none() && link.media_type.is_some() {
            link.rel = Some("enclosure".to_string());
        }
    }
}

impl RawEntry {
    /// An entry of feed-rs's; `atom` keeps its media objects' titles.
    fn from_feed_rs(entry: Entry, atom: bool) -> RawEntry {
        let media = entry
            .media
            .iter()
            .flat_map(|media| {
                let title = media
                    .title
                    .as_ref()
                    .filter(|_| atom)
                    .map(RawText::from_feed_rs);
                media
                    .content
                    .iter()
                    .map(move |content| (title.clone(), content))
            })
            .filter_map(|(title, content)| {
                Some(RawMedia {
                    url: content.url.as_ref()?.to_string(),
                    mime_type: content.content_type.as_ref().map(|t| t.to_string()),
                    size: content.size,
                    duration: content.duration.map(|d| d.as_secs()),
                    title,
                })
            })
            .collect();
        RawEntry {
            id: entry.id,
            title: entry.title.as_ref().map(RawText::from_feed_rs),
            links: entry.links.into_iter().map(link_from_feed_rs).collect(),
            summary: entry.summary.map(|s| s.content),
            content: entry.content.map(|c| RawContent {
                body: c.body,
                src: c.src.map(|s| s.href),
            }),
            base: entry.base,
            categories: entry
                .categories
                .into_iter()
                .map(|c| RawCategory {
                    term: c.term,
                    label: c.label,
                })
                .collect(),
            media,
            authors: entry.authors.into_iter().map(|p| p.name).collect(),
            language: entry.language,
            published: entry.published.map(|d| d.timestamp()),
            updated: entry.updated.map(|d| d.timestamp()),
            // feed-rs reads `MM:SS` as that many minutes' seconds: read
            // again from the document (`episode::apply_itunes_durations`).
            duration: None,
        }
    }
}
