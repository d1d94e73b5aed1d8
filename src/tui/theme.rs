//! Themes: `themes/*.toml` compiled into the binary, overridden or extended by
//! the user's themes directory. A theme may `inherits = "other"`; its entries are
//! merged field by field over the parent's. A bad colour or unknown key is an
//! error naming the file and the key. `NO_COLOR` strips colours, keeps emphasis.

use std::path::{Path, PathBuf};

use ratatui::style::{Color, Modifier, Style};

/// Themes shipped in the binary: (name, TOML).
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
];

/// The styles the view uses, one per role.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Theme {
    /// Ordinary text.
    pub text: Style,
    /// Secondary text.
    pub dim: Style,
    /// Unread headlines and counts.
    pub unread: Style,
    /// The selected row.
    pub selected: Style,
    /// The star mark.
    pub starred: Style,
    /// Errors.
    pub error: Style,
    /// The top bar.
    pub title_bar: Style,
    /// The bottom bar.
    pub status_bar: Style,
    /// The message line.
    pub message: Style,
    /// Dates.
    pub date: Style,
    /// Feed names in lists.
    pub feed_name: Style,
    /// Headings in articles.
    pub heading: Style,
    /// Links in articles.
    pub link: Style,
    /// Link numbers and other marks khabar adds.
    pub marker: Style,
    /// Code in articles.
    pub code: Style,
    /// `Feed:`, `Date:` and other header labels.
    pub header_label: Style,
}

const ROLES: &[&str] = &[
    "text",
    "dim",
    "unread",
    "selected",
    "starred",
    "error",
    "title_bar",
    "status_bar",
    "message",
    "date",
    "feed_name",
    "heading",
    "link",
    "marker",
    "code",
    "header_label",
];

impl Theme {
    fn role_mut(&mut self, role: &str) -> Option<&mut Style> {
        Some(match role {
            "text" => &mut self.text,
            "dim" => &mut self.dim,
            "unread" => &mut self.unread,
            "selected" => &mut self.selected,
            "starred" => &mut self.starred,
            "error" => &mut self.error,
            "title_bar" => &mut self.title_bar,
            "status_bar" => &mut self.status_bar,
            "message" => &mut self.message,
            "date" => &mut self.date,
            "feed_name" => &mut self.feed_name,
            "heading" => &mut self.heading,
            "link" => &mut self.link,
            "marker" => &mut self.marker,
            "code" => &mut self.code,
            "header_label" => &mut self.header_label,
            _ => return None,
        })
    }

    /// The built-in default theme (always valid: checked by a test).
    pub fn builtin_default() -> Theme {
        load("default", None).unwrap_or_default()
    }

    /// Colours removed, emphasis kept; the selection becomes reverse video.
    pub fn without_colour(&self) -> Theme {
        let mut out = self.clone();
        for role in ROLES {
            if let Some(style) = out.role_mut(role) {
                style.fg = None;
                style.bg = None;
                style.underline_color = None;
            }
        }
        out.selected = out.selected.add_modifier(Modifier::REVERSED);
        out.title_bar = out.title_bar.add_modifier(Modifier::REVERSED);
        out.status_bar = out.status_bar.add_modifier(Modifier::REVERSED);
        out
    }
}

/// A theme that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    /// No built-in or user theme has this name.
    #[error("no theme named \"{name}\" (built in: {builtin}; user themes go in {dir})")]
    NotFound {
        /// The name asked for.
        name: String,
        /// The built-in names.
        builtin: String,
        /// Where user themes are looked for.
        dir: String,
    },
    /// The theme file is not a valid theme.
    #[error("{file}: {message}")]
    Invalid {
        /// The theme file.
        file: String,
        /// What is wrong, with its position.
        message: String,
    },
    /// The theme file cannot be read.
    #[error("cannot read {file}: {source}")]
    Read {
        /// The theme file.
        file: String,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
}

/// Loads theme `name`, looking first in `user_dir` (`NAME.toml`), then the built-ins.
pub fn load(name: &str, user_dir: Option<&Path>) -> Result<Theme, ThemeError> {
    let found = find(name, user_dir, false)?;
    load_file(name, found, user_dir, false, &mut Vec::new())
}

/// Loads a theme file found for `name`, its parents first. `chain` holds the
/// (name, file) of the themes inheriting from this one, to name a cycle.
fn load_file(
    name: &str,
    (file, text): (String, String),
    user_dir: Option<&Path>,
    builtin_only: bool,
    chain: &mut Vec<(String, String)>,
) -> Result<Theme, ThemeError> {
    chain.push((name.to_string(), file.clone()));
    let table: toml::Table = toml::from_str(&text).map_err(|e| ThemeError::Invalid {
        file: file.clone(),
        message: e.to_string().trim_end().to_string(),
    })?;
    let mut theme = match table.get("inherits") {
        None => Theme::default(),
        Some(toml::Value::String(parent)) => {
            // A user's `default.toml` inheriting "default" means the built-in one.
            let from_user = !file.starts_with("(built in)");
            let parent_builtin_only = builtin_only || (parent == name && from_user);
            let invalid = |message: String| ThemeError::Invalid {
                file: file.clone(),
                message: format!("inherits \"{parent}\": {message}"),
            };
            let cycle = |chain: &[(String, String)]| {
                let names: Vec<&str> = chain.iter().map(|(n, _)| n.as_str()).collect();
                invalid(format!(
                    "inheritance cycle ({} → {parent})",
                    names.join(" → ")
                ))
            };
            let found = match find(parent, user_dir, parent_builtin_only) {
                Ok(found) => found,
                // A user theme inheriting its own name, with no built-in of that name.
                Err(ThemeError::NotFound { .. }) if parent == name => return Err(cycle(chain)),
                Err(err @ ThemeError::NotFound { .. }) => return Err(invalid(err.to_string())),
                Err(err) => return Err(err),
            };
            if chain.iter().any(|(_, f)| *f == found.0) {
                return Err(cycle(chain));
            }
            load_file(parent, found, user_dir, parent_builtin_only, chain)?
        }
        Some(_) => {
            return Err(ThemeError::Invalid {
                file,
                message: "inherits: expected a theme name in quotes".into(),
            });
        }
    };
    for (role, value) in &table {
        if role == "inherits" {
            continue;
        }
        let Some(style) = theme.role_mut(role) else {
            return Err(ThemeError::Invalid {
                file,
                message: format!("{role}: unknown entry (known: {})", ROLES.join(", ")),
            });
        };
        let toml::Value::Table(fields) = value else {
            return Err(ThemeError::Invalid {
                file,
                message: format!("{role}: expected a table like [{role}] fg = \"red\""),
            });
        };
        apply_fields(style, fields).map_err(|message| ThemeError::Invalid {
            file: file.clone(),
            message: format!("{role}.{message}"),
        })?;
    }
    Ok(theme)
}

/// The file for theme `name`: `user_dir/NAME.toml` (unless `builtin_only`), else
/// the built-in one. (file name for messages, its text)
fn find(
    name: &str,
    user_dir: Option<&Path>,
    builtin_only: bool,
) -> Result<(String, String), ThemeError> {
    if let Some(dir) = user_dir.filter(|_| !builtin_only) {
        let path: PathBuf = dir.join(format!("{name}.toml"));
        match std::fs::read_to_string(&path) {
            Ok(text) => return Ok((path.display().to_string(), text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(ThemeError::Read {
                    file: path.display().to_string(),
                    source,
                });
            }
        }
    }
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| (format!("(built in) themes/{n}.toml"), text.to_string()))
        .ok_or_else(|| ThemeError::NotFound {
            name: name.to_string(),
            builtin: BUILTIN.iter().map(|b| b.0).collect::<Vec<_>>().join(", "),
            dir: user_dir.map_or("the config directory's themes/".into(), |d| {
                d.display().to_string()
            }),
        })
}

/// Applies `fg`, `bg`, `bold`, ... ; the error names the field.
fn apply_fields(style: &mut Style, fields: &toml::Table) -> Result<(), String> {
    for (field, value) in fields {
        match field.as_str() {
            "fg" | "bg" => {
                let toml::Value::String(text) = value else {
                    return Err(format!("{field}: expected a colour in quotes"));
                };
                let colour = parse_colour(text).ok_or_else(|| {
                    format!(
                        "{field}: unknown colour \"{text}\" (use a name like \"light-blue\", \"#rrggbb\" or 0-255)"
                    )
                })?;
                if field == "fg" {
                    style.fg = Some(colour);
                } else {
                    style.bg = Some(colour);
                }
            }
            "bold" | "italic" | "underline" | "reversed" | "dim" => {
                let toml::Value::Boolean(on) = value else {
                    return Err(format!("{field}: expected true or false"));
                };
                let modifier = match field.as_str() {
                    "bold" => Modifier::BOLD,
                    "italic" => Modifier::ITALIC,
                    "underline" => Modifier::UNDERLINED,
                    "reversed" => Modifier::REVERSED,
                    _ => Modifier::DIM,
                };
                if *on {
                    style.add_modifier.insert(modifier);
                    style.sub_modifier.remove(modifier);
                } else {
                    style.add_modifier.remove(modifier);
                }
            }
            other => {
                return Err(format!(
                    "{other}: unknown field (known: fg, bg, bold, italic, underline, reversed, dim)"
                ));
            }
        }
    }
    Ok(())
}

/// `red`, `light-blue`, `dark-gray`, `reset`, `#rrggbb`, or `0`..`255`.
pub fn parse_colour(text: &str) -> Option<Color> {
    if let Some(hex) = text.strip_prefix('#') {
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let n = u32::from_str_radix(hex, 16).ok()?;
        return Some(Color::Rgb((n >> 16) as u8, (n >> 8) as u8, n as u8));
    }
    if let Ok(n) = text.parse::<u8>() {
        return Some(Color::Indexed(n));
    }
    let name = text.to_ascii_lowercase().replace(['_', ' '], "-");
    Some(match name.as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "dark-gray" | "dark-grey" => Color::DarkGray,
        "light-red" => Color::LightRed,
        "light-green" => Color::LightGreen,
        "light-yellow" => Color::LightYellow,
        "light-blue" => Color::LightBlue,
        "light-magenta" => Color::LightMagenta,
        "light-cyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_loads() {
        for (name, _) in BUILTIN {
            load(name, None).unwrap();
        }
    }

    #[test]
    fn light_inherits_default_and_overrides() {
        let light = load("light", None).unwrap();
        let default = load("default", None).unwrap();
        assert_eq!(light.selected.bg, Some(Color::Blue));
        assert_eq!(light.unread, default.unread);
    }

    #[test]
    fn user_theme_overrides_and_bad_colour_names_file_and_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mine.toml"),
            "inherits = \"default\"\n[selected]\nbg = \"#102030\"\n",
        )
        .unwrap();
        let mine = load("mine", Some(dir.path())).unwrap();
        assert_eq!(mine.selected.bg, Some(Color::Rgb(0x10, 0x20, 0x30)));
        assert_eq!(mine.selected.fg, Some(Color::Black));

        std::fs::write(
            dir.path().join("default.toml"),
            "inherits = \"default\"\n[error]\nfg = \"redd\"\n",
        )
        .unwrap();
        let err = load("default", Some(dir.path())).unwrap_err().to_string();
        assert!(
            err.contains("default.toml") && err.contains("error.fg") && err.contains("redd"),
            "{err}"
        );
    }

    #[test]
    fn unknown_theme_and_unknown_entry_are_errors() {
        assert!(matches!(
            load("nope", None),
            Err(ThemeError::NotFound { .. })
        ));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.toml"), "[seleted]\nfg = \"red\"\n").unwrap();
        let err = load("x", Some(dir.path())).unwrap_err().to_string();
        assert!(err.contains("seleted"), "{err}");
    }

    #[test]
    fn t6_inheritance_cycles_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("mine3.toml"), "inherits = \"mine3\"\n").unwrap();
        let err = load("mine3", Some(dir.path())).unwrap_err().to_string();
        assert!(
            err.ends_with("mine3.toml: inherits \"mine3\": inheritance cycle (mine3 → mine3)"),
            "{err}"
        );
        std::fs::write(dir.path().join("a.toml"), "inherits = \"b\"\n").unwrap();
        std::fs::write(dir.path().join("b.toml"), "inherits = \"a\"\n").unwrap();
        let err = load("a", Some(dir.path())).unwrap_err().to_string();
        assert!(
            err.ends_with("b.toml: inherits \"a\": inheritance cycle (a → b → a)"),
            "{err}"
        );
        // A missing parent is named with the file that asks for it.
        std::fs::write(dir.path().join("c.toml"), "inherits = \"nope\"\n").unwrap();
        let err = load("c", Some(dir.path())).unwrap_err().to_string();
        assert!(
            err.contains("c.toml: inherits \"nope\": no theme named \"nope\"")
                && err.contains(&dir.path().display().to_string()),
            "{err}"
        );
        // Still fine: a user theme named like a built-in inheriting it.
        std::fs::write(dir.path().join("light.toml"), "inherits = \"light\"\n").unwrap();
        assert_eq!(
            load("light", Some(dir.path())).unwrap(),
            load("light", None).unwrap()
        );
    }

    #[test]
    fn no_colour_strips_colours_and_reverses_selection() {
        let plain = Theme::builtin_default().without_colour();
        assert_eq!(plain.selected.bg, None);
        assert!(plain.selected.add_modifier.contains(Modifier::REVERSED));
        assert!(plain.unread.add_modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn colours_parse() {
        assert_eq!(parse_colour("light-blue"), Some(Color::LightBlue));
        assert_eq!(parse_colour("#ff0000"), Some(Color::Rgb(255, 0, 0)));
        assert_eq!(parse_colour("42"), Some(Color::Indexed(42)));
        assert_eq!(parse_colour("#ff00"), None);
        assert_eq!(parse_colour("bluish"), None);
    }
}
