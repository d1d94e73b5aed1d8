//! Telling a web page from binary data before it is read as one.
//!
//! A link may lead to a PDF, an image or an archive that its server sends with
//! no `Content-Type`, or as `text/html`; `khabar extract` may be given any file,
//! and `khabar add` any address. Decoded as text, such bytes made a "story" of
//! replacement characters that was stored, indexed for search and shown, and
//! `add` called a PDF "a web page that advertises no feeds". A feed is judged
//! by its bytes only once it failed to parse (`FeedError::Binary`). The rules are those of the WHATWG
//! MIME Sniffing standard (section 7.1, "binary data byte", and the signatures
//! of 6.1 and 6.2), on the first bytes only, so a page's cost does not grow with
//! its size.

/// How many leading bytes are looked at (the standard's "resource header").
const HEADER: usize = 1_445;

/// Well-known signatures of what links to binary files usually are, with what
/// to call them in the error.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b\x08", "gzip data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"OggS\x00", "Ogg audio or video"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"\x7fELF", "a program"),
];

/// Binary data bytes other than NUL a header may hold and still be read as a
/// page: stray control characters do turn up in pages that CMSs wrote (a
/// browser shows such a page), while random or compressed data has about one
/// in ten (some 140 in a header).
const STRAY_CONTROLS: usize = 16;

/// What `bytes` are when they are certainly not a page: a known binary
/// signature, or in the first [`HEADER`] bytes a NUL or more than
/// [`STRAY_CONTROLS`] of the standard's other binary data bytes. `None` for
/// anything that may be text, UTF-16 with its byte order mark included.
pub fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    // RIFF containers: WebP images, WAV audio, AVI video.
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") {
        return Some(match &bytes[8..12] {
            b"WEBP" => "a WebP image",
            b"WAVE" => "WAV audio",
            b"AVI " => "AVI video",
            _ => "a RIFF file",
        });
    }
    // ISO media (MP4, MOV, HEIC, AVIF): a box size, then "ftyp".
    if bytes.len() >= 8 && &bytes[4..8] == b"ftyp" {
        return Some("an MP4 or QuickTime file");
    }
    if let Some((_, kind)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Some(kind);
    }
    // UTF-16 text is full of NUL bytes: its byte order mark says so (the page
    // decoder honours it).
    if bytes.starts_with(b"\xfe\xff") || bytes.starts_with(b"\xff\xfe") {
        return None;
    }
    let header = &bytes[..bytes.len().min(HEADER)];
    let controls = header.iter().filter(|&&b| is_binary_data_byte(b)).count();
    (header.contains(&0) || controls > STRAY_CONTROLS).then_some("binary data")
}

/// The standard's binary data bytes: control characters other than tab, line
/// feed, form feed, carriage return and escape.
fn is_binary_data_byte(byte: u8) -> bool {
    matches!(byte, 0x00..=0x08 | 0x0b | 0x0e..=0x1a | 0x1c..=0x1f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_in_any_encoding_are_not_binary() {
        for page in [
            &b"<!doctype html><html><body><p>text</p></body></html>"[..],
            "<html dir=\"rtl\"><p>متن\u{200c}ها «خبر»</p>\t\r\n\x0c\x1b</html>".as_bytes(),
            b"\xef\xbb\xbf<html><p>with a BOM</p></html>",
            b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00",
            b"\xfe\xff\x00<\x00h\x00t\x00m\x00l\x00>",
            b"<html><meta charset=windows-1256><p>\xc7\xe1\xce\xc8\xd1</p></html>",
            b"",
            b"plain text, no markup",
        ] {
            assert_eq!(binary_kind(page), None, "{page:?}");
        }
    }

    #[test]
    fn signatures_name_what_the_file_is() {
        assert_eq!(binary_kind(b"%PDF-1.7\n%\xe2\xe3"), Some("a PDF document"));
        assert_eq!(
            binary_kind(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("a PNG image")
        );
        assert_eq!(binary_kind(b"RIFF\0\0\0\0WEBPVP8 "), Some("a WebP image"));
        assert_eq!(
            binary_kind(b"\0\0\0\x20ftypisom\0\0\x02\0"),
            Some("an MP4 or QuickTime file")
        );
        assert_eq!(
            binary_kind(b"\xff\xd8\xff\xe0\0\x10JFIF"),
            Some("a JPEG image")
        );
    }

    #[test]
    fn a_control_byte_in_the_header_is_binary_and_one_after_it_is_not() {
        let mut bytes = b"<html><p>".to_vec();
        bytes.extend(std::iter::repeat_n(b'a', 2_000));
        assert_eq!(binary_kind(&bytes), None);
        bytes[1_444] = 0;
        assert_eq!(binary_kind(&bytes), Some("binary data"));
        bytes[1_444] = b'a';
        bytes[1_445] = 0;
        assert_eq!(binary_kind(&bytes), None, "only the header is looked at");
    }

    #[test]
    fn a_few_stray_controls_are_a_page_and_many_are_binary() {
        let mut page = "<html><p>a bell \x07 and a vertical tab \x0b</p>"
            .as_bytes()
            .to_vec();
        assert_eq!(binary_kind(&page), None);
        for byte in [0x01, 0x08, 0x0b, 0x0e, 0x1a, 0x1c, 0x1f] {
            page.extend([byte, byte]);
        }
        // 2 + 14 = 16: still a page; one more is not.
        assert_eq!(binary_kind(&page), None);
        page.push(0x02);
        assert_eq!(binary_kind(&page), Some("binary data"));
        assert_eq!(binary_kind(b"<html>\0</html>"), Some("binary data"));
    }

    #[test]
    fn random_bytes_are_binary() {
        // A fixed xorshift stream: no two runs differ.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut seen = 0;
        for _ in 0..200 {
            let bytes: Vec<u8> = (0..4_096)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 32) as u8
                })
                .collect();
            seen += usize::from(binary_kind(&bytes).is_some());
        }
        assert_eq!(seen, 200);
    }
}
