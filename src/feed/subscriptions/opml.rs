//! OPML: reading outlines (folders and `category` become tags) and writing OPML 2.0.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{ImportError, RawEntries, new_spec, push_tag};
use crate::core::FeedSpec;
use crate::feed::plain_text::decode_entities;

/// OPML: every outline with `xmlUrl` is a feed; the outlines around it (folders)
/// and its `category` attribute (comma-separated, `/`-separated paths) are tags.
pub(super) fn parse_opml(text: &str) -> Result<RawEntries, ImportError> {
    let mut reader = Reader::from_str(text);
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut feeds: Vec<(usize, FeedSpec)> = Vec::new();
    // Line numbers are counted incrementally: `counted` bytes hold `line - 1` newlines.
    let mut counted = 0usize;
    let mut line = 1usize;
    let mut line_at = |position: u64| {
        let position = usize::try_from(position)
            .unwrap_or(usize::MAX)
            .min(text.len());
        if position > counted {
            line += text.as_bytes()[counted..position]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted = position;
        }
        line
    };
    loop {
        let start = reader.buffer_position();
        let event = reader.read_event().map_err(|err| ImportError::Opml {
            position: reader.error_position(),
            message: err.to_string(),
        })?;
        match event {
            Event::Start(tag) if tag.local_name().as_ref() == "outline" => {
                let outline = Outline::read(&tag);
                match outline.xml_url {
                    Some(_) => {
                        feeds.push((line_at(start), outline.to_spec(&folders)));
                        // A feed outline with children: the children are not in a folder.
                        folders.push(None);
                    }
                    None => folders.push(outline.text),
                }
            }
            Event::Empty(tag) if tag.local_name().as_ref() == "outline" => {
                let outline = Outline::read(&tag);
                if outline.xml_url.is_some() {
                    feeds.push((line_at(start), outline.to_spec(&folders)));
                }
            }
            Event::End(tag) if tag.local_name().as_ref() == "outline" => {
                folders.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(RawEntries {
        feeds,
        queries: Vec::new(),
        // An OPML file is often someone else's: its commands only when asked.
        commands_allowed: false,
    })
}

struct Outline {
    xml_url: Option<String>,
    text: Option<String>,
    category: Option<String>,
    /// khabar's own exact tag list (`khabar:tags`), which wins over `category`.
    exact_tags: Option<String>,
}

impl Outline {
    fn read(tag: &BytesStart<'_>) -> Outline {
        let mut outline = Outline {
            xml_url: None,
            text: None,
            category: None,
            exact_tags: None,
        };
        let mut title = None;
        for attr in tag.attributes().flatten() {
            let value = decode_entities(&attr.value).trim().to_string();
            if value.is_empty() {
                continue;
            }
            match attr.key.local_name().as_ref() {
                "xmlUrl" | "xmlurl" | "url" => outline.xml_url = Some(value),
                "text" => outline.text = Some(value),
                "title" => title = Some(value),
                "category" => outline.category = Some(value),
                "tags" if attr.key.prefix().is_some_and(|p| p.as_ref() == "khabar") => {
                    outline.exact_tags = Some(value)
                }
                _ => {}
            }
        }
        if outline.text.is_none() {
            outline.text = title;
        }
        outline
    }

    fn to_spec(&self, folders: &[Option<String>]) -> FeedSpec {
        let mut tags = Vec::new();
        for folder in folders.iter().flatten() {
            push_tag(&mut tags, folder);
        }
        if let Some(exact) = &self.exact_tags {
            for tag in exact.split(',') {
                push_tag(&mut tags, &percent_decode(tag));
            }
        } else {
            for category in self.category.iter().flat_map(|c| c.split(',')) {
                for part in category.split('/') {
                    push_tag(&mut tags, part);
                }
            }
        }
        let url = self.xml_url.clone().unwrap_or_default();
        let title = self.text.clone().filter(|t| *t != url);
        new_spec(url, title, tags)
    }
}

/// Writes OPML 2.0: one flat outline per feed, tags in `category`.
pub fn to_opml(feeds: &[FeedSpec], date_created: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <opml version=\"2.0\" xmlns:khabar=\"https://github.com/khabar-reader/khabar/opml\">\n",
    );
    out.push_str("  <head>\n    <title>khabar subscriptions</title>\n");
    out.push_str(&format!(
        "    <dateCreated>{}</dateCreated>\n  </head>\n  <body>\n",
        escape(date_created)
    ));
    for feed in feeds {
        let title = feed.title.as_deref().unwrap_or(&feed.url);
        out.push_str(&format!(
            "    <outline type=\"rss\" text=\"{}\" title=\"{}\" xmlUrl=\"{}\"",
            escape(title),
            escape(title),
            escape(&feed.url)
        ));
        if !feed.tags.is_empty() {
            // OPML's category is comma-separated with `/` paths: keep each tag whole.
            let tags: Vec<String> = feed
                .tags
                .iter()
                .map(|t| t.replace([',', '/'], " "))
                .collect();
            out.push_str(&format!(" category=\"{}\"", escape(&tags.join(","))));
            // The exact tags for khabar: `category` cannot hold `,` or `/` in a tag.
            let exact: Vec<String> = feed.tags.iter().map(|t| percent_encode(t)).collect();
            out.push_str(&format!(" khabar:tags=\"{}\"", escape(&exact.join(","))));
        }
        out.push_str("/>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

/// `%`, `,` and `/` as `%25`, `%2C`, `%2F`: a tag inside `khabar:tags`.
fn percent_encode(tag: &str) -> String {
    tag.replace('%', "%25")
        .replace(',', "%2C")
        .replace('/', "%2F")
}

/// The inverse of [`percent_encode`]; other `%` sequences are left as they are.
fn percent_decode(tag: &str) -> String {
    tag.replace("%2C", ",")
        .replace("%2c", ",")
        .replace("%2F", "/")
        .replace("%2f", "/")
        .replace("%25", "%")
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}
