//! The parts of a web page that article extraction never reads, found on the
//! markup so the HTML parser need not build them: comments, `<style>`,
//! `<script>` other than JSON data (JSON-LD is evidence), and inline `<svg>`;
//! the extractor's chrome rules remove all of them from the tree.
//! On the article fixtures (real news pages) they are about half the bytes, and
//! html5ever's tokenizer and tree builder were half of extraction's CPU
//! (BENCHMARKS.md, issue 10).
//!
//! Each end is found where the HTML tokenizer finds it (comment endings, the
//! script escape states, attribute quoting). Where this scan cannot be sure the
//! parser reads the markup the same way (an SVG it cannot end, MathML, an open
//! `<select>`, a tag name the tokenizer reads longer), the page pass
//! ([`super::bounded_page_to`]) leaves nothing more out for the rest of the page,
//! and the extractor removes those parts from the tree as before. So leaving
//! them out changes what the parser builds only by the nodes the extractor
//! would drop anyway (`tests/page_inert.rs` checks this by property).

use memchr::memmem;

/// The index just past the end of the comment whose `<!--` ends at `from`, as
/// the HTML tokenizer ends it: `<!-->` and `<!--->` are empty comments, and
/// `-->` or `--!>` close one; the end of input when nothing does.
pub(super) fn comment_end(bytes: &[u8], from: usize) -> usize {
    let rest = &bytes[from.min(bytes.len())..];
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    // Overlapping matches: `--->` ends a comment at its last two dashes.
    let mut at = 0;
    while let Some(offset) = memmem::find(&rest[at..], b"--") {
        let dashes = at + offset;
        let after = &rest[dashes + 2..];
        if after.starts_with(b">") {
            return from + dashes + 3;
        }
        if after.starts_with(b"!>") {
            return from + dashes + 4;
        }
        at = dashes + 1;
    }
    bytes.len()
}

/// The index just past the `>` that ends a bogus comment (`<!doctype …>`,
/// `<?xml …>`, `</ x>`) whose text starts at `from`; the end of input if none.
pub(super) fn bogus_comment_end(bytes: &[u8], from: usize) -> usize {
    let from = from.min(bytes.len());
    memchr::memchr(b'>', &bytes[from..]).map_or(bytes.len(), |end| from + end + 1)
}

/// Whether a raw-text element can be left out: a `<style>`, or a `<script>`
/// that is not JSON data.
pub(super) fn raw_text_is_inert(tag: &str, start_tag: &[u8]) -> bool {
    match tag {
        "style" => true,
        "script" => !contains_ignore_case(start_tag, b"json"),
        _ => false,
    }
}

/// Where the `</script` that ends a script whose start tag ends at `from`
/// starts, as the tokenizer's script states find it: `<!--` inside a script
/// escapes it, and a `<script>` inside the escape "double escapes" it, so
/// `<script><!--<script></script>--></script>` ends at its last end tag.
/// `None` when the script runs to the end of input.
pub(super) fn script_end(bytes: &[u8], from: usize) -> Option<usize> {
    #[derive(PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let mut state = State::Data;
    let mut at = from;
    while let Some(offset) = memchr::memchr2(b'<', b'-', &bytes[at..]) {
        let i = at + offset;
        let rest = &bytes[i..];
        at = i + 1;
        if rest.starts_with(b"-->") {
            if state != State::Data {
                state = State::Data;
                at = i + 3;
            }
        } else if rest.starts_with(b"<!--") {
            if state == State::Data {
                state = State::Escaped;
                // Its own dashes may close it: `<!-->`.
                at = i + 2;
            }
        } else if let Some(tag) = rest.strip_prefix(b"</")
            && names_script(tag)
        {
            match state {
                State::Data | State::Escaped => return Some(i),
                State::DoubleEscaped => state = State::Escaped,
            }
        } else if let Some(tag) = rest.strip_prefix(b"<")
            && state == State::Escaped
            && names_script(tag)
        {
            state = State::DoubleEscaped;
        }
    }
    None
}

/// Whether `tag` starts with the name `script` followed by what ends a name.
fn names_script(tag: &[u8]) -> bool {
    tag.get(..6)
        .is_some_and(|name| name.eq_ignore_ascii_case(b"script"))
        && ends_tag_name(tag.get(6))
}

/// Whether the byte after an end tag's name ends the name (`</script>`, not
/// `</scripts>`), as the tokenizer requires of the end tag of raw text.
pub(super) fn ends_tag_name(byte: Option<&u8>) -> bool {
    byte.is_some_and(|&b| b == b'>' || b == b'/' || is_space(b))
}

/// Whitespace as the HTML tokenizer counts it between a tag's parts.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// HTML elements whose start tag inside SVG makes the parser leave the SVG
/// (the "breakout" list of the HTML standard's foreign-content rules).
const BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// Where the `</svg>` that ends an `<svg>` element whose start tag ends at
/// `from` starts, when the parser certainly ends it there: every end tag inside
/// closes an element opened inside (the parser would otherwise hand it to the
/// HTML rules, which may close the SVG's ancestors), no comment or CDATA
/// section, and no HTML start tag that would end the SVG early (nor `</p>` or
/// `</br>`). `None` leaves the SVG to the parser.
pub(super) fn svg_end(bytes: &[u8], from: usize) -> Option<usize> {
    // Elements open inside the SVG, lower-cased; the SVG itself at the bottom.
    let mut open: Vec<Vec<u8>> = vec![b"svg".to_vec()];
    let mut at = from;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let lt = at + offset;
        at = lt + 1;
        let closing = bytes.get(lt + 1) == Some(&b'/');
        let name_from = lt + if closing { 2 } else { 1 };
        match bytes.get(name_from) {
            Some(b'!') => return None,
            Some(b) if b.is_ascii_alphabetic() => {}
            // Text, or a bogus comment this scan does not follow.
            _ if !closing && bytes.get(name_from) != Some(&b'?') => continue,
            _ => return None,
        }
        let name: Vec<u8> = bytes[name_from..]
            .iter()
            .take_while(|b| !ends_tag_name(Some(b)))
            .map(u8::to_ascii_lowercase)
            .collect();
        let name_end = name_from + name.len();
        at = tag_end(bytes, name_end);
        if closing {
            if name == b"p" || name == b"br" {
                return None;
            }
            let depth = open.iter().rposition(|open| *open == name)?;
            if depth == 0 {
                return Some(lt);
            }
            open.truncate(depth);
        } else {
            if std::str::from_utf8(&name).is_ok_and(|name| BREAKOUT.contains(&name)) {
                return None;
            }
            if !bytes[..at].ends_with(b"/>") {
                open.push(name);
            }
        }
    }
    None
}

/// The index just past the `>` that ends the tag whose attributes start at
/// `from`, as the tokenizer's attribute states end it: a quote opens a value
/// only where a value starts (after `=` and spaces), and such a value may hold
/// `>`; elsewhere a quote is part of a name or an unquoted value. The end of
/// input if the tag never ends.
pub(super) fn tag_end(bytes: &[u8], from: usize) -> usize {
    #[derive(Clone, Copy)]
    enum State {
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        Unquoted,
    }
    let mut state = State::BeforeName;
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        if b == b'>' {
            return i + 1;
        }
        let space = is_space(b);
        state = match state {
            // After a quoted value or a `/` the tokenizer is, for what follows,
            // where it is before a name.
            State::BeforeName if space || b == b'/' => State::BeforeName,
            State::BeforeName => State::Name,
            State::Name | State::AfterName if b == b'=' => State::BeforeValue,
            State::Name | State::AfterName if b == b'/' => State::BeforeName,
            State::Name | State::AfterName if space => State::AfterName,
            State::Name | State::AfterName => State::Name,
            State::BeforeValue if space => State::BeforeValue,
            State::BeforeValue if b == b'"' || b == b'\'' => {
                match memchr::memchr(b, &bytes[i + 1..]) {
                    Some(close) => i += close + 1,
                    None => return bytes.len(),
                }
                State::BeforeName
            }
            State::BeforeValue => State::Unquoted,
            State::Unquoted if space => State::BeforeName,
            State::Unquoted => State::Unquoted,
        };
        i += 1;
    }
    bytes.len()
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end_of(comment: &str) -> usize {
        comment_end(comment.as_bytes(), 4)
    }

    #[test]
    fn tags_end_where_the_tokenizer_ends_them() {
        let end = |tag: &str| tag_end(tag.as_bytes(), 2);
        assert_eq!(end("<a href=\"x>y\">z"), 14);
        assert_eq!(end("<a href = 'x>y'>z"), 16);
        // A quote that does not start a value is part of a name or a value.
        assert_eq!(end("<a title=it's>z"), 14);
        assert_eq!(end("<a it's>z"), 8);
        assert_eq!(end("<a b=c= 'd>'>"), 11);
        assert_eq!(end("<a href=\"x\"'y'>"), 15);
        assert_eq!(end("<a/ 'x>"), 7);
        assert_eq!(end("<a href=\"never closed>"), 22);
    }

    #[test]
    fn comments_end_where_the_tokenizer_ends_them() {
        assert_eq!(end_of("<!-- a -->b"), 10);
        assert_eq!(end_of("<!-->b"), 5);
        assert_eq!(end_of("<!--->b"), 6);
        assert_eq!(end_of("<!-- a --!>b"), 11);
        assert_eq!(end_of("<!-- a -- b -->c"), 15);
        assert_eq!(end_of("<!--- zone start --->c"), 21);
        assert_eq!(end_of("<!-- never closed"), 17);
    }

    #[test]
    fn scripts_are_inert_unless_they_hold_json() {
        assert!(raw_text_is_inert("style", b"<style>"));
        assert!(raw_text_is_inert("script", b"<script src=x>"));
        assert!(!raw_text_is_inert(
            "script",
            b"<script type=\"application/LD+JSON\">"
        ));
        assert!(!raw_text_is_inert("title", b"<title>"));
        assert!(!raw_text_is_inert("textarea", b"<textarea>"));
    }

    fn script_ends(script: &str) -> Option<usize> {
        script_end(script.as_bytes(), 8)
    }

    #[test]
    fn scripts_end_where_the_tokenizer_ends_them() {
        assert_eq!(script_ends("<script>if (a<b) {}</script>"), Some(19));
        assert_eq!(script_ends("<script>x</scripts></SCRIPT >"), Some(19));
        // Escaped: `<!--` alone does not hide an end tag ...
        assert_eq!(script_ends("<script><!-- x </script>"), Some(15));
        // ... but a `<script>` inside it does, until the escape closes.
        let double = "<script><!--<script>a</script>--></script>";
        assert_eq!(script_ends(double), Some(33));
        // The inner end tag closes the double escape, the next the script.
        let reopened = "<script><!--<script></script>x</script>--><!-- y --></script>";
        assert_eq!(script_ends(reopened), Some(30));
        assert_eq!(script_ends("<script><!--><script></script>"), Some(21));
        assert_eq!(script_ends("<script><!--<script> never closed"), None);
    }

    #[test]
    fn an_svg_is_ended_only_where_the_parser_certainly_ends_it() {
        let svg = b"<svg viewBox='0 0 1 1'><g><path d='M0 0'/><title>icon</title></g></svg>after";
        assert_eq!(svg_end(svg, 23), Some(65));
        // An HTML tag inside breaks out of the SVG: left to the parser.
        assert_eq!(svg_end(b"<svg><path/><p>story</p></svg>", 5), None);
        assert_eq!(svg_end(b"<svg><g></p></g></svg>", 5), None);
        assert_eq!(svg_end(b"<svg><![CDATA[</svg>]]></svg>", 5), None);
        assert_eq!(svg_end(b"<svg><path/>", 5), None);
        // An end tag of nothing opened inside goes to the HTML rules.
        assert_eq!(svg_end(b"<svg><g></div></g></svg>", 5), None);
        assert_eq!(svg_end(b"<svg><g></svgx></svg>", 5), None);
        // Nested SVGs, unclosed children, and `>` or `</svg>` in attribute values.
        assert_eq!(svg_end(b"<svg><svg><g></svg></svg>x", 5), Some(19));
        assert_eq!(svg_end(b"<svg><g title='</svg>'></g></svg>", 5), Some(27));
        assert_eq!(svg_end(b"<svg><text>a < b</text></svg>", 5), Some(23));
    }
}
