//! Readability judges a block's links by characters: a `div` whose link text is
//! more than a fifth of its characters is taken for a link list and dropped from
//! the story ("conditional cleaning"). That bar assumes alphabetic text, where a
//! word takes five or six characters. Chinese and Japanese write a word in one
//! or two, so a CJK paragraph quoting one web address (`【领券地址】https://…`)
//! already looks like a link list, and whole halves of such stories vanished.
//!
//! Before Readability runs, a plain block (no `class`, no `id`: the site said
//! nothing about it) whose prose is CJK and whose links are at most a
//! fifth of its *words* (each CJK character a word, as the corpus measure
//! counts them) gets a class Readability reads as content, which moves its bar
//! to the one it uses for marked content (half the characters). Blocks with the
//! site's own class or id, and non-CJK text, are left to Readability unchanged.

use std::collections::HashMap;

use dom_query::{NodeId, NodeRef};

use super::sizes::preorder;

/// A class word in Readability's "positive" list (`text`), and nothing in its
/// negative one. Readability drops classes from its output, so it never shows.
pub(super) const CONTENT_CLASS: &str = "khabar-text";

/// Readability's own link-density bar for unmarked blocks.
const LINK_SHARE: f64 = 0.2;

/// Text measures of one subtree.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    /// Non-space characters.
    chars: usize,
    /// Of which inside links.
    link_chars: usize,
    /// Words: runs of letters and digits, each CJK character one.
    words: usize,
    /// Of which inside links.
    link_words: usize,
    /// CJK characters.
    cjk: usize,
}

/// Whether `c` is a Han, Hiragana or Katakana character (scripts without spaces
/// between words).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

fn count_text(text: &str) -> Counts {
    let mut counts = Counts::default();
    let mut in_word = false;
    for c in text.chars() {
        if c.is_whitespace() {
            in_word = false;
            continue;
        }
        counts.chars += 1;
        if is_cjk(c) {
            counts.cjk += 1;
            counts.words += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                counts.words += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    counts
}

/// Marks the plain CJK blocks under `root` that Readability would misjudge as
/// link lists (see the module doc).
pub(super) fn mark_cjk_blocks(root: NodeRef<'_>) {
    let order = preorder(root);
    // Most pages have no CJK at all: a range check per character settles that
    // before any word is counted.
    let any_cjk = order
        .iter()
        .any(|node| node.is_text() && node.text().chars().any(is_cjk));
    if !any_cjk {
        return;
    }
    let mut counts: HashMap<NodeId, Counts, foldhash::fast::FixedState> =
        HashMap::with_capacity_and_hasher(order.len(), Default::default());
    let mut marked = Vec::new();
    for node in order.iter().rev() {
        let mut own = counts.remove(&node.id).unwrap_or_default();
        if node.is_text() {
            own = count_text(&node.text());
        }
        if node.has_name("a") {
            own.link_chars = own.chars;
            own.link_words = own.words;
        }
        if node.has_name("div") && is_misjudged(own) && is_plain(node) {
            marked.push(*node);
        }
        if node.id != root.id
            && let Some(parent) = node.parent()
        {
            let entry = counts.entry(parent.id).or_default();
            entry.chars += own.chars;
            entry.link_chars += own.link_chars;
            entry.words += own.words;
            entry.link_words += own.link_words;
            entry.cjk += own.cjk;
        }
    }
    for node in marked {
        node.set_attr("class", CONTENT_CLASS);
    }
}

/// CJK prose (at least a third of the text outside links: the rest is digits,
/// brackets, codes), over Readability's bar by characters, under it by words.
fn is_misjudged(c: Counts) -> bool {
    let share = |part: usize, whole: usize| part as f64 / whole.max(1) as f64;
    c.cjk * 3 >= c.chars.saturating_sub(c.link_chars)
        && share(c.link_chars, c.chars) > LINK_SHARE
        && share(c.link_words, c.words) <= LINK_SHARE
}

fn is_plain(node: &NodeRef<'_>) -> bool {
    node.attr("class").is_none_or(|c| c.trim().is_empty()) && node.attr("id").is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use dom_query::Document;

    fn marked(html: &str) -> bool {
        let doc = Document::from(html);
        mark_cjk_blocks(doc.root());
        doc.select(&format!("div.{CONTENT_CLASS}")).exists()
    }

    #[test]
    fn a_chinese_block_quoting_an_address_is_content() {
        let block = "<div><p>春光食品黄灯笼辣椒酱一百克两瓶装<br>【原价】十二元<br>【券后价】十元<br>\
            【领券地址】<a href=\"https://s.click.taobao.com/uftbsqs\">https://s.click.taobao.com/uftbsqs</a></p></div>";
        assert!(marked(block));
    }

    #[test]
    fn link_lists_site_classes_and_latin_text_are_left_to_readability() {
        // A list of links is a list of links in any script.
        assert!(!marked(
            "<div><a href=\"/1\">第一篇文章标题</a><a href=\"/2\">第二篇文章标题</a>更多</div>"
        ));
        // The site named it: Readability reads the name.
        assert!(!marked(
            "<div class=\"sidebar\"><p>春光食品黄灯笼辣椒酱一百克两瓶装 <a href=\"https://example.org/abcdefghij\">https://example.org/abcdefghij</a></p></div>"
        ));
        // Latin text: characters and words agree.
        assert!(!marked(
            "<div><p>Read the rest <a href=\"https://example.org/a\">at example.org today</a></p></div>"
        ));
    }
}
