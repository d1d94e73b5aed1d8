//! Text layout for the terminal: hostile-text sanitising, line breaking, bidi
//! reordering, optional Arabic-script shaping, and Persian locale helpers.
//!
//! Everything here is pure (no IO, no terminal). Input is [`Block`]s of styled text
//! in logical order; output is [`VisualLine`]s in left-to-right screen order, ready
//! to be written cell by cell.

mod bidi;
pub mod cursor;
pub mod error_line;
pub mod jalali;
pub mod layout;
mod linebreak;
mod paragraph;
pub mod persian;
pub mod plural;
pub mod sanitize;
mod shape;

pub use linebreak::str_width;
pub use plural::{counted, plural, thousands};
pub use shape::shape;

use serde::{Deserialize, Serialize};

/// Paragraph direction as configured or detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// First strong character decides (UAX #9 P2/P3); left-to-right when there is none.
    #[default]
    Auto,
    /// Right to left.
    Rtl,
    /// Left to right.
    Ltr,
}

/// Semantic style of a run of text; the theme maps it to colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TextStyle {
    /// Bold (`<b>`, `<strong>`).
    pub bold: bool,
    /// Italic (`<i>`, `<em>`).
    pub italic: bool,
    /// Code (`<code>`, `<pre>`).
    pub code: bool,
    /// Part of a heading.
    pub heading: bool,
    /// The number `[n]` of the link this text belongs to, if any.
    pub link: Option<u32>,
    /// Link numbers and other decorations khabar adds (not the author's text).
    pub marker: bool,
}

/// A run of text in logical order with one style.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StyledRun {
    /// The text.
    pub text: String,
    /// Its style.
    pub style: TextStyle,
}

/// What kind of block a [`Block`] is; decides indentation and decorations.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum BlockKind {
    /// Plain text.
    #[default]
    Paragraph,
    /// `<h1>`..`<h6>`.
    Heading(u8),
    /// A list item; `marker` is "•" or "3." and `depth` starts at 0.
    ListItem {
        /// Nesting depth, from 0.
        depth: u8,
        /// The bullet or number.
        marker: String,
    },
    /// Block quote nesting depth (1 = one quote bar).
    Quote(u8),
    /// Preformatted text kept verbatim (never wrapped at spaces, never reordered into RTL).
    Code,
    /// A horizontal rule.
    Rule,
    /// An empty line between blocks.
    Blank,
}

/// A block of styled text in logical order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Block {
    /// What kind of block.
    pub kind: BlockKind,
    /// Its paragraph direction.
    pub dir: Direction,
    /// Its text, in logical order.
    pub runs: Vec<StyledRun>,
}

/// Horizontal alignment of a visual line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Flush left.
    #[default]
    Left,
    /// Flush right.
    Right,
}

/// A span of a visual line, in screen order, with its width in cells.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VisualSpan {
    /// The text, in visual order.
    pub text: String,
    /// Its style.
    pub style: TextStyle,
    /// Its width in terminal cells.
    pub width: u16,
}

/// One screen row: spans in left-to-right screen order. `indent` is the number of
/// blank cells to write before the first span (alignment and padding already
/// resolved), so `indent + sum(span widths) <= layout width`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VisualLine {
    /// Cells left blank before the first span.
    pub indent: u16,
    /// The spans, left to right.
    pub spans: Vec<VisualSpan>,
    /// Which edge the line sits against.
    pub align: Align,
}

/// Options that change how text is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LayoutOptions {
    /// Turn Arabic-script letters into presentation forms (for terminals that do not join).
    pub shape: bool,
    /// Emit logical order and leave reordering to the terminal (`bidi = "terminal"`).
    pub terminal_bidi: bool,
}

/// Languages written right to left (ISO 639 codes as found in feeds).
const RTL_LANGUAGES: &[&str] = &["fa", "ar", "ur", "he", "ps", "ckb", "dv", "yi", "syr"];

/// The paragraph direction for text in `language` (a feed's `<language>` or
/// `xml:lang`, e.g. `fa-IR`): an explicitly configured `rtl`/`ltr` wins; otherwise
/// right-to-left languages give [`Direction::Rtl`], anything else [`Direction::Auto`].
pub fn direction_for_language(language: Option<&str>, configured: Direction) -> Direction {
    if configured != Direction::Auto {
        return configured;
    }
    let Some(language) = language else {
        return Direction::Auto;
    };
    let primary = language
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if RTL_LANGUAGES.contains(&primary.as_str()) {
        Direction::Rtl
    } else {
        Direction::Auto
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_decides_when_not_configured() {
        assert_eq!(
            direction_for_language(Some("fa"), Direction::Auto),
            Direction::Rtl
        );
        assert_eq!(
            direction_for_language(Some("fa-IR"), Direction::Auto),
            Direction::Rtl
        );
        assert_eq!(
            direction_for_language(Some("AR_eg"), Direction::Auto),
            Direction::Rtl
        );
        assert_eq!(
            direction_for_language(Some("ckb"), Direction::Auto),
            Direction::Rtl
        );
        assert_eq!(
            direction_for_language(Some("en-US"), Direction::Auto),
            Direction::Auto
        );
        assert_eq!(
            direction_for_language(Some("fr"), Direction::Auto),
            Direction::Auto
        );
        assert_eq!(
            direction_for_language(None, Direction::Auto),
            Direction::Auto
        );
    }

    #[test]
    fn configured_direction_wins() {
        assert_eq!(
            direction_for_language(Some("fa"), Direction::Ltr),
            Direction::Ltr
        );
        assert_eq!(
            direction_for_language(Some("en"), Direction::Rtl),
            Direction::Rtl
        );
    }
}
