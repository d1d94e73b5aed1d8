//! A linear pre-pass that bounds how deeply an HTML string nests before an
//! HTML parser sees it: the one bounder for feed HTML ([`super::to_document`],
//! [`MAX_PARSE_DEPTH`]) and for web pages before article extraction
//! (the full-text extractor, which passes its own bound).
//!
//! html5ever checks "is there a `<p>` in scope" (and similar) by walking the
//! stack of open elements for each start tag, and Readability asks each node for
//! its text and its ancestors: on thousands of nested `<div>`s all of that is
//! quadratic (12,000 levels took seconds before the tree was even built).
//! Browsers flatten the DOM past a fixed depth; this does the same on the
//! markup: start tags that would open an element deeper than the bound are
//! removed together with their end tags, and their text stays. Block elements
//! leave a space so words do not run together.
//!
//! The depth is estimated from the tags with a stack of open elements, as a
//! parser keeps one, only cheaper: void elements (`<br>`, `<img>`) and
//! self-closed tags are not counted; an end tag closes everything opened after
//! its element (and is ignored when no such element is open); the elements whose
//! end tag is optional close as a parser closes them (`<li>` an open `<li>` of the
//! same list, `<td>` an open cell, `<tr>` an open row, a block an open `<p>`),
//! looking only a few elements down the stack so each tag costs a bounded step;
//! `<html>`, `<head>` and `<body>` never nest. Raw text (`<script>`, `<style>`,
//! `<textarea>`, `<title>`) and comments are passed over whole. Documents
//! shallower than the bound come back unchanged, without a copy.

use std::borrow::Cow;
use std::collections::HashMap;

use super::builder::starts_block;

/// Elements open at once (as estimated from the tags) beyond which start tags
/// are dropped, for feed HTML. Real pages nest a few dozen deep.
pub const MAX_PARSE_DEPTH: u32 = 128;

/// How far down the stack an optional end tag is looked for (`<li><a><b>x<li>`):
/// enough for inline markup left open in a list item or cell, and a constant, so
/// the pass stays linear however the page nests.
const IMPLIED_CLOSE_REACH: usize = 6;

/// Elements without content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr", "frame",
];

/// Elements a parser never nests.
const NEVER_NESTED: &[&str] = &["html", "head", "body"];

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "noembed",
    "noframes",
    "iframe",
    "plaintext",
];

/// An element name, lower-cased, packed into a number: its first 16 bytes and
/// its length (longer custom names are cut; the estimate only needs to tell
/// names apart, and every name it knows is shorter).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Name(u128, usize);

/// The classes of element the optional-end-tag rules name (bits of [`Open::kind`]).
mod kind {
    pub const P: u16 = 1;
    pub const LI: u16 = 1 << 1;
    pub const DT_DD: u16 = 1 << 2;
    pub const TR: u16 = 1 << 3;
    pub const CELL: u16 = 1 << 4;
    pub const TABLE_SECTION: u16 = 1 << 5;
    pub const OPTION: u16 = 1 << 6;
    pub const OPTGROUP: u16 = 1 << 7;
    pub const CAPTION: u16 = 1 << 8;
    pub const LIST: u16 = 1 << 9;
    pub const DL: u16 = 1 << 10;
    pub const TABLE: u16 = 1 << 11;
    pub const SELECT: u16 = 1 << 12;
    /// Other elements a paragraph does not close across (`button`, `object`, `template`).
    pub const SCOPE: u16 = 1 << 13;
}

fn kind_of(tag: &str) -> u16 {
    match tag {
        "p" => kind::P,
        "li" => kind::LI,
        "dt" | "dd" => kind::DT_DD,
        "tr" => kind::TR,
        "td" | "th" => kind::CELL,
        "thead" | "tbody" | "tfoot" => kind::TABLE_SECTION,
        "option" => kind::OPTION,
        "optgroup" => kind::OPTGROUP,
        "caption" => kind::CAPTION,
        "ul" | "ol" | "menu" => kind::LIST,
        "dl" => kind::DL,
        "table" => kind::TABLE,
        "select" | "datalist" => kind::SELECT,
        "button" | "object" | "template" => kind::SCOPE,
        _ => 0,
    }
}

/// One element on the estimated stack of open elements.
struct Open {
    name: Name,
    /// Its [`kind`] bits.
    kind: u16,
    /// Whether its tags are in the output.
    kept: bool,
}

/// What an opening element closes when open a few elements down the stack, and
/// what stops the search (its container), both as [`kind`] bits.
fn implied_close(kind: u16, block: bool) -> Option<(u16, u16)> {
    use kind::*;
    Some(match kind {
        LI => (LI, LIST | TABLE | CELL),
        DT_DD => (DT_DD, DL | TABLE | CELL),
        TR => (TR | CELL, TABLE | TABLE_SECTION),
        CELL => (CELL, TR | TABLE),
        TABLE_SECTION => (TABLE_SECTION | TR | CELL | CAPTION, TABLE),
        OPTION => (OPTION, SELECT | OPTGROUP),
        OPTGROUP => (OPTION | OPTGROUP, SELECT),
        // A block (or another paragraph) closes an open paragraph.
        _ if kind == P || block => (P, TABLE | CELL | CAPTION | SCOPE),
        _ => return None,
    })
}

/// `html` with its nesting bounded by [`MAX_PARSE_DEPTH`] (see the module doc).
pub fn bounded_nesting(html: &str) -> Cow<'_, str> {
    bounded_nesting_to(html, MAX_PARSE_DEPTH as usize)
}

/// `html` with the tags of elements opened deeper than `max_depth` removed (their
/// text kept); `html` itself, without a copy, when nothing is that deep.
pub fn bounded_nesting_to(html: &str, max_depth: usize) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    // Filled only once something is dropped: text before `copied` is in `out`.
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    let mut stack: Vec<Open> = Vec::new();
    let mut open_count: HashMap<Name, usize, foldhash::fast::FixedState> = HashMap::default();
    let mut at = 0usize;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            at = comment
                .find("-->")
                .map_or(html.len(), |end| start + 4 + end + 3);
            continue;
        }
        let closing = bytes.get(start + 1) == Some(&b'/');
        let name_from = start + if closing { 2 } else { 1 };
        let name_len = bytes[name_from..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !bytes[name_from].is_ascii_alphabetic() {
            // `<!doctype>`, `<?xml>`, a bare `<` in text: not an element.
            at = start + 1;
            continue;
        }
        let mut lower = [0u8; 16];
        for (to, from) in lower
            .iter_mut()
            .zip(&bytes[name_from..name_from + name_len])
        {
            *to = from.to_ascii_lowercase();
        }
        let name = Name(u128::from_le_bytes(lower), name_len);
        // ASCII letters, digits, '-' and ':' only.
        let tag = std::str::from_utf8(&lower[..name_len.min(16)]).unwrap_or("");
        let end = tag_end(bytes, name_from + name_len);
        at = end;
        if closing {
            if open_count.get(&name).copied().unwrap_or(0) == 0 {
                continue;
            }
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
                drop_range(html, &mut out, &mut copied, start, end, starts_block(tag));
            }
            continue;
        }
        if RAW_TEXT.contains(&tag) {
            // Passed over whole: its content is not markup.
            at = find_end_tag(bytes, end, tag.as_bytes());
            continue;
        }
        if VOID.contains(&tag) || NEVER_NESTED.contains(&tag) || bytes[..end].ends_with(b"/>") {
            continue;
        }
        let kind = kind_of(tag);
        let block = starts_block(tag);
        if let Some((closes, container)) = implied_close(kind, block) {
            // The deepest one within reach: `<tr>` closes the open cell and row.
            let found = stack
                .iter()
                .rev()
                .take(IMPLIED_CLOSE_REACH)
                .take_while(|open| open.kind & container == 0)
                .enumerate()
                .filter(|(_, open)| open.kind & closes != 0)
                .map(|(down, _)| down)
                .last();
            if let Some(down) = found {
                for _ in 0..=down {
                    if let Some(top) = stack.pop() {
                        decrement(&mut open_count, &top.name);
                    }
                }
            }
        }
        let kept = stack.len() < max_depth;
        if !kept {
            drop_range(html, &mut out, &mut copied, start, end, block);
        }
        *open_count.entry(name).or_insert(0) += 1;
        stack.push(Open { name, kind, kept });
    }
    match out {
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(html),
    }
}

/// Leaves the tag `html[start..end]` out of the output (a space for a block's,
/// so the words on either side stay apart; one for a run of them, since every
/// element above would otherwise carry thousands of spaces in its text).
fn drop_range(
    html: &str,
    out: &mut Option<String>,
    copied: &mut usize,
    start: usize,
    end: usize,
    block: bool,
) {
    let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
    out.push_str(&html[*copied..start]);
    if block && !out.ends_with(' ') {
        out.push(' ');
    }
    *copied = end.max(*copied);
}

fn decrement(counts: &mut HashMap<Name, usize, foldhash::fast::FixedState>, name: &Name) {
    if let Some(n) = counts.get_mut(name) {
        *n = n.saturating_sub(1);
    }
}

/// The index just past the `>` that ends the tag whose attributes start at `from`
/// (quoted attribute values may hold `>`); the end of input if it never ends.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes[from..].iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return from + i + 1,
            None => {}
        }
    }
    bytes.len()
}

/// Where `</name` (any case) starts at or after `from`; the end of input if nowhere.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(offset) = memchr::memchr(b'<', &bytes[i..]) {
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
        let page = "<html><body><div class='a>b'><p>x<p>y</div><!-- <div> --><script>if (a<b) {}</script></body></html>";
        assert!(matches!(bounded_nesting_to(page, 10), Cow::Borrowed(_)));
    }

    #[test]
    fn tables_lists_and_paragraphs_without_end_tags_do_not_pile_up() {
        let rows = format!("<table>{}</table>", "<tr><td>a<td>b".repeat(1_000));
        assert!(matches!(bounded_nesting_to(&rows, 10), Cow::Borrowed(_)));
        let terms = format!("<dl>{}</dl>", "<dt>t<dd>d".repeat(1_000));
        assert!(matches!(bounded_nesting_to(&terms, 10), Cow::Borrowed(_)));
        let items = format!("<ul>{}</ul>", "<li><a href=x>a</a><b>b".repeat(1_000));
        assert!(matches!(bounded_nesting_to(&items, 10), Cow::Borrowed(_)));
        let paragraphs = "<p>text<div>block</div>".repeat(1_000);
        assert!(matches!(
            bounded_nesting_to(&paragraphs, 10),
            Cow::Borrowed(_)
        ));
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
    fn tags_deeper_than_the_bound_are_dropped_but_their_text_is_kept() {
        let page = format!("{}x{}<p>after</p>", "<div>".repeat(10), "</div>".repeat(10));
        assert_eq!(
            bounded_nesting_to(&page, 4),
            "<div><div><div><div> x </div></div></div></div><p>after</p>"
        );
        // Nested tables really nest: their rows and cells count.
        let tables = "<table><tr><td>".repeat(100);
        let bounded = bounded_nesting_to(&tables, 30);
        let open = ["<table>", "<tr>", "<td>"]
            .iter()
            .map(|t| bounded.matches(t).count())
            .sum::<usize>();
        assert_eq!(open, 30);
    }

    #[test]
    fn unclosed_deep_tags_and_stray_end_tags_are_linear_and_safe() {
        let page = format!("{}x{}", "<div><span>".repeat(5000), "</b>".repeat(5000));
        let bounded = bounded_nesting_to(&page, 10);
        assert_eq!(bounded.matches("<div>").count(), 5);
        assert!(bounded.contains('x'));
    }

    #[test]
    fn tags_inside_comments_and_raw_text_are_not_counted() {
        let deep = "<div>".repeat(MAX_PARSE_DEPTH as usize + 10);
        let html = format!("<!--{deep}--><textarea>{deep}</textarea><style>{deep}</STYLE>ok");
        assert!(matches!(bounded_nesting(&html), Cow::Borrowed(_)));
    }
}
