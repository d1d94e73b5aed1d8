//! The markup inside an element written back as text, the way feed-rs writes
//! it for Atom text constructs: local names, attribute values unescaped and
//! quoted as they are, text minimally escaped; for `type="xhtml"`, without the
//! one wrapping `<div>` when there is exactly one.

use quick_xml::escape::minimal_escape;

use super::cursor::{Cursor, Element, Ev};

/// Appends `<name attr="value" …>`.
fn append_start(out: &mut String, element: &Element) -> Option<String> {
    let name = element.name().to_string();
    out.push('<');
    out.push_str(&name);
    for (key, value) in element.attributes()? {
        out.push(' ');
        out.push_str(&key);
        out.push_str("=\"");
        out.push_str(&value);
        out.push('"');
    }
    out.push('>');
    Some(name)
}

fn append_end(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// The rest of the element last started, serialised; `first` is its first
/// child when the caller has already read that child's start.
pub(super) fn children_as_string(cursor: &mut Cursor, first: Option<Element>) -> Option<String> {
    let mut out = String::new();
    let mut open: Vec<String> = Vec::new();
    if let Some(first) = first {
        open.push(append_start(&mut out, &first)?);
    }
    loop {
        match cursor.next()? {
            Ev::Start(element) => open.push(append_start(&mut out, &element)?),
            Ev::Text(text) => out.push_str(&minimal_escape(text)),
            Ev::End => match open.pop() {
                Some(name) => append_end(&mut out, &name),
                None => return Some(out),
            },
            Ev::Eof => return None,
        }
    }
}

/// The rest of the element last started, serialised as XHTML content.
pub(super) fn children_as_xhtml(cursor: &mut Cursor) -> Option<String> {
    let mut out = String::new();
    let mut open: Vec<String> = Vec::new();
    let mut first_element = true;
    let mut div_open = None;
    let mut div_close = None;
    loop {
        match cursor.next()? {
            Ev::Start(element) => {
                if open.is_empty() {
                    if first_element {
                        if element.name() != "div" {
                            first_element = false;
                        }
                    } else {
                        div_open = None;
                        div_close = None;
                    }
                }
                open.push(append_start(&mut out, &element)?);
                if first_element {
                    first_element = false;
                    div_open = Some(out.len());
                }
            }
            Ev::Text(text) => {
                if open.is_empty() && text.bytes().any(|b| !b.is_ascii_whitespace()) {
                    first_element = false;
                    div_open = None;
                    div_close = None;
                }
                out.push_str(&minimal_escape(text));
            }
            Ev::End => {
                let Some(name) = open.pop() else {
                    break;
                };
                let close_start = out.len();
                append_end(&mut out, &name);
                if open.is_empty() && div_open.is_some() {
                    div_close = Some(close_start);
                }
            }
            Ev::Eof => return None,
        }
    }
    if let (Some(open_end), Some(close_start)) = (div_open, div_close) {
        out.truncate(close_start);
        out.drain(..open_end);
    }
    Some(out)
}
