//! The base for relative links in a feed that does not come from the web (a
//! file, a path, an `exec:` command): the feed's own site, as a feed reader
//! takes it. A file's address is no base for `/news/1` (`file:///news/1`
//! opens nothing), and a command has none at all. [`super::parse_by`] reads
//! such a feed again against the site this gives, once per feed.

use url::Url;

use super::ParsedFeed;

/// An http(s) URL: a feed address that stays the base of its links.
pub(super) fn is_web(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

/// The feed's own site (RSS channel `<link>`, Atom alternate link, JSON Feed
/// `home_page_url`, as [`ParsedFeed::site_link`] chose it), when that is an
/// absolute http(s) URL.
pub(super) fn of(feed: &ParsedFeed) -> Option<Url> {
    let link = feed.site_link.as_deref()?;
    Url::parse(link).ok().filter(is_web)
}

/// Whether any item's link, file or text links somewhere that is not a web
/// address: a link resolved against a file or a command, or one left relative.
/// What the feed's site as the base would change; nothing else would.
pub(super) fn has_links_off_the_web(feed: &ParsedFeed) -> bool {
    feed.items.iter().any(|item| {
        item.link.as_deref().is_some_and(|link| !is_web_link(link))
            || item.enclosures.iter().any(|file| !is_web_link(&file.url))
            || [item.summary.as_deref(), item.content_html.as_deref()]
                .into_iter()
                .flatten()
                .any(text_links_off_the_web)
    })
}

/// An absolute link a reader can follow without a base.
fn is_web_link(link: &str) -> bool {
    let lower = |prefix: &str| {
        link.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    ["http://", "https://", "mailto:", "data:", "tel:", "#"]
        .iter()
        .any(|prefix| lower(prefix))
}

/// The attributes whose values are links, with their searchers built once
/// (a searcher built per item showed in the first refresh's profile).
static ATTRIBUTES: std::sync::LazyLock<[(&str, memchr::memmem::Finder<'static>); 2]> =
    std::sync::LazyLock::new(|| {
        ["href=", "src="].map(|attribute| (attribute, memchr::memmem::Finder::new(attribute)))
    });

/// Whether an `href=` or `src=` in the HTML (quoted with `"`, `'` or not at
/// all, as the feed wrote it) is not a web link.
fn text_links_off_the_web(html: &str) -> bool {
    let bytes = html.as_bytes();
    ATTRIBUTES.iter().any(|(attribute, finder)| {
        finder.find_iter(bytes).any(|at| {
            let value = &html[at + attribute.len()..];
            let (value, ends) = match value.as_bytes().first() {
                Some(b'"') => (&value[1..], &['"'][..]),
                Some(b'\'') => (&value[1..], &['\''][..]),
                _ => (value, &[' ', '>', '\t', '\n', '\r'][..]),
            };
            let end = value.find(ends).unwrap_or(value.len());
            !is_web_link(value[..end].trim())
        })
    })
}

#[cfg(test)]
mod tests;
