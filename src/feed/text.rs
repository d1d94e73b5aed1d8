//! Small text helpers for feed fields: HTML to plain text for titles, a short
//! excerpt for untitled items, making relative `href`/`src` links absolute, and
//! removing terminal escape sequences from feed text (with [`crate::text::sanitize`]).

use std::borrow::Cow;

use url::Url;

use super::plain_text::{collapse_whitespace, decode_entities, html_to_text};
use crate::text::sanitize::{clean_inline, clean_paragraph};

/// One-line feed text (titles, names, categories): escape sequences and control
/// characters removed whole, line breaks made spaces. Bidi controls stay: the
/// layout engine resolves them, and the CLI removes them when it prints.
pub fn one_line(text: &str) -> String {
    clean_paragraph(text)
}

/// Multi-line feed text (summaries, content HTML): escape sequences and control
/// characters removed whole, line by line, so the lines themselves (`<pre>`) stay.
/// Returned as is in the usual case of nothing to remove.
pub fn without_escapes(text: String) -> String {
    if !has_controls(&text) {
        return text;
    }
    text.split('\n')
        .map(clean_paragraph)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Identifiers and URLs: as is unless they hold control characters, which are
/// removed with any escape sequence they start. (Checked first so that ordinary
/// values, including ones with odd whitespace, keep their exact identity.)
pub fn without_controls(text: &str) -> Cow<'_, str> {
    if has_controls(text) {
        Cow::Owned(clean_inline(text))
    } else {
        Cow::Borrowed(text)
    }
}

/// C0 (except tab, newline, carriage return), DEL or C1 control characters.
/// By bytes: C1 characters are U+0080..U+009F, encoded 0xC2 0x80..0x9F.
///
/// Content HTML is most of a feed's bytes and almost never holds a control, so
/// both checks run a block at a time without branching (the compiler vectorises
/// the folds): this was 6% of a first refresh's instructions as a byte loop.
/// 0xC2 alone is no sign: it also starts « » and other Latin-1 punctuation,
/// common in Persian text, so the byte after it is checked with it.
fn has_controls(text: &str) -> bool {
    const BLOCK: usize = 32;
    let bytes = text.as_bytes();
    let c0_or_del = |b: u8| ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0x7F);
    if bytes
        .chunks(BLOCK)
        .any(|block| block.iter().fold(false, |found, &b| found | c0_or_del(b)))
    {
        return true;
    }
    let Some(last) = bytes.len().checked_sub(1) else {
        return false;
    };
    let (leads, nexts) = (&bytes[..last], &bytes[1..]);
    leads
        .chunks(BLOCK)
        .zip(nexts.chunks(BLOCK))
        .any(|(leads, nexts)| {
            leads
                .iter()
                .zip(nexts)
                .fold(false, |found, (&lead, &next)| {
                    found | ((lead == 0xC2) & (next.wrapping_sub(0x80) < 0x20))
                })
        })
}

/// Characters a title keeps at most; a longer one is cut at a word with `…`.
/// No headline is read past a line or two, and a feed must not be able to make
/// every list row lay out megabytes.
pub const MAX_TITLE_CHARS: usize = 1_000;

/// A feed or item title as plain one-line text, the way newsboat shows it:
/// markup is removed (and entities decoded, once) only when the feed says the
/// title is HTML (Atom `type="html"`/`"xhtml"`). A plain-text title is text:
/// `R&D: the <canvas> element` keeps every word, and `write &lt;` (written
/// `&amp;lt;` in the XML, already decoded once by the XML parser) stays as is.
/// Escape sequences are removed first, whole; whitespace is collapsed; the
/// result is at most [`MAX_TITLE_CHARS`] characters.
pub fn title_text(content: &str, is_html: bool) -> String {
    let raw = one_line(content);
    // Decoding entities can make what `one_line` removes (a storm of combining
    // marks written as `&#769;`, found by the feed fuzz target): clean again.
    let text = if is_html {
        one_line(&html_to_text(&raw))
    } else {
        raw
    };
    let text = collapse_whitespace(&text);
    if text.len() <= MAX_TITLE_CHARS {
        // What `first_words` gives, without a copy.
        return text;
    }
    first_words(&text, MAX_TITLE_CHARS)
}

/// At most `max_chars` characters, cut at a word boundary, with an ellipsis when cut.
/// Linear in the words kept (a title of megabytes costs only what is kept).
pub fn first_words(text: &str, max_chars: usize) -> String {
    if text.len() <= max_chars || text.chars().nth(max_chars).is_none() {
        return text.to_string();
    }
    let mut out = String::new();
    let mut out_chars = 0usize;
    for word in text.split_whitespace() {
        let word_chars = word.chars().take(max_chars + 1).count();
        if out_chars + word_chars + 1 > max_chars {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            out_chars += 1;
        }
        out.push_str(word);
        out_chars += word_chars;
    }
    if out.is_empty() {
        out = text.chars().take(max_chars).collect();
    }
    out.push('…');
    out
}

/// Makes relative `href="…"` and `src="…"` values in `html` absolute against `base`.
/// `html` itself comes back when there is nothing to resolve (most content has
/// only absolute links).
pub fn resolve_relative_links(html: String, base: Option<&Url>) -> String {
    let Some(base) = base else {
        return html;
    };
    // One memchr for `=` first: most summaries and much content have no attribute.
    if !html.contains('=') || (!html.contains("href=") && !html.contains("src=")) {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(eq) = rest.find('=') {
        let before = &rest[..eq];
        let is_link_attr = [" href", " src", "\nhref", "\nsrc", "\thref", "\tsrc"]
            .iter()
            .any(|attr| before.ends_with(attr));
        out.push_str(&rest[..=eq]);
        rest = &rest[eq + 1..];
        if !is_link_attr {
            continue;
        }
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(close) = rest[1..].find(quote) else {
            continue;
        };
        let value = &rest[1..1 + close];
        out.push(quote);
        out.push_str(&absolute(value, base));
        out.push(quote);
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    out
}

fn absolute<'a>(value: &'a str, base: &Url) -> Cow<'a, str> {
    let trimmed = value.trim();
    if trimmed.is_empty()
        || trimmed.starts_with('#')
        || super::canonical_url::is_canonical_http_url(trimmed)
    {
        return Cow::Borrowed(value);
    }
    match Url::parse(trimmed) {
        Err(url::ParseError::RelativeUrlWithoutBase) => base
            .join(&decode_entities(trimmed))
            .map(|u| Cow::Owned(u.to_string()))
            .unwrap_or(Cow::Borrowed(value)),
        _ => Cow::Borrowed(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_title_to_text() {
        assert_eq!(
            html_to_text("Rust &amp;#8211; <b>fast</b>"),
            "Rust &#8211; fast"
        );
        assert_eq!(html_to_text("A &#8211; B"), "A – B");
        assert_eq!(html_to_text("x<script>alert(1)</script>y"), "xy");
        assert_eq!(html_to_text("a < b"), "a < b");
    }

    #[test]
    fn defect4_plain_titles_keep_markup_like_words_and_decode_nothing() {
        assert_eq!(
            title_text("R&D: the <canvas> element explained", false),
            "R&D: the <canvas> element explained"
        );
        assert_eq!(
            title_text("Q&A: why <script> tags   break", false),
            "Q&A: why <script> tags break"
        );
        // The XML parser decoded `&amp;lt;` once already.
        assert_eq!(title_text("write &lt;", false), "write &lt;");
        // Declared HTML: markup and entities go, once.
        assert_eq!(
            title_text("R&amp;D <b>bold</b> &amp;lt;", true),
            "R&D bold &lt;"
        );
        assert_eq!(title_text("a\x1b[31m<b>", false), "a<b>");
    }

    #[test]
    fn titles_are_bounded() {
        let long = "word ".repeat(100_000);
        let title = title_text(&long, false);
        assert!(title.chars().count() <= MAX_TITLE_CHARS + 1);
        assert!(title.ends_with('…'));
        let one_word = "x".repeat(50_000);
        assert_eq!(
            title_text(&one_word, false).chars().count(),
            MAX_TITLE_CHARS + 1
        );
    }

    #[test]
    fn relative_links_become_absolute() {
        let base = Url::parse("https://example.com/blog/post/").unwrap();
        let html = r##"<a href="/about">a</a> <img src="img.png"> <a href="https://x.org/">x</a> <a href="#top">t</a>"##;
        assert_eq!(
            resolve_relative_links(html.to_string(), Some(&base)),
            r##"<a href="https://example.com/about">a</a> <img src="https://example.com/blog/post/img.png"> <a href="https://x.org/">x</a> <a href="#top">t</a>"##
        );
    }

    #[test]
    fn escape_sequences_are_removed_whole() {
        assert_eq!(
            one_line("Evil\x1b[31mRED\x1b]0;pwned\x07 \u{202e}x"),
            "EvilRED \u{202e}x"
        );
        assert_eq!(
            without_escapes("<pre>a\x1b[2J\n  b\u{9b}1m</pre>".to_string()),
            "<pre>a\n  b</pre>"
        );
        let plain = "line one\r\n\tline two";
        assert_eq!(without_escapes(plain.to_string()), plain);
        assert_eq!(without_controls("tag:x,2024:\x1b[1m1"), "tag:x,2024:1");
        assert!(matches!(
            without_controls("https://x.example/a b"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn controls_found_anywhere_in_long_text() {
        // The block scan must see a control in any block and in the tail after
        // the last whole block, and pass over text with only allowed ones.
        let long = "خبر و رسانه\t\r\n".repeat(40);
        assert!(!has_controls(&long));
        for near in [0, 31, 32, 33, 200, long.len()] {
            // The first character boundary at or after `near` (Persian letters
            // are two bytes): around the block edges and in the tail.
            let Some(at) = (near..=long.len()).find(|&i| long.is_char_boundary(i)) else {
                continue;
            };
            for control in ["\x1b", "\x07", "\x7f", "\u{9b}", "\u{85}"] {
                let mut text = long.clone();
                text.insert_str(at, control);
                assert!(has_controls(&text), "{control:?} at {at}");
            }
        }
        // 0xC2 starts ordinary Latin-1 letters too: those are not controls.
        assert!(!has_controls(&"café © a\u{a0}b ".repeat(20)));
    }

    #[test]
    fn excerpt_cuts_at_words() {
        assert_eq!(first_words("one two three", 9), "one two…");
        assert_eq!(first_words("short", 9), "short");
    }
}
