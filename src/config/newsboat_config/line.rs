//! One line of a newsboat `config` file split into its words the way newsboat's
//! tokenizer does: words apart by blanks, `"double quoted"` words with `\"`,
//! `\\`, `\n`, `\t`, `\r` and `` \` `` escapes, `#` outside quotes starts a
//! comment, a `` `command` `` (which newsboat runs) is refused, and an unquoted `;` is a word of its own (it separates a macro's
//! commands, also when it touches a quoted word). Pure.

/// A word of a line, with whether it was quoted (a quoted `";"` or `"--"` is
/// text, not a separator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    pub text: String,
    pub quoted: bool,
}

/// A line that cannot be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LineError {
    /// A `"` that is never closed.
    Unterminated,
    /// A `` `command` `` outside quotes: newsboat runs it and puts its output
    /// there; a translator that ran commands from a file would be a surprise.
    Backticks,
}

/// The words of `line`; no words for a blank or comment line.
pub(crate) fn split(line: &str) -> Result<Vec<Word>, LineError> {
    let mut words = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '#' {
            break;
        }
        if c == ';' {
            chars.next();
            words.push(Word {
                text: ";".to_string(),
                quoted: false,
            });
            continue;
        }
        if c == '"' {
            chars.next();
            let mut text = String::new();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '"' => {
                        closed = true;
                        break;
                    }
                    '\\' => match chars.next() {
                        Some('n') => text.push('\n'),
                        Some('t') => text.push('\t'),
                        Some('r') => text.push('\r'),
                        Some(e @ ('"' | '\\' | '`')) => text.push(e),
                        // newsboat keeps an unknown escape as written.
                        Some(other) => {
                            text.push('\\');
                            text.push(other);
                        }
                        None => return Err(LineError::Unterminated),
                    },
                    // newsboat runs a `command` inside quotes too.
                    '`' => return Err(LineError::Backticks),
                    other => text.push(other),
                }
            }
            if !closed {
                return Err(LineError::Unterminated);
            }
            words.push(Word { text, quoted: true });
            continue;
        }
        let mut text = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == ';' || c == '"' || c == '#' {
                break;
            }
            if c == '`' {
                return Err(LineError::Backticks);
            }
            text.push(c);
            chars.next();
        }
        words.push(Word {
            text,
            quoted: false,
        });
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<String> {
        split(line).unwrap().into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn blank_and_comment_lines_have_no_words() {
        assert!(texts("").is_empty());
        assert!(texts("   \t ").is_empty());
        assert!(texts("# bind-key j down").is_empty());
        assert!(texts("   # indented").is_empty());
    }

    #[test]
    fn words_and_trailing_comments() {
        assert_eq!(texts("reload-threads 4"), ["reload-threads", "4"]);
        assert_eq!(texts("max-items 50 # per feed"), ["max-items", "50"]);
        assert_eq!(
            texts("bind-key  ^D\tpagedown"),
            ["bind-key", "^D", "pagedown"]
        );
    }

    #[test]
    fn quotes_keep_blanks_hashes_and_semicolons() {
        assert_eq!(texts(r#"browser "firefox %u""#), ["browser", "firefox %u"]);
        assert_eq!(texts(r#"x "a # b""#), ["x", "a # b"]);
        let words = split(r#"x "a;b" ;"#).unwrap();
        assert_eq!(words[1].text, "a;b");
        assert!(words[1].quoted);
        assert_eq!(words[2].text, ";");
        assert!(!words[2].quoted);
        assert_eq!(texts(r#"x """#), ["x", ""]);
    }

    #[test]
    fn escapes_inside_quotes() {
        assert_eq!(
            texts(r#"ignore-article "*" "title =~ \"ad\"""#),
            ["ignore-article", "*", "title =~ \"ad\""]
        );
        assert_eq!(texts(r#"x "a\\b""#), ["x", "a\\b"]);
        assert_eq!(texts(r#"x "a\nb\tc""#), ["x", "a\nb\tc"]);
        assert_eq!(texts(r#"x "\d""#), ["x", "\\d"]);
        assert_eq!(texts(r#"x "\`""#), ["x", "`"]);
    }

    #[test]
    fn a_semicolon_separates_macro_commands() {
        assert_eq!(
            texts(r#"macro v set browser "mpv %u"; open-in-browser ; set browser "w3m %u""#),
            [
                "macro",
                "v",
                "set",
                "browser",
                "mpv %u",
                ";",
                "open-in-browser",
                ";",
                "set",
                "browser",
                "w3m %u"
            ]
        );
    }

    #[test]
    fn unclosed_quotes_and_backticks_are_errors() {
        assert_eq!(split(r#"browser "w3m %u"#), Err(LineError::Unterminated));
        assert_eq!(split(r#"x "a\"#), Err(LineError::Unterminated));
        assert_eq!(split("browser `which w3m`"), Err(LineError::Backticks));
        assert_eq!(split(r#"browser "`x`""#), Err(LineError::Backticks));
    }
}
