//! Bytes to a [`ParsedFeed`]: the body decoded, told from a web page, then read
//! by the streaming fast path (`fast`) or, when it declines, by feed-rs with
//! recovery (`recover`), with what feed-rs needs done to a document first (long
//! XML declarations, empty prefixed elements, entry languages). Apart from
//! `normalise`, which turns what either parser read into khabar's items, because
//! choosing and guarding a parser is one concern and the items' shape another.

use std::borrow::Cow;

use feed_rs::model::{Feed, FeedType};
use url::Url;

use super::encoding::to_utf8;
use super::normalise::normalise;
use super::raw::RawFeed;
use super::{
    FeedError, ParsedFeed, crash_guard, dates, episode, fast, recover, site_base, xml_base,
};

/// Parses a feed body. `http_charset` is the Content-Type charset, if any;
/// `feed_url` is where the feed came from (the base for relative links).
pub fn parse(
    body: &[u8],
    http_charset: Option<&str>,
    feed_url: &str,
) -> Result<ParsedFeed, FeedError> {
    parse_with_repairs(body, http_charset, feed_url).map(|(feed, _)| feed)
}

/// [`parse`], and what had to be repaired to read the body (empty when the
/// strict parse succeeded; otherwise the feed was "read with repairs").
pub fn parse_with_repairs(
    body: &[u8],
    http_charset: Option<&str>,
    feed_url: &str,
) -> Result<(ParsedFeed, Vec<String>), FeedError> {
    parse_by(body, http_charset, feed_url, Parsers::FastThenFeedRs).map_err(|err| match err {
        // Only once the body failed as a feed: a feed that reads is never judged
        // by its bytes (recovery keeps feeds with stray control characters).
        FeedError::NotAFeed | FeedError::Malformed(_) => {
            super::sniff::binary_kind(body).map_or(err, FeedError::Binary)
        }
        other => other,
    })
}

/// Which parsers [`parse_by`] may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parsers {
    /// The fast path, and feed-rs (with recovery) when it declines: what
    /// [`parse_with_repairs`] does.
    FastThenFeedRs,
    /// feed-rs and recovery only, as before the fast path.
    FeedRsOnly,
    /// The fast path only: `Err(FeedError::NotAFeed)` when it declined.
    FastOnly,
}

/// [`parse_with_repairs`] with a choice of parsers, so that tests, benches
/// and the fuzz target can compare the fast path with feed-rs.
///
/// Relative links resolve against the feed's address when it is a web one.
/// A file, a path or an `exec:` command is no base for a link to the site
/// (`/news/1` became `file:///news/1`): such a feed is read again with its own
/// site (RSS channel `<link>`, Atom alternate link, JSON Feed `home_page_url`)
/// as the base, when that is an absolute http(s) URL and a link needs it.
/// http(s) feeds are read once, as before. An `xml:base` in scope still wins,
/// as it does over the address.
pub fn parse_by(
    body: &[u8],
    http_charset: Option<&str>,
    feed_url: &str,
    parsers: Parsers,
) -> Result<(ParsedFeed, Vec<String>), FeedError> {
    let address = Url::parse(feed_url).ok();
    if address.as_ref().is_some_and(site_base::is_web) {
        return parse_against(body, http_charset, address, parsers);
    }
    let read = parse_against(body, http_charset, address, parsers)?;
    match site_base::of(&read.0) {
        // Read again only when a link was left for the site to resolve: most
        // feeds give absolute links, and a second parse of every item would
        // double the cost of a file:// feed's refresh (issue 7's figure).
        Some(site) if site_base::has_links_off_the_web(&read.0) => {
            parse_against(body, http_charset, Some(site), parsers)
        }
        _ => Ok(read),
    }
}

/// [`parse_by`] with relative links resolved against `base`.
fn parse_against(
    body: &[u8],
    http_charset: Option<&str>,
    base: Option<Url>,
    parsers: Parsers,
) -> Result<(ParsedFeed, Vec<String>), FeedError> {
    let utf8 = to_utf8(body, http_charset);
    let first = utf8.iter().copied().find(|b| !b.is_ascii_whitespace());
    if first.is_none() {
        return Err(FeedError::Empty);
    }
    if looks_like_html(&utf8) {
        return Err(FeedError::HtmlPage);
    }
    let base_str = base.as_ref().map(Url::as_str);
    // A DTD with entities: the strict parser would show `&name;` literally.
    let expanded = recover::declares_entities(&utf8)
        .then(|| recover::recover(&utf8))
        .flatten();
    let doc: &[u8] = expanded.as_ref().map_or(&utf8, |r| &r.body);
    // Atom 0.3 and RSS 0.90 in the namespaces of their successors, for feed-rs.
    let upgraded = recover::atom03_as_atom10(doc).or_else(|| recover::rss090_as_rss10(doc));
    let doc: &[u8] = upgraded.as_deref().unwrap_or(doc);
    if expanded.is_none() && upgraded.is_none() && parsers != Parsers::FeedRsOnly {
        // The streaming parser reads the common well-formed documents; anything
        // it is not sure of goes the feed-rs way below, as it always did.
        if let Some(feed) = fast_parse(doc, base_str) {
            return Ok((normalise(feed, base.as_ref()), Vec::new()));
        }
    }
    if parsers == Parsers::FastOnly {
        return Err(FeedError::NotAFeed);
    }
    // Rewritten for feed-rs only: the fast path declines such a root, and the
    // rare feed that has one costs a copy here.
    let rss20 = recover::rss_version_as_20(doc);
    let doc: &[u8] = rss20.as_deref().unwrap_or(doc);
    let mut repairs = Vec::new();
    let mut recovered_body = None;
    let mut feed: RawFeed = match strict_parse(doc, base_str) {
        Ok(feed) => feed.into(),
        // Only when the strict parse failed: well-formed feeds never pay for it.
        Err(err) => match recover::recover(doc).and_then(|mut recovered| {
            // A root that only parsed once repaired is looked at again here.
            if let Some(body) = recover::rss_version_as_20(&recovered.body) {
                recovered.body = body;
            }
            let feed = strict_parse(&recovered.body, base_str).ok()?;
            // Nothing saved (a server error cut the document before any item):
            // the strict parser's error says more than an empty "repaired" feed.
            // JSON is never cut by recovery: an empty JSON Feed is as published.
            (!feed.entries.is_empty() || feed.feed_type == FeedType::JSON)
                .then_some((feed, recovered))
        }) {
            Some((feed, recovered)) => {
                repairs = recovered.repairs.describe();
                recovered_body = Some(recovered.body);
                feed.into()
            }
            None => return Err(err),
        },
    };
    let read = recovered_body.as_deref().unwrap_or(doc);
    if feed.atom {
        apply_entry_languages(&mut feed, read);
    }
    xml_base::apply(&mut feed, read, base.as_ref());
    episode::apply_itunes_durations(&mut feed, read);
    episode::apply_json_durations(&mut feed, read);
    if feed.entries.len() > super::MAX_ITEMS_PER_DOCUMENT {
        // Input decides the size: a hostile feed of a million entries is cut to
        // the first ones (feeds list the newest first).
        repairs.push(format!(
            "kept the first {} of {} items",
            super::MAX_ITEMS_PER_DOCUMENT,
            feed.entries.len()
        ));
        feed.entries.truncate(super::MAX_ITEMS_PER_DOCUMENT);
    }
    Ok((normalise(feed, base.as_ref()), repairs))
}

/// feed-rs on a UTF-8 document, with its errors as [`FeedError`]s.
fn strict_parse(utf8: &[u8], base: Option<&str>) -> Result<Feed, FeedError> {
    let utf8 = &*without_long_declaration(utf8);
    let utf8 = &*crash_guard::space_emails(utf8);
    let guarded = |doc: &[u8]| {
        // A panic in feed-rs costs this feed only; the refresh logs the error.
        crash_guard::catch(|| build_parser(base).parse(doc))
            .map_err(|panic| FeedError::Malformed(format!("the feed parser crashed ({panic})")))
    };
    let feed = match guarded(utf8)? {
        // feed-rs rejects some empty extension elements (`<media:credit/>`): drop them and retry.
        Err(feed_rs::parser::ParseFeedError::ParseError(
            feed_rs::parser::ParseErrorKind::MissingContent { .. },
        )) => guarded(&without_empty_prefixed_elements(utf8)[..])?,
        other => other,
    };
    feed.map_err(|err| match err {
        feed_rs::parser::ParseFeedError::ParseError(kind) => match kind {
            feed_rs::parser::ParseErrorKind::NoFeedRoot => FeedError::NotAFeed,
            other => FeedError::Malformed(other.to_string()),
        },
        other => FeedError::Malformed(other.to_string()),
    })
}

/// The streaming parser ([`fast`]) on the document feed-rs would read, with
/// the same entry languages and item limit; `None` when it declined.
fn fast_parse(doc: &[u8], base: Option<&str>) -> Option<RawFeed> {
    let prepared = without_long_declaration(doc);
    let prepared = crash_guard::space_emails(&prepared);
    let mut feed = fast::parse(&prepared, base)?;
    if feed.entries.len() > super::MAX_ITEMS_PER_DOCUMENT {
        // Cut with a repair note by the feed-rs path.
        return None;
    }
    if feed.atom {
        apply_entry_languages(&mut feed, doc);
    }
    Some(feed)
}

/// feed-rs reads `xml:lang` only on `<content>`; an `xml:lang` on `<entry>` itself
/// (common in mixed-language feeds) is read here, in document order.
fn apply_entry_languages(feed: &mut RawFeed, utf8: &[u8]) {
    let Ok(text) = simdutf8::basic::from_utf8(utf8) else {
        return;
    };
    if text.matches("xml:lang").nth(1).is_none() {
        return;
    }
    let mut reader = quick_xml::Reader::from_str(text);
    let mut languages: Vec<Option<String>> = Vec::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(tag)) if tag.local_name().as_ref() == "entry" => {
                let lang = tag
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == "xml:lang")
                    .map(|a| a.value.trim().to_string())
                    .filter(|l| !l.is_empty());
                languages.push(lang);
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(_) => return,
        }
    }
    if languages.len() != feed.entries.len() {
        return;
    }
    for (entry, lang) in feed.entries.iter_mut().zip(languages) {
        if entry.language.is_none() {
            entry.language = lang.map(|l| l.to_lowercase());
        }
    }
}

/// A fresh parser per document: a feed-rs parser keeps state between documents.
fn build_parser(base: Option<&str>) -> feed_rs::parser::Parser {
    feed_rs::parser::Builder::new()
        .base_uri(base)
        // An empty id marks "no guid": khabar derives its own stable identity.
        .id_generator(|_, _, _| String::new())
        .sanitize_content(false)
        .timestamp_parser(dates::parse_timestamp)
        .build()
}

/// Removes attribute-less empty namespaced elements such as `<media:credit/>`.
fn without_empty_prefixed_elements(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'<' {
            let rest = &body[i + 1..];
            let name_len = rest
                .iter()
                .position(|b| {
                    !(b.is_ascii_alphanumeric() || *b == b':' || *b == b'-' || *b == b'_')
                })
                .unwrap_or(rest.len());
            let name = &rest[..name_len];
            if name.contains(&b':') && rest[name_len..].starts_with(b"/>") {
                i += 1 + name_len + 2;
                continue;
            }
        }
        out.push(body[i]);
        i += 1;
    }
    out
}

fn looks_like_html(body: &[u8]) -> bool {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let head: Vec<u8> = body[start..]
        .iter()
        .take(256)
        .map(u8::to_ascii_lowercase)
        .collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
}

/// quick-xml (under feed-rs) panics when an XML declaration ends past its
/// 64-byte sniffing buffer ("set_encoding() called after prefix buffer was
/// drained"): a padded or unterminated `<?xml …` made the whole refresh task
/// panic (found by the `feed` fuzz target). The body is UTF-8 already, its
/// declared encoding applied, so such a declaration is dropped before parsing.
fn without_long_declaration(utf8: &[u8]) -> Cow<'_, [u8]> {
    const SAFE_END: usize = 56;
    let start = utf8
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(utf8.len());
    if !utf8[start..].starts_with(b"<?xml") {
        return Cow::Borrowed(utf8);
    }
    let rest = &utf8[start..];
    let end = rest
        .windows(2)
        .position(|w| w == b"?>")
        .map(|i| i + 2)
        .or_else(|| rest.iter().position(|&b| b == b'>').map(|i| i + 1))
        .unwrap_or(rest.len());
    if start + end <= SAFE_END {
        return Cow::Borrowed(utf8);
    }
    Cow::Owned(rest[end..].to_vec())
}
