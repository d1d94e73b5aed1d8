//! Store benchmarks on a 500,000-item database: the list queries the reader and
//! `khabar items` run (newest 50 of everything, a feed, a tag, unread only, starred,
//! deep keyset pages), counts, one item in full, a read mark, and `khabar unread`
//! end to end (process start to exit).
//!
//! The database is built once (one transaction, prepared statements, through the
//! real schema; counters and tag index derived in bulk at the end) at `$KHABAR_BENCH_DB`, default
//! `<tmp>/khabar-bench-500k.db`, and reused while it has the expected size.
//! Run: `cargo bench --bench store` (see /work/team/store-notes.md for figures).

// Benchmark code: inputs are fixed, and criterion's macros make undocumented items.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use khabar::store::{ItemQuery, Store};

const FEEDS: i64 = 500;
const ITEMS_PER_FEED: i64 = 1000;
const TOTAL: i64 = FEEDS * ITEMS_PER_FEED;
const START: i64 = 1_600_000_000;
const FEED_TAGS: &[&str] = &[
    "fa",
    "en",
    "news",
    "tech",
    "صنعت",
    "اقتصاد",
    "sport",
    "science",
];

fn db_path() -> PathBuf {
    std::env::var_os("KHABAR_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("khabar-bench-500k.db"))
}

/// Opens the benchmark database, building it first when it is missing or short.
fn corpus() -> Store {
    let path = db_path();
    if let Ok(store) = Store::open(&path) {
        let total = store.count_items(&ItemQuery::default()).unwrap_or(0);
        if total == TOTAL as u64 {
            return store;
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    build(&path);
    Store::open(&path).unwrap()
}

fn build(path: &Path) {
    let started = Instant::now();
    let mut store = Store::open(path).unwrap();
    for f in 0..FEEDS {
        let tags = vec![
            FEED_TAGS[(f % FEED_TAGS.len() as i64) as usize].to_string(),
            FEED_TAGS[((f / 8 + 3) % FEED_TAGS.len() as i64) as usize].to_string(),
        ];
        store
            .add_feed(&khabar::store::FeedSpec {
                url: format!("http://127.0.0.1:8000/feed{f}.xml"),
                title: Some(format!("Feed {f} خبرگزاری")),
                tags,
                enabled: true,
                ..Default::default()
            })
            .unwrap();
    }
    let conn = store.connection();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    {
        let mut item = conn
            .prepare(
                "INSERT INTO items (feed_id, identity, title, link, published, first_seen, \
                 sort_time, content_hash, last_updated) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?5, ?6, ?5)",
            )
            .unwrap();
        let mut state = conn
            .prepare(
                "INSERT INTO item_state (item_id, feed_id, sort_time, read, read_at, starred) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .unwrap();
        let mut content = conn
            .prepare(
                "INSERT INTO item_content (item_id, summary, content_html) VALUES (?1, ?2, ?3)",
            )
            .unwrap();
        let mut category = conn
            .prepare("INSERT INTO item_categories (item_id, tag) VALUES (?1, ?2)")
            .unwrap();
        let body =
            "<p>".to_string() + &"متن خبر با چند جمله. Some English text too. ".repeat(10) + "</p>";
        for n in 0..TOTAL {
            let feed = n % FEEDS + 1;
            // Interleaved feeds, one item every 2 minutes on average over ~2 years.
            let published = START + n * 120 + (n * 7919) % 97;
            let read = n % 10 < 7 && n < TOTAL - 20_000;
            let starred = n % 101 == 0;
            item.execute(rusqlite::params![
                feed,
                format!("guid-{n}"),
                format!("عنوان خبر شماره {n} — headline {n}"),
                format!("https://news.example/{feed}/{n}"),
                published,
                format!("{n:x}"),
            ])
            .unwrap();
            let id = conn.last_insert_rowid();
            state
                .execute(rusqlite::params![
                    id,
                    feed,
                    published,
                    read,
                    read.then_some(published + 3600),
                    starred,
                ])
                .unwrap();
            content
                .execute(rusqlite::params![id, format!("خلاصهٔ خبر {n}"), body])
                .unwrap();
            category
                .execute(rusqlite::params![id, format!("category-{}", n % 50)])
                .unwrap();
        }
    }
    // Since schema v6 `Store::apply_update` writes the counters and tag index rows
    // of new items (no insert triggers); items inserted directly get them here.
    conn.execute_batch(
        "UPDATE feeds SET total_count = (SELECT count(*) FROM items WHERE feed_id = feeds.id), \
                          unread_count = (SELECT count(*) FROM item_state \
                                           WHERE feed_id = feeds.id AND read = 0);
         INSERT INTO tag_items (tag, item_id, sort_time, refs) \
         SELECT c.tag, c.item_id, i.sort_time, 1 FROM item_categories c JOIN items i ON i.id = c.item_id \
          WHERE true ON CONFLICT (tag, item_id) DO UPDATE SET refs = refs + 1;
         INSERT INTO tag_items (tag, item_id, sort_time, refs, via_feed) \
         SELECT ft.tag, i.id, i.sort_time, 1, 1 FROM items i JOIN feed_tags ft ON ft.feed_id = i.feed_id \
          WHERE true ON CONFLICT (tag, item_id) DO UPDATE SET refs = refs + 1, via_feed = 1;
         COMMIT",
    )
    .unwrap();
    conn.execute_batch("ANALYZE").unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    eprintln!(
        "built {} items in {:.1} s at {}",
        TOTAL,
        started.elapsed().as_secs_f64(),
        path.display()
    );
}

fn scopes() -> Vec<(&'static str, ItemQuery)> {
    vec![
        ("all", ItemQuery::default()),
        (
            "unread",
            ItemQuery {
                unread_only: true,
                ..ItemQuery::default()
            },
        ),
        (
            "starred",
            ItemQuery {
                starred_only: true,
                ..ItemQuery::default()
            },
        ),
        (
            "feed",
            ItemQuery {
                feed: Some(42),
                ..ItemQuery::default()
            },
        ),
        (
            "feed_unread",
            ItemQuery {
                feed: Some(42),
                unread_only: true,
                ..ItemQuery::default()
            },
        ),
        (
            "tag",
            ItemQuery {
                tag: Some("tech".to_string()),
                ..ItemQuery::default()
            },
        ),
        (
            "tag_unread",
            ItemQuery {
                tag: Some("tech".to_string()),
                unread_only: true,
                ..ItemQuery::default()
            },
        ),
        (
            "category",
            ItemQuery {
                tag: Some("category-7".to_string()),
                ..ItemQuery::default()
            },
        ),
    ]
}

fn lists(c: &mut Criterion) {
    let store = corpus();
    let mut group = c.benchmark_group("newest50");
    for (name, query) in scopes() {
        let plan = khabar::store::explain_page(store.connection(), &query, true, None).unwrap();
        eprintln!("plan {name}: {}", plan.join(" | "));
        group.bench_function(name, |b| {
            b.iter(|| black_box(store.items_after(&query, None, 50).unwrap()))
        });
    }
    group.finish();

    // Deep pages: the cursor of the item halfway down each list.
    let mut group = c.benchmark_group("deep_page50");
    for (name, query) in scopes() {
        let count = store.count_items(&query).unwrap();
        let mut cursor = None;
        let mut skipped = 0;
        while skipped < count / 2 {
            let page = store.items_after(&query, cursor, 5000).unwrap();
            let Some(last) = page.last() else { break };
            cursor = Some(last.cursor());
            skipped += page.len() as u64;
        }
        group.bench_function(format!("{name}_after"), |b| {
            b.iter(|| black_box(store.items_after(&query, cursor, 50).unwrap()))
        });
        if let Some(cursor) = cursor {
            group.bench_function(format!("{name}_before"), |b| {
                b.iter(|| black_box(store.items_before(&query, cursor, 50).unwrap()))
            });
        }
    }
    group.bench_function("all_last", |b| {
        b.iter(|| black_box(store.items_last(&ItemQuery::default(), 50).unwrap()))
    });
    group.finish();
}

fn counts(c: &mut Criterion) {
    let store = corpus();
    let mut group = c.benchmark_group("count");
    for (name, query) in scopes() {
        if name == "all" || name == "unread" || name == "feed" || name == "tag" || name == "starred"
        {
            group.bench_function(name, |b| {
                b.iter(|| black_box(store.count_items(&query).unwrap()))
            });
        }
    }
    group.bench_function("unread_count", |b| {
        b.iter(|| black_box(store.unread_count().unwrap()))
    });
    group.bench_function("feeds_500", |b| {
        b.iter(|| black_box(store.feeds().unwrap()))
    });
    group.finish();
}

fn single(c: &mut Criterion) {
    let mut store = corpus();
    let id = store.items_after(&ItemQuery::default(), None, 1).unwrap()[0].id;
    c.bench_function("item_detail", |b| {
        b.iter(|| black_box(store.item(id).unwrap()))
    });
    let mut read = false;
    c.bench_function("set_read_one_committed", |b| {
        b.iter(|| {
            read = !read;
            black_box(store.set_read(&[id], read, START).unwrap())
        })
    });
    c.bench_function("open", |b| {
        b.iter(|| black_box(Store::open(&db_path()).unwrap()))
    });
}

/// `khabar unread` as a status bar runs it: a new process each time.
fn unread_command(c: &mut Criterion) {
    drop(corpus());
    let exe = env!("CARGO_BIN_EXE_khabar");
    let db = db_path();
    let mut group = c.benchmark_group("process");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("khabar_unread", |b| {
        b.iter(|| {
            let out = std::process::Command::new(exe)
                .arg("--db")
                .arg(&db)
                .arg("unread")
                .output()
                .unwrap();
            assert!(out.status.success());
            black_box(out.stdout)
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = lists, counts, single, unread_command
}
criterion_main!(benches);
