//! Search benchmarks (issue 9) on a database made by `bench/search.sh` (genfeeds
//! 100,000 items, or the same replicated to 1,000,000): a two-word query's first
//! 100 results through the index (ranked, and `sort:date`), the same words as
//! `LIKE '%word%'` scans (newsboat's way) in the same run, a view's first screen,
//! and the tag picker's counts.
//!
//! Run: `SEARCH_BENCH_DB=path/to/khabar.db cargo bench --bench search`
//! (`bench/search.sh` builds the databases and runs this for each).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use khabar::query::parse;
use khabar::store::{SearchClock, Store};

/// Words every genfeeds item of its language draws from.
const FA: (&str, &str) = ("صنعت", "تولید");
const EN: (&str, &str) = ("central", "bank");

fn open() -> Option<Store> {
    let path = std::env::var_os("SEARCH_BENCH_DB")?;
    Store::open(std::path::Path::new(&path)).ok()
}

fn like_sql(all: bool) -> String {
    let word = |n: usize| {
        format!("(i.title LIKE ?{n} OR c.summary LIKE ?{n} OR c.content_html LIKE ?{n})")
    };
    let filter = format!("{} AND {}", word(1), word(2));
    if all {
        format!(
            "SELECT COUNT(*) FROM items i CROSS JOIN item_content c ON c.item_id = i.id WHERE {filter}"
        )
    } else {
        format!(
            "SELECT COUNT(*) FROM (SELECT i.id FROM items i CROSS JOIN item_content c \
             ON c.item_id = i.id WHERE {filter} ORDER BY i.sort_time DESC, i.id DESC LIMIT 100)"
        )
    }
}

fn benches(c: &mut Criterion) {
    let Some(store) = open() else {
        eprintln!("set SEARCH_BENCH_DB to a database made by bench/search.sh");
        return;
    };
    let clock = SearchClock::local();
    let mut group = c.benchmark_group("search");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    for (label, (a, b)) in [("fa", FA), ("en", EN)] {
        let ranked = parse(&format!("{a} {b}")).unwrap();
        group.bench_function(
            format!("index: two words {label}, first 100 ranked"),
            |bench| bench.iter(|| black_box(store.search(&ranked, clock, 100).unwrap().len())),
        );
        let by_date = parse(&format!("{a} {b} sort:date")).unwrap();
        group.bench_function(
            format!("index: two words {label}, first 100 by date"),
            |bench| bench.iter(|| black_box(store.search(&by_date, clock, 100).unwrap().len())),
        );
        let conn = store.connection();
        let (la, lb) = (format!("%{a}%"), format!("%{b}%"));
        let mut first = conn.prepare(&like_sql(false)).unwrap();
        group.bench_function(
            format!("LIKE: two words {label}, first 100 newest"),
            |bench| {
                bench.iter(|| {
                    black_box(first.query_row([&la, &lb], |r| r.get::<_, i64>(0)).unwrap())
                })
            },
        );
        let mut all = conn.prepare(&like_sql(true)).unwrap();
        group.bench_function(format!("LIKE: two words {label}, all matches"), |bench| {
            bench.iter(|| black_box(all.query_row([&la, &lb], |r| r.get::<_, i64>(0)).unwrap()))
        });
        let mut fts_all = conn
            .prepare("SELECT COUNT(*) FROM item_search WHERE item_search MATCH ?1")
            .unwrap();
        let matched = format!("\"{a}\"* AND \"{b}\"*");
        group.bench_function(format!("index: two words {label}, all matches"), |bench| {
            bench.iter(|| {
                black_box(
                    fts_all
                        .query_row([&matched], |r| r.get::<_, i64>(0))
                        .unwrap(),
                )
            })
        });
    }
    let rare = parse("zzqx wvyk").unwrap();
    group.bench_function("index: two words, no match", |bench| {
        bench.iter(|| black_box(store.search(&rare, clock, 100).unwrap().len()))
    });
    let conn = store.connection();
    let mut none = conn.prepare(&like_sql(false)).unwrap();
    group.bench_function("LIKE: two words, no match", |bench| {
        bench.iter(|| {
            black_box(
                none.query_row(["%zzqx%", "%wvyk%"], |r| r.get::<_, i64>(0))
                    .unwrap(),
            )
        })
    });
    let view = parse("tag:اقتصاد or tag:سیاست is:unread").unwrap();
    group.bench_function(
        "view: tag:اقتصاد or tag:سیاست is:unread, first 50",
        |bench| {
            bench.iter(|| {
                black_box(
                    store
                        .query_items_after(&view, clock, None, 50)
                        .unwrap()
                        .len(),
                )
            })
        },
    );
    group.bench_function("tag picker: every tag with unread/total", |bench| {
        bench.iter(|| black_box(store.tag_totals().unwrap().len()))
    });
    group.finish();
}

criterion_group!(search, benches);
criterion_main!(search);
