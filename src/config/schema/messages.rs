//! How a mistake in a config file is worded: what a key takes and what was
//! found, the known key a typo probably meant, and a value quoted safely (cut
//! short, control characters escaped). Apart from the checks in `schema` so
//! that every message reads alike, and `keymap` quotes with the same `shown`.

use toml::de::DeValue;

use super::{Key, Kind, SchemaError, Value};

pub(super) fn wrong_kind(
    name: &str,
    at: &Value<'_>,
    wanted: &str,
    found: &DeValue<'_>,
) -> SchemaError {
    SchemaError {
        span: at.span(),
        message: format!("key \"{name}\" must be {wanted}, found {}", describe(found)),
    }
}

pub(super) fn unknown_key(key: &Key<'_>, section: Option<&str>, known: &[&str]) -> SchemaError {
    let written = key.get_ref().as_ref();
    let name = shown(written);
    let place = section.map(|s| format!(" in [{s}]")).unwrap_or_default();
    let newsboat = crate::config::newsboat_names::setting(written);
    let message = match (suggest(written, known), newsboat) {
        // A name copied from a newsboat config: say where khabar keeps that setting,
        // which may be another table (`reload-threads` is [fetch] concurrency).
        (_, Some(ours)) => {
            format!("unknown key \"{name}\"{place}: newsboat's {name} is {ours} here")
        }
        (Some(best), None) => format!("unknown key \"{name}\"{place}, did you mean \"{best}\"?"),
        (None, None) => format!(
            "unknown key \"{name}\"{place}; known keys: {}",
            quoted_list(known)
        ),
    };
    SchemaError {
        span: key.span(),
        message,
    }
}

/// The known key closest to `name`, when it is close enough to be a typo.
pub(crate) fn suggest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|candidate| (strsim::jaro_winkler(name, candidate), *candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

pub(super) fn expected(kind: Kind) -> String {
    match kind {
        Kind::Text | Kind::NonEmptyText | Kind::HeaderText => "a string".to_string(),
        Kind::Bool => "true or false".to_string(),
        Kind::BoolOrAuto => "true, false or \"auto\"".to_string(),
        Kind::BoolOrOnOpen => "true, false or \"on-open\"".to_string(),
        Kind::Count(_) => "a whole number".to_string(),
        Kind::Positive(_) => "a whole number of 1 or more".to_string(),
        Kind::Word(words) => format!("one of {}", quoted_list(words)),
        Kind::TextList => "a list of strings".to_string(),
        Kind::KeyNames => "a key name or a list of key names".to_string(),
    }
}

pub(super) fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "a number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

pub(super) fn quoted_list(words: &[&str]) -> String {
    words
        .iter()
        .map(|word| format!("\"{word}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Most characters of a value or key from the file that an error message
/// quotes: a pasted page or a runaway line must not fill the terminal.
const SHOWN_CHARS: usize = 60;

/// `text` as an error message quotes it: at most [`SHOWN_CHARS`] characters
/// and `…` when cut, control characters escaped (so a value cannot move the
/// cursor or clear the screen), Persian and ZWNJ as written.
pub(crate) fn shown(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == SHOWN_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A `[keys]` entry that gives out a key an earlier entry already bound.
pub(super) fn key_taken(action: &str, key: &str, other: &str) -> String {
    format!(
        "[keys] {} = \"{}\": {} has this key already (one key, one action)",
        shown(action),
        shown(key),
        shown(other)
    )
}
