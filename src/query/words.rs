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

/// What [`fold_char`] followed by the letter-or-digit test makes of one character
/// of the Arabic block (U+0600..U+06FF), where Persian and Arabic text spends
/// nearly all its characters.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ArabicFold {
    /// Dropped (harakat, tatweel).
    Nothing,
    /// A word character, after folding.
    Word(char),
    /// Punctuation and other non-word characters: a word boundary.
    Boundary,
}

/// [`ArabicFold`] for each character of U+0600..U+06FF, computed once from the
/// general path so the two can never differ (a test compares them too). Looking
/// it up replaces two searches of Unicode's tables per character (lowercase and
/// alphabetic), which were a third of a first refresh's CPU.
fn arabic_fold(c: char) -> ArabicFold {
    static TABLE: std::sync::OnceLock<[ArabicFold; 256]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = [ArabicFold::Nothing; 256];
        let mut folded = String::new();
        for (offset, slot) in table.iter_mut().enumerate() {
            let Some(c) = char::from_u32(0x0600 + offset as u32) else {
                continue;
            };
            folded.clear();
            fold_char(c, &mut folded);
            let mut chars = folded.chars();
            *slot = match (chars.next(), chars.next()) {
                (None, _) => ArabicFold::Nothing,
                (Some(f), None) if f.is_alphanumeric() => ArabicFold::Word(f),
                (Some(_), None) => ArabicFold::Boundary,
                // No character of the block folds to two; if one ever did, the
                // general path below would be wrong to skip, so say so loudly in tests.
                (Some(_), Some(_)) => ArabicFold::Boundary,
            };
        }
        table
    });
    table[(c as u32 - 0x0600) as usize & 0xFF]
}

/// [`index_text`] appended to `out` (a space first when `out` is not empty).
pub fn append_index_text(text: &str, out: &mut String) {
    let mut folded = String::new();
    let mut push = |c: char, out: &mut String| {
        if ('\u{0600}'..='\u{06FF}').contains(&c) {
            match arabic_fold(c) {
                ArabicFold::Word(f) => out.push(f),
                ArabicFold::Boundary if !out.is_empty() && !out.ends_with(' ') => out.push(' '),
                ArabicFold::Boundary | ArabicFold::Nothing => {}
            }
            return;
        }
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

    /// The general path, character by character, as it was before the table.
    fn general(c: char) -> Vec<ArabicFold> {
        let mut folded = String::new();
        fold_char(c, &mut folded);
        folded
            .chars()
            .map(|f| {
                if f.is_alphanumeric() {
                    ArabicFold::Word(f)
                } else {
                    ArabicFold::Boundary
                }
            })
            .collect()
    }

    #[test]
    fn the_arabic_block_table_agrees_with_the_general_path() {
        for code in 0x0600..=0x06FF_u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let general = general(c);
            assert!(general.len() <= 1, "U+{code:04X} folds to {general:?}");
            let expected = general.first().copied().unwrap_or(ArabicFold::Nothing);
            assert_eq!(arabic_fold(c), expected, "U+{code:04X}");
        }
    }

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
