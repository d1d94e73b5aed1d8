//! Turning a page's bytes into text: byte-order mark, then the HTTP charset, then
//! `<meta charset>` / `http-equiv`, then UTF-8 (invalid bytes replaced). Legacy
//! pages (windows-1256, windows-1251, GB2312) decode through encoding_rs, whose
//! labels follow the WHATWG Encoding standard that browsers use.

use std::borrow::Cow;

use encoding_rs::Encoding;

/// Decodes a web page: byte-order mark, then the HTTP charset, then a `<meta>`
/// charset near the top of the page, then UTF-8 (invalid bytes replaced).
pub fn decode_html<'a>(bytes: &'a [u8], http_charset: Option<&str>) -> Cow<'a, str> {
    let declared = http_charset
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .or_else(|| meta_charset(bytes));
    match Encoding::for_bom(bytes) {
        Some((encoding, _)) => encoding.decode_with_bom_removal(bytes).0,
        None => {
            declared
                .unwrap_or(encoding_rs::UTF_8)
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// The encoding a page declares with `<meta charset=…>` or
/// `<meta http-equiv content="…; charset=…">` in its first kilobytes.
pub(super) fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = find(&lower[from..], b"charset=") {
        let start = from + found + b"charset=".len();
        let label: Vec<u8> = lower[start..]
            .iter()
            .copied()
            .skip_while(|b| *b == b'"' || *b == b'\'' || *b == b' ')
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_' || *b == b':')
            .collect();
        if let Some(encoding) = Encoding::for_label(&label) {
            return Some(encoding);
        }
        from = start;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

