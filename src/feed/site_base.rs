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

#[cfg(test)]
mod tests;
