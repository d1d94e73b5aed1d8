//! Unit tests of `update`: one or more per key and per message. Shared builders
//! here; the tests by screen in the submodules.

mod articles;
mod clock;
mod feed_nav;
mod feeds_and_refresh;
mod fulltext;
mod global_keys;
mod lists;
mod live;
mod mark_bound;
mod persian;
mod qa_regressions;
mod search;
mod shared_db;
mod sync;
mod tags;
mod user_commands;
mod views;

use crate::refresh::{FeedOutcome, RefreshEvent, RefreshSummary, RefreshTarget};
use crate::store::{FeedRow, ItemDetail, ItemQuery, ItemRow, UpdateStats};
use crate::text::LayoutOptions;

use super::keymap::{Key, Keymap};
use super::list::PAGE;
use super::model::{DateStyle, ListSource, Model, Overlay, Screen};
use super::msg::{Command, DbRequest, Msg, WindowRequest};
use super::update::update;

fn key(model: &mut Model, k: &str) -> Vec<Command> {
    update(model, Msg::Key(Key::parse(k).unwrap()))
}

fn feed(id: i64, title: &str, unread: u64, total: u64) -> FeedRow {
    FeedRow {
        id,
        url: format!("http://127.0.0.1/{id}.xml"),
        title: title.into(),
        enabled: true,
        unread,
        total,
        ..Default::default()
    }
}

fn item(i: i64, feed_id: i64, read: bool) -> ItemRow {
    ItemRow {
        id: 100 + i,
        feed_id,
        feed_title: format!("feed {feed_id}"),
        title: format!("item {i}"),
        link: Some(format!("http://127.0.0.1/item/{i}")),
        sort_time: 1_700_000_000 - i,
        read,
        ..Default::default()
    }
}

fn model() -> Model {
    let mut m = Model::new(
        Keymap::default(),
        LayoutOptions::default(),
        DateStyle::default(),
    );
    update(
        &mut m,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    update(
        &mut m,
        Msg::FeedsLoaded {
            newest: i64::MAX,
            feeds: vec![
                feed(1, "One", 2, 3),
                feed(2, "Two", 1, 2),
                feed(3, "Three", 0, 1),
            ],
            unread: 3,
            starred: Default::default(),
            tags: Vec::new(),
        },
    );
    m
}

/// A model showing the list of feed 1 with `rows` loaded.
fn in_list(rows: Vec<ItemRow>) -> Model {
    let mut m = model();
    m.feed_cursor = 3;
    let commands = key(&mut m, "enter");
    let generation = m.list().unwrap().generation;
    assert!(commands.contains(&Command::Db(DbRequest::CountItems {
        generation,
        query: ItemQuery {
            feed: Some(1),
            ..Default::default()
        }
    })));
    update(
        &mut m,
        Msg::Counted {
            newest: i64::MAX,
            generation,
            total: rows.len() as u64,
        },
    );
    update(
        &mut m,
        Msg::ItemsLoaded {
            newest: i64::MAX,
            generation,
            request: WindowRequest::Top,
            limit: PAGE,
            rows,
        },
    );
    m
}
