//! Bidi reordering of one visual line (UAX #9 via unicode-bidi) and mirroring.
//!
//! The bidi algorithm runs once per paragraph; each wrapped line is then reordered
//! on its own (rules L1 and L2) by grapheme cluster, so harakat, the ezafe and
//! ZWNJ stay with their letter. unicode-bidi does not mirror brackets (rule L4):
//! that is done here for clusters at an odd level.

use std::ops::Range;

use unicode_bidi::data_source::BidiMatchedOpeningBracket;
use unicode_bidi::{BidiClass, BidiDataSource, HardcodedBidiData, Level, ParagraphBidiInfo};

use super::Direction;
use super::linebreak::Grapheme;

/// Characters that can make text right-to-left: RTL scripts and explicit controls.
fn may_be_rtl(c: char) -> bool {
    matches!(
        c,
        '\u{0590}'..='\u{08FF}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FB1D}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}'
            | '\u{10800}'..='\u{10FFF}'
            | '\u{1E800}'..='\u{1EFFF}'
    )
}

/// unicode-bidi's character data with a fast path for the characters of Persian,
/// Arabic and Latin text (its table lookup is a binary search per character).
struct FastBidiData;

impl BidiDataSource for FastBidiData {
    fn bidi_class(&self, c: char) -> BidiClass {
        match c {
            'A'..='Z' | 'a'..='z' => BidiClass::L,
            '0'..='9' | '\u{06F0}'..='\u{06F9}' => BidiClass::EN,
            ' ' => BidiClass::WS,
            '\u{0621}'..='\u{064A}' | '\u{0671}'..='\u{06D5}' | '\u{FE70}'..='\u{FEFC}' => {
                BidiClass::AL
            }
            '\u{064B}'..='\u{065F}' | '\u{0670}' => BidiClass::NSM,
            '\u{0660}'..='\u{0669}' => BidiClass::AN,
            '\u{05D0}'..='\u{05EA}' => BidiClass::R,
            _ => HardcodedBidiData.bidi_class(c),
        }
    }

    fn bidi_matched_opening_bracket(&self, c: char) -> Option<BidiMatchedOpeningBracket> {
        if !may_mirror(c) {
            return None;
        }
        HardcodedBidiData.bidi_matched_opening_bracket(c)
    }
}

/// False for characters known to have no mirrored glyph and not to be brackets:
/// letters and digits of the common scripts here (saves a table search each).
fn may_mirror(c: char) -> bool {
    !(c.is_ascii_alphanumeric()
        || c == ' '
        || ('\u{0590}'..='\u{08FF}').contains(&c)
        || ('\u{FE70}'..='\u{FEFC}').contains(&c))
}

/// The resolved bidi levels of one paragraph.
pub(crate) struct ParagraphLevels<'a> {
    resolved: Resolved<'a>,
    rtl: bool,
}

enum Resolved<'a> {
    /// Everything at level 0: no reordering.
    AllLtr,
    /// Everything at level 1: each line is simply reversed.
    AllRtl,
    /// The full algorithm's result.
    Levels(ParagraphBidiInfo<'a>),
}

/// How a right-to-left paragraph's characters constrain its levels.
enum RtlScan {
    /// Only right-to-left letters, marks and neutrals: every level is 1.
    Uniform { has_strong_rtl: bool },
    /// Left-to-right letters, numbers or explicit controls: needs the full algorithm.
    Mixed,
}

/// In a right-to-left paragraph without left-to-right letters, numbers or
/// explicit controls, rules W1-W7, N0-N2 and L1 resolve every character to the
/// paragraph level (sos, eos and every strong type are R), so the full algorithm
/// can be skipped. Most Persian prose paragraphs are like that.
fn scan_rtl(text: &str) -> RtlScan {
    use BidiClass::*;
    let mut has_strong_rtl = false;
    for c in text.chars() {
        match FastBidiData.bidi_class(c) {
            R | AL => has_strong_rtl = true,
            L | EN | AN | LRE | LRO | RLE | RLO | PDF | LRI | RLI | FSI | PDI => {
                return RtlScan::Mixed;
            }
            _ => {}
        }
    }
    RtlScan::Uniform { has_strong_rtl }
}

impl<'a> ParagraphLevels<'a> {
    /// Runs the bidi algorithm on `text` with the paragraph direction `dir`
    /// (auto = first strong character, left to right when there is none).
    pub fn new(text: &'a str, dir: Direction) -> Self {
        if dir != Direction::Rtl && !text.chars().any(may_be_rtl) {
            return ParagraphLevels {
                resolved: Resolved::AllLtr,
                rtl: false,
            };
        }
        if dir != Direction::Ltr
            && let RtlScan::Uniform { has_strong_rtl } = scan_rtl(text)
            && (has_strong_rtl || dir == Direction::Rtl)
        {
            return ParagraphLevels {
                resolved: Resolved::AllRtl,
                rtl: true,
            };
        }
        Self::full(text, dir)
    }

    /// The full UAX #9 resolution (unicode-bidi).
    fn full(text: &'a str, dir: Direction) -> Self {
        let level = match dir {
            Direction::Auto => None,
            Direction::Rtl => Some(Level::rtl()),
            Direction::Ltr => Some(Level::ltr()),
        };
        let info = ParagraphBidiInfo::new_with_data_source(&FastBidiData, text, level);
        let rtl = info.paragraph_level.is_rtl();
        ParagraphLevels {
            resolved: Resolved::Levels(info),
            rtl,
        }
    }

    /// Whether the paragraph direction is right to left.
    pub fn is_rtl(&self) -> bool {
        self.rtl
    }

    /// Appends the clusters of `line` in visual (left-to-right screen) order to
    /// `out`, each with whether it sits at an odd (right-to-left) level.
    pub fn visual_order(&self, gs: &[Grapheme], line: Range<usize>, out: &mut Vec<(usize, bool)>) {
        let info = match &self.resolved {
            Resolved::AllLtr => {
                out.extend(line.map(|i| (i, false)));
                return;
            }
            Resolved::AllRtl => {
                out.extend(line.rev().map(|i| (i, true)));
                return;
            }
            Resolved::Levels(info) => info,
        };
        let para_level = info.paragraph_level;
        let mut levels: Vec<Level> = gs[line.clone()]
            .iter()
            .map(|g| info.levels[g.start])
            .collect();
        // L1: whitespace, isolates and removed controls at the end of the line go
        // back to the paragraph level.
        for (k, g) in gs[line.clone()].iter().enumerate().rev() {
            if resets_at_line_end(info.original_classes[g.start]) {
                levels[k] = para_level;
            } else {
                break;
            }
        }
        let mut order: Vec<usize> = line.clone().collect();
        reverse_runs(&mut order, &mut levels);
        out.extend(order.into_iter().zip(levels).map(|(i, l)| (i, l.is_rtl())));
    }
}

fn resets_at_line_end(class: BidiClass) -> bool {
    use BidiClass::*;
    matches!(
        class,
        WS | FSI | LRI | RLI | PDI | BN | LRE | RLE | LRO | RLO | PDF | S | B
    )
}

/// Rule L2: from the highest level down to the lowest odd level, reverse every
/// maximal run at that level or higher.
fn reverse_runs(order: &mut [usize], levels: &mut [Level]) {
    let Some(max) = levels.iter().map(|l| l.number()).max() else {
        return;
    };
    let Some(min_odd) = levels
        .iter()
        .map(|l| l.number())
        .filter(|n| n % 2 == 1)
        .min()
    else {
        return;
    };
    for level in (min_odd..=max).rev() {
        let mut i = 0;
        while i < levels.len() {
            if levels[i].number() >= level {
                let start = i;
                while i < levels.len() && levels[i].number() >= level {
                    i += 1;
                }
                order[start..i].reverse();
                levels[start..i].reverse();
            } else {
                i += 1;
            }
        }
    }
}

/// Appends `cluster` to `out`, mirroring its base character (rule L4) when it sits
/// at a right-to-left level: `(` becomes `)`, `«` becomes `»`.
#[inline]
pub(crate) fn push_mirrored(cluster: &str, rtl: bool, out: &mut String) {
    if rtl && lead_may_mirror(cluster) {
        let mut chars = cluster.chars();
        if let Some(first) = chars.next()
            && may_mirror(first)
            && let Some(mirror) = unicode_bidi_mirroring::get_mirrored(first)
        {
            out.push(mirror);
            out.push_str(chars.as_str());
            return;
        }
    }
    out.push_str(cluster);
}

/// A first-byte filter in front of [`may_mirror`]: ASCII other than the six
/// brackets and `<>`, and the Hebrew and Arabic blocks (lead bytes 0xD6..0xDB),
/// never mirror.
#[inline]
fn lead_may_mirror(cluster: &str) -> bool {
    match cluster.as_bytes().first() {
        Some(b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}') => true,
        Some(&b) => b >= 0x80 && !(0xD6..=0xDB).contains(&b),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::linebreak::graphemes;

    fn visual(text: &str, dir: Direction) -> String {
        let gs = graphemes(text);
        let levels = ParagraphLevels::new(text, dir);
        let mut order = Vec::new();
        levels.visual_order(&gs, 0..gs.len(), &mut order);
        let mut out = String::new();
        for (i, rtl) in order {
            push_mirrored(&text[gs[i].start..gs[i].end], rtl, &mut out);
        }
        out
    }

    #[test]
    fn lead_byte_filter_never_hides_a_mirror() {
        for c in (0u32..=0x10FFFF).filter_map(char::from_u32) {
            if unicode_bidi_mirroring::get_mirrored(c).is_some() {
                assert!(lead_may_mirror(&c.to_string()), "{c:?}");
            }
        }
    }

    #[test]
    fn fast_data_agrees_with_unicode_bidi() {
        for c in (0u32..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                FastBidiData.bidi_class(c),
                HardcodedBidiData.bidi_class(c),
                "{c:?}"
            );
            if !may_mirror(c) {
                assert_eq!(unicode_bidi_mirroring::get_mirrored(c), None, "{c:?}");
                assert!(
                    HardcodedBidiData.bidi_matched_opening_bracket(c).is_none(),
                    "{c:?}"
                );
            }
        }
    }

    /// The visual order the full algorithm gives, for comparison with shortcuts.
    fn full_order(text: &str, dir: Direction) -> (Vec<(usize, bool)>, bool) {
        let gs = graphemes(text);
        let levels = ParagraphLevels::full(text, dir);
        let mut order = Vec::new();
        levels.visual_order(&gs, 0..gs.len(), &mut order);
        (order, levels.is_rtl())
    }

    #[test]
    fn uniform_rtl_shortcut_matches_the_full_algorithm() {
        let samples = [
            "سلام دنیا!",
            "(سلام) [دنیا] {خبر} «گزارش»، تهران؛ چرا؟",
            "می\u{200C}خواهم کتاب\u{200C}ها را بخوانم.",
            "نسخهٔ كَتَبَ ـــ ... — \"نقل\" : - / %",
            "שלום (עולם)!",
            "  خبر  ",
            "\u{064E}خبر\u{200F} ! ",
            "((( «» ]]] خبر",
        ];
        for text in samples {
            for dir in [Direction::Auto, Direction::Rtl] {
                let gs = graphemes(text);
                let levels = ParagraphLevels::new(text, dir);
                assert!(matches!(levels.resolved, Resolved::AllRtl), "{text:?}");
                let mut order = Vec::new();
                levels.visual_order(&gs, 0..gs.len(), &mut order);
                assert_eq!(
                    (order, levels.is_rtl()),
                    full_order(text, dir),
                    "{text:?} {dir:?}"
                );
            }
        }
    }

    #[test]
    fn shortcut_not_taken_when_it_would_be_wrong() {
        for text in [
            "خبر 12",
            "خبر ۱۲",
            "خبر ١٢",
            "خبر abc",
            "\u{202D}خبر",
            "خبر \u{2066}x",
        ] {
            let levels = ParagraphLevels::new(text, Direction::Auto);
            assert!(matches!(levels.resolved, Resolved::Levels(_)), "{text:?}");
        }
        // No strong character at all: left to right under auto.
        let levels = ParagraphLevels::new("\u{064E} ، !", Direction::Auto);
        assert!(!levels.is_rtl());
        assert_eq!(
            levels.is_rtl(),
            full_order("\u{064E} ، !", Direction::Auto).1
        );
        // Forced left to right never takes the right-to-left shortcut.
        assert!(!ParagraphLevels::new("سلام", Direction::Ltr).is_rtl());
    }

    #[test]
    fn reverses_rtl_by_cluster_and_mirrors() {
        assert_eq!(visual("سلام دنیا!", Direction::Auto), "!ایند مالس");
        assert_eq!(visual("(سلام)", Direction::Auto), "(مالس)");
        assert_eq!(visual("«خبر»", Direction::Auto), "«ربخ»");
        assert_eq!(visual("نسخهٔ", Direction::Auto), "هٔخسن");
    }

    #[test]
    fn numbers_and_latin_keep_their_order() {
        assert_eq!(
            visual("شرکت Apple نسخهٔ iOS 18.1 را", Direction::Auto),
            "ار iOS 18.1 هٔخسن Apple تکرش"
        );
        assert_eq!(
            visual("iPhone 16 در ایران", Direction::Auto),
            "iPhone 16 ناریا رد"
        );
        assert_eq!(visual("hello", Direction::Rtl), "hello");
    }

    #[test]
    fn override_is_resolved_within_the_paragraph() {
        // RLO makes the Latin letters right to left; the control itself stays in
        // the cluster list (the caller drops it from the output).
        let v = visual("\u{202E}abc\u{202C}", Direction::Ltr);
        assert_eq!(v.replace(['\u{202E}', '\u{202C}'], ""), "cba");
    }
}
