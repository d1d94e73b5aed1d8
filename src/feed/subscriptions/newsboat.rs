//! newsboat `urls` files: `URL "tag" tag "~Title"` per line.

use super::{NewsboatQuery, RawEntries, new_spec, push_tag};

/// A newsboat `urls` file: `URL "tag" tag "~Title"` per line, `#` comments.
/// `exec:` and `filter:` lines are feeds like the others (the user's own file);
/// `query:NAME:EXPR` lines are returned apart, for the caller to make views of.
pub(super) fn parse_newsboat_urls(text: &str) -> RawEntries {
    let mut entries = RawEntries {
        feeds: Vec::new(),
        queries: Vec::new(),
        commands_allowed: true,
    };
    for (index, line) in text.lines().enumerate() {
        let words = split_newsboat_line(line);
        let Some((url, rest)) = words.split_first() else {
            continue;
        };
        if let Some(query) = url.strip_prefix("query:") {
            // The name ends at the first colon; the expression may hold more.
            let (name, expr) = query.split_once(':').unwrap_or((query, ""));
            entries.queries.push(NewsboatQuery {
                line: index + 1,
                name: name.trim().to_string(),
                expr: expr.trim().to_string(),
            });
            continue;
        }
        let mut title = None;
        let mut tags = Vec::new();
        for word in rest {
            if let Some(t) = word.strip_prefix('~') {
                title = Some(t.to_string()).filter(|t| !t.is_empty());
            } else if word != "!" {
                push_tag(&mut tags, word);
            }
        }
        entries
            .feeds
            .push((index + 1, new_spec(url.clone(), title, tags)));
    }
    entries
}

/// Splits on whitespace, keeping `"quoted words"` together; stops at a `#` comment.
fn split_newsboat_line(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = line.trim().chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '#' {
            break;
        } else if c == '"' {
            chars.next();
            let mut word = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => {
                        if let Some(escaped) = chars.next() {
                            word.push(escaped);
                        }
                    }
                    _ => word.push(c),
                }
            }
            words.push(word);
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
            words.push(word);
        }
    }
    words
}
