//! Feeds: errors, redirects, the config sync, disabled feeds, tags.

use super::*;

#[test]
fn errors_are_recorded_and_cleared_and_redirects_move_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = feed_with_items(&mut store, "https://a.example/feed", &[], 2);
    store.record_error(feed, "HTTP 500", NOW + 5).unwrap();
    let row = store
        .feed_by_url("https://a.example/feed")
        .unwrap()
        .unwrap();
    assert_eq!(row.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(row.last_error_at, Some(NOW + 5));
    assert_eq!(row.total, 2, "a failing feed keeps its items");
    store.record_unchanged(feed, NOW + 6).unwrap();
    let row = store
        .feed_by_url("https://a.example/feed")
        .unwrap()
        .unwrap();
    assert_eq!((row.last_error, row.last_success_at), (None, Some(NOW + 6)));
    let mut moved = update(vec![]);
    moved.new_url = Some("https://new.example/feed".to_string());
    store.apply_update(feed, &moved, NOW + 7).unwrap();
    assert!(
        store
            .feed_by_url("https://a.example/feed")
            .unwrap()
            .is_none()
    );
    let row = store
        .feed_by_url("https://new.example/feed")
        .unwrap()
        .unwrap();
    assert_eq!((row.id, row.total), (feed, 2));
}

#[test]
fn config_sync_adds_updates_and_disables_but_leaves_user_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    store
        .add_feed(&spec("https://user.example/feed", &["mine"]))
        .unwrap();
    let mut a = spec("https://a.example/feed", &["one"]);
    a.title = Some("A".to_string());
    a.direction = Direction::Rtl;
    let b = spec("https://b.example/feed", &[]);
    store.sync_config_feeds(&[a.clone(), b]).unwrap();
    let a_id = store
        .feed_by_url("https://a.example/feed")
        .unwrap()
        .unwrap()
        .id;
    store
        .apply_update(a_id, &update(vec![item("k", None)]), NOW)
        .unwrap();
    let id = store.items_after(&all(), None, 1).unwrap()[0].id;
    store.set_read(&[id], true, NOW).unwrap();
    // b leaves the config; a changes its tags and title.
    a.tags = vec!["two".to_string()];
    a.title = None;
    store.sync_config_feeds(&[a]).unwrap();
    let feeds = store.feeds().unwrap();
    assert_eq!(feeds.len(), 3);
    let find = |url: &str| feeds.iter().find(|f| f.url == url).unwrap().clone();
    let a_row = find("https://a.example/feed");
    assert_eq!(a_row.tags, vec!["two".to_string()]);
    assert_eq!(
        a_row.title, "Example feed",
        "config title removed: feed's own"
    );
    assert_eq!(a_row.direction, Direction::Rtl);
    // `khabar add` of a config feed without options changes nothing it did not say.
    store
        .add_feed(&spec("https://a.example/feed", &[]))
        .unwrap();
    let again = store
        .feed_by_url("https://a.example/feed")
        .unwrap()
        .unwrap();
    assert_eq!(
        (again.direction, again.tags.clone()),
        (Direction::Rtl, vec!["two".to_string()])
    );
    assert!(!find("https://b.example/feed").enabled);
    assert!(find("https://user.example/feed").enabled);
    assert_eq!(
        find("https://user.example/feed").tags,
        vec!["mine".to_string()]
    );
    assert!(store.item(id).unwrap().unwrap().row.read);
    // A config feed that moved (permanent redirect) is still found by its config URL.
    let mut moved = update(vec![]);
    moved.new_url = Some("https://a2.example/feed".to_string());
    store.apply_update(a_id, &moved, NOW).unwrap();
    store
        .sync_config_feeds(&[spec("https://a.example/feed", &["two"])])
        .unwrap();
    assert_eq!(store.feeds().unwrap().len(), 3);
    assert_eq!(
        store
            .feed_by_url("https://a2.example/feed")
            .unwrap()
            .unwrap()
            .id,
        a_id
    );
}

/// A feed the user added, listed later in the config without a title or tags,
/// keeps the title and tags the user gave it; what the config does say applies.
#[test]
fn the_config_taking_over_a_user_feed_keeps_what_it_leaves_unsaid() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let mut mine = spec("https://user.example/feed", &["mine"]);
    mine.title = Some("My HN".to_string());
    store.add_feed(&mine).unwrap();
    store
        .sync_config_feeds(&[spec("https://user.example/feed", &[])])
        .unwrap();
    let row = store
        .feed_by_url("https://user.example/feed")
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.title.as_str(), row.tags.clone()),
        ("My HN", vec!["mine".to_string()])
    );
    // Once the config's, its title and tags are the config's to change.
    let mut listed = spec("https://user.example/feed", &["news"]);
    listed.title = Some("Hacker News".to_string());
    store.sync_config_feeds(&[listed]).unwrap();
    let row = store
        .feed_by_url("https://user.example/feed")
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.title.as_str(), row.tags.clone()),
        ("Hacker News", vec!["news".to_string()])
    );
}

#[test]
fn disabled_feeds_leave_lists_and_unread_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = feed_with_items(&mut store, "https://a.example/feed", &["t"], 3);
    let mut off = spec("https://a.example/feed", &[]);
    off.enabled = false;
    store.add_feed(&off).unwrap();
    assert_eq!(store.unread_count().unwrap(), 0);
    assert!(store.items_after(&all(), None, 10).unwrap().is_empty());
    // Asking for the feed itself still shows its items.
    let only = ItemQuery {
        feed: Some(feed),
        ..all()
    };
    assert_eq!(store.items_after(&only, None, 10).unwrap().len(), 3);
}

#[test]
fn tag_matches_feed_tag_or_item_category() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    feed_with_items(&mut store, "https://fa.example/feed", &["fa"], 2);
    let other = store
        .add_feed(&spec("https://en.example/feed", &["en"]))
        .unwrap();
    let mut tagged = item("cat", Some(NOW - 30));
    tagged.categories = vec!["fa".to_string()];
    store
        .apply_update(other, &update(vec![tagged, item("plain", Some(NOW))]), NOW)
        .unwrap();
    let fa = ItemQuery {
        tag: Some("fa".to_string()),
        ..ItemQuery::default()
    };
    let rows = store.items_after(&fa, None, 10).unwrap();
    let titles: Vec<_> = rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "title https://fa.example/feed#0",
            "title cat",
            "title https://fa.example/feed#1"
        ]
    );
    assert_eq!(store.count_items(&fa).unwrap(), 3);
    // Retagging the feed updates the tag index for its existing items.
    store
        .add_feed(&spec("https://fa.example/feed", &["persian"]))
        .unwrap();
    assert_eq!(store.count_items(&fa).unwrap(), 1);
    let persian = ItemQuery {
        tag: Some("persian".to_string()),
        ..ItemQuery::default()
    };
    assert_eq!(store.count_items(&persian).unwrap(), 2);
    let fa_feed = store
        .feed_by_url("https://fa.example/feed")
        .unwrap()
        .unwrap()
        .id;
    let tags = ["fa", "persian", "en", "none"];
    assert_counts_match_lists(&store, &tags, &[fa_feed, other]);
    // Marking a tag read touches only its items.
    assert_eq!(store.mark_all_read(&persian, NOW).unwrap(), 2);
    assert_eq!(store.unread_count().unwrap(), 2);
    // The category-tagged item's feed gets the tag too, then loses it again.
    store
        .add_feed(&spec("https://en.example/feed", &["en", "fa"]))
        .unwrap();
    assert_eq!(store.count_items(&fa).unwrap(), 2);
    let plain = store
        .items_after(
            &ItemQuery {
                feed: Some(other),
                ..all()
            },
            None,
            1,
        )
        .unwrap();
    store.set_starred(&[plain[0].id], true, NOW).unwrap();
    assert_counts_match_lists(&store, &tags, &[fa_feed, other]);
    store
        .sync_config_feeds(&[spec("https://en.example/feed", &["en"])])
        .unwrap();
    assert_eq!(
        store.count_items(&fa).unwrap(),
        1,
        "the category alone still tags it"
    );
    assert_counts_match_lists(&store, &tags, &[fa_feed, other]);
    assert_derived_data_consistent(&store);
}

/// Regression: after a 301 the config's URL found nothing (`khabar items --feed`,
/// `khabar refresh --feed` with the URL the config file gives said "no feed").
#[test]
fn a_moved_config_feed_is_found_by_its_config_url() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    store
        .sync_config_feeds(&[spec("https://old.example/feed", &["t"])])
        .unwrap();
    let feed = store
        .feed_by_url("https://old.example/feed")
        .unwrap()
        .unwrap()
        .id;
    let mut moved = update(vec![item("a", Some(NOW))]);
    moved.new_url = Some("https://new.example/feed".to_string());
    store.apply_update(feed, &moved, NOW).unwrap();
    let by_new = store
        .feed_by_url("https://new.example/feed")
        .unwrap()
        .unwrap();
    let by_config = store
        .feed_by_url("https://old.example/feed")
        .unwrap()
        .unwrap();
    assert_eq!((by_new.id, by_config.id), (feed, feed));
    assert_eq!(by_config.url, "https://new.example/feed");
    assert!(
        store
            .feed_by_url("https://other.example/")
            .unwrap()
            .is_none()
    );
}

/// Regression: refreshing a feed removed meanwhile (the reader's `R` after a
/// `khabar remove` in another shell) reported "no feed with URL #7".
#[test]
fn writing_a_removed_feed_says_it_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let feed = feed_with_items(&mut store, "https://gone.example/feed", &[], 1);
    store.remove_feed("https://gone.example/feed").unwrap();
    let error = store
        .apply_update(feed, &update(vec![item("x", Some(NOW))]), NOW)
        .unwrap_err()
        .to_string();
    assert_eq!(error, format!("no such feed: #{feed} (removed?)"));
}

/// Regression: `khabar items --tag فناوری` (Persian Yeh, as a Persian keyboard types
/// it) found nothing in a feed whose categories say `فناوري` (Arabic Yeh, as
/// windows-1256 feeds write it).
#[test]
fn tag_spellings_match_persian_and_arabic_letters_and_case() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    feed_with_items(&mut store, "https://tagged.example/feed", &["Tech"], 1);
    let feed = store
        .add_feed(&spec("https://cat.example/feed", &[]))
        .unwrap();
    let mut categorised = item("c", Some(NOW));
    categorised.categories = vec!["فناوري".to_string(), "اقتصاد".to_string()];
    store
        .apply_update(feed, &update(vec![categorised]), NOW)
        .unwrap();
    assert_eq!(store.tag_spellings("فناوری").unwrap(), ["فناوري"]);
    assert_eq!(store.tag_spellings("فناوري").unwrap(), ["فناوري"]);
    assert_eq!(store.tag_spellings("tech").unwrap(), ["Tech"]);
    assert_eq!(store.tag_spellings("اقتصاد").unwrap(), ["اقتصاد"]);
    assert!(store.tag_spellings("sport").unwrap().is_empty());
}
