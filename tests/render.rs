//! Snapshots of real Persian content through the whole text pipeline: the
//! fa-sanjnews-1 article (HTML to blocks to visual lines) and the headlines of the
//! `fa-*` feeds, at 80 and 40 columns, with and without shaping. Each row is
//! padded to the width and closed with `|` so alignment shows in the snapshot.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use khabar::html;
use khabar::text::layout::{layout_blocks, layout_headline};
use khabar::text::{Direction, LayoutOptions, VisualLine, direction_for_language};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

const WIDTHS: [u16; 2] = [80, 40];

fn cells(text: &str) -> usize {
    text.graphemes(true).map(|g| g.width()).sum()
}

/// A visual line as a row of exactly `width` cells, then `|`.
fn row(line: &VisualLine, width: u16) -> String {
    let mut text = " ".repeat(usize::from(line.indent));
    for span in &line.spans {
        text.push_str(&span.text);
    }
    let used = cells(&text);
    assert!(
        used <= usize::from(width),
        "row wider than {width}: {text:?}"
    );
    text.push_str(&" ".repeat(usize::from(width) - used));
    text.push('|');
    text
}

fn mode_name(shape: bool) -> &'static str {
    if shape { "shaped" } else { "unshaped" }
}

#[test]
fn article_fa_sanjnews_1() {
    let source = include_str!("fixtures/articles/fa-sanjnews-1/source.html");
    let doc = html::to_document(source, Some("https://sanjnews.ir/fa/news/1"));
    assert!(
        doc.links
            .iter()
            .all(|l| l.starts_with("https://sanjnews.ir/"))
    );
    let mut blocks = doc.blocks;
    blocks.extend(html::link_list_blocks(&doc.links));
    for width in WIDTHS {
        for shape in [false, true] {
            let opts = LayoutOptions {
                shape,
                terminal_bidi: false,
            };
            let rows: Vec<String> = layout_blocks(&blocks, width, opts)
                .iter()
                .map(|l| row(l, width))
                .collect();
            insta::assert_snapshot!(
                format!("article_fa_sanjnews_1_{width}_{}", mode_name(shape)),
                rows.join("\n")
            );
        }
    }
}

/// Titles of a feed, each with the direction its language (the entry's, else the
/// feed's) implies.
fn feed_titles(bytes: &[u8]) -> Vec<(String, Direction)> {
    let feed = feed_rs::parser::parse(bytes).unwrap();
    feed.entries
        .iter()
        .filter_map(|e| {
            let language = e.language.as_deref().or(feed.language.as_deref());
            let dir = direction_for_language(language, Direction::Auto);
            e.title.as_ref().map(|t| (t.content.clone(), dir))
        })
        .collect()
}

#[test]
fn headlines_of_fa_feeds() {
    let feeds: [(&str, &[u8]); 4] = [
        (
            "fa-atom-mixed-direction",
            include_bytes!("fixtures/feeds/fa-atom-mixed-direction.xml"),
        ),
        (
            "fa-rss20-jalali-pubdate",
            include_bytes!("fixtures/feeds/fa-rss20-jalali-pubdate.xml"),
        ),
        (
            "fa-rss20-windows-1256",
            include_bytes!("fixtures/feeds/fa-rss20-windows-1256.xml"),
        ),
        (
            "fa-rss20-worldservice-template",
            include_bytes!("fixtures/feeds/fa-rss20-worldservice-template.xml"),
        ),
    ];
    for (name, bytes) in feeds {
        let titles = feed_titles(bytes);
        assert!(!titles.is_empty(), "{name} has no titles");
        for width in WIDTHS {
            for shape in [false, true] {
                let opts = LayoutOptions {
                    shape,
                    terminal_bidi: false,
                };
                let rows: Vec<String> = titles
                    .iter()
                    .map(|(t, dir)| row(&layout_headline(t, *dir, width, opts), width))
                    .collect();
                insta::assert_snapshot!(
                    format!("headlines_{name}_{width}_{}", mode_name(shape)),
                    rows.join("\n")
                );
            }
        }
    }
}
