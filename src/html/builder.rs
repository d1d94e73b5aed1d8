//! The tree walk behind [`super::to_document`]: inline text gathers into styled
//! runs; block elements flush them into [`Block`]s.

use scraper::{ElementRef, Node};

use super::Document;
use crate::text::{Block, BlockKind, Direction, StyledRun, TextStyle};

/// Elements whose content is never shown.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "object", "embed", "svg", "math",
    "canvas", "select", "button", "input", "textarea", "map",
];

/// Elements that start and end a block.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "figure",
    "figcaption",
    "address",
    "details",
    "summary",
    "center",
    "dl",
    "dt",
    "dd",
    "caption",
    "fieldset",
    "legend",
    "body",
    "html",
    "form",
    "hgroup",
];

const BULLETS: &[&str] = &["•", "◦", "▪"];

/// Table columns wider than this are not padded: one long cell must not push
/// every other row's bar far to the side.
const MAX_PADDED_COLUMN: u16 = 24;

/// Blocks that follow each other without a blank line between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Other,
    List,
    Table,
}

struct List {
    ordered: bool,
    next: u32,
}

pub(super) struct Builder {
    base: Option<url::Url>,
    blocks: Vec<Block>,
    links: Vec<String>,
    runs: Vec<StyledRun>,
    /// Kind of the block being gathered; the top applies.
    kinds: Vec<BlockKind>,
    /// Direction from `dir` attributes; the top applies.
    dirs: Vec<Direction>,
    style: TextStyle,
    lists: Vec<List>,
    quote_depth: u8,
    /// Whether the last character gathered was collapsible whitespace.
    after_space: bool,
    last_group: Option<Group>,
    group: Group,
    /// The next block continues the previous one (after `<br>`): no blank line.
    glued: bool,
    /// Inside a table cell: a block (`<p>` in a `<td>`) only separates words, so
    /// the row stays one line.
    cell_depth: u32,
}

impl Builder {
    pub fn new(base: Option<url::Url>) -> Self {
        Builder {
            base,
            blocks: Vec::new(),
            links: Vec::new(),
            runs: Vec::new(),
            kinds: Vec::new(),
            dirs: Vec::new(),
            style: TextStyle::default(),
            lists: Vec::new(),
            quote_depth: 0,
            after_space: true,
            last_group: None,
            group: Group::Other,
            glued: false,
            cell_depth: 0,
        }
    }

    pub fn build(mut self, root: ElementRef<'_>) -> Document {
        self.element(root);
        self.flush();
        while self
            .blocks
            .last()
            .is_some_and(|b| b.kind == BlockKind::Blank)
        {
            self.blocks.pop();
        }
        Document {
            blocks: self.blocks,
            links: self.links,
        }
    }

    fn children(&mut self, el: ElementRef<'_>) {
        for child in el.children() {
            match child.value() {
                Node::Text(text) => self.text(text),
                Node::Element(_) => {
                    if let Some(el) = ElementRef::wrap(child) {
                        self.element(el);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, el: ElementRef<'_>) {
        let name = el.value().name();
        if DROPPED.contains(&name) {
            return;
        }
        let dir = match el
            .value()
            .attr("dir")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("rtl") => Some(Direction::Rtl),
            Some("ltr") => Some(Direction::Ltr),
            _ => None,
        };
        if let Some(dir) = dir {
            // Text gathered before a block with its own `dir` belongs to the block
            // before it (an `<img>` before `<p dir="rtl">` is not right-to-left).
            if starts_block(name) {
                self.flush();
            }
            self.dirs.push(dir);
        }
        self.element_body(el, name);
        if dir.is_some() {
            self.dirs.pop();
        }
    }

    fn element_body(&mut self, el: ElementRef<'_>, name: &str) {
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name[1..].parse().unwrap_or(1);
                self.block_with(el, BlockKind::Heading(level));
            }
            "ul" | "ol" | "menu" => {
                self.flush();
                let start = el
                    .value()
                    .attr("start")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                self.lists.push(List {
                    ordered: name == "ol",
                    next: start,
                });
                let outer_group = self.group;
                self.group = Group::List;
                self.children(el);
                self.flush();
                self.group = outer_group;
                self.lists.pop();
            }
            "li" => {
                let depth = u8::try_from(self.lists.len().saturating_sub(1)).unwrap_or(u8::MAX);
                let marker = match self.lists.last_mut() {
                    Some(list) if list.ordered => {
                        let n = list.next;
                        list.next = list.next.saturating_add(1);
                        format!("{n}.")
                    }
                    _ => BULLETS[usize::from(depth) % BULLETS.len()].to_string(),
                };
                let outer_group = self.group;
                self.group = Group::List;
                self.block_with(el, BlockKind::ListItem { depth, marker });
                self.group = outer_group;
            }
            "blockquote" => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_add(1);
                self.children(el);
                self.flush();
                self.quote_depth -= 1;
            }
            "pre" => {
                self.flush();
                let text: String = el.text().collect();
                let text = text.strip_prefix('\n').unwrap_or(&text).to_string();
                if !text.trim().is_empty() {
                    let style = TextStyle {
                        code: true,
                        ..Default::default()
                    };
                    self.push_block(Block {
                        kind: BlockKind::Code,
                        dir: Direction::Ltr,
                        runs: vec![StyledRun { text, style }],
                    });
                }
            }
            "hr" => {
                self.flush();
                self.push_block(Block {
                    kind: BlockKind::Rule,
                    ..Default::default()
                });
            }
            "br" => {
                // A line break inside a block: the rest continues as its own line,
                // without a blank line and without repeating a list marker.
                self.flush();
                self.glued = true;
            }
            "table" => {
                self.flush();
                let outer_group = self.group;
                self.group = Group::Table;
                self.table(el);
                self.group = outer_group;
            }
            "img" => {
                let alt = el.value().attr("alt").map(str::trim).unwrap_or_default();
                let label = if alt.is_empty() {
                    "[image]".to_string()
                } else {
                    format!("[image: {}]", collapse(alt))
                };
                self.inline_text(
                    &label,
                    TextStyle {
                        italic: true,
                        ..self.style
                    },
                );
            }
            "iframe" | "video" | "audio" => self.media(el, name),
            "a" => self.link(el),
            "b" | "strong" => self.styled(el, |s| s.bold = true),
            "i" | "em" | "cite" | "var" | "dfn" => self.styled(el, |s| s.italic = true),
            "code" | "kbd" | "samp" | "tt" => self.styled(el, |s| s.code = true),
            name if BLOCKS.contains(&name) => {
                self.flush();
                self.children(el);
                self.flush();
            }
            _ => self.children(el),
        }
    }

    /// A block element with its own kind (heading, list item).
    fn block_with(&mut self, el: ElementRef<'_>, kind: BlockKind) {
        self.flush();
        self.kinds.push(kind);
        self.children(el);
        self.flush();
        self.kinds.pop();
    }

    fn styled(&mut self, el: ElementRef<'_>, change: impl Fn(&mut TextStyle)) {
        let saved = self.style;
        change(&mut self.style);
        self.children(el);
        self.style = saved;
    }

    /// An embedded player (a YouTube `<iframe>`, `<video>`, `<audio>`) cannot play
    /// in a terminal, but the reader should know it is there and be able to open it:
    /// `[video]` with its source as a numbered link.
    fn media(&mut self, el: ElementRef<'_>, name: &str) {
        let label = match name {
            "iframe" => "[embedded content]",
            "video" => "[video]",
            _ => "[audio]",
        };
        let src = el.value().attr("src").or_else(|| {
            el.descendants()
                .filter_map(ElementRef::wrap)
                .find(|child| child.value().name() == "source")
                .and_then(|source| source.value().attr("src"))
        });
        // A player is a box of its own in a browser: keep it apart from its neighbours.
        let style = self.style;
        self.inline_text(" ", style);
        self.inline_text(
            label,
            TextStyle {
                italic: true,
                ..self.style
            },
        );
        if let Some(url) = src.and_then(|src| self.resolve(src)) {
            let n = self.number_link(url);
            self.runs.push(StyledRun {
                text: format!("[{n}]"),
                style: TextStyle {
                    marker: true,
                    link: Some(n),
                    ..Default::default()
                },
            });
            self.after_space = false;
        }
        self.inline_text(" ", style);
    }

    /// The number of `url` in the link list, adding it when new.
    fn number_link(&mut self, url: String) -> u32 {
        let n = match self.links.iter().position(|l| *l == url) {
            Some(i) => i + 1,
            None => {
                self.links.push(url);
                self.links.len()
            }
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    fn link(&mut self, el: ElementRef<'_>) {
        let Some(url) = el.value().attr("href").and_then(|h| self.resolve(h)) else {
            self.children(el);
            return;
        };
        let n = self.number_link(url);
        let saved = self.style;
        self.style.link = Some(n);
        self.children(el);
        self.style = saved;
        let marker = TextStyle {
            marker: true,
            link: Some(n),
            ..Default::default()
        };
        self.runs.push(StyledRun {
            text: format!("[{n}]"),
            style: marker,
        });
        self.after_space = false;
    }

    /// An absolute URL for `href`, or `None` for links that lead nowhere useful.
    fn resolve(&self, href: &str) -> Option<String> {
        let href = href.trim();
        if href.is_empty()
            || href.starts_with('#')
            || href.to_ascii_lowercase().starts_with("javascript:")
        {
            return None;
        }
        if let Ok(url) = url::Url::parse(href) {
            return Some(url.to_string());
        }
        match &self.base {
            Some(base) => base.join(href).ok().map(|u| u.to_string()),
            None => Some(href.to_string()),
        }
    }

    /// Rows of cells separated by a bar, one block per row; header cells bold.
    /// Cells are padded to their column's width (up to [`MAX_PADDED_COLUMN`] cells)
    /// so the bars line up.
    fn table(&mut self, table: ElementRef<'_>) {
        let rows: Vec<Vec<Vec<StyledRun>>> = rows(table)
            .into_iter()
            .map(|row| self.row_cells(row))
            .collect();
        let mut widths: Vec<u16> = Vec::new();
        for row in &rows {
            for (i, cell) in row.iter().enumerate() {
                let width = runs_width(cell).min(MAX_PADDED_COLUMN);
                match widths.get_mut(i) {
                    Some(w) => *w = (*w).max(width),
                    None => widths.push(width),
                }
            }
        }
        for row in rows {
            let cells = row.len();
            for (i, cell) in row.into_iter().enumerate() {
                if i > 0 {
                    self.runs.push(StyledRun {
                        text: " │ ".into(),
                        style: TextStyle {
                            marker: true,
                            ..Default::default()
                        },
                    });
                }
                let pad = widths[i].saturating_sub(runs_width(&cell));
                self.runs.extend(cell);
                if pad > 0 && i + 1 < cells {
                    self.runs.push(StyledRun {
                        text: " ".repeat(usize::from(pad)),
                        style: TextStyle::default(),
                    });
                }
            }
            self.flush();
        }
        for caption in table
            .child_elements()
            .filter(|c| c.value().name() == "caption")
        {
            self.styled(caption, |s| s.italic = true);
            self.flush();
        }
    }

    /// The styled text of each `td`/`th` of a row, trimmed.
    fn row_cells(&mut self, row: ElementRef<'_>) -> Vec<Vec<StyledRun>> {
        let outer = std::mem::take(&mut self.runs);
        let mut cells = Vec::new();
        for cell in row.child_elements() {
            let name = cell.value().name();
            if name != "td" && name != "th" {
                continue;
            }
            let saved = self.style;
            if name == "th" {
                self.style.bold = true;
            }
            self.after_space = true;
            self.cell_depth += 1;
            self.children(cell);
            self.cell_depth -= 1;
            self.style = saved;
            trim_end(&mut self.runs);
            cells.push(std::mem::take(&mut self.runs));
        }
        self.runs = outer;
        self.after_space = true;
        cells
    }

    fn text(&mut self, text: &str) {
        let style = self.style;
        self.inline_text(text, style);
    }

    /// Adds text with whitespace collapsed as a browser does.
    fn inline_text(&mut self, text: &str, style: TextStyle) {
        let mut collapsed = String::with_capacity(text.len());
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0C}') {
                if !self.after_space {
                    collapsed.push(' ');
                    self.after_space = true;
                }
            } else {
                collapsed.push(c);
                self.after_space = false;
            }
        }
        if collapsed.is_empty() {
            return;
        }
        match self.runs.last_mut() {
            Some(last) if last.style == style => last.text.push_str(&collapsed),
            _ => self.runs.push(StyledRun {
                text: collapsed,
                style,
            }),
        }
    }

    fn current_kind(&self) -> BlockKind {
        match self.kinds.last() {
            Some(kind) => kind.clone(),
            None if self.quote_depth > 0 => BlockKind::Quote(self.quote_depth),
            None => BlockKind::Paragraph,
        }
    }

    /// Turns the gathered runs into a block (if they hold any text).
    fn flush(&mut self) {
        if self.cell_depth > 0 {
            let style = self.style;
            self.inline_text(" ", style);
            return;
        }
        trim_end(&mut self.runs);
        self.after_space = true;
        if self.runs.iter().all(|r| r.text.trim().is_empty()) {
            self.runs.clear();
            return;
        }
        let runs = std::mem::take(&mut self.runs);
        let kind = self.current_kind();
        // The rest of a list item continues under its text, without a new marker.
        if let Some(BlockKind::ListItem { marker, .. }) = self.kinds.last_mut() {
            *marker = " ".repeat(crate::text::str_width(marker).into());
        }
        let dir = self.dirs.last().copied().unwrap_or_default();
        self.push_block(Block { kind, dir, runs });
    }

    fn push_block(&mut self, block: Block) {
        let group = self.group;
        let tight = self.glued || (group != Group::Other && self.last_group == Some(group));
        self.glued = false;
        if !self.blocks.is_empty() && !tight {
            self.blocks.push(Block {
                kind: BlockKind::Blank,
                ..Default::default()
            });
        }
        self.blocks.push(block);
        self.last_group = Some(group);
    }
}

/// Elements that end the text gathered before them (see `element_body`).
fn starts_block(name: &str) -> bool {
    BLOCKS.contains(&name)
        || matches!(
            name,
            "h1" | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "ul"
                | "ol"
                | "menu"
                | "li"
                | "blockquote"
                | "pre"
                | "hr"
                | "table"
        )
}

/// The rows of a table in document order, looking through thead/tbody/tfoot but
/// not into nested tables.
fn rows<'a>(table: ElementRef<'a>) -> Vec<ElementRef<'a>> {
    let mut out = Vec::new();
    for child in table.child_elements() {
        match child.value().name() {
            "tr" => out.push(child),
            "thead" | "tbody" | "tfoot" => {
                out.extend(child.child_elements().filter(|r| r.value().name() == "tr"));
            }
            _ => {}
        }
    }
    out
}

fn runs_width(runs: &[StyledRun]) -> u16 {
    runs.iter()
        .map(|r| crate::text::str_width(&r.text))
        .fold(0, u16::saturating_add)
}

fn trim_end(runs: &mut Vec<StyledRun>) {
    while let Some(last) = runs.last_mut() {
        let trimmed = last.text.trim_end_matches(' ').len();
        last.text.truncate(trimmed);
        if last.text.is_empty() {
            runs.pop();
        } else {
            break;
        }
    }
}

fn collapse(text: &str) -> String {
    text.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}
