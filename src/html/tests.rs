//! Unit tests of the HTML converter: structure, whitespace, links, lists, tables.

use super::*;
use crate::text::BlockKind;

fn texts(doc: &Document) -> Vec<(BlockKind, String)> {
    doc.blocks
        .iter()
        .map(|b| {
            (
                b.kind.clone(),
                b.runs.iter().map(|r| r.text.as_str()).collect(),
            )
        })
        .collect()
}

fn para(text: &str) -> (BlockKind, String) {
    (BlockKind::Paragraph, text.to_string())
}

fn blank() -> (BlockKind, String) {
    (BlockKind::Blank, String::new())
}

#[test]
fn paragraphs_headings_and_whitespace() {
    let doc = to_document(
        "<h2>  Title\n here </h2>\n<p>one   <b>two</b>\n three</p><p>four</p>",
        None,
    );
    assert_eq!(
        texts(&doc),
        [
            (BlockKind::Heading(2), "Title here".into()),
            blank(),
            para("one two three"),
            blank(),
            para("four"),
        ]
    );
    let bold = &doc.blocks[2].runs[1];
    assert_eq!(bold.text, "two");
    assert!(bold.style.bold);
}

#[test]
fn scripts_and_styles_dropped() {
    let doc = to_document(
        "<p>a<script>evil()</script><style>p{}</style>b</p><noscript>x</noscript>",
        None,
    );
    assert_eq!(texts(&doc), [para("ab")]);
}

#[test]
fn links_numbered_and_resolved() {
    let doc = to_document(
        r#"<p>see <a href="/a">this</a> and <a href="https://x.org/b">that</a> and <a href="/a">again</a> <a href="javascript:x()">js</a></p>"#,
        Some("https://example.com/news/1"),
    );
    assert_eq!(doc.links, ["https://example.com/a", "https://x.org/b"]);
    assert_eq!(
        texts(&doc),
        [para("see this[1] and that[2] and again[1] js")]
    );
    let marker = doc.blocks[0].runs.iter().find(|r| r.text == "[2]").unwrap();
    assert!(marker.style.marker);
    assert_eq!(marker.style.link, Some(2));
    let text = doc.blocks[0]
        .runs
        .iter()
        .find(|r| r.text == "that")
        .unwrap();
    assert_eq!(text.style.link, Some(2));
    assert!(!text.style.marker);
}

#[test]
fn nested_lists() {
    let doc = to_document(
        "<ol start=3><li>three<ul><li>dot</li><li>dot2</li></ul>tail</li><li>four</li></ol><p>after</p>",
        None,
    );
    let item = |depth: u8, marker: &str, text: &str| {
        (
            BlockKind::ListItem {
                depth,
                marker: marker.into(),
            },
            text.to_string(),
        )
    };
    assert_eq!(
        texts(&doc),
        [
            item(0, "3.", "three"),
            item(1, "◦", "dot"),
            item(1, "◦", "dot2"),
            item(0, "  ", "tail"),
            item(0, "4.", "four"),
            blank(),
            para("after"),
        ]
    );
}

#[test]
fn quotes_pre_tables_images_rules() {
    let doc = to_document(
        "<blockquote><p>q1</p></blockquote><pre>\n  fn x() {\n\tok\n  }</pre>\
         <table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td> 2 </td></tr></table>\
         <p><img src=x.png alt=' a  cat '><img src=y.png></p><hr>",
        None,
    );
    assert_eq!(
        texts(&doc),
        [
            (BlockKind::Quote(1), "q1".into()),
            blank(),
            (BlockKind::Code, "  fn x() {\n\tok\n  }".into()),
            blank(),
            para("A │ B"),
            para("1 │ 2"),
            blank(),
            para("[image: a cat][image]"),
            blank(),
            (BlockKind::Rule, String::new()),
        ]
    );
    assert!(doc.blocks[4].runs[0].style.bold);
}

#[test]
fn dir_attribute_sets_direction() {
    let doc = to_document(
        r#"<html dir="rtl"><body><p>سلام</p><p dir="ltr">x</p></body></html>"#,
        None,
    );
    assert_eq!(doc.blocks[0].dir, Direction::Rtl);
    assert_eq!(doc.blocks[2].dir, Direction::Ltr);
}

#[test]
fn line_breaks_split_without_blank_lines() {
    let doc = to_document("<p>a<br>b</p>", None);
    assert_eq!(texts(&doc), [para("a"), para("b")]);
}

#[test]
fn link_list() {
    let blocks = link_list_blocks(&["https://a".into()]);
    assert_eq!(blocks.len(), 3);
    assert!(link_list_blocks(&[]).is_empty());
}

#[test]
fn image_before_rtl_paragraph_keeps_its_own_direction() {
    let doc = to_document(
        r#"<p>hello</p><img src="x.png" alt="a picture"><p dir="rtl">متن</p>"#,
        None,
    );
    let image = doc
        .blocks
        .iter()
        .find(|b| b.runs.iter().any(|r| r.text.contains("[image")))
        .unwrap();
    assert_eq!(image.dir, Direction::Auto);
    assert_eq!(doc.blocks.last().unwrap().dir, Direction::Rtl);
}

#[test]
fn table_columns_are_padded_so_bars_line_up() {
    let doc = to_document(
        "<table><tr><th>Name</th><th>Value</th><th>x</th></tr>\
         <tr><td>a</td><td>1</td><td>z</td></tr>\
         <tr><td><p>bbbbbb</p><p>cc</p></td><td>22</td></tr></table>",
        None,
    );
    assert_eq!(
        texts(&doc),
        [
            para("Name      │ Value │ x"),
            para("a         │ 1     │ z"),
            para("bbbbbb cc │ 22"),
        ]
    );
}

#[test]
fn table_column_padding_is_capped() {
    let long = "word ".repeat(20);
    let doc = to_document(
        &format!("<table><tr><td>{long}</td><td>1</td></tr><tr><td>a</td><td>2</td></tr></table>"),
        None,
    );
    let second = &texts(&doc)[1].1;
    assert_eq!(second, &format!("a{} │ 2", " ".repeat(23)));
}

/// Regression: an embedded video (`<iframe>`, the usual YouTube embed) vanished
/// without a trace; it is now a placeholder with its source as a numbered link.
#[test]
fn embedded_media_become_placeholders_with_links() {
    let doc = to_document(
        r#"<p>watch:</p><iframe src="https://www.youtube.com/embed/x"></iframe>
           <video><source src="/v.mp4"></video><audio src="a.mp3"></audio><iframe></iframe>"#,
        Some("https://site.example/news/1"),
    );
    assert_eq!(
        texts(&doc),
        [
            para("watch:"),
            blank(),
            para("[embedded content][1] [video][2] [audio][3] [embedded content]"),
        ]
    );
    assert_eq!(
        doc.links,
        [
            "https://www.youtube.com/embed/x",
            "https://site.example/v.mp4",
            "https://site.example/news/a.mp3",
        ]
    );
}
