//! The event stream the fast parser walks: quick-xml configured as feed-rs
//! configures it, with text, CDATA and references joined into one text event
//! (as feed-rs joins them), the namespaces feed-rs knows, the element depth and
//! the `xml:base` stack. `None` from any method means "decline": the document
//! goes to feed-rs, which says what is wrong with it (or reads it anyway).

use std::borrow::Cow;

use quick_xml::events::BytesStart;
use url::Url;

use super::scan::{Scanner, Token};

/// The namespaces feed-rs tells apart; every other one is `Unknown`.
/// Shared with `xml_base`, which finds the same elements for the feed-rs path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::feed) enum Ns {
    Atom,
    Rss,
    Unknown,
    Content,
    DublinCore,
    MediaRss,
    Itunes,
    Podcast,
    Comments,
}

impl Ns {
    /// The namespace of a URI, as feed-rs names it.
    pub fn parse(uri: &str) -> Ns {
        match uri {
            "http://purl.org/rss/1.0/" => Ns::Rss,
            "http://www.w3.org/2005/Atom" => Ns::Atom,
            "http://purl.org/rss/1.0/modules/content/" => Ns::Content,
            "http://purl.org/dc/elements/1.1/" => Ns::DublinCore,
            "http://search.yahoo.com/mrss/" => Ns::MediaRss,
            "http://www.itunes.com/dtds/podcast-1.0.dtd" => Ns::Itunes,
            "https://podcastindex.org/namespace/1.0" => Ns::Podcast,
            "http://wellformedweb.org/CommentAPI/" => Ns::Comments,
            _ => Ns::Unknown,
        }
    }
}

/// An element's start tag.
pub(super) struct Element<'a> {
    /// Its namespace, `None` when unbound (the document's default applies).
    ns: Option<Ns>,
    /// The tag, attributes and all.
    pub start: BytesStart<'a>,
}

impl Element<'_> {
    /// The name without its prefix (as feed-rs names elements).
    pub fn name(&self) -> &str {
        let name = self.start.name().0;
        name.rsplit(':').next().unwrap_or(name)
    }

    /// All attributes, full names and unescaped values, in document order;
    /// `None` when one is malformed (feed-rs would drop it silently).
    pub fn attributes(&self) -> Option<Vec<(String, String)>> {
        let mut out = Vec::new();
        for attribute in self.start.attributes() {
            let attribute = attribute.ok()?;
            let value = &attribute.value;
            let value = quick_xml::escape::unescape(value)
                .unwrap_or_else(|_| value.clone())
                .into_owned();
            out.push((attribute.key.as_ref().to_string(), value));
        }
        Some(out)
    }

    /// The first attribute of that name, as [`Element::attributes`] has it.
    pub fn attribute(&self, name: &str) -> Option<Option<String>> {
        if !self.start.attributes_raw().contains(name) {
            return Some(None);
        }
        let attributes = self.attributes()?;
        Some(
            attributes
                .into_iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value),
        )
    }
}

/// One event of the joined stream.
pub(super) enum Ev<'a> {
    Start(Element<'a>),
    End,
    Text(Cow<'a, str>),
    Eof,
}

/// The reader and the state feed-rs keeps beside it.
pub(super) struct Cursor<'a> {
    scanner: Scanner<'a>,
    /// The namespace of unprefixed, undeclared elements (set by the root).
    pub default_ns: Ns,
    /// Depth of the last element started (the root is 1).
    depth: u32,
    /// `xml:base` values in scope, with the depth that set them.
    bases: Vec<(u32, Url)>,
    /// An event read while joining text, returned next.
    pending: Option<Ev<'a>>,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `text`; `base` is the feed's URL.
    pub fn new(text: &'a str, base: Option<&str>) -> Option<Cursor<'a>> {
        let mut bases = Vec::new();
        if let Some(base) = base {
            bases.push((0, Url::parse(base).ok()?));
        }
        Some(Cursor {
            scanner: Scanner::new(text),
            default_ns: Ns::Unknown,
            depth: 0,
            bases,
            pending: None,
        })
    }

    /// Depth of the element last started and not yet ended.
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// The `xml:base` in scope (the feed URL at the outermost level).
    pub fn base(&self) -> Option<&Url> {
        self.bases.last().map(|(_, url)| url)
    }

    /// The `xml:base` that the element at `depth` (one still open) declared,
    /// resolved against the bases around it; `None` when it declared none.
    pub fn base_declared_at(&self, depth: u32) -> Option<&Url> {
        self.bases
            .last()
            .filter(|(at, _)| *at == depth)
            .map(|(_, url)| url)
    }

    /// The innermost `xml:base` the document declared that is still in
    /// scope, made absolute; `None` when only the feed URL is.
    pub fn declared_base_in_scope(&self) -> Option<&Url> {
        self.bases
            .last()
            .filter(|(at, _)| *at > 0)
            .map(|(_, url)| url)
    }

    /// An element's namespace, the default applied as feed-rs applies it.
    pub fn ns(&self, element: &Element) -> Ns {
        element.ns.unwrap_or(self.default_ns)
    }

    /// The next child element of the element being read, skipping text:
    /// `Some(None)` at that element's end, `None` at the end of the document.
    pub fn next_child(&mut self) -> Option<Option<Element<'a>>> {
        loop {
            match self.next()? {
                Ev::Start(element) => return Some(Some(element)),
                Ev::Text(_) => {}
                Ev::End => return Some(None),
                Ev::Eof => return None,
            }
        }
    }

    /// The next event; depth and `xml:base` follow it.
    pub fn next(&mut self) -> Option<Ev<'a>> {
        let event = match self.pending.take() {
            Some(event) => event,
            None => self.read()?,
        };
        match &event {
            Ev::Start(element) => {
                self.depth += 1;
                self.push_base(element)?;
            }
            Ev::End => {
                self.depth = self.depth.checked_sub(1)?;
                while self.bases.last().is_some_and(|(d, _)| *d > self.depth) {
                    self.bases.pop();
                }
            }
            Ev::Text(_) | Ev::Eof => {}
        }
        Some(event)
    }

    fn push_base(&mut self, element: &Element) -> Option<()> {
        let Some(value) = element.attribute("xml:base")? else {
            return Some(());
        };
        match Url::parse(&value) {
            Ok(url) => self.bases.push((self.depth, url)),
            Err(url::ParseError::RelativeUrlWithoutBase) => {
                if let Some(joined) = self.base().and_then(|b| b.join(&value).ok()) {
                    self.bases.push((self.depth, joined));
                }
            }
            // feed-rs fails the whole document.
            Err(_) => return None,
        }
        Some(())
    }

    /// Reads tokens up to the next start, end or end of input, joining the
    /// text on the way (empty text and CDATA count for nothing, references do).
    fn read(&mut self) -> Option<Ev<'a>> {
        let mut text: Option<Cow<'a, str>> = None;
        loop {
            let next = match self.scanner.token()? {
                Token::Start(ns, start) => Ev::Start(Element { ns, start }),
                Token::End => Ev::End,
                Token::Text(chunk, reference) => {
                    if reference || !chunk.is_empty() {
                        append(&mut text, chunk);
                    }
                    continue;
                }
                Token::Eof => Ev::Eof,
            };
            return Some(match text {
                Some(text) => {
                    self.pending = Some(next);
                    Ev::Text(text)
                }
                None => next,
            });
        }
    }

    /// Skips the rest of the element last started (its end included).
    pub fn skip(&mut self) -> Option<()> {
        let depth = self.depth;
        loop {
            match self.next()? {
                Ev::End if self.depth < depth => return Some(()),
                Ev::Eof => return None,
                _ => {}
            }
        }
    }

    /// The text right after a start tag (what feed-rs calls the element's
    /// text), then the rest of the element skipped.
    pub fn text(&mut self) -> Option<Option<Cow<'a, str>>> {
        let depth = self.depth;
        match self.next()? {
            Ev::Text(text) => {
                self.skip()?;
                Some(Some(text))
            }
            Ev::End if self.depth < depth => Some(None),
            Ev::Start(_) => {
                // The child just started; skip it and the rest of the element.
                self.skip()?;
                self.skip()?;
                Some(None)
            }
            Ev::End | Ev::Eof => None,
        }
    }

    /// Reads everything after the root element: feed-rs stops at its end,
    /// but a document broken past it is left to feed-rs to judge.
    pub fn finish(&mut self) -> Option<()> {
        loop {
            match self.next()? {
                Ev::Eof => return (self.depth == 0).then_some(()),
                Ev::Start(_) => return None,
                Ev::End | Ev::Text(_) => {}
            }
        }
    }
}

fn append<'a>(text: &mut Option<Cow<'a, str>>, more: Cow<'a, str>) {
    match text {
        None => *text = Some(more),
        Some(existing) => existing.to_mut().push_str(&more),
    }
}
