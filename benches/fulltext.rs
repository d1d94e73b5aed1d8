//! Article extraction benchmarks (issue 10: a 1 MB page in at most 50 ms; issue 8
//! defect 8: cost linear in nesting depth).
//!
//! - `nytimes-3`: a real 489 KB news page (Readability's test page).
//! - `fa-wordpress-1mb`: the fa-wordpress-theme fixture grown to 1 MB the way big
//!   pages grow: the story three times longer, 400 reader comments, and the
//!   sidebar widgets repeated.
//! - `nested-19000`: a story inside 19,000 nested `<div>`s (took 18 s before the
//!   nesting bound).
//!
//! Run: `cargo bench --bench fulltext`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use khabar::fulltext::extract;

const NYTIMES: &str = include_str!("../tests/fixtures/articles/readability-nytimes-3/source.html");
const WORDPRESS: &str = include_str!("../tests/fixtures/articles/fa-wordpress-theme/source.html");

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
    let comments_at = page.find("<ol class=\"comment-list\">").map_or(0, |i| i + 25);
    page.insert_str(comments_at, &comment.repeat(400));
    let widgets_at = page.find("<aside id=\"secondary\" class=\"widget-area\">").map_or(0, |i| i + 42);
    let missing = bytes.saturating_sub(page.len());
    page.insert_str(widgets_at, &widget.repeat(missing / widget.len() + 1));
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

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("extract");
    group.sample_size(20);
    let pages = [
        ("nytimes-3", NYTIMES.to_string()),
        ("fa-wordpress-1mb", wordpress_page(1 << 20)),
        ("nested-19000", nested(19_000)),
    ];
    for (name, page) in &pages {
        // A page that gives no article would measure the wrong thing.
        assert!(extract(page, Some("https://example.org/a")).is_ok(), "{name}");
        group.throughput(Throughput::Bytes(page.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| extract(black_box(page), Some("https://example.org/a")))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
