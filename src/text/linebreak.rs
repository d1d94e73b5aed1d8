//! Grapheme clusters with their cell widths, and line breaking on logical text.
//!
//! Widths are summed per grapheme cluster, never taken of a whole string:
//! `unicode-width` counts `لا` as one cell as a string, but a terminal that does
//! not shape draws two. Lines break at UAX #14 opportunities; a word longer than
//! the line is broken between grapheme clusters, never inside one.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// One grapheme cluster: byte range in the paragraph text and width in cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grapheme {
    pub start: usize,
    pub end: usize,
    pub width: u16,
}

/// Characters that form a grapheme cluster on their own and never join the next
/// one (Grapheme_Cluster_Break = Other, not Extended_Pictographic, width 1):
/// printable ASCII, Hebrew letters, Arabic letters, digits and punctuation, and
/// Arabic presentation forms. Between two of them there is always a boundary,
/// which lets the common case skip the full segmentation rules.
fn is_simple(c: char) -> bool {
    matches!(
        c,
        ' '..='~'
            | '\u{05D0}'..='\u{05EA}'
            | '\u{060C}'
            | '\u{061B}'
            | '\u{061F}'
            | '\u{0621}'..='\u{064A}'
            | '\u{0660}'..='\u{066F}'
            | '\u{0671}'..='\u{06D5}'
            | '\u{06EE}'..='\u{06FF}'
            | '\u{FB50}'..='\u{FBB1}'
            | '\u{FBD3}'..='\u{FD3D}'
            | '\u{FE70}'..='\u{FE74}'
            | '\u{FE76}'..='\u{FEFC}'
    )
}

/// Grapheme_Cluster_Break = Prepend: joins the character after it.
fn is_prepend(c: char) -> bool {
    matches!(
        c,
        '\u{0600}'..='\u{0605}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{0D4E}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{111C2}'..='\u{111C3}'
            | '\u{1193F}'
            | '\u{11941}'
            | '\u{11A3A}'
            | '\u{11A84}'..='\u{11A89}'
            | '\u{11D46}'
            | '\u{11F02}'
    )
}

/// Splits `text` into grapheme clusters and measures each.
pub(crate) fn graphemes(text: &str) -> Vec<Grapheme> {
    let mut out = Vec::with_capacity(text.len() / 2 + 1);
    let mut chars = text.char_indices();
    let Some(mut current) = chars.next() else {
        return out;
    };
    let mut current_simple = is_simple(current.1);
    // Start of a stretch that needs the full UAX #29 rules.
    let mut complex_from: Option<usize> = None;
    loop {
        let (i, c) = current;
        let end = i + c.len_utf8();
        let next = chars.next();
        let next_simple = next.is_some_and(|(_, n)| is_simple(n));
        // A boundary after `c` is certain when the next character is simple (it
        // cannot extend anything) and `c` is not a prepended mark.
        let boundary_after = (next.is_none() || next_simple) && (current_simple || !is_prepend(c));
        match complex_from {
            None if boundary_after && current_simple => out.push(Grapheme {
                start: i,
                end,
                width: 1,
            }),
            _ => {
                let from = *complex_from.get_or_insert(i);
                if boundary_after {
                    segment(text, from..end, &mut out);
                    complex_from = None;
                }
            }
        }
        match next {
            Some(n) => {
                current = n;
                current_simple = next_simple;
            }
            None => break,
        }
    }
    if let Some(from) = complex_from {
        segment(text, from..text.len(), &mut out);
    }
    out
}

/// Full grapheme segmentation of `text[range]`, whose ends are known boundaries.
fn segment(text: &str, range: Range<usize>, out: &mut Vec<Grapheme>) {
    let base = range.start;
    for (offset, g) in text[range].grapheme_indices(true) {
        let width = u16::try_from(g.width()).unwrap_or(u16::MAX);
        out.push(Grapheme {
            start: base + offset,
            end: base + offset + g.len(),
            width,
        });
    }
}

/// Width of a grapheme as laid out at `width`: a cluster wider than the whole line
/// is shown as a one-cell placeholder so no line can ever exceed the width.
pub(crate) fn cell_width(g: &Grapheme, width: u16) -> u16 {
    if g.width > width { 1 } else { g.width }
}

/// Total width of a string, summed per grapheme cluster.
pub fn str_width(text: &str) -> u16 {
    graphemes(text)
        .iter()
        .fold(0u16, |acc, g| acc.saturating_add(g.width))
}

/// Spaces that may be dropped at the end of a line (not the no-break ones).
fn is_breaking_space(text: &str, g: &Grapheme) -> bool {
    text[g.start..g.end]
        .chars()
        .all(|c| c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}'))
}

/// How a paragraph is broken into lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wrap {
    /// At UAX #14 opportunities, dropping spaces at line ends (prose).
    Words,
    /// Between any two grapheme clusters, keeping spaces (preformatted text).
    Graphemes,
}

/// Breaks a paragraph into lines of at most `width` cells. Returns grapheme index
/// ranges; spaces dropped at a break belong to no line. Always at least one line.
pub(crate) fn wrap(text: &str, gs: &[Grapheme], width: u16, mode: Wrap) -> Vec<Range<usize>> {
    let width = width.max(1);
    match mode {
        Wrap::Words => wrap_words(text, gs, width),
        Wrap::Graphemes => wrap_graphemes(gs, 0..gs.len(), width),
    }
}

fn wrap_graphemes(gs: &[Grapheme], range: Range<usize>, width: u16) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = range.start;
    let mut used = 0u16;
    for i in range.clone() {
        let w = cell_width(&gs[i], width);
        if u32::from(used) + u32::from(w) > u32::from(width) && i > start {
            lines.push(start..i);
            start = i;
            used = 0;
        }
        used = used.saturating_add(w);
    }
    if start < range.end || lines.is_empty() {
        lines.push(start..range.end);
    }
    lines
}

/// The line being filled by [`wrap_words`].
struct Current {
    start: usize,
    /// End of the content shown (trailing spaces excluded).
    end: usize,
    width: u16,
    /// Width of the spaces after `end`, shown only if more text follows on this line.
    pending_spaces: u16,
}

fn wrap_words(text: &str, gs: &[Grapheme], width: u16) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut current: Option<Current> = None;
    let mut seg_start = 0usize;
    let mut g = 0usize;
    // Mandatory breaks only occur at the end: the sanitiser turned newlines into
    // spaces, so every opportunity is treated alike.
    for (byte, _) in unicode_linebreak::linebreaks(text) {
        // Advance to the grapheme that starts at `byte`; breaks inside a cluster are skipped.
        while g < gs.len() && gs[g].start < byte {
            g += 1;
        }
        if g < gs.len() && gs[g].start != byte {
            continue;
        }
        let seg_end = g;
        if seg_end <= seg_start {
            continue;
        }
        let mut word_end = seg_end;
        while word_end > seg_start && is_breaking_space(text, &gs[word_end - 1]) {
            word_end -= 1;
        }
        let word_width = sum_width(gs, seg_start..word_end, width);
        let space_width = sum_width(gs, word_end..seg_end, width);
        current = Some(match current.take() {
            Some(mut line)
                if u32::from(line.width)
                    + u32::from(line.pending_spaces)
                    + u32::from(word_width)
                    <= u32::from(width) =>
            {
                if word_end > seg_start {
                    line.width += line.pending_spaces + word_width;
                    line.end = word_end;
                    line.pending_spaces = space_width;
                } else {
                    line.pending_spaces = line.pending_spaces.saturating_add(space_width);
                }
                line
            }
            Some(line) => {
                lines.push(line.start..line.end);
                start_line(gs, seg_start..word_end, space_width, width, &mut lines)
            }
            None => start_line(gs, seg_start..word_end, space_width, width, &mut lines),
        });
        seg_start = seg_end;
    }
    if let Some(line) = current {
        lines.push(line.start..line.end);
    }
    if lines.is_empty() {
        lines.push(0..0);
    }
    lines
}

/// Starts a new line with a word, breaking the word by grapheme if it is too long.
fn start_line(
    gs: &[Grapheme],
    word: Range<usize>,
    space_width: u16,
    width: u16,
    lines: &mut Vec<Range<usize>>,
) -> Current {
    let mut pieces = wrap_graphemes(gs, word.clone(), width);
    let last = pieces.pop().unwrap_or(word.start..word.end);
    lines.extend(pieces);
    Current {
        start: last.start,
        end: last.end,
        width: sum_width(gs, last, width),
        pending_spaces: space_width,
    }
}

fn sum_width(gs: &[Grapheme], range: Range<usize>, width: u16) -> u16 {
    gs[range]
        .iter()
        .fold(0u16, |acc, g| acc.saturating_add(cell_width(g, width)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, width: u16) -> Vec<String> {
        let gs = graphemes(text);
        wrap(text, &gs, width, Wrap::Words)
            .into_iter()
            .map(|r| {
                if r.is_empty() {
                    String::new()
                } else {
                    text[gs[r.start].start..gs[r.end - 1].end].to_string()
                }
            })
            .collect()
    }

    #[test]
    fn greedy_wrap_drops_spaces_at_breaks() {
        assert_eq!(lines("aaa bbb ccc", 7), ["aaa bbb", "ccc"]);
        assert_eq!(lines("aaa bbb ccc", 3), ["aaa", "bbb", "ccc"]);
        assert_eq!(lines("aaa   bbb", 20), ["aaa   bbb"]);
        assert_eq!(lines("", 5), [""]);
    }

    #[test]
    fn long_words_break_between_clusters() {
        assert_eq!(lines("abcdefgh ij", 3), ["abc", "def", "gh", "ij"]);
        // The haraka stays with its letter.
        assert_eq!(lines("بَبَبَ", 2), ["بَبَ", "بَ"]);
    }

    #[test]
    fn fast_segmentation_matches_uax29() {
        let text = "سلامٌ \u{0600}۱۲ کتاب\u{200C}ها «نسخهٔ» iOS 18.1 👨\u{200D}👩\u{200D}👧 🇮🇷🇮🇷 \
                    e\u{301}\r\nא\u{05B8}ב \u{FEFB}\u{064E} 한국어 ✈\u{FE0F}x\u{06DD}\u{0661}\u{0654}";
        let fast: Vec<(usize, usize, u16)> = graphemes(text)
            .iter()
            .map(|g| (g.start, g.end, g.width))
            .collect();
        let reference: Vec<(usize, usize, u16)> = text
            .grapheme_indices(true)
            .map(|(i, g)| (i, i + g.len(), u16::try_from(g.width()).unwrap()))
            .collect();
        assert_eq!(fast, reference);
    }

    #[test]
    fn simple_characters_are_single_cell_clusters() {
        for c in (0u32..0x1_0000)
            .filter_map(char::from_u32)
            .filter(|c| is_simple(*c))
        {
            let s = format!("{c}");
            assert_eq!(s.width(), 1, "{c:?}");
            let joined = format!("{c}{c}");
            assert_eq!(joined.graphemes(true).count(), 2, "{c:?}");
        }
    }

    #[test]
    fn widths_are_per_grapheme() {
        assert_eq!(str_width("لا"), 2);
        assert_eq!(str_width("می\u{200C}خواهم"), 7);
        assert_eq!(str_width("你好"), 4);
    }

    #[test]
    fn widest_possible_line_does_not_overflow() {
        let text = "a ".repeat(40_000);
        let gs = graphemes(&text);
        assert_eq!(wrap(&text, &gs, u16::MAX, Wrap::Words).len(), 2);
        assert_eq!(wrap(&text, &gs, u16::MAX, Wrap::Graphemes).len(), 2);
    }

    #[test]
    fn wide_cluster_on_narrow_line_never_overflows() {
        let text = "你好";
        let gs = graphemes(text);
        let ranges = wrap(text, &gs, 1, Wrap::Words);
        assert_eq!(ranges, vec![0..1, 1..2]);
    }
}
