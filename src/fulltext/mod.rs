//! Full-article extraction: the story of a web page without the site around it,
//! for feeds whose items carry only a headline or a sentence. Pure: HTML in,
//! article out; [`fetch`] brings the page.
//!
//! The order of evidence, most trusted first:
//! 1. schema.org data the page gives about itself: microdata
//!    `itemprop="articleBody"`, or JSON-LD `NewsArticle`/`Article` (also inside
//!    `@graph`), whose `articleBody` also locates the story's container;
//! 2. otherwise Readability (dom_smoothie, a port of the algorithm behind
//!    Firefox's reader view) on the page with its news-CMS chrome removed first
//!    ([`chrome`]): share bars, tag footers, related lists, comment forms, ads.
//!
//! The page's nesting is bounded before anything walks it ([`depth`]), so the
//! cost is linear in the page's size whatever its shape; in the same pass the
//! parts no rule reads (comments, styles, scripts other than JSON-LD, inline
//! SVG: about half of a news page) are left out, so the parser never builds them.

mod chrome;
mod chrome_words;
mod cjk;
pub mod depth;
mod extractors;
pub mod fetch;
mod metadata;
mod pace;
mod page_writer;
mod phrases;
mod sizes;
mod structured;
mod tidy;

use dom_query::Document;
use dom_smoothie::{Config, Readability};

// The one page decoder lives with the other charset rules (BOM, HTTP charset,
// <meta charset>/http-equiv, then UTF-8); re-exported here.
pub use crate::feed::encoding::decode_html;
// Telling pages from binary files is a rule about bytes, beside the decoder.
pub use crate::feed::sniff;
pub use structured::JsonLdArticle;

/// Pages with more elements than this (after the chrome is gone) are not scored:
/// a page that big is rarely one article.
const MAX_ELEMENTS: usize = 60_000;

/// Why a page gave no article.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// Readability found nothing it could call an article.
    #[error("the page could not be read as an article: {0}")]
    NotAnArticle(String),
    /// The article had no text.
    #[error("the page has no readable text")]
    Empty,
    /// The bytes are not a page at all ([`sniff::binary_kind`]).
    #[error("this is {0}, not a web page")]
    Binary(&'static str),
}

/// Which evidence gave the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// The element the page marks `itemprop="articleBody"`.
    Microdata,
    /// The element holding the JSON-LD `articleBody`.
    JsonLdContainer,
    /// The JSON-LD `articleBody` text itself (no element on the page holds it).
    JsonLdText,
    /// Readability on the page without its chrome.
    Readability,
}

/// The readable part of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The article's headline.
    pub title: String,
    /// Who wrote it, when the page says.
    pub byline: Option<String>,
    /// When it was published, as the page writes it (usually ISO 8601).
    pub date: Option<String>,
    /// The article body as HTML inside one `<div dir=… lang=…>`, links absolute.
    pub content_html: String,
    /// `rtl` or `ltr` from the page's `dir`/`lang` (article, main, body, html).
    pub dir: Option<String>,
    /// The page's language, when it says.
    pub lang: Option<String>,
    /// Which evidence gave the article.
    pub method: Method,
}

impl Extracted {
    /// The article as plain text, one paragraph per line (for `extract --json`
    /// and word counts).
    pub fn text(&self) -> String {
        crate::html::to_document(&self.content_html, None)
            .blocks
            .iter()
            .map(|b| b.runs.iter().map(|r| r.text.as_str()).collect::<String>())
            .filter(|line| !line.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Extracts the article of a page as it came: refused when the bytes are
/// binary ([`sniff`]), else decoded ([`decode_html`], with the HTTP charset if
/// any) and read by [`extract`]. The one entry point for downloaded pages and
/// files.
pub fn extract_bytes(
    bytes: &[u8],
    http_charset: Option<&str>,
    page_url: Option<&str>,
) -> Result<Extracted, ExtractError> {
    if let Some(kind) = sniff::binary_kind(bytes) {
        return Err(ExtractError::Binary(kind));
    }
    extract(&decode_html(bytes, http_charset), page_url)
}

/// Extracts the article from `html`, fetched from `page_url`.
pub fn extract(html: &str, page_url: Option<&str>) -> Result<Extracted, ExtractError> {
    let html = crate::html::bounded_page_to(html, depth::MAX_DEPTH);
    let doc = Document::from(html.as_ref());
    let json_ld = structured::json_ld(&doc);
    let page = metadata::read(&doc, json_ld.as_ref());
    let base = metadata::base_url(&doc, page_url);

    let container = match structured::microdata_body(&doc) {
        Some(node) => Some((structured::enclosing_article(node), Method::Microdata)),
        None => json_ld
            .as_ref()
            .and_then(|ld| ld.body.as_deref())
            .and_then(|body| structured::container_of(&doc, body))
            .map(|node| (node, Method::JsonLdContainer)),
    };
    if let Some((node, method)) = container {
        let direction = metadata::direction(&doc, Some(node));
        let sizes = chrome::strip(node, Some(node));
        tidy::tidy(node, &page.title, &sizes);
        tidy::absolute_links(node, base.as_ref());
        if !node.text().trim().is_empty() {
            return Ok(finish(
                page,
                direction,
                node.inner_html().to_string(),
                method,
            ));
        }
    }
    if let Some(body) = json_ld.as_ref().and_then(|ld| ld.body.as_deref()) {
        let direction = metadata::direction(&doc, None);
        return Ok(finish(
            page,
            direction,
            tidy::paragraphs(body),
            Method::JsonLdText,
        ));
    }

    let direction = metadata::direction(&doc, None);
    let root = doc.root();
    let sizes = chrome::strip(root, None);
    tidy::tidy(root, &page.title, &sizes);
    cjk::mark_cjk_blocks(root);
    let config = Config {
        max_elements_to_parse: MAX_ELEMENTS,
        ..Default::default()
    };
    let url = base.as_ref().map(url::Url::as_str);
    let mut readability = Readability::with_document(doc, url, Some(config))
        .map_err(|e| ExtractError::NotAnArticle(e.to_string()))?;
    let article = readability
        .parse()
        .map_err(|e| ExtractError::NotAnArticle(e.to_string()))?;
    if article.text_content.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    let mut page = page;
    if page.title.is_empty() {
        page.title = article.title.clone();
    }
    page.byline = page.byline.or(article.byline);
    page.date = page.date.or(article.published_time);
    Ok(finish(
        page,
        direction,
        article.content.to_string(),
        Method::Readability,
    ))
}

fn finish(
    page: metadata::PageMeta,
    direction: metadata::Direction,
    body_html: String,
    method: Method,
) -> Extracted {
    let mut attrs = String::new();
    if let Some(dir) = &direction.dir {
        attrs.push_str(&format!(" dir=\"{dir}\""));
    }
    if let Some(lang) = &direction.lang {
        attrs.push_str(&format!(" lang=\"{}\"", tidy::escape(lang)));
    }
    Extracted {
        title: page.title,
        byline: page.byline,
        date: page.date,
        content_html: format!("<div{attrs}>{body_html}</div>"),
        dir: direction.dir,
        lang: direction.lang,
        method,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = include_str!("../../tests/fixtures/articles/fa-sanjnews-1/source.html");
    const EXPECTED: &str = include_str!("../../tests/fixtures/articles/fa-sanjnews-1/expected.txt");

    fn words(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
    }

    #[test]
    fn persian_story_is_extracted_without_the_site_chrome() {
        let extracted = extract(PAGE, Some("https://sanjnews.ir/fa/news/1")).unwrap();
        let text = crate::html::to_document(&extracted.content_html, None)
            .blocks
            .iter()
            .flat_map(|b| b.runs.iter().map(|r| r.text.as_str()))
            .collect::<Vec<_>>()
            .join(" ");
        // Every paragraph of the story is there, in order ...
        let body = words(&text).join(" ");
        for paragraph in EXPECTED.split("\n\n").skip(1) {
            let paragraph = words(paragraph).join(" ");
            assert!(body.contains(&paragraph), "missing paragraph: {paragraph}");
        }
        // ... and the site's menu and footer are not.
        for chrome in ["تماس با ما", "حقوق مادی و معنوی"] {
            assert!(PAGE.contains(chrome));
            assert!(
                !body.contains(chrome),
                "site chrome {chrome:?} leaked into the article: {body}"
            );
        }
    }

    #[test]
    fn pages_are_decoded_by_bom_then_header_then_meta() {
        let (arabic, _, _) = encoding_rs::WINDOWS_1256.encode("سلام");
        let mut page = b"<html><head><meta charset=\"windows-1256\"></head><body>".to_vec();
        page.extend_from_slice(&arabic);
        assert!(decode_html(&page, None).contains("سلام"));
        assert!(decode_html(&arabic, Some("windows-1256")).contains("سلام"));
        // Without any declaration the bytes are not silently taken as Latin-1.
        assert!(!decode_html(&arabic, None).contains("سلام"));
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice("سلام".as_bytes());
        assert_eq!(decode_html(&with_bom, Some("windows-1256")), "سلام");
    }

    #[test]
    fn a_page_without_text_is_an_error_not_an_empty_article() {
        assert!(
            extract(
                "<html><head><title>t</title></head><body> </body></html>",
                None
            )
            .is_err()
        );
    }
}
