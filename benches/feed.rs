//! Feed parsing benchmarks (issue 7): feed bytes to a normalised `ParsedFeed`,
//! through feed-rs (the path before the fast parser) and through the fast
//! path, on generated feeds like the 100k refresh corpus (`genfeeds.py`:
//! Persian and English RSS 2.0, Persian Atom) and on real fixtures.
//! Run: `cargo bench --bench feed`; figures in BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use khabar::feed::{Parsers, parse_by};

const INPUTS: &[&str] = &[
    "tests/fixtures/genfeeds/f0000.xml",
    "tests/fixtures/genfeeds/f0001.xml",
    "tests/fixtures/genfeeds/f0004.xml",
    "tests/fixtures/feeds/fd-rss20-lemonde.xml",
    "tests/fixtures/feeds/pf-rss20-nextinpact-large.xml",
    "tests/fixtures/feeds/mf-atom-gitlab-single-quote-prolog.xml",
];

fn parse(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for input in INPUTS {
        let body = std::fs::read(root.join(input)).unwrap();
        let name = Path::new(input)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        // Both paths must read the input for the comparison to mean anything.
        let fast = parse_by(&body, None, "https://news.example/feed", Parsers::FastOnly);
        let slow = parse_by(
            &body,
            None,
            "https://news.example/feed",
            Parsers::FeedRsOnly,
        );
        assert_eq!(fast.as_ref().ok(), slow.as_ref().ok(), "{input}");
        assert!(fast.is_ok(), "{input}: the fast path declined");
        let mut group = c.benchmark_group(format!("feed_parse/{name}"));
        group.throughput(Throughput::Bytes(body.len() as u64));
        for (label, parsers) in [
            ("feed-rs", Parsers::FeedRsOnly),
            ("fast", Parsers::FastThenFeedRs),
        ] {
            group.bench_function(label, |b| {
                b.iter(|| {
                    parse_by(black_box(&body), None, "https://news.example/feed", parsers).unwrap()
                })
            });
        }
        group.finish();
    }
}

/// With `KHABAR_BENCH_FEEDS=DIR` (for example genfeeds output), every file of
/// DIR through each path once, timed: the parsing share of a first refresh.
fn corpus(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("KHABAR_BENCH_FEEDS") else {
        return;
    };
    let mut bodies = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        bodies.push(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let bytes: usize = bodies.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("feed_parse/corpus");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    for (label, parsers) in [
        ("feed-rs", Parsers::FeedRsOnly),
        ("fast", Parsers::FastThenFeedRs),
    ] {
        group.bench_function(label, |b| {
            b.iter(|| {
                for body in &bodies {
                    black_box(parse_by(body, None, "https://news.example/feed", parsers).unwrap());
                }
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = parse, corpus
}
criterion_main!(benches);
