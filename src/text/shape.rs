//! Optional Arabic-script shaping: letters become their contextual presentation
//! forms (ar-reshaper) for terminals that draw every letter isolated.
//!
//! ar-reshaper is configured to keep harakat (its default deletes them, including
//! the Persian ezafe in `نسخهٔ`) and not to form the Allah ligature (a wide glyph).
//! It is fed only runs of Arabic-block characters: ZWJ and leading harakat confuse
//! its bookkeeping (a leading haraka panics, ZWJ shifts its ligature indices), and
//! everything else breaks joining anyway, so nothing is lost by splitting there.

use std::sync::OnceLock;

use ar_reshaper::{ArabicReshaper, ReshaperConfig, prelude::LigatureNames};

fn reshaper() -> &'static ArabicReshaper {
    static RESHAPER: OnceLock<ArabicReshaper> = OnceLock::new();
    RESHAPER.get_or_init(|| {
        let mut config = ReshaperConfig {
            delete_harakat: false,
            ..ReshaperConfig::default()
        };
        config.update_ligature(LigatureNames::ARABIC_LIGATURE_ALLAH, false);
        ArabicReshaper::new(config)
    })
}

/// Characters ar-reshaper may join or attach: the Arabic blocks.
fn is_arabic_block(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}')
}

/// Harakat as ar-reshaper recognises them (it attaches them to the previous letter).
fn is_haraka(c: char) -> bool {
    matches!(
        c,
        '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06DC}'
            | '\u{06DF}'..='\u{06E8}'
            | '\u{06EA}'..='\u{06ED}'
            | '\u{08D4}'..='\u{08FF}'
    )
}

/// Shapes `text` (logical order); text without Arabic letters is returned as is.
pub fn shape(text: &str) -> String {
    if !text.chars().any(is_arabic_block) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest.find(is_arabic_block).unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest
            .find(|c: char| !is_arabic_block(c))
            .unwrap_or(rest.len());
        let segment = &rest[..end];
        // A segment that starts with harakat: keep them as they are (nothing to
        // attach to), shape the rest.
        let body_start = segment
            .find(|c: char| !is_haraka(c))
            .unwrap_or(segment.len());
        out.push_str(&segment[..body_start]);
        if body_start < segment.len() {
            out.push_str(&reshaper().reshape(&segment[body_start..]));
        }
        rest = &rest[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_persian_letters_and_lam_alef() {
        assert_eq!(shape("سلام"), "\u{FEB3}\u{FEFC}\u{FEE1}");
        assert_eq!(shape("دنیا"), "\u{FEA9}\u{FEE7}\u{FBFF}\u{FE8E}");
    }

    #[test]
    fn keeps_harakat_ezafe_and_zwnj() {
        let shaped = shape("نسخهٔ کتاب\u{200C}ها");
        assert!(shaped.contains('\u{0654}'));
        assert!(shaped.contains('\u{200C}'));
        assert_eq!(shape("كَتَبَ").chars().filter(|c| is_haraka(*c)).count(), 3);
    }

    #[test]
    fn no_allah_ligature() {
        assert!(!shape("الله").contains('\u{FDF2}'));
    }

    #[test]
    fn leading_marks_and_zwj_do_not_panic() {
        assert_eq!(shape("\u{064E}"), "\u{064E}");
        assert!(shape("\u{064E}\u{0651}ب").ends_with('\u{FE8F}'));
        let _ = shape("ل\u{200D}ا \u{200D}لا\u{200D}");
        let _ = shape(" \u{0670}لا");
    }

    #[test]
    fn latin_untouched() {
        assert_eq!(shape("iOS 18.1"), "iOS 18.1");
    }
}
