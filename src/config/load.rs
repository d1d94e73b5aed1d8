//! Loading: the built-in `default.toml`, a user's file checked against the schema
//! with positions, and the merge of the two.
//!
//! Merge rule: tables merge key by key, all the way down; anything else (numbers,
//! strings, arrays — so the whole `[[feed]]` list) in the user's file replaces the
//! default. A user who lists feeds therefore gets exactly their feeds.

use std::path::Path;

use toml::de::DeTable;

use super::schema;
use super::{Config, ConfigError, DEFAULT_CONFIG};

// default.toml is compiled in and a unit test parses it, so this cannot fail for
// any input a user controls.
#[allow(
    clippy::expect_used,
    reason = "the compiled-in default.toml is checked by builtin_has_every_option_and_curated_feeds"
)]
pub(super) fn builtin() -> Config {
    let config: Config =
        toml::from_str(DEFAULT_CONFIG).expect("the built-in default.toml is a valid config");
    Config {
        builtin_feeds: true,
        ..config
    }
}

#[allow(
    clippy::expect_used,
    reason = "the compiled-in default.toml is checked by default_toml_fits_the_schema"
)]
fn builtin_table() -> toml::Table {
    toml::from_str(DEFAULT_CONFIG).expect("the built-in default.toml is valid TOML")
}

pub(super) fn from_user_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let document = DeTable::parse(text).map_err(|error| toml_error(&error, text, path))?;
    schema::check(document.get_ref())
        .map_err(|error| invalid(path, text, error.span.start, error.message))?;
    let user: toml::Table = toml::from_str(text).map_err(|error| toml_error(&error, text, path))?;
    let has_feed_list = user.contains_key("feed");
    let mut merged = builtin_table();
    // A file that writes out the built-in list itself (config.example.toml does)
    // still has the built-in starter set; compared here, once, from the table
    // already parsed.
    let builtin_list = has_feed_list
        .then(|| merged.get("feed").cloned())
        .flatten()
        .and_then(|list| list.try_into::<Vec<super::FeedConfig>>().ok());
    merge(&mut merged, user);
    // The schema check has already caught everything a user can get wrong; this
    // only fails if the schema and the types disagree, which a test rules out.
    let config = merged
        .try_into::<Config>()
        .map_err(|error| invalid(path, text, 0, error.message().to_string()))?;
    let builtin_feeds = match builtin_list {
        Some(list) => list == config.feeds,
        None => !has_feed_list,
    };
    Ok(Config {
        builtin_feeds,
        ..config
    })
}

pub(super) fn load_file(path: &Path, must_exist: bool) -> Result<Config, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => from_user_toml(&text, path),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && !must_exist => Ok(builtin()),
        Err(error) => Err(ConfigError::Read {
            path: path.to_path_buf(),
            error,
        }),
    }
}

/// Merges `over` into `base`: tables deeply, everything else replaced.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(base_table)), toml::Value::Table(over_table)) => {
                merge(base_table, over_table);
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

fn toml_error(error: &toml::de::Error, text: &str, path: &Path) -> ConfigError {
    let offset = error.span().map(|span| span.start).unwrap_or(0);
    let mut message = error.message().trim().to_string();
    let line_start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text.get(line_start..).unwrap_or_default().lines().next();
    if let Some(hint) = line.and_then(syntax_hint) {
        message.push_str("; ");
        message.push_str(&hint);
    }
    invalid(path, text, offset, message)
}

/// What a line that is not TOML was probably meant to be. The TOML parser's
/// own words for the two usual slips of someone coming from newsboat's config
/// are about something else (`browser = firefox` is "invalid boolean, expected
/// `false`", `browser "firefox %u"` is "key with no value").
fn syntax_hint(line: &str) -> Option<String> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with('[') {
        return None;
    }
    match line.split_once('=') {
        Some((key, value)) => {
            let key = key.trim();
            let value = value.trim();
            let bare = !value.is_empty()
                && value.chars().next().is_some_and(char::is_alphabetic)
                && !matches!(value, "true" | "false")
                && !value.contains(['"', '\'', '[', '{']);
            bare.then(|| format!("text needs quotes: {key} = \"{value}\""))
        }
        None => {
            let word = line.split_whitespace().next().unwrap_or_default();
            let hint = match super::newsboat_names::setting(word) {
                Some(ours) => format!("newsboat's {word} is {ours} here"),
                None => "each setting is `key = value` under its [table]".to_string(),
            };
            Some(format!(
                "this looks like newsboat's config; khabar's is TOML: {}",
                super::schema::shown(&hint)
            ))
        }
    }
}

fn invalid(path: &Path, text: &str, offset: usize, message: String) -> ConfigError {
    let (line, column) = line_column(text, offset);
    ConfigError::Invalid {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
