//! Hostile pages for the article extractor (issue 8). Defect 8: extraction was
//! quadratic in nesting depth (3,000 nested `<div>`s 0.5 s, 19,000 took 18 s per
//! page). The page's nesting is now bounded in one linear pass before anything
//! walks the tree; these tests pin the bound (the benchmark `cargo bench --bench
//! fulltext` measures the time).

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use khabar::fulltext::depth::{MAX_DEPTH, bound_nesting};
use khabar::fulltext::extract;

fn nested(depth: usize, story: &str) -> String {
    format!(
        "<html><body><h1>عنوان</h1>{}<p>{story}</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    )
}

#[test]
fn defect_8_deeply_nested_pages_are_bounded_before_extraction() {
    let story = "متن خبر در عمق صفحه آمده است. ".repeat(20);
    let page = nested(19_000, &story);
    let bounded = bound_nesting(&page, MAX_DEPTH);
    // html and body are open too: everything deeper loses its tags, not its text.
    assert!(bounded.matches("<div>").count() <= MAX_DEPTH);
    assert!(bounded.contains(story.trim()));
    let article = extract(&page, Some("https://example.org/deep")).unwrap();
    assert!(
        article.text().contains("متن خبر در عمق صفحه"),
        "{}",
        article.text()
    );
}

#[test]
fn defect_8_unclosed_and_mismatched_deep_tags_are_bounded_too() {
    // Unclosed elements, stray end tags and tables: none may deepen the tree
    // beyond the bound or make the pass quadratic.
    let page = format!(
        "<html><body>{}<p>story text that matters</p>{}</body></html>",
        "<div><span><table><tr><td>".repeat(4_000),
        "</b></i></u>".repeat(4_000)
    );
    let bounded = bound_nesting(&page, MAX_DEPTH);
    let opened = ["<div>", "<span>", "<table>", "<tr>", "<td>"]
        .iter()
        .map(|t| bounded.matches(t).count())
        .sum::<usize>();
    assert!(opened <= MAX_DEPTH, "{opened} elements kept open");
    assert!(extract(&page, None).is_ok_and(|a| a.text().contains("story text that matters")));
}

#[test]
fn scripts_and_comments_with_tags_inside_do_not_count_as_nesting() {
    let page = format!(
        "<html><body><script>var s = '{}';</script><!-- {} --><p>x</p></body></html>",
        "<div>".repeat(1_000),
        "<div>".repeat(1_000)
    );
    assert_eq!(bound_nesting(&page, 10), page);
}

/// A story page whose sidebar lists thousands of teasers cut short with «…»:
/// each teaser is compared with the page's words, once for all of them (one
/// search of the page per teaser took 7 s for 1.3 MB; `cargo bench --bench
/// fulltext`, `fa-teasers-1mb`, measures it). The lead that repeats the story
/// still goes, the story stays.
#[test]
fn a_page_of_thousands_of_teasers_loses_only_the_one_repeating_the_story() {
    let story = "به گزارش سنج نیوز به نقل از ایسنا، محمد صائبی از تشکیل اولین نشست کارگروه ساماندهی بازار خبر داد و گفت این کارگروه هر هفته برگزار می‌شود.";
    let lead =
        "به گزارش سنج نیوز به نقل از ایسنا، محمد صائبی از تشکیل اولین نشست کارگروه ساماندهی…";
    let teasers: String = (0..3_000)
        .map(|i| {
            format!(
                "<li><a href=\"/n/{i}\">خبر {i}</a><p>گزارش شماره {i} از بازار امروز تهران که در آن \
                 قیمت کالای {i} و خدمات {i} بررسی شد و نتیجه {i} اعلام…</p></li>"
            )
        })
        .collect();
    let page = format!(
        "<html lang=\"fa\" dir=\"rtl\"><head><title>نشست کارگروه</title></head><body><article>\
         <h1>نشست کارگروه</h1><div class=\"lead\">{lead}</div><p>{story}</p><p>{}</p></article>\
         <aside><ul>{teasers}</ul></aside></body></html>",
        story.replace("کارگروه", "کمیته")
    );
    let text = extract(&page, Some("https://example.org/n/1"))
        .unwrap()
        .text();
    assert!(!text.contains("ساماندهی…"), "the lead stayed:\n{text}");
    assert!(text.contains(story), "{text}");
    assert!(text.contains("نشست کمیته ساماندهی بازار"), "{text}");
}
