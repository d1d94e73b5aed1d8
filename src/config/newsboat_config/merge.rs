//! Merging a translation into the user's existing config file. Someone
//! switching from newsboat has often run khabar once already, or written a few
//! lines of their own; asking them to merge TOML by hand is where mistakes
//! happen. So the translated settings the file does not set are added to it
//! through `toml_edit`, which keeps the file's comments, order and formatting,
//! and a key the file sets already is never overwritten: it is the user's
//! choice, reported when newsboat's value differs.
//!
//! The file's layout stays as its author made it where `toml_edit` would
//! change it: its line ending (`toml_edit` writes `\n` only) and a byte order
//! mark are put back, and a comment closing the file stays after the table it
//! closed, with the tables added after it (see `keep_closing_comment`).
//!
//! Pure: text in, text out; the caller reads and writes the file.

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, TableLike, Value};

/// A key the user's file sets to something else than the translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// Its dotted path, `general.browser`.
    pub key: String,
    /// The file's value, as TOML on one line.
    pub yours: String,
    /// The translation's value, as TOML on one line.
    pub theirs: String,
}

/// The merged file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The file's text with the new settings added.
    pub toml: String,
    /// Settings added: keys, and `[[…]]` entries that were not there.
    pub added: usize,
    /// The file's keys kept although the translation says otherwise.
    pub kept: Vec<Kept>,
}

/// Why the existing file cannot be merged into: it is not TOML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotToml {
    /// 1-based line of the error (1 when the parser gives no place).
    pub line: usize,
    /// The parser's message.
    pub message: String,
}

/// Adds to `existing` (a config file's text) what `translated` sets and it
/// does not. A translation that is not TOML adds nothing (the translator
/// makes only TOML, so this does not happen).
pub fn merge(existing: &str, translated: &str) -> Result<Merged, NotToml> {
    let mut doc: DocumentMut = existing.parse().map_err(|error: toml_edit::TomlError| {
        let at = error.span().map_or(0, |span| span.start);
        NotToml {
            line: existing
                .get(..at)
                .map_or(0, |before| before.matches('\n').count())
                + 1,
            message: error.message().trim().to_string(),
        }
    })?;
    let Ok(new) = translated.parse::<DocumentMut>() else {
        return Ok(Merged {
            toml: existing.to_string(),
            added: 0,
            kept: Vec::new(),
        });
    };
    let had_content = !doc.as_table().is_empty();
    // Tables brought over keep their place in the translation's document;
    // numbered after the file's last, they go after everything it has.
    let first_added = last_position(doc.as_table()) + 1;
    let mut next = first_added;
    let mut out = Merged {
        toml: String::new(),
        added: 0,
        kept: Vec::new(),
    };
    merge_table(doc.as_table_mut(), new.as_table(), "", &mut next, &mut out);
    out.toml = if out.added == 0 {
        // Unchanged byte for byte, not as toml_edit would write it again.
        existing.to_string()
    } else {
        keep_closing_comment(&mut doc, first_added, had_content);
        let mut text = doc.to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        if line_ending(existing) == "\r\n" {
            // toml_edit writes the file's comments and layout with `\n` but
            // keeps a multi-line string's own line breaks as they were.
            text = text.replace("\r\n", "\n").replace('\n', "\r\n");
        }
        // The parser skips a byte order mark and toml_edit does not write it.
        if existing.starts_with('\u{feff}') {
            text.insert(0, '\u{feff}');
        }
        text
    };
    Ok(out)
}

/// The line break most of `text`'s lines end with, `\r\n` or `\n`, so that a
/// file mixing them comes out with the one its author's editor writes.
fn line_ending(text: &str) -> &'static str {
    let crlf = text.matches("\r\n").count();
    let lf = text.matches('\n').count().saturating_sub(crlf);
    if crlf > lf { "\r\n" } else { "\n" }
}

/// toml_edit keeps the comments after the last table's last key as the
/// document's trailing text, written after every table, so the tables added
/// would come between that table and its comment. The comment goes before the
/// first table added instead (keys added to the last table still go above
/// it, as they go above a comment before the next table's header), followed
/// by a blank line. With nothing before them (an empty file), the added
/// tables start on the first line.
fn keep_closing_comment(doc: &mut DocumentMut, first_added: isize, had_content: bool) {
    let mut shown = Vec::new();
    shown_positions(doc.as_table(), &mut shown);
    let Some(first) = shown.into_iter().filter(|at| *at >= first_added).min() else {
        return;
    };
    let trailing = doc.trailing().as_str().unwrap_or_default().to_string();
    let prefix = match trailing.rfind('#') {
        // The comment lines, up to the end of the last one; blank lines after
        // it make way for the one before the table.
        Some(last) => {
            let end = trailing[last..]
                .find('\n')
                .map_or(trailing.len(), |n| last + n);
            format!("{}\n\n", trailing[..end].trim_end_matches('\r'))
        }
        None if had_content => return,
        None => String::new(),
    };
    if let Some(table) = table_at(doc.as_table_mut(), first) {
        table.decor_mut().set_prefix(prefix);
        doc.set_trailing("");
    }
}

/// The positions of the tables in `table` whose header is written: not
/// dotted, and not implicit unless they hold keys (as toml_edit writes them).
fn shown_positions(table: &Table, out: &mut Vec<isize>) {
    let hidden = table.is_dotted() || (table.is_implicit() && table.get_values().is_empty());
    if !hidden && let Some(at) = table.position() {
        out.push(at);
    }
    for (_, item) in table.iter() {
        match item {
            Item::Table(inner) => shown_positions(inner, out),
            Item::ArrayOfTables(array) => {
                array.iter().for_each(|inner| shown_positions(inner, out))
            }
            Item::None | Item::Value(_) => {}
        }
    }
}

/// The table in `table` at `position`.
fn table_at(table: &mut Table, position: isize) -> Option<&mut Table> {
    if table.position() == Some(position) {
        return Some(table);
    }
    table.iter_mut().find_map(|(_, item)| match item {
        Item::Table(inner) => table_at(inner, position),
        Item::ArrayOfTables(array) => array.iter_mut().find_map(|inner| table_at(inner, position)),
        Item::None | Item::Value(_) => None,
    })
}

fn merge_table(
    into: &mut dyn TableLike,
    from: &dyn TableLike,
    prefix: &str,
    next: &mut isize,
    out: &mut Merged,
) {
    for (key, theirs) in from.iter() {
        let path = format!("{prefix}{key}");
        let Some(yours) = into.get_mut(key).filter(|item| !item.is_none()) else {
            let mut item = theirs.clone();
            out.added += count(&item);
            place(&mut item, next);
            if let Some(table) = item.as_table_mut() {
                // A blank line before a table added at the end of the file.
                table.decor_mut().set_prefix("\n");
            }
            into.insert(key, item);
            continue;
        };
        match (yours, theirs) {
            (Item::ArrayOfTables(yours), Item::ArrayOfTables(theirs)) => {
                append_new(yours, theirs, next, out);
            }
            (yours, theirs) if yours.is_table_like() && theirs.is_table_like() => {
                if let (Some(yours), Some(theirs)) =
                    (yours.as_table_like_mut(), theirs.as_table_like())
                {
                    merge_table(yours, theirs, &format!("{path}."), next, out);
                }
            }
            (yours, theirs) if !same(yours, theirs) => out.kept.push(Kept {
                key: path,
                yours: shown(yours),
                theirs: shown(theirs),
            }),
            _ => {}
        }
    }
}

/// `[[…]]` entries of `theirs` that `yours` does not hold already (the same
/// keys and values) go at its end.
fn append_new(
    yours: &mut ArrayOfTables,
    theirs: &ArrayOfTables,
    next: &mut isize,
    out: &mut Merged,
) {
    for entry in theirs.iter() {
        if yours.iter().any(|mine| same_table(mine, entry)) {
            continue;
        }
        let mut entry = entry.clone();
        entry.set_position(Some(*next));
        *next += 1;
        entry.decor_mut().set_prefix("\n");
        yours.push(entry);
        out.added += 1;
    }
}

/// Settings in an item added whole: its keys, counting a `[[…]]` entry as one.
fn count(item: &Item) -> usize {
    match item {
        Item::None => 0,
        Item::Value(_) => 1,
        Item::Table(table) => table.iter().map(|(_, item)| count(item)).sum(),
        Item::ArrayOfTables(array) => array.len(),
    }
}

/// Numbers the tables in `item` from `next` on.
fn place(item: &mut Item, next: &mut isize) {
    match item {
        Item::Table(table) => {
            table.set_position(Some(*next));
            *next += 1;
            for (_, item) in table.iter_mut() {
                place(item, next);
            }
        }
        Item::ArrayOfTables(array) => {
            for table in array.iter_mut() {
                table.set_position(Some(*next));
                *next += 1;
            }
        }
        Item::None | Item::Value(_) => {}
    }
}

/// The highest position of any table in `table` (0 for none).
fn last_position(table: &Table) -> isize {
    let mut last = table.position().unwrap_or(0);
    for (_, item) in table.iter() {
        let inner = match item {
            Item::Table(table) => last_position(table),
            Item::ArrayOfTables(array) => array.iter().map(last_position).max().unwrap_or(0),
            Item::None | Item::Value(_) => 0,
        };
        last = last.max(inner);
    }
    last
}

/// The same content, whatever the formatting: `[a]` and `a = {}` alike.
fn same(a: &Item, b: &Item) -> bool {
    match (a, b) {
        (Item::Value(a), Item::Value(b)) => same_value(a, b),
        (Item::ArrayOfTables(a), Item::ArrayOfTables(b)) => {
            a.len() == b.len() && a.iter().zip(b.iter()).all(|(a, b)| same_table(a, b))
        }
        _ => match (a.as_table_like(), b.as_table_like()) {
            (Some(a), Some(b)) => same_table(a, b),
            _ => false,
        },
    }
}

fn same_table(a: &dyn TableLike, b: &dyn TableLike) -> bool {
    a.len() == b.len()
        && a.iter()
            .all(|(key, item)| b.get(key).is_some_and(|other| same(item, other)))
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(a), Value::String(b)) => a.value() == b.value(),
        (Value::Integer(a), Value::Integer(b)) => a.value() == b.value(),
        (Value::Float(a), Value::Float(b)) => a.value() == b.value(),
        (Value::Boolean(a), Value::Boolean(b)) => a.value() == b.value(),
        (Value::Datetime(a), Value::Datetime(b)) => a.value() == b.value(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b.iter()).all(|(a, b)| same_value(a, b))
        }
        (Value::InlineTable(a), Value::InlineTable(b)) => same_table(a, b),
        _ => false,
    }
}

/// An item as TOML on one line, without its comments or layout.
fn shown(item: &Item) -> String {
    match item {
        Item::Value(value) => {
            let mut value = value.clone();
            tidy(&mut value);
            value.to_string().trim().to_string()
        }
        Item::Table(table) => {
            let mut inline = table.clone().into_inline_table();
            inline.fmt();
            inline.to_string().trim().to_string()
        }
        Item::ArrayOfTables(array) => {
            let mut value = Value::Array(array.clone().into_array());
            tidy(&mut value);
            value.to_string().trim().to_string()
        }
        Item::None => String::new(),
    }
}

/// Drops a value's comments and line breaks, inside arrays and inline tables too.
fn tidy(value: &mut Value) {
    value.decor_mut().clear();
    match value {
        Value::Array(array) => {
            for inner in array.iter_mut() {
                tidy(inner);
            }
            array.fmt();
            array.set_trailing("");
        }
        Value::InlineTable(table) => {
            for (_, inner) in table.iter_mut() {
                tidy(inner);
            }
            table.fmt();
        }
        _ => {}
    }
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
