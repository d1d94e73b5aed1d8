//! newsboat's filter language (the `EXPR` of a `query:NAME:EXPR` feed) translated
//! to khabar's query language, for `khabar import` of a newsboat `urls` file.
//!
//! Only what means the same here is translated; anything else is refused with
//! the part that could not be, so an import never makes a view that lists
//! something other than what newsboat listed. What is translated:
//!
//! | newsboat | khabar |
//! |---|---|
//! | `unread = "yes"` / `"no"` (`==`, `!=` too) | `is:unread` / `is:read` |
//! | `flags # "s"` / `!#` | `is:starred` / `-is:starred` |
//! | `tags # "x"` / `!#` | `tag:x` / `-tag:x` |
//! | `rssurl = "u"` / `!=` (also `feedurl`) | `feed:u` / `-feed:u` |
//! | `rssurl =~ "u"` / `!~` (a plain URL fragment) | `feed:u` / `-feed:u` |
//! | `age < N`, `<=`, `>`, `>=`, `=`, `between A:B` | `after:Md` / `before:Md` |
//! | `title =~ "w"`, `content =~ "w"` / `!~` (a plain word) | `w` / `-w` |
//! | `and`, `or`, parentheses | juxtaposition, `or`, parentheses |
//!
//! newsboat's `age` is whole days (`(now - date) / 86400`, rounded down) and
//! `between` takes both ends (newsboat's `matcher.cpp`): `age between 0:7` is
//! `age <= 7`, that is `after:8d`. Pure.

use super::ast::{AgoUnit, DateSpec, Expr, Query, Sort, State, Term};

/// Why an expression was not translated: the part, and what about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{part}: {reason}")]
pub struct Untranslatable {
    /// The part of the expression, as written (the whole of it when it does not
    /// parse).
    pub part: String,
    /// What khabar lacks for it.
    pub reason: String,
}

/// Parentheses nested deeper than this are refused (an imported file is the
/// user's, but a bound costs nothing).
const MAX_DEPTH: usize = 32;

/// khabar's query text for newsboat's filter expression `expr`.
pub fn translate(expr: &str) -> Result<String, Untranslatable> {
    let whole = |reason: &str| Untranslatable {
        part: expr.trim().to_string(),
        reason: reason.to_string(),
    };
    let tokens = lex(expr).map_err(|reason| whole(&reason))?;
    let mut parser = Parser {
        src: expr,
        tokens,
        at: 0,
    };
    let tree = parser.sequence(0)?;
    if parser.at < parser.tokens.len() {
        return Err(whole("not a newsboat filter expression"));
    }
    let text = Query {
        expr: Some(tree),
        sort: Sort::Relevance,
    }
    .to_string();
    // What khabar cannot read back (a word its index does not hold, nesting
    // past its bound) is not a view either.
    super::parse(&text).map_err(|err| {
        whole(&format!(
            "gives `{text}`, which khabar cannot use ({err:?})"
        ))
    })?;
    Ok(text)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    And,
    Or,
    Ident(String),
    Op(&'static str),
    Str(String),
    Num(i64),
    Range(i64, i64),
}

/// Tokens with their byte span in the expression.
fn lex(src: &str) -> Result<Vec<(Tok, usize, usize)>, String> {
    const OPS: [&str; 11] = ["==", "!=", "=~", "!~", "!#", "<=", ">=", "=", "<", ">", "#"];
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let tok = if c == b'(' {
            i += 1;
            Tok::Open
        } else if c == b')' {
            i += 1;
            Tok::Close
        } else if c == b'"' {
            let mut text = String::new();
            let mut chars = src[i + 1..].char_indices();
            let mut end = None;
            while let Some((at, ch)) = chars.next() {
                match ch {
                    '"' => {
                        end = Some(i + 1 + at + 1);
                        break;
                    }
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            text.push(escaped);
                        }
                    }
                    _ => text.push(ch),
                }
            }
            i = end.ok_or("a quote is not closed")?;
            Tok::Str(text)
        } else if c.is_ascii_digit()
            || (c == b'-' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            let low = number(src, &mut i)?;
            if bytes.get(i) == Some(&b':') {
                i += 1;
                Tok::Range(low, number(src, &mut i)?)
            } else {
                Tok::Num(low)
            }
        } else if c.is_ascii_alphanumeric() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            match &src[start..i] {
                "and" => Tok::And,
                "or" => Tok::Or,
                "between" => Tok::Op("between"),
                word => Tok::Ident(word.to_string()),
            }
        } else if let Some(op) = OPS.iter().find(|op| src[i..].starts_with(**op)) {
            i += op.len();
            Tok::Op(op)
        } else {
            return Err(format!(
                "unexpected `{}`",
                &src[i..].chars().next().unwrap_or(' ')
            ));
        };
        out.push((tok, start, i));
    }
    Ok(out)
}

fn number(src: &str, i: &mut usize) -> Result<i64, String> {
    let start = *i;
    let bytes = src.as_bytes();
    if bytes.get(*i) == Some(&b'-') {
        *i += 1;
    }
    while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
        *i += 1;
    }
    src[start..*i]
        .parse()
        .map_err(|_| format!("`{}` is not a number", &src[start..*i]))
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<(Tok, usize, usize)>,
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.at).map(|(tok, _, _)| tok)
    }

    fn refuse(&self, from: usize, to: usize, reason: &str) -> Untranslatable {
        let start = self.tokens.get(from).map_or(self.src.len(), |t| t.1);
        let end = self
            .tokens
            .get(to.saturating_sub(1))
            .map_or(self.src.len(), |t| t.2)
            .max(start);
        Untranslatable {
            part: self.src[start..end].trim().to_string(),
            reason: reason.to_string(),
        }
    }

    /// `primary ((and | or) primary)*`, all `and` or all `or`: newsboat's
    /// precedence between the two is not one khabar can promise to match, so a
    /// mix needs parentheses.
    fn sequence(&mut self, depth: usize) -> Result<Expr, Untranslatable> {
        let first = self.at;
        let mut parts = vec![self.primary(depth)?];
        let mut joiner: Option<Tok> = None;
        while let Some(tok @ (Tok::And | Tok::Or)) = self.peek().cloned() {
            if joiner.as_ref().is_some_and(|j| *j != tok) {
                let mut end = self.at + 1;
                while end < self.tokens.len() && self.tokens[end].0 != Tok::Close {
                    end += 1;
                }
                return Err(self.refuse(first, end, "`and` and `or` mixed without parentheses"));
            }
            joiner = Some(tok);
            self.at += 1;
            parts.push(self.primary(depth)?);
        }
        Ok(match (parts.len(), joiner) {
            (1, _) => parts.remove(0),
            (_, Some(Tok::Or)) => Expr::Or(flatten(parts, true)),
            _ => Expr::And(flatten(parts, false)),
        })
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, Untranslatable> {
        let start = self.at;
        match self.peek() {
            Some(Tok::Open) => {
                if depth >= MAX_DEPTH {
                    return Err(self.refuse(start, self.tokens.len(), "nested too deep"));
                }
                self.at += 1;
                let inner = self.sequence(depth + 1)?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(self.refuse(start, self.at, "a parenthesis is not closed"));
                }
                self.at += 1;
                Ok(inner)
            }
            Some(Tok::Ident(_)) => self.condition(),
            _ => Err(self.refuse(start, start + 1, "expected an attribute")),
        }
    }

    fn condition(&mut self) -> Result<Expr, Untranslatable> {
        let start = self.at;
        let (Some(Tok::Ident(attr)), Some(Tok::Op(op)), Some(value)) = (
            self.tokens.get(start).map(|t| t.0.clone()),
            self.tokens.get(start + 1).map(|t| t.0.clone()),
            self.tokens.get(start + 2).map(|t| t.0.clone()),
        ) else {
            let end = (start + 3).min(self.tokens.len());
            return Err(self.refuse(start, end, "expected `attribute operator value`"));
        };
        self.at = start + 3;
        translate_condition(&attr, op, &value)
            .map_err(|reason| self.refuse(start, start + 3, &reason))
    }
}

/// Nested groups of the same kind become one (`a and (b and c)`).
fn flatten(parts: Vec<Expr>, or: bool) -> Vec<Expr> {
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        match part {
            Expr::Or(inner) if or => out.extend(inner),
            Expr::And(inner) if !or => out.extend(inner),
            other => out.push(other),
        }
    }
    out
}

fn term(term: Term) -> Expr {
    Expr::Term(term)
}

fn not(expr: Expr) -> Expr {
    Expr::Not(Box::new(expr))
}

fn days(n: i64) -> Result<DateSpec, String> {
    u32::try_from(n)
        .map(|n| DateSpec::Ago(n, AgoUnit::Days))
        .map_err(|_| format!("{n} days is out of range"))
}

fn translate_condition(attr: &str, op: &str, value: &Tok) -> Result<Expr, String> {
    let text = match value {
        Tok::Str(text) => Some(text.as_str()),
        _ => None,
    };
    let equal = matches!(op, "=" | "==");
    let unequal = op == "!=";
    match (attr, text) {
        ("unread", Some(yes_no @ ("yes" | "no"))) if equal || unequal => {
            let unread = (yes_no == "yes") == equal;
            Ok(term(Term::Is(if unread {
                State::Unread
            } else {
                State::Read
            })))
        }
        ("flags", Some("s")) if op == "#" => Ok(term(Term::Is(State::Starred))),
        ("flags", Some("s")) if op == "!#" => Ok(not(term(Term::Is(State::Starred)))),
        ("tags", Some(tag)) if !tag.trim().is_empty() && (op == "#" || op == "!#") => {
            let tag = term(Term::Tag(tag.to_string()));
            Ok(if op == "#" { tag } else { not(tag) })
        }
        // `rssurl` is the name newsboat's filters give a feed's URL (`RssFeed::
        // attribute_value`); `feedurl` is kept for files written for older imports.
        ("rssurl" | "feedurl", Some(url)) if !url.is_empty() && (equal || unequal) => {
            let feed = term(Term::Feed(url.to_string()));
            Ok(if equal { feed } else { not(feed) })
        }
        // `rssurl =~ "youtube.com"`, the usual way to gather one site's feeds, is a
        // substring test when the pattern is a plain URL fragment (its `.` taken
        // literally, as whoever wrote it meant); `feed:` is that substring test.
        ("rssurl", Some(fragment)) if op == "=~" || op == "!~" => {
            if !is_url_fragment(fragment) {
                return Err(format!(
                    "the regular expression \"{fragment}\" is not a plain URL fragment"
                ));
            }
            let feed = term(Term::Feed(fragment.to_string()));
            Ok(if op == "=~" { feed } else { not(feed) })
        }
        ("title" | "content", Some(word)) if op == "=~" || op == "!~" => {
            if word.is_empty() || !word.chars().all(char::is_alphanumeric) {
                return Err(format!(
                    "the regular expression \"{word}\" is not a plain word"
                ));
            }
            let found = term(Term::Word(word.to_string()));
            Ok(if op == "=~" { found } else { not(found) })
        }
        ("age", None) => age(op, value),
        ("unread" | "flags" | "tags" | "rssurl" | "feedurl" | "title" | "content", _) => Err(
            format!("khabar has no equivalent of `{attr} {op}` with this value"),
        ),
        _ => Err(format!("khabar cannot filter on `{attr}`")),
    }
}

/// A pattern with no regular-expression syntax but `.`: letters, digits and
/// the punctuation of URLs that is not special in a regex.
fn is_url_fragment(text: &str) -> bool {
    !text.is_empty()
        && text.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(c, '.' | '/' | ':' | '-' | '_' | '~' | '%' | '=' | '&' | '@')
        })
}

/// `age` in whole days: `age < n` is "newer than n days" (`after:nd`).
fn age(op: &str, value: &Tok) -> Result<Expr, String> {
    let after = |n: i64| days(n).map(|d| term(Term::After(d)));
    let before = |n: i64| days(n).map(|d| term(Term::Before(d)));
    match (op, value) {
        ("<", Tok::Num(n)) if *n > 0 => after(*n),
        ("<=", Tok::Num(n)) if *n >= 0 => after(n + 1),
        (">", Tok::Num(n)) if *n >= 0 => before(n + 1),
        (">=", Tok::Num(n)) if *n > 0 => before(*n),
        ("=" | "==", Tok::Num(n)) if *n >= 0 => between(*n, *n),
        ("between", Tok::Range(a, b)) if (*a).min(*b) >= 0 => between((*a).min(*b), (*a).max(*b)),
        _ => Err(format!(
            "khabar has no equivalent of `age {op}` with this value"
        )),
    }
}

/// `low <= age <= high`.
fn between(low: i64, high: i64) -> Result<Expr, String> {
    let after = term(Term::After(days(high + 1)?));
    Ok(if low == 0 {
        after
    } else {
        Expr::And(vec![after, term(Term::Before(days(low)?))])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// newsboat expression → khabar query text.
    const GOLDEN: &[(&str, &str)] = &[
        (r#"unread = "yes""#, "is:unread"),
        (r#"unread == "no""#, "is:read"),
        (r#"unread != "yes""#, "is:read"),
        (r#"flags # "s""#, "is:starred"),
        (r#"flags !# "s""#, "-is:starred"),
        (r#"tags # "tech""#, "tag:tech"),
        (r#"tags # "two words""#, r#"tag:"two words""#),
        (r#"tags !# "اقتصاد""#, "-tag:اقتصاد"),
        (
            r#"feedurl = "https://x.example/rss""#,
            "feed:https://x.example/rss",
        ),
        (r#"feedurl != "x.example""#, "-feed:x.example"),
        (
            r#"rssurl = "https://x.example/rss""#,
            "feed:https://x.example/rss",
        ),
        (r#"rssurl != "x.example""#, "-feed:x.example"),
        (r#"rssurl =~ "youtube.com""#, "feed:youtube.com"),
        (r#"rssurl !~ "reddit""#, "-feed:reddit"),
        (
            r#"rssurl =~ "youtube.com/feeds" and unread = "yes""#,
            "feed:youtube.com/feeds is:unread",
        ),
        ("age < 7", "after:7d"),
        ("age <= 7", "after:8d"),
        ("age > 30", "before:31d"),
        ("age >= 30", "before:30d"),
        ("age between 0:7", "after:8d"),
        ("age between 7:2", "after:8d before:2d"),
        (r#"title =~ "rust""#, "rust"),
        (r#"content !~ "bitcoin""#, "-bitcoin"),
        (r#"title =~ "خبر""#, "خبر"),
        (
            r#"unread = "yes" and tags # "news" and age < 3"#,
            "is:unread tag:news after:3d",
        ),
        (r#"tags # "a" or tags # "b""#, "tag:a or tag:b"),
        (
            r#"( tags # "a" or tags # "b" ) and unread = "yes""#,
            "tag:a or tag:b is:unread",
        ),
        (
            r#"unread = "yes" and (tags # "a" or (flags # "s" and age < 2))"#,
            "is:unread tag:a or (is:starred after:2d)",
        ),
        (r#"((unread = "yes"))"#, "is:unread"),
    ];

    #[test]
    fn golden_translations() {
        for (newsboat, khabar) in GOLDEN {
            assert_eq!(translate(newsboat).as_deref(), Ok(*khabar), "{newsboat}");
        }
    }

    #[test]
    fn every_translation_parses_as_a_khabar_query() {
        for (_, khabar) in GOLDEN {
            assert!(crate::query::parse(khabar).is_ok(), "{khabar}");
        }
    }

    /// newsboat expression → (the part named, a word of the reason).
    const REFUSED: &[(&str, &str, &str)] = &[
        (r#"title =~ "^rust""#, r#"title =~ "^rust""#, "plain word"),
        (r#"author = "me""#, r#"author = "me""#, "author"),
        (
            r#"unread = "yes" and feedlink =~ "x""#,
            r#"feedlink =~ "x""#,
            "feedlink",
        ),
        (
            r#"rssurl =~ "^https?://""#,
            r#"rssurl =~ "^https?://""#,
            "URL fragment",
        ),
        (r#"rssurl # "x""#, r#"rssurl # "x""#, "no equivalent"),
        (r#"flags # "r""#, r#"flags # "r""#, "no equivalent"),
        (
            r#"unread = "maybe""#,
            r#"unread = "maybe""#,
            "no equivalent",
        ),
        ("age < 0", "age < 0", "no equivalent"),
        (
            r#"unread = "yes" and tags # "a" or tags # "b""#,
            r#"unread = "yes" and tags # "a" or tags # "b""#,
            "mixed",
        ),
        (r#"(unread = "yes""#, r#"(unread = "yes""#, "not closed"),
        (r#"unread = "yes"#, r#"unread = "yes"#, "quote"),
        ("unread", "unread", "expected"),
        ("", "", "expected"),
    ];

    #[test]
    fn what_is_not_exact_is_refused_with_its_part() {
        for (newsboat, part, reason) in REFUSED {
            let err = translate(newsboat).unwrap_err();
            assert_eq!(err.part, *part, "{newsboat}");
            assert!(err.reason.contains(reason), "{newsboat}: {}", err.reason);
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("{}unread = \"yes\"{}", "(".repeat(5_000), ")".repeat(5_000));
        assert!(translate(&deep).is_err());
    }
}
