//! HTML to styled [`crate::text::Block`]s: paragraphs, headings, lists, quotes,
//! preformatted text, tables, images as `[image: alt]`, and numbered links.

use crate::text::Block;

/// An HTML body turned into blocks, with its links numbered in order of appearance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// `links[n - 1]` is the URL of link `[n]`.
    pub links: Vec<String>,
}

/// Converts HTML to blocks. Relative URLs resolve against `base_url`.
/// PLACEHOLDER: replaced by the real converter.
pub fn to_document(html: &str, base_url: Option<&str>) -> Document {
    let _ = base_url;
    Document {
        blocks: vec![Block {
            runs: vec![crate::text::StyledRun {
                text: html.to_string(),
                style: Default::default(),
            }],
            ..Default::default()
        }],
        links: Vec::new(),
    }
}

/// The "links" section appended after an article: one list item per link,
/// `[n] URL`, left to right.
pub fn link_list_blocks(links: &[String]) -> Vec<Block> {
    use crate::text::{BlockKind, Direction, StyledRun, TextStyle};
    if links.is_empty() {
        return Vec::new();
    }
    let mut blocks = vec![
        Block {
            kind: BlockKind::Blank,
            ..Default::default()
        },
        Block {
            kind: BlockKind::Heading(2),
            dir: Direction::Ltr,
            runs: vec![StyledRun {
                text: "Links".into(),
                style: TextStyle::default(),
            }],
        },
    ];
    for (i, url) in links.iter().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        blocks.push(Block {
            kind: BlockKind::Paragraph,
            dir: Direction::Ltr,
            runs: vec![
                StyledRun {
                    text: format!("[{n}] "),
                    style: TextStyle {
                        marker: true,
                        link: Some(n),
                        ..Default::default()
                    },
                },
                StyledRun {
                    text: url.clone(),
                    style: TextStyle {
                        link: Some(n),
                        ..Default::default()
                    },
                },
            ],
        });
    }
    blocks
}
