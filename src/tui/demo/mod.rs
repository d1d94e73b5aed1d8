//! `khabar --demo`: a built-in offline sample (Persian and English feeds compiled
//! into the binary) parsed with the real feed parser into a temporary database.

use std::path::Path;

use anyhow::Context as _;

use crate::store::{FeedSpec, FeedUpdate, Store};
use crate::text::Direction;

struct DemoFeed {
    url: &'static str,
    title: &'static str,
    tags: &'static [&'static str],
    direction: Direction,
    body: &'static [u8],
}

const FEEDS: &[DemoFeed] = &[
    DemoFeed {
        url: "https://news.example.ir/persian/rss.xml",
        title: "خبرنامه",
        tags: &["fa", "news"],
        direction: Direction::Rtl,
        body: include_bytes!("fa-rss20-worldservice-template.xml"),
    },
    DemoFeed {
        url: "https://blog.example.ir/atom.xml",
        title: "وبلاگ دوزبانه",
        tags: &["fa", "tech"],
        direction: Direction::Auto,
        body: include_bytes!("fa-atom-mixed-direction.xml"),
    },
    DemoFeed {
        url: "https://sanjnews.example.ir/rss",
        title: "سنج نیوز",
        tags: &["fa", "news"],
        direction: Direction::Rtl,
        body: include_bytes!("fa-rss20-jalali-pubdate.xml"),
    },
    DemoFeed {
        url: "https://hnapp.example.com/rss",
        title: "Hacker News (hnapp)",
        tags: &["en", "tech"],
        direction: Direction::Auto,
        body: include_bytes!("fd-atom-hnapp-html-title.xml"),
    },
    DemoFeed {
        url: "https://nytimes.example.com/homepage.xml",
        title: "NYT Home Page",
        tags: &["en", "news"],
        direction: Direction::Auto,
        body: include_bytes!("frd-rss20-nytimes.xml"),
    },
];

/// Creates the demo database at `path` and returns it open.
pub fn create(path: &Path) -> anyhow::Result<Store> {
    let mut store = Store::open(path)?;
    let now = chrono::Utc::now().timestamp();
    for demo in FEEDS {
        let spec = FeedSpec {
            url: demo.url.to_string(),
            title: Some(demo.title.to_string()),
            tags: demo.tags.iter().map(|t| t.to_string()).collect(),
            direction: demo.direction,
            fulltext: false,
            enabled: true,
        };
        let id = store.add_feed(&spec)?;
        let feed = crate::feed::parse(demo.body, None, demo.url)
            .with_context(|| format!("demo feed {}", demo.url))?;
        let update = FeedUpdate {
            feed,
            ..Default::default()
        };
        store.apply_update(id, &update, now)?;
    }
    Ok(store)
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_database_has_every_feed_with_items() {
        let dir = tempfile::tempdir().unwrap();
        let store = super::create(&dir.path().join("demo.db")).unwrap();
        let feeds = store.feeds().unwrap();
        assert_eq!(feeds.len(), super::FEEDS.len());
        assert!(feeds.iter().all(|f| f.total > 0), "{feeds:?}");
    }
}
