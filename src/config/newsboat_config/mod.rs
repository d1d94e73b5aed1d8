//! A newsboat `config` file translated into khabar's TOML (`khabar import
//! --newsboat-config`): every line with an exact khabar equivalent becomes
//! TOML, every other line is reported with its file, line number and why.
//! Exact only: a setting that does something else here (newsboat's
//! `keep-articles-days` also deletes unread items) is reported, not guessed.
//!
//! Pure: `include`d files come through the caller's `read` function, which does
//! the IO. Keys and macros are in `keys`, the line splitter in `line`;
//! `merge` adds a translation to a config file the user has already.

mod keys;
mod line;
mod merge;
mod settings;

pub use merge::{Kept, Merged, NotToml, merge};

/// Where a line is: the file as the caller named it, and its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file (the one given, or an `include`d one).
    pub file: String,
    /// 1-based line number.
    pub line: usize,
}

/// A line not translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Where it is.
    pub place: Place,
    /// Its first word (`color`, `bind-key`, …).
    pub command: String,
    /// Why, and what to do instead where there is something.
    pub reason: String,
}

/// What a config file gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// khabar TOML holding every translated line (empty when none was).
    pub toml: String,
    /// Lines translated.
    pub translated: usize,
    /// Lines not translated, in file order.
    pub skipped: Vec<Skipped>,
}

/// Gives an `include`d path's name (to report it by) and text, or why not.
pub type Reader<'a> = dyn FnMut(&str) -> Result<(String, String), String> + 'a;

/// `include`s nested deeper than this are refused (a file including itself
/// through another would otherwise never end).
const MAX_INCLUDE_DEPTH: usize = 8;

/// A line that has been split, with where it is.
pub(crate) struct Line {
    pub place: Place,
    pub command: String,
    pub args: Vec<line::Word>,
}

/// Translates the newsboat config `text` (named `file`). `read` gives the text
/// of an `include`d path (as written in the line) and the name to report it
/// by, or why it cannot.
pub fn translate(file: &str, text: &str, read: &mut Reader<'_>) -> Translation {
    let mut lines = Vec::new();
    let mut skipped = Vec::new();
    collect(
        file,
        text,
        read,
        &mut vec![file.to_string()],
        &mut lines,
        &mut skipped,
    );
    let mut out = settings::Out::default();
    for line in &lines {
        let result = match line.command.as_str() {
            "bind-key" | "unbind-key" | "macro" => keys::take(line, &mut out.keys),
            _ => settings::take(line, &mut out),
        };
        if let Err(reason) = result {
            skipped.push(skip(line, reason));
        }
    }
    let (toml, translated, late) = out.finish();
    skipped.extend(late);
    skipped.sort_by(|a, b| (&a.place.file, a.place.line).cmp(&(&b.place.file, b.place.line)));
    Translation {
        toml,
        translated,
        skipped,
    }
}

pub(crate) fn skip(line: &Line, reason: String) -> Skipped {
    Skipped {
        place: line.place.clone(),
        command: line.command.clone(),
        reason,
    }
}

/// Splits every line of `text`, following `include`s in place.
fn collect(
    file: &str,
    text: &str,
    read: &mut Reader<'_>,
    stack: &mut Vec<String>,
    lines: &mut Vec<Line>,
    skipped: &mut Vec<Skipped>,
) {
    for (index, raw) in text.lines().enumerate() {
        let place = Place {
            file: file.to_string(),
            line: index + 1,
        };
        let words = match line::split(raw) {
            Ok(words) => words,
            Err(error) => {
                let reason = match error {
                    line::LineError::Unterminated => "a quote is not closed",
                    line::LineError::Backticks => {
                        "it runs a command (`…`); put the command's output in the line instead"
                    }
                };
                skipped.push(Skipped {
                    place,
                    command: raw
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                    reason: reason.to_string(),
                });
                continue;
            }
        };
        let mut words = words.into_iter();
        let Some(first) = words.next() else {
            continue;
        };
        let line = Line {
            place,
            command: first.text,
            args: words.collect(),
        };
        if line.command != "include" {
            lines.push(line);
            continue;
        }
        let [path] = line.args.as_slice() else {
            skipped.push(skip(&line, "include takes one file".to_string()));
            continue;
        };
        if stack.len() > MAX_INCLUDE_DEPTH {
            skipped.push(skip(&line, "includes nested too deep".to_string()));
            continue;
        }
        match read(&path.text) {
            Ok((name, _)) if stack.contains(&name) => {
                skipped.push(skip(&line, format!("{name} includes itself")));
            }
            Ok((name, included)) => {
                stack.push(name.clone());
                collect(&name, &included, read, stack, lines, skipped);
                stack.pop();
            }
            Err(why) => skipped.push(skip(&line, why)),
        }
    }
}

#[cfg(test)]
mod tests;
