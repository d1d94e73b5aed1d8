//! The open article: its header, the body converted from HTML, and the numbered
//! link list, laid out once per width (on load and on resize), never per frame.

use crate::html;
use crate::store::{ItemDetail, ItemId};
use crate::text::layout::layout_blocks;
use crate::text::{
    Block, BlockKind, Direction, LayoutOptions, StyledRun, TextStyle, VisualLine,
    direction_for_language,
};

use super::dates::DateStyle;
use super::dates::full_date;
use super::i18n::{Text, is_rtl, tr};
use super::tags::isolated_list_with;

/// An article on screen: the item, its laid-out lines and the scroll position.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleView {
    /// The item.
    pub id: ItemId,
    /// `None` while loading.
    pub detail: Option<Box<ItemDetail>>,
    /// The item was not in the database (removed meanwhile).
    pub missing: bool,
    /// The content as blocks, before layout.
    pub blocks: Vec<Block>,
    /// `links[n - 1]` is link `[n]`.
    pub links: Vec<String>,
    /// The blocks laid out at `laid_width`.
    pub lines: Vec<VisualLine>,
    /// The width `lines` were laid out for.
    pub laid_width: u16,
    /// First line on screen.
    pub scroll: usize,
    /// The feed's own text even though the full text is there (`F`).
    pub show_feed_text: bool,
}

impl ArticleView {
    /// An article whose item is still being read from the database.
    pub fn loading(id: ItemId) -> ArticleView {
        ArticleView {
            id,
            detail: None,
            missing: false,
            blocks: Vec::new(),
            links: Vec::new(),
            lines: Vec::new(),
            laid_width: 0,
            scroll: 0,
            show_feed_text: false,
        }
    }

    /// Builds the blocks for `detail` and lays them out at `width`.
    pub fn set_detail(
        &mut self,
        detail: Box<ItemDetail>,
        width: u16,
        opts: LayoutOptions,
        dates: DateStyle,
    ) {
        let (blocks, links) = shown_blocks(&detail, self.show_feed_text, dates);
        self.blocks = blocks;
        self.links = links;
        self.detail = Some(detail);
        self.laid_width = 0;
        self.relayout(width, opts);
    }

    /// Writes the header's date in `dates` again (the local offset changed).
    pub fn restyle_dates(&mut self, width: u16, opts: LayoutOptions, dates: DateStyle) {
        if let Some(detail) = self.detail.take() {
            let scroll = self.scroll;
            self.set_detail(detail, width, opts, dates);
            self.scroll = scroll.min(self.lines.len().saturating_sub(1));
        }
    }

    /// Whether the body shown is the full text from the item's page.
    pub fn showing_full_text(&self) -> bool {
        !self.show_feed_text
            && self
                .detail
                .as_ref()
                .is_some_and(|d| d.fulltext_html.is_some())
    }

    /// Shows the feed's text (`feed_text`) or the full text, from the top.
    pub fn show(&mut self, feed_text: bool, width: u16, opts: LayoutOptions, dates: DateStyle) {
        self.show_feed_text = feed_text;
        if let Some(detail) = self.detail.take() {
            self.set_detail(detail, width, opts, dates);
            self.scroll = 0;
        }
    }

    /// Lays out again only when the width changed.
    pub fn relayout(&mut self, width: u16, opts: LayoutOptions) {
        if width == self.laid_width || self.detail.is_none() {
            return;
        }
        self.laid_width = width;
        self.lines = layout_blocks(&self.blocks, width.max(1), opts);
        self.scroll = self.scroll.min(self.lines.len().saturating_sub(1));
    }

    /// The link under `n` (1-based), or the article's own link for `None`.
    pub fn link(&self, n: Option<u32>) -> Option<&str> {
        match n {
            Some(n) => self
                .links
                .get(usize::try_from(n).ok()?.checked_sub(1)?)
                .map(String::as_str),
            None => self.detail.as_ref()?.row.link.as_deref(),
        }
    }
}

fn run(text: impl Into<String>, style: TextStyle) -> StyledRun {
    StyledRun {
        text: text.into(),
        style,
    }
}

fn label() -> TextStyle {
    TextStyle {
        marker: true,
        ..Default::default()
    }
}

fn header_line(name: &str, value: &str, dir: Direction) -> Block {
    Block {
        kind: BlockKind::Paragraph,
        dir,
        runs: vec![
            run(format!("{name}: "), label()),
            run(value, TextStyle::default()),
        ],
    }
}

fn blank() -> Block {
    Block {
        kind: BlockKind::Blank,
        ..Default::default()
    }
}

/// The blocks and links the article view shows for `detail`: the full text,
/// when there is one, unless `F` asked for the feed's own (`feed_text`).
pub fn shown_blocks(
    detail: &ItemDetail,
    feed_text: bool,
    dates: DateStyle,
) -> (Vec<Block>, Vec<String>) {
    match detail.fulltext_html.as_deref() {
        Some(full) if !feed_text => {
            let mut shown = detail.clone();
            shown.content_html = Some(full.to_string());
            article_blocks(&shown, dates)
        }
        _ => article_blocks(detail, dates),
    }
}

/// Header, body and link list as blocks, plus the numbered links.
pub fn article_blocks(detail: &ItemDetail, dates: DateStyle) -> (Vec<Block>, Vec<String>) {
    let row = &detail.row;
    let locale = dates.locale;
    // The header is the interface's: it reads from the right in a Persian one.
    let dir = if is_rtl(locale) {
        Direction::Rtl
    } else {
        Direction::Ltr
    };
    let header = |label: Text, value: &str| header_line(tr(locale, label), value, dir);
    let mut blocks = vec![Block {
        kind: BlockKind::Heading(1),
        dir: direction_for_language(row.language.as_deref(), row.direction),
        runs: vec![run(
            if row.title.is_empty() {
                tr(locale, Text::Untitled).to_string()
            } else {
                row.title.clone()
            },
            TextStyle {
                heading: true,
                bold: true,
                ..Default::default()
            },
        )],
    }];
    blocks.push(header(Text::LabelFeed, &row.feed_title));
    if let Some(author) = detail.author.as_deref().filter(|a| !a.is_empty()) {
        blocks.push(header(Text::LabelAuthor, author));
    }
    let when = detail.published.unwrap_or(row.sort_time);
    blocks.push(header(Text::LabelDate, &full_date(when, dates)));
    if !detail.tags.is_empty() {
        // Each tag isolated: a Persian tag reads right to left, the list left to right.
        blocks.push(header(
            Text::LabelTags,
            &isolated_list_with(&detail.tags, tr(locale, Text::ListSeparator)),
        ));
    }
    if let Some(link) = row.link.as_deref() {
        blocks.push(header(Text::LabelLink, link));
    }
    blocks.push(blank());

    let html = detail
        .content_html
        .as_deref()
        .filter(|h| !h.trim().is_empty())
        .or(detail.summary.as_deref())
        .unwrap_or("");
    let doc = html::to_document(html, row.link.as_deref().or(Some(&detail.feed_url)));
    let mut body = doc.blocks;
    for block in &mut body {
        // Blocks the converter left to auto-detect follow the feed's configured direction.
        if block.dir == Direction::Auto {
            block.dir = direction_for_language(row.language.as_deref(), row.direction);
        }
    }
    blocks.extend(body);

    let mut links = doc.links;
    for enclosure in &detail.enclosures {
        if !links.contains(&enclosure.url) {
            links.push(enclosure.url.clone());
        }
    }
    // The same numbered list as `khabar render`, enclosures included, under a
    // heading in the interface's language.
    let mut list = html::link_list_blocks(&links);
    // A file's type, play time and title after its address:
    // `[3] https://…/e.mp3 (audio/mpeg, 42:10, "Episode")`. The list is a
    // blank line, the heading, then one paragraph per link, in order.
    for enclosure in &detail.enclosures {
        let Some(note) = enclosure.note() else {
            continue;
        };
        let at = links.iter().position(|l| *l == enclosure.url);
        if let Some(block) = at.and_then(|at| list.get_mut(at + 2)) {
            block.runs.push(StyledRun {
                text: format!(" ({note})"),
                style: TextStyle::default(),
            });
        }
    }
    if let Some(heading) = list
        .iter_mut()
        .find(|b| matches!(b.kind, BlockKind::Heading(_)))
    {
        heading.dir = dir;
        for run in &mut heading.runs {
            run.text = tr(locale, Text::Links).to_string();
        }
    }
    blocks.extend(list);
    (blocks, links)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ItemRow;

    #[test]
    fn header_has_every_field_and_link_numbers_start_at_one() {
        let detail = ItemDetail {
            row: ItemRow {
                title: "Hello".into(),
                feed_title: "Feed".into(),
                link: Some("https://example.org/a".into()),
                ..Default::default()
            },
            author: Some("Ann".into()),
            tags: vec!["x".into(), "y".into()],
            enclosures: vec![crate::feed::Enclosure {
                url: "https://example.org/a.mp3".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let (blocks, links) = article_blocks(&detail, DateStyle::default());
        let text: Vec<String> = blocks
            .iter()
            .map(|b| b.runs.iter().map(|r| r.text.as_str()).collect())
            .collect();
        assert_eq!(text[0], "Hello");
        assert!(text.iter().any(|t| t.starts_with("Author: ")));
        assert!(
            text.iter()
                .any(|t| t.starts_with("Tags: ") && t.contains("x\u{2069}, \u{2068}y"))
        );
        assert_eq!(links, vec!["https://example.org/a.mp3".to_string()]);
        // The link list is the one `khabar render` prints.
        let list = html::link_list_blocks(&links);
        assert!(blocks.ends_with(&list), "{blocks:?}");
        let mut view = ArticleView::loading(1);
        view.set_detail(
            Box::new(detail),
            40,
            LayoutOptions::default(),
            DateStyle::default(),
        );
        assert_eq!(view.link(Some(1)), Some("https://example.org/a.mp3"));
        assert_eq!(view.link(Some(2)), None);
        assert_eq!(view.link(None), Some("https://example.org/a"));
    }
}
