//! Bounding the nesting depth of a page before it is parsed (issue 8, defect 8).
//!
//! html5ever checks "is there a `<p>` in scope" by walking the stack of open
//! elements on every start tag, and Readability asks each node for its text and its
//! ancestors: on a page of thousands of nested `<div>`s all of that is quadratic
//! (19,000 levels took 18 s). No real article nests more than a few dozen levels,
//! so one linear pass over the source drops the tags (never the text) of elements
//! opened deeper than [`MAX_DEPTH`]. Everything after it then sees a shallow tree.

use std::borrow::Cow;
use std::collections::HashMap;

/// Elements opened deeper than this lose their tags (their content is kept).
pub const MAX_DEPTH: usize = 200;

/// Elements that never have content or an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "keygen", "frame",
];

/// Elements whose content is raw text up to their own end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
    "plaintext",
];

/// Elements a parser closes when a sibling of the same name opens (`<p>a<p>b`).
const SELF_CLOSING_SIBLINGS: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot",
];

struct Open {
    name: String,
    kept: bool,
}

/// Returns `html` with the tags of elements nested deeper than `max_depth`
/// removed; the page itself when nothing is that deep (the usual case).
pub fn bound_nesting(html: &str, max_depth: usize) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // Up to where `html` has been copied into `out`.
    let mut copied = 0;
    let mut stack: Vec<Open> = Vec::new();
    let mut open_count: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while let Some(offset) = memchr(b'<', &bytes[i..]) {
        let start = i + offset;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            i = rest[4..].find("-->").map_or(bytes.len(), |end| start + 4 + end + 3);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = start + if closing { 2 } else { 1 };
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            // `<!doctype>`, `<?xml>`, a bare `<` in text: not an element.
            i = start + 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let end = tag_end(bytes, name_start + name_len);
        let self_closed = end >= 2 && bytes[end - 2] == b'/';
        if closing {
            if open_count.get(&name).copied().unwrap_or(0) > 0 {
                // Pops what the end tag implicitly closes; amortised linear.
                let mut kept = true;
                while let Some(top) = stack.pop() {
                    decrement(&mut open_count, &top.name);
                    if top.name == name {
                        kept = top.kept;
                        break;
                    }
                }
                if !kept {
                    drop_range(html, &mut out, &mut copied, start, end);
                }
            }
            i = end;
            continue;
        }
        if SELF_CLOSING_SIBLINGS.contains(&name.as_str())
            && stack.last().is_some_and(|top| top.name == name)
            && let Some(top) = stack.pop()
        {
            decrement(&mut open_count, &top.name);
        }
        if VOID.contains(&name.as_str()) || self_closed {
            i = end;
            continue;
        }
        let kept = stack.len() < max_depth;
        if !kept {
            drop_range(html, &mut out, &mut copied, start, end);
        }
        if RAW_TEXT.contains(&name.as_str()) {
            // The content is not markup; its end tag closes it (nothing to push).
            let close_at = find_end_tag(bytes, end, name.as_bytes());
            let close_end = if close_at < bytes.len() {
                tag_end(bytes, close_at + 2 + name.len())
            } else {
                close_at
            };
            if !kept {
                // A dropped script or style loses its content too, not only its tags.
                drop_range(html, &mut out, &mut copied, end, close_end);
            }
            i = close_end;
            continue;
        }
        *open_count.entry(name.clone()).or_insert(0) += 1;
        stack.push(Open { name, kept });
        i = end;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

/// Leaves `html[start..end]` out of the output.
fn drop_range(html: &str, out: &mut Option<String>, copied: &mut usize, start: usize, end: usize) {
    let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
    out.push_str(&html[*copied..start]);
    *copied = end.max(*copied);
}

fn decrement(counts: &mut HashMap<String, usize>, name: &str) {
    if let Some(n) = counts.get_mut(name) {
        *n = n.saturating_sub(1);
    }
}

/// The index just past the `>` that ends the tag whose attributes start at `from`
/// (quoted attribute values may hold `>`).
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return i + 1,
            None => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Where `</name` (any case) starts at or after `from`; the end of input if nowhere.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(offset) = memchr(b'<', &bytes[i..]) {
        let at = i + offset;
        let name_at = at + 2;
        if bytes.get(at + 1) == Some(&b'/')
            && bytes
                .get(name_at..name_at + name.len())
                .is_some_and(|candidate| candidate.eq_ignore_ascii_case(name))
        {
            return at;
        }
        i = at + 1;
    }
    bytes.len()
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|b| *b == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_pages_come_back_untouched() {
        let page = "<html><body><div class='a>b'><p>x<p>y</div><!-- <div> --><script>if (a<b) {}</script></body></html>";
        assert!(matches!(bound_nesting(page, 10), Cow::Borrowed(_)));
    }

    #[test]
    fn tags_deeper_than_the_bound_are_dropped_but_their_text_is_kept() {
        let page = format!("{}x{}<p>after</p>", "<div>".repeat(10), "</div>".repeat(10));
        let bounded = bound_nesting(&page, 4);
        assert_eq!(
            bounded,
            "<div><div><div><div>x</div></div></div></div><p>after</p>"
        );
    }

    #[test]
    fn unclosed_deep_tags_and_stray_end_tags_are_linear_and_safe() {
        let page = format!("{}x{}", "<div><span>".repeat(5000), "</b>".repeat(5000));
        let bounded = bound_nesting(&page, 10);
        assert_eq!(bounded.matches("<div>").count(), 5);
        assert!(bounded.contains('x'));
    }
}
