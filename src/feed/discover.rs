//! Feed autodiscovery: the feeds a web page advertises with
//! `<link rel="alternate" type="application/rss+xml|atom+xml|feed+json" href=…>`.

use scraper::{Html, Selector};
use url::Url;

use super::encoding::decode_html;

/// A feed advertised by a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    /// The feed's absolute URL.
    pub url: String,
    /// The link's `title`, if any.
    pub title: Option<String>,
}

const FEED_TYPES: [&str; 5] = [
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
];

/// The feeds a fetched page links to: its bytes decoded as the page says (BOM,
/// HTTP charset, `<meta charset>`; see [`decode_html`]), then [`discover_feeds`].
pub fn discover_in_page(
    bytes: &[u8],
    http_charset: Option<&str>,
    page_url: &str,
) -> Vec<Discovered> {
    discover_feeds(&decode_html(bytes, http_charset), page_url)
}

/// The feeds `html` (fetched from `page_url`) links to, in page order, absolute
/// and without duplicates.
pub fn discover_feeds(html: &str, page_url: &str) -> Vec<Discovered> {
    let document = Html::parse_document(html);
    let Ok(selector) = Selector::parse("link[href]") else {
        return Vec::new();
    };
    let base = document
        .select(&Selector::parse("base[href]").unwrap_or_else(|_| selector.clone()))
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| Url::parse(page_url).ok()?.join(href).ok())
        .or_else(|| Url::parse(page_url).ok());
    // A remote page may only lead to remote feeds: never to `file:///dev/zero`
    // or any other local file (issue 8, defect 2).
    let remote = is_web_url(page_url);
    let mut found: Vec<Discovered> = Vec::new();
    for link in document.select(&selector) {
        let element = link.value();
        let rel = element.attr("rel").unwrap_or("").to_ascii_lowercase();
        if !rel.split_whitespace().any(|r| r == "alternate") {
            continue;
        }
        let kind = element
            .attr("type")
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !FEED_TYPES.iter().any(|t| kind.starts_with(t)) {
            continue;
        }
        let Some(href) = element
            .attr("href")
            .map(str::trim)
            .filter(|h| !h.is_empty())
        else {
            continue;
        };
        let url = match &base {
            Some(base) => match base.join(href) {
                Ok(url) => url.to_string(),
                Err(_) => continue,
            },
            None => href.to_string(),
        };
        if found.iter().any(|f| f.url == url) || (remote && !is_web_url(&url)) {
            continue;
        }
        let title = element
            .attr("title")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        found.push(Discovered { url, title });
    }
    found
}

/// An http(s) URL.
fn is_web_url(url: &str) -> bool {
    Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (issue 8, defect 2): an http page advertising `file:///dev/zero`
    /// made `add` read the device until memory ran out.
    #[test]
    fn defect_2_remote_pages_never_lead_to_local_files() {
        let html = r#"<html><head>
            <link rel="alternate" type="application/rss+xml" href="file:///dev/zero">
            <link rel="alternate" type="application/rss+xml" href="FILE:///etc/passwd">
            <link rel="alternate" type="application/rss+xml" href="/rss">
            </head></html>"#;
        let found = discover_feeds(html, "https://news.example/");
        let urls: Vec<&str> = found.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(urls, ["https://news.example/rss"]);
        // A local page may name local feeds.
        let local = discover_feeds(html, "file:///home/u/page.html");
        assert_eq!(local.len(), 3);
    }

    #[test]
    fn finds_advertised_feeds_in_order() {
        let html = r#"<!doctype html><html><head>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/rss+xml" title="خبرها" href="/rss">
            <link rel="alternate" type="application/atom+xml" href="https://other.example/atom.xml">
            <link rel="alternate" type="application/feed+json" href="feed.json">
            <link rel="alternate" type="application/rss+xml" href="/rss">
            <link rel="alternate" hreflang="en" href="/en/">
            </head><body></body></html>"#;
        let found = discover_feeds(html, "https://news.example/fa/");
        let urls: Vec<&str> = found.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://news.example/rss",
                "https://other.example/atom.xml",
                "https://news.example/fa/feed.json"
            ]
        );
        assert_eq!(found[0].title.as_deref(), Some("خبرها"));
    }

    #[test]
    fn a_legacy_encoded_page_is_read_in_its_own_charset() {
        let html = "<html><head><meta charset=\"windows-1256\">\
            <link rel=\"alternate\" type=\"application/rss+xml\" title=\"خبرها\" href=\"/خبر/rss\">\
            </head></html>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(html);
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "the test page must not be UTF-8"
        );
        for charset in [None, Some("windows-1256")] {
            let found = discover_in_page(&bytes, charset, "https://news.example/");
            assert_eq!(found.len(), 1, "{charset:?}");
            assert_eq!(found[0].title.as_deref(), Some("خبرها"));
            assert_eq!(
                found[0].url, "https://news.example/%D8%AE%D8%A8%D8%B1/rss",
                "{charset:?}"
            );
        }
    }

    #[test]
    fn page_without_feeds() {
        assert!(discover_feeds("<html><head></head></html>", "https://x.example/").is_empty());
    }
}
