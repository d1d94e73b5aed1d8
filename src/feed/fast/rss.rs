//! RSS 2.0 and 0.9x (feed-rs reads both with its RSS 2.0 parser): the first
//! `<channel>` of the root, its title, links and language, and its items.

use std::collections::HashSet;

use mediatype::MediaTypeBuf;

use super::cursor::{Cursor, Element, Ev, Ns};
use super::media::{self, Scope};
use super::{atom, declared_base, link_href, parse_uri, person_name, text_link, timestamp};
use crate::feed::raw::{RawCategory, RawContent, RawEntry, RawFeed, RawLink, RawMedia, RawText};

/// The root's children up to the first `<channel>` (by name, in any
/// namespace, as feed-rs finds it); nothing after it is read.
pub(super) fn parse(cursor: &mut Cursor) -> Option<RawFeed> {
    let depth = cursor.depth();
    loop {
        match cursor.next()? {
            Ev::Start(element) if element.name() == "channel" => {
                let feed = channel(cursor)?;
                // The rest of the root, unread by feed-rs.
                skip_rest(cursor, depth)?;
                return Some(feed);
            }
            Ev::Start(_) => cursor.skip()?,
            Ev::Text(_) => {}
            // No channel: feed-rs finds no feed root.
            Ev::End | Ev::Eof => return None,
        }
    }
}

/// Reads to the end of the element at `depth`.
fn skip_rest(cursor: &mut Cursor, depth: u32) -> Option<()> {
    while cursor.depth() >= depth {
        if let Ev::Eof = cursor.next()? {
            return None;
        }
    }
    Some(())
}

fn channel(cursor: &mut Cursor) -> Option<RawFeed> {
    let mut feed = RawFeed {
        // The `<channel>`'s `xml:base`, else the `<rss>`'s: its items' base.
        base: cursor
            .declared_base_in_scope()
            .map(|url| url.as_str().to_string()),
        ..RawFeed::default()
    };
    while let Some(element) = cursor.next_child()? {
        match (cursor.ns(&element), element.name()) {
            (Ns::Rss, "title") => {
                feed.title = cursor.text()?.map(|t| RawText {
                    content: t.trim().to_string(),
                    is_html: false,
                });
            }
            (Ns::Rss, "link") => feed.links.extend(text_link(cursor)?),
            (Ns::Atom, "link") => {
                if let Some(link) = atom::link(cursor, &element)? {
                    feed.links.push(link);
                }
            }
            (Ns::Rss, "language") => feed.language = cursor.text()?.map(|t| t.to_lowercase()),
            (Ns::Rss, "item") => feed.entries.push(item(cursor)?),
            // Podcasting 2.0 people have enumerated roles feed-rs may reject.
            (Ns::Podcast, _) => return None,
            _ => cursor.skip()?,
        }
    }
    Some(feed)
}

/// A comment link (`<comments>`) or not, for feed-rs's link clean-up.
struct ItemLink {
    link: RawLink,
    comments: bool,
}

fn item(cursor: &mut Cursor) -> Option<RawEntry> {
    let mut bases = ItemBases::new(cursor);
    let mut entry = RawEntry::default();
    let mut links: Vec<ItemLink> = Vec::new();
    let mut enclosures: Vec<RawMedia> = Vec::new();
    let mut media_scope = Scope::default();
    let mut itunes = false;
    while let Some(element) = cursor.next_child()? {
        match (cursor.ns(&element), element.name()) {
            (Ns::Rss, "title") => {
                entry.title = cursor.text()?.map(|t| RawText {
                    content: t.trim().to_string(),
                    is_html: false,
                });
            }
            (Ns::Rss, "link") => {
                if let Some(link) = text_link(cursor)? {
                    links.push(ItemLink {
                        link,
                        comments: false,
                    });
                }
            }
            (Ns::Rss, "description") => {
                bases.description(cursor);
                entry.summary = cursor.text()?.map(|t| t.trim().to_string())
            }
            (Ns::Rss, "author") | (Ns::DublinCore, "creator") => {
                if let Some(text) = cursor.text()? {
                    entry.authors.push(person_name(&text)?);
                }
            }
            (Ns::Rss, "category") => {
                if let Some(text) = cursor.text()? {
                    entry.categories.push(RawCategory {
                        term: text.trim().to_string(),
                        label: None,
                    });
                }
            }
            (Ns::Rss, "guid") => {
                if let Some(text) = cursor.text()? {
                    entry.id = text.trim().to_string();
                }
            }
            (Ns::Rss, "enclosure") => {
                if let Some(media) = enclosure(cursor, &element)? {
                    enclosures.push(media);
                }
                cursor.skip()?;
            }
            (Ns::Rss, "pubDate") | (Ns::DublinCore, "date") => {
                entry.published = timestamp(cursor.text()?);
            }
            (Ns::Rss, "updated") | (Ns::Atom, "updated") => {
                entry.updated = timestamp(cursor.text()?);
            }
            (Ns::Content, "encoded") => {
                bases.content(cursor);
                let src = cursor.base().map(|b| link_href(b.as_str(), Some(b)));
                entry.content = cursor
                    .text()?
                    .filter(|t| !t.is_empty())
                    .map(|body| RawContent {
                        body: Some(body.into_owned()),
                        src,
                    });
            }
            (Ns::Itunes, "duration") => {
                itunes = true;
                if let Some(seconds) = crate::feed::episode::duration(cursor.text()?.as_deref()) {
                    entry.duration = Some(seconds);
                }
            }
            (Ns::Itunes, name) => {
                itunes = true;
                // Only a text type feed-rs does not know makes it fail.
                if matches!(name, "title" | "summary") {
                    let kind = element.attribute("type")?;
                    if !matches!(
                        kind.as_deref(),
                        None | Some("text" | "html" | "text/html" | "xhtml")
                    ) {
                        return None;
                    }
                }
                cursor.skip()?;
            }
            (Ns::MediaRss, _) => media::element(cursor, &element, &mut media_scope)?,
            // Podcasting 2.0 objects and their merging are left to feed-rs.
            (Ns::Podcast, _) => return None,
            (Ns::Comments, "commentRss" | "commentRSS") => {
                if let Some(link) = text_link(cursor)? {
                    links.push(ItemLink {
                        link,
                        comments: false,
                    });
                }
            }
            (Ns::Rss, "comments") => {
                if let Some(link) = text_link(cursor)? {
                    links.push(ItemLink {
                        link,
                        comments: true,
                    });
                }
            }
            _ => cursor.skip()?,
        }
    }
    entry.base = bases.nearest();
    entry.media = item_media(media_scope.objects(), enclosures, itunes)?;
    if entry.updated.is_none() {
        entry.updated = entry.published;
    }
    // feed-rs drops a comments link that repeats another link.
    let others: HashSet<&str> = links
        .iter()
        .filter(|l| !l.comments)
        .map(|l| l.link.href.as_str())
        .collect();
    let keep: Vec<bool> = links
        .iter()
        .map(|l| !l.comments || !others.contains(l.link.href.as_str()))
        .collect();
    entry.links = links
        .into_iter()
        .zip(keep)
        .filter(|(_, keep)| *keep)
        .map(|(l, _)| l.link)
        .collect();
    Some(entry)
}

/// The files of an item's media objects in the order feed-rs leaves them:
/// with Media RSS, the enclosures are merged away and the first Media RSS
/// object moves to the end (by `swap_remove`, which shuffles the others).
fn item_media(
    objects: Vec<Vec<RawMedia>>,
    enclosures: Vec<RawMedia>,
    itunes: bool,
) -> Option<Vec<RawMedia>> {
    if objects.is_empty() {
        return Some(enclosures);
    }
    if objects.len() > 1 && itunes {
        // Whether the iTunes object stays (season, episode) moves the others.
        return None;
    }
    // `None` stands for the enclosures' object.
    let mut list: Vec<Option<Vec<RawMedia>>> = objects.into_iter().map(Some).collect();
    if !enclosures.is_empty() {
        list.push(None);
    }
    let first = list.swap_remove(0);
    for index in (0..list.len()).rev() {
        if list[index].is_none() {
            list.swap_remove(index);
        }
    }
    list.push(first);
    Some(list.into_iter().flatten().flatten().collect())
}

/// `<enclosure url length type>` as feed-rs reads it.
fn enclosure(cursor: &Cursor, element: &Element) -> Option<Option<RawMedia>> {
    let mut url = None;
    let mut size = None;
    let mut mime_type = None;
    for (name, value) in element.attributes()? {
        match name.as_str() {
            "url" => url = parse_uri(&value, cursor.base()),
            "length" => size = value.parse::<u64>().ok(),
            "type" => {
                if let Ok(mime) = value.parse::<MediaTypeBuf>() {
                    mime_type = Some(mime.to_string());
                }
            }
            _ => {}
        }
    }
    Some(url.map(|url| RawMedia {
        url: url.to_string(),
        mime_type,
        size,
        duration: None,
        title: None,
    }))
}

/// The `xml:base`s an RSS item declares for its text (RSS 2.0 and 1.0): its
/// own, its `<description>`'s and its `<content:encoded>`'s, each the last one
/// declared. `crate::feed::xml_base` reads the same from the document for
/// the feed-rs path.
pub(super) struct ItemBases {
    own: Option<String>,
    description: Option<String>,
    content: Option<String>,
}

impl ItemBases {
    /// At the item's start tag.
    pub fn new(cursor: &Cursor) -> ItemBases {
        ItemBases {
            own: declared_base(cursor, cursor.depth()),
            description: None,
            content: None,
        }
    }

    /// At a `<description>`'s start tag.
    pub fn description(&mut self, cursor: &Cursor) {
        if let Some(base) = declared_base(cursor, cursor.depth()) {
            self.description = Some(base);
        }
    }

    /// At a `<content:encoded>`'s start tag.
    pub fn content(&mut self, cursor: &Cursor) {
        if let Some(base) = declared_base(cursor, cursor.depth()) {
            self.content = Some(base);
        }
    }

    /// The entry's base ([`RawEntry::base`]): the description's (the summary is
    /// what it applies to, and RSS 2.0 content carries its own base as its
    /// `src`), else the content's, else the item's.
    pub fn nearest(self) -> Option<String> {
        self.description.or(self.content).or(self.own)
    }
}
