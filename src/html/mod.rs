//! HTML to styled [`crate::text::Block`]s: paragraphs, headings, lists, quotes,
//! preformatted text, tables, images as `[image: alt]`, and numbered links.
//!
//! Pure: a string in, blocks out. Scripts, styles and other non-content elements
//! are dropped; whitespace collapses as a browser would; everything stays in
//! logical order for the layout engine.

mod builder;
mod inert;
mod limits;
mod links;
mod nesting;
mod table;

pub use limits::{MAX_DEPTH, MAX_LINKS};
pub use nesting::{MAX_PARSE_DEPTH, bounded_nesting, bounded_nesting_to, bounded_page_to};

use crate::text::{Block, BlockKind, Direction, StyledRun, TextStyle};

/// An HTML body turned into blocks, with its links numbered in order of appearance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// The blocks, in reading order.
    pub blocks: Vec<Block>,
    /// `links[n - 1]` is the URL of link `[n]`.
    pub links: Vec<String>,
}

/// Converts HTML (a fragment or a whole page) to blocks. Relative URLs resolve
/// against `base_url`; without one they are kept as written.
pub fn to_document(html: &str, base_url: Option<&str>) -> Document {
    let base = base_url.and_then(|b| url::Url::parse(b).ok());
    let is_page = {
        let head: String = html
            .chars()
            .take(1024)
            .collect::<String>()
            .to_ascii_lowercase();
        head.contains("<html") || head.contains("<!doctype") || head.contains("<body")
    };
    // The parser's work grows with the square of the nesting depth: bound it first.
    let html = bounded_nesting(html);
    let parsed = if is_page {
        scraper::Html::parse_document(&html)
    } else {
        scraper::Html::parse_fragment(&html)
    };
    builder::Builder::new(base).build(parsed.root_element())
}

/// The "links" section appended after an article: a heading, then one line per
/// link, `[n] URL`, left to right.
pub fn link_list_blocks(links: &[String]) -> Vec<Block> {
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

#[cfg(test)]
mod tests;
