//! The story as the page itself describes it with schema.org data: JSON-LD
//! `NewsArticle`/`Article` (also inside `@graph` and arrays) and microdata
//! `itemprop="articleBody"`. When a page says which text is the story, that beats
//! any guess; the element holding that text is then the article container.

use std::collections::{HashMap, HashSet};

use dom_query::{Document, NodeId, NodeRef};
use serde_json::Value;

use super::sizes::preorder;

/// What a page's JSON-LD says about its article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonLdArticle {
    /// `headline` or `name`.
    pub headline: Option<String>,
    /// `author.name` (several joined with commas).
    pub author: Option<String>,
    /// `datePublished`.
    pub date: Option<String>,
    /// `articleBody` (for a live blog, its updates' bodies in order).
    pub body: Option<String>,
    /// `inLanguage`.
    pub lang: Option<String>,
}

/// The first article-typed object in the page's JSON-LD blocks.
pub fn json_ld(doc: &Document) -> Option<JsonLdArticle> {
    let mut found: Option<JsonLdArticle> = None;
    for script in doc.select("script[type]").nodes() {
        let is_ld = script
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
        if !is_ld {
            continue;
        }
        let Ok(value) = serde_json::from_str::<Value>(script.text().trim()) else {
            continue;
        };
        let mut objects = Vec::new();
        collect_objects(&value, &mut objects, 0);
        for object in objects {
            if !is_article_type(object) {
                continue;
            }
            let article = read_article(object);
            // An object with a body beats an earlier one without.
            match &found {
                Some(previous) if previous.body.is_some() || article.body.is_none() => {}
                _ => found = Some(article),
            }
        }
    }
    found
}

/// Objects of a JSON-LD value: itself, array members and `@graph` members.
fn collect_objects<'v>(value: &'v Value, out: &mut Vec<&'v Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                collect_objects(item, out, depth + 1);
            }
        }
        Value::Object(map) => {
            out.push(value);
            if let Some(graph) = map.get("@graph") {
                collect_objects(graph, out, depth + 1);
            }
            if let Some(main) = map.get("mainEntity") {
                collect_objects(main, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn is_article_type(object: &Value) -> bool {
    let types: Vec<&str> = match object.get("@type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return false,
    };
    types.iter().any(|t| {
        let t = t.rsplit('/').next().unwrap_or(t);
        t.ends_with("Article") || t == "BlogPosting" || t == "LiveBlogPosting" || t == "Report"
    })
}

fn read_article(object: &Value) -> JsonLdArticle {
    let text = |key: &str| {
        object
            .get(key)
            .and_then(Value::as_str)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut body = text("articleBody");
    if body.is_none()
        && let Some(Value::Array(updates)) = object.get("liveBlogUpdate")
    {
        let bodies: Vec<String> = updates
            .iter()
            .filter_map(|u| {
                let headline = u.get("headline").and_then(Value::as_str).unwrap_or("");
                let body = u.get("articleBody").and_then(Value::as_str)?;
                Some(format!("{headline}\n{body}").trim().to_string())
            })
            .collect();
        if !bodies.is_empty() {
            body = Some(bodies.join("\n\n"));
        }
    }
    JsonLdArticle {
        headline: text("headline").or_else(|| text("name")),
        author: author_names(object.get("author")),
        date: text("datePublished").or_else(|| text("dateCreated")),
        body,
        lang: text("inLanguage"),
    }
}

fn author_names(author: Option<&Value>) -> Option<String> {
    let names: Vec<String> = match author? {
        Value::String(name) => vec![name.clone()],
        Value::Object(map) => map
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .into_iter()
            .collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(|item| match item {
                Value::String(name) => Some(name.clone()),
                other => other
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            })
            .collect(),
        _ => Vec::new(),
    };
    let names: Vec<String> = names
        .into_iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// The microdata (or RDFa) article body: the first `itemprop="articleBody"` (or
/// `property="articleBody"`) with text, outside the page's chrome.
pub fn microdata_body<'d>(doc: &'d Document) -> Option<NodeRef<'d>> {
    doc.select("[itemprop], [property]")
        .nodes()
        .iter()
        .find(|node| {
            let marked = ["itemprop", "property"].iter().any(|attr| {
                node.attr(attr).is_some_and(|p| {
                    p.split_whitespace()
                        .any(|p| p == "articleBody" || p == "schema:articleBody")
                })
            });
            marked && !node.text().trim().is_empty() && !super::chrome::within_chrome(**node)
        })
        .copied()
}

/// The smallest element whose text holds nearly all the words of `body`: the
/// container of the story the JSON-LD describes. Linear: word counts are summed
/// bottom-up once.
pub fn container_of<'d>(doc: &'d Document, body: &str) -> Option<NodeRef<'d>> {
    let wanted: HashSet<&str> = body.split_whitespace().collect();
    let wanted_total = body.split_whitespace().count();
    if wanted_total == 0 {
        return None;
    }
    let root = doc.root();
    let order = preorder(root);
    // (words of the body found, all words) per node
    let mut counts: HashMap<NodeId, (usize, usize), foldhash::fast::FixedState> =
        HashMap::with_capacity_and_hasher(order.len(), Default::default());
    for node in order.iter().rev() {
        let mut count = counts.get(&node.id).copied().unwrap_or_default();
        if node.is_text() {
            let text = node.text();
            for word in text.split_whitespace() {
                count.1 += 1;
                if wanted.contains(word) {
                    count.0 += 1;
                }
            }
        } else if node.has_name("script") || node.has_name("style") {
            count = (0, 0);
        }
        counts.insert(node.id, count);
        if let Some(parent) = node.parent() {
            let entry = counts.entry(parent.id).or_default();
            entry.0 += count.0;
            entry.1 += count.1;
        }
    }
    // Deepest first: of elements with the same words, the innermost wins.
    order
        .iter()
        .rev()
        .filter(|node| node.is_element() && !node.has_name("html") && !node.has_name("head"))
        .filter_map(|node| {
            let (found, all) = counts.get(&node.id).copied()?;
            (found * 10 >= wanted_total * 9).then_some((*node, all))
        })
        // A teaser of the story in a "top stories" box is not the story.
        .filter(|(node, _)| !super::chrome::within_chrome(*node))
        .min_by_key(|(_, all)| *all)
        .map(|(node, _)| block_container(node))
}

/// The `<article>` around a marked body, when the body is most of it: its lead,
/// lead picture and caption belong to the story too (the chrome inside it is
/// removed afterwards).
pub fn enclosing_article(body: NodeRef<'_>) -> NodeRef<'_> {
    let mut up = body.parent();
    while let Some(node) = up {
        if node.has_name("article") {
            let body_len = body.text().chars().count();
            let article_len = node.text().chars().count();
            return if article_len <= body_len * 2 {
                node
            } else {
                body
            };
        }
        if node.has_name("body") {
            break;
        }
        up = node.parent();
    }
    body
}

/// Elements that hold text but not a story's paragraphs.
const INLINE_OR_PARAGRAPH: &[&str] = &[
    "p",
    "span",
    "strong",
    "b",
    "em",
    "i",
    "a",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "figcaption",
    "small",
    "u",
    "q",
    "cite",
];

/// The block that holds `node` with its sibling paragraphs: many sites put only
/// the first paragraph in `articleBody`, and the story is the block around it.
fn block_container(node: NodeRef<'_>) -> NodeRef<'_> {
    let mut node = node;
    while INLINE_OR_PARAGRAPH.iter().any(|name| node.has_name(name)) {
        match node.parent().filter(NodeRef::is_element) {
            Some(parent) => node = parent,
            None => break,
        }
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_bodies_are_found_inside_graphs() {
        let doc = Document::from(
            r#"<html><head><script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[{"@type":"WebPage","name":"x"},
             {"@type":["NewsArticle"],"headline":"تیتر","author":[{"@type":"Person","name":"مریم"}],
              "datePublished":"2024-08-09T10:00:00+03:30","articleBody":"متن کامل خبر"}]}
            </script></head><body><div><p>متن کامل خبر</p></div></body></html>"#,
        );
        let article = json_ld(&doc).unwrap();
        assert_eq!(article.headline.as_deref(), Some("تیتر"));
        assert_eq!(article.author.as_deref(), Some("مریم"));
        assert_eq!(article.body.as_deref(), Some("متن کامل خبر"));
        // The block around the paragraph holding the body, not the paragraph.
        let container = container_of(&doc, "متن کامل خبر").unwrap();
        assert!(container.has_name("div"));
    }

    #[test]
    fn broken_json_ld_is_ignored() {
        let doc = Document::from(
            r#"<script type="application/ld+json">{"@type": "NewsArticle", </script><p>x</p>"#,
        );
        assert_eq!(json_ld(&doc), None);
    }
}
