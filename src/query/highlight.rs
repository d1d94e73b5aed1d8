//! Where a query's words occur in a text: for highlighting matches in the
//! headline list and the article, and for the `snippet` of `khabar search`.
//!
//! Words are compared by their Persian search key (the same normalisation as the
//! index), so `كتاب` highlights `کتاب‌ها` and `1403` highlights `۱۴۰۳`.

use std::ops::Range;

use super::ast::{Query, Term};
use super::words::tokens;

/// One normalised word to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needle {
    /// The word's search key.
    pub token: String,
    /// Matches words that start with it (free words), or only itself (phrases).
    pub prefix: bool,
}

impl Query {
    /// The words to highlight: every token of the free words (as prefixes) and of
    /// the phrases (whole words) that are not excluded.
    pub fn needles(&self) -> Vec<Needle> {
        let mut out = Vec::new();
        for term in self.positive_text() {
            let (text, prefix) = match term {
                Term::Word(word) => (word, true),
                Term::Phrase(phrase) => (phrase, false),
                _ => continue,
            };
            for token in tokens(text) {
                let needle = Needle { token, prefix };
                if !out.contains(&needle) {
                    out.push(needle);
                }
            }
        }
        out
    }
}

/// Characters inside a word as a reader sees it: letters, digits, and the
/// joiners and marks Persian spelling puts between them.
fn in_word(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(
            c,
            '\u{200C}' | '\u{200D}' | '\u{0640}' | '\u{0670}' | '\u{064B}'..='\u{065F}'
        )
}

/// Byte ranges of the words of `text` that match one of `needles`, in order.
pub fn match_ranges(text: &str, needles: &[Needle]) -> Vec<Range<usize>> {
    if needles.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = None;
    let check = |range: Range<usize>, out: &mut Vec<Range<usize>>| {
        let word_tokens = tokens(&text[range.clone()]);
        let hit = word_tokens.iter().any(|token| {
            needles.iter().any(|needle| {
                if needle.prefix {
                    token.starts_with(needle.token.as_str())
                } else {
                    *token == needle.token
                }
            })
        });
        if hit {
            out.push(range);
        }
    };
    for (at, c) in text.char_indices() {
        match (in_word(c), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                check(from..at, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        check(from..text.len(), &mut out);
    }
    out
}

/// About `max_chars` characters of `text` around its first match (its start when
/// nothing matches), cut at spaces, with `…` where text was left out.
pub fn snippet(text: &str, needles: &[Needle], max_chars: usize) -> String {
    let text = text.trim();
    let total = text.chars().count();
    if total <= max_chars {
        return text.to_string();
    }
    let first = match_ranges(text, needles).first().map_or(0, |r| r.start);
    let first_char = text[..first].chars().count();
    // A quarter of the window before the match, for context.
    let mut from = first_char.saturating_sub(max_chars / 4);
    if from + max_chars > total {
        from = total - max_chars;
    }
    let chars: Vec<char> = text.chars().collect();
    // Start and end at word boundaries when one is near.
    if from > 0 {
        if let Some(space) = chars[from..first_char.max(from)]
            .iter()
            .position(|c| c.is_whitespace())
        {
            from += space + 1;
        }
    }
    let mut to = (from + max_chars).min(total);
    if to < total {
        if let Some(space) = chars[from..to].iter().rposition(|c| c.is_whitespace()) {
            if from + space > first_char {
                to = from + space;
            }
        }
    }
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.extend(&chars[from..to]);
    if to < total {
        out.push('…');
    }
    out
}
