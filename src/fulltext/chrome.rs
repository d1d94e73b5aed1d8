//! What news sites put around a story, recognised from the markup rather than per
//! site: share bars, tag and category footers, related and most-read lists,
//! ratings, comment forms and counts, print/font buttons, ads, newsletter boxes,
//! breadcrumbs, menus, sidebars and footers.
//!
//! Three kinds of evidence, in order of trust: the element and its ARIA role
//! (`nav`, `aside`, `form`, `role=navigation`), the words of its `class` and `id`
//! (`share-box`, `relatedPosts`, `tags`), and the label it shows readers in
//! Persian, Arabic or English (`مطالب مرتبط`, `اقرأ أيضاً:`, `Read more:`).
//! Word matches never remove the page's main wrappers (`body`, `main`,
//! `article`, the structured-data container) nor an element holding most of the
//! page's text.

use std::collections::HashSet;

use dom_query::{NodeId, NodeRef};

use super::chrome_words::has_chrome_words;
use super::phrases::{
    fold, is_chrome_label, is_folded_chrome_label, starts_with_folded_chrome_label,
};
use super::sizes::{Size, Sizes, preorder, remove, sizes};

/// Node ids of one tree, hashed fast (see [`Sizes`]).
type NodeSet = HashSet<NodeId, foldhash::fast::FixedState>;

/// Elements that are never part of a story.
const CHROME_TAGS: &[&str] = &[
    "nav", "aside", "form", "button", "input", "select", "textarea", "iframe", "script", "style",
    "noscript", "template", "svg", "dialog", "menu",
];

/// ARIA roles of page furniture.
const CHROME_ROLES: &[&str] = &[
    "navigation",
    "menu",
    "menubar",
    "complementary",
    "contentinfo",
    "banner",
    "search",
    "dialog",
    "alert",
    "alertdialog",
    "toolbar",
];

/// Removes the chrome under `root`. `keep` (the structured-data container) and its
/// ancestors are never removed. Returns the text sizes of what is left, for the
/// next pass (measuring a 1 MB page again costs as much as this whole pass).
pub(super) fn strip(root: NodeRef<'_>, keep: Option<NodeRef<'_>>) -> Sizes {
    let mut sizes = sizes(root);
    let total = sizes.get(&root.id).map_or(0, |s| s.text);
    let mut protected = NodeSet::default();
    let mut up = keep;
    while let Some(node) = up {
        protected.insert(node.id);
        up = node.parent();
    }
    let holds_story = story_holders(root);
    let mut doomed = Vec::new();
    // (node, inside an article)
    let mut stack = vec![(root, false)];
    while let Some((node, in_article)) = stack.pop() {
        if !node.is_element() && !node.is_document() && !node.is_fragment() {
            continue;
        }
        let size = sizes.get(&node.id).copied().unwrap_or_default();
        let story_inside = match &holds_story {
            Some(holders) => holders.contains(&node.id),
            // A page without a headline or article element: an element holding
            // most of its text is taken for the story's wrapper.
            None => total > 0 && size.text * 10 > total * 6,
        };
        if node.is_element()
            && !protected.contains(&node.id)
            && is_chrome(&node, size, story_inside, in_article)
        {
            doomed.push(node);
            continue;
        }
        let in_article = in_article || (!is_page_root(&node) && is_article_wrapper(&node));
        for child in node.children_it(true) {
            stack.push((child, in_article));
        }
    }
    remove(doomed, &mut sizes);
    strip_labelled_boxes(root, &protected, &mut sizes);
    sizes
}

/// Whether `node` or an ancestor is chrome by its tag, role or class words.
pub(super) fn within_chrome(node: NodeRef<'_>) -> bool {
    let mut up = Some(node);
    while let Some(node) = up {
        if node.is_element() {
            let name = node
                .node_name()
                .map(|n| n.to_ascii_lowercase())
                .unwrap_or_default();
            let chrome_tag = CHROME_TAGS.contains(&name.as_str()) || name == "footer";
            let chrome_role = node.attr("role").is_some_and(|role| {
                CHROME_ROLES.contains(&role.trim().to_ascii_lowercase().as_str())
            });
            if chrome_tag
                || chrome_role
                || (!is_article_wrapper(&node) && has_chrome_words(&node, true))
            {
                return true;
            }
        }
        up = node.parent();
    }
    false
}

fn is_page_root(node: &NodeRef<'_>) -> bool {
    node.has_name("body") || node.has_name("html")
}

/// Whether `node` is the story's own wrapper, which no word rule may remove.
fn is_article_wrapper(node: &NodeRef<'_>) -> bool {
    // One borrow of the element for its name and attributes: this runs on every
    // element of the page, twice.
    let Some(el) = node.element_ref() else {
        return false;
    };
    if matches!(&*el.name.local, "article" | "main" | "body" | "html") {
        return true;
    }
    el.attrs.iter().any(|attr| match &*attr.name.local {
        "role" => attr.value.eq_ignore_ascii_case("main"),
        "itemprop" | "property" => attr.value.split_whitespace().any(|p| p == "articleBody"),
        "itemtype" => attr.value.ends_with("Article"),
        _ => false,
    })
}

/// Elements that hold the page's `<h1>`, `<article>`, `<main>` or marked article
/// body: the story's wrappers, which no word rule may remove. `None` when the
/// page has none of those.
fn story_holders(root: NodeRef<'_>) -> Option<NodeSet> {
    let mut holders = NodeSet::default();
    let mut any = false;
    for node in preorder(root) {
        if !node.is_element()
            || is_page_root(&node)
            || !(node.has_name("h1") || is_article_wrapper(&node))
        {
            continue;
        }
        any = true;
        let mut up = Some(node);
        while let Some(n) = up {
            if !holders.insert(n.id) {
                break;
            }
            up = n.parent();
        }
    }
    any.then_some(holders)
}

fn is_chrome(node: &NodeRef<'_>, size: Size, story_inside: bool, in_article: bool) -> bool {
    // HTML element names are lower case in the parsed tree.
    let Some(name) = node.qual_name_ref().map(|q| q.local.clone()) else {
        return false;
    };
    let name: &str = &name;
    if CHROME_TAGS.contains(&name) || is_hidden(node) {
        return true;
    }
    if (name == "footer" || name == "header") && !in_article {
        return true;
    }
    if name == "figure" && is_video_figure(node) {
        return true;
    }
    if node
        .attr("role")
        .is_some_and(|role| CHROME_ROLES.contains(&role.trim().to_ascii_lowercase().as_str()))
    {
        return true;
    }
    if is_article_wrapper(node) {
        return false;
    }
    if node.attr("itemprop").is_some_and(|p| {
        p.split_whitespace().any(|p| {
            matches!(
                p,
                "keywords"
                    | "aggregateRating"
                    | "interactionStatistic"
                    | "comment"
                    | "datePublished"
                    | "dateModified"
            )
        })
    }) || node
        .attr("itemtype")
        .is_some_and(|t| t.ends_with("BreadcrumbList") || t.ends_with("Comment"))
    {
        return true;
    }
    // A word in a class can be a stylistic accident; an element holding the
    // story is the story's whatever its class says.
    if !story_inside && has_chrome_words(node, in_article) {
        return true;
    }
    // A short, link-heavy box introduced by a label: «تگ‌ها: …», «اقرأ أيضاً: …».
    // (Headings go later, with the list they introduce.)
    if size.text > 0
        && size.text <= 400
        && (size.link * 3 >= size.text || size.text <= 40)
        && !is_heading(node)
    {
        // Folded once for both label tests.
        let lead = fold(&leading_text(node, 60));
        if starts_with_folded_chrome_label(&lead) || is_folded_chrome_label(&lead) {
            return true;
        }
        // A box of links under its own label: <div><h4>مواضيع ذات صلة</h4><ul>…
        let labelled = node
            .first_element_child()
            .is_some_and(|first| is_chrome_label(&leading_text(&first, 80)));
        if labelled && size.link * 2 >= size.text {
            return true;
        }
    }
    false
}

/// A video or embedded player: nothing a terminal can show, and its caption
/// describes what cannot be seen. (Image figures stay, with their captions.)
fn is_video_figure(node: &NodeRef<'_>) -> bool {
    let mut has_player = false;
    for n in node.descendants_it() {
        if n.has_name("img") || n.has_name("picture") {
            return false;
        }
        has_player |= ["iframe", "video", "object", "embed"]
            .iter()
            .any(|p| n.has_name(p));
    }
    has_player
}

/// `hidden`, `aria-hidden`, `display: none`, screen-reader-only labels
/// ("Image caption", "Media caption"): readers never see it.
fn is_hidden(node: &NodeRef<'_>) -> bool {
    node.has_attr("hidden")
        || node
            .attr("aria-hidden")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        || node.attr("style").is_some_and(|style| {
            let style: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            style.contains("display:none") || style.contains("visibility:hidden")
        })
        || node.attr("class").is_some_and(|class| {
            class.split_whitespace().any(|c| {
                matches!(
                    c.to_ascii_lowercase().as_str(),
                    "off-screen"
                        | "offscreen"
                        | "sr-only"
                        | "visually-hidden"
                        | "visuallyhidden"
                        | "screen-reader-text"
                        | "screen-reader-only"
                        | "hidden"
                )
            })
        })
}

/// The first `max` characters of an element's text, without walking all of it.
pub(super) fn leading_text(node: &NodeRef<'_>, max: usize) -> String {
    let mut text = String::new();
    let mut chars = 0;
    let mut stack = vec![*node];
    while let Some(n) = stack.pop() {
        if n.is_text() {
            // Only as much of a long text node as is still wanted.
            let piece = n.text();
            for c in piece.chars().take(max - chars) {
                text.push(c);
                chars += 1;
            }
            if chars >= max {
                break;
            }
            text.push(' ');
            chars += 1;
            if chars >= max {
                break;
            }
        } else if n.is_element() {
            stack.extend(n.children_it(true));
        }
    }
    text
}

/// Headings such as «مطالب مرتبط» or "Related" go, with the list or box they
/// introduce when that is made of links.
fn strip_labelled_boxes(root: NodeRef<'_>, protected: &NodeSet, sizes: &mut Sizes) {
    let mut doomed = Vec::new();
    for node in preorder(root) {
        if !is_heading(&node) || protected.contains(&node.id) {
            continue;
        }
        let heading = sizes.get(&node.id).copied().unwrap_or_default();
        if heading.text == 0 || heading.text > 60 || !is_chrome_label(&leading_text(&node, 80)) {
            continue;
        }
        doomed.push(node);
        if let Some(next) = node.next_element_sibling() {
            let size = sizes.get(&next.id).copied().unwrap_or_default();
            if !protected.contains(&next.id) && (size.link * 2 >= size.text || size.text <= 80) {
                doomed.push(next);
            }
        }
    }
    remove(doomed, sizes);
}

fn is_heading(node: &NodeRef<'_>) -> bool {
    ["h2", "h3", "h4", "h5", "h6"]
        .iter()
        .any(|h| node.has_name(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_goes_and_the_story_stays() {
        let doc = dom_query::Document::from(
            "<html><body><div class='header'>منو</div><article class='post category-news tag-iran'>\
             <header><h1>عنوان</h1></header><p>متن خبر</p>\
             <div class='share-box'><a>توییتر</a></div>\
             <p><strong>بیشتر بخوانید:</strong> <a href='/x'>خبر دیگر</a></p>\
             <h3>مطالب مرتبط</h3><ul><li><a href='/y'>یک</a></li></ul></article>\
             <aside>ستون کناری</aside><footer>حقوق</footer></body></html>",
        );
        strip(doc.root(), None);
        let text = doc.root().text();
        for gone in [
            "منو",
            "توییتر",
            "بیشتر",
            "خبر دیگر",
            "مطالب مرتبط",
            "یک",
            "ستون",
            "حقوق",
        ] {
            assert!(!text.contains(gone), "{gone} kept: {text}");
        }
        for kept in ["عنوان", "متن خبر"] {
            assert!(text.contains(kept), "{kept} lost: {text}");
        }
    }
}
