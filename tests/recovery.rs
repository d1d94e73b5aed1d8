//! Malformed feeds that newsboat reads (libxml2's recover mode) are read by khabar
//! too, "with repairs": issue 8's defect 5, the Guardian case, Atom 0.3 entries
//! with neither id nor link, and internal DTD entities.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use khabar::feed::{FeedError, parse, parse_with_repairs};

const URL: &str = "https://example.org/feed.xml";

fn rss(items: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>T</title><link>https://example.org/</link><description>d</description>\
         {items}</channel></rss>"
    )
}

fn titles(body: &str) -> (Vec<String>, Vec<String>) {
    let (feed, repairs) = parse_with_repairs(body.as_bytes(), None, URL).expect("read");
    (feed.items.into_iter().map(|i| i.title).collect(), repairs)
}

#[test]
fn defect_5_bare_ampersand_in_a_link_keeps_every_item() {
    let body = rss(
        "<item><title>One</title><link>https://example.org/1?a=1&b=2</link></item>\
                    <item><title>Two</title><link>https://example.org/2</link></item>\
                    <item><title>Three</title><link>https://example.org/3</link></item>",
    );
    let (feed, repairs) = parse_with_repairs(body.as_bytes(), None, URL).expect("read");
    assert_eq!(feed.items.len(), 3);
    assert_eq!(
        feed.items[0].link.as_deref(),
        Some("https://example.org/1?a=1&b=2")
    );
    assert_eq!(repairs, ["1 bare &"]);
}

#[test]
fn defect_5_forbidden_character_references_are_dropped() {
    let body = rss("<item><title>Zero &#0;here</title><guid>1</guid></item>\
                    <item><title>Surrogate &#xD800;here</title><guid>2</guid></item>\
                    <item><title>Too big &#x110000;here</title><guid>3</guid></item>");
    let (titles, repairs) = titles(&body);
    assert_eq!(titles, ["Zero here", "Surrogate here", "Too big here"]);
    assert_eq!(repairs, ["3 invalid character references dropped"]);
}

#[test]
fn defect_5_file_cut_mid_item_keeps_the_items_read() {
    let body = rss("<item><title>One</title><guid>1</guid></item>\
                    <item><title>Two</title><guid>2</guid><description>cut in the mi");
    let cut = &body[..body.find("</channel>").expect("channel end")];
    let (titles, repairs) = titles(cut);
    // newsboat (libxml2) keeps the item being read as well.
    assert_eq!(titles, ["One", "Two"]);
    assert!(repairs.contains(&"cut off".to_string()), "{repairs:?}");
}

#[test]
fn defect_5_json_feed_with_a_lone_surrogate() {
    let body = r#"{"version":"https://jsonfeed.org/version/1.1","title":"J",
        "items":[{"id":"1","title":"bad \ud800 char","content_text":"x"},
                 {"id":"2","title":"fine","content_text":"y"}]}"#;
    assert!(serde_json::from_str::<serde_json::Value>(body).is_err());
    let (titles, repairs) = titles(body);
    assert_eq!(titles, ["bad \u{fffd} char", "fine"]);
    assert_eq!(repairs, ["1 lone surrogate replaced"]);
}

#[test]
fn json_feed_with_numeric_ids_reads_them_as_text() {
    // JSON Feed 1.1: "If an id is presented as a number or other type, a JSON
    // Feed reader must coerce it to a string."
    let body = r#"{"version":"https://jsonfeed.org/version/1.1","title":"J",
        "items":[{"id":1,"title":"one","content_text":"x"},
                 {"id":1.5,"title":"two","content_text":"y"},
                 {"id":"3","title":"three","content_text":"z"}]}"#;
    let (feed, repairs) = parse_with_repairs(body.as_bytes(), None, URL).expect("read");
    let ids: Vec<&str> = feed.items.iter().map(|i| i.identity.as_str()).collect();
    assert_eq!(ids, ["1", "1.5", "3"]);
    assert_eq!(repairs, ["2 fields of the wrong type converted"]);
    // A well-formed feed is not "repaired".
    let clean = body
        .replace("\"id\":1,", "\"id\":\"1\",")
        .replace("1.5", "\"1.5\"");
    let (again, repairs) = parse_with_repairs(clean.as_bytes(), None, URL).expect("read");
    assert!(repairs.is_empty(), "{repairs:?}");
    assert_eq!(again, feed);
}

#[test]
fn json_feed_fields_of_the_wrong_type_cost_only_that_field() {
    let body = r#"{"version":"https://jsonfeed.org/version/1.1","title":"J",
        "author":"The Desk",
        "items":[{"id":"1","title":"one","author":"Jane Doe","tags":"rust","content_text":"x"},
                 {"id":"2","title":{"bad":true},"authors":["Ali",7],"tags":["a",3,null],
                  "url":"http://127.0.0.1/2","content_text":"second"},
                 {"id":"3","title":"three","content_text":"z","date_published":20240501}]}"#;
    let (feed, repairs) = parse_with_repairs(body.as_bytes(), None, URL).expect("read");
    assert_eq!(feed.items.len(), 3);
    let first = &feed.items[0];
    assert_eq!(first.author.as_deref(), Some("Jane Doe"));
    assert_eq!(first.categories, ["rust"]);
    let second = &feed.items[1];
    assert_eq!(
        second.title, "second",
        "named by its text, as an untitled item"
    );
    assert_eq!(second.author.as_deref(), Some("Ali"));
    assert_eq!(second.categories, ["a", "3"]);
    assert_eq!(second.link.as_deref(), Some("http://127.0.0.1/2"));
    let third = &feed.items[2];
    assert_eq!(
        third.author.as_deref(),
        Some("The Desk"),
        "the feed's author"
    );
    assert_eq!(third.title, "three");
    assert_eq!(repairs, ["9 fields of the wrong type converted"]);
}

#[test]
fn guardian_unescaped_ampersand_in_an_attribute() {
    let items: String = (0..54)
        .map(|n| {
            format!(
                "<item><title>Story {n}</title><link>https://www.theguardian.com/world/{n}</link>\
                 <media:content width=\"140\" url=\"https://i.guim.co.uk/img/{n}.jpg?width=140&quality=85&auto=format&fit=max&s=ab{n}\"/>\
                 <guid>https://www.theguardian.com/world/{n}</guid></item>"
            )
        })
        .collect();
    let body = rss(&items).replace(
        "<rss version=\"2.0\">",
        "<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\">",
    );
    let (feed, repairs) = parse_with_repairs(body.as_bytes(), None, URL).expect("read");
    assert_eq!(feed.items.len(), 54);
    assert_eq!(feed.items[7].title, "Story 7");
    assert!(
        feed.items[7].enclosures[0]
            .url
            .contains("width=140&quality=85"),
        "{:?}",
        feed.items[7].enclosures
    );
    let _ = repairs;
}

#[test]
fn atom_03_entry_with_only_a_title_is_an_item() {
    let body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
        <feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><title>A03</title>\
        <entry><title>Only a title</title></entry></feed>";
    let feed = parse(body.as_bytes(), None, URL).expect("read");
    assert_eq!(feed.items.len(), 1);
    assert_eq!(feed.items[0].title, "Only a title");
    assert!(feed.items[0].identity.starts_with("hash:"));
}

#[test]
fn entries_without_id_or_link_get_distinct_stable_identities() {
    let body = rss("<item><title>A</title></item><item><title>B</title></item>\
                    <item><description>only text</description></item>");
    let first = parse(body.as_bytes(), None, URL).expect("read");
    let again = parse(body.as_bytes(), None, URL).expect("read");
    assert_eq!(first.items.len(), 3);
    let ids: std::collections::HashSet<_> = first.items.iter().map(|i| &i.identity).collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(first, again);
}

#[test]
fn defect_9_internal_dtd_entities_are_expanded() {
    let body = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY org \"Acme &amp; Sons\">]>\
        <rss version=\"2.0\"><channel><title>&org; news</title><link>https://example.org/</link>\
        <description>d</description><item><title>About &org;</title><guid>1</guid></item>\
        </channel></rss>";
    let (feed, repairs) = parse_with_repairs(body.as_bytes(), None, URL).expect("read");
    assert_eq!(feed.title.as_deref(), Some("Acme & Sons news"));
    assert_eq!(feed.items[0].title, "About Acme & Sons");
    assert!(repairs.is_empty(), "a well-formed feed: {repairs:?}");
}

#[test]
fn external_entities_are_never_resolved() {
    let secret = std::env::temp_dir().join(format!("khabar-xxe-{}", std::process::id()));
    std::fs::write(&secret, "TOP-SECRET").expect("write");
    let body = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file://{}\">]>\
         <rss version=\"2.0\"><channel><title>t</title><link>https://example.org/</link>\
         <description>d</description><item><title>leak &x;</title><guid>1</guid></item>\
         </channel></rss>",
        secret.display()
    );
    let feed = parse(body.as_bytes(), None, URL).expect("read");
    let _ = std::fs::remove_file(&secret);
    assert!(!format!("{feed:?}").contains("TOP-SECRET"));
}

#[test]
fn billion_laughs_is_bounded() {
    let mut dtd = String::from("<!ENTITY lol0 \"lol\">");
    for level in 1..10 {
        dtd.push_str(&format!(
            "<!ENTITY lol{level} \"{}\">",
            format!("&lol{};", level - 1).repeat(10)
        ));
    }
    let body = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE rss [{dtd}]><rss version=\"2.0\"><channel>\
         <title>t</title><link>https://example.org/</link><description>d</description>\
         <item><title>&lol9;</title><guid>1</guid></item></channel></rss>"
    );
    let feed = parse(body.as_bytes(), None, URL).expect("read");
    let size: usize = feed.items.iter().map(|i| i.title.len()).sum();
    assert!(size <= 4 << 20, "expansion not bounded: {size} bytes");
}

#[test]
fn deep_nesting_is_bounded() {
    let depth = 200_000;
    let body = rss(&format!(
        "<item><title>deep</title><guid>1</guid><description>{}x{}</description></item>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    ));
    let feed = parse(body.as_bytes(), None, URL).expect("read");
    assert_eq!(feed.items.len(), 1);
    // Unclosed, so only recovery reads it: it must not recurse either.
    let cut = &body[..body.len() / 2];
    let feed = parse(cut.as_bytes(), None, URL).expect("read");
    assert_eq!(feed.items.len(), 1);
}

#[test]
fn html_and_garbage_stay_errors() {
    for (body, expected) in [
        (&b"<html><body>R & D</body></html>"[..], FeedError::HtmlPage),
        (
            b"<!-- x --><html><body>R & D</body></html>",
            FeedError::NotAFeed,
        ),
        (b"\n\n", FeedError::Empty),
        // Files that are no feed say what they are.
        (b"%PDF-1.7\n<rss>", FeedError::Binary("a PDF document")),
        (
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            FeedError::Binary("a PNG image"),
        ),
        (b"\x01\x02\x00\x03<rss", FeedError::Binary("binary data")),
    ] {
        assert_eq!(parse(body, None, URL).unwrap_err(), expected);
    }
}

#[test]
fn defect_9_atom_xhtml_title_shows_text_not_markup() {
    let body = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">\
        <title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">Feed <em>one</em></div></title>\
        <id>urn:f</id><updated>2024-01-01T00:00:00Z</updated>\
        <entry><id>urn:1</id><updated>2024-01-01T00:00:00Z</updated>\
        <title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">R&amp;D: the <b>&lt;canvas&gt;</b> element</div></title>\
        </entry></feed>";
    let feed = parse(body.as_bytes(), None, URL).expect("read");
    assert_eq!(feed.title.as_deref(), Some("Feed one"));
    assert_eq!(feed.items[0].title, "R&D: the <canvas> element");
}

#[test]
fn items_in_one_document_are_bounded() {
    let max = khabar::feed::MAX_ITEMS_PER_DOCUMENT;
    let items: String = (0..max + 5)
        .map(|n| format!("<item><title>t{n}</title><guid>{n}</guid></item>"))
        .collect();
    let (feed, repairs) = parse_with_repairs(rss(&items).as_bytes(), None, URL).expect("read");
    assert_eq!(feed.items.len(), max);
    assert_eq!(feed.items[0].title, "t0");
    assert_eq!(
        repairs,
        [format!("kept the first {max} of {} items", max + 5)]
    );
}

#[test]
fn json_feed_without_a_title_is_read_and_named_by_its_address() {
    // JSON Feed calls `title` required; feeds leave it out all the same, and
    // other readers read them. The feed is untitled, as an RSS or Atom feed
    // without a title is (the reader names such a feed by its address).
    let body = r#"{"version":"https://jsonfeed.org/version/1.1",
        "home_page_url":"http://127.0.0.1:8000/",
        "items":[{"id":"1","title":"one","content_text":"x"},
                 {"id":"2","title":"two","content_text":"y"}]}"#;
    let (feed, repairs) = parse_with_repairs(body.as_bytes(), None, URL).expect("read");
    assert_eq!(feed.title, None);
    assert_eq!(feed.site_link.as_deref(), Some("http://127.0.0.1:8000/"));
    let titles: Vec<&str> = feed.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, ["one", "two"]);
    assert_eq!(repairs, ["no feed title"]);
    // The same feed with a title differs only in it.
    let titled = body.replace("\"home_page_url\"", "\"title\":\"J\",\"home_page_url\"");
    let (again, repairs) = parse_with_repairs(titled.as_bytes(), None, URL).expect("read");
    assert!(repairs.is_empty(), "{repairs:?}");
    assert_eq!(again.title.as_deref(), Some("J"));
    assert_eq!(again.items, feed.items);
    // With other faults too, each is told; a feed with no items yet is read.
    let both = body.replace("\"id\":\"1\"", "\"id\":1");
    let (_, repairs) = parse_with_repairs(both.as_bytes(), None, URL).expect("read");
    assert_eq!(
        repairs,
        ["no feed title", "1 field of the wrong type converted"]
    );
    let empty = r#"{"version":"https://jsonfeed.org/version/1","items":[]}"#;
    let (feed, repairs) = parse_with_repairs(empty.as_bytes(), None, URL).expect("read");
    assert!(feed.items.is_empty());
    assert_eq!(repairs, ["no feed title"]);
}

/// RSS versions feed-rs does not know are read as RSS 2.0: newsboat reads
/// "0.94" and "2"; "0.93", "2.00", "3.0" and no version at all are read the same
/// way. The other attributes of `<rss>` (a namespace the items use) stay, and a
/// document that also needs repairs gets both.
#[test]
fn rss_of_any_version_is_read() {
    let items = "<item><title>One</title><link>https://example.org/1</link>\
                 <dc:creator>Ana</dc:creator></item>\
                 <item><title>Two</title><link>https://example.org/2</link></item>";
    for root in [
        "<rss version=\"0.94\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">",
        "<rss version='2' xmlns:dc='http://purl.org/dc/elements/1.1/'>",
        "<rss version=\"0.93\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">",
        "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\" version=\" 2.00 \">",
        "<rss version=\"3.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">",
        "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\">",
    ] {
        let body = format!(
            "<?xml version=\"1.0\"?>\n<!-- a comment <rss version=\"2.0\"> -->\n{root}<channel>\
             <title>T</title><link>https://example.org/</link>{items}</channel></rss>"
        );
        let (feed, repairs) = parse_with_repairs(body.as_bytes(), None, URL)
            .unwrap_or_else(|err| panic!("{root}: {err}"));
        let titles: Vec<&str> = feed.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["One", "Two"], "{root}");
        assert_eq!(feed.items[0].author.as_deref(), Some("Ana"), "{root}");
        assert!(repairs.is_empty(), "{root}: {repairs:?}");
        // The same root on a document that needs repairs (a bare `&`).
        let broken = body.replace("<title>Two</title>", "<title>Two & more</title>");
        let (feed, repairs) = parse_with_repairs(broken.as_bytes(), None, URL)
            .unwrap_or_else(|err| panic!("{root}, repaired: {err}"));
        assert_eq!(feed.items.len(), 2, "{root}, repaired");
        assert_eq!(feed.items[1].title, "Two & more", "{root}, repaired");
        assert!(!repairs.is_empty(), "{root}, repaired");
    }
    // Anything else is still no feed.
    let other = "<rsss version=\"2.0\"><channel><title>T</title></channel></rsss>";
    assert!(parse(other.as_bytes(), None, URL).is_err());
}

/// A JSON Feed that leaves out its `version` (an object with a list of items)
/// or its `items` is read and says so; JSON that is not a feed stays an error.
#[test]
fn json_feed_without_a_version_or_items_is_read() {
    let body = r#"{"title":"J","home_page_url":"http://127.0.0.1:8000/",
        "items":[{"id":"1","title":"one","content_text":"x"},
                 {"id":"2","url":"http://127.0.0.1:8000/2","title":"two"}]}"#;
    let (feed, repairs) = parse_with_repairs(body.as_bytes(), None, URL).expect("read");
    assert_eq!(feed.title.as_deref(), Some("J"));
    let titles: Vec<&str> = feed.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, ["one", "two"]);
    assert_eq!(
        repairs,
        ["JSON Feed version missing or unknown, read as 1.1"]
    );
    // The same with the version differs only in the repair.
    let versioned = body.replace(
        "{\"title\"",
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\"",
    );
    let (again, repairs) = parse_with_repairs(versioned.as_bytes(), None, URL).expect("read");
    assert!(repairs.is_empty(), "{repairs:?}");
    assert_eq!(again.items, feed.items);
    // No items list (and an http:// version), no title: read, empty.
    let bare =
        r#"{"version":"http://jsonfeed.org/version/1","home_page_url":"http://127.0.0.1:8000/"}"#;
    let (feed, repairs) = parse_with_repairs(bare.as_bytes(), None, URL).expect("read");
    assert!(feed.items.is_empty());
    assert_eq!(
        repairs,
        [
            "JSON Feed version missing or unknown, read as 1.1",
            "no feed title",
            "no items list"
        ]
    );
    // JSON that is not a feed: an API's error, a list of things with no
    // feed items in it.
    for other in [
        r#"{"error":"not found"}"#,
        r#"{"items":[{"name":"a"},{"name":"b"}]}"#,
        r#"{"items":[]}"#,
        r#"[1, 2, 3]"#,
    ] {
        assert!(parse(other.as_bytes(), None, URL).is_err(), "{other}");
    }
}
