//! The tree walk behind [`super::to_document`]: inline text gathers into styled
//! runs; block elements flush them into [`Block`]s.

use scraper::{ElementRef, Node};

use super::Document;
use super::limits::{MAX_DEPTH, MAX_DRAWN_DEPTH, split_long};
use crate::text::{Block, BlockKind, Direction, StyledRun, TextStyle};

/// Elements whose content is never shown.
pub(super) const DROPPED: &[&str] = &[
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

/// Blocks that follow each other without a blank line between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Other,
    List,
    Table,
}

struct List {
    ordered: bool,
    /// The number of the next item; `<ol reversed>` counts down, past zero too.
    next: i64,
    reversed: bool,
}

pub(super) struct Builder {
    pub(super) base: Option<url::Url>,
    blocks: Vec<Block>,
    pub(super) links: Vec<String>,
    /// `links` by URL, so numbering a link is not a scan of every earlier one.
    pub(super) link_numbers: std::collections::HashMap<String, u32>,
    pub(super) runs: Vec<StyledRun>,
    /// Kind of the block being gathered; the top applies.
    kinds: Vec<BlockKind>,
    /// Direction from `dir` attributes; the top applies.
    dirs: Vec<Direction>,
    pub(super) style: TextStyle,
    lists: Vec<List>,
    /// `<blockquote>`s open around the text; drawn at most
    /// [`MAX_DRAWN_DEPTH`] deep.
    quote_depth: u32,
    /// Elements open around the one being walked (see [`MAX_DEPTH`]).
    depth: u32,
    /// Whether the last character gathered was collapsible whitespace.
    pub(super) after_space: bool,
    last_group: Option<Group>,
    group: Group,
    /// The next block continues the previous one (after `<br>`): no blank line.
    glued: bool,
    /// Inside a table cell: a block (`<p>` in a `<td>`) only separates words, so
    /// the row stays one line.
    pub(super) cell_depth: u32,
}

impl Builder {
    pub fn new(base: Option<url::Url>) -> Self {
        Builder {
            base,
            blocks: Vec::new(),
            links: Vec::new(),
            link_numbers: std::collections::HashMap::new(),
            runs: Vec::new(),
            kinds: Vec::new(),
            dirs: Vec::new(),
            style: TextStyle::default(),
            lists: Vec::new(),
            quote_depth: 0,
            depth: 0,
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

    pub(super) fn children(&mut self, el: ElementRef<'_>) {
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
        if self.depth >= MAX_DEPTH {
            // Past the depth bound the structure is flattened, the text kept.
            self.flat_text(el);
            return;
        }
        self.depth += 1;
        self.element_in_bounds(el, name);
        self.depth -= 1;
    }

    fn element_in_bounds(&mut self, el: ElementRef<'_>, name: &str) {
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
                let reversed = name == "ol" && el.value().attr("reversed").is_some();
                let start = el
                    .value()
                    .attr("start")
                    .and_then(|s| s.trim().parse::<i64>().ok())
                    .unwrap_or_else(|| {
                        if reversed {
                            // A reversed list counts down to 1 from its item count.
                            let items = el
                                .child_elements()
                                .filter(|c| c.value().name() == "li")
                                .count();
                            i64::try_from(items).unwrap_or(i64::MAX)
                        } else {
                            1
                        }
                    });
                self.lists.push(List {
                    ordered: name == "ol",
                    next: start,
                    reversed,
                });
                let outer_group = self.group;
                self.group = Group::List;
                self.children(el);
                self.flush();
                self.group = outer_group;
                self.lists.pop();
            }
            "li" => {
                let depth = u8::try_from(self.lists.len().saturating_sub(1))
                    .unwrap_or(u8::MAX)
                    .min(MAX_DRAWN_DEPTH);
                let value = el
                    .value()
                    .attr("value")
                    .and_then(|v| v.trim().parse::<i64>().ok());
                let marker = match self.lists.last_mut() {
                    Some(list) if list.ordered => {
                        let n = value.unwrap_or(list.next);
                        list.next = if list.reversed {
                            n.saturating_sub(1)
                        } else {
                            n.saturating_add(1)
                        };
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
                // Counted exactly (bounded by MAX_DEPTH), drawn at most MAX_DRAWN_DEPTH deep.
                self.quote_depth += 1;
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

    pub(super) fn styled(&mut self, el: ElementRef<'_>, change: impl Fn(&mut TextStyle)) {
        let saved = self.style;
        change(&mut self.style);
        self.children(el);
        self.style = saved;
    }

    pub(super) fn text(&mut self, text: &str) {
        let style = self.style;
        self.inline_text(text, style);
    }

    /// Adds text with whitespace collapsed as a browser does.
    pub(super) fn inline_text(&mut self, text: &str, style: TextStyle) {
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
            None if self.quote_depth > 0 => BlockKind::Quote(
                u8::try_from(self.quote_depth)
                    .unwrap_or(u8::MAX)
                    .min(MAX_DRAWN_DEPTH),
            ),
            None => BlockKind::Paragraph,
        }
    }

    /// Collapsible whitespace in the current style (a word break).
    pub(super) fn space(&mut self) {
        let style = self.style;
        self.inline_text(" ", style);
    }

    /// Turns the gathered runs into a block (if they hold any text).
    pub(super) fn flush(&mut self) {
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
        // A paragraph of megabytes continues in glued blocks (see MAX_BLOCK_BYTES).
        for (i, runs) in split_long(runs).into_iter().enumerate() {
            if i > 0 {
                self.glued = true;
            }
            let kind = self.current_kind();
            // The rest of a list item continues under its text, without a new marker.
            if let Some(BlockKind::ListItem { marker, .. }) = self.kinds.last_mut() {
                *marker = " ".repeat(crate::text::str_width(marker).into());
            }
            let dir = self.dirs.last().copied().unwrap_or_default();
            self.push_block(Block { kind, dir, runs });
        }
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
pub(super) fn starts_block(name: &str) -> bool {
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

pub(super) fn trim_end(runs: &mut Vec<StyledRun>) {
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
