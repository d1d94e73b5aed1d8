//! The Persian fixtures through the real parser and the real index: a legacy
//! windows-1256 feed (Arabic Yeh and Kaf) found with Persian spelling, harakat
//! and ZWNJ ignored, digits in either form, categories as tags.

use super::*;

fn fixture_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    for name in [
        "fa-rss20-windows-1256",
        "fa-rss20-worldservice-template",
        "fa-atom-mixed-direction",
        "fa-rss20-jalali-pubdate",
    ] {
        let path = format!(
            "{}/tests/fixtures/feeds/{name}.xml",
            env!("CARGO_MANIFEST_DIR")
        );
        let body = std::fs::read(&path).unwrap();
        let url = format!("https://{name}.example/rss");
        let parsed = khabar::feed::parse(&body, None, &url).unwrap();
        let id = store.add_feed(&spec(&url, None, &[name])).unwrap();
        let update = FeedUpdate {
            feed: parsed,
            ..FeedUpdate::default()
        };
        store.apply_update(id, &update, NOW).unwrap();
    }
    (dir, store)
}

fn in_feed(store: &Store, query: &str, feed: &str) -> Vec<String> {
    found(store, &format!("{query} tag:{feed}"))
}

#[test]
fn persian_spelling_finds_the_legacy_arabic_spelling() {
    let (_dir, store) = fixture_store();
    let legacy = "fa-rss20-windows-1256";
    // Stored as كارگروه ... كار كرد, typed with Keheh.
    assert_eq!(
        in_feed(&store, "کارگروه", legacy),
        ["كارگروه صنعت و رسانه استان تهران شروع به كار كرد"]
    );
    // Stored قيمت‌ها (Arabic Yeh + ZWNJ): typed قیمتها.
    assert_eq!(
        in_feed(&store, "قیمتها", legacy),
        ["iPhone 16 در بازار تهران عرضه شد؛ قيمت‌ها اعلام شد"]
    );
    // "58,300" in the title, typed with Persian digits.
    assert_eq!(
        in_feed(&store, "\"۵۸ ۳۰۰\"", legacy),
        ["قيمت دلار در بازار آزاد به 58,300 تومان رسيد"]
    );
    // A category stored with Arabic Yeh, asked for with Persian Yeh.
    let tech = found(&store, "tag:فناوری tag:fa-rss20-windows-1256");
    assert_eq!(tech.len(), 2, "{tech:?}");
    // Hamza on Waw (مسؤ...) in the body.
    assert!(!in_feed(&store, "مسو", legacy).is_empty());
}

#[test]
fn harakat_and_phrases_in_the_utf8_fixtures() {
    let (_dir, store) = fixture_store();
    // The title is written کِتابِ سالِ ایران with harakat.
    let book = found(&store, "\"کتاب سال\"");
    assert!(book.iter().any(|t| t.contains("سالِ ایران")), "{book:?}");
    // A word is a prefix: کتاب finds it too; an exclusion removes it.
    assert!(!found(&store, "کتاب").is_empty());
    assert!(
        found(&store, "کتاب -ایران")
            .iter()
            .all(|t| !t.contains("ایران"))
    );
    // Mixed-direction titles: Latin word inside Persian.
    assert!(!found(&store, "iphone تهران").is_empty());
}
