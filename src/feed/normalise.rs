//! From what a parser read ([`RawFeed`], from the fast path or feed-rs) to
//! khabar's [`ParsedFeed`]: identity, links resolved, plain-text titles,
//! categories, enclosures, language and a content hash. Which parser reads a
//! body is `parse`'s concern.

use url::Url;

use super::content_hash::content_hash;
use super::raw::{RawEntry, RawFeed, RawLink, RawText};
use super::{ParsedFeed, ParsedItem, episode, text};

pub(super) fn normalise(feed: RawFeed, base: Option<&Url>) -> ParsedFeed {
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
