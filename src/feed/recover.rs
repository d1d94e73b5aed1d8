//! Recovery of malformed feed documents, the way libxml2's recover mode lets
//! newsboat read them: called only when the strict parse failed (well-formed feeds
//! never come here), it rewrites the document into well-formed XML and says what
//! it repaired, so the feed is "read with repairs" instead of failed.
//!
//! What it does, in one linear pass with an explicit element stack (no recursion):
//! - a `&` that starts no valid reference is text (`&amp;`), in text and attributes;
//! - character references to characters XML forbids (`&#0;`, `&#xD800;`,
//!   `&#x110000;`) are dropped;
//! - general entities of the internal DTD subset are expanded, within a budget
//!   (billion laughs); external entities are never resolved (no file, no network);
//! - a `<` that starts no tag is text; a stray end tag is dropped; an end tag that
//!   closes an outer element closes the inner ones first;
//! - at the end of a cut-off document, every open element is closed, so each item
//!   that was read (the complete ones and the one being read) is kept;
//! - elements nested deeper than [`MAX_DEPTH`] lose their tags (their text stays).
//!
//! JSON Feed bodies get the one repair serde cannot make: a lone UTF-16 surrogate
//! escape (`\ud800`) becomes U+FFFD.

use std::collections::HashMap;

/// Elements nested deeper than this keep their text but lose their tags.
pub const MAX_DEPTH: usize = 256;
/// Nesting of entity references inside entity values.
const MAX_ENTITY_DEPTH: usize = 8;
/// Characters that entity expansion may add, beyond the document's own size.
const ENTITY_BUDGET: usize = 1 << 20;

/// A repaired document and what was repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovered {
    /// Well-formed XML (or JSON), UTF-8.
    pub body: Vec<u8>,
    /// What was repaired, for `khabar feeds`.
    pub repairs: Repairs,
}

/// Counts of each kind of repair.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Repairs {
    /// `&` that starts no reference, escaped.
    pub bare_ampersands: usize,
    /// Character references to characters XML forbids, dropped.
    pub bad_char_refs: usize,
    /// `<` that starts no tag, escaped.
    pub bare_less_than: usize,
    /// End tags that closed nothing, dropped.
    pub stray_end_tags: usize,
    /// Elements closed by an outer end tag or at the end of the document.
    pub unclosed_elements: usize,
    /// The document ended inside a tag, comment, CDATA section or element.
    pub truncated: bool,
    /// Undeclared, external or over-budget entity references, left as text.
    pub unexpanded_entities: usize,
    /// Tags dropped for nesting deeper than [`MAX_DEPTH`].
    pub too_deep: usize,
    /// Malformed or duplicate attributes dropped or quoted.
    pub bad_attributes: usize,
    /// Content after the root element, dropped.
    pub trailing_content: bool,
    /// Lone UTF-16 surrogate escapes in JSON, replaced.
    pub lone_surrogates: usize,
}

impl Repairs {
    /// True when nothing was repaired.
    pub fn is_empty(&self) -> bool {
        self.describe().is_empty()
    }

    /// One short phrase per kind of repair, in a fixed order.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut count = |n: usize, one: &str, many: &str| {
            if n == 1 {
                out.push(one.to_string());
            } else if n > 1 {
                out.push(format!("{n} {many}"));
            }
        };
        count(self.bare_ampersands, "1 bare &", "bare &");
        count(
            self.bad_char_refs,
            "1 invalid character reference dropped",
            "invalid character references dropped",
        );
        count(self.bare_less_than, "1 bare <", "bare <");
        count(
            self.lone_surrogates,
            "1 lone surrogate replaced",
            "lone surrogates replaced",
        );
        count(
            self.stray_end_tags,
            "1 stray end tag dropped",
            "stray end tags dropped",
        );
        count(
            self.unclosed_elements,
            "1 unclosed element closed",
            "unclosed elements closed",
        );
        count(self.bad_attributes, "1 bad attribute", "bad attributes");
        count(
            self.unexpanded_entities,
            "1 unexpanded entity",
            "unexpanded entities",
        );
        count(
            self.too_deep,
            "1 tag nested too deep",
            "tags nested too deep",
        );
        if self.truncated {
            out.push("cut off".to_string());
        }
        if self.trailing_content {
            out.push("content after the end dropped".to_string());
        }
        out
    }
}

/// Repairs a feed body that failed the strict parse; `None` when it is not a
/// feed at all (no RSS, RDF, Atom or JSON root), so a web page stays "not a feed".
pub fn recover(utf8: &[u8]) -> Option<Recovered> {
    let text = String::from_utf8_lossy(utf8);
    let first = text.trim_start().chars().next()?;
    if first == '{' {
        return recover_json(&text);
    }
    let mut recoverer = Recoverer::new(&text);
    recoverer.run();
    if !recoverer.saw_feed_root {
        return None;
    }
    Some(Recovered {
        body: recoverer.out.into_bytes(),
        repairs: recoverer.repairs,
    })
}

/// True when the document's DTD declares general entities: the strict parser
/// would show their references literally, so the document goes through
/// [`recover`] (which expands them) even when it is well-formed.
pub fn declares_entities(utf8: &[u8]) -> bool {
    // Only the prolog counts: stop at the root element's start tag.
    let mut at = 0;
    while let Some(lt) = utf8[at..].iter().position(|&b| b == b'<') {
        let tag = &utf8[at + lt..];
        if tag.get(1).is_some_and(u8::is_ascii_alphabetic) {
            return false;
        }
        if tag.starts_with(b"<!DOCTYPE") {
            let end = tag.len().min(64 * 1024);
            return find(&tag[..end], b"<!ENTITY").is_some();
        }
        at += lt + 1;
    }
    false
}

/// Atom 0.3 (`xmlns="http://purl.org/atom/ns#"`), which feed-rs does not know,
/// rewritten as Atom 1.0: the namespace, and the 0.3 date elements (`issued`,
/// `modified`) renamed to their 1.0 names. `None` for any other document (one
/// look at its first 2 KB).
pub fn atom03_as_atom10(utf8: &[u8]) -> Option<Vec<u8>> {
    const ATOM03: &str = "http://purl.org/atom/ns#";
    find(&utf8[..utf8.len().min(2048)], ATOM03.as_bytes())?;
    let text = String::from_utf8_lossy(utf8);
    let upgraded = text
        .replace(ATOM03, "http://www.w3.org/2005/Atom")
        .replace("<issued>", "<published>")
        .replace("</issued>", "</published>")
        .replace("<modified>", "<updated>")
        .replace("</modified>", "</updated>");
    Some(upgraded.into_bytes())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The local names a feed document's root element may have.
fn is_feed_root(name: &str) -> bool {
    let local = name.rsplit(':').next().unwrap_or(name);
    matches!(local, "rss" | "RDF" | "feed" | "channel")
}

/// A JSON Feed with lone surrogate escapes: each becomes `\ufffd`.
fn recover_json(text: &str) -> Option<Recovered> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut repairs = Repairs::default();
    let mut i = 0;
    let mut last = 0;
    let hex_at = |at: usize| -> Option<u32> {
        let digits = text.get(at..at + 4)?;
        u32::from_str_radix(digits, 16).ok()
    };
    let is_escape_u = |at: usize| bytes.get(at) == Some(&b'\\') && bytes.get(at + 1) == Some(&b'u');
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) != Some(&b'u') {
            i += 2;
            continue;
        }
        let Some(unit) = hex_at(i + 2) else {
            i += 2;
            continue;
        };
        match unit {
            0xD800..=0xDBFF => {
                let low = is_escape_u(i + 6)
                    .then(|| hex_at(i + 8))
                    .flatten()
                    .filter(|u| (0xDC00..=0xDFFF).contains(u));
                if low.is_some() {
                    i += 12;
                    continue;
                }
            }
            0xDC00..=0xDFFF => {}
            _ => {
                i += 6;
                continue;
            }
        }
        out.push_str(&text[last..i]);
        out.push_str("\\ufffd");
        repairs.lone_surrogates += 1;
        i += 6;
        last = i;
    }
    if repairs.lone_surrogates == 0 {
        return None;
    }
    out.push_str(&text[last..]);
    Some(Recovered {
        body: out.into_bytes(),
        repairs,
    })
}

/// An open element: its name, and whether its tags were written (see [`MAX_DEPTH`]).
struct Open {
    name: String,
    written: bool,
}

/// An internal entity's replacement text, or an external one (never resolved).
enum Entity {
    Internal(String),
    External,
}

struct Recoverer<'a> {
    text: &'a str,
    pos: usize,
    out: String,
    stack: Vec<Open>,
    entities: HashMap<String, Entity>,
    /// Characters entity expansion may still add.
    budget: usize,
    repairs: Repairs,
    saw_root: bool,
    saw_feed_root: bool,
}

impl<'a> Recoverer<'a> {
    fn new(text: &'a str) -> Self {
        Recoverer {
            text,
            pos: 0,
            out: String::with_capacity(text.len() + 64),
            stack: Vec::new(),
            entities: HashMap::new(),
            budget: ENTITY_BUDGET.max(text.len()),
            repairs: Repairs::default(),
            saw_root: false,
            saw_feed_root: false,
        }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn run(&mut self) {
        self.out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        while self.pos < self.text.len() {
            let rest = self.rest();
            let Some(special) = rest.find(['<', '&']) else {
                self.text_run(rest.len());
                break;
            };
            self.text_run(special);
            if self.saw_root && self.stack.is_empty() {
                break;
            }
            if self.rest().starts_with('&') {
                self.reference();
            } else {
                self.markup();
            }
            if self.saw_root && self.stack.is_empty() {
                break;
            }
        }
        if self.saw_root && self.stack.is_empty() && !self.rest().trim().is_empty() {
            // libxml2: "Extra content at the end of the document"; only a
            // comment or processing instruction may follow the root.
            let tail = self.rest().trim_start();
            if !(tail.starts_with("<!--") || tail.starts_with("<?")) {
                self.repairs.trailing_content = true;
            }
        }
        if !self.stack.is_empty() {
            self.repairs.truncated = true;
        }
        while let Some(open) = self.stack.pop() {
            self.repairs.unclosed_elements += 1;
            self.close(&open);
        }
    }

    /// Copies `len` bytes of character data; outside the root it is dropped.
    fn text_run(&mut self, len: usize) {
        let run = &self.text[self.pos..self.pos + len];
        if !self.stack.is_empty() {
            self.out.push_str(run);
        }
        self.pos += len;
    }

    /// At `&`: a valid reference is kept (a forbidden character dropped, an
    /// internal entity expanded); anything else is a literal `&`.
    fn reference(&mut self) {
        let rest = self.rest();
        match parse_reference(rest) {
            Some((len, Reference::Char(c))) => {
                if is_xml_char(c) {
                    self.push_text(&rest[..len]);
                } else {
                    self.repairs.bad_char_refs += 1;
                }
                self.pos += len;
            }
            Some((len, Reference::Named(name))) => {
                let expansion = self.expand_entity(name, 0);
                match expansion {
                    Some(text) => {
                        let escaped = escape_text(&text);
                        self.push_text(&escaped);
                    }
                    None => self.push_text(&rest[..len]),
                }
                self.pos += len;
            }
            Some((len, Reference::BadChar)) => {
                self.repairs.bad_char_refs += 1;
                self.pos += len;
            }
            None => {
                self.repairs.bare_ampersands += 1;
                self.push_text("&amp;");
                self.pos += 1;
            }
        }
    }

    fn push_text(&mut self, text: &str) {
        if !self.stack.is_empty() {
            self.out.push_str(text);
        }
    }

    /// The replacement text of `&name;` as characters, or `None` to leave the
    /// reference as it is (predefined, undeclared, external, or over budget).
    fn expand_entity(&mut self, name: &str, depth: usize) -> Option<String> {
        if matches!(name, "amp" | "lt" | "gt" | "quot" | "apos") {
            return (depth > 0).then(|| predefined(name).to_string());
        }
        let value = match self.entities.get(name) {
            Some(Entity::Internal(value)) => value.clone(),
            Some(Entity::External) => {
                self.repairs.unexpanded_entities += usize::from(depth == 0);
                return None;
            }
            // Undeclared (`&nbsp;`): kept as is, as the strict parser keeps it.
            None => return None,
        };
        if depth >= MAX_ENTITY_DEPTH {
            self.repairs.unexpanded_entities += 1;
            return None;
        }
        let mut out = String::new();
        let mut rest = value.as_str();
        while let Some(amp) = rest.find('&') {
            out.push_str(&rest[..amp]);
            rest = &rest[amp..];
            match parse_reference(rest) {
                Some((len, Reference::Char(c))) if is_xml_char(c) => {
                    out.push(c);
                    rest = &rest[len..];
                }
                Some((len, Reference::Named(inner))) => {
                    let inner = inner.to_string();
                    match self.expand_entity(&inner, depth + 1) {
                        Some(text) => out.push_str(&text),
                        None => out.push_str(&rest[..len]),
                    }
                    rest = &rest[len..];
                }
                Some((len, _)) => rest = &rest[len..],
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
            if out.len() > self.budget {
                break;
            }
        }
        out.push_str(rest);
        if out.len() > self.budget {
            // Billion laughs: stop expanding, keep the reference as text.
            self.budget = 0;
            self.repairs.unexpanded_entities += 1;
            return None;
        }
        if depth == 0 {
            self.budget -= out.len();
        }
        Some(out)
    }

    /// At `<`.
    fn markup(&mut self) {
        let rest = self.rest();
        if rest.starts_with("<?") {
            self.skip_to("?>", true);
        } else if rest.starts_with("<!--") {
            self.skip_to("-->", true);
        } else if rest.starts_with("<![CDATA[") {
            match rest.find("]]>") {
                Some(end) => {
                    self.push_text(&rest[..end + 3]);
                    self.pos += end + 3;
                }
                None => {
                    self.repairs.truncated = true;
                    self.push_text(rest);
                    self.push_text("]]>");
                    self.pos = self.text.len();
                }
            }
        } else if rest.starts_with("<!DOCTYPE") || rest.starts_with("<!doctype") {
            self.doctype();
        } else if rest.starts_with("</") {
            self.end_tag();
        } else if rest[1..].starts_with(is_name_start) {
            self.start_tag();
        } else {
            self.repairs.bare_less_than += 1;
            self.push_text("&lt;");
            self.pos += 1;
        }
    }

    /// Copies (inside the root) or skips everything up to and including `end`;
    /// a document cut off inside is cut off.
    fn skip_to(&mut self, end: &str, copy: bool) {
        let rest = self.rest();
        match rest.find(end) {
            Some(at) => {
                let len = at + end.len();
                if copy && !rest.starts_with("<?xml") {
                    self.push_text(&rest[..len]);
                }
                self.pos += len;
            }
            None => {
                self.repairs.truncated = true;
                self.pos = self.text.len();
            }
        }
    }

    /// Reads the internal subset's general entities; the DOCTYPE itself is not
    /// copied (the strict parser would ignore it anyway).
    fn doctype(&mut self) {
        let rest = self.rest();
        let bracket = rest.find('[');
        let close = rest.find('>');
        let Some(close) = close else {
            self.repairs.truncated = true;
            self.pos = self.text.len();
            return;
        };
        match bracket {
            Some(open) if open < close => {
                let subset = &rest[open + 1..];
                let Some(end) = subset.find("]") else {
                    self.repairs.truncated = true;
                    self.pos = self.text.len();
                    return;
                };
                self.read_entities(&subset[..end]);
                let after = open + 1 + end + 1;
                let len = rest[after..]
                    .find('>')
                    .map_or(rest.len(), |gt| after + gt + 1);
                self.pos += len;
            }
            _ => self.pos += close + 1,
        }
    }

    fn read_entities(&mut self, subset: &str) {
        let mut rest = subset;
        while let Some(at) = rest.find("<!ENTITY") {
            rest = &rest[at + "<!ENTITY".len()..];
            let decl_end = quoted_aware_end(rest);
            let decl = &rest[..decl_end];
            rest = &rest[decl_end.min(rest.len())..];
            let decl = decl.trim_start();
            if decl.starts_with('%') {
                continue; // Parameter entities: DTD-only, never expanded here.
            }
            let name_len = decl.find(|c: char| c.is_whitespace()).unwrap_or(decl.len());
            let (name, value) = decl.split_at(name_len);
            let value = value.trim();
            let entity = match value.chars().next() {
                Some(q @ ('"' | '\'')) => match value[1..].find(q) {
                    Some(end) => Entity::Internal(value[1..1 + end].to_string()),
                    None => continue,
                },
                // SYSTEM or PUBLIC: an external entity, never resolved.
                _ => Entity::External,
            };
            self.entities.entry(name.to_string()).or_insert(entity);
        }
    }

    fn end_tag(&mut self) {
        let rest = self.rest();
        let name_len = rest[2..]
            .find(|c: char| !is_name_char(c))
            .unwrap_or(rest.len() - 2);
        let name = &rest[2..2 + name_len];
        let Some(gt) = rest.find('>') else {
            self.repairs.truncated = true;
            self.pos = self.text.len();
            return;
        };
        self.pos += gt + 1;
        match self.stack.iter().rposition(|open| open.name == name) {
            Some(at) => {
                while self.stack.len() > at + 1 {
                    if let Some(open) = self.stack.pop() {
                        self.repairs.unclosed_elements += 1;
                        self.close(&open);
                    }
                }
                if let Some(open) = self.stack.pop() {
                    self.close(&open);
                }
            }
            None => self.repairs.stray_end_tags += 1,
        }
    }

    fn close(&mut self, open: &Open) {
        if open.written {
            self.out.push_str("</");
            self.out.push_str(&open.name);
            self.out.push('>');
        }
    }

    fn start_tag(&mut self) {
        let rest = self.rest();
        let name_len = rest[1..]
            .find(|c: char| !is_name_char(c))
            .unwrap_or(rest.len() - 1);
        let name = &rest[1..1 + name_len];
        let Some((tag_len, attributes, self_closing)) = self.attributes(&rest[1 + name_len..])
        else {
            self.repairs.truncated = true;
            self.pos = self.text.len();
            return;
        };
        self.pos += 1 + name_len + tag_len;
        if self.saw_root && self.stack.is_empty() {
            return;
        }
        if !self.saw_root {
            self.saw_root = true;
            self.saw_feed_root = is_feed_root(name);
        }
        let written = self.stack.len() < MAX_DEPTH;
        if written {
            self.out.push('<');
            self.out.push_str(name);
            self.out.push_str(&attributes);
            self.out.push_str(if self_closing { "/>" } else { ">" });
        } else {
            self.repairs.too_deep += 1;
        }
        if !self_closing {
            self.stack.push(Open {
                name: name.to_string(),
                written,
            });
        }
    }

    /// Reads a start tag's attributes from just after its name: returns the length
    /// read (through `>`), the attributes rewritten well-formed, and whether the tag
    /// closes itself. `None` when the document ends inside the tag.
    fn attributes(&mut self, tag: &str) -> Option<(usize, String, bool)> {
        let bytes = tag.as_bytes();
        let mut out = String::new();
        let mut seen: Vec<&str> = Vec::new();
        let mut i = 0;
        loop {
            while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            match bytes.get(i)? {
                b'>' => return Some((i + 1, out, false)),
                b'/' if bytes.get(i + 1) == Some(&b'>') => return Some((i + 2, out, true)),
                // A `<` inside a tag: the tag was never closed; end it here.
                b'<' => {
                    self.repairs.bad_attributes += 1;
                    return Some((i, out, false));
                }
                _ => {}
            }
            let name_len = tag[i..]
                .find(|c: char| !is_name_char(c))
                .unwrap_or(tag.len() - i);
            if name_len == 0 {
                self.repairs.bad_attributes += 1;
                i += tag[i..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            let name = &tag[i..i + name_len];
            i += name_len;
            while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            let value: String = if bytes.get(i) == Some(&b'=') {
                i += 1;
                while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                match *bytes.get(i)? {
                    q @ (b'"' | b'\'') => {
                        let end = tag[i + 1..].find(q as char)?;
                        let raw = &tag[i + 1..i + 1 + end];
                        i += end + 2;
                        self.attribute_value(raw)
                    }
                    _ => {
                        let len = tag[i..]
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .unwrap_or(tag.len() - i);
                        let raw = &tag[i..i + len];
                        i += len;
                        self.repairs.bad_attributes += 1;
                        self.attribute_value(raw.trim_end_matches('/'))
                    }
                }
            } else {
                self.repairs.bad_attributes += 1;
                name.to_string()
            };
            if seen.contains(&name) {
                self.repairs.bad_attributes += 1;
                continue;
            }
            seen.push(name);
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            out.push_str(&value);
            out.push('"');
        }
    }

    /// An attribute value made well-formed: bare `&` and `<` escaped, forbidden
    /// character references dropped, quotes escaped.
    fn attribute_value(&mut self, raw: &str) -> String {
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(at) = rest.find(['&', '<', '"']) {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            if rest.starts_with('<') {
                self.repairs.bare_less_than += 1;
                out.push_str("&lt;");
                rest = &rest[1..];
            } else if rest.starts_with('"') {
                out.push_str("&quot;");
                rest = &rest[1..];
            } else {
                match parse_reference(rest) {
                    Some((len, Reference::Char(c))) if is_xml_char(c) => {
                        out.push_str(&rest[..len]);
                        rest = &rest[len..];
                    }
                    Some((len, Reference::Named(name))) => {
                        match self.expand_entity(name, 0) {
                            Some(text) => out.push_str(&escape_text(&text).replace('"', "&quot;")),
                            None => out.push_str(&rest[..len]),
                        }
                        rest = &rest[len..];
                    }
                    Some((len, _)) => {
                        self.repairs.bad_char_refs += 1;
                        rest = &rest[len..];
                    }
                    None => {
                        self.repairs.bare_ampersands += 1;
                        out.push_str("&amp;");
                        rest = &rest[1..];
                    }
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Where a markup declaration ends (`>` outside quotes).
fn quoted_aware_end(decl: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in decl.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    decl.len()
}

enum Reference<'a> {
    Char(char),
    /// A numeric reference to no character at all (a surrogate, above U+10FFFF).
    BadChar,
    Named(&'a str),
}

/// A reference at the start of `text` (which starts with `&`): its length and
/// what it refers to, or `None` if it is no reference.
fn parse_reference(text: &str) -> Option<(usize, Reference<'_>)> {
    let body = &text[1..];
    let semi = body.bytes().take(40).position(|b| b == b';')?;
    let inner = &body[..semi];
    let len = semi + 2;
    if let Some(number) = inner.strip_prefix('#') {
        let value = match number.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).ok()
            }
            None if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => {
                number.parse::<u32>().ok()
            }
            _ => return None,
        };
        return Some((
            len,
            value
                .and_then(char::from_u32)
                .map_or(Reference::BadChar, Reference::Char),
        ));
    }
    let mut chars = inner.chars();
    let valid = chars.next().is_some_and(is_name_start) && chars.all(is_name_char);
    valid.then_some((len, Reference::Named(inner)))
}

/// Characters XML 1.0 allows.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':' || (!c.is_ascii() && !c.is_whitespace())
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == '-' || c == '.'
}

fn predefined(name: &str) -> &'static str {
    match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        _ => "'",
    }
}

/// Text made safe to put between tags.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;")
}

#[cfg(test)]
#[path = "recover_tests.rs"]
mod tests;
