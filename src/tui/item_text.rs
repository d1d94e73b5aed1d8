//! An item as plain text, for a user command's standard input (`mode =
//! "pipe"`) and so for saving it: the article view's own blocks (header, body,
//! numbered links, from `article::article_blocks`) written one paragraph per
//! line in logical order. Not laid out: a file or another program gets the
//! text as written, not the screen's visual order or its line breaks.

use crate::text::{Block, BlockKind};

/// `blocks` as text: one line per block, list markers and quote bars as
/// plain characters, a blank block an empty line.
pub fn plain_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        let text: String = block.runs.iter().map(|r| r.text.as_str()).collect();
        match &block.kind {
            BlockKind::Blank => {}
            BlockKind::Rule => out.push_str("---"),
            BlockKind::ListItem { depth, marker } => {
                out.push_str(&"  ".repeat(usize::from(*depth)));
                out.push_str(marker);
                out.push(' ');
                out.push_str(&text);
            }
            BlockKind::Quote(depth) => {
                out.push_str(&"> ".repeat(usize::from(*depth)));
                out.push_str(&text);
            }
            BlockKind::Paragraph | BlockKind::Heading(_) | BlockKind::Code => {
                out.push_str(&text);
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Direction, StyledRun};

    fn block(kind: BlockKind, text: &str) -> Block {
        Block {
            kind,
            dir: Direction::Rtl,
            runs: vec![StyledRun {
                text: text.into(),
                style: Default::default(),
            }],
        }
    }

    #[test]
    fn blocks_are_lines_in_logical_order() {
        let blocks = vec![
            block(BlockKind::Heading(1), "سلام دنیا"),
            block(BlockKind::Blank, ""),
            block(BlockKind::Paragraph, "متن فارسی با English و ۱۲۳."),
            block(
                BlockKind::ListItem {
                    depth: 1,
                    marker: "•".into(),
                },
                "یک",
            ),
            block(BlockKind::Quote(1), "نقل"),
            block(BlockKind::Rule, ""),
        ];
        assert_eq!(
            plain_text(&blocks),
            "سلام دنیا\n\nمتن فارسی با English و ۱۲۳.\n  • یک\n> نقل\n---\n"
        );
    }
}
