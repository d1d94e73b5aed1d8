//! The fast path of feed parsing: a streaming reader (quick-xml, no element
//! tree, no regular expressions for dates) for well-formed RSS 2.0 / 0.9x,
//! RSS 1.0 and Atom 1.0 documents, producing exactly what feed-rs produces for
//! them ([`RawFeed`]), field by field, with feed-rs's own quirks (which text of
//! an element counts, which link wins, when an empty element clears a field).
//!
//! It declines (returns `None`) whenever it is not sure: a DTD, an encoding
//! other than UTF-8, any XML error, Podcasting 2.0 elements, Atom content by
//! reference, an unknown text type, media ordering it does not model. Declined documents go through feed-rs and the recovery path exactly
//! as before; `tests/feed_fast.rs` runs both paths over every fixture and
//! checks that they agree.

mod atom;
mod cursor;
mod media;
mod rdf;
mod rss;
mod scan;
mod serialize;

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;
use url::Url;

use super::dates;
use super::raw::{RawFeed, RawLink};
pub(super) use cursor::Ns;
use cursor::{Cursor, Ev};

/// Parses a UTF-8 feed document the way feed-rs would, or declines.
/// `doc` is what feed-rs would be given; `base` is the feed's URL.
pub(super) fn parse(doc: &[u8], base: Option<&str>) -> Option<RawFeed> {
    let text = simdutf8::basic::from_utf8(doc).ok()?;
    // feed-rs's reader strips a byte-order mark and sniffs UTF-16 from NUL
    // bytes at the start: neither is a case for the fast path.
    if text.starts_with('\u{feff}') || doc.iter().take(4).any(|&b| b == 0) {
        return None;
    }
    let mut cursor = Cursor::new(text, base)?;
    let root = loop {
        match cursor.next()? {
            Ev::Start(element) => break element,
            Ev::Text(_) => {}
            Ev::End | Ev::Eof => return None,
        }
    };
    let feed = match root.name() {
        "feed" => {
            cursor.default_ns = Ns::Atom;
            atom::parse_feed(&mut cursor, &root)?
        }
        "rss" => match root.attribute("version")?.as_deref() {
            Some("2.0" | "" | "0.91" | "0.92") => {
                cursor.default_ns = Ns::Rss;
                rss::parse(&mut cursor)?
            }
            _ => return None,
        },
        "RDF" => {
            cursor.default_ns = Ns::Rss;
            rdf::parse(&mut cursor)?
        }
        _ => return None,
    };
    cursor.finish()?;
    Some(feed)
}

/// feed-rs's `parse_uri`: absolute as is, relative joined to `base`.
fn parse_uri(uri: &str, base: Option<&Url>) -> Option<Url> {
    match Url::parse(uri) {
        Ok(url) => Some(url),
        Err(url::ParseError::RelativeUrlWithoutBase) => base.and_then(|b| b.join(uri).ok()),
        Err(_) => None,
    }
}

/// feed-rs's `Link::new`: the href resolved when it can be, trimmed.
fn link_href(href: &str, base: Option<&Url>) -> String {
    if super::canonical_url::is_canonical_http_url(href) {
        // What parsing and writing it again would give (issue 7).
        return href.to_string();
    }
    match parse_uri(href, base) {
        Some(url) => String::from(url).trim().to_string(),
        None => href.trim().to_string(),
    }
}

/// A link given as the element's text, resolved against its `xml:base`.
fn text_link(cursor: &mut Cursor) -> Option<Option<RawLink>> {
    let base = cursor.base().cloned();
    Some(cursor.text()?.map(|text| RawLink {
        href: link_href(&text, base.as_ref()),
        ..RawLink::default()
    }))
}

/// The `xml:base` declared by the open element at `depth`, made absolute by
/// the cursor. Only a declared one is copied: the feed URL, in scope when
/// nothing is declared, costs no string per entry.
fn declared_base(cursor: &Cursor, depth: u32) -> Option<String> {
    cursor
        .base_declared_at(depth)
        .map(|url| url.as_str().to_string())
}

/// A date element's text as feed-rs reads it (with khabar's lenient parser).
fn timestamp(text: Option<Cow<str>>) -> Option<i64> {
    text.and_then(|t| dates::parse_timestamp(&t))
        .map(|d| d.timestamp())
}

/// The name feed-rs's `Person::parse` finds in an author line
/// ("editor@site.ir (Editor)" → "Editor"); `None` to decline (feed-rs would
/// panic slicing inside a character).
fn person_name(raw: &str) -> Option<Option<String>> {
    if !raw.contains('@') {
        // No address can match: the whole line is the name.
        return Some(Some(raw.trim().to_string()));
    }
    static EMAIL: OnceLock<Option<Regex>> = OnceLock::new();
    let regex = EMAIL
        .get_or_init(|| {
            Regex::new(
                r"\b(<\[\()?(mailto:)?([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})(>]\))?\b",
            )
            .ok()
        })
        .as_ref()?;
    let Some(captures) = regex.captures(raw) else {
        return Some(Some(raw.trim().to_string()));
    };
    if captures.get(3).is_none() {
        return Some(Some(raw.trim().to_string()));
    }
    let span = captures.get(0)?;
    let prefix_len = span.start();
    let suffix_len = raw.len() - span.end();
    let name = if prefix_len > suffix_len {
        raw.get(..span.start() - 1)?
    } else if span.end() < raw.len() {
        raw.get(span.end() + 1..)?
    } else {
        ""
    };
    let name = name.trim();
    Some((!name.is_empty()).then(|| name.to_string()))
}

#[cfg(test)]
mod tests;
