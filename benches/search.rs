//! Search benchmarks (issue 9) on a database made by `bench/search.sh` (genfeeds
//! 100,000 items, or the same replicated to 1,000,000): a two-word query's first
//! 100 results through the index (ranked, and `sort:date`), the same words as
//! `LIKE '%word%'` scans (newsboat's way) in the same run, a view's first screen,
//! and the tag picker's counts.
//!
//! Run: `SEARCH_BENCH_DB=path/to/khabar.db cargo bench --bench search`
//! (`SEARCH_BENCH_ONLY=index` runs the cases whose name contains `index`)
//! (`bench/search.sh` builds the databases and runs this for each).
//!
//! Not criterion: the machine these figures come from is shared by several
//! builds at once (load average far above its two cores), where wall time mostly
//! measures waiting for a core. Each case runs `RUNS` times after two warm-ups and
//! prints wall time (min, median, max) and the thread's CPU time (min, median),
//! the figure that does not depend on the neighbours.

// Benchmark code: inputs are fixed, and criterion's macros make undocumented items.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::time::Instant;

use khabar::query::parse;
use khabar::store::{SearchClock, Store};

const RUNS: usize = 15;

/// CPU time of the calling thread, in seconds.
fn thread_cpu() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

struct Group;

impl Group {
    fn bench_function<T>(&mut self, name: impl AsRef<str>, mut f: impl FnMut(&mut Bencher) -> T) {
        // SEARCH_BENCH_ONLY=text runs the cases whose name contains it.
        if let Ok(only) = std::env::var("SEARCH_BENCH_ONLY")
            && !name.as_ref().contains(&only)
        {
            return;
        }
        let mut bencher = Bencher {
            wall: Vec::new(),
            cpu: Vec::new(),
        };
        f(&mut bencher);
        let (mut wall, mut cpu) = (bencher.wall, bencher.cpu);
        wall.sort_by(f64::total_cmp);
        cpu.sort_by(f64::total_cmp);
        let ms = |v: f64| v * 1000.0;
        println!(
            "{:<58} wall {:8.2} {:8.2} {:8.2} ms   cpu {:8.2} {:8.2} ms",
            name.as_ref(),
            ms(wall[0]),
            ms(wall[wall.len() / 2]),
            ms(wall[wall.len() - 1]),
            ms(cpu[0]),
            ms(cpu[cpu.len() / 2]),
        );
    }
}

struct Bencher {
    wall: Vec<f64>,
    cpu: Vec<f64>,
}

impl Bencher {
    fn iter<T>(&mut self, mut f: impl FnMut() -> T) {
        for _ in 0..2 {
            black_box(f());
        }
        for _ in 0..RUNS {
            let (w, c) = (Instant::now(), thread_cpu());
            black_box(f());
            self.cpu.push(thread_cpu() - c);
            self.wall.push(w.elapsed().as_secs_f64());
        }
    }
}

/// Words every genfeeds item of its language draws from.
const FA: (&str, &str) = ("صنعت", "تولید");
const EN: (&str, &str) = ("central", "bank");

/// The database to measure; a missing or unreadable one stops the run with an
/// error (a bench that measures nothing must not look like a pass).
fn open() -> Store {
    let Some(path) = std::env::var_os("SEARCH_BENCH_DB") else {
        eprintln!("set SEARCH_BENCH_DB to a database made by bench/search.sh");
        std::process::exit(2);
    };
    let path = std::path::PathBuf::from(path);
    assert!(
        path.is_file(),
        "SEARCH_BENCH_DB={} is not a file",
        path.display()
    );
    Store::open(&path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()))
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

fn main() {
    let store = open();
    let clock = SearchClock::local();
    let items: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM items", [], |r| r.get(0))
        .unwrap();
    // Every query pays a seek per index segment and word (src/store/search_merge.rs).
    let segments = store.search_segments().unwrap();
    println!("database: {items} items, search index in {segments} segments");
    let mut group = Group;
    println!(
        "{:<58} {:>32}   {:>22}",
        "case", "min / median / max", "min / median"
    );
    for (label, (a, b)) in [("fa", FA), ("en", EN)] {
        let ranked = parse(&format!("{a} {b}")).unwrap();
        group.bench_function(
            format!("index: two words {label}, first 100 ranked"),
            |bench| bench.iter(|| black_box(store.search(&ranked, clock, 100).unwrap().len())),
        );
        group.bench_function(
            format!("index: two words {label}, ranked 100 from position 1000"),
            |bench| {
                bench.iter(|| {
                    black_box(store.search_page(&ranked, clock, 1_000, 100).unwrap().len())
                })
            },
        );
        group.bench_function(
            format!("index: two words {label}, count (reader's total)"),
            |bench| bench.iter(|| black_box(store.count_query(&ranked, clock).unwrap())),
        );
        let by_date = parse(&format!("{a} {b} sort:date")).unwrap();
        group.bench_function(
            format!("index: two words {label}, first 100 by date"),
            |bench| bench.iter(|| black_box(store.search(&by_date, clock, 100).unwrap().len())),
        );
        let view = parse(&format!("{a} {b} is:unread")).unwrap();
        group.bench_function(
            format!("view: two words {label} is:unread, first 100 (a page)"),
            |bench| {
                bench.iter(|| {
                    black_box(
                        store
                            .query_items_after(&view, clock, None, 100)
                            .unwrap()
                            .len(),
                    )
                })
            },
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
        "view: tag:اقتصاد or tag:سیاست is:unread, first 100 (a page)",
        |bench| {
            bench.iter(|| {
                black_box(
                    store
                        .query_items_after(&view, clock, None, 100)
                        .unwrap()
                        .len(),
                )
            })
        },
    );
    group.bench_function(
        "view: tag:اقتصاد or tag:سیاست is:unread, count (unread/total)",
        |bench| bench.iter(|| black_box(store.count_query(&view, clock).unwrap())),
    );
    // The bench's databases star nothing unless told to (`UPDATE item_state SET
    // starred = 1 …`): then this is the cost of finding that out.
    let starred = parse("is:starred").unwrap();
    group.bench_function("view: is:starred, count (unread/total)", |bench| {
        bench.iter(|| black_box(store.count_query(&starred, clock).unwrap()))
    });
    group.bench_function("tag picker: every tag with unread/total", |bench| {
        bench.iter(|| black_box(store.tag_totals().unwrap().len()))
    });
}
