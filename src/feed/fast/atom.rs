//! Atom 1.0: the feed's language (`xml:lang`), title and links, and its
//! entries, as feed-rs reads them, with what podcasts add that feed-rs keeps
//! no record of in Atom (`<itunes:duration>`).

use super::cursor::{Cursor, Element, Ev, Ns};
use super::media::{self, Scope};
use super::serialize::{children_as_string, children_as_xhtml};
use super::{declared_base, link_href, text_link, timestamp};
use crate::feed::raw::{RawCategory, RawContent, RawEntry, RawFeed, RawLink, RawText};

/// The children of the root `<feed>`.
pub(super) fn parse_feed(cursor: &mut Cursor, root: &Element) -> Option<RawFeed> {
    let mut feed = RawFeed {
        atom: true,
        language: root.attribute("xml:lang")?,
        base: declared_base(cursor, cursor.depth()),
        ..RawFeed::default()
    };
    while let Some(element) = cursor.next_child()? {
        match (cursor.ns(&element), element.name()) {
            (Ns::Atom, "title") => feed.title = text_construct(cursor, &element)?,
            (Ns::Atom, "link") => {
                if let Some(link) = link(cursor, &element)? {
                    feed.links.push(link);
                }
            }
            (Ns::Atom, "rights" | "subtitle") => {
                text_construct(cursor, &element)?;
            }
            (Ns::Atom, "entry") => feed.entries.push(entry(cursor)?),
            _ => cursor.skip()?,
        }
    }
    Some(feed)
}

fn entry(cursor: &mut Cursor) -> Option<RawEntry> {
    let depth = cursor.depth();
    let mut entry = RawEntry {
        base: declared_base(cursor, depth),
        ..RawEntry::default()
    };
    let mut media_scope = Scope::default();
    while let Some(element) = cursor.next_child()? {
        match (cursor.ns(&element), element.name()) {
            (Ns::Atom, "id") => {
                if let Some(id) = cursor.text()? {
                    entry.id = id.into_owned();
                }
            }
            (Ns::Atom, "title") => entry.title = text_construct(cursor, &element)?,
            (Ns::Atom, "updated") => {
                if let Some(text) = cursor.text()? {
                    entry.updated = timestamp(Some(text));
                }
            }
            (Ns::Atom, "published" | "pubDate") => {
                if let Some(text) = cursor.text()? {
                    entry.published = timestamp(Some(text));
                }
            }
            (Ns::Atom, "author") => {
                if let Some(name) = person(cursor)? {
                    entry.authors.push(name);
                }
            }
            (Ns::Atom, "content") => {
                // The content's own base is nearer than the entry's.
                if let Some(base) = declared_base(cursor, depth + 1) {
                    entry.base = Some(base);
                }
                entry.language = element.attribute("xml:lang")?;
                // Content by reference (`src`) is left to feed-rs.
                if element.attribute("src")?.is_some() {
                    return None;
                }
                entry.content = text_construct(cursor, &element)?.map(|text| RawContent {
                    body: Some(text.content),
                    src: None,
                });
            }
            (Ns::Atom, "link") => {
                if let Some(link) = link(cursor, &element)? {
                    entry.links.push(link);
                }
            }
            (Ns::Atom, "summary") => {
                entry.summary = text_construct(cursor, &element)?.map(|t| t.content);
            }
            (Ns::Atom, "rights") => {
                text_construct(cursor, &element)?;
            }
            (Ns::Atom, "category") => {
                let attributes = element.attributes()?;
                if let Some((_, term)) = attributes.iter().find(|(k, _)| k == "term") {
                    let label = attributes
                        .iter()
                        .rev()
                        .find(|(k, _)| k == "label")
                        .map(|(_, v)| v.clone());
                    entry.categories.push(RawCategory {
                        term: term.trim().to_string(),
                        label,
                    });
                }
                cursor.skip()?;
            }
            (Ns::Comments, "commentRss" | "commentRSS") => entry.links.extend(text_link(cursor)?),
            (Ns::MediaRss, _) => media::element(cursor, &element, &mut media_scope)?,
            // feed-rs ignores it in Atom; `episode::apply_itunes_durations`
            // reads it from the document on that path (the last that reads).
            (Ns::Itunes, "duration") => {
                if let Some(seconds) = crate::feed::episode::duration(cursor.text()?.as_deref()) {
                    entry.duration = Some(seconds);
                }
            }
            _ => cursor.skip()?,
        }
    }
    entry.media = media_scope.titled_files();
    Some(entry)
}

/// An Atom text construct (title, summary, content, rights, subtitle) read
/// by its `type`; `None` (decline) for a type feed-rs rejects. The element
/// is consumed.
fn text_construct(cursor: &mut Cursor, element: &Element) -> Option<Option<RawText>> {
    let kind = element.attribute("type")?;
    let (is_html, xhtml) = match kind.as_deref().unwrap_or("text") {
        "text" => (false, false),
        "html" | "text/html" => (true, false),
        "xhtml" => (true, true),
        _ => return None,
    };
    let content = if xhtml {
        children_as_xhtml(cursor)?
    } else {
        match cursor.next()? {
            // The text right after the tag, the rest ignored ...
            Ev::Text(text) => {
                cursor.skip()?;
                text.into_owned()
            }
            // ... else the element's markup, serialised.
            Ev::Start(first) => children_as_string(cursor, Some(first))?,
            Ev::End => String::new(),
            Ev::Eof => return None,
        }
    };
    Some(Some(RawText {
        content: content.trim().to_string(),
        is_html,
    }))
}

/// `<link href rel type length>`, consumed; `rel` is "alternate" unless given.
pub(super) fn link(cursor: &mut Cursor, element: &Element) -> Option<Option<RawLink>> {
    let attributes = element.attributes()?;
    let link = attributes
        .iter()
        .find(|(k, _)| k == "href")
        .map(|(_, href)| {
            let mut link = RawLink {
                href: link_href(href, cursor.base()),
                ..RawLink::default()
            };
            for (name, value) in &attributes {
                match name.as_str() {
                    "rel" => link.rel = Some(value.clone()),
                    "type" => link.media_type = Some(value.clone()),
                    "length" => link.length = value.parse::<u64>().ok(),
                    "title" => link.title = Some(value.clone()),
                    _ => {}
                }
            }
            if link.rel.is_none() {
                link.rel = Some("alternate".to_string());
            }
            link
        });
    cursor.skip()?;
    Some(link)
}

/// An `<author>`'s name (the last `<name>` with text), if it counts as a
/// person (a name or an e-mail address).
fn person(cursor: &mut Cursor) -> Option<Option<Option<String>>> {
    let mut name = None;
    let mut email = None;
    while let Some(element) = cursor.next_child()? {
        let text = cursor.text()?;
        match (element.name(), text) {
            ("name", Some(text)) => name = Some(text.into_owned()),
            ("email", text) => email = text.map(|t| t.into_owned()),
            _ => {}
        }
    }
    Some((name.is_some() || email.is_some()).then_some(name))
}
