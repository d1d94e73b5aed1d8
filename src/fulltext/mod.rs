//! Full-article extraction: the readable part of a web page (the story, without the
//! site's menus, headers and footers), for feeds with `fulltext = true` whose items
//! carry only a summary. Pure: HTML in, HTML out; the fetcher brings the page.
//!
//! Uses dom_smoothie, a port of Mozilla's Readability (the algorithm Firefox's
//! reader view uses), rather than hand-written heuristics.

pub mod fetch;

use dom_smoothie::{Config, Readability};

// The one page decoder lives with the other charset rules; re-exported here.
pub use crate::feed::encoding::decode_html;

/// Pages with more elements than this are not worth scoring (a page that big is
/// rarely one article, and scoring is quadratic in the worst case).
const MAX_ELEMENTS: usize = 20_000;

/// Why a page gave no article.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("the page could not be read as an article: {0}")]
    NotAnArticle(String),
    #[error("the page has no readable text")]
    Empty,
}

/// The readable part of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub title: String,
    /// The article body as HTML, links made absolute against the page URL.
    pub content_html: String,
    /// `rtl` or `ltr` when the page says so.
    pub dir: Option<String>,
}

/// Extracts the article from `html`, fetched from `page_url`.
pub fn extract(html: &str, page_url: Option<&str>) -> Result<Extracted, ExtractError> {
    let config = Config {
        max_elements_to_parse: MAX_ELEMENTS,
        ..Default::default()
    };
    let mut readability = Readability::new(html, page_url, Some(config))
        .map_err(|e| ExtractError::NotAnArticle(e.to_string()))?;
    let article = readability
        .parse()
        .map_err(|e| ExtractError::NotAnArticle(e.to_string()))?;
    if article.text_content.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(Extracted {
        title: article.title,
        content_html: article.content.to_string(),
        dir: article.dir,
    })
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
