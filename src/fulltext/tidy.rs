//! Last touches on the article tree: the headline repeated as a heading goes (the
//! reader shows the item's title), a teaser that repeats the story's opening
//! ("… به گزارش …") goes, links become absolute, and a plain-text body becomes
//! paragraphs.

use std::collections::HashMap;
use std::sync::LazyLock;

use foldhash::fast::FixedState;

use dom_query::NodeRef;

use super::phrases::{fold_char, has_no_case};
use super::sizes::{Sizes, preorder};

/// Teasers longer than this are not looked at (a story paragraph is not one).
const MAX_TEASER_CHARS: usize = 600;

/// Removes the headline heading and teasers that repeat the story.
/// `sizes` are the text sizes of `root`'s nodes ([`super::chrome::strip`]'s).
pub fn tidy(root: NodeRef<'_>, title: &str, sizes: &Sizes) {
    let title = words_of(title);
    let mut doomed = Vec::new();
    // Blocks cut short with an ellipsis, and the whole words they end with.
    let mut teasers = Vec::new();
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
        if is_block(&node)
            && let Some(tail) = teaser_tail(&node.text())
        {
            teasers.push((node, tail));
        }
    }
    // The whole page's words, only when a block is cut short (most pages have
    // none): folding a 1 MB page's text costs more than the rest of this pass.
    // Every teaser is looked for in one pass over them; searching the page
    // once per teaser made a listing page of thousands of teasers quadratic
    // (7 s for 1.3 MB, BENCHMARKS.md).
    if !teasers.is_empty() {
        let whole = words_of(&root.text());
        let seen = occurrences(&whole, teasers.iter().map(|(_, tail)| tail.as_str()));
        for (node, tail) in &teasers {
            if seen.get(tail.as_str()).is_some_and(|n| *n >= 2) {
                doomed.push(*node);
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

/// Whole words that end a text cut short with an ellipsis, as [`words_of`]
/// writes them: the last six before the cut word. A teaser is a summary of the
/// story printed above it, so these words appear again in the story.
const TEASER_TAIL_WORDS: usize = 6;

/// The last [`TEASER_TAIL_WORDS`] whole words of `text` when it is cut short
/// with an ellipsis and long enough to be a teaser (the cut word, maybe cut in
/// the middle, is left out).
fn teaser_tail(text: &str) -> Option<String> {
    let cut = cut_short(text)?;
    let words = words_of(cut);
    let words: Vec<&str> = words.split(' ').collect();
    if words.len() < TEASER_TAIL_WORDS + 2 {
        return None;
    }
    Some(words[words.len() - TEASER_TAIL_WORDS - 1..words.len() - 1].join(" "))
}

/// How often each of `phrases` (words joined by single spaces) occurs in
/// `whole` (the same), word for word: one pass over `whole`'s words, each
/// window of as many words as a phrase has looked up once.
fn occurrences<'p>(
    whole: &str,
    phrases: impl Iterator<Item = &'p str>,
) -> HashMap<&'p str, usize, FixedState> {
    let mut counts: HashMap<&str, usize, FixedState> = HashMap::default();
    let mut lengths = Vec::new();
    for phrase in phrases {
        let words = phrase.split(' ').count();
        if !lengths.contains(&words) {
            lengths.push(words);
        }
        counts.insert(phrase, 0);
    }
    // Where each word of `whole` starts; words are separated by one space.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(whole.match_indices(' ').map(|(at, _)| at + 1))
        .collect();
    for words in lengths {
        for (first, &start) in starts.iter().enumerate() {
            if first + words > starts.len() {
                break;
            }
            let end = starts
                .get(first + words)
                .map_or(whole.len(), |next| next - 1);
            if let Some(n) = counts.get_mut(&whole[start..end]) {
                *n += 1;
            }
        }
    }
    counts
}

/// The text before a closing ellipsis, when it ends with one.
fn cut_short(text: &str) -> Option<&str> {
    let trimmed = text.trim_end();
    trimmed
        .strip_suffix('…')
        .or_else(|| trimmed.strip_suffix("..."))
}

/// The words of `text` as [`fold`](super::phrases::fold) spells them, one space between them:
/// the runs of letters and digits, whatever separates them. One pass, since
/// a teaser's words are compared with every word of the page.
fn words_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    let mut push = |c: char| {
        if is_letter_or_digit(c) {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    };
    for c in text.chars() {
        let Some(c) = fold_char(c) else {
            continue;
        };
        if has_no_case(c) {
            push(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut push);
        }
    }
    out
}

/// [`char::is_alphanumeric`], from a table for the first 2,048 code points
/// (Latin, Greek, Cyrillic, Hebrew, Arabic): the standard library's search of
/// its Unicode tables was most of the cost of reading a Persian page's words.
fn is_letter_or_digit(c: char) -> bool {
    static TABLE: LazyLock<[u64; 32]> = LazyLock::new(|| {
        let mut table = [0u64; 32];
        for code in 0..2048u32 {
            if char::from_u32(code).is_some_and(char::is_alphanumeric) {
                table[code as usize / 64] |= 1 << (code % 64);
            }
        }
        table
    });
    let code = c as u32;
    if code < 2048 {
        TABLE[code as usize / 64] & (1 << (code % 64)) != 0
    } else {
        c.is_alphanumeric()
    }
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
        let tail = teaser_tail(teaser).unwrap();
        assert_eq!(tail, "ایسنا محمد صایبی از تشکیل اولین");
        let whole = words_of(&format!("{teaser} {story}"));
        assert_eq!(
            occurrences(&whole, [tail.as_str()].into_iter())[tail.as_str()],
            2
        );
        assert_eq!(teaser_tail(story), None, "not cut short");
        assert_eq!(teaser_tail("کوتاه است…"), None, "too short to be a teaser");
    }

    #[test]
    fn teaser_words_are_found_word_for_word_once_per_window() {
        let whole = "a b c d e f g a b c d e f x b c d e f g";
        let seen = occurrences(
            whole,
            ["a b c d e f", "b c d e f g", "c d", "f g"].into_iter(),
        );
        assert_eq!(seen["a b c d e f"], 2);
        assert_eq!(seen["b c d e f g"], 2);
        assert_eq!(seen["c d"], 3);
        assert_eq!(seen["f g"], 2);
        // Inside a longer word is not the word.
        let seen = occurrences("xa b ab", ["a b"].into_iter());
        assert_eq!(seen["a b"], 0);
        // The last window reaches the end of the text.
        assert_eq!(occurrences("a b", ["a b"].into_iter())["a b"], 1);
        assert_eq!(occurrences("", ["a b"].into_iter())["a b"], 0);
    }

    #[test]
    fn words_are_the_runs_of_letters_and_digits_of_the_folded_text() {
        // The definition: fold, every other character a space, one space between words.
        fn by_definition(text: &str) -> String {
            super::super::phrases::fold(text)
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        }
        let texts = [
            "به گزارش «ایسنا»، محمد صائبی — از تشکیل اولین نشستِ کارگروه خبر داد…",
            "  Read MORE: İstanbul's ΣΟΦΊΑ, Привет мир!  ",
            "می\u{200c}خواهم كتاب‌هاي ١٤٠٣ و ۱۴۰۳ را بخوانم؛ ـــ تمام",
            "שלום עולם 123 --- x\u{a0}y\tz\n",
            "日本語のテキスト、中文 한국어 😀 e\u{301}té",
            "",
            " … ",
        ];
        for text in texts {
            assert_eq!(words_of(text), by_definition(text), "{text:?}");
        }
        for code in (0..0x3000u32).chain(0x1_0000..0x1_0400) {
            if let Some(c) = char::from_u32(code) {
                assert_eq!(is_letter_or_digit(c), c.is_alphanumeric(), "U+{code:04X}");
                if has_no_case(c) {
                    let lower = c.to_ascii_lowercase().to_string();
                    assert_eq!(lower, c.to_lowercase().collect::<String>(), "U+{code:04X}");
                }
                let text = format!("a{c}b {c}");
                assert_eq!(words_of(&text), by_definition(&text), "U+{code:04X}");
            }
        }
    }

    #[test]
    fn plain_text_becomes_escaped_paragraphs() {
        assert_eq!(paragraphs("a < b\n\nc"), "<p>a &lt; b</p><p>c</p>");
    }
}
