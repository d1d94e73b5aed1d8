//! A linear pre-pass that bounds how deeply an HTML string nests before the
//! HTML parser sees it.
//!
//! html5ever checks "is there a `<p>` in scope" (and similar) by walking the
//! stack of open elements for each start tag, so 12,000 nested `<div>`s cost
//! 12,000² steps (minutes in a debug build, seconds in release) before the tree
//! is even built. Browsers flatten the DOM past a fixed depth; this does the
//! same on the markup: start tags that would open an element deeper than
//! [`MAX_PARSE_DEPTH`] are removed together with their end tags, and their text
//! stays. Block elements leave a space so words do not run together.
//!
//! The depth is estimated from the tags alone: void elements (`<br>`, `<img>`)
//! and elements whose end tag is optional (`<p>`, `<li>`, `<td>` …, which the
//! parser closes by itself) are not counted, raw text (`<script>`, `<style>`,
//! `<textarea>`, `<title>`) and comments are passed over. Well-formed documents
//! shallower than the bound come back unchanged, without a copy.

use std::borrow::Cow;

use super::builder::starts_block;

/// Elements open at once (as estimated from the tags) beyond which start tags
/// are dropped. Real pages nest a few dozen deep; elements the estimate does not
/// count (`<li>` in `<ul>`) can make the parser's stack up to about twice this,
/// and each tag costs the parser at most a walk of that stack.
pub const MAX_PARSE_DEPTH: u32 = 128;

/// Elements without content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements the parser closes by itself (their end tag is optional): they do
/// not stack up however many are left open.
const SELF_CLOSING_BY_PARSER: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot",
    "colgroup", "caption", "rb", "rt", "rtc", "rp", "html", "head", "body",
];

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "noembed", "noframes", "iframe",
];

/// `html` with its nesting bounded by [`MAX_PARSE_DEPTH`] (see the module doc).
pub fn bounded_nesting(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    // Filled only once something is dropped: text before `copied` is in `out`.
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    let mut depth = 0u32;
    // Start tags dropped and not yet matched by an end tag.
    let mut dropped = 0u32;
    let mut at = 0usize;
    while let Some(offset) = memchr_lt(&bytes[at..]) {
        let start = at + offset;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            at = rest[4..]
                .find("-->")
                .map_or(html.len(), |end| start + 4 + end + 3);
            continue;
        }
        let closing = rest.as_bytes().get(1) == Some(&b'/');
        let name_from = start + if closing { 2 } else { 1 };
        let name_len = html[name_from..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !html.as_bytes()[name_from].is_ascii_alphabetic() {
            at = start + 1;
            continue;
        }
        let name = html[name_from..name_from + name_len].to_ascii_lowercase();
        let Some(end) = tag_end(html, name_from + name_len) else {
            break;
        };
        at = end;
        let counted = !VOID.contains(&name.as_str())
            && !SELF_CLOSING_BY_PARSER.contains(&name.as_str())
            && !html[..end].ends_with("/>");
        if !closing && RAW_TEXT.contains(&name.as_str()) {
            // Passed over whole: its content is not markup.
            at = find_ascii_case_insensitive(html, end, &format!("</{name}")).unwrap_or(html.len());
            continue;
        }
        if !counted {
            continue;
        }
        let drop = if closing {
            if dropped > 0 {
                dropped -= 1;
                true
            } else {
                depth = depth.saturating_sub(1);
                false
            }
        } else if depth >= MAX_PARSE_DEPTH {
            dropped += 1;
            true
        } else {
            depth += 1;
            false
        };
        if drop {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(&html[copied..start]);
            if starts_block(&name) {
                out.push(' ');
            }
            copied = end;
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(html),
    }
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// The index just past the `>` that ends a tag whose attributes start at
/// `from`; quoted attribute values may hold `>`.
fn tag_end(html: &str, from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, &b) in html.as_bytes()[from..].iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some(from + i + 1),
            None => {}
        }
    }
    None
}

/// The index of the first ASCII-case-insensitive `needle` in `html` from `from`.
fn find_ascii_case_insensitive(html: &str, from: usize, needle: &str) -> Option<usize> {
    let hay = &html.as_bytes()[from..];
    let needle = needle.as_bytes();
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
        .map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_documents_come_back_unchanged_without_a_copy() {
        let html =
            "<div><p>a<p>b<ul><li>x<li>y</ul><br><img src=x></div><script>if (a<b) {}</script>";
        assert!(matches!(bounded_nesting(html), Cow::Borrowed(_)));
        let list = "<li>item".repeat(10_000);
        assert!(matches!(bounded_nesting(&list), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_flattened_and_text_kept() {
        let n = MAX_PARSE_DEPTH as usize + 1000;
        let html = format!("{}deep{}after", "<div>".repeat(n), "</div>".repeat(n));
        let out = bounded_nesting(&html);
        assert_eq!(out.matches("<div>").count(), MAX_PARSE_DEPTH as usize);
        assert_eq!(out.matches("</div>").count(), MAX_PARSE_DEPTH as usize);
        assert!(out.contains("deep"));
        assert!(out.ends_with("</div>after"));
    }

    #[test]
    fn tags_inside_comments_and_raw_text_are_not_counted() {
        let deep = "<div>".repeat(MAX_PARSE_DEPTH as usize + 10);
        let html = format!("<!--{deep}--><textarea>{deep}</textarea><style>{deep}</STYLE>ok");
        assert!(matches!(bounded_nesting(&html), Cow::Borrowed(_)));
    }
}
