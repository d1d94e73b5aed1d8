//! What a page says about its article besides the text: headline, author, date,
//! base URL, and the direction and language the layout should use.

use dom_query::{Document, NodeRef};

use super::structured::JsonLdArticle;

/// Headline, author and date of a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    pub title: String,
    pub byline: Option<String>,
    pub date: Option<String>,
}

/// Direction and language of the article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Direction {
    /// `rtl` or `ltr`.
    pub dir: Option<String>,
    pub lang: Option<String>,
}

/// Languages written right to left (primary subtags).
const RTL_LANGUAGES: &[&str] = &[
    "ar", "fa", "he", "iw", "ur", "ps", "ckb", "yi", "dv", "sd", "ug", "ku-arab", "prs", "pnb",
    "syr",
];

/// Reads headline, author and date: JSON-LD first, then Open Graph and other
/// `<meta>`, then microdata, then the page's own elements.
pub fn read(doc: &Document, json_ld: Option<&JsonLdArticle>) -> PageMeta {
    // One walk over the page for every `<meta>` (each selector below would be a
    // walk of its own over a 1 MB page).
    let metas = doc.select("meta").nodes().to_vec();
    let meta = |key: &str| {
        let (attr, value) = key.split_once('=').unwrap_or((key, ""));
        metas
            .iter()
            .find(|node| node.attr(attr).is_some_and(|v| &*v == value))
            .and_then(|node| node.attr("content"))
            .map(|c| clean(&c))
            .filter(|c| !c.is_empty())
    };
    let element_text = |selector: &str| {
        let text = clean(&doc.select_single(selector).text());
        (!text.is_empty() && text.chars().count() <= 120).then_some(text)
    };
    let title = json_ld
        .and_then(|ld| ld.headline.clone())
        .or_else(|| meta("property=og:title"))
        .or_else(|| meta("name=twitter:title"))
        .or_else(|| element_text("h1"))
        .or_else(|| element_text("title"))
        .unwrap_or_default();
    let byline = json_ld
        .and_then(|ld| ld.author.clone())
        .or_else(|| meta("name=author"))
        .or_else(|| meta("property=article:author").filter(|a| !a.contains("://")))
        .or_else(|| element_text(r#"[itemprop~="author"] [itemprop="name"]"#))
        .or_else(|| element_text(r#"[itemprop~="author"]"#))
        .or_else(|| element_text(r#"[rel="author"]"#));
    let date = json_ld
        .and_then(|ld| ld.date.clone())
        .or_else(|| meta("property=article:published_time"))
        .or_else(|| meta("itemprop=datePublished"))
        .or_else(|| {
            let node = doc.select_single(r#"[itemprop="datePublished"], time[datetime]"#);
            node.attr("datetime")
                .or_else(|| node.attr("content"))
                .map(|d| clean(&d))
                .filter(|d| !d.is_empty())
        });
    PageMeta {
        title,
        byline,
        date,
    }
}

/// The URL relative links resolve against: `<base href>`, else the page's own.
pub fn base_url(doc: &Document, page_url: Option<&str>) -> Option<url::Url> {
    let page = page_url.and_then(|u| url::Url::parse(u).ok());
    let base_href = doc.select_single("base[href]").attr("href");
    match (base_href, &page) {
        (Some(href), Some(page)) => page.join(href.trim()).ok().or(Some(page.clone())),
        (Some(href), None) => url::Url::parse(href.trim()).ok(),
        (None, page) => page.clone(),
    }
    .filter(|u| matches!(u.scheme(), "http" | "https"))
}

/// The direction and language of the most specific of: the article container
/// (or the first `<article>`) and its ancestors, `<main>`, `<body>`, `<html>`
/// that says either. A `dir` attribute wins; otherwise a right-to-left `lang`
/// means `rtl`.
pub fn direction(doc: &Document, container: Option<NodeRef<'_>>) -> Direction {
    let mut candidates: Vec<NodeRef<'_>> = Vec::new();
    let start = container.or_else(|| doc.select_single("article").nodes().first().copied());
    let mut up = start;
    while let Some(node) = up {
        if node.is_element() {
            candidates.push(node);
        }
        up = node.parent();
    }
    for selector in ["main", "body", "html"] {
        candidates.extend(doc.select_single(selector).nodes().first().copied());
    }
    for node in candidates {
        let dir = node
            .attr("dir")
            .map(|d| d.trim().to_ascii_lowercase())
            .filter(|d| d == "rtl" || d == "ltr");
        let lang = node
            .attr("lang")
            .or_else(|| node.attr("xml:lang"))
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty());
        if dir.is_none() && lang.is_none() {
            continue;
        }
        let dir = dir.or_else(|| lang.as_deref().map(direction_of_language));
        return Direction { dir, lang };
    }
    Direction::default()
}

/// `rtl` for Persian, Arabic, Hebrew, Urdu, ...; `ltr` for the rest.
pub fn direction_of_language(lang: &str) -> String {
    let lower = lang.to_ascii_lowercase().replace('_', "-");
    let primary = lower.split('-').next().unwrap_or("");
    let rtl = RTL_LANGUAGES.contains(&primary) || lower.contains("-arab");
    if rtl { "rtl" } else { "ltr" }.to_string()
}

fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_element_sets_the_direction() {
        let doc =
            Document::from(r#"<html dir="ltr" lang="en"><body dir="rtl"><p>x</p></body></html>"#);
        assert_eq!(direction(&doc, None).dir.as_deref(), Some("rtl"));
        let doc =
            Document::from(r#"<html lang="fa-IR"><body><article><p>x</p></article></body></html>"#);
        let dir = direction(&doc, None);
        assert_eq!(
            (dir.dir.as_deref(), dir.lang.as_deref()),
            (Some("rtl"), Some("fa-IR"))
        );
        let doc =
            Document::from(r#"<html lang="fa"><body><article lang="en">x</article></body></html>"#);
        assert_eq!(direction(&doc, None).dir.as_deref(), Some("ltr"));
    }

    #[test]
    fn main_sets_the_direction_over_body_and_html() {
        let doc = Document::from(
            r#"<html lang="en"><body><div>menu</div><main lang="ar"><p>x</p></main></body></html>"#,
        );
        let dir = direction(&doc, None);
        assert_eq!(
            (dir.dir.as_deref(), dir.lang.as_deref()),
            (Some("rtl"), Some("ar"))
        );
        let doc = Document::from(
            r#"<html dir="ltr"><body><main dir="rtl"><p>x</p></main></body></html>"#,
        );
        assert_eq!(direction(&doc, None).dir.as_deref(), Some("rtl"));
    }
}
