//! The content hash of a parsed item: BLAKE3 over every field the store keeps,
//! so a refresh rewrites an item only when something in it changed. Its bytes
//! are fixed: hashes stored by older builds must keep matching.

use super::ParsedItem;

/// Hash of every stored field, so the store rewrites an item only when it changed.
///
/// The fields go into one buffer and the hasher gets it whole: the same bytes in
/// the same order, so the same hash as feeding each field on its own (stored
/// hashes stay valid), but one call instead of two dozen, and an item over a
/// kilobyte is hashed a chunk per SIMD lane (issue 7).
pub(super) fn content_hash(item: &ParsedItem) -> String {
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
    blake3::hash(&bytes).to_hex().to_string()
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
    fn content_hash_is_the_streamed_hash() {
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
        assert_eq!(content_hash(&item), streamed_hash(&item));
        item.content_html = Some("x".repeat(5000));
        item.summary = None;
        assert_eq!(content_hash(&item), streamed_hash(&item));
        assert_eq!(
            content_hash(&ParsedItem::default()),
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
        let old = content_hash(&item);
        assert_eq!(old, streamed_hash(&item));
        // Pinned: the bytes older builds wrote.
        assert_eq!(
            old,
            "8da7ec9d9b5db2f5d3b838de5e99b19f37d51ae6de9958909fa4598f003ae906"
        );
        item.enclosures[0].duration = Some(2530);
        let with_duration = content_hash(&item);
        assert_ne!(with_duration, old);
        item.enclosures[0].title = Some("Episode".into());
        assert_ne!(content_hash(&item), with_duration);
        item.enclosures[0].duration = None;
        assert_ne!(content_hash(&item), old);
    }
}
