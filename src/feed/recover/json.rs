//! The JSON half of recovery: lone UTF-16 surrogate escapes, which serde
//! rejects, become `\ufffd`.

use super::{Recovered, Repairs};

/// A JSON Feed with lone surrogate escapes: each becomes `\ufffd`.
pub(super) fn recover_json(text: &str) -> Option<Recovered> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut repairs = Repairs::default();
    let mut i = 0;
    let mut last = 0;
    let hex_at = |at: usize| -> Option<u32> {
        let digits = text.get(at..at + 4)?;
        u32::from_str_radix(digits, 16).ok()
    };
    let is_escape_u = |at: usize| bytes.get(at) == Some(&b'\\') && bytes.get(at + 1) == Some(&b'u');
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) != Some(&b'u') {
            i += 2;
            continue;
        }
        let Some(unit) = hex_at(i + 2) else {
            i += 2;
            continue;
        };
        match unit {
            0xD800..=0xDBFF => {
                let low = is_escape_u(i + 6)
                    .then(|| hex_at(i + 8))
                    .flatten()
                    .filter(|u| (0xDC00..=0xDFFF).contains(u));
                if low.is_some() {
                    i += 12;
                    continue;
                }
            }
            0xDC00..=0xDFFF => {}
            _ => {
                i += 6;
                continue;
            }
        }
        out.push_str(&text[last..i]);
        out.push_str("\\ufffd");
        repairs.lone_surrogates += 1;
        i += 6;
        last = i;
    }
    if repairs.lone_surrogates == 0 {
        return None;
    }
    out.push_str(&text[last..]);
    Some(Recovered {
        body: out.into_bytes(),
        repairs,
    })
}
