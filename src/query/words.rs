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

mod swar;

/// `text` normalised for the index: its words, lowercase, separated by single spaces.
pub fn index_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    append_index_text(text, &mut out);
    out
}

/// What [`fold_char`] followed by the letter-or-digit test makes of one
/// character, for the characters of two UTF-8 bytes (U+0080..U+07FF: Latin-1,
/// Latin extended, Greek, Cyrillic, Hebrew and the Arabic block, where Persian and
/// Arabic text spends nearly all its characters).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fold {
    /// Dropped (harakat, tatweel).
    Nothing,
    /// A word character, after folding.
    Word(char),
    /// Punctuation and other non-word characters: a word boundary.
    Boundary,
    /// Folds to several characters: the general path.
    General,
}

/// One entry of [`two_byte_table`]: the fold, and whether the character alone
/// is certainly in NFKC (quick check "yes" and combining class 0), so a text of
/// only such characters needs no normalisation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct TableEntry {
    fold: Fold,
    plain: bool,
    /// Plain and a word character that folds to itself: copied as it is.
    same: bool,
}

/// The first code point of [`two_byte_table`].
const TABLE_START: u32 = 0x80;
/// How many code points [`two_byte_table`] covers (U+0080..U+07FF).
const TABLE_LEN: usize = 0x800 - TABLE_START as usize;

/// [`TableEntry`] for each character of U+0080..U+07FF, computed once from the
/// general path so the two can never differ (a test compares them too). Looking
/// it up replaces two searches of Unicode's tables per character (lowercase and
/// alphabetic) and the NFKC quick check's two, which were a third of a first
/// refresh's CPU.
fn two_byte_table() -> &'static [TableEntry; TABLE_LEN] {
    static TABLE: std::sync::OnceLock<Box<[TableEntry; TABLE_LEN]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Box::new(
            [TableEntry {
                fold: Fold::Nothing,
                plain: false,
                same: false,
            }; TABLE_LEN],
        );
        for (offset, slot) in table.iter_mut().enumerate() {
            if let Some(c) = char::from_u32(TABLE_START + offset as u32) {
                let fold = general_fold(c);
                let plain = is_plain(c);
                *slot = TableEntry {
                    fold,
                    plain,
                    same: plain && fold == Fold::Word(c),
                };
            }
        }
        table
    })
}

/// What the general path makes of `c`, as a [`Fold`].
fn general_fold(c: char) -> Fold {
    let mut folded = String::new();
    fold_char(c, &mut folded);
    let mut chars = folded.chars();
    match (chars.next(), chars.next()) {
        (None, _) => Fold::Nothing,
        (Some(f), None) if f.is_alphanumeric() => Fold::Word(f),
        (Some(_), None) => Fold::Boundary,
        (Some(_), Some(_)) => Fold::General,
    }
}

/// `c` alone passes the NFKC quick check with "yes" and has combining class 0:
/// any text made of such characters (and ASCII) is in NFKC, whatever their order.
fn is_plain(c: char) -> bool {
    unicode_normalization::char::canonical_combining_class(c) == 0
        && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
}

/// The output of one call: words separated by single spaces, the space written
/// only once the next word starts, so no trailing space needs taking back.
struct Words<'o> {
    out: &'o mut String,
    /// A boundary was seen since the last word character (or `out` held text).
    space: bool,
    /// `out` is not empty and does not end with a space: a boundary now means a
    /// space before the next word. Kept rather than asking `out` at every
    /// boundary; only the word methods write, and never a space last.
    after_word: bool,
}

impl Words<'_> {
    fn new(out: &mut String) -> Words<'_> {
        let after_word = !out.is_empty() && !out.ends_with(' ');
        Words {
            out,
            space: after_word,
            after_word,
        }
    }

    #[inline]
    fn word_char(&mut self, c: char) {
        if self.space {
            self.out.push(' ');
            self.space = false;
        }
        self.out.push(c);
        self.after_word = true;
    }

    #[inline]
    fn word_str(&mut self, text: &str) {
        if self.space {
            self.out.push(' ');
            self.space = false;
        }
        self.out.push_str(text);
        self.after_word = true;
    }

    #[inline]
    fn boundary(&mut self) {
        self.space = self.after_word;
    }

    /// Any character, through [`fold_char`] and the letter-or-digit test.
    fn general(&mut self, c: char, folded: &mut String) {
        folded.clear();
        fold_char(c, folded);
        for f in folded.chars() {
            if f.is_alphanumeric() {
                self.word_char(f);
            } else {
                self.boundary();
            }
        }
    }

    fn finish(self) {
        // Only when `out` ended with a space as the call began (the general
        // path's behaviour, kept).
        if self.out.ends_with(' ') {
            self.out.pop();
        }
    }
}

/// What the fast path's copying loop does with a byte, by [`BYTE_CLASS`].
const OTHER: u8 = 0;
/// An ASCII lowercase letter or digit: copied.
const LOWER: u8 = 1;
/// An ASCII uppercase letter: copied, the run lowercased afterwards.
const UPPER: u8 = 2;
/// The lead byte of a two-byte character (0xC2..=0xDF): copied when
/// [`same_bits`] says it folds to itself.
const LEAD2: u8 = 3;
/// An ASCII space: copied between two words, a boundary otherwise.
const SPACE: u8 = 4;

/// The class of every byte, one load instead of the range tests of
/// `is_ascii_alphanumeric`, `is_ascii_uppercase` and the lead-byte test.
static BYTE_CLASS: [u8; 256] = {
    let mut classes = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        classes[b] = if byte == b' ' {
            SPACE
        } else if byte.is_ascii_uppercase() {
            UPPER
        } else if byte.is_ascii_alphanumeric() {
            LOWER
        } else if byte >= 0xC2 && byte <= 0xDF {
            LEAD2
        } else {
            OTHER
        };
        b += 1;
    }
    classes
};

/// [`TableEntry::same`] of every code point below U+0800 as one bit each
/// (256 bytes instead of the table's 23 kB in the copying loop), indexed by
/// code point so the lead byte's five bits pick the word with no bounds check.
fn same_bits() -> &'static [u64; 32] {
    static BITS: std::sync::OnceLock<[u64; 32]> = std::sync::OnceLock::new();
    BITS.get_or_init(|| {
        let mut bits = [0u64; 32];
        for (offset, entry) in two_byte_table().iter().enumerate() {
            if entry.same {
                let code = TABLE_START as usize + offset;
                bits[code / 64] |= 1 << (code % 64);
            }
        }
        bits
    })
}

/// Whether the two-byte character `lead`, `next` is copied as it is
/// ([`TableEntry::same`]); `lead` is in 0xC2..=0xDF.
#[inline]
fn two_byte_same(bits: &[u64; 32], lead: u8, next: u8) -> bool {
    bits[usize::from(lead & 0x1F)] & (1 << (next & 0x3F)) != 0
}

/// [`index_text`] appended to `out` (a space first when `out` is not empty).
pub fn append_index_text(text: &str, out: &mut String) {
    // The output is never longer than the text plus a space, but for the rare
    // character that lowercases to a longer one.
    out.reserve(text.len() + 1);
    let start = out.len();
    if fast_path(text, out) {
        return;
    }
    // A character the tables cannot vouch for (outside U+0000..U+07FF, a
    // combining mark, a compatibility character): the general path, from the start.
    out.truncate(start);
    general_path(text, out);
}

/// [`append_index_text`] when `text` takes the fast path (every character ASCII
/// or a two-byte character the tables vouch for, or ZWNJ/ZWJ): returns true and
/// has appended exactly what [`append_index_text`] would. Returns false, with
/// `out` as it was, otherwise. On this path every character is handled alone,
/// so a run of whitespace is one boundary like a single space: the index text
/// of a text is the same whether or not its whitespace was collapsed first.
pub fn append_index_text_fast(text: &str, out: &mut String) -> bool {
    out.reserve(text.len() + 1);
    let start = out.len();
    if fast_path(text, out) {
        return true;
    }
    out.truncate(start);
    false
}

/// The text when every character is ASCII or a [`TableEntry::plain`] one from
/// the table (the text is then certainly NFKC): stretches of words and single
/// spaces copied whole ([`stretch`]), other characters looked up. Returns
/// false, having written part of the text, at the first character it cannot
/// handle.
fn fast_path(text: &str, out: &mut String) -> bool {
    let table = two_byte_table();
    let same = same_bits();
    let bytes = text.as_bytes();
    let mut words = Words::new(out);
    let mut at = 0;
    while at < bytes.len() {
        // The longest stretch of characters copied as they are (ASCII letters
        // and digits, lowercased afterwards; two-byte word characters that fold
        // to themselves, nearly all Persian and Arabic letters), single spaces
        // between words included: one copy for "central inflation percent"
        // (with the eight-byte scan, fast_path 714 M -> 343 M instructions of a
        // 20,000-item first refresh; one copy per word and a class load per
        // byte before).
        let class = BYTE_CLASS[usize::from(bytes[at])];
        if matches!(class, LOWER | UPPER | LEAD2) {
            let run_start = at;
            let mut upper = false;
            at = stretch(bytes, at, same, &mut upper);
            if at > run_start {
                let run = &text[run_start..at];
                words.word_str(run);
                if upper {
                    let len = words.out.len();
                    words.out[len - run.len()..].make_ascii_lowercase();
                }
                continue;
            }
        }
        // ASCII spaces and punctuation: one boundary for the lot.
        if bytes[at] < 0x80 {
            words.boundary();
            at += 1;
            while bytes
                .get(at)
                .is_some_and(|&b| b < 0x80 && matches!(BYTE_CLASS[usize::from(b)], OTHER | SPACE))
            {
                at += 1;
            }
            continue;
        }
        let b = bytes[at];
        // Two-byte sequences (lead 0xC2..0xDF): U+0080..U+07FF. `text` is a
        // `str`, so the continuation byte is there and valid.
        if (0xC2..=0xDF).contains(&b) {
            let Some(entry) = two_byte_entry(table, b, bytes.get(at + 1)) else {
                return false;
            };
            if !entry.plain {
                return false;
            }
            match entry.fold {
                Fold::Word(f) => words.word_char(f),
                Fold::Boundary => words.boundary(),
                Fold::Nothing => {}
                Fold::General => return false,
            }
            at += 2;
            continue;
        }
        // Zero-width non-joiner and joiner (Persian writes the former inside
        // words): plain and dropped. Anything else of three or four bytes: the
        // general path.
        if b == 0xE2
            && bytes.get(at + 1) == Some(&0x80)
            && matches!(bytes.get(at + 2), Some(0x8C | 0x8D))
        {
            at += 3;
            continue;
        }
        return false;
    }
    words.finish();
    true
}

/// The end of the stretch from `start` (a byte of class [`LOWER`], [`UPPER`]
/// or [`LEAD2`]) that is copied as it is: ASCII letters and digits, two-byte
/// characters [`two_byte_same`] vouches for, and single spaces between them.
/// From an ASCII letter or digit it takes eight bytes at a time ([`swar`]) while
/// there are eight. Sets `upper` when it passes an ASCII uppercase letter (or
/// may, within the last eight bytes looked at: lowercasing the run is harmless).
#[inline]
fn stretch(bytes: &[u8], start: usize, same: &[u64; 32], upper: &mut bool) -> usize {
    let mut at = start;
    while let Some(&b) = bytes.get(at) {
        match BYTE_CLASS[usize::from(b)] {
            LOWER | UPPER => {
                // The eight start at a letter or digit, so their first space
                // follows one: `scan` need not know the byte before them.
                let Some(chunk) = bytes.get(at..at + 8) else {
                    *upper |= b.is_ascii_uppercase();
                    at += 1;
                    continue;
                };
                let mut eight = [0; 8];
                eight.copy_from_slice(chunk);
                let eight = swar::scan(eight);
                *upper |= eight.upper;
                at += eight.copied;
            }
            LEAD2 => {
                // Persian and Arabic words and the single spaces between them
                // in a loop of their own, not back through the class match
                // (fast_path 343 M -> 327 M instructions of a first refresh).
                let from = at;
                while at + 1 < bytes.len() {
                    let (lead, next) = (bytes[at], bytes[at + 1]);
                    if (0xC2..=0xDF).contains(&lead) && two_byte_same(same, lead, next) {
                        at += 2;
                    } else if lead == b' ' && (0xC2..=0xDF).contains(&next) {
                        // After a letter (the loop starts at one), before one.
                        at += 1;
                    } else {
                        break;
                    }
                }
                if at == from {
                    break;
                }
            }
            SPACE if bytes[at - 1] != b' ' => at += 1,
            _ => break,
        }
    }
    // Not the space before a boundary.
    if at > start && bytes[at - 1] == b' ' {
        at -= 1;
    }
    at
}

/// The table's entry for the two-byte sequence `lead`, `next` (U+0080..U+07FF).
/// `text` is a `str`, so the continuation byte is there and valid.
#[inline]
fn two_byte_entry<'t>(
    table: &'t [TableEntry; TABLE_LEN],
    lead: u8,
    next: Option<&u8>,
) -> Option<&'t TableEntry> {
    let code = (u32::from(lead & 0x1F) << 6) | u32::from(next? & 0x3F);
    table.get(code.checked_sub(TABLE_START)? as usize)
}

/// The general path: NFKC when the text needs it, then every character through
/// [`fold_char`] and the letter-or-digit test (Arabic-block characters through
/// the table, which agrees with it).
fn general_path(text: &str, out: &mut String) {
    let table = two_byte_table();
    let mut folded = String::new();
    let mut words = Words::new(out);
    let mut push = |c: char, words: &mut Words<'_>| {
        let code = c as u32;
        if (TABLE_START..TABLE_START + TABLE_LEN as u32).contains(&code) {
            match table[(code - TABLE_START) as usize].fold {
                Fold::Word(f) => words.word_char(f),
                Fold::Boundary => words.boundary(),
                Fold::Nothing => {}
                Fold::General => words.general(c, &mut folded),
            }
            return;
        }
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                words.word_char(c.to_ascii_lowercase());
            } else {
                words.boundary();
            }
            return;
        }
        words.general(c, &mut folded);
    };
    if text.is_ascii() || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        for c in text.chars() {
            push(c, &mut words);
        }
    } else {
        for c in text.nfkc() {
            push(c, &mut words);
        }
    }
    words.finish();
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
#[path = "words_tests.rs"]
mod tests;
