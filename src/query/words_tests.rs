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
        let expected = if b == b' ' {
            SPACE
        } else if b.is_ascii_uppercase() {
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

/// The start of two items of the refresh benchmark's corpus (an English feed's
/// and a Persian one's), title and text as the store indexes them.
const CORPUS_SAMPLE: &str = r#"dog and jumps held

New the analysts quick quick quick with Tehran the ease percent the according quick from central to AP London central inflation central percent central Reuters steady quick quarter London with the rallied Tuesday steady lazy expected reports according reports

as steady New AP reports next New brown and bank next quarter 3.5 rallied to London growth percent to over to 3.5 reports the markets from next to AP quick and brown as on New New next

markets reports central the and Tehran London central next reports inflation and inflation Reuters rates 3.5 London York the ease reports dog from London the according fox and to and London and reports quarter AP

quarter inflation the Tehran Tehran on on expected Reuters York quick central Tuesday rallied London New rallied over London held brown percent jumps over quick to the rates bank rates lazy on rallied inflation steady jumps markets markets held from markets 3.5 rates with steady Reuters growth

در روابط تهران مدیران

ساعت 2,145,000 مدیران عنوان اصلی شد. کرد و مسائل موضوعات دلار اصلی انتقال از نمود. واحد گزارش هدف قیمت را دیگر تصمیم‌گیری‌های مدیران به قیمت صنعت هدف برگزار وظیفه ساعت نشست به کارگروه واحد انتقال مسائل ارتباط شد. نظام ساعت کار است. ۵۸٬۳۰۰ این را مدیران باشیم. اهداف هدف و نمود. و سریع‌تر این رسانه قیمت با ساعت شبکه

مسائل باشیم. هدف 2,145,000 قیمت شاخص تولید دیگر هدف بورس در نمود. تومان را با تولید است. تولید استان واحد Reuters، مدیران موضوعات کار هدف «رسانه سازی بخصوص استان و در باشیم. و جهت ساعت مناسب و تصمیم‌گیری‌های را دیگر «رسانه شاخص روابط و و اهداف انتقال Reuters، ISNA در انتقال و نظام واحد کارگروه سریع‌تر شاخص به مسائل است.

و شد. صنعت کارگروه ساعت این اعلام صنعت مسائل عمومی به اصلی مدیران در این تهران تومان گزارش داشته 2,145,000 و کرد رسانه شبکه گزارش است. 2,145,000 تومان شبکه جهت هدف اعلام کارگروه استان 2,145,000 و است. تولید 11:20 شبکه

هدف شد. به «رسانه و باشیم. عمومی شد. اصلی مدیران کار این کرد ISNA رسانه و از تولید به دهیم می‌توانیم تهران بورس اصلی در جهت وی مدیران انتقال شد. موضوعات ۵۸٬۳۰۰ صنعت در «رسانه هدف به «رسانه مدیران مدیران صنعت مناسب میان شبکه بورس دیگر نشست و صنعت موضوعات و ذاتی ۵۸٬۳۰۰ و عنوان"#;

#[test]
fn the_fast_path_matches_the_general_one_on_corpus_text() {
    // The whole sample, every paragraph alone and every suffix of a paragraph
    // (each starting byte lands the eight-byte chunks differently).
    let mut texts = vec![CORPUS_SAMPLE.to_string()];
    for paragraph in CORPUS_SAMPLE.split("\n\n") {
        texts.push(paragraph.to_string());
        texts.extend(
            (0..paragraph.len().min(40))
                .filter(|&i| paragraph.is_char_boundary(i))
                .map(|i| paragraph[i..].to_string()),
        );
    }
    for text in &texts {
        for prefix in ["", "title", "title "] {
            let mut fast = prefix.to_string();
            assert!(append_index_text_fast(text, &mut fast), "{text:?}");
            let mut general = prefix.to_string();
            general_path(text, &mut general);
            assert_eq!(fast, general, "prefix {prefix:?}, text {text:?}");
            check(prefix, text);
        }
    }
}

/// One piece of a generated text: mostly ASCII words as in English feeds,
/// with digits, punctuation, runs of spaces, uppercase and Persian among them.
fn piece() -> impl proptest::strategy::Strategy<Value = String> {
    proptest::prop_oneof![
        4 => "[a-z]{1,12}",
        2 => "[A-Za-z][a-z]{0,10}",
        1 => "[A-Z0-9]{1,9}",
        3 => "[ ]{1,3}",
        2 => "[ ,.;:!?()'\"/\t\n-]{1,3}",
        2 => "[\u{0621}-\u{064A}\u{067E}\u{0686}\u{0698}\u{06A9}\u{06AF}\u{06CC}]{1,8}",
        1 => "[\u{06F0}-\u{06F9}\u{0660}-\u{0669}\u{200C}«»،٬\u{064B}-\u{0652}]{1,3}",
    ]
}

proptest::proptest! {
    #[test]
    fn the_fast_path_matches_the_general_path_on_mixed_text(
        pieces in proptest::collection::vec(piece(), 0..60),
        prefix in "(|title|title )",
    ) {
        let text = pieces.concat();
        let mut fast = prefix.clone();
        let taken = append_index_text_fast(&text, &mut fast);
        let mut general = prefix.clone();
        general_path(&text, &mut general);
        if taken {
            proptest::prop_assert_eq!(&fast, &general, "text {:?}", text);
        } else {
            proptest::prop_assert_eq!(&fast, &prefix);
        }
        proptest::prop_assert!(taken || !text.is_ascii());
        check(&prefix, &text);
    }
}
