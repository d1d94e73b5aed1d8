//! Article extraction benchmarks (issue 10: a 1 MB page in at most 50 ms; issue 8
//! defect 8: cost linear in nesting depth).
//!
//! - `nytimes-3`: a real 489 KB news page (Readability's test page).
//! - `fa-wordpress-1mb`: the fa-wordpress-theme fixture grown to 1 MB the way big
//!   pages grow: the story three times longer, 400 reader comments, and the
//!   sidebar widgets repeated.
//! - `ar-ads-1mb`: the ar-split-by-ads fixture grown to 1 MB the way a long
//!   story on an ad-heavy CMS is: its body (paragraphs between ad slots, "read
//!   also" boxes and related lists) repeated, and its "most read" list long, so
//!   the chrome rules, Readability and its cleaning all have work on every block.
//! - `nested-19000`: a story inside 19,000 nested `<div>`s (took 18 s before the
//!   nesting bound).
//! - `fa-teasers-1mb`: a Persian listing page of 1 MB: a short story and then
//!   thousands of teasers, each cut short with «…» (a tag or category page that
//!   an item links to). Searching the page once per teaser took 7 s for 1.3 MB.
//!
//! Each page is measured twice: `extract/…` in wall time, and `extract-cpu/…` in
//! CPU time of the benchmarking thread (`CLOCK_THREAD_CPUTIME_ID`), which the
//! other builds on a shared machine barely move.
//!
//! Run: `cargo bench --bench fulltext`

// Benchmark code: inputs are fixed, and criterion's macros make undocumented items.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use khabar::fulltext::extract;

const NYTIMES: &str = include_str!("../tests/fixtures/articles/readability-nytimes-3/source.html");
const WORDPRESS: &str = include_str!("../tests/fixtures/articles/fa-wordpress-theme/source.html");
const SPLIT_BY_ADS: &str = include_str!("../tests/fixtures/articles/ar-split-by-ads/source.html");

/// The ar-split-by-ads fixture grown to about `bytes`: nine tenths story body
/// (with its ads and boxes), one tenth "most read" entries.
fn ads_page(bytes: usize) -> String {
    let start = SPLIT_BY_ADS.find("<div class=\"article-body\">").unwrap() + 26;
    let end = start
        + SPLIT_BY_ADS[start..]
            .find("</div>\n<div class=\"keywords\"")
            .unwrap();
    let body = &SPLIT_BY_ADS[start..end];
    let most_read =
        "<li><a href=\"/n/9\">تعرف على موعد صرف الرواتب لهذا الشهر في جميع المحافظات</a></li>";
    let body_times = bytes * 9 / 10 / body.len() + 1;
    let list_times = bytes / 10 / most_read.len() + 1;
    SPLIT_BY_ADS
        .replacen(body, &body.repeat(body_times), 1)
        .replacen(
            "<ul><li><a href=\"/n/9\">",
            &format!("<ul>{}<li><a href=\"/n/9\">", most_read.repeat(list_times)),
            1,
        )
}

/// The WordPress fixture grown to about `bytes`.
fn wordpress_page(bytes: usize) -> String {
    let story_start = WORDPRESS.find("<div class=\"entry-content\">").unwrap_or(0);
    let story_end = WORDPRESS[story_start..]
        .find("<div class=\"sharedaddy")
        .map_or(WORDPRESS.len(), |i| story_start + i);
    let story = &WORDPRESS[story_start + "<div class=\"entry-content\">".len()..story_end];
    let comment = "<li class=\"comment\"><div class=\"comment-author\">مهدی</div><p>این افزایش قیمت برای خانواده\u{200c}های کم\u{200c}درآمد سنگین است و دولت باید چاره\u{200c}ای بیندیشد؛ نانوایی محلهٔ ما از هفتهٔ پیش نرخ تازه را گرفته است.</p></li>";
    let widget = "<section class=\"widget\"><h2 class=\"widget-title\">پربازدیدترین\u{200c}ها</h2><ul><li><a href=\"/p/5\">زمان واریز یارانهٔ نقدی مهرماه اعلام شد</a></li><li><a href=\"/p/6\">نرخ ارز در بازار آزاد ثابت ماند</a></li></ul></section>";
    let mut page = WORDPRESS.replacen(story, &story.repeat(3), 1);
    let comments_at = page
        .find("<ol class=\"comment-list\">")
        .map_or(0, |i| i + 25);
    page.insert_str(comments_at, &comment.repeat(400));
    let widgets_at = page
        .find("<aside id=\"secondary\" class=\"widget-area\">")
        .map_or(0, |i| i + 42);
    let missing = bytes.saturating_sub(page.len());
    page.insert_str(widgets_at, &widget.repeat(missing / widget.len() + 1));
    page
}

/// A listing page of about `bytes`: a short story, then teasers cut short.
fn teasers_page(bytes: usize) -> String {
    let story = "<p>به گزارش خبرگزاری، نرخ تورم نقطه\u{200c}به\u{200c}نقطه در آبان\u{200c}ماه به ۳۲ درصد رسید و بانک مرکزی از کاهش آن در ماه\u{200c}های آینده خبر داد.</p>";
    let mut page = format!(
        "<html lang=\"fa\" dir=\"rtl\"><head><title>فهرست اخبار اقتصادی</title></head>\
         <body><main><h1>فهرست اخبار اقتصادی</h1><article>{story}</article><ul class=\"news-list\">"
    );
    let mut item = 0;
    while page.len() < bytes {
        item += 1;
        page.push_str(&format!(
            "<li><a href=\"/news/{item}\">خبر شماره {item} درباره بازار ارز و سکه</a>\
             <p>به گزارش خبرنگار اقتصادی، در معاملات امروز بازار {item} قیمت سکه و دلار \
             با نوسان همراه بود و فعالان بازار منتظر تصمیم تازه بانک مرکزی درباره نرخ سود ماندند و کارشناسان…</p></li>"
        ));
    }
    page.push_str("</ul></main></body></html>");
    page
}

fn nested(depth: usize) -> String {
    format!(
        "<html><body><h1>عنوان</h1>{}<p>{}</p>{}</body></html>",
        "<div>".repeat(depth),
        "متن خبر در عمق صفحه. ".repeat(40),
        "</div>".repeat(depth)
    )
}

/// CPU time of the calling thread, in nanoseconds.
struct ThreadCpu;

fn thread_cpu_ns() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    now.tv_sec as u64 * 1_000_000_000 + now.tv_nsec as u64
}

impl Measurement for ThreadCpu {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

/// CPU nanoseconds shown as milliseconds of CPU.
struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, _typical: f64, values: &mut [f64]) -> &'static str {
        values.iter_mut().for_each(|v| *v /= 1e6);
        "ms CPU"
    }
    fn scale_throughputs(
        &self,
        _typical: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let bytes = match throughput {
            Throughput::Bytes(b) | Throughput::BytesDecimal(b) => *b as f64,
            Throughput::Elements(e) => *e as f64,
            Throughput::Bits(b) => *b as f64 / 8.0,
        };
        values
            .iter_mut()
            .for_each(|v| *v = bytes / (1 << 20) as f64 / (*v / 1e9));
        "MiB/s CPU"
    }
    fn scale_for_machines(&self, values: &mut [f64]) -> &'static str {
        values.iter_mut().for_each(|v| *v /= 1e6);
        "ms CPU"
    }
}

fn pages() -> Vec<(&'static str, String)> {
    vec![
        ("nytimes-3", NYTIMES.to_string()),
        ("fa-wordpress-1mb", wordpress_page(1 << 20)),
        ("ar-ads-1mb", ads_page(1 << 20)),
        ("nested-19000", nested(19_000)),
        ("fa-teasers-1mb", teasers_page(1 << 20)),
    ]
}

fn bench_cpu(c: &mut Criterion<ThreadCpu>) {
    let mut group = c.benchmark_group("extract-cpu");
    group.sample_size(20);
    for (name, page) in &pages() {
        group.throughput(Throughput::Bytes(page.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| extract(black_box(page), Some("https://example.org/a")))
        });
    }
    group.finish();
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("extract");
    group.sample_size(20);
    for (name, page) in &pages() {
        // A page that gives no article would measure the wrong thing.
        assert!(
            extract(page, Some("https://example.org/a")).is_ok(),
            "{name}"
        );
        // KHABAR_BENCH_SAVE=DIR writes the pages, for `khabar extract` on the same input.
        if let Ok(dir) = std::env::var("KHABAR_BENCH_SAVE") {
            std::fs::write(format!("{dir}/{name}.html"), page).unwrap();
        }
        group.throughput(Throughput::Bytes(page.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| extract(black_box(page), Some("https://example.org/a")))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = bench_cpu
}
criterion_main!(benches, cpu);
