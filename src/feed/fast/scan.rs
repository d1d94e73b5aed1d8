//! The fast path's XML tokenizer: a strict subset of what quick-xml (under
//! feed-rs) reads, scanned with memchr over a document already checked as
//! UTF-8 (quick-xml checks every text again, which was its largest cost).
//!
//! It gives the events quick-xml would give, configured as feed-rs configures
//! it (empty elements expanded, end-tag names trimmed and checked), with the
//! namespaces resolved as quick-xml resolves them; whatever it is not sure
//! quick-xml reads the same way (a DTD, an unusual name, a reference that is
//! not a plain `&name;` or character reference, a declaration out of place, an
//! unbalanced tag, an odd namespace binding) it declines with `None`.

use std::borrow::Cow;

use quick_xml::events::{BytesDecl, BytesStart};

use super::cursor::Ns;

/// One token of the document.
pub(super) enum Token<'a> {
    /// A start tag (an empty element gives a start and an end).
    Start(Option<Ns>, BytesStart<'a>),
    End,
    /// A piece of text, CDATA content or a resolved reference, with whether it
    /// is a reference (references count even when empty).
    Text(Cow<'a, str>, bool),
    Eof,
}

/// Bindings in scope at most: quick-xml limits them, and feeds use a handful.
const MAX_BINDINGS: usize = 64;
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// The tokenizer's position and open elements.
pub(super) struct Scanner<'a> {
    text: &'a str,
    pos: usize,
    /// Names of the open elements.
    open: Vec<&'a str>,
    /// Namespace bindings in scope: depth declared at, prefix (`None` for the
    /// default namespace), URI as written.
    bindings: Vec<(usize, Option<String>, String)>,
    /// An empty element's end, due next.
    pending_end: bool,
}

impl<'a> Scanner<'a> {
    /// A scanner at the start of `text`.
    pub fn new(text: &'a str) -> Scanner<'a> {
        Scanner {
            text,
            pos: 0,
            open: Vec::new(),
            bindings: Vec::new(),
            pending_end: false,
        }
    }

    /// The next token, or `None` to decline.
    pub fn token(&mut self) -> Option<Token<'a>> {
        if self.pending_end {
            self.pending_end = false;
            self.close();
            return Some(Token::End);
        }
        let bytes = self.text.as_bytes();
        if self.pos >= bytes.len() {
            return self.open.is_empty().then_some(Token::Eof);
        }
        let rest = &bytes[self.pos..];
        match rest[0] {
            b'<' => self.markup(),
            b'&' => self.reference(),
            _ => {
                let len = memchr::memchr2(b'<', b'&', rest).unwrap_or(rest.len());
                let chunk = self.text.get(self.pos..self.pos + len)?;
                self.pos += len;
                Some(Token::Text(Cow::Borrowed(chunk), false))
            }
        }
    }

    fn close(&mut self) {
        let depth = self.open.len();
        while self.bindings.last().is_some_and(|(d, _, _)| *d >= depth) {
            self.bindings.pop();
        }
        self.open.pop();
    }

    /// `&name;` or a character reference.
    fn reference(&mut self) -> Option<Token<'a>> {
        let rest = self.text.get(self.pos + 1..)?;
        let semi = rest.as_bytes().iter().take(32).position(|&b| b == b';')?;
        let name = &rest[..semi];
        self.pos += semi + 2;
        if let Some(number) = name.strip_prefix('#') {
            // As quick-xml's `resolve_char_ref` reads it; its errors fail feed-rs.
            let (digits, radix) = match number.strip_prefix('x') {
                Some(hex) => (hex, 16),
                None => (number, 10),
            };
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return None;
            }
            let code = u32::from_str_radix(digits, radix)
                .ok()
                .filter(|&c| c != 0)?;
            let c = char::from_u32(code)?;
            return Some(Token::Text(Cow::Owned(c.to_string()), true));
        }
        let mut chars = name.bytes();
        if !chars.next().is_some_and(|b| b.is_ascii_alphabetic())
            || !chars.all(|b| b.is_ascii_alphanumeric())
        {
            return None;
        }
        let text = match quick_xml::escape::resolve_predefined_entity(name) {
            Some(entity) => Cow::Borrowed(entity),
            // feed-rs keeps an unknown entity as written.
            None => Cow::Owned(format!("&{name};")),
        };
        Some(Token::Text(text, true))
    }

    /// Whatever starts with `<`.
    fn markup(&mut self) -> Option<Token<'a>> {
        let rest = self.text.get(self.pos..)?;
        if let Some(body) = rest.strip_prefix("<!--") {
            if body.starts_with('>') || body.starts_with("->") {
                return None;
            }
            let end = memchr::memmem::find(body.as_bytes(), b"-->")?;
            self.pos += 4 + end + 3;
            return self.token();
        }
        if let Some(body) = rest.strip_prefix("<![CDATA[") {
            let end = memchr::memmem::find(body.as_bytes(), b"]]>")?;
            self.pos += 9 + end + 3;
            return Some(Token::Text(Cow::Borrowed(&body[..end]), false));
        }
        if let Some(body) = rest.strip_prefix("<?") {
            let end = memchr::memmem::find(body.as_bytes(), b"?>")?;
            let target_len = body
                .bytes()
                .position(|b| b.is_ascii_whitespace() || b == b'?')
                .unwrap_or(body.len());
            if body[..target_len].eq_ignore_ascii_case("xml") {
                // The declaration: first, and UTF-8 (or a label feed-rs ignores).
                if self.pos != 0 || target_len != 3 || end == 3 {
                    return None;
                }
                let decl = BytesDecl::from_start(BytesStart::from_content(&body[..end], 3));
                if decl.encoder().is_some_and(|e| e != encoding_rs::UTF_8) {
                    return None;
                }
            } else if target_len == 0 {
                return None;
            }
            self.pos += 2 + end + 2;
            return self.token();
        }
        if let Some(body) = rest.strip_prefix("</") {
            let gt = memchr::memchr(b'>', body.as_bytes())?;
            let name = body[..gt].trim_end_matches([' ', '\t', '\r', '\n']);
            if self.open.last() != Some(&name) {
                return None;
            }
            self.pos += 2 + gt + 1;
            self.close();
            return Some(Token::End);
        }
        self.start_tag(rest)
    }

    fn start_tag(&mut self, rest: &'a str) -> Option<Token<'a>> {
        let bytes = rest.as_bytes();
        // The tag ends at the first `>` outside quotes, as quick-xml reads it.
        let mut quote = None;
        let mut gt = None;
        for (i, &b) in bytes.iter().enumerate().skip(1) {
            match (quote, b) {
                (Some(q), _) if b == q => quote = None,
                (Some(_), b'<') => return None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'>') => {
                    gt = Some(i);
                    break;
                }
                (None, b'<') => return None,
                (None, _) => {}
            }
        }
        let gt = gt?;
        let mut content = &rest[1..gt];
        let empty = content.ends_with('/');
        if empty {
            content = &content[..content.len() - 1];
        }
        let name_len = content
            .bytes()
            .position(|b| b.is_ascii_whitespace())
            .unwrap_or(content.len());
        let name = &content[..name_len];
        let mut name_bytes = name.bytes();
        if !name_bytes
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            || !name_bytes
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
            || name.matches(':').count() > 1
            || name.ends_with(':')
        {
            return None;
        }
        self.pos += gt + 1;
        let start = BytesStart::from_content(content, name_len);
        self.open.push(name);
        let depth = self.open.len();
        if content[name_len..].contains("xmlns") {
            self.bind(&start, depth)?;
        }
        let ns = self.resolve(name)?;
        if empty {
            self.pending_end = true;
        }
        Some(Token::Start(ns, start))
    }

    /// The `xmlns` declarations of a start tag, as quick-xml's resolver
    /// reads them (unchecked attributes, up to the first malformed one).
    fn bind(&mut self, start: &BytesStart, depth: usize) -> Option<()> {
        for attribute in start.attributes().with_checks(false) {
            let Ok(attribute) = attribute else {
                break;
            };
            let key = attribute.key.0;
            let prefix = match key.strip_prefix("xmlns") {
                Some("") => None,
                Some(named) => match named.strip_prefix(':') {
                    Some(prefix) => Some(prefix.to_string()),
                    None => continue,
                },
                None => continue,
            };
            let value = &*attribute.value;
            if matches!(prefix.as_deref(), Some("xml" | "xmlns" | ""))
                || (prefix.is_some() && value.is_empty())
                || value == XML_NS
                || value == XMLNS_NS
                || value.contains('&')
                || self.bindings.len() >= MAX_BINDINGS
            {
                return None;
            }
            self.bindings.push((depth, prefix, value.to_string()));
        }
        Some(())
    }

    /// An element's namespace: `None` when unbound or its prefix is unknown
    /// (feed-rs then applies the document's default).
    fn resolve(&self, name: &str) -> Option<Option<Ns>> {
        let prefix = name.split_once(':').map(|(p, _)| p);
        match prefix {
            Some("xml") => return Some(Some(Ns::Unknown)),
            Some("xmlns") => return None,
            _ => {}
        }
        let binding = self
            .bindings
            .iter()
            .rev()
            .find(|(_, p, _)| p.as_deref() == prefix);
        Some(match binding {
            Some((_, _, uri)) if !uri.is_empty() => Some(Ns::parse(uri)),
            _ => None,
        })
    }
}
