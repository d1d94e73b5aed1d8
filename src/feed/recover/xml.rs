//! The XML half of recovery: one pass over the document with an explicit
//! element stack, writing well-formed XML (see the parent module for the rules).

use std::collections::HashMap;

use super::entities::Entity;
use super::reference::{
    Reference, escape_text, is_name_char, is_name_start, is_xml_char, parse_reference,
};
use super::{ENTITY_BUDGET, MAX_DEPTH, Repairs, is_feed_root};

/// An open element: its name, and whether its tags were written (see [`MAX_DEPTH`]).
pub(super) struct Open {
    name: String,
    written: bool,
}

pub(super) struct Recoverer<'a> {
    pub(super) text: &'a str,
    pub(super) pos: usize,
    pub(super) out: String,
    pub(super) stack: Vec<Open>,
    pub(super) entities: HashMap<String, Entity>,
    /// Characters entity expansion may still add.
    pub(super) budget: usize,
    pub(super) repairs: Repairs,
    pub(super) saw_root: bool,
    pub(super) saw_feed_root: bool,
}

impl<'a> Recoverer<'a> {
    pub(super) fn new(text: &'a str) -> Self {
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

    pub(super) fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    pub(super) fn run(&mut self) {
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

    pub(super) fn push_text(&mut self, text: &str) {
        if !self.stack.is_empty() {
            self.out.push_str(text);
        }
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
}
