//! Golden cases: which base the links of a feed from a file, a path or a
//! command resolve against, on both parsers.

use crate::feed::{ParsedFeed, Parsers, parse_by};

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>t</title><link>https://news.example/</link>
<item><title>a</title><link>/news/1</link><guid>g1</guid>
<description>&lt;a href="/more"&gt;m&lt;/a&gt; &lt;img src="i.png"&gt;</description>
<enclosure url="/a.mp3" type="audio/mpeg" length="3"/></item>
</channel></rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:f</id>
<link rel="self" href="https://feeds.example/atom.xml"/>
<link rel="alternate" type="text/html" href="https://site.example/blog/"/>
<updated>2024-01-01T00:00:00Z</updated>
<entry><id>urn:e</id><title>e</title><updated>2024-01-01T00:00:00Z</updated>
<link href="p/2"/><content type="html">&lt;a href="/x"&gt;x&lt;/a&gt;</content></entry>
</feed>"#;

const JSON: &str = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "t",
"home_page_url": "https://pod.example/show/", "feed_url": "https://cdn.example/feed.json",
"items": [{"id": "1", "url": "/j/1", "content_html": "<a href=\"ep\">e</a>",
"attachments": [{"url": "/ep.mp3", "mime_type": "audio/mpeg"}]}]}"#;

fn read(doc: &str, address: &str, parsers: Parsers) -> ParsedFeed {
    parse_by(doc.as_bytes(), None, address, parsers)
        .expect("the document reads")
        .0
}

/// Item link, enclosure and the text's links, for one address on every parser.
fn links_on_each_parser(doc: &str, address: &str) -> Vec<String> {
    let mut seen: Vec<Vec<String>> = Vec::new();
    for parsers in [Parsers::FastThenFeedRs, Parsers::FeedRsOnly] {
        let feed = read(doc, address, parsers);
        let item = &feed.items[0];
        let mut links = vec![item.link.clone().unwrap_or_default()];
        links.extend(item.enclosures.iter().map(|e| e.url.clone()));
        links.push(
            item.content_html
                .clone()
                .or(item.summary.clone())
                .unwrap_or_default(),
        );
        seen.push(links);
    }
    assert_eq!(seen[0], seen[1], "both parsers agree for {address}");
    seen.swap_remove(0)
}

#[test]
fn rss_from_a_file_a_path_or_a_command_resolves_against_its_channel_link() {
    for address in [
        "file:///home/u/feeds/news.xml",
        "/home/u/feeds/news.xml",
        "",
    ] {
        assert_eq!(
            links_on_each_parser(RSS, address),
            [
                "https://news.example/news/1",
                "https://news.example/a.mp3",
                "<a href=\"https://news.example/more\">m</a> <img src=\"https://news.example/i.png\">",
            ],
            "address {address:?}"
        );
    }
}

#[test]
fn atom_from_a_file_resolves_against_its_alternate_link_not_its_self_link() {
    assert_eq!(
        links_on_each_parser(ATOM, "file:///tmp/atom.xml"),
        [
            "https://site.example/blog/p/2",
            "<a href=\"https://site.example/x\">x</a>",
        ]
    );
}

#[test]
fn json_feed_from_a_command_resolves_against_its_home_page_url() {
    let feed = read(JSON, "", Parsers::FastThenFeedRs);
    let item = &feed.items[0];
    assert_eq!(item.link.as_deref(), Some("https://pod.example/j/1"));
    assert_eq!(item.enclosures[0].url, "https://pod.example/ep.mp3");
    assert_eq!(
        item.content_html.as_deref(),
        Some("<a href=\"https://pod.example/show/ep\">e</a>")
    );
}

#[test]
fn an_http_feed_keeps_its_own_address_as_the_base_whatever_its_channel_link() {
    assert_eq!(
        links_on_each_parser(RSS, "https://mirror.example/feeds/news.xml"),
        [
            "https://mirror.example/news/1",
            "https://mirror.example/a.mp3",
            "<a href=\"https://mirror.example/more\">m</a> <img src=\"https://mirror.example/feeds/i.png\">",
        ]
    );
}

#[test]
fn xml_base_still_wins_over_the_channel_link() {
    let doc = RSS.replace("<channel>", "<channel xml:base=\"https://cdn.example/c/\">");
    assert_eq!(
        links_on_each_parser(&doc, "file:///tmp/news.xml"),
        [
            "https://cdn.example/news/1",
            "https://cdn.example/a.mp3",
            "<a href=\"https://cdn.example/more\">m</a> <img src=\"https://cdn.example/c/i.png\">",
        ]
    );
}

#[test]
fn a_file_feed_without_a_web_site_link_keeps_the_file_base() {
    let doc = RSS.replace("https://news.example/", "gopher://news.example/");
    let links = links_on_each_parser(&doc, "file:///tmp/news.xml");
    assert_eq!(links[0], "file:///news/1");
    let doc = RSS.replace("<link>https://news.example/</link>", "");
    let links = links_on_each_parser(&doc, "");
    assert_eq!(links[0], "/news/1", "a command with no site: as before");
}

/// A feed whose only relative link is in its text, quoted with `'` (the text
/// keeps the feed's quotes): the check that decides on a second read sees it.
#[test]
fn a_relative_link_only_in_the_text_is_still_resolved_against_the_site() {
    let doc = r#"<rss version="2.0"><channel><title>t</title><link>https://news.example/</link>
<item><title>a</title><link>https://news.example/news/1</link><guid>g1</guid>
<description>&lt;a href='/more'&gt;m&lt;/a&gt;</description></item></channel></rss>"#;
    assert_eq!(
        links_on_each_parser(doc, "file:///tmp/news.xml"),
        [
            "https://news.example/news/1",
            "<a href='https://news.example/more'>m</a>",
        ]
    );
}

/// What decides whether a feed from a file is read a second time against its
/// site: only a link that is not a web address.
#[test]
fn only_links_off_the_web_ask_for_a_second_read() {
    let absolute = read(
        r#"<rss version="2.0"><channel><title>t</title><link>https://news.example/</link>
<item><title>a</title><link>https://news.example/1</link><guid>g</guid>
<description>&lt;a href="https://x.example/"&gt;x&lt;/a&gt; &lt;a href="mailto:a@b.c"&gt;m&lt;/a&gt;</description>
<enclosure url="https://news.example/a.mp3" type="audio/mpeg" length="3"/></item></channel></rss>"#,
        "file:///tmp/a.xml",
        Parsers::FastThenFeedRs,
    );
    assert!(!super::has_links_off_the_web(&absolute));
    // The same document read against the file: its relative links point at files.
    let relative = parse_by(
        RSS.as_bytes(),
        None,
        "file:///tmp/r.xml",
        Parsers::FeedRsOnly,
    )
    .map(|read| read.0)
    .expect("reads");
    assert!(
        relative.items[0]
            .link
            .as_deref()
            .unwrap_or("")
            .starts_with("https://")
    );
    let mut against_the_file = relative.clone();
    against_the_file.items[0].link = Some("file:///news/1".into());
    assert!(super::has_links_off_the_web(&against_the_file));
    let mut in_the_text = absolute.clone();
    in_the_text.items[0].summary = Some("<img src=\"exec:/news/i.png\">".into());
    assert!(super::has_links_off_the_web(&in_the_text));
}
