//! The words of a text as the search index sees them. The index and every query
//! go through [`index_text`], so a spelling that finds one finds the other.
//!
//! It is [`crate::text::persian::search_key`] (NFKC, Arabic/Persian letter
//! variants, harakat, ZWNJ and bidi controls, digits, case) followed by turning
//! everything that is not a letter or digit into one space. The index's tokenizer
//! (FTS5 `ascii`) then only splits at those spaces. A fast path skips NFKC for
//! runs that are already NFKC (nearly all text), which keeps indexing cheap.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use crate::text::persian::fold_char;

/// `text` normalised for the index: its words, lowercase, separated by single spaces.
pub fn index_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    append_index_text(text, &mut out);
    out
}

/// [`index_text`] appended to `out` (a space first when `out` is not empty).
pub fn append_index_text(text: &str, out: &mut String) {
    let mut folded = String::new();
    let mut push = |c: char, out: &mut String| {
        folded.clear();
        fold_char(c, &mut folded);
        for f in folded.chars() {
            if f.is_alphanumeric() {
                out.push(f);
            } else if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        }
    };
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
    if text.is_ascii() || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if c.is_ascii() {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            } else {
                push(c, out);
            }
        }
    } else {
        for c in text.nfkc() {
            push(c, out);
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
}

/// The index's words of `text`.
pub fn tokens(text: &str) -> Vec<String> {
    index_text(text)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_pairs_fold_to_the_same_words() {
        for (a, b) in [
            ("افزايش توليد كالا", "افزایش تولید کالا"),
            ("میخواهم", "می\u{200C}خواهم"),
            ("۱۴۰۳", "1403"),
            ("١٤٠٣", "1403"),
            ("مسئله", "مسیله"),
            ("مدرسة خانۀ", "مدرسه خانه"),
            ("أمير إسلام ٱلله آب", "امیر اسلام الله اب"),
            ("مؤسسه", "موسسه"),
            ("كَتَبَ", "کتب"),
            ("خبرـــها", "خبرها"),
            ("\u{202B}خبر\u{202C}", "خبر"),
            ("\u{FEB3}\u{FEFC}\u{FEE1}", "سلام"),
            ("Bank, «Rates»!", "bank rates"),
        ] {
            assert_eq!(index_text(a), index_text(b), "{a} / {b}");
        }
        assert_eq!(index_text("  Hello,  World 3.5 "), "hello world 3 5");
        assert_eq!(tokens("کتاب‌ها «نو»"), ["کتابها", "نو"]);
        let mut out = String::from("title");
        append_index_text("Body", &mut out);
        assert_eq!(out, "title body");
    }
}
