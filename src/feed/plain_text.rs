//! HTML to plain text, the search index's and the untitled items' view of a
//! summary or content: tags (and the text of `<script>`/`<style>`) removed,
//! entities decoded, whitespace collapsed to single spaces.
//!
//! One pass that writes straight into the result (issue 7): the text between
//! tags is decoded and collapsed as it is copied, where it used to be decoded
//! into a string, then split into a `Vec` of words and joined again, with a
//! lower-cased `String` made for every tag name. A first refresh runs this on
//! every new item's summary and content, and it was a fifth of the parser
//! threads' instructions. The output is byte for byte what the old form gave
//! (the tests keep that form as the reference).

use std::borrow::Cow;

use memchr::memchr;

/// Strips tags (and the text of `<script>`/`<style>`) and decodes entities;
/// runs of whitespace become one space, none at either end.
pub fn html_to_text(html: &str) -> String {
    let mut out = Collapsed::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = memchr(b'<', rest.as_bytes()) {
        out.push_decoded(&rest[..lt]);
        let tag = &rest[lt..];
        let Some(gt) = memchr(b'>', tag.as_bytes()) else {
            // A lone '<' is text.
            out.push_decoded(tag);
            return out.finish();
        };
        let name_len = tag.as_bytes()[1..gt]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = &tag[1..1 + name_len];
        rest = &tag[gt + 1..];
        if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style") {
            rest = match find_closing_tag(rest, name) {
                Some(at) => {
                    memchr(b'>', &rest.as_bytes()[at..]).map_or("", |gt| &rest[at + gt + 1..])
                }
                None => "",
            };
        } else if ["br", "p", "div", "li"]
            .iter()
            .any(|block| name.eq_ignore_ascii_case(block))
        {
            out.space();
        }
    }
    out.push_decoded(rest);
    out.finish()
}

/// `text` with each run of whitespace made one space and none at either end:
/// `text.split_whitespace().collect::<Vec<_>>().join(" ")`, without the `Vec`.
pub(super) fn collapse_whitespace(text: &str) -> String {
    let mut out = Collapsed::with_capacity(text.len());
    out.push_text(text);
    out.finish()
}

/// Decodes `&amp;`-style named entities (the common ones) and numeric references.
pub(crate) fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let candidate = &rest[amp..];
        let decoded = candidate
            .find(';')
            .filter(|&semi| semi <= 10)
            .and_then(|semi| decode_entity(&candidate[1..semi]).map(|c| (c, semi)));
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &candidate[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &candidate[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// One entity's character: `name` is what stands between `&` and `;`.
fn decode_entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| !c.is_control() || c.is_whitespace());
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "zwnj" => '\u{200c}',
        "zwj" => '\u{200d}',
        "rlm" => '\u{200f}',
        "lrm" => '\u{200e}',
        "laquo" => '«',
        "raquo" => '»',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "copy" => '©',
        _ => return None,
    })
}

/// Where `</name` (any case) starts in `text`.
fn find_closing_tag(text: &str, name: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&bytes[from..], b"</").map(|i| from + i) {
        let after = &bytes[at + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// A string being built with whitespace collapsed: words are copied as they
/// come, and a single space goes before a word only when whitespace came
/// between it and the previous one (what `split_whitespace` + `join(" ")` give).
struct Collapsed {
    out: String,
    /// Whitespace seen since the last word.
    gap: bool,
}

impl Collapsed {
    fn with_capacity(capacity: usize) -> Self {
        Collapsed {
            out: String::with_capacity(capacity),
            gap: false,
        }
    }

    fn space(&mut self) {
        self.gap = true;
    }

    fn word(&mut self, word: &str) {
        if self.gap && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.gap = false;
        self.out.push_str(word);
    }

    fn push_char(&mut self, c: char) {
        if c.is_whitespace() {
            self.gap = true;
        } else {
            let mut buf = [0u8; 4];
            self.word(c.encode_utf8(&mut buf));
        }
    }

    /// `text` as it is (no entities), collapsing its whitespace. Words with one
    /// ASCII space between them (most text) are copied as one run; only other
    /// whitespace (several, a newline, a no-break space, at either end) breaks it.
    fn push_text(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let n = bytes.len();
        let mut i = 0;
        while i < n {
            let len = whitespace_len(&bytes[i..]);
            if len > 0 {
                self.gap = true;
                i += len;
                continue;
            }
            // A run from a word's start: words with single spaces between them.
            let start = i;
            loop {
                while i < n && CLASS[usize::from(bytes[i])] == ORDINARY {
                    i += 1;
                }
                if i >= n {
                    break;
                }
                if bytes[i] == b' ' {
                    if i + 1 < n && CLASS[usize::from(bytes[i + 1])] == ORDINARY {
                        // One space, then a byte that starts no whitespace.
                        i += 2;
                        continue;
                    }
                    break;
                }
                if whitespace_len(&bytes[i..]) > 0 {
                    break;
                }
                i += 1;
            }
            self.word(&text[start..i]);
        }
    }

    /// `text` with its entities decoded (as [`decode_entities`]).
    fn push_decoded(&mut self, text: &str) {
        let mut rest = text;
        while let Some(amp) = memchr(b'&', rest.as_bytes()) {
            self.push_text(&rest[..amp]);
            let candidate = &rest[amp..];
            let decoded = memchr(b';', candidate.as_bytes())
                .filter(|&semi| semi <= 10)
                .and_then(|semi| decode_entity(&candidate[1..semi]).map(|c| (c, semi)));
            match decoded {
                Some((c, semi)) => {
                    self.push_char(c);
                    rest = &candidate[semi + 1..];
                }
                None => {
                    self.word("&");
                    rest = &candidate[1..];
                }
            }
        }
        self.push_text(rest);
    }

    fn finish(self) -> String {
        self.out
    }
}

/// Bytes that are neither whitespace nor the first byte of a whitespace character.
const ORDINARY: u8 = 0;

/// By first byte: may this start a whitespace character? (ASCII whitespace, and
/// the lead bytes of U+0085, U+00A0, U+1680, U+2000..U+205F and U+3000.)
static CLASS: [u8; 256] = {
    let mut class = [ORDINARY; 256];
    let mut b = 0;
    while b < 256 {
        if matches!(b, 0x09..=0x0D | 0x20 | 0xC2 | 0xE1 | 0xE2 | 0xE3) {
            class[b] = 1;
        }
        b += 1;
    }
    class
};

/// The length in bytes of the whitespace character (`char::is_whitespace`) that
/// `bytes` starts with, 0 if it starts with anything else. `bytes` starts at a
/// character boundary or inside a character (then it is a continuation byte,
/// which starts nothing).
fn whitespace_len(bytes: &[u8]) -> usize {
    match bytes {
        [0x09..=0x0D | 0x20, ..] => 1,
        // U+0085, U+00A0
        [0xC2, 0x85 | 0xA0, ..] => 2,
        // U+1680
        [0xE1, 0x9A, 0x80, ..] => 3,
        // U+2000..U+200A, U+2028, U+2029, U+202F
        [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..] => 3,
        // U+205F
        [0xE2, 0x81, 0x9F, ..] => 3,
        // U+3000
        [0xE3, 0x80, 0x80, ..] => 3,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The form before issue 7's rewrite: the reference the output must match.
    fn reference(html: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(lt) = rest.find('<') {
            out.push_str(&decode_entities(&rest[..lt]));
            let tag = &rest[lt..];
            let Some(gt) = tag.find('>') else {
                out.push_str(&decode_entities(tag));
                rest = "";
                break;
            };
            let name: String = tag[1..gt]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            rest = &tag[gt + 1..];
            if name == "script" || name == "style" {
                let close = format!("</{name}");
                let lower = rest.to_ascii_lowercase();
                rest = match lower.find(&close) {
                    Some(at) => rest[at..].find('>').map_or("", |gt| &rest[at + gt + 1..]),
                    None => "",
                };
            } else if matches!(name.as_str(), "br" | "p" | "div" | "li") {
                out.push(' ');
            }
        }
        out.push_str(&decode_entities(rest));
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn whitespace_by_bytes_is_char_is_whitespace() {
        for c in (0..=0x10_FFFFu32).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let encoded = c.encode_utf8(&mut buf).as_bytes();
            let expected = if c.is_whitespace() { encoded.len() } else { 0 };
            assert_eq!(whitespace_len(encoded), expected, "{c:?}");
            if expected > 0 {
                assert_ne!(CLASS[usize::from(encoded[0])], ORDINARY, "{c:?}");
            }
            // Continuation bytes start nothing.
            for start in 1..encoded.len() {
                assert_eq!(whitespace_len(&encoded[start..]), 0, "{c:?}");
            }
        }
    }

    #[test]
    fn collapsing_is_split_and_join() {
        for case in [
            "",
            " ",
            "a",
            " a ",
            "a b",
            "a  b",
            "a \u{a0}b",
            "\u{a0}a\u{2003}",
            "خبر «سیاست» و\tاقتصاد\n",
            "a b c d  e\r\nf ",
            "\u{c2}\u{ab}x \u{e2}\u{80}\u{8b}",
        ] {
            let expected = case.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(case), expected, "{case:?}");
        }
    }

    #[test]
    fn same_text_as_the_reference() {
        let cases = [
            "",
            "   ",
            "plain",
            "Rust &amp;#8211; <b>fast</b>",
            "A &#8211; B",
            "x<script>alert(1)</script>y",
            "x<SCRIPT type=a>a</ScRiPt >y<style>p{}</STYLE>z",
            "x<script>never closed",
            "x<script>a</script",
            "x<style>a</scripts>b",
            "a < b",
            "a <b",
            "<p>one</p><p>two</p>three<br/>four<BR>five<li>six<div>seven</div>",
            "<p >a</p ><pre>b</pre>c<brx>d<b>e</b>",
            "&nbsp;lead and trail&nbsp;",
            "a&nbsp;&nbsp;b&#32;c&#x9;d&#10;e",
            "&amp;&lt;&gt;&quot;&apos;&zwnj;&unknown;&#;&#x;&#99999999;& ;&",
            "a&toolongentityname;b&amp",
            "\u{a0}x\u{2003}y\u{3000}z\u{85}w\u{1680}v\u{205f}u\u{2028}t\u{200b}s\u{202f}",
            "خبر\u{200c}ها «سیاست» <b>و</b> اقتصاد\n\n\tدر ایران",
            "<a href=\"x\">link</a>text<img src=\"y\"/>more",
            "<!-- a comment > with --> text",
            "<<<>>>",
            "<>",
            "&lt;p&gt;escaped&lt;/p&gt;",
            "é̃ combining \u{300}",
        ];
        for case in cases {
            assert_eq!(html_to_text(case), reference(case), "{case:?}");
        }
    }

    #[test]
    fn same_text_as_the_reference_on_mixed_pieces() {
        // Every sequence of up to three pieces: tag, entity and whitespace
        // boundaries falling in all the places a rewrite could get wrong.
        let pieces = [
            "<",
            ">",
            "<p>",
            "</p>",
            "<br/>",
            "<script>",
            "</script>",
            "<STYLE>",
            "</style>",
            "&",
            ";",
            "&amp;",
            "&nbsp;",
            "&#32;",
            " ",
            "\n",
            "\u{a0}",
            "\u{2009}",
            "a",
            "خ",
            "«",
            "é",
            "<b ",
            "li>",
            "&#x",
            "20;",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let case = format!("{a}{b}{c}");
                    assert_eq!(html_to_text(&case), reference(&case), "{case:?}");
                }
            }
        }
    }

    #[test]
    fn same_text_as_the_reference_on_the_fixtures() {
        // Every fixture file as HTML and line by line, and the summary and
        // content of every item of the fixture feeds that parse.
        let mut fields = 0;
        for path in crate::feed::test_fixtures::files() {
            let bytes = std::fs::read(&path).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert_eq!(html_to_text(&text), reference(&text), "{path:?}");
            for line in text.lines().take(500) {
                assert_eq!(html_to_text(line), reference(line), "{path:?}");
            }
            let Ok(feed) = crate::feed::parse(&bytes, None, "https://example.com/feed") else {
                continue;
            };
            for item in &feed.items {
                for html in [&item.summary, &item.content_html].into_iter().flatten() {
                    assert_eq!(html_to_text(html), reference(html), "{path:?}");
                    fields += 1;
                }
            }
        }
        assert!(fields > 1_000, "item fields compared: {fields}");
    }

    proptest::proptest! {
        #[test]
        fn same_text_as_the_reference_on_any_mix(
            html in "([ \t\n\u{a0}\u{2003}\u{85}a-cpilrstyBRPS/<>&;#x0-9ç«خ]|&amp;|&nbsp;|<p>|<br>|<script>|</script>){0,40}"
        ) {
            proptest::prop_assert_eq!(html_to_text(&html), reference(&html));
            let expected = html.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(collapse_whitespace(&html), expected);
        }
    }
}
