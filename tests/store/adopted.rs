//! Feeds the config adopted from the user: while the config lists them its title,
//! tags and `enabled` apply; when it stops, the feed is the user's again as the
//! user had it. Feeds only ever the config's are disabled when it drops them.

use khabar::store::schema;

use super::*;

fn with_title(url: &str, title: &str, tags: &[&str]) -> FeedSpec {
    FeedSpec {
        title: Some(title.to_string()),
        ..spec(url, tags)
    }
}

fn row(store: &Store, url: &str) -> khabar::store::FeedRow {
    store.feed_by_url(url).unwrap().unwrap()
}

/// (title, tags, enabled) as `khabar feeds` shows them.
fn shown(store: &Store, url: &str) -> (String, Vec<String>, bool) {
    let feed = row(store, url);
    (feed.title, feed.tags, feed.enabled)
}

fn strings(tags: &[&str]) -> Vec<String> {
    tags.iter().map(|t| t.to_string()).collect()
}

/// The rows of the table that keeps the user's side of adopted feeds.
fn adopted_rows(store: &Store) -> i64 {
    store
        .connection()
        .query_row("SELECT count(*) FROM adopted_feeds", [], |r| r.get(0))
        .unwrap()
}

/// Regression: a feed the user added with a title and tags, then listed in the
/// config with other ones, came back disabled and with the config's title and
/// tags when the config dropped it: the user's were lost for good.
#[test]
fn a_user_feed_the_config_drops_again_is_the_users_as_they_had_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    const URL: &str = "https://hn.example/feed";
    let feed = store
        .add_feed(&with_title(URL, "My HN", &["mine", "later"]))
        .unwrap();
    let items = (0..3)
        .map(|i| item(&format!("i{i}"), Some(NOW - i)))
        .collect();
    store.apply_update(feed, &update(items), NOW).unwrap();
    let ids: Vec<_> = store
        .items_after(&all(), None, 3)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    store.set_read(&ids[..2], true, NOW).unwrap();
    store.set_starred(&ids[1..2], true, NOW).unwrap();
    store.set_fulltext(ids[2], Some("<p>the page</p>")).unwrap();
    // A config-only feed leaves the config at the same time.
    let other = "https://cfg.example/feed";

    store
        .sync_config_feeds(&[
            with_title(URL, "Hacker News", &["tech"]),
            with_title(other, "Config's", &["c"]),
        ])
        .unwrap();
    assert_eq!(
        shown(&store, URL),
        ("Hacker News".to_string(), strings(&["tech"]), true),
        "while the config lists it, the config's title and tags apply"
    );

    store.sync_config_feeds(&[]).unwrap();
    assert_eq!(
        shown(&store, URL),
        ("My HN".to_string(), strings(&["later", "mine"]), true),
        "the user's title, tags and enabled state come back"
    );
    assert_eq!(
        shown(&store, other),
        ("Config's".to_string(), strings(&["c"]), false),
        "a feed only ever the config's is disabled, as before"
    );
    // Items, read and starred marks and the full text are as they were.
    let feed_row = row(&store, URL);
    assert_eq!((feed_row.id, feed_row.total, feed_row.unread), (feed, 3, 1));
    let marks: Vec<_> = ids
        .iter()
        .map(|id| {
            let item = store.item(*id).unwrap().unwrap();
            (item.row.read, item.row.starred)
        })
        .collect();
    assert_eq!(marks, [(true, false), (true, true), (false, false)]);
    assert_eq!(
        store.item_fulltext(ids[2]).unwrap().as_deref(),
        Some("<p>the page</p>")
    );
    // It is the user's now: the next sync leaves it alone, the saved side is gone.
    store.sync_config_feeds(&[]).unwrap();
    assert_eq!(
        shown(&store, URL),
        ("My HN".to_string(), strings(&["later", "mine"]), true)
    );
    assert_eq!(adopted_rows(&store), 0);
    assert_derived_data_consistent(&store);
}

/// The user's `enabled` is what comes back, not the config's: a feed the config
/// lists with `enabled = false` is off while listed and on again when dropped; a
/// feed that had already left the config once (so was handed over disabled) is
/// disabled again when it leaves a second time.
#[test]
fn the_users_enabled_state_comes_back_not_the_configs() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    const MINE: &str = "https://mine.example/feed";
    const ONCE: &str = "https://once.example/feed";
    store.add_feed(&spec(MINE, &["m"])).unwrap();
    store.sync_config_feeds(&[spec(ONCE, &["o"])]).unwrap();
    store.sync_config_feeds(&[]).unwrap();
    assert!(!row(&store, ONCE).enabled, "left the config: disabled");

    let mut off = spec(MINE, &[]);
    off.enabled = false;
    store
        .sync_config_feeds(&[off, spec(ONCE, &["o2"])])
        .unwrap();
    assert!(!row(&store, MINE).enabled, "the config switched it off");
    assert!(row(&store, ONCE).enabled, "the config lists it again");

    store.sync_config_feeds(&[]).unwrap();
    assert_eq!(
        shown(&store, MINE),
        (MINE.to_string(), strings(&["m"]), true),
        "the user had it enabled, with its tag"
    );
    assert_eq!(
        shown(&store, ONCE),
        (ONCE.to_string(), strings(&["o"]), false),
        "disabled, as it was before the config listed it again"
    );
}

/// `khabar add URL` of a feed the config lists: the user now wants it too. The
/// config's title and tags still apply while it lists the feed; when it stops,
/// the feed stays, enabled, as the user gave it (here: nothing, so the feed's own
/// title and no tags). An import is the same, with the file's title and tags.
#[test]
fn adding_a_config_feed_keeps_it_for_the_user_when_the_config_drops_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    const ADDED: &str = "https://added.example/feed";
    const IMPORTED: &str = "https://imported.example/feed";
    store
        .sync_config_feeds(&[
            with_title(ADDED, "Config A", &["ca"]),
            with_title(IMPORTED, "Config I", &["ci"]),
        ])
        .unwrap();
    let feed = row(&store, ADDED).id;
    store
        .apply_update(feed, &update(vec![item("a", Some(NOW))]), NOW)
        .unwrap();

    store.add_feed(&spec(ADDED, &[])).unwrap();
    store
        .add_feeds(&[with_title(IMPORTED, "From OPML", &["opml"])])
        .unwrap();
    assert_eq!(
        shown(&store, ADDED),
        ("Config A".to_string(), strings(&["ca"]), true)
    );
    assert_eq!(
        shown(&store, IMPORTED),
        ("Config I".to_string(), strings(&["ci"]), true),
        "while the config lists it, the import's title and tags wait"
    );
    // Another sync with the same config changes nothing.
    store
        .sync_config_feeds(&[
            with_title(ADDED, "Config A", &["ca"]),
            with_title(IMPORTED, "Config I", &["ci"]),
        ])
        .unwrap();
    assert_eq!(adopted_rows(&store), 2);

    store.sync_config_feeds(&[]).unwrap();
    assert_eq!(
        shown(&store, ADDED),
        ("Example feed".to_string(), vec![], true),
        "the user gave no title or tags: the feed's own title"
    );
    assert_eq!(
        shown(&store, IMPORTED),
        ("From OPML".to_string(), strings(&["opml"]), true)
    );
    assert_eq!(row(&store, ADDED).total, 1);
}

/// Removing an adopted feed (after the config dropped it, or by a config that
/// never knew the feed was the user's) leaves nothing of it behind.
#[test]
fn removing_a_feed_removes_what_was_kept_for_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    const URL: &str = "https://a.example/feed";
    store.add_feed(&with_title(URL, "Mine", &["m"])).unwrap();
    store.sync_config_feeds(&[spec(URL, &["c"])]).unwrap();
    assert_eq!(adopted_rows(&store), 1);
    store.remove_feed(URL).unwrap();
    assert_eq!(adopted_rows(&store), 0);
    // Listed again, it is the config's only: dropped, it is disabled.
    store.sync_config_feeds(&[spec(URL, &["c"])]).unwrap();
    store.sync_config_feeds(&[]).unwrap();
    assert_eq!(
        shown(&store, URL),
        (URL.to_string(), strings(&["c"]), false)
    );
}

/// A database of the previous schema, written as the older khabar wrote it: a
/// feed the user added, a config feed, and a config feed adopted from the user
/// (whose user title and tags the older khabar had already replaced). After the
/// upgrade nothing is known of what the user had, so the two config feeds are
/// disabled when the config drops them, as before; a new adoption is remembered.
#[test]
fn a_database_from_before_adoption_was_remembered_upgrades_and_behaves_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let before = schema::version_before("adopted_feeds").expect("the adoption migration");
    assert!((before as i64) < schema::current_version());
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        schema::create_at_version(&mut conn, before).unwrap();
        conn.execute_batch(
            "INSERT INTO feeds (id, url, config_url, user_title, source, added_at) VALUES
                 (1, 'https://user.example/feed', NULL, 'Mine', 'user', 0),
                 (2, 'https://config.example/feed', 'https://config.example/feed', 'Cfg', 'config', 0),
                 (3, 'https://adopted.example/feed', 'https://adopted.example/feed', 'Cfg title', 'config', 0);
             INSERT INTO items (feed_id, identity, title, first_seen, sort_time, content_hash, last_updated)
                 VALUES (3, 'x', 'old item', 5, 5, 'h', 5);
             INSERT INTO item_state (item_id, feed_id, sort_time, read, starred) VALUES (1, 3, 5, 1, 1);
             UPDATE feeds SET total_count = 1 WHERE id = 3;
             INSERT INTO feed_tags (feed_id, tag) VALUES (1, 'm'), (2, 'c'), (3, 'c');",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::current_version());
    assert_eq!(adopted_rows(&store), 0);
    store
        .sync_config_feeds(&[spec("https://user.example/feed", &["now config"])])
        .unwrap();
    assert_eq!(
        shown(&store, "https://config.example/feed"),
        ("Cfg".to_string(), strings(&["c"]), false)
    );
    assert_eq!(
        shown(&store, "https://adopted.example/feed"),
        ("Cfg title".to_string(), strings(&["c"]), false)
    );
    let old = store.items_after(&all(), None, 5).unwrap();
    assert_eq!(old.len(), 0, "a disabled feed's items leave the lists");
    let kept = store.item(1).unwrap().unwrap();
    assert!(kept.row.read && kept.row.starred, "marks kept");
    // The user's feed, adopted after the upgrade, is given back as it was.
    store.sync_config_feeds(&[]).unwrap();
    assert_eq!(
        shown(&store, "https://user.example/feed"),
        ("Mine".to_string(), strings(&["m"]), true)
    );
    assert_derived_data_consistent(&store);
}

/// (direction, fulltext) of a feed as stored.
fn settings(store: &Store, url: &str) -> (Direction, bool) {
    let feed = row(store, url);
    (feed.direction, store.feed_fulltext(feed.id).unwrap())
}

/// Regression: a feed the user added right-to-left with full text came back
/// with the config's direction and `fulltext` when the config dropped it.
#[test]
fn a_dropped_feed_gets_the_users_direction_and_fulltext_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    const URL: &str = "https://fa.example/feed";
    store
        .add_feed(&FeedSpec {
            direction: Direction::Rtl,
            fulltext: true,
            ..spec(URL, &["mine"])
        })
        .unwrap();
    let config = FeedSpec {
        direction: Direction::Ltr,
        fulltext: false,
        ..spec(URL, &["c"])
    };
    store.sync_config_feeds(&[config]).unwrap();
    assert_eq!(
        settings(&store, URL),
        (Direction::Ltr, false),
        "the config's apply"
    );
    store.sync_config_feeds(&[]).unwrap();
    assert_eq!(
        settings(&store, URL),
        (Direction::Rtl, true),
        "the user's again"
    );
    assert_eq!(shown(&store, URL).1, strings(&["mine"]));
}

/// `khabar add --direction rtl --fulltext` on a feed the config lists: the
/// config's settings stay while it lists the feed, the user's apply after. An
/// add that asks neither leaves the config's (nothing is known of the user's).
#[test]
fn adding_a_config_feed_with_settings_keeps_them_for_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    const ASKED: &str = "https://asked.example/feed";
    const PLAIN: &str = "https://plain.example/feed";
    let config = |url| FeedSpec {
        direction: Direction::Ltr,
        fulltext: false,
        ..spec(url, &["c"])
    };
    store
        .sync_config_feeds(&[config(ASKED), config(PLAIN)])
        .unwrap();
    store
        .add_feed(&FeedSpec {
            direction: Direction::Rtl,
            fulltext: true,
            ..spec(ASKED, &[])
        })
        .unwrap();
    store.add_feed(&spec(PLAIN, &[])).unwrap();
    assert_eq!(settings(&store, ASKED), (Direction::Ltr, false));
    store.sync_config_feeds(&[]).unwrap();
    assert_eq!(settings(&store, ASKED), (Direction::Rtl, true));
    assert_eq!(settings(&store, PLAIN), (Direction::Ltr, false));
}

/// A row kept aside before the direction and `fulltext` were (the previous
/// schema) gives back the rest and leaves these two as the config set them.
#[test]
fn a_row_kept_before_settings_were_kept_leaves_the_configs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let before = schema::version_before("ALTER TABLE adopted_feeds ADD COLUMN direction")
        .expect("the migration");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        schema::create_at_version(&mut conn, before).unwrap();
        conn.execute_batch(
            "INSERT INTO feeds (id, url, config_url, user_title, direction, fulltext, source, added_at)
                 VALUES (1, 'https://a.example/feed', 'https://a.example/feed', 'Cfg', 'ltr', 1,
                         'config', 0);
             INSERT INTO adopted_feeds (feed_id, enabled, title, tags) VALUES (1, 1, 'Mine', '[\"m\"]');",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    store.sync_config_feeds(&[]).unwrap();
    let url = "https://a.example/feed";
    assert_eq!(
        shown(&store, url),
        ("Mine".to_string(), strings(&["m"]), true)
    );
    assert_eq!(settings(&store, url), (Direction::Ltr, true));
}
