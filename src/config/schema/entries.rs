//! The checks of the list tables, one entry at a time: a `[[feed]]` needs a url
//! and names it once, a `[[view]]` a name and a query that parses, an
//! `[[ignore]]` a query with a condition. Apart from the key-by-key check in
//! `schema` because these rules look at an entry as a whole, and the queries'
//! at their text.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::{FEED, Field, Kind, SchemaError, check_table, field, shown};

/// The keys of a `[[view]]`.
pub(super) const VIEW: &[Field] = &[
    field("name", Kind::NonEmptyText),
    field("query", Kind::NonEmptyText),
];

/// A view needs a name and a query that parses; a bad query is reported at its
/// value with what is wrong and at which column of the query.
pub(super) fn check_view(span: Range<usize>, table: &DeTable<'_>, errors: &mut Vec<SchemaError>) {
    check_table("view", VIEW, table, errors);
    for required in ["name", "query"] {
        if !table.iter().any(|(key, _)| key.get_ref() == required) {
            errors.push(SchemaError {
                span: span.clone(),
                message: format!("a [[view]] needs a {required}"),
            });
        }
    }
    for (key, value) in table.iter() {
        if key.get_ref() == "query"
            && let DeValue::String(text) = value.get_ref()
            && let Err(err) = crate::query::parse(text)
        {
            errors.push(SchemaError {
                span: value.span(),
                message: format!("view query: {err}"),
            });
        }
    }
}

/// The keys of an `[[ignore]]`.
pub(super) const IGNORE: &[Field] = &[
    field("name", Kind::NonEmptyText),
    field("query", Kind::NonEmptyText),
];

/// An ignore rule needs a query that parses and has a condition (one with only
/// `sort:` would select every item); a bad query is reported at its value with
/// what is wrong and at which column of the query.
pub(super) fn check_ignore(span: Range<usize>, table: &DeTable<'_>, errors: &mut Vec<SchemaError>) {
    check_table("ignore", IGNORE, table, errors);
    if !table.iter().any(|(key, _)| key.get_ref() == "query") {
        errors.push(SchemaError {
            span,
            message: "an [[ignore]] needs a query".to_string(),
        });
    }
    // The rule's name, when it has one, says which rule a message is about.
    let label = table
        .iter()
        .find_map(|(key, value)| match value.get_ref() {
            DeValue::String(name) if key.get_ref() == "name" => Some(format!(" \"{name}\"")),
            _ => None,
        })
        .unwrap_or_default();
    for (key, value) in table.iter() {
        if key.get_ref() != "query" {
            continue;
        }
        let DeValue::String(text) = value.get_ref() else {
            continue;
        };
        let message = match crate::query::parse(text) {
            Err(err) => format!("ignore{label} query: {err}"),
            Ok(query) if query.expr.is_none() => {
                format!("ignore{label} query: it has no condition, so it would drop every item")
            }
            Ok(_) => continue,
        };
        errors.push(SchemaError {
            span: value.span(),
            message,
        });
    }
}

/// The keys of a `[[command]]`.
pub(super) const COMMAND: &[Field] = &[
    field("key", Kind::NonEmptyText),
    field("name", Kind::Text),
    field("run", Kind::NonEmptyText),
    field("mode", Kind::Word(crate::config::command::MODES)),
];

/// A command needs a key that is a key and not another command's, and a run
/// line whose placeholders are known. A key a built-in action has is taken
/// from it (as `[keys]` takes keys), so that is no mistake.
pub(super) fn check_command(
    span: Range<usize>,
    table: &DeTable<'_>,
    keys: &mut Vec<crate::config::key::Key>,
    errors: &mut Vec<SchemaError>,
) {
    check_table("command", COMMAND, table, errors);
    for required in ["key", "run"] {
        if !table.iter().any(|(key, _)| key.get_ref() == required) {
            errors.push(SchemaError {
                span: span.clone(),
                message: format!("a [[command]] needs a {required}"),
            });
        }
    }
    for (key, value) in table.iter() {
        let DeValue::String(text) = value.get_ref() else {
            continue;
        };
        let message = match key.get_ref().as_ref() {
            "key" if text.trim().is_empty() => continue,
            "key" => match crate::config::key::Key::parse(text) {
                None => format!(
                    "[[command]] key = \"{}\": not a key (use e.g. \"v\", \"V\", \"f5\", \"ctrl-o\", \"alt-v\")",
                    shown(text)
                ),
                Some(parsed) if keys.contains(&parsed) => format!(
                    "[[command]] key = \"{}\": another [[command]] has this key already",
                    shown(text)
                ),
                Some(parsed) => {
                    keys.push(parsed);
                    continue;
                }
            },
            "run" => match crate::config::command::Template::parse(text) {
                Ok(_) => continue,
                Err(error) => format!("[[command]] {error}"),
            },
            _ => continue,
        };
        errors.push(SchemaError {
            span: value.span(),
            message,
        });
    }
}

pub(super) fn check_feed(span: Range<usize>, table: &DeTable<'_>, errors: &mut Vec<SchemaError>) {
    check_table("feed", FEED, table, errors);
    if !table.iter().any(|(key, _)| key.get_ref() == "url") {
        errors.push(SchemaError {
            span,
            message: "a [[feed]] needs a url".to_string(),
        });
    }
}

/// The same url twice would be one feed in the database with whichever entry's
/// title and tags came last: refused, so the user decides.
/// URLs are compared normalised (`HTTP://h/x#top` is `http://h/x`: issue 8, defect 6).
pub(super) fn check_duplicate(
    table: &DeTable<'_>,
    seen: &mut std::collections::HashSet<String>,
    errors: &mut Vec<SchemaError>,
) {
    let Some(url) = table
        .iter()
        .find(|(key, _)| key.get_ref() == "url")
        .map(|(_, value)| value)
    else {
        return;
    };
    let DeValue::String(text) = url.get_ref() else {
        return;
    };
    let text: &str = text.as_ref();
    if !seen.insert(crate::feed::url_key::feed_url_key(text)) {
        errors.push(SchemaError {
            span: url.span(),
            message: format!(
                "feed url \"{}\" is listed twice; keep one [[feed]] for it",
                shown(text)
            ),
        });
    }
}
