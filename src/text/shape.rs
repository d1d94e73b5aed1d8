//! Optional Arabic-script shaping: letters become their contextual presentation
//! forms (ar-reshaper) for terminals that draw every letter isolated.
//!
//! ar-reshaper is configured to keep harakat (its default deletes them, including
//! the Persian ezafe in `نسخهٔ`) and not to form the Allah ligature (a wide glyph).
//! Text is cut at ZWJ before it goes in (ar-reshaper drops some ZWJs from its
//! output, which shifts its ligature indices) and leading harakat are kept out
//! (ar-reshaper panics on a haraka with no letter before it).

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
    for (i, piece) in text.split('\u{200D}').enumerate() {
        if i > 0 {
            out.push('\u{200D}');
        }
        // Harakat with nothing before them to attach to stay as they are.
        let body_start = piece.find(|c: char| !is_haraka(c)).unwrap_or(piece.len());
        out.push_str(&piece[..body_start]);
        let body = &piece[body_start..];
        if body.chars().any(is_arabic_block) {
            out.push_str(&reshaper().reshape(body));
        } else {
            out.push_str(body);
        }
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
