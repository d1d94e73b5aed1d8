//! Start-tag attributes made well-formed: values quoted, bare `&` and `<`
//! escaped, forbidden character references dropped, duplicates dropped.

use super::reference::{Reference, escape_text, is_name_char, is_xml_char, parse_reference};
use super::xml::Recoverer;

impl Recoverer<'_> {
    /// Reads a start tag's attributes from just after its name: returns the length
    /// read (through `>`), the attributes rewritten well-formed, and whether the tag
    /// closes itself. `None` when the document ends inside the tag.
    pub(super) fn attributes(&mut self, tag: &str) -> Option<(usize, String, bool)> {
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
