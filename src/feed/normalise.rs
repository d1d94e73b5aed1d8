//! From feed-rs's model to khabar's [`ParsedFeed`]: identity, links resolved,
//! plain-text titles, categories, enclosures, language and a content hash.

use std::borrow::Cow;

use feed_rs::model::{Feed, FeedType};
use url::Url;

use super::content_hash::content_hash;
use super::encoding::to_utf8;
use super::raw::{RawEntry, RawFeed, RawLink, RawText};
use super::{
    FeedError, ParsedFeed, ParsedItem, crash_guard, dates, episode, fast, recover, site_base, text,
    xml_base,
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
/// as the base, when that is an absolute http(s) URL. Once per feed, and only
/// for feeds that do not come from the web: http(s) feeds are read once, as
/// before. An `xml:base` in scope still wins, as it does over the address.
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

fn normalise(feed: RawFeed, base: Option<&Url>) -> ParsedFeed {
    let language = feed.language.as_deref().map(text::without_controls);
    let language = language.as_deref().map(str::trim).filter(|l| !l.is_empty());
    // The feed's `xml:base` (Atom `<feed>`, RSS `<channel>`/`<rss>`, RSS 1.0
    // `<rdf:RDF>`), once per feed: the entries' base when they have none.
    let feed_base = base_url(feed.base.as_deref(), base);
    let entries_base = feed_base.as_ref().or(base);
    let items = feed
        .entries
        .into_iter()
        .map(|entry| normalise_entry(entry, entries_base, language))
        .collect();
    ParsedFeed {
        title: feed
            .title
            .as_ref()
            .map(plain_title)
            .filter(|t| !t.is_empty()),
        site_link: best_link(&feed.links, base),
        language: language.map(str::to_string),
        items,
    }
}

fn normalise_entry(
    mut entry: RawEntry,
    feed_base: Option<&Url>,
    feed_language: Option<&str>,
) -> ParsedItem {
    // The entry's nearest `xml:base` ([`RawEntry::base`]), else the feed's.
    // Summaries, links and enclosures take it too, as they always took the
    // content's: generators (jekyll-feed) declare it on `<content>` alone, and
    // their summaries' relative links mean the same base. (RSS 2.0 content
    // has its own: the base in scope at `<content:encoded>`, as its `src`.)
    let entry_base = base_url(entry.base.as_deref(), feed_base);
    let base = entry_base.as_ref().or(feed_base);
    let link = best_link(&entry.links, base);
    // The summary's string is reused when it needs no trimming: no copy of
    // the item's largest field unless something changes it (issue 7).
    let summary = entry
        .summary
        .take()
        .map(|s| text::without_escapes(trimmed(s)))
        .filter(|s| !s.is_empty());
    let content_base = entry
        .content
        .as_ref()
        .and_then(|c| c.src.as_ref())
        .and_then(|src| Url::parse(src).ok());
    let content_html = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            let base = content_base.as_ref().or(base);
            text::without_escapes(text::resolve_relative_links(c.to_string(), base))
        });
    let summary = summary.map(|s| text::resolve_relative_links(s, base));
    let mut title = entry.title.as_ref().map(plain_title).unwrap_or_default();
    if title.is_empty() {
        // Items without a title (RSS 0.92 allows it) are named by their text.
        let from = summary.as_deref().or(content_html.as_deref()).unwrap_or("");
        // Cleaned again after decoding: entities can spell what `one_line`
        // removes (a storm of combining marks, found by the feed fuzz target).
        title = text::first_words(&text::one_line(&super::html_to_text(from)), 100);
    }
    let mut categories: Vec<String> = Vec::new();
    for category in &entry.categories {
        let name = category
            .label
            .as_deref()
            .filter(|l| !l.trim().is_empty())
            .unwrap_or(&category.term);
        let name = text::one_line(name).trim().to_string();
        if !name.is_empty() && !categories.contains(&name) {
            categories.push(name);
        }
    }
    let enclosures = episode::enclosures(&entry, base);
    let author = entry.authors.iter().find_map(|name| {
        name.as_deref()
            .map(|n| text::one_line(n).trim().to_string())
            .filter(|n| !n.is_empty())
    });
    let language = entry.language.as_deref().map(text::without_controls);
    let language = language
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty() && Some(*l) != feed_language)
        .map(str::to_string);
    let updated = entry.updated.filter(|at| !is_placeholder_date(*at));
    let published = entry
        .published
        .filter(|at| !is_placeholder_date(*at))
        .or(updated);
    let mut item = ParsedItem {
        identity: String::new(),
        title,
        link,
        author,
        summary,
        content_html,
        published,
        updated,
        categories,
        enclosures,
        language,
        content_hash: String::new(),
    };
    let guid = text::without_controls(&entry.id);
    let guid = guid.trim();
    item.identity = if !guid.is_empty() {
        guid.to_string()
    } else if let Some(link) = &item.link {
        link.clone()
    } else {
        let mut hasher = blake3::Hasher::new();
        hasher.update(item.title.as_bytes());
        hasher.update(b"\0");
        hasher.update(
            item.content_html
                .as_deref()
                .or(item.summary.as_deref())
                .unwrap_or("")
                .as_bytes(),
        );
        format!("hash:{}", hasher.finalize().to_hex())
    };
    item.content_hash = content_hash(&item);
    item
}

/// The Unix epoch give or take a time zone: a 0 printed as a date.
const EPOCH_WITH_ZONES: std::ops::RangeInclusive<i64> = -14 * 3600..=14 * 3600;

/// 1900-01-01T00:00:00Z: nothing in a feed is older.
const OLDEST_DATE: i64 = -2_208_988_800;

/// Timestamps that generators write for an item with no date: Go's zero time
/// (`0001-01-01T00:00:00Z`, from Hugo and other Go programs), and the Unix
/// epoch. Read as no date, so the item is dated when first seen, as an item
/// without one is, instead of sorting below every other for ever and showing
/// the year 1 (year -621 in the Jalali calendar).
fn is_placeholder_date(at: i64) -> bool {
    at < OLDEST_DATE || EPOCH_WITH_ZONES.contains(&at)
}

/// `text` without leading and trailing whitespace, the same `String` when it has none.
fn trimmed(text: String) -> String {
    if text.trim().len() == text.len() {
        text
    } else {
        text.trim().to_string()
    }
}

/// The link a reader opens: an alternate (or untyped) http(s) link, preferring
/// HTML, resolved against `base`.
fn best_link(links: &[RawLink], base: Option<&Url>) -> Option<String> {
    let candidates: Vec<&RawLink> = links
        .iter()
        .filter(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
        .filter(|l| !l.href.trim().is_empty())
        .collect();
    let is_web = |l: &&&RawLink| {
        // Compared in place: lowercasing a copy of every link was measurable (issue 7).
        let href = l.href.trim_start().as_bytes();
        let starts = |scheme: &[u8]| {
            href.get(..scheme.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(scheme))
        };
        starts(b"http://") || starts(b"https://") || !href.contains(&b':')
    };
    let chosen = candidates
        .iter()
        .find(|l| is_web(l) && l.media_type.as_deref().is_none_or(|t| t.contains("html")))
        .or_else(|| candidates.iter().find(is_web))
        .or_else(|| candidates.first())?;
    resolve(chosen.href.trim(), base)
}

/// A declared `xml:base` made absolute against the base around it.
fn base_url(declared: Option<&str>, outer: Option<&Url>) -> Option<Url> {
    declared
        .and_then(|b| resolve(b, outer))
        .and_then(|b| Url::parse(&b).ok())
}

/// `href` made absolute against `base`; kept as is (minus control characters)
/// when it cannot be.
pub(super) fn resolve(href: &str, base: Option<&Url>) -> Option<String> {
    let href = &*text::without_controls(href);
    if super::canonical_url::is_canonical_http_url(href) {
        // What parsing and writing it again would give (issue 7).
        return Some(href.to_string());
    }
    match Url::parse(href) {
        Ok(url) => Some(url.to_string()),
        Err(url::ParseError::RelativeUrlWithoutBase) => Some(
            base.and_then(|b| b.join(href).ok())
                .map(|u| u.to_string())
                .unwrap_or_else(|| href.to_string()),
        ),
        Err(_) => Some(href.to_string()),
    }
}

/// A title as plain text (see [`text::title_text`]): HTML titles (Atom
/// `type="html"`) lose their markup and entities; plain ones keep every word.
fn plain_title(title: &RawText) -> String {
    text::title_text(&title.content, title.is_html)
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
