//! Hostile-text sanitising: feed text may carry terminal escape sequences, C0/C1
//! controls and bidi overrides. Nothing of that may reach the terminal.
//!
//! The same rules serve every output: feed text stored at ingest, the reader's
//! cells, the CLI's lines and its `--json` lines ([`is_terminal_unsafe`] says
//! which characters those escape).
//!
//! Removed everywhere: escape sequences whole (CSI, OSC including OSC 8 and 52,
//! DCS, SOS, PM, APC), C0/DEL/C1 controls, the byte-order mark, interlinear
//! annotation controls (U+FFF9..FFFB), the deprecated format controls
//! (U+206A..206F) and tag characters (U+E0000..E007F). Storms of zero-width
//! characters (combining marks, joiners, format characters) are cut to
//! [`MAX_ZERO_WIDTH_RUN`] in a row, so no input can make one screen cell
//! arbitrarily expensive.
//!
//! Two flavours: [`clean_inline`] for one-line text printed as is (CLI listings,
//! status lines), which also drops bidi controls; and [`clean_paragraph`] for text
//! that goes through the layout engine, which keeps bidi controls so the bidi
//! algorithm resolves them inside their own paragraph (the engine never prints them).

/// Explicit bidi embedding, override and isolate controls (U+202A..202E, U+2066..2069).
pub fn is_bidi_embedding_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Any bidi formatting character, including the marks LRM, RLM and ALM.
pub fn is_bidi_control(c: char) -> bool {
    is_bidi_embedding_control(c) || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// C0, DEL and C1 control characters.
fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
}

/// Invisible format characters that no text needs shown and some terminals act
/// on or draw as boxes: the byte-order mark, interlinear annotation controls,
/// the deprecated format controls (symmetric swapping, shaping, digit shapes)
/// and tag characters.
fn is_removed_format(c: char) -> bool {
    matches!(
        c,
        '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{206A}'..='\u{206F}' | '\u{E0000}'..='\u{E007F}'
    )
}

/// Zero-width characters in a row kept at most (the rest of the run is dropped).
/// 30 is Unicode's stream-safe limit on non-starters in a row (UAX #15): real
/// text in any script stays well below it; "Zalgo" storms and 300,000 U+200B
/// in a title do not.
pub const MAX_ZERO_WIDTH_RUN: usize = 30;

/// Characters that take no cell of their own: combining marks, joiners, zero-width
/// spaces and other format characters, variation selectors, the soft hyphen.
pub fn is_zero_width(c: char) -> bool {
    use unicode_width::UnicodeWidthChar;
    // Below U+0300 only controls (removed anyway) and the soft hyphen take no cell.
    if c < '\u{300}' {
        return c == '\u{AD}';
    }
    c.width() == Some(0)
}

/// Characters that must never be printed raw to a terminal: controls, line
/// separators, bidi controls and the removed format characters. `--json` output
/// escapes exactly these as `\uXXXX`.
pub fn is_terminal_unsafe(c: char) -> bool {
    is_control(c) || is_line_separator(c) || is_bidi_control(c) || is_removed_format(c)
}

/// Characters that separate lines or paragraphs; inside one line they become a space.
fn is_line_separator(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Removes escape sequences, C0/C1 controls and bidi controls from one-line text.
/// Tabs, newlines and other line separators become spaces. The result can be
/// printed to a terminal without changing its state or the direction of anything
/// around it.
pub fn clean_inline(text: &str) -> String {
    clean(text, false)
}

/// Like [`clean_inline`] but keeps the bidi controls (embeddings, overrides,
/// isolates, marks): the layout engine resolves them within the paragraph and
/// then drops them from its output.
pub fn clean_paragraph(text: &str) -> String {
    clean(text, true)
}

/// True when `text` needs no cleaning at all (the common case; avoids a copy).
/// Every character to remove is ASCII control or starts with one of the lead
/// bytes 0xC2 (C1), 0xD8 (U+061C), 0xE2 (U+200E..206F), 0xEF (U+FEFF,
/// U+FFF9..FFFB) or 0xF3 (tags), so most characters are passed over by their
/// first byte. A storm needs more than [`MAX_ZERO_WIDTH_RUN`] characters of at
/// least two bytes in a row, so only long non-ASCII stretches are decoded.
fn is_clean(text: &str, keep_bidi: bool) -> bool {
    let bytes = text.as_bytes();
    let mut non_ascii_from: Option<usize> = None;
    for (i, &b) in bytes.iter().enumerate() {
        if b < 0x80 {
            if let Some(from) = non_ascii_from.take()
                && has_storm(&text[from..i])
            {
                return false;
            }
        } else if non_ascii_from.is_none() {
            non_ascii_from = Some(i);
        }
        let suspicious = b < 0x20 || b == 0x7F || matches!(b, 0xC2 | 0xD8 | 0xE2 | 0xEF | 0xF3);
        if !suspicious {
            continue;
        }
        if b < 0x80 {
            return false;
        }
        // `i` is a character boundary: lead bytes never occur inside a character.
        let Some(c) = text[i..].chars().next() else {
            continue;
        };
        if is_control(c)
            || is_line_separator(c)
            || (!keep_bidi && is_bidi_control(c))
            || is_removed_format(c)
        {
            return false;
        }
    }
    !non_ascii_from.is_some_and(|from| has_storm(&text[from..]))
}

/// More than [`MAX_ZERO_WIDTH_RUN`] zero-width characters in a row in `text`.
fn has_storm(text: &str) -> bool {
    // Zero-width characters take at least two bytes each.
    if text.len() <= 2 * MAX_ZERO_WIDTH_RUN {
        return false;
    }
    let mut run = 0usize;
    for c in text.chars() {
        if is_zero_width(c) {
            run += 1;
            if run > MAX_ZERO_WIDTH_RUN {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

fn clean(text: &str, keep_bidi: bool) -> String {
    if is_clean(text, keep_bidi) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    // Zero-width characters kept since the last character with a width.
    let mut zero_width_run = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\u{1B}' => skip_escape(&mut chars),
            // C1 forms of CSI, DCS, OSC, SOS, PM, APC carry parameters too.
            '\u{9B}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9D}' | '\u{9E}' | '\u{9F}' => skip_string(&mut chars),
            c if is_line_separator(c) => {
                zero_width_run = 0;
                out.push(' ');
            }
            c if is_control(c) || is_removed_format(c) => {}
            c if !keep_bidi && is_bidi_control(c) => {}
            c if is_zero_width(c) => {
                if zero_width_run < MAX_ZERO_WIDTH_RUN {
                    zero_width_run += 1;
                    out.push(c);
                }
            }
            c => {
                zero_width_run = 0;
                out.push(c);
            }
        }
    }
    out
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Skips what follows an ESC: a CSI sequence, a control string (OSC, DCS, SOS, PM,
/// APC) up to its terminator, or a two/three-character escape.
fn skip_escape(chars: &mut Chars<'_>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        // nF escapes: intermediates (0x20..0x2F) then one final character.
        Some(' '..='/') => {
            while matches!(chars.peek(), Some(' '..='/')) {
                chars.next();
            }
            chars.next();
        }
        Some(c) if !is_control(c) => {
            chars.next();
        }
        _ => {}
    }
}

/// Skips CSI parameters and intermediates up to and including the final byte.
fn skip_csi(chars: &mut Chars<'_>) {
    while let Some(&c) = chars.peek() {
        if ('\u{30}'..='\u{3F}').contains(&c) || ('\u{20}'..='\u{2F}').contains(&c) {
            chars.next();
        } else {
            if ('\u{40}'..='\u{7E}').contains(&c) {
                chars.next();
            }
            // Anything else ends the malformed sequence without being eaten.
            return;
        }
    }
}

/// Skips a control string up to BEL, ST (ESC \) or C1 ST; unterminated strings
/// run to the end of the text, as a terminal would swallow them.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9C}' => return,
            '\u{1B}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_csi_and_sgr() {
        assert_eq!(clean_inline("a\x1b[31mred\x1b[0m b"), "ared b");
        assert_eq!(clean_inline("x\x1b[2J\x1b[?1049hy"), "xy");
        assert_eq!(clean_inline("x\u{9b}31my"), "xy");
    }

    #[test]
    fn removes_osc_with_bel_or_st() {
        assert_eq!(clean_inline("a\x1b]0;title\x07b"), "ab");
        assert_eq!(
            clean_inline("a\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\b"),
            "alinkb"
        );
        assert_eq!(clean_inline("a\x1bPq#0;2;0;0;0\x1b\\b"), "ab");
        assert_eq!(clean_inline("a\x1b]unterminated"), "a");
    }

    #[test]
    fn other_escapes_and_controls() {
        assert_eq!(clean_inline("a\x1bcb"), "ab");
        assert_eq!(clean_inline("a\x1b(Bb"), "ab");
        assert_eq!(clean_inline("a\x00\x07\x08\x7f\u{85}b"), "a b");
        assert_eq!(clean_inline("a\tb\nc\r\nd"), "a b c  d");
        assert_eq!(clean_inline("a\u{2028}b\u{2029}c"), "a b c");
        assert_eq!(clean_inline("\u{feff}a"), "a");
    }

    #[test]
    fn bidi_controls_dropped_inline_kept_for_layout() {
        let hostile = "a\u{202E}bc\u{202C}\u{2067}d\u{2069}\u{200F}";
        assert_eq!(clean_inline(hostile), "abcd");
        assert_eq!(clean_paragraph(hostile), hostile);
    }

    #[test]
    fn clean_check_finds_every_character_to_remove() {
        for c in (0u32..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            let removed = is_control(c) || is_line_separator(c) || is_removed_format(c);
            assert_eq!(is_clean(&text, true), !removed, "{c:?}");
            assert_eq!(
                is_clean(&text, false),
                !(removed || is_bidi_control(c)),
                "{c:?}"
            );
        }
    }

    #[test]
    fn zero_width_storms_are_cut_and_cleaning_is_idempotent() {
        let storm = format!("e{}x", "\u{0301}".repeat(1_000));
        let cleaned = clean_inline(&storm);
        assert_eq!(cleaned.chars().count(), 2 + MAX_ZERO_WIDTH_RUN);
        assert!(is_clean(&cleaned, false));
        assert_eq!(clean_inline(&cleaned), cleaned);
        // A run split by removed characters is still one run.
        let split = format!(
            "a{}\x1b[1m{}\u{FEFF}{}b",
            "\u{200B}".repeat(20),
            "\u{200B}".repeat(20),
            "\u{200B}".repeat(20)
        );
        let cleaned = clean_paragraph(&split);
        assert_eq!(cleaned.matches('\u{200B}').count(), MAX_ZERO_WIDTH_RUN);
        assert_eq!(clean_paragraph(&cleaned), cleaned);
        // Real text: harakat, ZWNJ, emoji sequences, Devanagari, Vietnamese.
        for text in [
            "مُحَمَّدٌ می\u{200C}خواهم",
            "👨\u{200D}👩\u{200D}👧\u{200D}👦 🇮🇷",
            "हिन्दी Tiếng Việt",
        ] {
            assert_eq!(clean_inline(text), text);
        }
    }

    #[test]
    fn escape_kinds_each_removed_whole() {
        for (hostile, expected) in [
            ("a\x1b]52;c;cm0gLXJmIH4=\x07b", "ab"),
            ("a\x1b]52;c;cm0gLXJmIH4=\x1b\\b", "ab"),
            ("a\x1b]8;;http://e/\x1b\\t\x1b]8;;\x1b\\b", "atb"),
            ("a\x1bP1$r0m\x1b\\b", "ab"),
            ("a\u{90}dcs\u{9c}b", "ab"),
            ("a\x1b_apc\x1b\\b", "ab"),
            ("a\x1b^pm\x1b\\b", "ab"),
            ("a\x1bXsos\x1b\\b", "ab"),
            ("a\0b", "ab"),
            ("a\u{202E}b\u{2066}c\u{2069}", "abc"),
        ] {
            assert_eq!(clean_inline(hostile), expected, "{hostile:?}");
        }
    }

    #[test]
    fn persian_text_untouched() {
        let s = "می\u{200C}خواهم «خبر» (۱۴۰۳)";
        assert_eq!(clean_inline(s), s);
    }
}
