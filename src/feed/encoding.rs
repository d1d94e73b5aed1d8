//! Character encoding of feed bodies: find the encoding (BOM, then the XML prolog,
//! then the HTTP charset, then UTF-8 — or, for unlabelled bytes that are not UTF-8,
//! the legacy encoding of the feed's declared language, else chardetng's guess
//! from the bytes), decode once to UTF-8 and
//! make the prolog say so, because feed-rs decodes the prolog's encoding itself and
//! would decode twice. Also the one decoder of web pages ([`decode_html`]), used
//! by full-text extraction and by feed discovery.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1251, WINDOWS_1256};

/// Returns the body as UTF-8 bytes whose XML prolog (if any) declares UTF-8 or
/// nothing, so feed-rs reads it as it is. Borrowed when nothing had to change.
///
/// A legacy single-byte declaration over bytes that are valid UTF-8 with non-ASCII
/// text is treated as UTF-8: real windows-1256 or ISO-8859-1 text is practically
/// never valid UTF-8, while mislabelled UTF-8 feeds are common.
pub fn to_utf8<'a>(body: &'a [u8], http_charset: Option<&str>) -> Cow<'a, [u8]> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(body) {
        let (text, _) = encoding.decode_without_bom_handling(&body[bom_len..]);
        return finish(Cow::Owned(text.into_owned().into_bytes()));
    }
    let declared = prolog_encoding(body).and_then(|label| Encoding::for_label(label.as_bytes()));
    let from_http = http_charset.and_then(|label| Encoding::for_label(label.trim().as_bytes()));
    let valid_utf8 = simdutf8::basic::from_utf8(body).is_ok();
    let chosen = declared.or(from_http).unwrap_or_else(|| {
        if valid_utf8 {
            UTF_8
        } else {
            unlabelled_encoding(body)
        }
    });
    let chosen = match chosen.name() {
        // A prolog in a byte stream that decodes as ASCII cannot really be UTF-16.
        "UTF-16LE" | "UTF-16BE" => UTF_8,
        _ => chosen,
    };
    if chosen == UTF_8 || (valid_utf8 && !body.is_ascii()) {
        if valid_utf8 {
            return finish(Cow::Borrowed(body));
        }
        let text = String::from_utf8_lossy(body).into_owned();
        return finish(Cow::Owned(text.into_bytes()));
    }
    let (text, _) = chosen.decode_without_bom_handling(body);
    finish(Cow::Owned(text.into_owned().into_bytes()))
}

/// Decodes a web page (HTML: a page to extract an article from, or to discover
/// feeds in): byte-order mark, then the HTTP charset, then a `<meta>`
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
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
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

/// The encoding of a body that names none and is not valid UTF-8. Old sites serve
/// windows-1256 Persian this way; the feed's `<language>` (or `xml:lang`), which is
/// ASCII in any of these encodings, says which legacy encoding it probably is.
/// Bytes that are mostly UTF-8 with a few broken sequences stay UTF-8 (the broken
/// bytes become U+FFFD) rather than turning every letter into mojibake.
fn unlabelled_encoding(body: &[u8]) -> &'static Encoding {
    if mostly_utf8(body) {
        return UTF_8;
    }
    let language = declared_language(body).unwrap_or_default();
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match primary.as_str() {
        "fa" | "ar" | "ur" => WINDOWS_1256,
        "ru" | "uk" | "bg" => WINDOWS_1251,
        _ => sniffed_encoding(body),
    }
}

/// The last step, for bytes that say nothing about their encoding: chardetng
/// (Firefox's detector) guesses from the bytes themselves (Hebrew windows-1255,
/// Greek, Cyrillic KOI8-R, Central European …). The first 256 KiB are plenty.
fn sniffed_encoding(body: &[u8]) -> &'static Encoding {
    let sample = &body[..body.len().min(256 * 1024)];
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(sample, sample.len() == body.len());
    detector.guess(None, false)
}

/// More well-formed non-ASCII UTF-8 characters than broken sequences: legacy
/// text forms valid multi-byte sequences only by accident.
fn mostly_utf8(body: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in body.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    valid > invalid
}

/// The first `<language>` / `<dc:language>` value, else the first `xml:lang`.
fn declared_language(body: &[u8]) -> Option<String> {
    let value_at = |start: usize, end: &[u8]| -> Option<String> {
        let rest = body.get(start..)?;
        let len = rest.iter().take(64).position(|b| end.contains(b))?;
        let value = std::str::from_utf8(&rest[..len]).ok()?.trim();
        (!value.is_empty()).then(|| value.to_string())
    };
    if let Some(at) = find(body, b"language>") {
        return value_at(at + b"language>".len(), b"<");
    }
    let at = find(body, b"xml:lang=")? + b"xml:lang=".len();
    let quote = *body.get(at).filter(|q| matches!(q, b'"' | b'\''))?;
    value_at(at + 1, &[quote])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Rewrites a prolog declaring another encoding. Raw control characters (which
/// XML 1.0 forbids) stay in XML, which feed-rs reads anyway, so that the feed's
/// fields can drop each escape sequence whole rather than leave `[31m` behind
/// (see `feed::text`); JSON cannot hold them raw, so there they are removed.
fn finish(utf8: Cow<'_, [u8]>) -> Cow<'_, [u8]> {
    let utf8 = match prolog_encoding(&utf8) {
        Some(label) if !label.eq_ignore_ascii_case("utf-8") => {
            Cow::Owned(replace_declared_encoding(&utf8))
        }
        _ => utf8,
    };
    let is_xml = utf8.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
    if !is_xml
        && utf8
            .iter()
            .any(|&b| b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r')
    {
        let cleaned: Vec<u8> = utf8
            .iter()
            .copied()
            .filter(|&b| b >= 0x20 || b == b'\t' || b == b'\n' || b == b'\r')
            .collect();
        return Cow::Owned(cleaned);
    }
    utf8
}

/// The `encoding` pseudo-attribute of a leading `<?xml … ?>`, if any.
pub fn prolog_encoding(body: &[u8]) -> Option<String> {
    let (start, end) = prolog_span(body)?;
    let decl = std::str::from_utf8(&body[start..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    let close = value.find(quote)?;
    Some(value[..close].trim().to_string())
}

/// Byte range of the `<?xml … ?>` declaration when the document starts with one
/// (after optional whitespace).
fn prolog_span(body: &[u8]) -> Option<(usize, usize)> {
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    if !body[start..].starts_with(b"<?xml") {
        return None;
    }
    let len = body[start..]
        .windows(2)
        .take(512)
        .position(|w| w == b"?>")?;
    Some((start, start + len + 2))
}

fn replace_declared_encoding(utf8: &[u8]) -> Vec<u8> {
    let Some((start, end)) = prolog_span(utf8) else {
        return utf8.to_vec();
    };
    let mut out = Vec::with_capacity(utf8.len());
    out.extend_from_slice(&utf8[..start]);
    out.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.extend_from_slice(&utf8[end..]);
    out
}

/// The `charset` parameter of a Content-Type header value.
pub fn charset_from_content_type(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim().eq_ignore_ascii_case("charset").then(|| {
            value
                .trim()
                .trim_matches('"')
                .trim_matches('\'')
                .to_string()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::WINDOWS_1252;

    #[test]
    fn windows_1256_by_http_charset_when_no_prolog() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode("<rss>خبر</rss>");
        let out = to_utf8(&bytes, Some("windows-1256"));
        assert_eq!(std::str::from_utf8(&out).unwrap(), "<rss>خبر</rss>");
    }

    #[test]
    fn prolog_wins_over_http_charset_and_is_rewritten() {
        let text = "<?xml version=\"1.0\" encoding=\"windows-1256\"?><rss>خبر</rss>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(text);
        let out = to_utf8(&bytes, Some("iso-8859-1"));
        let out = std::str::from_utf8(&out).unwrap();
        assert!(out.contains("<rss>خبر</rss>"), "{out}");
        assert!(out.contains("encoding=\"UTF-8\""), "{out}");
    }

    #[test]
    fn bom_wins_over_everything() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<?xml version='1.0' encoding='iso-8859-1'?><a>é</a>".as_bytes());
        let out = to_utf8(&bytes, Some("windows-1256"));
        assert!(std::str::from_utf8(&out).unwrap().ends_with("<a>é</a>"));
    }

    #[test]
    fn mislabelled_utf8_stays_utf8() {
        let text = "<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>€</a>";
        let out = to_utf8(text.as_bytes(), None);
        assert!(std::str::from_utf8(&out).unwrap().ends_with("<a>€</a>"));
    }

    #[test]
    fn utf8_without_changes_is_borrowed() {
        let text = "<?xml version=\"1.0\" encoding=\"utf-8\"?><a>خبر</a>";
        assert!(matches!(to_utf8(text.as_bytes(), None), Cow::Borrowed(_)));
    }

    #[test]
    fn control_characters_are_dropped_from_json_only() {
        let out = to_utf8(b"{\"a\": \"x\x0By\"}", None);
        assert_eq!(&*out, b"{\"a\": \"xy\"}");
        let out = to_utf8(b"<a>x\x1b[1my</a>", None);
        assert_eq!(&*out, b"<a>x\x1b[1my</a>", "removed whole, field by field");
    }

    #[test]
    fn unlabelled_legacy_bytes_use_the_language_encoding() {
        let cases = [
            ("fa-IR", "خبر روز", WINDOWS_1256),
            ("ar", "خبر", WINDOWS_1256),
            ("ru", "Новости дня", WINDOWS_1251),
            ("de", "Grüße aus Köln", WINDOWS_1252),
        ];
        for (language, text, encoding) in cases {
            let xml = format!(
                "<rss><channel><language>{language}</language><title>{text}</title></channel></rss>"
            );
            let (bytes, _, _) = encoding.encode(&xml);
            let out = to_utf8(&bytes, None);
            assert_eq!(std::str::from_utf8(&out).unwrap(), xml, "{language}");
        }
        let atom =
            "<feed xmlns='http://www.w3.org/2005/Atom' xml:lang='fa'><title>خبر</title></feed>";
        let (bytes, _, _) = WINDOWS_1256.encode(atom);
        assert_eq!(std::str::from_utf8(&to_utf8(&bytes, None)).unwrap(), atom);
    }

    /// Issue 8: undeclared legacy bytes with no language to go by are sniffed.
    #[test]
    fn undeclared_legacy_bytes_are_sniffed() {
        let cases = [
            (
                encoding_rs::WINDOWS_1255,
                "חדשות היום: הממשלה אישרה את התקציב החדש לשנה הבאה",
            ),
            (
                encoding_rs::WINDOWS_1253,
                "Ειδήσεις της ημέρας: η κυβέρνηση ενέκρινε τον νέο προϋπολογισμό",
            ),
            (
                encoding_rs::KOI8_R,
                "Новости дня: правительство утвердило новый бюджет на следующий год",
            ),
            (
                WINDOWS_1252,
                "Grüße aus Köln: die Stadtverwaltung hat den Haushalt für das nächste Jahr beschlossen",
            ),
        ];
        for (encoding, text) in cases {
            let xml = format!(
                "<rss><channel><title>{text}</title><item><title>{text}</title></item></channel></rss>"
            );
            let (bytes, _, _) = encoding.encode(&xml);
            let out = to_utf8(&bytes, None);
            assert_eq!(
                std::str::from_utf8(&out).unwrap(),
                xml,
                "{}",
                encoding.name()
            );
        }
    }

    #[test]
    fn mostly_utf8_with_a_broken_byte_stays_utf8() {
        let mut bytes = "<rss><channel><language>en</language><title>خبر فارسی"
            .as_bytes()
            .to_vec();
        bytes.push(0xFF);
        bytes.extend_from_slice("</title></channel></rss>".as_bytes());
        let out = to_utf8(&bytes, None);
        let out = std::str::from_utf8(&out).unwrap();
        assert!(out.contains("<title>خبر فارسی\u{fffd}</title>"), "{out}");
    }

    #[test]
    fn charset_parameter() {
        assert_eq!(
            charset_from_content_type("application/rss+xml; charset=\"Windows-1256\"").as_deref(),
            Some("Windows-1256")
        );
        assert_eq!(charset_from_content_type("text/xml"), None);
    }
}
