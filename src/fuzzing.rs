//! Fuzz target entry points: each takes arbitrary bytes, runs one of khabar's
//! input paths, and panics only when an invariant breaks (a panic anywhere
//! inside is a finding too). The same functions are driven by the cargo-fuzz
//! crate in `fuzz/` (libFuzzer, coverage-guided) and, on the stable toolchain,
//! by `tests/fuzz_smoke.rs` (a seeded mutator over the fixture corpus) which CI
//! runs for a bounded time. Pure: no IO, no network, no terminal.

use std::path::Path;

use crate::text::layout::{layout_blocks, layout_headline};
use crate::text::sanitize::{MAX_ZERO_WIDTH_RUN, is_zero_width};
use crate::text::{Block, BlockKind, Direction, LayoutOptions, StyledRun, TextStyle, VisualLine};

/// A fuzz target: arbitrary bytes in, a panic is a finding.
pub type Target = fn(&[u8]);

/// Every fuzz target by name, for drivers that run them all.
pub const TARGETS: &[(&str, Target)] = &[
    ("feed", feed),
    ("html", html),
    ("layout", layout),
    ("subscriptions", subscriptions),
    ("config", config),
    ("query", query),
];

/// Feed bytes (any format, any encoding) to a parsed feed. Both parsers run:
/// wherever the fast path reads the input, feed-rs must read the same feed.
pub fn feed(data: &[u8]) {
    use crate::feed::{Parsers, parse_by};
    const URL: &str = "http://fuzz.invalid/feed";
    let fast = parse_by(data, None, URL, Parsers::FastOnly);
    let slow = parse_by(data, None, URL, Parsers::FeedRsOnly);
    if let Ok(fast) = &fast {
        assert_eq!(
            slow.as_ref().ok(),
            Some(fast),
            "the fast path and feed-rs disagree"
        );
    }
    let Ok((parsed, _)) = fast.or(slow) else {
        return;
    };
    for item in &parsed.items {
        assert!(
            !item.title.contains('\u{1b}') && !item.title.chars().any(char::is_control),
            "control character in a title: {:?}",
            item.title
        );
        assert!(item.title.chars().count() <= crate::feed::MAX_TITLE_CHARS + 1);
        assert_no_storm(&item.title);
    }
}

/// HTML to blocks, then laid out at a width the input chooses; and the same
/// HTML through a web page's pre-pass (nesting bound, inert parts left out).
pub fn html(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    // A page's pre-pass only ever takes out (a dropped SVG leaves a shorter `<svg/>`).
    let page = crate::html::bounded_page_to(&text, usize::from(first % 8) * 30);
    assert!(page.len() <= text.len());
    let doc = crate::html::to_document(&text, Some("http://fuzz.invalid/a/b"));
    assert!(doc.links.len() <= crate::html::MAX_LINKS);
    let mut blocks = doc.blocks;
    blocks.extend(crate::html::link_list_blocks(&doc.links));
    let width = u16::from(first % 120) + 1;
    check_lines(
        &layout_blocks(&blocks, width, LayoutOptions::default()),
        width,
    );
}

/// Text to laid-out lines: the first two bytes choose the width, direction,
/// shaping, terminal bidi and block kinds; each line of the rest is a block.
pub fn layout(data: &[u8]) {
    let [w, flags, rest @ ..] = data else {
        return;
    };
    let width = u16::from(*w) + 1;
    let dir = match flags % 3 {
        0 => Direction::Auto,
        1 => Direction::Rtl,
        _ => Direction::Ltr,
    };
    let opts = LayoutOptions {
        shape: flags & 4 != 0,
        terminal_bidi: flags & 8 != 0,
    };
    let text = String::from_utf8_lossy(rest);
    let blocks: Vec<Block> = text
        .split('\n')
        .enumerate()
        .map(|(i, line)| Block {
            kind: match (usize::from(flags >> 4) + i) % 6 {
                0 => BlockKind::Paragraph,
                1 => BlockKind::Heading(2),
                2 => BlockKind::ListItem {
                    depth: (flags >> 4) % 4,
                    marker: "•".into(),
                },
                3 => BlockKind::Quote((flags >> 4) % 5),
                4 => BlockKind::Code,
                _ => BlockKind::Rule,
            },
            dir,
            runs: vec![StyledRun {
                text: line.to_string(),
                style: TextStyle::default(),
            }],
        })
        .collect();
    check_lines(&layout_blocks(&blocks, width, opts), width);
    let headline = layout_headline(&text, dir, width, opts);
    check_lines(std::slice::from_ref(&headline), width);
}

/// OPML or a newsboat `urls` file to a subscription list.
pub fn subscriptions(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::feed::subscriptions::parse_subscriptions(&text, &|p| Some(p.to_string()));
}

/// A user config file merged over the defaults; errors must name a line.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Err(err) = crate::config::Config::from_user_toml(&text, Path::new("fuzz.toml")) {
        let _ = err.to_string();
    }
}

/// The query language: what parses prints back as text that parses to the
/// same tree, and highlighting its words in the text itself stays in bounds.
pub fn query(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(parsed) = crate::query::parse(&text) else {
        return;
    };
    let printed = parsed.to_string();
    match crate::query::parse(&printed) {
        Ok(again) => assert_eq!(again, parsed, "{text:?} printed as {printed:?}"),
        Err(err) => panic!("{text:?} printed as {printed:?}, which does not parse: {err}"),
    }
    let needles = parsed.needles();
    for range in crate::query::match_ranges(&text, &needles) {
        assert!(
            text.get(range).is_some(),
            "match range off a character boundary"
        );
    }
    let _ = crate::query::snippet(&text, &needles, 80);
}

/// Laid-out lines fit their width and carry nothing a terminal acts on.
fn check_lines(lines: &[VisualLine], width: u16) {
    for line in lines {
        let used = line
            .spans
            .iter()
            .map(|s| u32::from(s.width))
            .fold(u32::from(line.indent), u32::saturating_add);
        assert!(
            used <= u32::from(width),
            "line wider than {width}: {line:?}"
        );
        for span in &line.spans {
            assert!(
                !span.text.contains('\u{1b}') && !span.text.chars().any(char::is_control),
                "control character laid out: {:?}",
                span.text
            );
        }
    }
}

fn assert_no_storm(text: &str) {
    let mut run = 0usize;
    for c in text.chars() {
        run = if is_zero_width(c) { run + 1 } else { 0 };
        assert!(run <= MAX_ZERO_WIDTH_RUN, "zero-width storm kept: {text:?}");
    }
}
