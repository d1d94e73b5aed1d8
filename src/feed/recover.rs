//! Recovery of malformed feed documents, the way libxml2's recover mode lets
//! newsboat read them: called only when the strict parse failed (well-formed feeds
//! never come here), it rewrites the document into well-formed XML and says what
//! it repaired, so the feed is "read with repairs" instead of failed.
//!
//! What it does, in one linear pass with an explicit element stack (no recursion):
//! - a `&` that starts no valid reference is text (`&amp;`), in text and attributes;
//! - character references to characters XML forbids (`&#0;`, `&#xD800;`,
//!   `&#x110000;`) are dropped;
//! - general entities of the internal DTD subset are expanded, within a budget
//!   (billion laughs); external entities are never resolved (no file, no network);
//! - a `<` that starts no tag is text; a stray end tag is dropped; an end tag that
//!   closes an outer element closes the inner ones first;
//! - at the end of a cut-off document, every open element is closed, so each item
//!   that was read (the complete ones and the one being read) is kept;
//! - elements nested deeper than [`MAX_DEPTH`] lose their tags (their text stays).
//!
//! JSON Feed bodies get the repairs serde cannot make: a lone UTF-16 surrogate
//! escape (`\ud800`) becomes U+FFFD, a field of the wrong type (an item
//! `id` that is a number, as JSON Feed 1.1 allows) is converted or dropped,
//! and a missing feed `title` is supplied empty, a missing or unknown `version`
//! (of an object with a list of items) as 1.1, missing `items` as none.

mod attributes;
mod entities;
mod json;
mod reference;
mod xml;

use json::recover_json;
use xml::Recoverer;

/// Elements nested deeper than this keep their text but lose their tags.
pub const MAX_DEPTH: usize = 256;
/// Nesting of entity references inside entity values.
const MAX_ENTITY_DEPTH: usize = 8;
/// Characters that entity expansion may add, beyond the document's own size.
const ENTITY_BUDGET: usize = 1 << 20;

/// A repaired document and what was repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovered {
    /// Well-formed XML (or JSON), UTF-8.
    pub body: Vec<u8>,
    /// What was repaired, for `khabar feeds`.
    pub repairs: Repairs,
}

/// Counts of each kind of repair.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Repairs {
    /// `&` that starts no reference, escaped.
    pub bare_ampersands: usize,
    /// Character references to characters XML forbids, dropped.
    pub bad_char_refs: usize,
    /// `<` that starts no tag, escaped.
    pub bare_less_than: usize,
    /// End tags that closed nothing, dropped.
    pub stray_end_tags: usize,
    /// Elements closed by an outer end tag or at the end of the document.
    pub unclosed_elements: usize,
    /// The document ended inside a tag, comment, CDATA section or element.
    pub truncated: bool,
    /// Undeclared, external or over-budget entity references, left as text.
    pub unexpanded_entities: usize,
    /// Tags dropped for nesting deeper than [`MAX_DEPTH`].
    pub too_deep: usize,
    /// Malformed or duplicate attributes dropped or quoted.
    pub bad_attributes: usize,
    /// Content after the root element, dropped.
    pub trailing_content: bool,
    /// Lone UTF-16 surrogate escapes in JSON, replaced.
    pub lone_surrogates: usize,
    /// JSON Feed fields of the wrong type (an `id` that is a number, an
    /// `author` that is a string), converted or dropped.
    pub wrong_types: usize,
    /// A JSON Feed without its required `title`, read without one.
    pub missing_title: bool,
    /// A JSON Feed without its required `version`, or with one the strict
    /// parser does not take, read as 1.1.
    pub missing_version: bool,
    /// A JSON Feed without its required `items`, read as having none.
    pub missing_items: bool,
}

impl Repairs {
    /// True when nothing was repaired.
    pub fn is_empty(&self) -> bool {
        self.describe().is_empty()
    }

    /// One short phrase per kind of repair, in a fixed order.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.missing_version {
            out.push("JSON Feed version missing or unknown, read as 1.1".to_string());
        }
        if self.missing_title {
            out.push("no feed title".to_string());
        }
        if self.missing_items {
            out.push("no items list".to_string());
        }
        let mut count = |n: usize, one: &str, many: &str| {
            if n == 1 {
                out.push(one.to_string());
            } else if n > 1 {
                out.push(format!("{n} {many}"));
            }
        };
        count(self.bare_ampersands, "1 bare &", "bare &");
        count(
            self.bad_char_refs,
            "1 invalid character reference dropped",
            "invalid character references dropped",
        );
        count(self.bare_less_than, "1 bare <", "bare <");
        count(
            self.lone_surrogates,
            "1 lone surrogate replaced",
            "lone surrogates replaced",
        );
        count(
            self.wrong_types,
            "1 field of the wrong type converted",
            "fields of the wrong type converted",
        );
        count(
            self.stray_end_tags,
            "1 stray end tag dropped",
            "stray end tags dropped",
        );
        count(
            self.unclosed_elements,
            "1 unclosed element closed",
            "unclosed elements closed",
        );
        count(self.bad_attributes, "1 bad attribute", "bad attributes");
        count(
            self.unexpanded_entities,
            "1 unexpanded entity",
            "unexpanded entities",
        );
        count(
            self.too_deep,
            "1 tag nested too deep",
            "tags nested too deep",
        );
        if self.truncated {
            out.push("cut off".to_string());
        }
        if self.trailing_content {
            out.push("content after the end dropped".to_string());
        }
        out
    }
}

/// Repairs a feed body that failed the strict parse; `None` when it is not a
/// feed at all (no RSS, RDF, Atom or JSON root), so a web page stays "not a feed".
pub fn recover(utf8: &[u8]) -> Option<Recovered> {
    let text = String::from_utf8_lossy(utf8);
    let first = text.trim_start().chars().next()?;
    if first == '{' {
        return recover_json(&text);
    }
    let mut recoverer = Recoverer::new(&text);
    recoverer.run();
    if !recoverer.saw_feed_root {
        return None;
    }
    Some(Recovered {
        body: recoverer.out.into_bytes(),
        repairs: recoverer.repairs,
    })
}

/// True when the document's DTD declares general entities: the strict parser
/// would show their references literally, so the document goes through
/// [`recover`] (which expands them) even when it is well-formed.
pub fn declares_entities(utf8: &[u8]) -> bool {
    // Only the prolog counts: stop at the root element's start tag.
    let mut at = 0;
    while let Some(lt) = utf8[at..].iter().position(|&b| b == b'<') {
        let tag = &utf8[at + lt..];
        if tag.get(1).is_some_and(u8::is_ascii_alphabetic) {
            return false;
        }
        if tag.starts_with(b"<!DOCTYPE") {
            let end = tag.len().min(64 * 1024);
            return find(&tag[..end], b"<!ENTITY").is_some();
        }
        at += lt + 1;
    }
    false
}

/// Atom 0.3 (`xmlns="http://purl.org/atom/ns#"`), which feed-rs does not know,
/// rewritten as Atom 1.0: the namespace, and the 0.3 date elements (`issued`,
/// `modified`) renamed to their 1.0 names. `None` for any other document (one
/// look at its first 2 KB).
pub fn atom03_as_atom10(utf8: &[u8]) -> Option<Vec<u8>> {
    const ATOM03: &str = "http://purl.org/atom/ns#";
    find(&utf8[..utf8.len().min(2048)], ATOM03.as_bytes())?;
    let text = String::from_utf8_lossy(utf8);
    let upgraded = text
        .replace(ATOM03, "http://www.w3.org/2005/Atom")
        .replace("<issued>", "<published>")
        .replace("</issued>", "</published>")
        .replace("<modified>", "<updated>")
        .replace("</modified>", "</updated>");
    Some(upgraded.into_bytes())
}

/// RSS 0.90 (`xmlns="http://my.netscape.com/rdf/simple/0.9/"`), which feed-rs does
/// not know, rewritten as RSS 1.0: only the namespace differs (0.90's channel, image,
/// item and textinput are RSS 1.0's, beside the channel under `<rdf:RDF>`). `None`
/// for any other document (one look at its first 2 KB).
pub fn rss090_as_rss10(utf8: &[u8]) -> Option<Vec<u8>> {
    const RSS090: &str = "http://my.netscape.com/rdf/simple/0.9/";
    find(&utf8[..utf8.len().min(2048)], RSS090.as_bytes())?;
    let text = String::from_utf8_lossy(utf8);
    Some(
        text.replace(RSS090, "http://purl.org/rss/1.0/")
            .into_bytes(),
    )
}

/// RSS whose `version` feed-rs does not know, rewritten as `version="2.0"`:
/// feed-rs reads only "2.0", "", "0.91" and "0.92", and calls anything else no
/// feed at all, where newsboat also reads "0.94" and "2", and a reader should
/// read "0.93", "2.00" or no version at all the same way (RSS 0.9x elements are
/// a subset of 2.0's). `None` for any other document (the root's start tag is
/// the only thing looked at).
pub fn rss_version_as_20(utf8: &[u8]) -> Option<Vec<u8>> {
    use quick_xml::events::Event;
    let text = simdutf8::basic::from_utf8(utf8).ok()?;
    let mut reader = quick_xml::Reader::from_str(text);
    let (start, tag) = loop {
        let start = usize::try_from(reader.buffer_position()).ok()?;
        match reader.read_event().ok()? {
            Event::Start(tag) | Event::Empty(tag) => break (start, tag),
            Event::Eof => return None,
            _ => {}
        }
    };
    if tag.name().as_ref() != "rss" {
        return None;
    }
    let mut version = None;
    let mut others = String::new();
    for attribute in tag.attributes().with_checks(false) {
        let attribute = attribute.ok()?;
        let value: &str = &attribute.value;
        if attribute.key.as_ref() == "version" {
            version = Some(value.trim().to_string());
            continue;
        }
        let key: &str = attribute.key.as_ref();
        // The value as written (still escaped); quoted so that its own
        // quotes stay inside.
        let quote = if value.contains('"') { '\'' } else { '"' };
        others.push_str(&format!(" {key}={quote}{value}{quote}"));
    }
    if matches!(version.as_deref(), Some("2.0" | "" | "0.91" | "0.92")) {
        return None;
    }
    let end = usize::try_from(reader.buffer_position()).ok()?;
    let close = if text[..end].ends_with("/>") {
        "/>"
    } else {
        ">"
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..start]);
    out.push_str(&format!("<rss version=\"2.0\"{others}{close}"));
    out.push_str(&text[end..]);
    Some(out.into_bytes())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The local names a feed document's root element may have.
fn is_feed_root(name: &str) -> bool {
    let local = name.rsplit(':').next().unwrap_or(name);
    matches!(local, "rss" | "RDF" | "feed" | "channel")
}

#[cfg(test)]
mod tests;
