//! RSS 1.0 (RDF): the channel's title, links and `dc:language`, and the items
//! beside it (an item without a link is dropped, as feed-rs drops it).

use super::cursor::{Cursor, Ns};
use super::rss::ItemBases;
use super::{declared_base, person_name, text_link, timestamp};
use crate::feed::raw::{RawContent, RawEntry, RawFeed, RawText};

/// The children of the root `<rdf:RDF>`.
pub(super) fn parse(cursor: &mut Cursor) -> Option<RawFeed> {
    let mut feed = RawFeed {
        // The root's `xml:base`: the items are its children.
        base: declared_base(cursor, cursor.depth()),
        ..RawFeed::default()
    };
    while let Some(element) = cursor.next_child()? {
        match (cursor.ns(&element), element.name()) {
            (Ns::Rss, "channel") => channel(cursor, &mut feed)?,
            (Ns::Rss, "item") => {
                if let Some(entry) = item(cursor)? {
                    feed.entries.push(entry);
                }
            }
            _ => cursor.skip()?,
        }
    }
    Some(feed)
}

fn plain(text: &str) -> RawText {
    RawText {
        content: text.trim().to_string(),
        is_html: false,
    }
}

fn channel(cursor: &mut Cursor, feed: &mut RawFeed) -> Option<()> {
    while let Some(element) = cursor.next_child()? {
        match (cursor.ns(&element), element.name()) {
            (Ns::Rss, "title") => feed.title = cursor.text()?.map(|t| plain(&t)),
            (Ns::Rss, "link") => feed.links.extend(text_link(cursor)?),
            (Ns::DublinCore, "language") => {
                feed.language = cursor.text()?.map(|t| t.into_owned());
            }
            _ => cursor.skip()?,
        }
    }
    Some(())
}

fn item(cursor: &mut Cursor) -> Option<Option<RawEntry>> {
    let mut bases = ItemBases::new(cursor);
    let mut entry = RawEntry::default();
    let mut content_encoded: Option<String> = None;
    while let Some(element) = cursor.next_child()? {
        match (cursor.ns(&element), element.name()) {
            (Ns::Rss, "title") => entry.title = cursor.text()?.map(|t| plain(&t)),
            (Ns::Rss, "link") => entry.links.extend(text_link(cursor)?),
            (Ns::Rss, "description") => {
                bases.description(cursor);
                entry.summary = cursor.text()?.map(|t| t.trim().to_string());
            }
            (Ns::DublinCore, "description") if entry.summary.is_none() => {
                entry.summary = cursor.text()?.map(|t| t.trim().to_string());
            }
            (Ns::Content, "encoded") => {
                bases.content(cursor);
                content_encoded = cursor.text()?.map(|t| t.trim().to_string());
            }
            (Ns::DublinCore, "creator") => {
                if let Some(text) = cursor.text()? {
                    entry.authors.push(person_name(&text)?);
                }
            }
            (Ns::DublinCore, "date") => entry.published = timestamp(cursor.text()?),
            _ => cursor.skip()?,
        }
    }
    entry.base = bases.nearest();
    entry.content = content_encoded.map(|body| RawContent {
        body: Some(body),
        src: None,
    });
    Some((!entry.links.is_empty()).then_some(entry))
}
