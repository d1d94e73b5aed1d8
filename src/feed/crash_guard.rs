//! Keeps a panic inside feed-rs from costing more than one feed, and avoids the
//! one panic we know of.
//!
//! feed-rs 3.0 splits an author line ("editor@site.ir (Editor)") into name and
//! address by slicing one *byte* either side of the address it matched. When
//! a non-ASCII character touches the address, as in Persian
//! "editor@site.ir، سردبیر", that byte is inside the character and the slice
//! panics, failing the whole feed (and, before the guard, smearing the reader's
//! screen with a panic message). [`space_emails`] puts a space between such an
//! address and the character, which changes nothing a reader sees. [`catch`]
//! turns any other panic in the parser into an error for that feed, and
//! [`inside`] lets the panic hooks stay quiet for panics that are caught here.

use std::borrow::Cow;
use std::cell::Cell;
use std::panic::AssertUnwindSafe;

thread_local! {
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// True while this thread runs parser code under [`catch`]: a panic now is
/// caught and reported as a feed error, so a panic hook should only log it.
pub fn inside() -> bool {
    GUARDED.with(Cell::get)
}

/// Runs `parse`, turning a panic into its message.
pub fn catch<T>(parse: impl FnOnce() -> T) -> Result<T, String> {
    let was = GUARDED.with(|g| g.replace(true));
    let result = std::panic::catch_unwind(AssertUnwindSafe(parse));
    GUARDED.with(|g| g.set(was));
    result.map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
            .unwrap_or_else(|| "panic".into())
    })
}

/// Bytes of the local part of an address, as feed-rs's pattern reads them.
fn local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// Bytes of the domain of an address.
fn domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// Where a space goes so that no address touches a non-ASCII character:
/// before the address's first byte and after its last.
fn space_positions(doc: &[u8]) -> Vec<usize> {
    let mut positions = Vec::new();
    let mut from = 0;
    // memchr, not a byte loop: every feed body passes here (issue 7).
    while let Some(offset) = memchr::memchr(b'@', &doc[from..]) {
        let at = from + offset;
        from = at + 1;
        let mut start = at;
        while start > 0 && local_byte(doc[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < doc.len() && domain_byte(doc[end]) {
            end += 1;
        }
        if start == at || end == at + 1 {
            continue;
        }
        // A non-ASCII byte, or the end of a character reference (`&#1548;`)
        // before, or its start after (`&#1548;`, JSON's `\u060c`): once
        // decoded, a multi-byte character touches the address.
        if start > 0 && (doc[start - 1] >= 0x80 || doc[start - 1] == b';') {
            positions.push(start);
        }
        if end < doc.len() && (doc[end] >= 0x80 || matches!(doc[end], b'&' | b'\\')) {
            positions.push(end);
        }
        from = end.max(from);
    }
    positions.dedup();
    positions
}

/// `doc` with a space between any e-mail address and a non-ASCII character
/// that touches it (borrowed unchanged when there is none, as in most feeds).
pub fn space_emails(doc: &[u8]) -> Cow<'_, [u8]> {
    let positions = space_positions(doc);
    if positions.is_empty() {
        return Cow::Borrowed(doc);
    }
    let mut out = Vec::with_capacity(doc.len() + positions.len());
    let mut last = 0;
    for at in positions {
        out.extend_from_slice(&doc[last..at]);
        out.push(b' ');
        last = at;
    }
    out.extend_from_slice(&doc[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_touching_non_ascii_get_a_space() {
        let doc = "<a>editor@site.ir، سردبیر</a><b>خبر،info@x.com</b>".as_bytes();
        let spaced = space_emails(doc);
        assert_eq!(
            std::str::from_utf8(&spaced).unwrap(),
            "<a>editor@site.ir ، سردبیر</a><b>خبر، info@x.com</b>"
        );
    }

    #[test]
    fn addresses_touching_character_references_get_a_space() {
        let doc = br#"<a>&#1548;news@site.ir&#1548;</a>{"name":"a@b.ir\u060c x"}"#;
        let spaced = space_emails(doc);
        assert_eq!(
            std::str::from_utf8(&spaced).unwrap(),
            r#"<a>&#1548; news@site.ir &#1548;</a>{"name":"a@b.ir \u060c x"}"#
        );
    }

    #[test]
    fn documents_without_such_addresses_are_borrowed() {
        for doc in [
            "<a>editor@site.ir (Editor)</a>",
            "<a>@ alone</a>",
            "no at sign ، here",
        ] {
            assert!(matches!(space_emails(doc.as_bytes()), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn a_caught_panic_is_its_message_and_the_flag_is_reset() {
        assert!(!inside());
        let result: Result<(), String> = catch(|| {
            assert!(inside());
            panic!("boom")
        });
        assert_eq!(result, Err("boom".to_string()));
        assert!(!inside());
        assert_eq!(catch(|| 7), Ok(7));
    }
}
