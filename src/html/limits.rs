//! Bounds on what an item's HTML can make the converter do. Input decides the
//! shape of the tree, so every size that follows from it is capped here:
//! nesting depth (the tree walk is recursive, one frame per open element),
//! quote and list depth as drawn, the number of numbered links, table columns,
//! and the length of one paragraph.
//!
//! Nothing is dropped by these bounds: elements nested deeper than
//! [`MAX_DEPTH`] still give their text (walked without recursion, as browsers
//! flatten the DOM past their own depth limit), the link past [`MAX_LINKS`]
//! keeps its text without a number, extra table cells join the last column and
//! a long paragraph continues in the next block.

use scraper::{ElementRef, Node};

use crate::text::StyledRun;

use super::builder::{Builder, DROPPED, starts_block};

/// Elements open at once beyond which the walk stops recursing. Each level
/// costs a few stack frames (well under 2 KiB together), so 256 levels stay far
/// inside the 2 MiB stack of a spawned thread.
pub const MAX_DEPTH: u32 = 256;

/// Quote bars and list indentation drawn at most this deep; deeper levels are
/// drawn at this depth (the text is still there, the screen is not all bars).
pub const MAX_DRAWN_DEPTH: u8 = 12;

/// Links numbered per document; later ones keep their text but get no `[n]`.
pub const MAX_LINKS: usize = 2_000;

/// Cells per table row.
pub const MAX_TABLE_COLUMNS: usize = 32;

/// Bytes of text in one block; a longer paragraph is split (at a character
/// boundary, glued to the next block) so that no single paragraph makes line
/// breaking and bidi resolution work on megabytes at once.
pub const MAX_BLOCK_BYTES: usize = 32 * 1024;

impl Builder {
    /// The text of an element nested deeper than [`MAX_DEPTH`], gathered by an
    /// iterative walk (an explicit stack of child iterators): dropped elements
    /// (`script`, ...) stay dropped, block elements and `<br>` separate words.
    pub(super) fn flat_text(&mut self, el: ElementRef<'_>) {
        // Each entry: the children still to visit, and whether the element they
        // belong to ends with a word break.
        let block = starts_block(el.value().name());
        if block {
            self.space();
        }
        let mut stack = vec![(el.children(), block)];
        while let Some((children, _)) = stack.last_mut() {
            let Some(child) = children.next() else {
                if let Some((_, true)) = stack.pop() {
                    self.space();
                }
                continue;
            };
            match child.value() {
                Node::Text(text) => self.text(text),
                Node::Element(element) => {
                    let name = element.name();
                    if DROPPED.contains(&name) {
                        continue;
                    }
                    let breaks = starts_block(name) || name == "br";
                    if breaks {
                        self.space();
                    }
                    stack.push((child.children(), breaks));
                }
                _ => {}
            }
        }
    }
}

/// `runs` cut into pieces of at most about [`MAX_BLOCK_BYTES`] bytes of text,
/// preferably after a space, never inside a character. Short input is one piece.
pub(super) fn split_long(runs: Vec<StyledRun>) -> Vec<Vec<StyledRun>> {
    let total: usize = runs.iter().map(|r| r.text.len()).sum();
    if total <= MAX_BLOCK_BYTES {
        return vec![runs];
    }
    let mut pieces = Vec::new();
    let mut piece: Vec<StyledRun> = Vec::new();
    let mut piece_len = 0usize;
    for run in runs {
        let mut text = run.text.as_str();
        while piece_len + text.len() > MAX_BLOCK_BYTES {
            let room = MAX_BLOCK_BYTES - piece_len;
            let cut = cut_point(text, room);
            if cut > 0 {
                piece.push(StyledRun {
                    text: text[..cut].to_string(),
                    style: run.style,
                });
                text = &text[cut..];
            }
            if !piece.is_empty() {
                pieces.push(std::mem::take(&mut piece));
            }
            piece_len = 0;
            if cut == 0 && room == MAX_BLOCK_BYTES {
                // Not even one character fits (cannot happen with a 32 KiB limit,
                // but never loop): take the rest whole.
                break;
            }
        }
        if !text.is_empty() {
            piece_len += text.len();
            piece.push(StyledRun {
                text: text.to_string(),
                style: run.style,
            });
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    pieces
}

/// Where to end a piece of `text` that may take `room` bytes: after the last
/// space in the second half of that room, else at the last character boundary.
fn cut_point(text: &str, room: usize) -> usize {
    let mut end = room.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind(' ') {
        Some(space) if space >= end / 2 => space + 1,
        _ => end,
    }
}
