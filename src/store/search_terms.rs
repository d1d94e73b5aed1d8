//! The search vocabulary, `search_terms` (schema: `MIGRATION_SEARCH`): every
//! word ever indexed, so that a word typed in a query expands to the indexed
//! words it starts. Rows are never deleted (a word of a removed item matches
//! nothing). [`Terms`] gathers the distinct words of one write, stored once;
//! [`StoredTerms`] remembers what a connection already stored.

use std::collections::HashSet;

use rusqlite::Connection;

/// Distinct words indexed in one write, stored in `search_terms` once.
#[derive(Default, Debug, Clone)]
pub(super) struct Terms(HashSet<String, foldhash::fast::RandomState>);

impl PartialEq for Terms {
    fn eq(&self, other: &Terms) -> bool {
        self.0.len() == other.0.len() && self.0.iter().all(|word| other.0.contains(word))
    }
}

impl Eq for Terms {}

impl Terms {
    /// The words of an index text (words are separated by single spaces).
    pub(super) fn add_text(&mut self, text: &str) {
        // A plain byte loop: words are a few bytes long, so a call to `memchr`
        // per word cost more than the scan it saved (callgrind, 4,000 items:
        // 140 M instructions for the word sets with it, see BENCHMARKS.md).
        let mut start = 0;
        for (at, &byte) in text.as_bytes().iter().enumerate() {
            if byte == b' ' {
                // Both ends are next to an ASCII space: char boundaries.
                self.add_word(text.get(start..at).unwrap_or_default());
                start = at + 1;
            }
        }
        self.add_word(text.get(start..).unwrap_or_default());
    }

    #[inline]
    fn add_word(&mut self, word: &str) {
        if !word.is_empty() && !self.0.contains(word) {
            self.0.insert(word.to_string());
        }
    }

    /// Adds the words of `other`.
    pub(super) fn extend(&mut self, other: &Terms) {
        self.0.extend(other.0.iter().cloned());
    }

    /// Leaves out the words `stored` knows are in `search_terms` already.
    pub(super) fn without_stored(&mut self, stored: &StoredTerms) {
        if !stored.0.is_empty() {
            self.0.retain(|word| !stored.0.contains(word.as_str()));
        }
    }

    /// Adds the words to `search_terms`, keeping them (for [`StoredTerms::remember`]).
    pub(super) fn insert(&self, conn: &Connection) -> rusqlite::Result<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        let mut insert =
            conn.prepare_cached("INSERT OR IGNORE INTO search_terms (term) VALUES (?1)")?;
        for term in &self.0 {
            insert.execute([term])?;
        }
        Ok(())
    }

    /// Adds the words to `search_terms` and forgets them.
    pub(super) fn store(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        self.insert(conn)?;
        self.0.clear();
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
pub(super) struct StoredTerms(HashSet<Box<str>, foldhash::fast::RandomState>);

/// Words remembered at most (a few MB).
const MAX_STORED_TERMS: usize = 200_000;

impl StoredTerms {
    /// Remembers `terms`, which a committed transaction stored.
    pub(super) fn remember(&mut self, terms: Terms) {
        for term in terms.0 {
            if self.0.len() >= MAX_STORED_TERMS {
                return;
            }
            self.0.insert(term.into_boxed_str());
        }
    }
}
