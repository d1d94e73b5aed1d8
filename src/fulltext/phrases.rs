//! The labels news sites print on their chrome, in Persian, Arabic and English:
//! «مطالب مرتبط», «اقرأ أيضاً», "Read more". Compared after folding the spellings
//! that vary between sites (Arabic and Persian Yeh and Kaf, hamza forms of Alef,
//! ZWNJ or space, harakat, case).

/// Labels that introduce a box of links or a form: "related", "read also",
/// "tags", "comments", "share", ...
const LABELS: &[&str] = &[
    // Persian
    "مطالب مرتبط",
    "اخبار مرتبط",
    "خبرهای مرتبط",
    "مطالب پیشنهادی",
    "پیشنهاد سردبیر",
    "تازه ترین مطالب",
    "تازه ترین اخبار",
    "آخرین اخبار",
    "پربازدیدترین",
    "پربازدید ترین",
    "پربیننده ترین",
    "پرخواننده ترین",
    "بیشتر بخوانید",
    "همچنین بخوانید",
    "بخوانید",
    "نظر شما",
    "نظرات",
    "نظرات بینندگان",
    "ارسال نظر",
    "دیدگاه",
    "دیدگاه ها",
    "تگ ها",
    "تگهای خبر",
    "تگ",
    "برچسب ها",
    "برچسب",
    "کلمات کلیدی",
    "کلیدواژه ها",
    "اشتراک گذاری",
    "به اشتراک بگذارید",
    "کد خبر",
    "لینک کوتاه",
    "نسخه چاپی",
    "چاپ",
    "ارسال به دوستان",
    "امتیاز",
    "این مطلب را می پسندید",
    "حقوق مادی و معنوی",
    "کلیه حقوق",
    "تمامی حقوق",
    "عضویت در خبرنامه",
    "خبرنامه",
    "تبلیغات",
    "آگهی",
    "منبع",
    "به روزرسانی خودکار",
    "بروزرسانی خودکار",
    "تحدیث تلقایی",
    // Arabic
    "اقرا ایضا",
    "اقرا المزید",
    "مواضیع ذات صله",
    "اخبار ذات صله",
    "ذات صله",
    "الاکثر قراءه",
    "الاکثر مشاهده",
    "الاکثر تداولا",
    "شارک",
    "شارک الخبر",
    "مشارکه",
    "التعلیقات",
    "تعلیقات",
    "اضف تعلیق",
    "الکلمات المفتاحیه",
    "کلمات مفتاحیه",
    "وسوم",
    "الوسوم",
    "تابعونا",
    "النشره البریدیه",
    "اشترک",
    "جمیع الحقوق",
    "حقوق النشر",
    "طباعه",
    "تقییم",
    "اعلان",
    // English
    "related",
    "related articles",
    "related stories",
    "read more",
    "read also",
    "see also",
    "also read",
    "most read",
    "most popular",
    "share",
    "share this",
    "tags",
    "topics",
    "comments",
    "leave a comment",
    "leave a reply",
    "advertisement",
    "sponsored",
    "newsletter",
    "subscribe",
    "print",
    "all rights reserved",
];

/// [`LABELS`] folded once: folding them on every call was most of the cost of
/// a 1 MB page (every short box of links asks).
static FOLDED_LABELS: std::sync::LazyLock<Vec<(String, usize)>> = std::sync::LazyLock::new(|| {
    LABELS
        .iter()
        .map(|label| {
            let folded = fold(label);
            let words = folded.split(' ').count();
            (folded, words)
        })
        .collect()
});

/// Folds spelling variants so that labels compare equal across sites.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        let Some(c) = fold_char(c) else {
            continue;
        };
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = false;
        push_lowercase(c, &mut out);
    }
    out.trim_end().to_string()
}

/// One character as [`fold`] reads it, before case folding: the spelling
/// variants made one, ZWNJ, ZWJ and no-break space made spaces, and harakat,
/// tatweel and other marks `None` (left out).
pub fn fold_char(c: char) -> Option<char> {
    Some(match c {
        'ي' | 'ى' | 'ئ' => 'ی',
        'ك' => 'ک',
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ة' => 'ه',
        'ؤ' => 'و',
        '\u{200c}' | '\u{200d}' | '\u{a0}' => ' ',
        // Harakat, tatweel and other marks.
        '\u{064b}'..='\u{065f}' | '\u{0670}' | '\u{0640}' => return None,
        c => c,
    })
}

/// Pushes `c` lower-cased.
fn push_lowercase(c: char, out: &mut String) {
    if has_no_case(c) {
        out.push(c.to_ascii_lowercase());
    } else {
        out.extend(c.to_lowercase());
    }
}

/// Whether `c` lower-cases as `to_ascii_lowercase` does, without a lookup in
/// the case tables: ASCII, and the Hebrew and Arabic blocks (no case).
pub fn has_no_case(c: char) -> bool {
    c.is_ascii() || ('\u{0590}'..='\u{08ff}').contains(&c)
}

fn trim_punctuation(text: &str) -> &str {
    text.trim_matches(|c: char| {
        c.is_whitespace()
            || c.is_ascii_punctuation()
            || matches!(c, '،' | '؛' | '»' | '«' | '…' | '|' | '•')
    })
}

/// The whole text is a chrome label ("Related", «نظرات بینندگان در مورد این مطلب»):
/// a label, or a label followed by a few words.
pub fn is_chrome_label(text: &str) -> bool {
    is_folded_chrome_label(&fold(text))
}

/// [`is_chrome_label`] of text already [`fold`]ed.
pub fn is_folded_chrome_label(folded: &str) -> bool {
    let text = trim_punctuation(folded);
    if text.is_empty() {
        return false;
    }
    let words = text.split(' ').count();
    FOLDED_LABELS.iter().any(|(label, label_words)| {
        text == label
            || (text.starts_with(label.as_str())
                && text[label.len()..].starts_with(' ')
                && words <= label_words + 4)
    })
}

/// The text opens with a label and a colon: «بیشتر بخوانید: …», «اقرأ أيضاً: …».
#[cfg(test)]
pub fn starts_with_chrome_label(text: &str) -> bool {
    starts_with_folded_chrome_label(&fold(text))
}

/// `starts_with_chrome_label` of text already [`fold`]ed.
pub fn starts_with_folded_chrome_label(folded: &str) -> bool {
    // Folding never makes a colon: without one there is nothing to compare.
    if !folded.contains([':', '：']) {
        return false;
    }
    let text = folded.trim_start_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
    FOLDED_LABELS.iter().any(|(label, _)| {
        text.strip_prefix(label.as_str())
            .map(|rest| rest.trim_start())
            .is_some_and(|rest| rest.starts_with(':') || rest.starts_with('：'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_across_spellings() {
        assert!(is_chrome_label("مطالب مرتبط"));
        assert!(is_chrome_label(" تازه ترین مطالب مرتبط "));
        assert!(is_chrome_label("نظر شما در مورد این مطلب"));
        assert!(is_chrome_label("اقرأ أيضاً"));
        assert!(is_chrome_label("Related Stories:"));
        assert!(starts_with_chrome_label("بیشتر بخوانید: خبر دیگر"));
        assert!(starts_with_chrome_label("تگهای خبر: دریا"));
        assert!(starts_with_chrome_label("اقرأ أيضا: عنوان"));
    }

    #[test]
    fn story_sentences_are_not_labels() {
        assert!(!is_chrome_label(
            "نظرات کارشناسان درباره این طرح متفاوت است و هنوز تصمیمی گرفته نشده"
        ));
        assert!(!starts_with_chrome_label("بخوانید و بدانید که این طرح"));
        assert!(!is_chrome_label(
            "Share prices fell sharply on Monday after the announcement"
        ));
    }
}
