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
use super::inert::{self, tag_end};

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

impl Name {
    /// The name of `tag` (ASCII), and its first 16 bytes lower-cased.
    fn of(tag: &[u8]) -> (Name, [u8; 16]) {
        let mut lower = [0u8; 16];
        for (to, from) in lower.iter_mut().zip(tag) {
            *to = from.to_ascii_lowercase();
        }
        (Name(u128::from_le_bytes(lower), tag.len()), lower)
    }
}

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
    bound(html, max_depth, false)
}

/// A web page bounded as [`bounded_nesting_to`] does, and without the parts
/// article extraction never reads (see `html::inert`): comments, styles,
/// scripts other than JSON data, and inline SVG.
pub fn bounded_page_to(html: &str, max_depth: usize) -> Cow<'_, str> {
    bound(html, max_depth, true)
}

fn bound(html: &str, max_depth: usize, leave_out_inert: bool) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    // Filled only once something is dropped: text before `copied` is in `out`.
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    let mut stack: Vec<Open> = Vec::new();
    let mut open_count: HashMap<Name, usize, foldhash::fast::FixedState> = HashMap::default();
    let mut at = 0usize;
    // Cleared, for the rest of the page, where the parser may read the markup
    // differently from this scan (see `stops_leaving_out`).
    let mut leave_out = leave_out_inert;
    let select = Name::of(b"select").0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            at = inert::comment_end(bytes, start + 4);
            if leave_out {
                drop_range(html, &mut out, &mut copied, start, at, false);
            }
            continue;
        }
        let closing = bytes.get(start + 1) == Some(&b'/');
        let name_from = start + if closing { 2 } else { 1 };
        let name_len = bytes[name_from..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !bytes[name_from].is_ascii_alphabetic() {
            // Not an element: `<!doctype>`, `<?xml>` and `</ x>` are (bogus)
            // comments up to the first `>`; `</>` is nothing; a `<` before
            // anything else is text.
            at = match bytes.get(start + 1) {
                Some(b'!' | b'?') => inert::bogus_comment_end(bytes, start + 2),
                Some(b'/') if bytes.get(start + 2) == Some(&b'>') => start + 3,
                Some(b'/') if start + 2 < bytes.len() => inert::bogus_comment_end(bytes, start + 2),
                _ => start + 1,
            };
            continue;
        }
        let (name, lower) = Name::of(&bytes[name_from..name_from + name_len]);
        // ASCII letters, digits, '-' and ':' only.
        let tag = std::str::from_utf8(&lower[..name_len.min(16)]).unwrap_or("");
        let end = tag_end(bytes, name_from + name_len);
        at = end;
        if leave_out
            && stops_leaving_out(
                bytes,
                name_from + name_len,
                tag,
                open_count.get(&select).is_some_and(|n| *n > 0),
            )
        {
            leave_out = false;
        }
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
            if !leave_out {
                at = find_end_tag(bytes, end, tag.as_bytes());
                continue;
            }
            // Exactly where the tokenizer ends it: what follows may be left out.
            let close = match tag {
                "script" => inert::script_end(bytes, end),
                "plaintext" => None,
                _ => Some(find_end_tag(bytes, end, tag.as_bytes()))
                    .filter(|&close| inert::ends_tag_name(bytes.get(close + 2 + tag.len()))),
            };
            let Some(close) = close else {
                // The rest of the page is its text.
                at = bytes.len();
                continue;
            };
            at = close;
            if inert::raw_text_is_inert(tag, &bytes[start..end]) {
                at = tag_end(bytes, close + 2 + tag.len());
                drop_range(html, &mut out, &mut copied, start, at, false);
            }
            continue;
        }
        if leave_out && tag == "svg" && !bytes[..end].ends_with(b"/>") {
            match inert::svg_end(bytes, end) {
                Some(close) => {
                    // An empty `<svg/>` stays: the parser reopens the formatting
                    // elements (`<a>`, `<b>`) before an SVG as before this one.
                    at = tag_end(bytes, close + 5);
                    drop_range(html, &mut out, &mut copied, start, at, false);
                    if let Some(out) = out.as_mut() {
                        out.push_str("<svg/>");
                    }
                    continue;
                }
                // The parser leaves this SVG where this scan cannot tell.
                None => leave_out = false,
            }
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

/// Whether, at the tag named `tag` (whose name ends at `name_end`), this scan
/// can no longer be sure it reads the markup as the parser does, so nothing more
/// may be left out: a name the tokenizer reads longer (`<script.x>`), MathML
/// (SVG is handled where it starts), or a `<select>` open, inside which the
/// parser ignores `<style>` and the like and reads their content as markup.
fn stops_leaving_out(bytes: &[u8], name_end: usize, tag: &str, select_open: bool) -> bool {
    (name_end < bytes.len() && !inert::ends_tag_name(bytes.get(name_end)))
        || tag == "math"
        || select_open
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
    fn a_page_loses_what_extraction_never_reads_and_keeps_the_rest() {
        let page = concat!(
            "<html><head><title>T</title><style>p{}</style>",
            "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script>",
            "<script src=a.js></script ></head><body><!-- nav -->",
            "<p>By<!-- --> me</p><svg viewBox='0 0 1 1'><path d='M0'/></svg>",
            "<svg/><p>story</p><script>document.write('<!--')</script><!-- c -->",
            "<textarea><!-- kept --></textarea><svg><p>breaks out</p></svg><!-- kept -->",
            "</body></html>"
        );
        assert_eq!(
            bounded_page_to(page, 200),
            concat!(
                "<html><head><title>T</title>",
                "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script>",
                "</head><body><p>By me</p><svg/><svg/><p>story</p>",
                "<textarea><!-- kept --></textarea><svg><p>breaks out</p></svg><!-- kept -->",
                "</body></html>"
            )
        );
        // Feed HTML keeps all of it, and a page's nesting is still bounded.
        assert!(matches!(bounded_nesting_to(page, 200), Cow::Borrowed(_)));
        let deep = format!("<!-- c -->{}x", "<div>".repeat(300));
        let bounded = bounded_page_to(&deep, 200);
        assert_eq!(bounded.matches("<div>").count(), 200);
        assert!(!bounded.contains("<!--"));
    }

    #[test]
    fn tags_inside_comments_and_raw_text_are_not_counted() {
        let deep = "<div>".repeat(MAX_PARSE_DEPTH as usize + 10);
        let html = format!("<!--{deep}--><textarea>{deep}</textarea><style>{deep}</STYLE>ok");
        assert!(matches!(bounded_nesting(&html), Cow::Borrowed(_)));
    }
}
