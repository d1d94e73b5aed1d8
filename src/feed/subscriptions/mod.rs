//! Subscription lists: reading OPML (nested outlines and `category` become tags)
//! and newsboat `urls` files, and writing OPML 2.0 with tags as `category`.
//! Pure: text in, [`FeedSpec`]s out, and back.

mod newsboat;
mod opml;

pub use opml::to_opml;

use crate::core::FeedSpec;
use crate::feed::command_url::{CommandFeed, is_command_url};
use crate::text::{Direction, plural};

/// A subscription list that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The OPML is not well-formed XML.
    #[error("malformed OPML at byte {position}: {message}")]
    Opml {
        /// Byte offset of the mistake.
        position: u64,
        /// The XML parser's message.
        message: String,
    },
    /// The file holds no feed at all.
    #[error(
        "no feeds found (expected OPML outlines with xmlUrl, or a newsboat urls file){}",
        commands_note(*commands_refused)
    )]
    Empty {
        /// OPML `exec:`/`filter:` feeds left out (no `--allow-commands`).
        commands_refused: usize,
    },
    /// Every entry was unusable.
    #[error(
        "no usable feed: {} entr{} not an http(s) or file URL, nor an existing file",
        skipped.len(),
        plural(skipped.len() as u64, "y is", "ies are")
    )]
    NoUsableFeed {
        /// The entries, each with its line.
        skipped: Vec<SkippedEntry>,
    },
}

fn commands_note(refused: usize) -> String {
    match refused {
        0 => String::new(),
        n => format!("; skipped {}", refused_commands(n)),
    }
}

/// "2 exec:/filter: feeds (commands: import with --allow-commands to keep them)",
/// for the import summary and errors.
pub fn refused_commands(n: usize) -> String {
    let feeds = plural(n as u64, "feed", "feeds");
    format!(
        "{n} exec:/filter: {feeds} (they run commands: import with --allow-commands to keep them)"
    )
}

/// A newsboat `query:NAME:EXPR` line, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsboatQuery {
    /// 1-based line of the file.
    pub line: usize,
    /// The query feed's name.
    pub name: String,
    /// Its expression in newsboat's filter language.
    pub expr: String,
}

/// What a subscription file holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SubscriptionList {
    /// The feeds, in file order, without duplicates.
    pub feeds: Vec<FeedSpec>,
    /// Entries whose location is not something khabar can fetch; never imported.
    pub skipped: Vec<SkippedEntry>,
    /// OPML `exec:`/`filter:` feeds left out: commands from such a file are kept
    /// only when the caller allows them.
    pub commands_refused: Vec<SkippedEntry>,
    /// newsboat `query:` lines, for the caller to make views of.
    pub queries: Vec<NewsboatQuery>,
}

/// An entry that was not imported, and where it is (1-based line of the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedEntry {
    /// 1-based line (or outline) of the entry.
    pub line: usize,
    /// The entry as written.
    pub location: String,
}

/// Reads OPML or a newsboat `urls` file, whichever `text` is, keeping every entry
/// whose location is an http(s) or `file://` URL or a path `resolve_path` accepts
/// (it returns the path to store, e.g. made absolute; `None` skips the entry).
/// `exec:`/`filter:` feeds are kept from a newsboat file, and from OPML only with
/// `allow_opml_commands`. A list with no usable feed and no query is an error.
pub fn parse_subscriptions_with(
    text: &str,
    resolve_path: &dyn Fn(&str) -> Option<String>,
    allow_opml_commands: bool,
) -> Result<SubscriptionList, ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    let entries = if text.trim_start().starts_with('<') {
        opml::parse_opml(text)?
    } else {
        newsboat::parse_newsboat_urls(text)
    };
    let commands_allowed = entries.commands_allowed || allow_opml_commands;
    let mut list = SubscriptionList {
        queries: entries.queries,
        ..SubscriptionList::default()
    };
    for (line, mut spec) in entries.feeds {
        if is_command_url(&spec.url) && CommandFeed::parse(&spec.url).is_some() {
            let entry = SkippedEntry {
                line,
                location: spec.url.trim().to_string(),
            };
            if commands_allowed {
                spec.url = entry.location;
                list.feeds.push(spec);
            } else {
                list.commands_refused.push(entry);
            }
            continue;
        }
        match feed_location(&spec.url, resolve_path) {
            Some(location) => {
                spec.url = location;
                list.feeds.push(spec);
            }
            None => list.skipped.push(SkippedEntry {
                line,
                location: spec.url,
            }),
        }
    }
    if !list.queries.is_empty() {
        return Ok(list);
    }
    if list.feeds.is_empty() {
        return Err(if list.skipped.is_empty() {
            ImportError::Empty {
                commands_refused: list.commands_refused.len(),
            }
        } else {
            ImportError::NoUsableFeed {
                skipped: list.skipped,
            }
        });
    }
    Ok(list)
}

/// [`parse_subscriptions_with`] leaving out OPML's command feeds.
pub fn parse_subscriptions(
    text: &str,
    resolve_path: &dyn Fn(&str) -> Option<String>,
) -> Result<SubscriptionList, ImportError> {
    parse_subscriptions_with(text, resolve_path, false)
}

/// A `resolve_path` that accepts absolute paths as they are and nothing else (no
/// file system access, for callers with no directory to resolve against).
pub fn absolute_paths_only(path: &str) -> Option<String> {
    std::path::Path::new(path)
        .is_absolute()
        .then(|| path.to_string())
}

/// The location to store for `raw`, or `None` when khabar cannot fetch it.
fn feed_location(raw: &str, resolve_path: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let raw = raw.trim();
    let lower = raw.to_ascii_lowercase();
    for scheme in ["http://", "https://", "file://"] {
        if lower.starts_with(scheme) {
            // A web address must parse, with a host: `http://[::1` or
            // `http://a%zz/` would only fail at every refresh.
            let parses =
                scheme == "file://" || url::Url::parse(raw).is_ok_and(|url| url.host().is_some());
            return (raw.len() > scheme.len() && !raw.contains(char::is_whitespace) && parses)
                .then(|| raw.to_string());
        }
    }
    if has_url_scheme(raw) {
        // ftp:, mailto:, javascript:, … : not fetchable, and not a path either.
        return None;
    }
    resolve_path(raw)
}

/// `scheme:` at the start (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
fn has_url_scheme(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Entries as written in the file, with their line, before their locations are checked.
struct RawEntries {
    feeds: Vec<(usize, FeedSpec)>,
    queries: Vec<NewsboatQuery>,
    /// The file is the user's own list (newsboat's `urls`), commands included.
    commands_allowed: bool,
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
        let feeds = parse_subscriptions(opml, &absolute_paths_only)
            .unwrap()
            .feeds;
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
        let urls = "# my feeds\n\nhttps://a.example/rss \"صنعت\" tech \"~عنوان من\"\nhttps://b.example/feed \"two words\" ! # trailing\n\"query:Unread:unread = \\\"yes\\\"\"\n";
        let list = parse_subscriptions(urls, &absolute_paths_only).unwrap();
        assert_eq!(
            list.queries,
            [NewsboatQuery {
                line: 5,
                name: "Unread".into(),
                expr: "unread = \"yes\"".into()
            }]
        );
        let feeds = list.feeds;
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
        assert_eq!(
            parse_subscriptions(&opml, &absolute_paths_only)
                .unwrap()
                .feeds,
            feeds
        );
    }

    /// Regression (issue 8, defect 9): export then import turned the tags `a,b`
    /// and `x/y` into `a b` and `x y`.
    #[test]
    fn defect_9_export_import_keeps_tags_with_comma_and_slash() {
        let feeds = vec![new_spec(
            "https://x.example/rss".into(),
            None,
            vec!["a,b".into(), "x/y".into(), "100%".into(), "%2C".into()],
        )];
        let opml = to_opml(&feeds, "Thu, 26 Nov 2026 12:00:00 +0000");
        let back = parse_subscriptions(&opml, &absolute_paths_only).unwrap();
        assert_eq!(back.feeds, feeds);
        // Other readers still get a plain `category`.
        assert!(opml.contains("category=\"a b,x y,100%,%2C\""), "{opml}");
    }

    #[test]
    fn nothing_to_import_is_an_error() {
        assert_eq!(
            parse_subscriptions("# only a comment\n", &absolute_paths_only),
            Err(ImportError::Empty {
                commands_refused: 0
            })
        );
        assert!(matches!(
            parse_subscriptions(
                "<opml><body><outline text=\"a\"></body>",
                &absolute_paths_only
            ),
            Err(ImportError::Opml { .. }) | Err(ImportError::Empty { .. })
        ));
        let only_commands = "<opml><body><outline xmlUrl=\"exec:~/bin/feed\"/>\n<outline xmlUrl=\"filter:~/f:https://x.example/\"/></body></opml>";
        let err = parse_subscriptions(only_commands, &absolute_paths_only).unwrap_err();
        assert_eq!(
            err,
            ImportError::Empty {
                commands_refused: 2
            }
        );
        assert!(
            err.to_string().ends_with(
                "skipped 2 exec:/filter: feeds (they run commands: import with --allow-commands to keep them)"
            ),
            "{err}"
        );
    }

    #[test]
    fn newsboat_command_feeds_are_kept_and_queries_returned() {
        let urls = "\"exec:~/bin/myfeed --flag\" tech \"~Mine\"\nfilter:~/bin/fix.sh:https://x.example/feed news\n\"query:Unread news:unread = \\\"yes\\\" and tags # \\\"news\\\"\"\nexec:\n";
        let list = parse_subscriptions(urls, &absolute_paths_only).unwrap();
        let feeds: Vec<(&str, &[String], Option<&str>)> = list
            .feeds
            .iter()
            .map(|f| (f.url.as_str(), f.tags.as_slice(), f.title.as_deref()))
            .collect();
        assert_eq!(
            feeds,
            [
                (
                    "exec:~/bin/myfeed --flag",
                    &["tech".to_string()][..],
                    Some("Mine")
                ),
                (
                    "filter:~/bin/fix.sh:https://x.example/feed",
                    &["news".to_string()][..],
                    None
                ),
            ]
        );
        assert_eq!(list.queries.len(), 1);
        assert_eq!(list.queries[0].name, "Unread news");
        assert_eq!(list.queries[0].expr, "unread = \"yes\" and tags # \"news\"");
        // `exec:` with no command is not a feed.
        assert_eq!(list.skipped[0].location, "exec:");
    }

    #[test]
    fn opml_command_feeds_only_when_allowed() {
        let opml = "<opml><body>\n<outline xmlUrl=\"https://a.example/\"/>\n<outline text=\"c\" xmlUrl=\"exec:rm -rf ~\"/>\n</body></opml>";
        let list = parse_subscriptions(opml, &absolute_paths_only).unwrap();
        assert_eq!(list.feeds.len(), 1);
        assert_eq!(
            list.commands_refused,
            [SkippedEntry {
                line: 3,
                location: "exec:rm -rf ~".into()
            }]
        );
        let list = parse_subscriptions_with(opml, &absolute_paths_only, true).unwrap();
        assert_eq!(list.feeds[1].url, "exec:rm -rf ~");
        assert!(list.commands_refused.is_empty());
    }

    #[test]
    fn entries_that_are_not_feed_locations_are_skipped_with_their_line() {
        let urls = "https://a.example/rss\ngarbage <<\nftp://b.example/feed\n/srv/feeds/c.xml x\nfile:///srv/d.xml\nhttp://\nmailto:me@example.com\nhttp://[::1\nhttps://a.example:99999/\n";
        let list = parse_subscriptions(urls, &absolute_paths_only).unwrap();
        let urls: Vec<&str> = list.feeds.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://a.example/rss",
                "/srv/feeds/c.xml",
                "file:///srv/d.xml"
            ]
        );
        let skipped: Vec<(usize, &str)> = list
            .skipped
            .iter()
            .map(|s| (s.line, s.location.as_str()))
            .collect();
        assert_eq!(
            skipped,
            [
                (2, "garbage"),
                (3, "ftp://b.example/feed"),
                (6, "http://"),
                (7, "mailto:me@example.com"),
                (8, "http://[::1"),
                (9, "https://a.example:99999/")
            ]
        );

        let opml = "<opml><body>\n<outline text=\"ok\" xmlUrl=\"https://a.example/\"/>\n\n<outline text=\"bad\" xmlUrl=\"javascript:alert(1)\"/>\n</body></opml>";
        let list = parse_subscriptions(opml, &absolute_paths_only).unwrap();
        assert_eq!(list.feeds.len(), 1);
        assert_eq!(
            list.skipped,
            [SkippedEntry {
                line: 4,
                location: "javascript:alert(1)".into()
            }]
        );
    }

    #[test]
    fn a_file_with_no_usable_feed_is_an_error() {
        let err = parse_subscriptions("garbage <<\n", &absolute_paths_only).unwrap_err();
        assert_eq!(
            err,
            ImportError::NoUsableFeed {
                skipped: vec![SkippedEntry {
                    line: 1,
                    location: "garbage".into()
                }]
            }
        );
        assert_eq!(
            err.to_string(),
            "no usable feed: 1 entry is not an http(s) or file URL, nor an existing file"
        );
    }

    #[test]
    fn relative_paths_go_through_the_resolver() {
        let resolve =
            |path: &str| (path == "www/feed.xml").then(|| "/base/www/feed.xml".to_string());
        let list = parse_subscriptions("www/feed.xml\nnot/there.xml\n", &resolve).unwrap();
        assert_eq!(list.feeds[0].url, "/base/www/feed.xml");
        assert_eq!(list.skipped[0].location, "not/there.xml");
    }
}
