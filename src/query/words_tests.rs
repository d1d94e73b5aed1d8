//! Tests of [`super`]: the fast path against the reference definition, the
//! byte classes and bitmap against their tables, and the index words of
//! Persian, Arabic and Latin text.

use super::*;

/// `append_index_text` as it was before the tables and the fast path: the
/// definition the fast code must match, byte for byte.
fn reference(text: &str, out: &mut String) {
    let mut folded = String::new();
    let mut push = |c: char, out: &mut String| {
        folded.clear();
        fold_char(c, &mut folded);
        for f in folded.chars() {
            if f.is_alphanumeric() {
                out.push(f);
            } else if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        }
    };
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
    if text.is_ascii() || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if c.is_ascii() {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            } else {
                push(c, out);
            }
        }
    } else {
        for c in text.nfkc() {
            push(c, out);
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
}

fn check(prefix: &str, text: &str) {
    let mut expected = prefix.to_string();
    reference(text, &mut expected);
    let mut got = prefix.to_string();
    append_index_text(text, &mut got);
    assert_eq!(got, expected, "prefix {prefix:?}, text {text:?}");
}

#[test]
fn the_table_agrees_with_the_general_path() {
    let table = two_byte_table();
    for (offset, entry) in table.iter().enumerate() {
        let code = TABLE_START + offset as u32;
        let Some(c) = char::from_u32(code) else {
            continue;
        };
        assert_eq!(entry.fold, general_fold(c), "U+{code:04X}");
        assert_eq!(entry.plain, is_plain(c), "U+{code:04X}");
        // Every character of the table, alone, between words and doubled.
        for text in [
            c.to_string(),
            format!("ab{c}Cd"),
            format!("{c}{c} x"),
            format!("کتاب{c}ها"),
        ] {
            check("", &text);
            check("title", &text);
        }
    }
}

#[test]
fn the_byte_classes_and_bits_agree_with_their_definitions() {
    for b in 0..=255u8 {
        let expected = if b.is_ascii_uppercase() {
            UPPER
        } else if b.is_ascii_alphanumeric() {
            LOWER
        } else if (0xC2..=0xDF).contains(&b) {
            LEAD2
        } else {
            OTHER
        };
        assert_eq!(BYTE_CLASS[usize::from(b)], expected, "byte {b:#x}");
    }
    let (table, bits) = (two_byte_table(), same_bits());
    for (offset, entry) in table.iter().enumerate() {
        let code = TABLE_START + offset as u32;
        let mut utf8 = [0u8; 4];
        let Some(c) = char::from_u32(code) else {
            continue;
        };
        let encoded = c.encode_utf8(&mut utf8).as_bytes();
        assert_eq!(
            two_byte_same(bits, encoded[0], encoded[1]),
            entry.same,
            "U+{code:04X}"
        );
    }
}

#[test]
fn the_fast_path_matches_the_general_one_on_awkward_texts() {
    for text in [
        "",
        " ",
        "   ",
        "Hello, World 3.5!",
        "ALLCAPS lower MiXeD 123abc",
        "کتاب‌ها «نو» ۱۴۰۳ و ١٤٠٣",
        "كَتَبَ خبرـــها مسئله",
        "\u{202B}خبر\u{202C} \u{FEB3}\u{FEFC}\u{FEE1}",
        "İstanbul ǅemal ß ﬁ Ⅻ ①",
        "e\u{301} café cafe\u{301}",
        "ا\u{0654} \u{0627}\u{0653}",
        "日本語のテキスト 中文 한국어",
        "emoji 😀 text\u{200D}👍 end",
        "\u{00A0}nbsp\u{2009}thin\u{3000}ideographic",
        "tab\tnew\nline\r\ncr",
        "end with punctuation...",
        "  leading and trailing  ",
    ] {
        for prefix in ["", "title", "title ", " "] {
            check(prefix, text);
        }
    }
}

proptest::proptest! {
    #[test]
    fn the_fast_path_matches_the_general_one(
        text in "[a-zA-Z0-9 ,.«»\u{200C}\u{0600}-\u{06FF}\u{00C0}-\u{024F}\u{0300}-\u{036F}\u{0391}-\u{03C9}\u{0400}-\u{04FF}\u{FB50}-\u{FEFF}\u{2000}-\u{206F}😀]{0,40}",
        prefix in "(|title|title )",
    ) {
        check(&prefix, &text);
    }
}

#[test]
fn the_issue_pairs_fold_to_the_same_words() {
    for (a, b) in [
        ("افزايش توليد كالا", "افزایش تولید کالا"),
        ("میخواهم", "می\u{200C}خواهم"),
        ("۱۴۰۳", "1403"),
        ("١٤٠٣", "1403"),
        ("مسئله", "مسیله"),
        ("مدرسة خانۀ", "مدرسه خانه"),
        ("أمير إسلام ٱلله آب", "امیر اسلام الله اب"),
        ("مؤسسه", "موسسه"),
        ("كَتَبَ", "کتب"),
        ("خبرـــها", "خبرها"),
        ("\u{202B}خبر\u{202C}", "خبر"),
        ("\u{FEB3}\u{FEFC}\u{FEE1}", "سلام"),
        ("Bank, «Rates»!", "bank rates"),
    ] {
        assert_eq!(index_text(a), index_text(b), "{a} / {b}");
    }
    assert_eq!(index_text("  Hello,  World 3.5 "), "hello world 3 5");
    assert_eq!(tokens("کتاب‌ها «نو»"), ["کتابها", "نو"]);
    let mut out = String::from("title");
    append_index_text("Body", &mut out);
    assert_eq!(out, "title body");
}
