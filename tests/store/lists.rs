//! Keyset paging and the query plans that keep lists fast.

use super::*;

#[test]
fn keyset_pages_cover_everything_once_in_both_directions() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = store
        .add_feed(&spec("https://a.example/feed", &[]))
        .unwrap();
    // Ties on sort_time must still page correctly: ordered by id inside a second.
    let items = (0..25)
        .map(|i| item(&format!("i{i}"), Some(NOW - (i / 3) * 60)))
        .collect();
    store.apply_update(feed, &update(items), NOW).unwrap();
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.items_after(&all(), cursor, 7).unwrap();
        if page.is_empty() {
            break;
        }
        cursor = Some(page.last().unwrap().cursor());
        seen.extend(page);
    }
    assert_eq!(seen.len(), 25);
    assert!(seen.windows(2).all(|w| w[0].cursor() > w[1].cursor()));
    let last = store.items_last(&all(), 4).unwrap();
    assert_eq!(last, seen[21..].to_vec());
    let before = store.items_before(&all(), seen[10].cursor(), 4).unwrap();
    assert_eq!(before, seen[6..10].to_vec());
    let top = store.items_before(&all(), seen[2].cursor(), 10).unwrap();
    assert_eq!(top, seen[..2].to_vec());
}

/// The plan of every list scope, read through its index: no full table scan and no
/// temporary B-tree for ORDER BY, whether on the first page or a deep one.
#[test]
fn list_queries_use_indexes_without_sorting() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = feed_with_items(&mut store, "https://a.example/feed", &["t"], 200);
    feed_with_items(&mut store, "https://b.example/feed", &["u"], 200);
    store.connection().execute_batch("ANALYZE").unwrap();
    let scopes = [
        all(),
        unread(),
        ItemQuery {
            starred_only: true,
            ..all()
        },
        ItemQuery {
            feed: Some(feed),
            ..all()
        },
        ItemQuery {
            feed: Some(feed),
            ..unread()
        },
        ItemQuery {
            tag: Some("t".to_string()),
            ..all()
        },
        ItemQuery {
            tag: Some("t".to_string()),
            ..unread()
        },
    ];
    for scope in &scopes {
        for cursor in [None, Some((NOW - 3000, 100))] {
            for newest_first in [true, false] {
                let plan =
                    khabar::store::explain_page(store.connection(), scope, newest_first, cursor)
                        .unwrap();
                let text = plan.join("\n");
                assert!(!text.contains("TEMP B-TREE"), "{scope:?} sorts:\n{text}");
                let main = &plan[0];
                assert!(
                    main.contains("USING INDEX")
                        || main.contains("USING COVERING INDEX")
                        || main.contains("PRIMARY KEY"),
                    "{scope:?} does not use an index:\n{text}"
                );
                if cursor.is_some() {
                    assert!(
                        main.starts_with("SEARCH"),
                        "{scope:?} deep page scans:\n{text}"
                    );
                }
            }
        }
    }
}

/// The Starred entry's unread count and the starred list under `u` walk the
/// few starred rows: given `read = 0` too, SQLite walked the unread index,
/// every unread item (29 ms at 100,000 items on each feed-screen load).
#[test]
fn starred_and_unread_walks_the_starred_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    feed_with_items(&mut store, "https://a.example/feed", &["t"], 200);
    let scope = ItemQuery {
        starred_only: true,
        ..unread()
    };
    for cursor in [None, Some((NOW - 3000, 100))] {
        for newest_first in [true, false] {
            let plan =
                khabar::store::explain_page(store.connection(), &scope, newest_first, cursor)
                    .unwrap();
            assert!(
                plan[0].contains("state_starred_by_time"),
                "starred and unread drives from {}",
                plan.join("\n")
            );
        }
    }
}
