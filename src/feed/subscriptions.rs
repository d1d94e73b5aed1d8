//! Subscription lists: reading OPML (nested outlines and `category` become tags)
//! and newsboat `urls` files, and writing OPML 2.0 with tags as `category`.
//! Pure: text in, [`FeedSpec`]s out, and back.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::text::decode_entities;
use crate::store::FeedSpec;
use crate::text::Direction;

/// A subscription list that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("malformed OPML at byte {position}: {message}")]
    Opml { position: u64, message: String },
    #[error("no feeds found (expected OPML outlines with xmlUrl, or a newsboat urls file)")]
    Empty,
}

/// Reads OPML or a newsboat `urls` file, whichever `text` is.
pub fn parse_subscriptions(text: &str) -> Result<Vec<FeedSpec>, ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    let feeds = if text.trim_start().starts_with('<') {
        parse_opml(text)?
    } else {
        parse_newsboat_urls(text)
    };
    if feeds.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(feeds)
}

fn new_spec(url: String, title: Option<String>, tags: Vec<String>) -> FeedSpec {
    FeedSpec {
        url,
        title,
        tags,
        direction: Direction::Auto,
        fulltext: false,
        enabled: true,
    }
}

fn push_tag(tags: &mut Vec<String>, tag: &str) {
    let tag = tag.trim();
    if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
        tags.push(tag.to_string());
    }
}

/// OPML: every outline with `xmlUrl` is a feed; the outlines around it (folders)
/// and its `category` attribute (comma-separated, `/`-separated paths) are tags.
pub fn parse_opml(text: &str) -> Result<Vec<FeedSpec>, ImportError> {
    let mut reader = Reader::from_str(text);
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut feeds: Vec<FeedSpec> = Vec::new();
    loop {
        let event = reader.read_event().map_err(|err| ImportError::Opml {
            position: reader.error_position(),
            message: err.to_string(),
        })?;
        match event {
            Event::Start(tag) if tag.local_name().as_ref() == "outline" => {
                let outline = Outline::read(&tag);
                match outline.xml_url {
                    Some(_) => {
                        feeds.push(outline.to_spec(&folders));
                        // A feed outline with children: the children are not in a folder.
                        folders.push(None);
                    }
                    None => folders.push(outline.text),
                }
            }
            Event::Empty(tag) if tag.local_name().as_ref() == "outline" => {
                let outline = Outline::read(&tag);
                if outline.xml_url.is_some() {
                    feeds.push(outline.to_spec(&folders));
                }
            }
            Event::End(tag) if tag.local_name().as_ref() == "outline" => {
                folders.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(feeds)
}

struct Outline {
    xml_url: Option<String>,
    text: Option<String>,
    category: Option<String>,
}

impl Outline {
    fn read(tag: &BytesStart<'_>) -> Outline {
        let mut outline = Outline {
            xml_url: None,
            text: None,
            category: None,
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
        for category in self.category.iter().flat_map(|c| c.split(',')) {
            for part in category.split('/') {
                push_tag(&mut tags, part);
            }
        }
        let url = self.xml_url.clone().unwrap_or_default();
        let title = self.text.clone().filter(|t| *t != url);
        new_spec(url, title, tags)
    }
}

/// A newsboat `urls` file: `URL "tag" tag "~Title"` per line, `#` comments.
/// `query:`, `exec:` and `filter:` lines are not feeds khabar can fetch and are skipped.
pub fn parse_newsboat_urls(text: &str) -> Vec<FeedSpec> {
    let mut feeds = Vec::new();
    for line in text.lines() {
        let words = split_newsboat_line(line);
        let Some((url, rest)) = words.split_first() else {
            continue;
        };
        if ["query:", "exec:", "filter:"]
            .iter()
            .any(|p| url.starts_with(p))
        {
            continue;
        }
        let mut title = None;
        let mut tags = Vec::new();
        for word in rest {
            if let Some(t) = word.strip_prefix('~') {
                title = Some(t.to_string()).filter(|t| !t.is_empty());
            } else if word != "!" {
                push_tag(&mut tags, word);
            }
        }
        feeds.push(new_spec(url.clone(), title, tags));
    }
    feeds
}

/// Splits on whitespace, keeping `"quoted words"` together; stops at a `#` comment.
fn split_newsboat_line(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = line.trim().chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '#' {
            break;
        } else if c == '"' {
            chars.next();
            let mut word = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => {
                        if let Some(escaped) = chars.next() {
                            word.push(escaped);
                        }
                    }
                    _ => word.push(c),
                }
            }
            words.push(word);
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
            words.push(word);
        }
    }
    words
}

/// Writes OPML 2.0: one flat outline per feed, tags in `category`.
pub fn to_opml(feeds: &[FeedSpec], date_created: &str) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
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
        }
        out.push_str("/>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opml_folders_and_categories_become_tags() {
        let opml = r#"<?xml version="1.0"?><opml version="1.0"><head/><body>
          <outline text="خبر">
            <outline text="اقتصاد">
              <outline type="rss" text="دنیای اقتصاد" xmlUrl="https://x.example/rss?a=1&amp;b=2" category="بورس,/ایران/تهران"/>
            </outline>
            <outline type="rss" title="Only title" xmlUrl="https://y.example/feed"/>
          </outline>
          <outline type="rss" xmlUrl="https://z.example/atom"></outline>
        </body></opml>"#;
        let feeds = parse_subscriptions(opml).unwrap();
        assert_eq!(feeds.len(), 3);
        assert_eq!(feeds[0].url, "https://x.example/rss?a=1&b=2");
        assert_eq!(feeds[0].title.as_deref(), Some("دنیای اقتصاد"));
        assert_eq!(feeds[0].tags, ["خبر", "اقتصاد", "بورس", "ایران", "تهران"]);
        assert_eq!(feeds[1].title.as_deref(), Some("Only title"));
        assert_eq!(feeds[1].tags, ["خبر"]);
        assert_eq!(feeds[2].tags, Vec::<String>::new());
        assert_eq!(feeds[2].title, None);
    }

    #[test]
    fn newsboat_urls_with_tags_titles_and_comments() {
        let urls = "# my feeds\n\nhttps://a.example/rss \"صنعت\" tech \"~عنوان من\"\nhttps://b.example/feed \"two words\" ! # trailing\nquery:Unread:unread = \"yes\"\n";
        let feeds = parse_subscriptions(urls).unwrap();
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[0].url, "https://a.example/rss");
        assert_eq!(feeds[0].tags, ["صنعت", "tech"]);
        assert_eq!(feeds[0].title.as_deref(), Some("عنوان من"));
        assert_eq!(feeds[1].tags, ["two words"]);
        assert_eq!(feeds[1].title, None);
    }

    #[test]
    fn export_then_import_round_trips() {
        let feeds = vec![
            new_spec(
                "https://x.example/rss?a=1&b=2".into(),
                Some("\"Quoted\" & <odd> عنوان".into()),
                vec!["صنعت".into(), "two words".into()],
            ),
            new_spec("https://y.example/feed".into(), None, vec![]),
        ];
        let opml = to_opml(&feeds, "Thu, 26 Nov 2026 12:00:00 +0000");
        assert_eq!(parse_subscriptions(&opml).unwrap(), feeds);
    }

    #[test]
    fn nothing_to_import_is_an_error() {
        assert_eq!(
            parse_subscriptions("# only a comment\n"),
            Err(ImportError::Empty)
        );
        assert!(matches!(
            parse_subscriptions("<opml><body><outline text=\"a\"></body>"),
            Err(ImportError::Opml { .. }) | Err(ImportError::Empty)
        ));
    }
}
