//! Every key a config file may hold, with the kind of value it takes, and a check of
//! a parsed (span-carrying) user file against it.
//!
//! Why a hand-written schema and not serde's `deny_unknown_fields` alone: serde
//! errors on a merged document have lost their positions, and we want every
//! mistake reported at its line and column with the key that was probably meant.
//! A test keeps this list, `default.toml` and `config.example.toml` in step.
//! The list tables' whole-entry rules are in `entries`, the wording of every
//! mistake in `messages`.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeInteger, DeTable, DeValue};

use super::KeySpec;
use super::keymap::{self, KeymapError};

mod entries;
mod messages;

use entries::{check_command, check_duplicate, check_feed, check_ignore, check_view};
pub(crate) use messages::shown;
use messages::{describe, expected, quoted_list, unknown_key, wrong_kind};
// At its old path for `load`'s tests of it.
#[cfg(test)]
pub(crate) use messages::suggest;

/// What a key accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    /// Text with something in it (a feed's url).
    NonEmptyText,
    /// Text that can go into an HTTP header: no control characters.
    HeaderText,
    Bool,
    /// `true`, `false` or `"auto"`.
    BoolOrAuto,
    /// `true`, `false` or `"on-open"` (a feed's `fulltext`).
    BoolOrOnOpen,
    /// A whole number from 0 to the maximum.
    Count(u64),
    /// A whole number from 1 to the maximum.
    Positive(u64),
    /// One of these words.
    Word(&'static [&'static str]),
    TextList,
    /// A key name or a list of key names (the `[keys]` table).
    KeyNames,
}

pub(crate) struct Field {
    pub name: &'static str,
    pub kind: Kind,
}

const fn field(name: &'static str, kind: Kind) -> Field {
    Field { name, kind }
}

const U32: u64 = u32::MAX as u64;
const U64: u64 = i64::MAX as u64;
const DIRECTIONS: &[&str] = &["auto", "rtl", "ltr"];

pub(crate) const GENERAL: &[Field] = &[
    field("theme", Kind::Text),
    field("refresh_interval_minutes", Kind::Count(U32)),
    field("browser", Kind::Text),
    field("mouse", Kind::Bool),
    field("notify_command", Kind::Text),
];

pub(crate) const FETCH: &[Field] = &[
    field("concurrency", Kind::Positive(4096)),
    field("per_host", Kind::Positive(4096)),
    field("connect_timeout_secs", Kind::Positive(U64)),
    field("timeout_secs", Kind::Positive(U64)),
    field("max_feed_bytes", Kind::Positive(U64)),
    field("max_redirects", Kind::Count(100)),
    field("user_agent", Kind::HeaderText),
];

pub(crate) const CLEANUP: &[Field] = &[field("keep_read_days", Kind::Count(U32))];

pub(crate) const DISPLAY: &[Field] = &[
    field("bidi", Kind::Word(&["app", "terminal"])),
    field("shaping", Kind::Word(&["app", "terminal"])),
    field("jalali_dates", Kind::BoolOrAuto),
    field("persian_digits", Kind::BoolOrAuto),
    field("locale", Kind::Word(&["en", "fa"])),
];

pub(crate) const FEED: &[Field] = &[
    field("url", Kind::NonEmptyText),
    field("title", Kind::Text),
    field("tags", Kind::TextList),
    field("direction", Kind::Word(DIRECTIONS)),
    field("fulltext", Kind::BoolOrOnOpen),
    field("enabled", Kind::Bool),
];

/// `[sync]` (branch sync, issue 11).
pub(crate) const SYNC: &[Field] = &[
    field("provider", Kind::Word(&["", "miniflux", "greader"])),
    field("url", Kind::Text),
    field("username", Kind::Text),
    field("token", Kind::HeaderText),
    field("password", Kind::Text),
    field("password_file", Kind::Text),
    field("password_command", Kind::Text),
];

/// The tables of the top level, with their fields; `keys` and `feed` are special.
pub(crate) const SECTIONS: &[(&str, &[Field])] = &[
    ("general", GENERAL),
    ("fetch", FETCH),
    ("cleanup", CLEANUP),
    ("display", DISPLAY),
    ("sync", SYNC),
];

const TOP_LEVEL: &[&str] = &[
    "general", "fetch", "cleanup", "display", "sync", "keys", "feed", "view", "ignore", "command",
];

/// A mistake at a byte range of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SchemaError {
    pub span: Range<usize>,
    pub message: String,
}

type Key<'i> = Spanned<std::borrow::Cow<'i, str>>;
type Value<'i> = Spanned<DeValue<'i>>;

/// Checks the whole document; returns the first mistake in file order.
pub(crate) fn check(root: &DeTable<'_>) -> Result<(), SchemaError> {
    let mut errors = Vec::new();
    for (key, value) in root.iter() {
        check_top(key, value, &mut errors);
    }
    match errors.into_iter().min_by_key(|error| error.span.start) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

fn check_top(key: &Key<'_>, value: &Value<'_>, errors: &mut Vec<SchemaError>) {
    let name = key.get_ref().as_ref();
    if let Some((_, fields)) = SECTIONS.iter().find(|(section, _)| *section == name) {
        match value.get_ref() {
            DeValue::Table(table) => check_table(name, fields, table, errors),
            other => errors.push(wrong_kind(name, value, "a table", other)),
        }
        return;
    }
    match name {
        "keys" => match value.get_ref() {
            DeValue::Table(table) => {
                // Keys bound so far in this table, with the action that has each: the
                // keymap applies entries one after another, so a key given to two
                // actions would silently belong to one of them.
                let mut taken: Vec<(keymap::Key, String)> = Vec::new();
                for (action, keys) in table.iter() {
                    let label = format!("keys.{}", action.get_ref());
                    let before = errors.len();
                    check_value(&label, Kind::KeyNames, keys, errors);
                    if errors.len() == before {
                        check_binding(action, keys, &mut taken, errors);
                    }
                }
            }
            other => errors.push(wrong_kind(name, value, "a table", other)),
        },
        "feed" => match value.get_ref() {
            DeValue::Array(feeds) => {
                let mut seen = std::collections::HashSet::new();
                for feed in feeds.iter() {
                    match feed.get_ref() {
                        DeValue::Table(table) => {
                            check_feed(feed.span(), table, errors);
                            check_duplicate(table, &mut seen, errors);
                        }
                        other => errors.push(wrong_kind(name, feed, "a [[feed]] table", other)),
                    }
                }
            }
            other => errors.push(wrong_kind(name, value, "a list of [[feed]] tables", other)),
        },
        "view" => match value.get_ref() {
            DeValue::Array(views) => {
                for view in views.iter() {
                    match view.get_ref() {
                        DeValue::Table(table) => check_view(view.span(), table, errors),
                        other => errors.push(wrong_kind(name, view, "a [[view]] table", other)),
                    }
                }
            }
            other => errors.push(wrong_kind(name, value, "a list of [[view]] tables", other)),
        },
        "ignore" => match value.get_ref() {
            DeValue::Array(rules) => {
                for rule in rules.iter() {
                    match rule.get_ref() {
                        DeValue::Table(table) => check_ignore(rule.span(), table, errors),
                        other => errors.push(wrong_kind(name, rule, "an [[ignore]] table", other)),
                    }
                }
            }
            other => errors.push(wrong_kind(
                name,
                value,
                "a list of [[ignore]] tables",
                other,
            )),
        },
        "command" => match value.get_ref() {
            DeValue::Array(commands) => {
                let mut keys = Vec::new();
                for command in commands.iter() {
                    match command.get_ref() {
                        DeValue::Table(table) => {
                            check_command(command.span(), table, &mut keys, errors);
                        }
                        other => {
                            errors.push(wrong_kind(name, command, "a [[command]] table", other))
                        }
                    }
                }
            }
            other => errors.push(wrong_kind(
                name,
                value,
                "a list of [[command]] tables",
                other,
            )),
        },
        _ => errors.push(unknown_key(key, None, TOP_LEVEL)),
    }
}

/// A `[keys]` entry of the right shape: its action and keys must exist too, and
/// no key may be one that another entry of the table already gave out.
fn check_binding(
    action: &Key<'_>,
    keys: &Value<'_>,
    taken: &mut Vec<(keymap::Key, String)>,
    errors: &mut Vec<SchemaError>,
) {
    let spec = match keys.get_ref() {
        DeValue::String(key) => KeySpec::One(key.to_string()),
        DeValue::Array(list) => KeySpec::Many(
            list.iter()
                .filter_map(|key| match key.get_ref() {
                    DeValue::String(key) => Some(key.to_string()),
                    _ => None,
                })
                .collect(),
        ),
        _ => return,
    };
    let parsed = match keymap::parse_binding(action.get_ref(), &spec) {
        Ok((_, parsed)) => parsed,
        Err(error) => {
            let span = match error {
                KeymapError::UnknownAction { .. } => action.span(),
                KeymapError::BadKey { .. } | KeymapError::Empty { .. } => keys.span(),
            };
            errors.push(SchemaError {
                span,
                message: error.to_string(),
            });
            return;
        }
    };
    let name = action.get_ref().to_string();
    for key in parsed {
        if let Some((_, other)) = taken.iter().find(|(k, a)| *k == key && *a != name) {
            errors.push(SchemaError {
                span: keys.span(),
                message: messages::key_taken(&name, &key.to_string(), other),
            });
            return;
        }
        taken.push((key, name.clone()));
    }
}

fn check_table(
    section: &str,
    fields: &[Field],
    table: &DeTable<'_>,
    errors: &mut Vec<SchemaError>,
) {
    for (key, value) in table.iter() {
        let name = key.get_ref().as_ref();
        match fields.iter().find(|field| field.name == name) {
            Some(field) => check_value(name, field.kind, value, errors),
            None => {
                let known: Vec<&str> = fields.iter().map(|field| field.name).collect();
                errors.push(unknown_key(key, Some(section), &known));
            }
        }
    }
}

fn check_value(name: &str, kind: Kind, value: &Value<'_>, errors: &mut Vec<SchemaError>) {
    let inner = value.get_ref();
    let problem = match (kind, inner) {
        (Kind::Text, DeValue::String(_))
        | (Kind::Bool | Kind::BoolOrAuto | Kind::BoolOrOnOpen, DeValue::Boolean(_)) => None,
        (Kind::BoolOrAuto, DeValue::String(text)) if text.as_ref() == "auto" => None,
        (Kind::BoolOrOnOpen, DeValue::String(text)) if text.as_ref() == "on-open" => None,
        (Kind::NonEmptyText, DeValue::String(text)) => text
            .trim()
            .is_empty()
            .then(|| format!("key \"{name}\" must not be empty")),
        (Kind::HeaderText, DeValue::String(text)) => text
            .chars()
            .any(|c| c.is_control() && c != '\t')
            .then(|| format!("key \"{name}\" must not contain control characters")),
        (Kind::Count(max), DeValue::Integer(number)) => check_number(name, number, 0, max),
        (Kind::Positive(max), DeValue::Integer(number)) => check_number(name, number, 1, max),
        (Kind::Word(words), DeValue::String(text)) => {
            if words.contains(&text.as_ref()) {
                None
            } else {
                Some(format!(
                    "bad value \"{}\" for key \"{name}\": expected {}",
                    shown(text),
                    quoted_list(words)
                ))
            }
        }
        (Kind::TextList, DeValue::Array(list)) | (Kind::KeyNames, DeValue::Array(list)) => list
            .iter()
            .find(|entry| !matches!(entry.get_ref(), DeValue::String(_)))
            .map(|entry| {
                format!(
                    "key \"{name}\" must be a list of strings, found {}",
                    describe(entry.get_ref())
                )
            }),
        (Kind::KeyNames, DeValue::String(_)) => None,
        (kind, other) => Some(format!(
            "key \"{name}\" must be {}, found {}",
            expected(kind),
            describe(other)
        )),
    };
    if let Some(message) = problem {
        errors.push(SchemaError {
            span: value.span(),
            message,
        });
    }
}

fn check_number(name: &str, number: &DeInteger<'_>, min: u64, max: u64) -> Option<String> {
    let digits = number.as_str().replace('_', "");
    match u64::from_str_radix(&digits, number.radix()) {
        Ok(n) if (min..=max).contains(&n) => None,
        Ok(n) if n > max => Some(format!("bad value {n} for key \"{name}\": at most {max}")),
        _ => Some(format!(
            "bad value {} for key \"{name}\": expected a whole number of {min} or more",
            number.as_str()
        )),
    }
}
