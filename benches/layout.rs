//! Layout engine benchmarks: Persian article throughput (target ≥ 20 MB/s) and
//! the per-frame cost of drawing a window of an already laid-out 5,000-line
//! article (target < 1 ms; the article is laid out once per width, not per frame).
//!
//! Run: `cargo bench --bench layout`

// Benchmark code: inputs are fixed, and criterion's macros make undocumented items.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use khabar::text::layout::layout_blocks;
use khabar::text::{Block, LayoutOptions, StyledRun};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

const STORY: &str = include_str!("../tests/fixtures/articles/fa-sanjnews-1/expected.txt");

/// Persian sentences with numbers, dates, Latin words, brackets and ZWNJ: the
/// paragraphs that need the full bidi algorithm.
const MIXED: &[&str] = &[
    "خبرگزاری رویترز روز دوشنبه ۱۵ مهر ۱۴۰۳ گزارش داد که شرکت OpenAI نسخهٔ جدید GPT-4o را با قیمت ۲۰ دلار در ماه عرضه کرده است.",
    "شرکت Apple نسخهٔ iOS 18.1 را منتشر کرد و قیمت iPhone 16 در بازار تهران به ۸۵٬۰۰۰٬۰۰۰ تومان رسید (گزارش ۱۴۰۳/۰۷/۱۵).",
    "شاخص کل بورس تهران با ۲٬۱۴۵٬۰۰۰ واحد رکورد زد؛ ارزش معاملات ١٢٥ هزار میلیارد ریال بود و «سهام عدالت» ۳٪ رشد کرد.",
    "به گزارش BBC Persian، نشست G20 در روزهای ۱۸ و ۱۹ نوامبر 2024 در ریو برگزار می‌شود و ایران دعوت نشده است.",
];

/// The fa-sanjnews-1 story, one paragraph per line, repeated to about `bytes`.
/// Its paragraphs hold no digits or Latin words (the common case for prose).
fn persian_article(bytes: usize) -> Vec<Block> {
    let paragraphs: Vec<&str> = STORY.lines().filter(|l| !l.trim().is_empty()).collect();
    repeat_paragraphs(&paragraphs, bytes)
}

/// The story interleaved with [`MIXED`] sentences (about half the paragraphs).
fn persian_mixed(bytes: usize) -> Vec<Block> {
    let mut paragraphs: Vec<&str> = Vec::new();
    for (i, p) in STORY.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        paragraphs.push(p);
        paragraphs.push(MIXED[i % MIXED.len()]);
    }
    repeat_paragraphs(&paragraphs, bytes)
}

fn repeat_paragraphs(paragraphs: &[&str], bytes: usize) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut total = 0;
    while total < bytes {
        for p in paragraphs {
            total += p.len();
            blocks.push(Block {
                runs: vec![StyledRun {
                    text: (*p).to_string(),
                    style: Default::default(),
                }],
                ..Default::default()
            });
        }
    }
    blocks
}

fn text_bytes(blocks: &[Block]) -> u64 {
    blocks
        .iter()
        .flat_map(|b| b.runs.iter())
        .map(|r| r.text.len() as u64)
        .sum()
}

fn throughput(c: &mut Criterion) {
    for (group_name, blocks) in [
        ("layout_persian_article", persian_article(1 << 20)),
        ("layout_persian_mixed", persian_mixed(1 << 20)),
    ] {
        let mut group = c.benchmark_group(group_name);
        group.throughput(Throughput::Bytes(text_bytes(&blocks)));
        group.sample_size(20);
        for (name, shape) in [("unshaped_80", false), ("shaped_80", true)] {
            let opts = LayoutOptions {
                shape,
                terminal_bidi: false,
            };
            group.bench_function(name, |b| {
                b.iter(|| layout_blocks(black_box(&blocks), 80, opts));
            });
        }
        group.finish();
    }
}

fn scroll_frame(c: &mut Criterion) {
    let width = 80u16;
    let height = 50u16;
    let mut blocks = persian_article(1 << 20);
    let mut lines = layout_blocks(&blocks, width, LayoutOptions::default());
    while lines.len() < 5_000 {
        blocks.extend(persian_article(1 << 18));
        lines = layout_blocks(&blocks, width, LayoutOptions::default());
    }
    lines.truncate(5_000);
    let area = Rect::new(0, 0, width, height);
    let mut buffer = Buffer::empty(area);
    let mut offset = 0usize;
    c.bench_function("scroll_frame_5000_lines_80x50", |b| {
        b.iter(|| {
            buffer.reset();
            offset = (offset + 37) % (lines.len() - usize::from(height));
            for (row, line) in lines[offset..offset + usize::from(height)]
                .iter()
                .enumerate()
            {
                let y = row as u16;
                let mut x = line.indent;
                for span in &line.spans {
                    buffer.set_stringn(x, y, &span.text, usize::from(span.width), Style::default());
                    x += span.width;
                }
            }
            black_box(&buffer);
        });
    });
}

criterion_group!(benches, throughput, scroll_frame);
criterion_main!(benches);
