//! Every fixture feed either parses into sensible items or fails with a clear
//! per-feed error; none panics. The Persian fixtures keep letters, tags and dates.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::PathBuf;

use khabar::feed::{FeedError, ParsedFeed, parse};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds")
}

fn parse_fixture(name: &str, charset: Option<&str>) -> Result<ParsedFeed, FeedError> {
    let bytes = std::fs::read(fixtures_dir().join(name)).unwrap();
    parse(
        &bytes,
        charset,
        &format!("https://fixtures.example/feeds/{name}"),
    )
}

/// Fixtures known to be broken at the source; they must fail cleanly, not panic.
/// (The UTF-16 one is a channel-less `<rss>` with no feed in it.)
const MALFORMED: &[&str] = &[
    "fr-rss20-reuters-invalid.xml",
    "fp-rss-utf16le-bom-empty.xml",
];

#[test]
fn every_fixture_parses_or_fails_cleanly() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() > 50, "fixtures missing: {}", names.len());
    let mut failures = Vec::new();
    for name in &names {
        let result = std::panic::catch_unwind(|| parse_fixture(name, None));
        let Ok(result) = result else {
            panic!("{name}: parser panicked");
        };
        match result {
            Ok(feed) => {
                for item in &feed.items {
                    assert!(!item.identity.is_empty(), "{name}: item without identity");
                    assert!(!item.content_hash.is_empty(), "{name}: no content hash");
                    if let Some(link) = &item.link {
                        assert!(link.contains(':'), "{name}: link not absolute: {link}");
                    }
                    for text in [&item.title].into_iter().chain(item.summary.as_ref()) {
                        assert!(
                            !text.contains('\u{fffd}') || name.contains("invalid"),
                            "{name}: replacement character in {text:?}"
                        );
                    }
                }
                let ids: std::collections::HashSet<&str> =
                    feed.items.iter().map(|i| i.identity.as_str()).collect();
                assert!(!ids.is_empty() || feed.items.is_empty());
            }
            Err(err) => {
                assert!(!err.to_string().is_empty());
                failures.push(format!("{name}: {err}"));
            }
        }
    }
    let unexpected: Vec<&String> = failures
        .iter()
        .filter(|f| !MALFORMED.iter().any(|m| f.starts_with(m)))
        .collect();
    println!("failed cleanly: {failures:#?}");
    assert!(
        unexpected.is_empty(),
        "fixtures that should parse failed: {unexpected:#?}"
    );
}

#[test]
fn malformed_feed_reports_a_clear_error() {
    let err = parse_fixture("fr-rss20-reuters-invalid.xml", None).unwrap_err();
    assert!(err.to_string().starts_with("malformed feed"), "{err}");
    assert_eq!(
        parse(b"   ", None, "https://x.example/").unwrap_err(),
        FeedError::Empty
    );
    assert_eq!(
        parse(
            b"<!DOCTYPE html><html><body>hi</body></html>",
            None,
            "https://x.example/"
        )
        .unwrap_err(),
        FeedError::HtmlPage
    );
}

#[test]
fn windows_1256_persian_with_and_without_http_charset() {
    for charset in [None, Some("windows-1256"), Some("iso-8859-1")] {
        let feed = parse_fixture("fa-rss20-windows-1256.xml", charset).unwrap();
        assert_eq!(
            feed.title.as_deref(),
            Some("پايگاه خبري استان"),
            "{charset:?}"
        );
        assert_eq!(feed.language.as_deref(), Some("fa-ir"));
        let first = &feed.items[0];
        assert_eq!(
            first.title,
            "كارگروه صنعت و رسانه استان تهران شروع به كار كرد"
        );
        assert!(first.summary.as_deref().unwrap().contains("«رسانه و صنعت»"));
    }
}

#[test]
fn windows_1256_without_prolog_needs_the_http_charset() {
    let bytes = std::fs::read(fixtures_dir().join("fa-rss20-windows-1256.xml")).unwrap();
    let end = bytes.windows(2).position(|w| w == b"?>").unwrap() + 2;
    let without_prolog = &bytes[end..];
    let feed = parse(without_prolog, Some("windows-1256"), "https://x.example/").unwrap();
    assert_eq!(feed.title.as_deref(), Some("پايگاه خبري استان"));
}

#[test]
fn windows_1256_without_prolog_or_charset_is_read_by_its_language() {
    let bytes = std::fs::read(fixtures_dir().join("fa-rss20-windows-1256.xml")).unwrap();
    let end = bytes.windows(2).position(|w| w == b"?>").unwrap() + 2;
    let without_prolog = &bytes[end..];
    let feed = parse(without_prolog, None, "https://x.example/").unwrap();
    assert_eq!(feed.title.as_deref(), Some("پايگاه خبري استان"));
    assert_eq!(
        feed.items[0].title,
        "كارگروه صنعت و رسانه استان تهران شروع به كار كرد"
    );
    assert!(!format!("{feed:?}").contains('\u{fffd}'));
}

#[test]
fn jalali_pubdates_are_converted_and_no_item_is_dropped() {
    let feed = parse_fixture("fa-rss20-jalali-pubdate.xml", None).unwrap();
    let raw = std::fs::read_to_string(fixtures_dir().join("fa-rss20-jalali-pubdate.xml")).unwrap();
    assert_eq!(feed.items.len(), raw.matches("<item>").count());
    let first = &feed.items[0];
    assert_eq!(
        first.title,
        "کارگروه صنعت و رسانه استان تهران شروع به کار کرد"
    );
    // 1403/05/19 11:20:16 Tehran time = 2024-08-09 07:50:16 UTC.
    assert_eq!(first.published, Some(1_723_189_816));
    assert_eq!(first.categories, ["دریا", "دستگاه", "روابط", "صنعت"]);
    assert!(
        feed.items[1].published.is_some(),
        "Persian-digit Jalali date"
    );
    assert!(feed.items[2].published.is_some(), "Jalali date in words");
    assert_eq!(feed.items[3].published, None, "no pubDate at all");
}

/// Go's zero time (Hugo and other Go generators write it for an item without a
/// date) and the Unix epoch are no date: the item is dated when first seen
/// instead of sorting below everything and showing the year 1 (-621 in Jalali).
#[test]
fn placeholder_dates_are_no_date() {
    let dates = [
        "0001-01-01T00:00:00Z",
        "Mon, 01 Jan 0001 00:00:00 +0000",
        "1970-01-01T00:00:00Z",
        "Thu, 01 Jan 1970 03:30:00 +0330",
        "1969-12-31T19:00:00-05:00",
        "1899-12-31T23:59:59Z",
    ];
    let kept = [
        ("1900-01-01T00:00:00Z", -2_208_988_800),
        ("1970-01-02T00:00:00Z", 86_400),
        ("2024-08-09T07:50:16Z", 1_723_189_816),
    ];
    let rss_items: String = dates
        .iter()
        .chain(kept.iter().map(|(d, _)| d))
        .enumerate()
        .map(|(i, d)| {
            format!("<item><title>i{i}</title><guid>g{i}</guid><pubDate>{d}</pubDate></item>")
        })
        .collect();
    let rss = format!("<rss version=\"2.0\"><channel><title>t</title>{rss_items}</channel></rss>");
    let atom_entries: String = dates
        .iter()
        .chain(kept.iter().map(|(d, _)| d))
        .enumerate()
        .map(|(i, d)| format!("<entry><title>i{i}</title><id>g{i}</id><updated>{d}</updated><published>{d}</published></entry>"))
        .collect();
    let atom = format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>{atom_entries}</feed>"
    );
    for (name, doc) in [("rss", rss), ("atom", atom)] {
        let feed = parse(doc.as_bytes(), None, "https://example.org/feed").unwrap();
        let by_title = |title: &str| {
            feed.items
                .iter()
                .find(|item| item.title == title)
                .unwrap_or_else(|| panic!("{name}: no {title}"))
        };
        for (i, date) in dates.iter().enumerate() {
            let item = by_title(&format!("i{i}"));
            assert_eq!(item.published, None, "{name}: {date}");
            assert_eq!(item.updated, None, "{name}: {date}");
        }
        for (j, (date, at)) in kept.iter().enumerate() {
            let item = by_title(&format!("i{}", dates.len() + j));
            assert_eq!(item.published, Some(*at), "{name}: {date}");
        }
    }
}

#[test]
fn persian_template_keeps_letters_and_categories() {
    let feed = parse_fixture("fa-rss20-worldservice-template.xml", None).unwrap();
    assert!(!feed.items.is_empty());
    for item in &feed.items {
        assert!(
            item.title
                .chars()
                .any(|c| ('\u{0600}'..='\u{06ff}').contains(&c)),
            "{}",
            item.title
        );
        assert!(item.published.is_some(), "{}", item.title);
    }
    assert!(feed.items.iter().any(|i| !i.categories.is_empty()));
    assert!(feed.items.iter().any(|i| i.content_html.is_some()));
}

#[test]
fn atom_mixed_direction_keeps_entry_language_and_resolves_links() {
    let feed = parse_fixture("fa-atom-mixed-direction.xml", None).unwrap();
    assert_eq!(feed.language.as_deref(), Some("fa"));
    assert!(
        feed.items
            .iter()
            .any(|i| i.language.as_deref() == Some("en"))
    );
    for item in &feed.items {
        let link = item.link.as_deref().unwrap();
        assert!(link.starts_with("http"), "{link}");
    }
}

#[test]
fn relative_links_resolve_against_the_feed_url() {
    let feed = parse_fixture("fr-atom-relative.xml", None).unwrap();
    for item in &feed.items {
        assert!(
            item.link.as_deref().unwrap().starts_with("https://"),
            "{:?}",
            item.link
        );
    }
    let feed = parse_fixture("nfp-rss20-relative-urls.xml", None).unwrap();
    assert!(
        feed.items[0]
            .link
            .as_deref()
            .unwrap()
            .starts_with("https://fixtures.example/en/")
    );
}

#[test]
fn legacy_encodings_come_out_right() {
    let feed = parse_fixture("mf-rss20-ibash-windows-1251.xml", None).unwrap();
    let all: String = feed
        .items
        .iter()
        .map(|i| i.summary.clone().unwrap_or_default())
        .collect();
    assert!(all.chars().any(|c| ('а'..='я').contains(&c)));
    let feed = parse_fixture("mf-rss20-windows-1252-decl-utf8-bytes.xml", None).unwrap();
    let text = format!("{feed:?}");
    assert!(text.contains('€') && !text.contains("â‚¬"), "{text}");
    let feed = parse_fixture("pf-rss20-iso8859-15.xml", None).unwrap();
    assert!(format!("{feed:?}").contains('€'));
}

#[test]
fn identity_falls_back_to_link_then_hash_and_is_stable() {
    let feed = parse_fixture("pf-rss092-scripting-news.xml", None).unwrap();
    assert!(feed.items.len() > 10);
    let again = parse_fixture("pf-rss092-scripting-news.xml", None).unwrap();
    let ids: Vec<&str> = feed.items.iter().map(|i| i.identity.as_str()).collect();
    let ids_again: Vec<&str> = again.items.iter().map(|i| i.identity.as_str()).collect();
    assert_eq!(ids, ids_again);
    for item in &feed.items {
        assert!(
            !item.title.is_empty(),
            "untitled items get a title from their text"
        );
    }
    let xml = br#"<rss version="2.0"><channel><title>t</title>
        <item><title>a</title><link>/one</link></item>
        <item><title>b</title><description>only text</description></item></channel></rss>"#;
    let feed = parse(xml, None, "https://x.example/feed").unwrap();
    assert_eq!(feed.items[0].identity, "https://x.example/one");
    assert!(feed.items[1].identity.starts_with("hash:"));
}

#[test]
fn enclosures_are_kept() {
    let feed = parse_fixture("fr-rss20-nightvale-podcast.xml", None).unwrap();
    let enclosure = &feed.items[0].enclosures[0];
    assert!(enclosure.url.starts_with("http"));
    assert!(
        enclosure
            .mime_type
            .as_deref()
            .unwrap_or("")
            .starts_with("audio/")
    );
}

#[test]
fn json_feed_parses() {
    let feed = parse_fixture("fd-jsonfeed-cowboyprogrammer.json", None).unwrap();
    assert!(!feed.items.is_empty());
    assert!(feed.items[0].content_html.is_some());
}

#[test]
fn html_titles_become_plain_text() {
    let feed = parse_fixture("fd-atom-hnapp-html-title.xml", None).unwrap();
    for item in &feed.items {
        assert!(!item.title.contains("&#"), "{}", item.title);
        assert!(!item.title.contains('<'), "{}", item.title);
    }
}

#[test]
fn escape_sequences_are_removed_whole_at_parse_time() {
    // Raw ESC (not allowed by XML, common in the wild) and the same written as a
    // character reference both lose the whole sequence, not only the ESC.
    for esc in ["\u{1b}", "&#x1b;"] {
        let xml = format!(
            "<rss version=\"2.0\"><channel><title>Evil{esc}[31mRED{esc}]0;pwned\u{7}</title>\
             <item><guid>g{esc}[1m1</guid><title>a{esc}[1mb \u{202b}خبر\u{202c}</title>\
             <author>x@example.com (Ali{esc}[5m)</author><category>c{esc}[0m</category>\
             <description>line{esc}[2J one\nline two</description></item></channel></rss>"
        );
        let feed = parse(xml.as_bytes(), None, "https://x.example/").unwrap();
        assert_eq!(feed.title.as_deref(), Some("EvilRED"), "{esc}");
        let item = &feed.items[0];
        assert_eq!(item.title, "ab \u{202b}خبر\u{202c}", "bidi kept for layout");
        assert_eq!(item.identity, "g1");
        assert_eq!(item.categories, ["c"]);
        assert_eq!(item.summary.as_deref(), Some("line one\nline two"));
    }
    let json = b"{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"J\\u001b[31mSON\", \"items\": [{\"id\": \"1\", \"title\": \"t\\u001b]0;x\\u0007!\", \"content_text\": \"c\"}]}";
    let feed = parse(json, None, "https://x.example/").unwrap();
    assert_eq!(feed.title.as_deref(), Some("JSON"));
    assert_eq!(feed.items[0].title, "t!");
}

#[test]
fn atom_content_links_resolve_against_the_xml_base_in_scope() {
    use khabar::feed::{Parsers, parse_by};
    // The nearest xml:base wins (content, else entry, else feed); a relative
    // one resolves against the base around it, the outermost against the feed URL.
    let html = "&lt;a href=\"2024/other.html\"&gt;o&lt;/a&gt;&lt;img src=\"img/pic.png\"&gt;";
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"/blog/\"><title>B</title>\
         <entry><id>1</id><title>feed base</title><link href=\"2024/one.html\"/>\
           <content type=\"html\">{html}</content></entry>\
         <entry xml:base=\"posts/\"><id>2</id><title>entry base</title>\
           <content type=\"html\">{html}</content></entry>\
         <entry xml:base=\"posts/\"><id>3</id><title>content base</title>\
           <content type=\"html\" xml:base=\"deep/\">{html}</content></entry>\
         <entry xml:base=\"http://127.0.0.1:9999/x/\"><id>4</id><title>summary</title>\
           <summary type=\"html\">{html}</summary></entry>\
         </feed>"
    );
    let url = "http://127.0.0.1:8765/feed.xml";
    let fast = parse_by(xml.as_bytes(), None, url, Parsers::FastOnly)
        .unwrap()
        .0;
    let slow = parse_by(xml.as_bytes(), None, url, Parsers::FeedRsOnly)
        .unwrap()
        .0;
    assert_eq!(fast, slow, "the fast path and feed-rs agree");
    let text = |i: usize| {
        let item = &fast.items[i];
        item.content_html.clone().or(item.summary.clone()).unwrap()
    };
    let expect = |i: usize, base: &str| {
        let html = text(i);
        for path in ["2024/other.html", "img/pic.png"] {
            assert!(html.contains(&format!("\"{base}{path}\"")), "{i}: {html}");
        }
    };
    assert_eq!(
        fast.items[0].link.as_deref(),
        Some("http://127.0.0.1:8765/blog/2024/one.html")
    );
    expect(0, "http://127.0.0.1:8765/blog/");
    expect(1, "http://127.0.0.1:8765/blog/posts/");
    expect(2, "http://127.0.0.1:8765/blog/posts/deep/");
    expect(3, "http://127.0.0.1:9999/x/");
    // feed-rs reads what the fast path declines (content by reference here).
    let declined = xml.replace(
        "<entry><id>1</id>",
        "<entry><id>0</id><content src=\"http://127.0.0.1:8765/c.html\"/></entry><entry><id>1</id>",
    );
    assert!(parse_by(declined.as_bytes(), None, url, Parsers::FastOnly).is_err());
    let read = parse(declined.as_bytes(), None, url).unwrap();
    assert_eq!(read.items[1..], slow.items[..]);
}

#[test]
fn rss_links_enclosures_and_html_resolve_against_the_xml_base_in_scope() {
    use khabar::feed::{Parsers, parse_by};
    // As in Atom: the nearest xml:base wins (the description's, else the
    // content's, else the item's, else the channel's, else the root's), each
    // relative one against the one around it, the outermost against the feed URL.
    let html = "&lt;a href=\"2024/other.html\"&gt;o&lt;/a&gt;&lt;img src=\"img/pic.png\"&gt;";
    let rss = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
         <rss version=\"2.0\" xml:base=\"/blog/\" \
              xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\
         <channel xml:base=\"news/\"><title>B</title><link>index.html</link>\
         <item><title>channel base</title><link>2024/one.html</link>\
           <enclosure url=\"media/one.mp3\" length=\"10\" type=\"audio/mpeg\"/>\
           <description>{html}</description></item>\
         <item xml:base=\"posts/\"><title>item base</title><link>two.html</link>\
           <description>{html}</description></item>\
         <item xml:base=\"posts/\"><title>content base</title><guid>3</guid>\
           <content:encoded xml:base=\"deep/\">{html}</content:encoded></item>\
         <item xml:base=\"posts/\"><title>description base</title><guid>4</guid>\
           <description xml:base=\"http://127.0.0.1:9999/x/\">{html}</description></item>\
         </channel></rss>"
    );
    let url = "http://127.0.0.1:8765/feed.xml";
    let fast = parse_by(rss.as_bytes(), None, url, Parsers::FastOnly)
        .unwrap()
        .0;
    let slow = parse_by(rss.as_bytes(), None, url, Parsers::FeedRsOnly)
        .unwrap()
        .0;
    assert_eq!(fast, slow, "the fast path and feed-rs agree");
    let text = |i: usize| {
        let item = &fast.items[i];
        item.content_html.clone().or(item.summary.clone()).unwrap()
    };
    let expect = |i: usize, base: &str| {
        let html = text(i);
        for path in ["2024/other.html", "img/pic.png"] {
            assert!(html.contains(&format!("\"{base}{path}\"")), "{i}: {html}");
        }
    };
    let site = "http://127.0.0.1:8765/blog/news/";
    assert_eq!(
        fast.site_link.as_deref(),
        Some(&*format!("{site}index.html"))
    );
    assert_eq!(
        fast.items[0].link.as_deref(),
        Some(&*format!("{site}2024/one.html"))
    );
    assert_eq!(
        fast.items[0].enclosures[0].url,
        format!("{site}media/one.mp3")
    );
    expect(0, site);
    assert_eq!(
        fast.items[1].link.as_deref(),
        Some(&*format!("{site}posts/two.html"))
    );
    expect(1, &format!("{site}posts/"));
    expect(2, &format!("{site}posts/deep/"));
    expect(3, "http://127.0.0.1:9999/x/");
    // RSS 1.0 (RDF): the same, its items beside the channel.
    let rdf = format!(
        "<?xml version=\"1.0\"?>\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
                  xmlns=\"http://purl.org/rss/1.0/\" \
                  xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xml:base=\"/blog/\">\
         <channel><title>R</title><link>index.html</link></channel>\
         <item><title>root base</title><link>one.html</link><description>{html}</description></item>\
         <item><title>no link: dropped</title><description>x</description></item>\
         <item xml:base=\"posts/\"><title>item base</title><link>two.html</link>\
           <content:encoded>{html}</content:encoded></item>\
         </rdf:RDF>"
    );
    let fast = parse_by(rdf.as_bytes(), None, url, Parsers::FastOnly)
        .unwrap()
        .0;
    let slow = parse_by(rdf.as_bytes(), None, url, Parsers::FeedRsOnly)
        .unwrap()
        .0;
    assert_eq!(fast, slow, "the fast path and feed-rs agree on RSS 1.0");
    let blog = "http://127.0.0.1:8765/blog/";
    assert_eq!(fast.items.len(), 2);
    assert_eq!(
        fast.items[0].link.as_deref(),
        Some(&*format!("{blog}one.html"))
    );
    let html = fast.items[0].summary.clone().unwrap();
    assert!(html.contains(&format!("\"{blog}img/pic.png\"")), "{html}");
    let html = fast.items[1].content_html.clone().unwrap();
    assert!(
        html.contains(&format!("\"{blog}posts/img/pic.png\"")),
        "{html}"
    );
}

#[test]
fn json_feed_attachments_are_enclosures() {
    // As RSS <enclosure> and Atom rel="enclosure": a podcast in JSON Feed
    // shows its media, with an attachment's title and duration. A relative
    // URL resolves against the feed's address.
    let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"Cast",
        "items":[
          {"id":"1","url":"http://127.0.0.1:8000/ep1","title":"Episode 1","content_text":"x",
           "attachments":[{"url":"http://127.0.0.1:8000/ep1.mp3","mime_type":"audio/mpeg",
                           "size_in_bytes":1234,"title":"MP3","duration_in_seconds":60},
                          {"url":"media/ep1.m4a","mime_type":"audio/x-m4a"}]},
          {"id":"2","title":"Only media","content_text":"y",
           "attachments":[{"url":"http://127.0.0.1:8000/ep2.mp3","mime_type":"audio/mpeg"}]}]}"#;
    let feed = parse(json.as_bytes(), None, "http://127.0.0.1:8000/feed.json").unwrap();
    let first = &feed.items[0];
    assert_eq!(first.link.as_deref(), Some("http://127.0.0.1:8000/ep1"));
    assert_eq!(
        first.enclosures,
        [
            khabar::feed::Enclosure {
                url: "http://127.0.0.1:8000/ep1.mp3".into(),
                mime_type: Some("audio/mpeg".into()),
                length: Some(1234),
                title: Some("MP3".into()),
                duration: Some(60),
            },
            khabar::feed::Enclosure {
                url: "http://127.0.0.1:8000/media/ep1.m4a".into(),
                mime_type: Some("audio/x-m4a".into()),
                length: None,
                ..Default::default()
            },
        ]
    );
    // An item with no `url` has no link: its media file is not its web page.
    let second = &feed.items[1];
    assert_eq!(second.link, None);
    assert_eq!(second.enclosures.len(), 1);
    assert_eq!(second.identity, "2");
}
