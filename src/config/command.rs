//! The user's own commands (`[[command]]`, newsboat's macros and `pipe-to`): a
//! key, a name, a shell line with placeholders, and how it runs. Parsing the
//! line's placeholders and filling them in is here, pure, so that the config
//! check reports an unknown placeholder at its line and the reader only ever
//! runs a line made by [`Template::expand`].
//!
//! Every value goes into the line shell-quoted (in single quotes, a `'` written
//! `'\''`): whatever a feed puts in a title or a link, `sh -c` sees one literal
//! word, never a command.

use super::key::Key;

/// How a command runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommandMode {
    /// Detached, output discarded, like `o`; the reader goes on at once.
    #[default]
    Background,
    /// The reader gives up the terminal, runs the command in the foreground,
    /// waits for it and draws again (for `less`, `w3m`, an editor).
    Terminal,
    /// Like `Terminal`, with the item as plain text on standard input.
    Pipe,
}

/// The words `mode` takes, for the config check.
pub const MODES: &[&str] = &["background", "terminal", "pipe"];

/// A value a placeholder stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// `%u`: the item's link (with a count, link N of the article).
    Link,
    /// `%t`: the title.
    Title,
    /// `%f`: the feed's URL.
    FeedUrl,
    /// `%F`: the feed's title.
    FeedTitle,
    /// `%i`: the item's id.
    Id,
}

/// The placeholders by their letter.
const LETTERS: &[(char, Placeholder)] = &[
    ('u', Placeholder::Link),
    ('t', Placeholder::Title),
    ('f', Placeholder::FeedUrl),
    ('F', Placeholder::FeedTitle),
    ('i', Placeholder::Id),
];

/// One piece of a run line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Shell text as the user wrote it (`%%` already made `%`).
    Literal(String),
    /// A value, inserted quoted.
    Value(Placeholder),
}

/// A run line with its placeholders found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

/// A `%` not followed by a known letter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown placeholder \"{found}\" in run (known: %u link, %t title, %f feed URL, %F feed title, %i item id, %% a literal %)"
)]
pub struct UnknownPlaceholder {
    /// The placeholder as written (`%x`, or `%` at the end).
    pub found: String,
}

/// The values of one item for [`Template::expand`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    /// `%u` (empty when the item has none).
    pub link: String,
    /// `%t`.
    pub title: String,
    /// `%f`.
    pub feed_url: String,
    /// `%F`.
    pub feed_title: String,
    /// `%i`.
    pub id: i64,
}

impl Template {
    /// Finds the placeholders of `run`.
    pub fn parse(run: &str) -> Result<Template, UnknownPlaceholder> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = run.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                literal.push(c);
                continue;
            }
            let next = chars.next();
            if next == Some('%') {
                literal.push('%');
                continue;
            }
            let Some(value) = next.and_then(|n| LETTERS.iter().find(|(l, _)| *l == n)) else {
                return Err(UnknownPlaceholder {
                    found: next.map_or_else(|| "%".to_string(), |n| format!("%{n}")),
                });
            };
            if !literal.is_empty() {
                pieces.push(Piece::Literal(std::mem::take(&mut literal)));
            }
            pieces.push(Piece::Value(value.1));
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(literal));
        }
        Ok(Template { pieces })
    }

    /// Whether the line uses `placeholder`.
    pub fn uses(&self, placeholder: Placeholder) -> bool {
        self.pieces.contains(&Piece::Value(placeholder))
    }

    /// The line for `sh -c`, every value quoted.
    pub fn expand(&self, values: &Values) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Value(value) => {
                    let id;
                    let text: &str = match value {
                        Placeholder::Link => &values.link,
                        Placeholder::Title => &values.title,
                        Placeholder::FeedUrl => &values.feed_url,
                        Placeholder::FeedTitle => &values.feed_title,
                        // A number, quoted all the same so every value reads alike.
                        Placeholder::Id => {
                            id = values.id.to_string();
                            &id
                        }
                    };
                    out.push_str(&shell_quote(text));
                }
            }
        }
        out
    }
}

/// `text` as one word for `sh`: in single quotes, inside which nothing is
/// special except `'` itself, written `'\''` (close, escaped quote, open).
pub fn shell_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// A `[[command]]` ready for the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserCommand {
    /// The key that runs it.
    pub key: Key,
    /// Shown in help and on the message line (the run line when none was given).
    pub name: String,
    /// The run line.
    pub template: Template,
    /// How it runs.
    pub mode: CommandMode,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values {
        Values {
            link: "https://example.org/a?b=1&c=2".into(),
            title: "خبر تازه".into(),
            feed_url: "https://example.org/feed".into(),
            feed_title: "Feed's".into(),
            id: 42,
        }
    }

    /// Golden: each placeholder, `%%`, and the quoting of `'`.
    #[test]
    fn expansion_golden() {
        let cases: &[(&str, &str)] = &[
            ("mpv %u", "mpv 'https://example.org/a?b=1&c=2'"),
            ("echo %t", "echo 'خبر تازه'"),
            ("x %f %F", "x 'https://example.org/feed' 'Feed'\\''s'"),
            ("cat > ~/saved/%i.txt", "cat > ~/saved/'42'.txt"),
            (
                "printf '100%%' %u",
                "printf '100%' 'https://example.org/a?b=1&c=2'",
            ),
            ("no placeholders", "no placeholders"),
            ("", ""),
        ];
        for (run, want) in cases {
            let got = Template::parse(run).unwrap().expand(&values());
            assert_eq!(&got, want, "{run}");
        }
    }

    #[test]
    fn quoting_golden() {
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("'"), "''\\'''");
        assert_eq!(shell_quote("$(touch x)"), "'$(touch x)'");
        assert_eq!(shell_quote("`id`\n;"), "'`id`\n;'");
    }

    #[test]
    fn unknown_placeholders_are_named() {
        assert_eq!(
            Template::parse("mpv %x").unwrap_err().found,
            "%x".to_string()
        );
        assert_eq!(Template::parse("a %").unwrap_err().found, "%");
        assert_eq!(Template::parse("a %U").unwrap_err().found, "%U");
        assert!(Template::parse("a %% %u %t %f %F %i").is_ok());
    }

    #[test]
    fn uses_tells_which_values_a_line_needs() {
        let template = Template::parse("cat > %i").unwrap();
        assert!(template.uses(Placeholder::Id));
        assert!(!template.uses(Placeholder::Link));
    }
}
