//! Media RSS (`media:content`, `media:group`, …) inside an item or entry, as
//! feed-rs reads it: the files (URL, type, size, duration) reach khabar, and
//! in an Atom entry each file's `media:title` (its group's, else the entry's,
//! as feed-rs hands a scope's title to its groups); the scopes decide their
//! order, and a few elements make feed-rs fail (a `media:title` or
//! `media:description` of unknown type or without text), so those are declined.

use mediatype::MediaTypeBuf;

use super::cursor::{Cursor, Element, Ev, Ns};
use super::parse_uri;
use crate::feed::raw::{RawMedia, RawText};

/// Media RSS content found at one level (the item, or a `media:group`).
#[derive(Default)]
pub(super) struct Scope {
    /// The last `media:title` read at this level (feed-rs keeps the last).
    title: Option<RawText>,
    pending: Vec<RawMedia>,
    children: Vec<Scope>,
}

impl Scope {
    /// The media objects feed-rs makes: this scope's files if any, then each
    /// group's, depth first.
    pub fn objects(self) -> Vec<Vec<RawMedia>> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    /// The files of [`Scope::objects`], each with its object's title: the
    /// scope's own, else the nearest enclosing scope's (feed-rs's
    /// `merge_parent_scope_into_child`).
    pub fn titled_files(self) -> Vec<RawMedia> {
        let mut out = Vec::new();
        self.collect_titled(None, &mut out);
        out
    }

    fn collect_titled(self, parent: Option<&RawText>, out: &mut Vec<RawMedia>) {
        let title = self.title.or_else(|| parent.cloned());
        for mut media in self.pending {
            media.title.clone_from(&title);
            out.push(media);
        }
        for child in self.children {
            child.collect_titled(title.as_ref(), out);
        }
    }

    fn collect(self, out: &mut Vec<Vec<RawMedia>>) {
        if !self.pending.is_empty() {
            out.push(self.pending);
        }
        for child in self.children {
            child.collect(out);
        }
    }
}

/// One element met where feed-rs hands elements to its Media RSS handler
/// (any namespace; only Media RSS ones count). The element is consumed.
pub(super) fn element(cursor: &mut Cursor, element: &Element, scope: &mut Scope) -> Option<()> {
    if cursor.ns(element) != Ns::MediaRss {
        return cursor.skip();
    }
    match element.name() {
        "group" => {
            let mut nested = Scope::default();
            children(cursor, |cursor, child| {
                self::element(cursor, &child, &mut nested)
            })?;
            scope.children.push(nested);
            Some(())
        }
        "title" => {
            scope.title = Some(text(cursor, element)?);
            Some(())
        }
        "description" => text(cursor, element).map(|_| ()),
        "content" => content(cursor, element, scope),
        _ => cursor.skip(),
    }
}

/// Calls `each` on every child element of the element last started, which
/// is consumed.
fn children(
    cursor: &mut Cursor,
    mut each: impl FnMut(&mut Cursor, Element) -> Option<()>,
) -> Option<()> {
    loop {
        match cursor.next()? {
            Ev::Start(child) => each(cursor, child)?,
            Ev::Text(_) => {}
            Ev::End => return Some(()),
            Ev::Eof => return None,
        }
    }
}

/// `media:title` / `media:description`'s text; feed-rs fails on an unknown
/// `type` or a missing text, so those decline.
fn text(cursor: &mut Cursor, element: &Element) -> Option<RawText> {
    let kind = element.attribute("type")?;
    let is_html = match kind.as_deref() {
        None | Some("plain") => false,
        Some("html") => true,
        _ => return None,
    };
    cursor.text()?.map(|text| RawText {
        content: text.into_owned(),
        is_html,
    })
}

fn content(cursor: &mut Cursor, element: &Element, scope: &mut Scope) -> Option<()> {
    let base = cursor.base().cloned();
    let mut media = RawMedia::default();
    let mut url = None;
    for (name, value) in element.attributes()? {
        match name.as_str() {
            "url" => url = parse_uri(&value, base.as_ref()),
            "type" => {
                if let Ok(mime) = value.parse::<MediaTypeBuf>() {
                    media.mime_type = Some(mime.to_string());
                }
            }
            "fileSize" => {
                if let Ok(size) = value.parse::<u64>() {
                    media.size = Some(size);
                }
            }
            // As feed-rs: whole seconds, else nothing (a later bad one too).
            "duration" => {
                if let Ok(seconds) = value.parse::<u64>() {
                    media.duration = Some(seconds);
                }
            }
            _ => {}
        }
    }
    children(cursor, |cursor, child| {
        match (cursor.ns(&child), child.name()) {
            (Ns::MediaRss, "player") => {
                if let Some(player) = child
                    .attribute("url")?
                    .and_then(|player| parse_uri(&player, base.as_ref()))
                {
                    url = Some(player);
                }
                cursor.skip()
            }
            // feed-rs sets the scope's title from the first one here and
            // from any later one too (by its general Media RSS handler).
            (Ns::MediaRss, "title") => {
                scope.title = Some(text(cursor, &child)?);
                Some(())
            }
            (Ns::MediaRss, "description") => text(cursor, &child).map(|_| ()),
            (Ns::MediaRss, "rating" | "text" | "credit") => cursor.skip(),
            (Ns::MediaRss, _) => self::element(cursor, &child, scope),
            _ => cursor.skip(),
        }
    })?;
    if let Some(url) = url {
        media.url = url.to_string();
        scope.pending.push(media);
    }
    Some(())
}
