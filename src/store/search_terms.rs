//! The search vocabulary, `search_terms` (schema: `MIGRATION_SEARCH`): every
//! word ever indexed, so that a word typed in a query expands to the indexed
//! words it starts. Rows are never deleted (a word of a removed item matches
//! nothing). [`Terms`] gathers the distinct words of one write, stored once;
//! [`StoredTerms`] remembers what a connection already stored.

use std::collections::HashSet;
use std::hash::BuildHasher;

use rusqlite::Connection;

type Hasher = foldhash::fast::RandomState;

/// Distinct words indexed in one write, stored in `search_terms` once.
///
/// Nearly every word of a write is one seen before (a first refresh of
/// 20,000 items looks up ~5 M words for a few thousand distinct ones at most),
/// so the lookup is what costs. A word of at most [`SHORT`] bytes (nearly all
/// of them) is looked up as a number: its bytes and its length packed into a
/// `u128`, read eight bytes at a time straight from the text, which also finds
/// where the word ends. That replaced a byte-by-byte split and a string set
/// (hash of the string, then a `memcmp` per hit): ~620 M instructions for
/// ~3.8 M words, now ~344 M (callgrind, a first refresh of 20,000 items).
/// Longer words go to a string set.
#[derive(Default, Debug, Clone)]
pub(super) struct Terms {
    /// Every distinct word, once each, in the order first seen.
    words: Vec<String>,
    /// The keys ([`short_key`]) of the words of at most [`SHORT`] bytes.
    short: KeySet,
    /// The words longer than [`SHORT`] bytes.
    long: HashSet<Box<str>, Hasher>,
}

/// The longest word looked up by its [`short_key`]: 15 bytes, so that the
/// key's last byte is free for the length.
const SHORT: usize = 15;

/// A word of 1 to [`SHORT`] bytes as a number: its bytes in the low bytes
/// (little-endian, the rest zero) and its length in the top byte, so two
/// words have the same key only when they are the same word (a word may hold
/// any byte but a space, NUL included).
fn short_key(low: u64, high: u64, len: usize) -> u128 {
    u128::from(low) | (u128::from(high) << 64) | ((len as u128) << 120)
}

/// The `n` (0 to 8) first bytes of `chunk`, the others zeroed.
#[inline]
fn first_bytes(chunk: u64, n: usize) -> u64 {
    chunk & u64::MAX.checked_shr(64 - 8 * n as u32).unwrap_or(0)
}

/// Where the first space of `chunk` is (0 to 7), or 8 when it has none.
#[inline]
fn first_space(chunk: u64) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    // A space becomes a zero byte; the classic zero-byte test may also flag a
    // byte above a zero byte (the borrow), never below one, so the lowest
    // flag is exact.
    let zeroed = chunk ^ SPACES;
    let flags = zeroed.wrapping_sub(ONES) & !zeroed & HIGHS;
    (flags.trailing_zeros() / 8) as usize
}

/// Eight bytes of `bytes` from `at`, little-endian; past the end they are
/// spaces, so the end of the text ends a word as a space does.
#[inline]
fn chunk_at(bytes: &[u8], at: usize) -> u64 {
    let rest = bytes.get(at..).unwrap_or_default();
    if let Some(eight) = rest.first_chunk::<8>() {
        return u64::from_le_bytes(*eight);
    }
    let mut padded = [b' '; 8];
    for (to, from) in padded.iter_mut().zip(rest) {
        *to = *from;
    }
    u64::from_le_bytes(padded)
}

/// The key of `word` when it is 1 to [`SHORT`] bytes long (and has no space).
fn key_of(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > SHORT {
        return None;
    }
    let low = first_bytes(chunk_at(bytes, 0), bytes.len().min(8));
    let high = first_bytes(chunk_at(bytes, 8), bytes.len().saturating_sub(8));
    Some(short_key(low, high, bytes.len()))
}

/// A set of [`short_key`]s: open addressing with linear probing, at most half
/// full, so that a word already seen (nearly every word) costs a hash, a load
/// and a comparison in line in the scan. `HashSet<u128>` and hashbrown's
/// `HashTable<u128>` were each a call of ~52–55 instructions a lookup (SIMD
/// group probe, tag, then key; callgrind, a first refresh of 20,000 items).
#[derive(Default, Debug, Clone)]
struct KeySet {
    /// A power of two long (or empty); 0 is an empty slot, never a key (a
    /// key's top byte holds its length, 1 or more).
    slots: Vec<u128>,
    /// Keys held.
    len: usize,
    /// Randomly seeded, so that a feed cannot choose words that collide.
    hasher: Hasher,
}

impl KeySet {
    /// The slot of `key`, or of the empty slot where it would go.
    #[inline]
    fn slot(&self, key: u128) -> usize {
        let mask = self.slots.len().wrapping_sub(1);
        let mut at = self.hasher.hash_one(key) as usize & mask;
        // Ends: the set is at most half full, so an empty slot comes.
        while let Some(&held) = self.slots.get(at) {
            if held == key || held == 0 {
                break;
            }
            at = (at + 1) & mask;
        }
        at
    }

    /// Adds `key` (not 0); whether it was new.
    #[inline]
    fn insert(&mut self, key: u128) -> bool {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let at = self.slot(key);
        match self.slots.get_mut(at) {
            Some(held) if *held == 0 => {
                *held = key;
                self.len += 1;
                true
            }
            _ => false,
        }
    }

    fn contains(&self, key: u128) -> bool {
        self.slots
            .get(self.slot(key))
            .is_some_and(|&held| held == key)
    }

    /// Twice the slots (at least 64), every key placed again. Out of line: a
    /// few times a write, and the lookup stays small enough to inline.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        let slots = (self.slots.len() * 2).max(64);
        let old = std::mem::replace(&mut self.slots, vec![0; slots]);
        for key in old.into_iter().filter(|&key| key != 0) {
            let at = self.slot(key);
            if let Some(held) = self.slots.get_mut(at) {
                *held = key;
            }
        }
    }

    fn clear(&mut self) {
        self.slots.clear();
        self.len = 0;
    }
}

impl PartialEq for Terms {
    fn eq(&self, other: &Terms) -> bool {
        self.words.len() == other.words.len() && self.words.iter().all(|word| other.contains(word))
    }
}

impl Eq for Terms {}

impl Terms {
    /// The words of an index text (words are separated by single spaces; an
    /// empty word, from a leading, trailing or doubled space, is none).
    pub(super) fn add_text(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let low = chunk_at(bytes, start);
            let mut len = first_space(low);
            let key = if len < 8 {
                short_key(first_bytes(low, len), 0, len)
            } else {
                let high = chunk_at(bytes, start + 8);
                let more = first_space(high);
                len = 8 + more;
                short_key(low, first_bytes(high, more), len)
            };
            if len > SHORT {
                // 16 bytes or more (rare): find its end, look it up as a string.
                len = bytes
                    .get(start + len..)
                    .unwrap_or_default()
                    .iter()
                    .position(|&byte| byte == b' ')
                    .map_or(bytes.len() - start, |space| len + space);
                // Both ends are next to an ASCII space or the text's end: char boundaries.
                self.add_long(text.get(start..start + len).unwrap_or_default());
            } else if len > 0 && self.short.insert(key) {
                self.words
                    .push(text.get(start..start + len).unwrap_or_default().to_string());
            }
            start += len + 1;
        }
    }

    fn add_long(&mut self, word: &str) {
        if !self.long.contains(word) {
            self.long.insert(word.into());
            self.words.push(word.to_string());
        }
    }

    /// Adds one word (without spaces).
    fn add_word(&mut self, word: &str) {
        match key_of(word) {
            Some(key) if self.short.insert(key) => self.words.push(word.to_string()),
            Some(_) => {}
            None if !word.is_empty() => self.add_long(word),
            None => {}
        }
    }

    fn contains(&self, word: &str) -> bool {
        match key_of(word) {
            Some(key) => self.short.contains(key),
            None => self.long.contains(word),
        }
    }

    /// Adds the words of `other`.
    pub(super) fn extend(&mut self, other: &Terms) {
        for word in &other.words {
            self.add_word(word);
        }
    }

    /// Leaves out the words `stored` knows are in `search_terms` already.
    pub(super) fn without_stored(&mut self, stored: &StoredTerms) {
        if stored.0.is_empty() {
            return;
        }
        self.words.retain(|word| !stored.0.contains(word.as_str()));
        // Rebuilt rather than removed from (a linear-probing set has no cheap
        // removal): once per page of full text, a few hundred words.
        self.short.clear();
        self.long.clear();
        for word in &self.words {
            match key_of(word) {
                Some(key) => {
                    self.short.insert(key);
                }
                None => {
                    self.long.insert(word.as_str().into());
                }
            }
        }
    }

    /// Adds the words to `search_terms`, keeping them (for [`StoredTerms::remember`]).
    pub(super) fn insert(&self, conn: &Connection) -> rusqlite::Result<()> {
        if self.words.is_empty() {
            return Ok(());
        }
        let mut insert =
            conn.prepare_cached("INSERT OR IGNORE INTO search_terms (term) VALUES (?1)")?;
        for term in &self.words {
            insert.execute([term])?;
        }
        Ok(())
    }

    /// Adds the words to `search_terms` and forgets them.
    pub(super) fn store(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        self.insert(conn)?;
        self.words.clear();
        self.short.clear();
        self.long.clear();
        Ok(())
    }
}

/// Words a connection has committed to `search_terms` (rows there are never
/// deleted), so that the next pages' common words need no `INSERT OR IGNORE`
/// each: 200 full-text pages asked for 50,722 of them, 0.19 G instructions
/// (BENCHMARKS.md, issue 10). Only words of committed transactions are
/// remembered: a word remembered but rolled back would never be stored by a
/// later write, and a prefix query would miss it.
#[derive(Default, Debug)]
pub(super) struct StoredTerms(HashSet<Box<str>, Hasher>);

/// Words remembered at most (a few MB).
const MAX_STORED_TERMS: usize = 200_000;

impl StoredTerms {
    /// Remembers `terms`, which a committed transaction stored.
    pub(super) fn remember(&mut self, terms: Terms) {
        for term in terms.words {
            if self.0.len() >= MAX_STORED_TERMS {
                return;
            }
            self.0.insert(term.into_boxed_str());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition: the distinct non-empty pieces between spaces.
    fn reference(texts: &[&str]) -> std::collections::BTreeSet<String> {
        texts
            .iter()
            .flat_map(|text| text.split(' '))
            .filter(|word| !word.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// The words of `terms`, failing on one held twice.
    fn held(terms: &Terms) -> std::collections::BTreeSet<String> {
        let words: std::collections::BTreeSet<String> = terms.words.iter().cloned().collect();
        assert_eq!(
            words.len(),
            terms.words.len(),
            "a word held twice: {terms:?}"
        );
        words
    }

    fn check(texts: &[&str]) {
        let mut terms = Terms::default();
        for text in texts {
            terms.add_text(text);
        }
        let expected = reference(texts);
        assert_eq!(held(&terms), expected, "{texts:?}");
        for word in &expected {
            assert!(terms.contains(word), "{word:?} of {texts:?}");
        }
        let mut copy = Terms::default();
        copy.extend(&terms);
        copy.extend(&terms);
        assert_eq!(held(&copy), expected);
        assert_eq!(copy, terms);
    }

    #[test]
    fn every_word_once_on_awkward_texts() {
        check(&[""]);
        check(&[" ", "  ", " a ", "a  b", "a"]);
        // Around the lengths where the scan changes: 7, 8, 15 and 16 bytes,
        // and a text ending inside the first or second eight bytes.
        check(&["abcdefg abcdefgh abcdefghijklmno abcdefghijklmnop abcdefghijklmnopq"]);
        check(&["abcdefgh", "abcdefg", "abcdefghijklmnop", "abcdefghijklmno"]);
        check(&["abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz x"]);
        // Persian (two bytes a letter), a ZWNJ, NUL bytes, a word and its prefix.
        check(&[
            "سلام دنیا می\u{200c}خواهم ۱۴۰۳ کتابها",
            "a\0 a \0 \0\0 a\0\0",
        ]);
        check(&["the then theory the", "then the"]);
        // More words than the first slots hold: the set grows.
        let many: Vec<String> = (0..5000).map(|n| format!("w{n} {n}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        check(&many);
    }

    #[test]
    fn without_stored_leaves_out_only_stored_words() {
        let mut stored = Terms::default();
        stored.add_text("alpha averyveryverylongword beta");
        let mut known = StoredTerms::default();
        known.remember(stored);
        let mut terms = Terms::default();
        terms.add_text("alpha gamma averyveryverylongword anotherveryverylongword beta");
        terms.without_stored(&known);
        let expected = reference(&["gamma anotherveryverylongword"]);
        assert_eq!(held(&terms), expected);
        assert!(!terms.contains("alpha") && !terms.contains("averyveryverylongword"));
        terms.add_text("alpha gamma");
        assert_eq!(
            held(&terms),
            reference(&["gamma anotherveryverylongword alpha"])
        );
    }

    proptest! {
        #[test]
        fn every_word_once(texts in proptest::collection::vec("[ a-cé\u{200c}س\\x00]{0,40}", 0..8)) {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            check(&texts);
        }
    }
}
