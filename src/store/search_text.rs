//! The index text of an item's HTML in one pass over a reused buffer.
//!
//! The definition is `query::append_index_text(feed::html_to_text(html))`; this
//! computes the same bytes without `html_to_text`'s entity decoding and
//! whitespace collapse, which the index text does not need: it treats any run
//! of whitespace as one boundary ([`crate::query::append_index_text_fast`]).
//! Even after `html_to_text` became one pass, this stays cheaper: the first
//! refresh of 20 genfeeds feeds (4,000 items, `file://`) runs 1,413 M
//! instructions with it and 1,459 M with `html_to_text` in its place. Only the
//! plain case is done here: HTML without entities and without `<script>` or
//! `<style>`, whose text the fast path of the normaliser accepts. Anything else
//! goes through the definition itself, so the two can never disagree (the tests
//! compare them).

use memchr::memchr;

use crate::feed::html_to_text;
use crate::query::{append_index_text, append_index_text_fast};

/// Appends the index text of `html` (markup stripped, normalised) to `out`,
/// exactly as `append_index_text(&html_to_text(html), out)`. `scratch` is a
/// buffer kept between calls.
pub(super) fn append_html_index_text(html: &str, out: &mut String, scratch: &mut String) {
    if memchr(b'&', html.as_bytes()).is_none() {
        scratch.clear();
        if strip_tags(html, scratch) && append_index_text_fast(scratch, out) {
            return;
        }
    }
    append_index_text(&html_to_text(html), out);
}

/// `html_to_text` of HTML with no `&` (so no entity to decode), before its
/// whitespace collapse: tags removed, a space for `br`, `p`, `div` and `li`.
/// False for a `<script>` or `<style>` (their text is skipped: the definition's
/// job, rare in feeds).
fn strip_tags(html: &str, out: &mut String) -> bool {
    out.reserve(html.len());
    let mut rest = html;
    while let Some(lt) = memchr(b'<', rest.as_bytes()) {
        out.push_str(&rest[..lt]);
        let tag = &rest[lt..];
        let Some(gt) = memchr(b'>', tag.as_bytes()) else {
            // A lone '<' is text.
            out.push_str(tag);
            return true;
        };
        let inside = &tag.as_bytes()[1..gt];
        let name_len = inside
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(inside.len());
        let name = &inside[..name_len];
        if name.eq_ignore_ascii_case(b"script") || name.eq_ignore_ascii_case(b"style") {
            return false;
        }
        if [&b"br"[..], b"p", b"div", b"li"]
            .iter()
            .any(|block| name.eq_ignore_ascii_case(block))
        {
            out.push(' ');
        }
        rest = &tag[gt + 1..];
    }
    out.push_str(rest);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn definition(html: &str) -> String {
        let mut out = String::new();
        append_index_text(&html_to_text(html), &mut out);
        out
    }

    fn fused(html: &str, before: &str) -> String {
        let mut out = before.to_string();
        let mut scratch = String::from("left over");
        append_html_index_text(html, &mut out, &mut scratch);
        out
    }

    #[test]
    fn same_as_the_definition_on_awkward_html() {
        let cases = [
            "",
            "<p>",
            "plain words",
            "<p>Hello <b>World</b></p><p>again</p>",
            "foo<b>bar</b>baz",
            "a<br>b<BR/>c<Li>d</li>e<DIV class=x>f",
            "<p>سلام <i>دنیا</i></p>\t\n  <p>می\u{200c}خواهم ۱۴۰۳</p>",
            "x < y and y > z",
            "unclosed <tag",
            "<script>var a = '<p>';</script>after",
            "<STYLE>p { }</STYLE>text",
            "caf\u{e9} na\u{ef}ve \u{a0}nbsp\u{a0}",
            "e\u{301} combining",
            "\u{85}next\u{85}line",
            "tom &amp; jerry &#8217; &nbsp; &bogus;",
            "   leading and trailing   ",
            "<p>كتاب\u{64b}ها  ي ى ة</p>",
            "ＦＵＬＬ width",
            "tab\tand\u{2003}em space",
        ];
        for html in cases {
            assert_eq!(fused(html, ""), definition(html), "{html:?}");
            let mut expected = String::from("title");
            append_index_text(&html_to_text(html), &mut expected);
            assert_eq!(fused(html, "title"), expected, "{html:?} after text");
        }
    }

    /// Every summary and content of every feed fixture (Persian, Arabic,
    /// Chinese, Latin-1, HTML-heavy), through both.
    #[test]
    fn same_as_the_definition_on_every_fixture() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds");
        let mut parts = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let Ok(feed) = crate::feed::parse(&bytes, None, "https://example.org/") else {
                continue;
            };
            for item in &feed.items {
                for html in [&item.summary, &item.content_html].into_iter().flatten() {
                    assert_eq!(fused(html, ""), definition(html), "{}", path.display());
                    parts += 1;
                }
            }
        }
        assert!(parts > 500, "only {parts} texts");
    }

    proptest! {
        #[test]
        fn same_as_the_definition(parts in proptest::collection::vec(
            prop_oneof![
                "[a-zA-Z0-9 \t\n.,]{0,12}",
                "[\u{600}-\u{6ff} \u{200c}]{0,8}",
                Just("<p>".to_string()), Just("</p>".to_string()), Just("<br/>".to_string()),
                Just("<b>".to_string()), Just("<div class=\"x\">".to_string()),
                Just("<".to_string()), Just(">".to_string()), Just("&amp;".to_string()),
                Just("\u{a0}".to_string()), Just("\u{85}".to_string()), Just("\u{3000}".to_string()),
                Just("<script>x</script>".to_string()),
            ],
            0..12,
        )) {
            let html: String = parts.concat();
            prop_assert_eq!(fused(&html, ""), definition(&html));
        }
    }
}
