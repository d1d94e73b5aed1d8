//! Reader benchmarks on real databases of 10,000 / 100,000 / 500,000 items:
//! - `first_screen/N`: open the database, load the feed list, draw the first frame
//!   (the in-process part of time to first paint; `bench/ttfp.sh` measures the real
//!   binary in a pseudo-terminal);
//! - `keypress/N/POSITION`: one key through `update`, its database commands run
//!   synchronously (paging included), and a full frame drawn, at the top, the middle
//!   and the bottom of the "All items" list.
//!
//! Databases are built once through `Store::apply_update` in
//! `$KHABAR_TUI_BENCH_DIR` (default `<tmp>/khabar-tui-bench`) and reused.
//! Run: `cargo bench --bench tui`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use khabar::feed::{ParsedFeed, ParsedItem};
use khabar::store::{FeedSpec, FeedUpdate, ItemQuery, Store};
use khabar::text::{Direction, LayoutOptions};
use khabar::tui::keymap::Key;
use khabar::tui::{Command, DateStyle, DbRequest, Keymap, Model, Msg, db, draw, update};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
const START: i64 = 1_700_000_000;

const FA: &[&str] = &[
    "کارگروه",
    "صنعت",
    "رسانه",
    "استان",
    "تهران",
    "شروع",
    "به",
    "کار",
    "کرد",
    "قیمت",
    "دلار",
    "۵۸٬۳۰۰",
    "تومان",
    "بورس",
    "2,145,000",
    "ISNA",
    "«رسانه",
    "و",
    "صنعت»",
];
const EN: &[&str] = &[
    "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "markets", "rallied", "bank",
    "rates", "Reuters", "3.5", "percent",
];

fn words(pool: &[&str], seed: usize, n: usize) -> String {
    (0..n)
        .map(|i| pool[(seed * 31 + i * 17) % pool.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn bench_dir() -> PathBuf {
    std::env::var_os("KHABAR_TUI_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("khabar-tui-bench"))
}

/// The database with `feeds × per_feed` items, built when missing or incomplete.
pub fn corpus(feeds: usize, per_feed: usize) -> PathBuf {
    let total = feeds * per_feed;
    let dir = bench_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("items-{total}.db"));
    if let Ok(store) = Store::open(&path)
        && store.count_items(&ItemQuery::default()).unwrap_or(0) == total as u64
    {
        return path;
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let started = Instant::now();
    let mut store = Store::open(&path).unwrap();
    for f in 0..feeds {
        let persian = f % 2 == 0;
        let pool = if persian { FA } else { EN };
        let id = store
            .add_feed(&FeedSpec {
                url: format!("http://127.0.0.1:9/f{f}.xml"),
                title: Some(words(pool, f, 3)),
                tags: vec![if persian { "fa" } else { "en" }.into()],
                direction: if persian {
                    Direction::Rtl
                } else {
                    Direction::Auto
                },
                fulltext: false,
                enabled: true,
            })
            .unwrap();
        let items = (0..per_feed)
            .map(|i| {
                let n = f * per_feed + i;
                ParsedItem {
                    identity: format!("urn:{f}:{i}"),
                    title: words(pool, n, 6 + n % 8),
                    link: Some(format!("http://127.0.0.1:9/a/{f}/{i}")),
                    content_html: Some(format!("<p>{}</p>", words(pool, n, 60))),
                    published: Some(START - (i * feeds + f) as i64 * 60),
                    content_hash: format!("{n:x}"),
                    ..Default::default()
                }
            })
            .collect();
        let update = FeedUpdate {
            feed: ParsedFeed {
                title: None,
                site_link: None,
                language: Some(if persian { "fa" } else { "en" }.into()),
                items,
            },
            ..Default::default()
        };
        store.apply_update(id, &update, START).unwrap();
    }
    eprintln!(
        "built {total} items in {:.1} s at {}",
        started.elapsed().as_secs_f64(),
        path.display()
    );
    path
}

/// Runs commands against the store until no more messages come back.
fn settle(model: &mut Model, store: &mut Store, mut commands: Vec<Command>) {
    while !commands.is_empty() {
        let mut next = Vec::new();
        for command in commands {
            // Runner effects (refresh, browser) do not occur in these runs.
            if let Command::Db(request) = command
                && let Some(msg) = db::run(store, request)
            {
                next.extend(update(model, msg));
            }
        }
        commands = next;
    }
}

fn key(model: &mut Model, store: &mut Store, k: &str) {
    let commands = update(model, Msg::Key(Key::parse(k).unwrap()));
    settle(model, store, commands);
}

fn new_model() -> Model {
    let mut model = Model::new(
        Keymap::default(),
        LayoutOptions::default(),
        DateStyle::default(),
    );
    update(
        &mut model,
        Msg::Resize {
            width: WIDTH,
            height: HEIGHT,
        },
    );
    model
}

fn frame(model: &Model, buf: &mut Buffer) {
    draw(model, buf, Rect::new(0, 0, WIDTH, HEIGHT));
}

const SIZES: &[(usize, usize, &str)] = &[(200, 50, "10k"), (500, 200, "100k"), (1000, 500, "500k")];

fn first_screen(c: &mut Criterion) {
    let mut group = c.benchmark_group("first_screen");
    for &(feeds, per_feed, name) in SIZES {
        let path = corpus(feeds, per_feed);
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut store = Store::open(&path).unwrap();
                let mut model = new_model();
                settle(
                    &mut model,
                    &mut store,
                    vec![Command::Db(DbRequest::LoadFeeds)],
                );
                let mut buf = Buffer::empty(Rect::new(0, 0, WIDTH, HEIGHT));
                frame(&model, &mut buf);
                black_box(buf);
            })
        });
    }
    group.finish();
}

fn keypress(c: &mut Criterion) {
    let mut group = c.benchmark_group("keypress");
    for &(feeds, per_feed, name) in &SIZES[1..] {
        let path = corpus(feeds, per_feed);
        let mut store = Store::open(&path).unwrap();
        let mut model = new_model();
        settle(
            &mut model,
            &mut store,
            vec![Command::Db(DbRequest::LoadFeeds)],
        );
        key(&mut model, &mut store, "enter");
        let mut buf = Buffer::empty(Rect::new(0, 0, WIDTH, HEIGHT));
        let total = (feeds * per_feed) as u64;
        for position in ["top", "middle", "bottom"] {
            match position {
                "top" => key(&mut model, &mut store, "g"),
                "bottom" => key(&mut model, &mut store, "G"),
                _ => {
                    // Half way down by paging, as a user would (a window, never all rows).
                    key(&mut model, &mut store, "g");
                    while model.list().unwrap().cursor < total / 2 {
                        key(&mut model, &mut store, "pagedown");
                    }
                }
            }
            // j then k, so the position stays put over many iterations.
            let mut down = true;
            group.bench_function(format!("{name}/{position}/j"), |b| {
                b.iter(|| {
                    key(&mut model, &mut store, if down { "j" } else { "k" });
                    down = !down;
                    frame(&model, &mut buf);
                })
            });
            // Page by page, crossing window edges (database reads included).
            let mut forward = position != "bottom";
            let mut steps = 0;
            group.bench_function(format!("{name}/{position}/page"), |b| {
                b.iter(|| {
                    key(
                        &mut model,
                        &mut store,
                        if forward { "pagedown" } else { "pageup" },
                    );
                    steps += 1;
                    if steps % 200 == 0 {
                        forward = !forward;
                    }
                    frame(&model, &mut buf);
                })
            });
        }
        // Opening an article: load, lay out, mark read, draw.
        group.bench_function(format!("{name}/open_article"), |b| {
            b.iter(|| {
                key(&mut model, &mut store, "enter");
                frame(&model, &mut buf);
                key(&mut model, &mut store, "q");
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = first_screen, keypress
}
criterion_main!(benches);
