//! The feed screen's tag entries: where they sit, what they open, what follows them.

use super::super::model::{FeedEntry, TagCount};
use super::*;

fn tag(name: &str, unread: u64, total: u64) -> TagCount {
    TagCount {
        name: name.into(),
        unread,
        total,
    }
}

fn with_tags(tags: Vec<TagCount>) -> Model {
    let mut m = model();
    let feeds = m.feeds.clone();
    update(
        &mut m,
        Msg::FeedsLoaded {
            newest: i64::MAX,
            feeds,
            unread: 3,
            starred: Default::default(),
            tags,
        },
    );
    m
}

#[test]
fn tags_come_between_the_virtual_entries_and_the_feeds() {
    let m = with_tags(vec![tag("news", 1, 2), tag("tech", 0, 1)]);
    let entries = m.feed_entries();
    assert_eq!(entries.len(), 8);
    assert_eq!(entries[3], FeedEntry::Tag(0));
    assert_eq!(entries[4], FeedEntry::Tag(1));
    assert_eq!(entries[5], FeedEntry::Feed(0));
}

#[test]
fn enter_on_a_tag_opens_its_items_and_a_marks_them_read() {
    let mut m = with_tags(vec![tag("news", 1, 2)]);
    m.feed_cursor = 3;
    let query = ItemQuery {
        tag: Some("news".into()),
        ..Default::default()
    };
    let commands = key(&mut m, "A");
    assert_eq!(
        commands,
        vec![Command::Db(DbRequest::MarkAllRead {
            query: query.clone(),
            upto: i64::MAX,
        })]
    );
    let commands = key(&mut m, "enter");
    let list = m.list().unwrap();
    assert_eq!(list.source, ListSource::Tag("news".into()));
    assert!(commands.contains(&Command::Db(DbRequest::CountItems {
        generation: list.generation,
        query: query.clone(),
    })));
    let generation = list.generation;
    update(
        &mut m,
        Msg::Counted {
            newest: i64::MAX,
            generation,
            total: 1,
        },
    );
    update(
        &mut m,
        Msg::ItemsLoaded {
            newest: i64::MAX,
            generation,
            request: WindowRequest::Top,
            limit: PAGE,
            rows: vec![item(0, 1, false)],
        },
    );
    // Unread only narrows the tag's list.
    let commands = key(&mut m, "u");
    assert!(
        commands.iter().any(|c| matches!(c,
        Command::Db(DbRequest::CountItems { query: q, .. }) if q.unread_only && q.tag.as_deref() == Some("news")))
    );
}

#[test]
fn unread_only_hides_tags_without_unread_items() {
    let mut m = with_tags(vec![tag("news", 1, 2), tag("tech", 0, 1)]);
    key(&mut m, "u");
    let entries = m.feed_entries();
    assert!(entries.contains(&FeedEntry::Tag(0)));
    assert!(!entries.contains(&FeedEntry::Tag(1)));
}

#[test]
fn the_cursor_follows_a_tag_when_tags_are_read_again() {
    let mut m = with_tags(vec![tag("news", 1, 2), tag("tech", 0, 1)]);
    m.feed_cursor = 4;
    let feeds = m.feeds.clone();
    update(
        &mut m,
        Msg::FeedsLoaded {
            newest: i64::MAX,
            feeds,
            unread: 3,
            starred: Default::default(),
            tags: vec![tag("arts", 1, 1), tag("news", 1, 2), tag("tech", 0, 1)],
        },
    );
    assert_eq!(m.feed_cursor, 5);
    assert_eq!(m.selected_entry(), Some(FeedEntry::Tag(2)));
}

#[test]
fn r_on_a_tag_refreshes_the_feeds_with_that_tag() {
    let mut m = with_tags(vec![tag("news", 1, 2)]);
    m.feeds[1].tags = vec!["news".into()];
    m.feed_cursor = 3;
    let commands = key(&mut m, "r");
    assert_eq!(
        commands,
        vec![Command::Refresh(vec![RefreshTarget {
            feed_id: 2,
            url: "http://127.0.0.1/2.xml".into()
        }])]
    );
}
