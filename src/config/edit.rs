//! Changing one setting in a user's config file while keeping everything else in
//! it: comments, order, spacing and the keys khabar does not touch. Used by
//! `khabar terminal-check` to record the display modes the user chose, and by
//! the reader to save a search as a `[[view]]`.
//!
//! Pure: text in, text out. The caller reads and writes the file
//! (`config_file.rs`, outside this pure layer).

use super::{BidiMode, ShapingMode};

/// Why a config file's text could not be edited.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The file is not valid TOML: editing it would risk losing what the user wrote.
    #[error("{0}")]
    Parse(String),
    /// `[display]` exists but is not a table (e.g. `display = 1`).
    #[error("`display` is not a table")]
    NotATable,
    /// `view` exists but is not a list of views (e.g. `view = "x"`).
    #[error("`view` is not a list of views")]
    NotAViewList,
}

/// The config name of a bidi mode, as `[display] bidi` spells it.
pub fn bidi_name(mode: BidiMode) -> &'static str {
    match mode {
        BidiMode::App => "app",
        BidiMode::Terminal => "terminal",
    }
}

/// The config name of a shaping mode, as `[display] shaping` spells it.
pub fn shaping_name(mode: ShapingMode) -> &'static str {
    match mode {
        ShapingMode::App => "app",
        ShapingMode::Terminal => "terminal",
    }
}

/// Returns `text` with `[display] bidi` and `shaping` set, everything else as it was.
/// An empty `text` (no config file yet) gives a file with just those two keys.
pub fn set_display_modes(
    text: &str,
    bidi: BidiMode,
    shaping: ShapingMode,
) -> Result<String, EditError> {
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|err: toml_edit::TomlError| EditError::Parse(err.to_string()))?;
    let display = doc
        .entry("display")
        .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()));
    let table = display.as_table_like_mut().ok_or(EditError::NotATable)?;
    set_keeping_comments(table, "bidi", bidi_name(bidi));
    set_keeping_comments(table, "shaping", shaping_name(shaping));
    Ok(doc.to_string())
}

/// Returns `text` with one more view, everything else as it was: after the
/// file's `[[view]]` tables, or in its `view = [...]` list when it writes them
/// that way (a `[[view]]` table appended to such a file would make it fail to
/// load: the key would be defined twice).
pub fn add_view(text: &str, name: &str, query: &str) -> Result<String, EditError> {
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|err: toml_edit::TomlError| EditError::Parse(err.to_string()))?;
    let views = doc
        .entry("view")
        .or_insert_with(|| toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new()));
    match views {
        toml_edit::Item::ArrayOfTables(tables) => {
            let mut table = toml_edit::Table::new();
            table.insert("name", toml_edit::value(name));
            table.insert("query", toml_edit::value(query));
            tables.push(table);
        }
        toml_edit::Item::Value(toml_edit::Value::Array(list)) => {
            let mut table = toml_edit::InlineTable::new();
            table.insert("name", name.into());
            table.insert("query", query.into());
            list.push(table);
        }
        _ => return Err(EditError::NotAViewList),
    }
    Ok(doc.to_string())
}

/// Sets `key` to the string `value`; an existing key keeps the comment above it
/// and the one after its value.
fn set_keeping_comments(table: &mut dyn toml_edit::TableLike, key: &str, value: &str) {
    match table.get_mut(key) {
        Some(item) => {
            let decor = item.as_value().map(|v| v.decor().clone());
            *item = toml_edit::value(value);
            if let (Some(decor), Some(new)) = (decor, item.as_value_mut()) {
                *new.decor_mut() = decor;
            }
        }
        None => {
            table.insert(key, toml_edit::value(value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn an_empty_file_gets_a_display_table() {
        let out = set_display_modes("", BidiMode::Terminal, ShapingMode::App).unwrap();
        assert_eq!(out, "[display]\nbidi = \"terminal\"\nshaping = \"app\"\n");
    }

    #[test]
    fn comments_and_other_keys_are_kept() {
        let text = "# my feeds\n[fetch]\nconcurrency = 4 # slow line\n\n[display]\n# who reorders\nbidi = \"app\" # was app\ntheme = \"dark\"\n";
        let out = set_display_modes(text, BidiMode::Terminal, ShapingMode::App).unwrap();
        assert!(out.contains("# my feeds"), "{out}");
        assert!(out.contains("concurrency = 4 # slow line"), "{out}");
        assert!(out.contains("# who reorders"), "{out}");
        assert!(out.contains("theme = \"dark\""), "{out}");
        assert!(out.contains("bidi = \"terminal\" # was app"), "{out}");
        assert!(out.contains("shaping = \"app\""), "{out}");
        assert!(!out.contains("bidi = \"app\""), "{out}");
    }

    #[test]
    fn the_edited_file_loads_with_the_chosen_modes() {
        let out = set_display_modes("[general]\n", BidiMode::Terminal, ShapingMode::App).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, out).unwrap();
        let config = Config::load_file(&path, true).unwrap();
        assert_eq!(config.display.bidi, BidiMode::Terminal);
        assert_eq!(config.display.shaping, ShapingMode::App);
    }

    #[test]
    fn broken_toml_is_refused_not_rewritten() {
        let err =
            set_display_modes("[display\nbidi = 1", BidiMode::App, ShapingMode::App).unwrap_err();
        assert!(matches!(err, EditError::Parse(_)));
    }

    /// Each way a file can hold views gets the new one where it loads, with
    /// the views already there kept.
    #[test]
    fn a_view_is_added_however_the_file_writes_its_views() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        for text in [
            "",
            "# mine\n[general]\nbrowser = \"w3m\"\n",
            "[[view]]\nname = \"old\"\nquery = \"world\"\n\n[fetch]\nconcurrency = 4\n",
            "feed = []\nview = []\n",
            "view = [{ name = \"old\", query = \"world\" }]\n",
        ] {
            let out = add_view(text, "اقتصاد «روز»", "tag:\"بورس\" or x").unwrap();
            std::fs::write(&path, &out).unwrap();
            let config = Config::load_file(&path, true).unwrap_or_else(|e| panic!("{e}\n{out}"));
            let views: Vec<_> = config
                .views
                .iter()
                .map(|v| (v.name.as_str(), v.query.as_str()))
                .collect();
            let old = text.contains("old");
            let expected: Vec<_> = [("old", "world")]
                .into_iter()
                .filter(|_| old)
                .chain([("اقتصاد «روز»", "tag:\"بورس\" or x")])
                .collect();
            assert_eq!(views, expected, "{out}");
            if text.contains("# mine") {
                assert!(
                    out.starts_with("# mine\n[general]\nbrowser = \"w3m\""),
                    "{out}"
                );
            }
        }
    }

    #[test]
    fn a_view_key_that_is_not_a_list_is_refused() {
        for text in ["view = \"x\"\n", "[view]\nname = \"x\"\n", "[display\n"] {
            assert!(add_view(text, "n", "q").is_err(), "{text}");
        }
    }

    #[test]
    fn a_display_key_that_is_not_a_table_is_refused() {
        let err = set_display_modes("display = 3\n", BidiMode::App, ShapingMode::App).unwrap_err();
        assert!(matches!(err, EditError::NotATable));
    }
}
