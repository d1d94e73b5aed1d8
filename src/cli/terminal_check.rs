//! `khabar terminal-check`: fits khabar's right-to-left output to the terminal in
//! one step. It prints the same short Persian and mixed lines in each way khabar
//! can write them, asks which one reads right, and records the answer as
//! `[display] bidi` and `shaping` in the config file, keeping the rest of the file.
//!
//! Whether a terminal reorders or joins Arabic-script letters by itself cannot be
//! asked of the terminal, only seen by its user: hence a question, not a probe.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::config::edit::{bidi_name, set_display_modes, shaping_name};
use crate::config::{BidiMode, ShapingMode};
use crate::text::layout::layout_blocks;
use crate::text::{Direction, LayoutOptions};
use crate::tui::terminal::{BIDI_EXPLICIT, BIDI_IMPLICIT};

use super::render::{plain_line, text_blocks};

/// Short lines that show every way a terminal gets Persian wrong: letters not
/// joined, words in the wrong order, brackets not mirrored, numbers and Latin
/// words inside a right-to-left line, ZWNJ.
const SAMPLES: &str = "خبر فوری: قیمت نفت (برنت) ۲٪ بالا رفت\n\
سازمان ملل [UN] گزارش 2024 را منتشر کرد\n\
می‌خواهم کتاب‌ها را بخوانم.";

/// The ways khabar can write right-to-left text, in the order offered.
pub const CHOICES: [(BidiMode, ShapingMode, &str); 3] = [
    (
        BidiMode::App,
        ShapingMode::Terminal,
        "khabar orders the words, the terminal joins the letters",
    ),
    (
        BidiMode::App,
        ShapingMode::App,
        "khabar orders the words and joins the letters",
    ),
    (
        BidiMode::Terminal,
        ShapingMode::Terminal,
        "the terminal orders the words and joins the letters",
    ),
];

/// Width of the sample block: narrow enough to sit beside the numbers on any terminal.
const SAMPLE_WIDTH: u16 = 48;

/// Runs the check: interactive on a terminal, an explanation otherwise.
pub fn run(config_path: &Path) -> anyhow::Result<ExitCode> {
    let stdin = io::stdin();
    if !stdin.is_terminal() || !io::stdout().is_terminal() {
        print!("{}", explanation());
        return Ok(ExitCode::SUCCESS);
    }
    if config_path.as_os_str().is_empty() {
        anyhow::bail!(
            "no home directory, so no config file to write the answer to; pass --config PATH"
        );
    }
    let mut out = io::stdout().lock();
    write_samples(&mut out)?;
    write!(
        out,
        "Which one reads right? Type 1, 2 or 3 and Enter (Enter alone changes nothing): "
    )?;
    out.flush()?;
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer)?;
    let Some((bidi, shaping, _)) = parse_answer(&answer) else {
        if answer.trim().is_empty() {
            writeln!(out, "Nothing changed.")?;
            return Ok(ExitCode::SUCCESS);
        }
        anyhow::bail!(
            "{:?} is not one of 1, 2 or 3; nothing changed",
            answer.trim()
        );
    };
    write_choice(config_path, bidi, shaping)?;
    writeln!(
        out,
        "Wrote bidi = \"{}\" and shaping = \"{}\" to [display] in {}.",
        bidi_name(bidi),
        shaping_name(shaping),
        config_path.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The choice an answer names, if it names one.
pub fn parse_answer(answer: &str) -> Option<(BidiMode, ShapingMode, &'static str)> {
    let n: usize = answer.trim().parse().ok()?;
    CHOICES.get(n.checked_sub(1)?).copied()
}

/// Every choice, numbered, with the sample lines written that way. Lines written
/// with khabar ordering go out with the terminal in explicit mode (as the reader
/// does), so a terminal that reorders does not reorder them a second time.
fn write_samples(out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "khabar can write Persian in three ways; which one suits this terminal?\n"
    )?;
    for (index, (bidi, shaping, what)) in CHOICES.iter().enumerate() {
        writeln!(
            out,
            "{}) {what}  (bidi = \"{}\", shaping = \"{}\")",
            index + 1,
            bidi_name(*bidi),
            shaping_name(*shaping)
        )?;
        let app_bidi = *bidi == BidiMode::App;
        if app_bidi {
            out.write_all(BIDI_EXPLICIT.as_bytes())?;
        }
        for line in sample_lines(*bidi, *shaping) {
            writeln!(out, "   {line}")?;
        }
        if app_bidi {
            out.write_all(BIDI_IMPLICIT.as_bytes())?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The sample lines as khabar writes them in the given modes, through the same
/// layout engine as the reader.
pub fn sample_lines(bidi: BidiMode, shaping: ShapingMode) -> Vec<String> {
    let opts = LayoutOptions {
        shape: shaping == ShapingMode::App,
        terminal_bidi: bidi == BidiMode::Terminal,
    };
    let blocks = text_blocks(SAMPLES, Direction::Rtl);
    layout_blocks(&blocks, SAMPLE_WIDTH, opts)
        .iter()
        .map(plain_line)
        .collect()
}

/// Sets the two keys in the config file, creating it (and its directory) if needed.
/// The file is replaced in one rename, so an interrupted write leaves the old one.
fn write_choice(path: &Path, bidi: BidiMode, shaping: ShapingMode) -> anyhow::Result<()> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    let edited = set_display_modes(&text, bidi, shaping)
        .with_context(|| format!("{}: not changed", path.display()))?;
    crate::config_file::replace(path, &edited)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// What is printed when there is no terminal to show the samples on.
fn explanation() -> String {
    let mut text = String::from(
        "khabar terminal-check shows Persian lines in each way khabar can write them and asks\n\
         which one reads right; it needs a terminal. The settings it writes are:\n\n\
         [display]\n\
         bidi = \"app\"        # khabar orders right-to-left words (most terminals)\n\
         # bidi = \"terminal\" # the terminal orders them (mlterm, Konsole, GNOME Terminal with bidi on)\n\
         shaping = \"terminal\" # the terminal joins Arabic-script letters\n\
         # shaping = \"app\"   # khabar joins them (terminals that show letters apart)\n\n\
         The choices offered:\n",
    );
    for (index, (bidi, shaping, what)) in CHOICES.iter().enumerate() {
        text.push_str(&format!(
            "  {}) {what}: bidi = \"{}\", shaping = \"{}\"\n",
            index + 1,
            bidi_name(*bidi),
            shaping_name(*shaping)
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_name_choices_by_number() {
        assert_eq!(
            parse_answer("2\n").map(|c| (c.0, c.1)),
            Some((BidiMode::App, ShapingMode::App))
        );
        assert_eq!(
            parse_answer(" 3 ").map(|c| (c.0, c.1)),
            Some((BidiMode::Terminal, ShapingMode::Terminal))
        );
        assert!(parse_answer("0").is_none());
        assert!(parse_answer("4").is_none());
        assert!(parse_answer("yes").is_none());
    }

    #[test]
    fn the_three_ways_write_the_samples_differently() {
        let unshaped = sample_lines(BidiMode::App, ShapingMode::Terminal);
        let shaped = sample_lines(BidiMode::App, ShapingMode::App);
        let logical = sample_lines(BidiMode::Terminal, ShapingMode::Terminal);
        assert_ne!(unshaped, shaped);
        assert_ne!(unshaped, logical);
        // Shaping writes presentation forms (U+FB50..U+FEFF); the others never do.
        let has_forms = |lines: &[String]| {
            lines
                .iter()
                .any(|l| l.chars().any(|c| ('\u{FB50}'..='\u{FEFF}').contains(&c)))
        };
        assert!(has_forms(&shaped));
        assert!(!has_forms(&unshaped) && !has_forms(&logical));
        // Terminal bidi leaves logical order: the first sample starts with its first word.
        assert!(logical[0].trim_start().starts_with("خبر"), "{logical:?}");
        assert!(!unshaped[0].trim_start().starts_with("خبر"), "{unshaped:?}");
    }

    #[test]
    fn the_explanation_names_both_settings_and_every_choice() {
        let text = explanation();
        assert!(text.contains("bidi") && text.contains("shaping"));
        for n in 1..=CHOICES.len() {
            assert!(text.contains(&format!("  {n}) ")), "{text}");
        }
    }
}
