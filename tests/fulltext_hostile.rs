//! Hostile pages for the article extractor (issue 8). Defect 8: extraction was
//! quadratic in nesting depth (3,000 nested `<div>`s 0.5 s, 19,000 took 18 s per
//! page). The page's nesting is now bounded in one linear pass before anything
//! walks the tree; these tests pin the bound (the benchmark `cargo bench --bench
//! fulltext` measures the time).

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
    assert!(article.text().contains("متن خبر در عمق صفحه"), "{}", article.text());
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
