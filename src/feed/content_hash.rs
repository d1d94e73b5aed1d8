//! The content hash of a parsed item: a hash over every field the store keeps,
//! so a refresh rewrites an item only when something in it changed. Also the
//! hash of a feed's whole body, which spares a parse of the same bytes.
//!
//! New hashes are XXH3-128 (`x3:` and 32 hex digits). Builds before it stored
//! BLAKE3 of the same bytes (64 hex digits, no prefix); [`content_hash_matches`]
//! and [`body_hash_matches`] still accept those, so an upgrade rewrites no
//! unchanged item and parses no unchanged body. In a first refresh of 20,000
//! items BLAKE3 of the items and bodies took 280 M of 7.47 G instructions,
//! XXH3 takes 44 M (callgrind, BENCHMARKS.md). The hash only tells a feed's own
//! item from its next version: it needs no resistance to forgery (a feed that
//! forged a collision would only hide its own edit).

use super::ParsedItem;

/// What every new hash starts with, so [`content_hash_matches`] tells it from BLAKE3.
const XXH3_PREFIX: &str = "x3:";

/// Hash of every stored field, so the store rewrites an item only when it changed.
pub(super) fn content_hash(item: &ParsedItem) -> String {
    xxh3_form(&hashed_bytes(item))
}

/// Whether `stored`, the hash an earlier refresh stored for the item, says it is
/// unchanged. `item.content_hash` is compared first; a hash of the older form
/// (BLAKE3, 64 hex digits) is compared with the item's BLAKE3, computed only then.
pub fn content_hash_matches(item: &ParsedItem, stored: &str) -> bool {
    if stored == item.content_hash {
        return true;
    }
    is_blake3_hex(stored) && stored == blake3_hash(item)
}

/// The hash of a feed's whole body, stored so that a server which ignores the
/// validators but sends the same bytes costs no parse: XXH3-128 like items'.
pub fn body_hash(body: &[u8]) -> String {
    xxh3_form(body)
}

/// Whether `body`, whose [`body_hash`] is `hash`, is the body `stored` was
/// made of; a stored hash of the older form (BLAKE3) is checked with BLAKE3.
pub fn body_hash_matches(stored: &str, hash: &str, body: &[u8]) -> bool {
    stored == hash || (is_blake3_hex(stored) && stored == blake3_form(body))
}

/// A hash as stored now: the prefix and XXH3-128 in 32 hex digits.
fn xxh3_form(bytes: &[u8]) -> String {
    format!("{XXH3_PREFIX}{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// A hash as builds before XXH3 stored it: BLAKE3 in 64 hex digits.
fn blake3_form(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// The older form: 64 lowercase hex digits, as `blake3::Hash::to_hex` wrote them.
fn is_blake3_hex(stored: &str) -> bool {
    stored.len() == 64
        && stored
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The hash builds before XXH3 stored: BLAKE3 of the same bytes.
fn blake3_hash(item: &ParsedItem) -> String {
    blake3_form(&hashed_bytes(item))
}

/// Every stored field, each after its length, in one buffer. These bytes are
/// fixed: hashes stored by older builds (BLAKE3 of them) must keep matching.
fn hashed_bytes(item: &ParsedItem) -> Vec<u8> {
    let mut bytes: Vec<u8> = Vec::with_capacity(
        256 + item.summary.as_ref().map_or(0, String::len)
            + item.content_html.as_ref().map_or(0, String::len),
    );
    let mut field = |value: &str| {
        bytes.extend_from_slice(&(value.len() as u64).to_le_bytes());
        bytes.extend_from_slice(value.as_bytes());
    };
    field(&item.identity);
    field(&item.title);
    field(item.link.as_deref().unwrap_or(""));
    field(item.author.as_deref().unwrap_or(""));
    field(item.summary.as_deref().unwrap_or(""));
    field(item.content_html.as_deref().unwrap_or(""));
    field(&item.published.map(|p| p.to_string()).unwrap_or_default());
    field(&item.updated.map(|p| p.to_string()).unwrap_or_default());
    for category in &item.categories {
        field(category);
    }
    field("\u{1}");
    for enclosure in &item.enclosures {
        field(&enclosure.url);
        field(enclosure.mime_type.as_deref().unwrap_or(""));
        field(&enclosure.length.map(|l| l.to_string()).unwrap_or_default());
        // Only when known, after a mark no field of the old bytes can be
        // (`\u{2}`, where a URL goes): an item whose files have neither hashes
        // as it did before they were kept, so stored hashes stay valid.
        if enclosure.title.is_some() || enclosure.duration.is_some() {
            field("\u{2}");
            field(enclosure.title.as_deref().unwrap_or(""));
            field(
                &enclosure
                    .duration
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            );
        }
    }
    field(item.language.as_deref().unwrap_or(""));
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::Enclosure;

    /// The hash as it was computed before issue 7 (each field fed on its own):
    /// hashes stored by older builds must still match, or every item would count
    /// as changed on the first refresh after an upgrade.
    fn streamed_hash(item: &ParsedItem) -> String {
        let mut hasher = blake3::Hasher::new();
        let mut field = |value: &str| {
            hasher.update(&(value.len() as u64).to_le_bytes());
            hasher.update(value.as_bytes());
        };
        field(&item.identity);
        field(&item.title);
        field(item.link.as_deref().unwrap_or(""));
        field(item.author.as_deref().unwrap_or(""));
        field(item.summary.as_deref().unwrap_or(""));
        field(item.content_html.as_deref().unwrap_or(""));
        field(&item.published.map(|p| p.to_string()).unwrap_or_default());
        field(&item.updated.map(|p| p.to_string()).unwrap_or_default());
        for category in &item.categories {
            field(category);
        }
        field("\u{1}");
        for enclosure in &item.enclosures {
            field(&enclosure.url);
            field(enclosure.mime_type.as_deref().unwrap_or(""));
            field(&enclosure.length.map(|l| l.to_string()).unwrap_or_default());
        }
        field(item.language.as_deref().unwrap_or(""));
        hasher.finalize().to_hex().to_string()
    }

    #[test]
    fn blake3_hash_is_the_streamed_hash() {
        let mut item = ParsedItem {
            identity: "urn:x:1".into(),
            title: "خبر".into(),
            link: Some("https://example.com/a".into()),
            summary: Some("<p>".to_string() + &"متن ".repeat(600) + "</p>"),
            published: Some(1_700_000_000),
            categories: vec!["a".into(), "ب".into()],
            enclosures: vec![Enclosure {
                url: "https://example.com/a.mp3".into(),
                mime_type: Some("audio/mpeg".into()),
                length: Some(12),
                ..Enclosure::default()
            }],
            language: Some("fa".into()),
            ..ParsedItem::default()
        };
        assert_eq!(blake3_hash(&item), streamed_hash(&item));
        item.content_html = Some("x".repeat(5000));
        item.summary = None;
        assert_eq!(blake3_hash(&item), streamed_hash(&item));
        assert_eq!(
            blake3_hash(&ParsedItem::default()),
            streamed_hash(&ParsedItem::default())
        );
    }

    /// An item stored before titles and durations were kept (its files have
    /// neither) keeps its hash, byte for byte; a title or a duration changes it.
    #[test]
    fn files_without_title_or_duration_hash_as_before() {
        let mut item = ParsedItem {
            identity: "urn:x:2".into(),
            title: "قسمت".into(),
            enclosures: vec![
                Enclosure {
                    url: "https://example.com/e.mp3".into(),
                    mime_type: Some("audio/mpeg".into()),
                    length: Some(99),
                    ..Enclosure::default()
                },
                Enclosure {
                    url: "https://example.com/e.ogg".into(),
                    ..Enclosure::default()
                },
            ],
            ..ParsedItem::default()
        };
        let old = blake3_hash(&item);
        assert_eq!(old, streamed_hash(&item));
        // Pinned: the bytes older builds wrote.
        assert_eq!(
            old,
            "8da7ec9d9b5db2f5d3b838de5e99b19f37d51ae6de9958909fa4598f003ae906"
        );
        item.content_hash = content_hash(&item);
        assert!(content_hash_matches(&item, &old));
        item.enclosures[0].duration = Some(2530);
        item.content_hash = content_hash(&item);
        let with_duration = blake3_hash(&item);
        assert_ne!(with_duration, old);
        assert!(!content_hash_matches(&item, &old));
        item.enclosures[0].title = Some("Episode".into());
        assert_ne!(blake3_hash(&item), with_duration);
        item.enclosures[0].duration = None;
        assert_ne!(blake3_hash(&item), old);
    }

    fn sample() -> ParsedItem {
        let mut item = ParsedItem {
            identity: "urn:x:3".into(),
            title: "عنوان".into(),
            summary: Some("<p>متن</p>".into()),
            published: Some(1_700_000_000),
            ..ParsedItem::default()
        };
        item.content_hash = content_hash(&item);
        item
    }

    /// Pinned: the new form's bytes, so a change of them (which would make every
    /// stored item count as changed) fails here first. The value is `xxhsum -H2`
    /// (xxHash's own tool) of the same bytes.
    #[test]
    fn the_hash_is_xxh3_of_the_fields() {
        let item = sample();
        assert_eq!(item.content_hash, "x3:64803ed02c1300b2b37ad14f2c8e3996");
    }

    /// Every field changes the hash, in both forms.
    #[test]
    fn a_changed_field_is_a_changed_item() {
        let item = sample();
        let stored_new = item.content_hash.clone();
        let stored_old = blake3_hash(&item);
        assert!(content_hash_matches(&item, &stored_new));
        assert!(content_hash_matches(&item, &stored_old));
        let edits: [fn(&mut ParsedItem); 5] = [
            |i| i.title.push('!'),
            |i| i.summary = Some("<p>متن دیگر</p>".into()),
            |i| i.published = Some(1_700_000_001),
            |i| i.categories.push("x".into()),
            |i| i.language = Some("fa".into()),
        ];
        for edit in edits {
            let mut edited = item.clone();
            edit(&mut edited);
            edited.content_hash = content_hash(&edited);
            assert!(!content_hash_matches(&edited, &stored_new));
            assert!(!content_hash_matches(&edited, &stored_old));
        }
    }

    /// Hashes of neither form (tests and sync store their own) match only themselves.
    #[test]
    fn other_stored_hashes_match_only_themselves() {
        let item = sample();
        assert!(!content_hash_matches(&item, "changed"));
        assert!(!content_hash_matches(&item, &"0".repeat(64)));
        assert!(!content_hash_matches(
            &item,
            &blake3_hash(&item).to_uppercase()
        ));
    }
}
