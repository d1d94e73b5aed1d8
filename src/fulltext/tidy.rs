//! Last touches on the article tree: the headline repeated as a heading goes (the
//! reader shows the item's title), a teaser that repeats the story's opening
//! ("… به گزارش …") goes, links become absolute, and a plain-text body becomes
//! paragraphs.

use dom_query::NodeRef;

use super::phrases::fold;
use super::sizes::{Sizes, preorder};

/// Teasers longer than this are not looked at (a story paragraph is not one).
const MAX_TEASER_CHARS: usize = 600;

/// Removes the headline heading and teasers that repeat the story.
/// `sizes` are the text sizes of `root`'s nodes ([`super::chrome::strip`]'s).
pub fn tidy(root: NodeRef<'_>, title: &str, sizes: &Sizes) {
    let title = words_of(title);
    // The whole page's words, only once a cut-short block asks (most pages have
    // none): folding a 1 MB page's text costs more than the rest of this pass.
    let mut whole: Option<String> = None;
    let mut doomed = Vec::new();
    for node in preorder(root) {
        if !node.is_element() || node.id == root.id {
            continue;
        }
        let size = sizes.get(&node.id).map_or(0, |s| s.text);
        if size == 0 || size > MAX_TEASER_CHARS {
            continue;
        }
        let is_title_heading = ["h1", "h2"].iter().any(|h| node.has_name(h));
        if is_title_heading && !title.is_empty() && words_of(&node.text()) == title {
            doomed.push(node);
            continue;
        }
        if is_block(&node) {
            let text = node.text();
            if cut_short(&text).is_some() {
                let whole = whole.get_or_insert_with(|| words_of(&root.text()));
                if is_repeated_teaser(&text, whole) {
                    doomed.push(node);
                }
            }
        }
    }
    for node in doomed {
        node.remove_from_parent();
    }
}

fn is_block(node: &NodeRef<'_>) -> bool {
    ["div", "p", "section", "span", "strong", "h2", "h3", "h4"]
        .iter()
        .any(|n| node.has_name(n))
}

/// Text cut short with an ellipsis whose last whole words appear again elsewhere:
/// a summary of the story printed above it.
fn is_repeated_teaser(text: &str, whole: &str) -> bool {
    let Some(cut) = cut_short(text) else {
        return false;
    };
    let words: Vec<String> = words_of(cut).split(' ').map(str::to_string).collect();
    // The last word may be cut in the middle.
    if words.len() < 8 {
        return false;
    }
    let tail = words[words.len() - 7..words.len() - 1].join(" ");
    whole.matches(&tail).count() >= 2
}

/// The text before a closing ellipsis, when it ends with one.
fn cut_short(text: &str) -> Option<&str> {
    let trimmed = text.trim_end();
    trimmed
        .strip_suffix('…')
        .or_else(|| trimmed.strip_suffix("..."))
}

fn words_of(text: &str) -> String {
    fold(text)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Makes `href` and `src` absolute against `base`; `javascript:` links lose theirs.
pub fn absolute_links(root: NodeRef<'_>, base: Option<&url::Url>) {
    for node in preorder(root) {
        for attr in ["href", "src"] {
            let Some(value) = node.attr(attr) else {
                continue;
            };
            let value = value.trim().to_string();
            if value.to_ascii_lowercase().starts_with("javascript:") {
                node.remove_attr(attr);
                continue;
            }
            if let Some(absolute) = base.and_then(|b| b.join(&value).ok()) {
                node.set_attr(attr, absolute.as_str());
            }
        }
    }
}

/// A plain-text article body as HTML paragraphs (blank lines or line breaks
/// separate them).
pub fn paragraphs(text: &str) -> String {
    text.split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p)))
        .collect()
}

/// Escapes text for an HTML text node or attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_teaser_repeating_the_story_goes() {
        let story =
            "به گزارش سنج نیوز به نقل از ایسنا، محمد صائبی از تشکیل اولین نشست کارگروه خبر داد.";
        let teaser = "به گزارش سنج نیوز به نقل از ایسنا، محمد صائبی از تشکیل اولین نش…";
        assert!(is_repeated_teaser(
            teaser,
            &words_of(&format!("{teaser} {story}"))
        ));
        assert!(!is_repeated_teaser(story, &words_of(story)));
    }

    #[test]
    fn plain_text_becomes_escaped_paragraphs() {
        assert_eq!(paragraphs("a < b\n\nc"), "<p>a &lt; b</p><p>c</p>");
    }
}
