//! Recognising a link that is already in the form the `url` crate would write
//! it, so that it can be kept as it is instead of parsed and written again.
//!
//! Nearly every item link in real feeds is an absolute `http(s)` URL in plain
//! ASCII, already normalised (lower-case scheme and host, no default port, no
//! dot segments, nothing to percent-encode). Parsing one with `Url::parse` and
//! serialising it costs ~6,500 instructions (host parsing with IDNA, the
//! serialiser's allocations), and a first refresh did it twice per item (the
//! fast XML path's `Link::new` and normalisation): 3 % of a refresh's
//! instructions (issue 7). [`is_canonical_http_url`] accepts only a strict
//! subset of such URLs, where `Url::parse(s)` certainly succeeds and gives `s`
//! back byte for byte; anything else (IDNA, IPv6, odd ports, percent-encoded
//! dots, characters the parser would encode) says `false`, and the caller
//! parses as before. The tests check the promise against the `url` crate.

/// True only when `Url::parse(url)` succeeds and serialises to exactly `url`
/// (checked conservatively: `false` says nothing).
pub(crate) fn is_canonical_http_url(url: &str) -> bool {
    let (rest, default_port) = if let Some(rest) = url.strip_prefix("https://") {
        (rest, "443")
    } else if let Some(rest) = url.strip_prefix("http://") {
        (rest, "80")
    } else {
        return false;
    };
    let bytes = rest.as_bytes();
    // The authority ends at the path's '/', which the serialiser always writes.
    let Some(slash) = memchr::memchr(b'/', bytes) else {
        return false;
    };
    let authority = &rest[..slash];
    let (host, port) = match memchr::memchr(b':', authority.as_bytes()) {
        Some(colon) => (&authority[..colon], Some(&authority[colon + 1..])),
        None => (authority, None),
    };
    // The last label starts with a digit for an address, a letter for a name.
    let last_label = host.rsplit('.').next().unwrap_or_default();
    let host_ok = if last_label.starts_with(|c: char| c.is_ascii_digit()) {
        is_dotted_quad(host)
    } else {
        is_plain_domain(host)
    };
    if !host_ok {
        return false;
    }
    if let Some(port) = port
        && !is_canonical_port(port, default_port)
    {
        return false;
    }
    let after_host = &rest[slash..];
    let (path, query_and_fragment) = match memchr::memchr2(b'?', b'#', after_host.as_bytes()) {
        Some(at) => after_host.split_at(at),
        None => (after_host, ""),
    };
    is_plain_path(path) && is_plain_query_and_fragment(query_and_fragment)
}

/// Lower-case ASCII labels of letters, digits and inner hyphens, the last
/// starting with a letter (so that it is not read as an IPv4 number), none
/// an IDNA `xx--` label, none empty (no trailing dot).
fn is_plain_domain(host: &str) -> bool {
    let mut labels = host.split('.').peekable();
    while let Some(label) = labels.next() {
        let b = label.as_bytes();
        let plain = !b.is_empty()
            && b.iter()
                .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
            && b.get(2..4) != Some(b"--");
        if !plain {
            return false;
        }
        if labels.peek().is_none() && !b[0].is_ascii_lowercase() {
            return false;
        }
    }
    true
}

/// Four decimal numbers 0..=255 without leading zeros: the form the serialiser
/// writes an IPv4 address in.
fn is_dotted_quad(host: &str) -> bool {
    let mut parts = 0;
    for part in host.split('.') {
        parts += 1;
        if parts > 4 || !is_canonical_number(part, 255) {
            return false;
        }
    }
    parts == 4
}

/// A port the serialiser keeps as written: not the scheme's default.
fn is_canonical_port(port: &str, default_port: &str) -> bool {
    port != default_port && is_canonical_number(port, 65_535)
}

/// ASCII digits without a leading zero (but "0"), at most `max`.
fn is_canonical_number(text: &str, max: u32) -> bool {
    let b = text.as_bytes();
    !b.is_empty()
        && b.len() <= 5
        && b.iter().all(u8::is_ascii_digit)
        && (b[0] != b'0' || b.len() == 1)
        && text.parse::<u32>().is_ok_and(|n| n <= max)
}

/// Characters every part after the host keeps unencoded and unchanged.
fn is_plain_byte(b: u8) -> bool {
    PLAIN[usize::from(b)]
}

/// [`is_plain_byte`] as a table: the checks run on every byte of every link.
static PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
                    | b'/'
            );
        b += 1;
    }
    table
};

/// A path of plain characters, `%` only before two hex digits that do not
/// spell a dot, and no `.` or `..` segment (which the parser would remove).
fn is_plain_path(path: &str) -> bool {
    let b = path.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            let Some(&[hi, lo]) = b.get(i + 1..i + 3) else {
                return false;
            };
            if !hi.is_ascii_hexdigit()
                || !lo.is_ascii_hexdigit()
                || (hi == b'2' && lo.eq_ignore_ascii_case(&b'e'))
            {
                return false;
            }
        } else if !is_plain_byte(c) {
            return false;
        } else if c == b'.' && b[i - 1] == b'/' {
            // `i > 0`: a path starts with '/'. A segment of dots only?
            let dots = b[i..].iter().take_while(|&&d| d == b'.').count();
            if dots <= 2 && b.get(i + dots).is_none_or(|&next| next == b'/') {
                return false;
            }
        }
        i += 1;
    }
    true
}

/// `?query` and/or `#fragment` of plain characters (and `?`, `%`, one `#`).
fn is_plain_query_and_fragment(text: &str) -> bool {
    let mut hashes = 0;
    text.bytes().all(|c| {
        hashes += usize::from(c == b'#');
        (is_plain_byte(c) || c == b'?' || c == b'%' || c == b'#') && hashes <= 1
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use url::Url;

    use super::*;

    fn check(url: &str) {
        if is_canonical_http_url(url) {
            let parsed = Url::parse(url).map(|u| u.to_string());
            assert_eq!(parsed.as_deref(), Ok(url), "{url:?} is not canonical");
        }
    }

    #[test]
    fn common_links_are_recognised() {
        for url in [
            "https://example.com/",
            "http://127.0.0.1:18250/a/0/0",
            "https://www.bbc.com/persian/articles/c4g0ne0y8z8o?at_medium=RSS&at_campaign=rss",
            "https://news.ycombinator.com/item?id=42#top",
            "https://fa.wikipedia.org/wiki/%D8%AE%D8%A8%D8%B1",
            "http://a-b.c0m.example:8080/x;y=1/z~w_(1)/",
        ] {
            assert!(is_canonical_http_url(url), "{url}");
            check(url);
        }
    }

    #[test]
    fn anything_the_parser_would_change_is_not_recognised() {
        for url in [
            "https://example.com",
            "https://example.com?x",
            "HTTPS://example.com/",
            "https://Example.com/",
            "https://example.com:443/",
            "http://example.com:80/",
            "http://example.com:080/",
            "http://example.com:/",
            "http://example.com:99999/",
            "https://example.com./",
            "https://a..b/",
            "https://xn--mgbaam.example/",
            "https://-a.example/",
            "https://0x7f.1/",
            "https://1.2.3/",
            "https://1.2.3.4.5/",
            "https://01.2.3.4/",
            "https://256.2.3.4/",
            "https://999/",
            "https://a.b.123/",
            "https://user@example.com/",
            "https://example.com/a/./b",
            "https://example.com/a/../b",
            "https://example.com/a/..",
            "https://example.com/%2e/b",
            "https://example.com/%2E%2e/b",
            "https://example.com/a b",
            "https://example.com/a\\b",
            "https://example.com/a'b",
            "https://example.com/a%zz",
            "https://example.com/a?b'c",
            "https://example.com/a#b#c",
            "https://example.com/خبر",
            "https://example.com/a|b",
            "https://example.com/a^b",
            "https://example.com/a\tb",
            " https://example.com/",
            "https://[::1]/",
            "ftp://example.com/",
        ] {
            assert!(!is_canonical_http_url(url), "{url}");
        }
    }

    #[test]
    fn every_fixture_link_agrees_with_the_url_crate() {
        let mut recognised = 0;
        for path in crate::feed::test_fixtures::files() {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            for start in text.match_indices("http").map(|(i, _)| i) {
                let candidate: String = text[start..]
                    .chars()
                    .take_while(|c| !matches!(c, '"' | '<' | '>' | ' ' | '\n'))
                    .collect();
                check(&candidate);
                recognised += usize::from(is_canonical_http_url(&candidate));
            }
        }
        assert!(recognised > 1_000, "{recognised}");
    }

    proptest! {
        #[test]
        fn recognised_urls_are_what_the_url_crate_writes(
            url in "(https?|HTTP|ftp)://[a-z0-9A-Z.:@\\[\\]-]{0,14}(/[a-zA-Z0-9._~%/?#:;=&@!$'|^\\\\ -]{0,16})?"
        ) {
            check(&url);
        }

        #[test]
        fn recognised_paths_are_what_the_url_crate_writes(
            path in "[a-zA-Z0-9._~%/?#:;=&@!$'|^()*+,2eE-]{0,20}"
        ) {
            check(&format!("https://example.com/{path}"));
            check(&format!("http://10.0.0.1:8080/{path}"));
        }
    }
}
