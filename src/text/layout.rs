//! The layout engine: blocks in logical order to visual lines.
//!
//! PLACEHOLDER (no wrapping, no bidi) so other modules can build against the API;
//! replaced by the real engine.

use super::{Block, Direction, LayoutOptions, VisualLine, VisualSpan};

/// Lays out blocks at `width` cells: wrapped, reordered, aligned.
pub fn layout_blocks(blocks: &[Block], width: u16, opts: LayoutOptions) -> Vec<VisualLine> {
    let _ = opts;
    blocks
        .iter()
        .map(|b| VisualLine {
            indent: 0,
            spans: b
                .runs
                .iter()
                .map(|r| VisualSpan {
                    text: r.text.chars().take(width as usize).collect(),
                    style: r.style,
                    width: 0,
                })
                .collect(),
            align: super::Align::Left,
        })
        .collect()
}

/// Lays out one headline as its own paragraph in exactly one line of at most
/// `width` cells, truncated with `…` at its logical end.
pub fn layout_headline(text: &str, dir: Direction, width: u16, opts: LayoutOptions) -> VisualLine {
    let block = Block {
        dir,
        runs: vec![super::StyledRun {
            text: text.to_string(),
            style: Default::default(),
        }],
        ..Default::default()
    };
    layout_blocks(&[block], width, opts)
        .into_iter()
        .next()
        .unwrap_or_default()
}
