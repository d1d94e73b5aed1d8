//! Entities of the document's internal DTD subset: read from the DOCTYPE and
//! expanded within a budget (billion laughs) and a nesting depth; external
//! entities (SYSTEM, PUBLIC) are recorded as such and never resolved.

use super::MAX_ENTITY_DEPTH;
use super::reference::{Reference, is_xml_char, parse_reference, predefined};
use super::xml::Recoverer;

/// An internal entity's replacement text, or an external one (never resolved).
pub(super) enum Entity {
    Internal(String),
    External,
}

impl Recoverer<'_> {
    /// The replacement text of `&name;` as characters, or `None` to leave the
    /// reference as it is (predefined, undeclared, external, or over budget).
    pub(super) fn expand_entity(&mut self, name: &str, depth: usize) -> Option<String> {
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

    /// Reads the internal subset's general entities; the DOCTYPE itself is not
    /// copied (the strict parser would ignore it anyway).
    pub(super) fn doctype(&mut self) {
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
