//! Podcast episodes: the files an entry attaches (RSS `<enclosure>`, Media
//! RSS, Atom `rel="enclosure"` links, JSON Feed `attachments`) as khabar's
//! [`Enclosure`]s, with their titles and durations. feed-rs keeps neither a
//! JSON Feed attachment's `duration_in_seconds` nor an `<itunes:duration>`
//! of `MM:SS` (it reads `42:10` as 42 seconds), nor any `<itunes:duration>`
//! in an Atom entry, so the feed-rs path reads them from the document here;
//! the fast path reads `<itunes:duration>` as it parses ([`duration`]). An
//! Atom entry's `media:title` (YouTube's `media:group`) is its files' title.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use serde::Deserialize;
use url::Url;

use super::Enclosure;
use super::fast::Ns;
use super::normalise::resolve;
use super::raw::{RawEntry, RawFeed};
use super::text;

/// An `<itunes:duration>` in seconds: `SS`, `MM:SS` or `HH:MM:SS` (a
/// fraction of a second is dropped); `None` for anything else.
pub(super) fn duration(text: Option<&str>) -> Option<u64> {
    let text = text?.trim();
    let mut parts: Vec<&str> = text.split(':').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let last = parts.pop()?;
    let whole = last.split_once('.').map_or(last, |(whole, fraction)| {
        if fraction.bytes().all(|b| b.is_ascii_digit()) {
            whole
        } else {
            "\u{0}"
        }
    });
    parts.push(whole);
    let mut seconds: u64 = 0;
    for part in parts {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        seconds = seconds.checked_mul(60)?.checked_add(part.parse().ok()?)?;
    }
    Some(seconds)
}

pub(super) fn enclosures(entry: &RawEntry, base: Option<&Url>) -> Vec<Enclosure> {
    let mut out: Vec<Enclosure> = Vec::new();
    for media in &entry.media {
        if let Some(added) = push_new(
            &mut out,
            media.url.clone(),
            media.mime_type.clone(),
            media.size,
        ) {
            added.duration = media.duration;
            added.title = media
                .title
                .as_ref()
                .map(|t| text::title_text(&t.content, t.is_html))
                .filter(|t| !t.is_empty());
        }
    }
    for link in entry
        .links
        .iter()
        .filter(|l| l.rel.as_deref() == Some("enclosure"))
    {
        if let Some(url) = resolve(link.href.trim(), base) {
            let mime_type = link.media_type.as_deref().map(text::without_controls);
            if let Some(added) = push_new(&mut out, url, mime_type.map(String::from), link.length) {
                added.duration = link.duration;
                added.title = link
                    .title
                    .as_deref()
                    .map(|t| text::one_line(t).trim().to_string())
                    .filter(|t| !t.is_empty());
            }
        }
    }
    // The episode's `<itunes:duration>` is its first file's.
    if let Some(first) = out.first_mut().filter(|e| e.duration.is_none()) {
        first.duration = entry.duration;
    }
    out
}

/// Adds a file not listed yet, and hands it back for its title and duration.
fn push_new(
    out: &mut Vec<Enclosure>,
    url: String,
    mime_type: Option<String>,
    length: Option<u64>,
) -> Option<&mut Enclosure> {
    if url.is_empty() || out.iter().any(|e| e.url == url) {
        return None;
    }
    out.push(Enclosure {
        url,
        mime_type,
        length,
        ..Enclosure::default()
    });
    out.last_mut()
}

/// The iTunes namespace, whatever prefix the document gives it.
const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";

/// Sets each RSS item's or Atom entry's [`RawEntry::duration`] from its
/// `<itunes:duration>` (the last one that reads, as the fast path keeps it),
/// for the feed-rs path, which reads `MM:SS` wrongly in RSS and not at all in
/// Atom (podcast hosts that publish Atom write it there). The RSS items are
/// those feed-rs reads: the first `<channel>`'s. Left alone when the document
/// names no duration, does not read, or its items do not line up with the
/// parsed entries.
pub(super) fn apply_itunes_durations(feed: &mut RawFeed, utf8: &[u8]) {
    let Ok(doc) = simdutf8::basic::from_utf8(utf8) else {
        return;
    };
    if !doc.contains(ITUNES) || !doc.contains("duration") {
        return;
    }
    let mut reader = quick_xml::NsReader::from_str(doc);
    reader.config_mut().expand_empty_elements = true;
    let mut depth = 0;
    let mut channel_seen = false;
    let mut in_channel = false;
    let mut in_item = false;
    // The duration's text, as the fast path's cursor reads an element's: the
    // text right after its start tag, up to its first child.
    let mut reading: Option<String> = None;
    let mut open = false;
    let mut durations: Vec<Option<u64>> = Vec::new();
    // Where a duration is: an RSS item's child (depth 4), an Atom entry's (3).
    let mut duration_depth = 4;
    loop {
        let Ok((ns, event)) = reader.read_resolved_event() else {
            return;
        };
        match event {
            Event::Start(tag) => {
                depth += 1;
                open = false;
                let name = tag.local_name();
                let name = name.as_ref();
                let ns = match &ns {
                    ResolveResult::Bound(uri) if !uri.as_ref().is_empty() => {
                        Ns::parse(uri.as_ref())
                    }
                    _ => Ns::Rss,
                };
                match (depth, ns, name) {
                    (1, _, "rss") => {}
                    (1, Ns::Atom, "feed") if feed.atom => duration_depth = 3,
                    (1, _, _) => return,
                    (2, Ns::Atom, "entry") if duration_depth == 3 => {
                        in_item = true;
                        durations.push(None);
                    }
                    (2, _, "channel") if !channel_seen => {
                        channel_seen = true;
                        in_channel = true;
                    }
                    (3, Ns::Rss, "item") if in_channel => {
                        in_item = true;
                        durations.push(None);
                    }
                    (d, Ns::Itunes, "duration") if in_item && d == duration_depth => {
                        reading = Some(String::new());
                        open = true;
                    }
                    _ => {}
                }
            }
            // References come apart from the text around them.
            Event::Text(text) => {
                if let Some(read) = reading.as_mut().filter(|_| open) {
                    read.push_str(text.as_ref());
                }
            }
            Event::CData(data) => {
                if let Some(read) = reading.as_mut().filter(|_| open) {
                    read.push_str(data.as_ref());
                }
            }
            Event::GeneralRef(name) => {
                if let Some(read) = reading.as_mut().filter(|_| open) {
                    let reference = format!("&{};", AsRef::<str>::as_ref(&name));
                    match quick_xml::escape::unescape(&reference) {
                        Ok(text) => read.push_str(&text),
                        Err(_) => read.push_str(&reference),
                    }
                }
            }
            Event::End(_) => {
                open = false;
                if depth == duration_depth
                    && let Some(read) = reading.take()
                    && let Some(seconds) = duration(Some(&read))
                    && let Some(last) = durations.last_mut()
                {
                    *last = Some(seconds);
                }
                match depth {
                    d if d == duration_depth - 1 => in_item = false,
                    2 => in_channel = false,
                    _ => {}
                }
                depth -= 1;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if durations.len() != feed.entries.len() {
        return;
    }
    for (entry, seconds) in feed.entries.iter_mut().zip(durations) {
        entry.duration = seconds;
    }
}

/// A JSON Feed, as far as attachments' durations go.
#[derive(Deserialize)]
struct JsonFeed {
    #[serde(default)]
    items: Vec<JsonItem>,
}

#[derive(Deserialize)]
struct JsonItem {
    #[serde(default)]
    attachments: Option<Vec<JsonAttachment>>,
}

#[derive(Deserialize)]
struct JsonAttachment {
    #[serde(default)]
    duration_in_seconds: Option<serde_json::Value>,
}

/// Sets each JSON Feed attachment's duration ([`super::raw::RawLink::duration`])
/// from `duration_in_seconds`, which feed-rs drops. Attachments are an item's
/// `rel="enclosure"` links, in order (`raw::mark_attachments`). Only read when
/// the document names a duration; left alone when items or attachments do not
/// line up.
pub(super) fn apply_json_durations(feed: &mut RawFeed, doc: &[u8]) {
    let start = doc.iter().position(|b| !b.is_ascii_whitespace());
    if start.is_none_or(|at| doc[at] != b'{')
        || !doc.windows(19).any(|w| w == b"duration_in_seconds")
    {
        return;
    }
    let Ok(json) = serde_json::from_slice::<JsonFeed>(doc) else {
        return;
    };
    if json.items.len() != feed.entries.len() {
        return;
    }
    for (entry, item) in feed.entries.iter_mut().zip(json.items) {
        let attachments = item.attachments.unwrap_or_default();
        let mut links: Vec<_> = entry
            .links
            .iter_mut()
            .filter(|l| l.rel.as_deref() == Some("enclosure"))
            .collect();
        if links.len() != attachments.len() {
            continue;
        }
        for (link, attachment) in links.iter_mut().zip(attachments) {
            link.duration = attachment
                .duration_in_seconds
                .as_ref()
                .and_then(serde_json::Value::as_f64)
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(|s| s.round().min(u64::MAX as f64) as u64);
        }
    }
}

#[cfg(test)]
mod tests;
