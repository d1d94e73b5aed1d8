//! `khabar render`: the layout engine as a Unix filter. Reads text (each input
//! line is one paragraph) or HTML from standard input and prints visual lines,
//! right-aligned lines padded with leading spaces. Needs no config or database.

use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::process::ExitCode;

use anyhow::Context as _;

use crate::html;
use crate::text::layout::layout_blocks;
use crate::text::{Block, Direction, LayoutOptions, StyledRun, VisualLine};

/// Width used when none is given and standard output is not a terminal.
const DEFAULT_WIDTH: u16 = 80;

pub fn run(
    width: Option<u16>,
    dir: Direction,
    shape: bool,
    html: bool,
) -> anyhow::Result<ExitCode> {
    let mut input = Vec::new();
    io::stdin()
        .read_to_end(&mut input)
        .context("reading standard input")?;
    let input = String::from_utf8_lossy(&input);
    if width == Some(0) {
        anyhow::bail!("--width must be at least 1");
    }
    let width = width.unwrap_or_else(terminal_width).max(1);
    let opts = LayoutOptions {
        shape,
        terminal_bidi: false,
    };
    let blocks = if html {
        html_blocks(&input, dir)
    } else {
        text_blocks(&input, dir)
    };
    let lines = layout_blocks(&blocks, width, opts);
    match write_lines(&lines) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // The reader went away (`| head`, `less` quit): not an error for a filter.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(err) => Err(err).context("writing standard output"),
    }
}

/// The terminal's width in cells when standard output is one, else 80.
pub fn terminal_width() -> u16 {
    if io::stdout().is_terminal()
        && let Ok((columns, _)) = crossterm::terminal::size()
        && columns > 0
    {
        return columns;
    }
    DEFAULT_WIDTH
}

/// Each input line is one paragraph; empty lines stay empty lines.
pub fn text_blocks(input: &str, dir: Direction) -> Vec<Block> {
    let input = input.strip_suffix('\n').unwrap_or(input);
    if input.is_empty() {
        return Vec::new();
    }
    input
        .split('\n')
        .map(|line| Block {
            dir,
            runs: vec![StyledRun {
                text: line.trim_end_matches('\r').to_string(),
                style: Default::default(),
            }],
            ..Default::default()
        })
        .collect()
}

/// HTML to blocks with the link list appended; `dir` overrides the detected direction.
pub fn html_blocks(input: &str, dir: Direction) -> Vec<Block> {
    let doc = html::to_document(input, None);
    let mut blocks = doc.blocks;
    if dir != Direction::Auto {
        for block in &mut blocks {
            block.dir = dir;
        }
    }
    // After the override: URLs read left to right whatever the article's direction.
    blocks.extend(html::link_list_blocks(&doc.links));
    blocks
}

/// One visual line as plain text: leading spaces for the indent, then the spans.
pub fn plain_line(line: &VisualLine) -> String {
    let mut out = " ".repeat(usize::from(line.indent));
    for span in &line.spans {
        out.push_str(&span.text);
    }
    out
}

fn write_lines(lines: &[VisualLine]) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for line in lines {
        out.write_all(plain_line(line).as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
