//! The `xml:base` in scope for each entry's text, read from the document for
//! the feed-rs path. feed-rs resolves links and enclosures against the base in
//! scope but keeps nothing of it for the text (only an Atom `<content>`'s own,
//! as written), though relative links in a summary or content mean the base
//! around them (XML Base) just as much. The fast path reads these bases as it
//! parses (`fast::atom`, `fast::rss`, `fast::rdf`); this reads the same ones,
//! in document order, resolved against the bases around them the same way, so
//! the items do not depend on which parser read the feed.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use url::Url;

use super::fast::Ns;
use super::raw::RawFeed;

/// Where a document keeps its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    /// `<feed>` with `<entry>` children.
    Atom,
    /// RSS 2.0 / 0.9x: `<item>`s in the first `<channel>` of `<rss>`.
    Rss,
    /// RSS 1.0: `<item>`s beside the `<channel>`, children of `<rdf:RDF>`.
    Rdf,
}

impl Dialect {
    /// The namespace of an unprefixed (or unknown-prefixed) element, as
    /// feed-rs and the fast path apply it.
    fn default_ns(self) -> Ns {
        match self {
            Dialect::Atom => Ns::Atom,
            Dialect::Rss | Dialect::Rdf => Ns::Rss,
        }
    }
}

/// What an element is to this reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The element whose base the entries inherit (the root; RSS's channel).
    FeedScope,
    Entry,
    Description,
    Content,
    /// An RSS 1.0 item's `<link>`: an item without one is dropped.
    Link,
    Other,
}

/// The bases one entry declares, each the last one declared, as the fast
/// path keeps them (`fast::rss::ItemBases`, `fast::atom`).
#[derive(Default)]
struct EntryBases {
    own: Option<String>,
    description: Option<String>,
    content: Option<String>,
    has_link: bool,
}

impl EntryBases {
    /// The entry's base: the description's, else the content's, else its own
    /// (Atom entries have no description base: a summary takes the content's).
    fn nearest(self) -> Option<String> {
        self.description.or(self.content).or(self.own)
    }
}

/// Sets the feed's and each entry's base ([`RawFeed::base`],
/// [`super::raw::RawEntry::base`]) from the document. Left as feed-rs has them
/// when the document declares no `xml:base`, does not read, or its entries do
/// not line up with the parsed ones.
pub(super) fn apply(feed: &mut RawFeed, utf8: &[u8], doc_url: Option<&Url>) {
    let Ok(text) = simdutf8::basic::from_utf8(utf8) else {
        return;
    };
    if !text.contains("xml:base") {
        return;
    }
    let mut reader = quick_xml::NsReader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    // (depth of the element that declared it, the base): feed-rs's stack.
    let mut bases: Vec<(usize, Url)> = doc_url.map(|url| (0, url.clone())).into_iter().collect();
    let mut depth = 0;
    let mut dialect = None;
    let mut channel_seen = false;
    let mut in_channel = false;
    let mut entry_depth = None;
    let mut awaiting_link_text = false;
    let mut feed_base = None;
    let mut entries: Vec<EntryBases> = Vec::new();
    loop {
        let (ns, event) = match reader.read_resolved_event() {
            Ok(read) => read,
            Err(_) => return,
        };
        let mut link_text = false;
        match event {
            Event::Start(tag) => {
                depth += 1;
                let name = tag.local_name();
                let name = name.as_ref();
                if depth == 1 {
                    dialect = Some(match name {
                        "feed" => Dialect::Atom,
                        "rss" => Dialect::Rss,
                        "RDF" => Dialect::Rdf,
                        _ => return,
                    });
                }
                let Some(dialect) = dialect else {
                    return;
                };
                let ns = match &ns {
                    ResolveResult::Bound(uri) if !uri.as_ref().is_empty() => {
                        Ns::parse(uri.as_ref())
                    }
                    _ => dialect.default_ns(),
                };
                let in_entry = entry_depth.is_some_and(|at| at + 1 == depth);
                let role = match (dialect, depth, ns, name) {
                    (Dialect::Atom | Dialect::Rdf, 1, _, _) => Role::FeedScope,
                    (Dialect::Rss, 2, _, "channel") if !channel_seen => {
                        channel_seen = true;
                        in_channel = true;
                        Role::FeedScope
                    }
                    (Dialect::Atom, 2, Ns::Atom, "entry") | (Dialect::Rdf, 2, Ns::Rss, "item") => {
                        Role::Entry
                    }
                    (Dialect::Rss, 3, Ns::Rss, "item") if in_channel => Role::Entry,
                    (Dialect::Atom, _, Ns::Atom, "content") if in_entry => Role::Content,
                    (Dialect::Rss | Dialect::Rdf, _, Ns::Rss, "description") if in_entry => {
                        Role::Description
                    }
                    (Dialect::Rss | Dialect::Rdf, _, Ns::Content, "encoded") if in_entry => {
                        Role::Content
                    }
                    (Dialect::Rdf, _, Ns::Rss, "link") if in_entry => Role::Link,
                    _ => Role::Other,
                };
                if role == Role::Entry {
                    entries.push(EntryBases::default());
                    entry_depth = Some(depth);
                }
                awaiting_link_text = role == Role::Link;
                if let Some(url) = declared(&tag, bases.last().map(|(_, url)| url)) {
                    let here = Some(url.as_str().to_string());
                    if let Some(entry) = entries.last_mut().filter(|_| entry_depth.is_some()) {
                        match role {
                            Role::Entry => entry.own = here,
                            Role::Description => entry.description = here,
                            Role::Content => entry.content = here,
                            _ => {}
                        }
                    }
                    bases.push((depth, url));
                }
                if role == Role::FeedScope {
                    feed_base = bases
                        .last()
                        .filter(|(at, _)| *at > 0)
                        .map(|(_, url)| url.as_str().to_string());
                }
            }
            Event::End(_) => {
                awaiting_link_text = false;
                if entry_depth == Some(depth) {
                    entry_depth = None;
                }
                if depth == 2 {
                    in_channel = false;
                }
                depth = depth.saturating_sub(1);
                while bases.last().is_some_and(|(at, _)| *at > depth) {
                    bases.pop();
                }
            }
            // What the fast path's cursor counts as an element's text: any
            // text or reference; an empty CDATA section counts for nothing,
            // and comments and processing instructions are passed over.
            Event::Text(_) | Event::GeneralRef(_) => {
                link_text = awaiting_link_text;
                awaiting_link_text = false;
            }
            Event::CData(data) if !data.is_empty() => {
                link_text = awaiting_link_text;
                awaiting_link_text = false;
            }
            Event::Eof => break,
            _ => {}
        }
        if link_text && let Some(entry) = entries.last_mut() {
            entry.has_link = true;
        }
    }
    // Both parsers drop an RSS 1.0 item without a link.
    let kept: Vec<EntryBases> = entries
        .into_iter()
        .filter(|entry| dialect != Some(Dialect::Rdf) || entry.has_link)
        .collect();
    if kept.len() != feed.entries.len() {
        return;
    }
    feed.base = feed_base;
    for (entry, bases) in feed.entries.iter_mut().zip(kept) {
        entry.base = bases.nearest();
    }
}

/// The `xml:base` a start tag declares, made absolute against the one around
/// it; `None` when it declares none or one that cannot be resolved (which the
/// fast path skips too; feed-rs fails the whole document on an invalid one).
fn declared(tag: &BytesStart, outer: Option<&Url>) -> Option<Url> {
    let declared = tag
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == "xml:base")?;
    // Unescaped as the fast path's cursor unescapes attributes.
    let value = &declared.value;
    let declared = quick_xml::escape::unescape(value).unwrap_or_else(|_| value.clone());
    match Url::parse(&declared) {
        Ok(url) => Some(url),
        Err(url::ParseError::RelativeUrlWithoutBase) => outer?.join(&declared).ok(),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::raw::RawEntry;

    fn bases(doc: &str, entries: usize) -> (Option<String>, Vec<Option<String>>) {
        let mut feed = RawFeed {
            entries: vec![RawEntry::default(); entries],
            ..RawFeed::default()
        };
        let url = Url::parse("http://127.0.0.1/feed.xml").ok();
        apply(&mut feed, doc.as_bytes(), url.as_ref());
        (
            feed.base,
            feed.entries.into_iter().map(|e| e.base).collect(),
        )
    }

    #[test]
    fn rss_channel_item_and_description_bases() {
        let doc = "<rss version=\"2.0\" xml:base=\"/a/\"><channel xml:base=\"b/\">\
            <item><description>x</description></item>\
            <item xml:base=\"i/\"><description xml:base=\"d/\">x</description></item>\
            </channel><channel xml:base=\"/other/\"><item/></channel></rss>";
        let (feed, entries) = bases(doc, 2);
        assert_eq!(feed.as_deref(), Some("http://127.0.0.1/a/b/"));
        assert_eq!(
            entries,
            [None, Some("http://127.0.0.1/a/b/i/d/".to_string())]
        );
    }

    #[test]
    fn rdf_items_without_a_link_are_not_counted() {
        let doc = "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
            xmlns=\"http://purl.org/rss/1.0/\" xml:base=\"/r/\">\
            <item xml:base=\"one/\"><link><!-- c --><![CDATA[]]></link></item>\
            <item xml:base=\"two/\"><link>&amp;</link></item></rdf:RDF>";
        let (feed, entries) = bases(doc, 1);
        assert_eq!(feed.as_deref(), Some("http://127.0.0.1/r/"));
        assert_eq!(entries, [Some("http://127.0.0.1/r/two/".to_string())]);
    }

    #[test]
    fn entries_that_do_not_line_up_are_left_alone() {
        let doc = "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"/f/\">\
            <entry xml:base=\"e/\"/></feed>";
        assert_eq!(bases(doc, 2), (None, vec![None, None]));
        assert_eq!(
            bases(doc, 1),
            (
                Some("http://127.0.0.1/f/".to_string()),
                vec![Some("http://127.0.0.1/f/e/".to_string())]
            )
        );
    }
}
