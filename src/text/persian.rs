//! Persian text helpers: the search key that makes Arabic and Persian spellings,
//! harakat, ZWNJ and digit forms compare equal, and Persian digits for display.

use unicode_normalization::UnicodeNormalization;

/// Normalises text for searching: NFKC (folds presentation forms), Arabic Yeh and
/// Alef Maksura to Persian Yeh, Arabic Kaf to Keheh, Heh with Yeh and Teh Marbuta to
/// Heh, harakat / tatweel / ZWNJ / ZWJ / bidi controls dropped, Persian and
/// Arabic-Indic digits to ASCII, lowercase.
/// `search_key("كتاب عربي") == search_key("کتاب عربی")`.
pub fn search_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkc() {
        match c {
            'ي' | 'ى' => out.push('ی'),
            'ك' => out.push('ک'),
            'ۀ' | 'ة' => out.push('ه'),
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => {}
            '\u{200C}' | '\u{200D}' => {}
            c if super::sanitize::is_bidi_control(c) => {}
            '\u{06F0}'..='\u{06F9}' => out.push(ascii_digit(c as u32 - 0x06F0)),
            '\u{0660}'..='\u{0669}' => out.push(ascii_digit(c as u32 - 0x0660)),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn ascii_digit(value: u32) -> char {
    char::from_digit(value, 10).unwrap_or('0')
}

/// Replaces ASCII digits with Persian digits (U+06F0..06F9); everything else is kept.
pub fn to_persian_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => char::from_u32(0x06F0 + d).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Digits as the reader asks for them: Persian when `persian`, else `text` as it is.
/// The one place the interface switches digits (counts, dates, percentages).
pub fn localize_digits(text: String, persian: bool) -> String {
    if persian {
        to_persian_digits(&text)
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_and_persian_spellings_match() {
        assert_eq!(search_key("كتاب عربي"), search_key("کتاب عربی"));
        assert_eq!(search_key("می\u{200C}خواهم"), search_key("میخواهم"));
        assert_eq!(search_key("۱۴۰۳"), "1403");
        assert_eq!(search_key("١٤٠٣"), "1403");
        assert_eq!(search_key("خانهٔ"), search_key("خانه"));
        assert_eq!(search_key("مدرسة"), search_key("مدرسه"));
        assert_eq!(search_key("Apple iOS"), "apple ios");
    }

    #[test]
    fn presentation_forms_and_harakat_fold() {
        // ﻡﻼﺳ is سلام in presentation forms (logical order), with a lam-alef ligature.
        assert_eq!(search_key("\u{FEB3}\u{FEFC}\u{FEE1}"), search_key("سلام"));
        assert_eq!(search_key("كَتَبَ"), search_key("کتب"));
        assert_eq!(search_key("خبرـــها"), search_key("خبرها"));
        assert_eq!(search_key("\u{202B}خبر\u{202C}"), "خبر");
    }

    #[test]
    fn persian_digits() {
        assert_eq!(to_persian_digits("1403/07/15"), "۱۴۰۳/۰۷/۱۵");
        assert_eq!(to_persian_digits("a9 ۵"), "a۹ ۵");
    }
}
