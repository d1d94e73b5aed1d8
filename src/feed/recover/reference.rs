//! References (`&amp;`, `&#38;`, `&name;`) and XML's character classes.

pub(super) enum Reference<'a> {
    Char(char),
    /// A numeric reference to no character at all (a surrogate, above U+10FFFF).
    BadChar,
    Named(&'a str),
}

/// A reference at the start of `text` (which starts with `&`): its length and
/// what it refers to, or `None` if it is no reference.
pub(super) fn parse_reference(text: &str) -> Option<(usize, Reference<'_>)> {
    let body = &text[1..];
    let semi = body.bytes().take(40).position(|b| b == b';')?;
    let inner = &body[..semi];
    let len = semi + 2;
    if let Some(number) = inner.strip_prefix('#') {
        let value = match number.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).ok()
            }
            None if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => {
                number.parse::<u32>().ok()
            }
            _ => return None,
        };
        return Some((
            len,
            value
                .and_then(char::from_u32)
                .map_or(Reference::BadChar, Reference::Char),
        ));
    }
    let mut chars = inner.chars();
    let valid = chars.next().is_some_and(is_name_start) && chars.all(is_name_char);
    valid.then_some((len, Reference::Named(inner)))
}

/// Characters XML 1.0 allows.
pub(super) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

pub(super) fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':' || (!c.is_ascii() && !c.is_whitespace())
}

pub(super) fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == '-' || c == '.'
}

pub(super) fn predefined(name: &str) -> &'static str {
    match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        _ => "'",
    }
}

/// Text made safe to put between tags.
pub(super) fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;")
}
