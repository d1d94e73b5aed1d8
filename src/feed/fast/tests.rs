//! Small cases of feed-rs's quirks the fast path must share; the whole-fixture
//! comparison is `tests/feed_fast.rs`.

use super::*;

#[test]
fn author_lines_split_like_feed_rs() {
    assert_eq!(person_name("Jane Doe"), Some(Some("Jane Doe".into())));
    assert_eq!(
        person_name("jane@example.com (Jane Doe)"),
        Some(Some("(Jane Doe)".into()))
    );
    assert_eq!(person_name("jane@example.com"), Some(None));
    assert_eq!(person_name(" @ alone "), Some(Some("@ alone".into())));
}

#[test]
fn declines_what_it_does_not_read() {
    let base = Some("https://example.com/feed");
    for doc in [
        "<!DOCTYPE rss><rss version=\"2.0\"><channel/></rss>",
        "<?xml version=\"1.0\" encoding=\"windows-1256\"?><rss version=\"2.0\"><channel/></rss>",
        "<rss version=\"3\"><channel/></rss>",
        "<rss version=\"2.0\"><channel><item><title>x</item></channel></rss>",
        "<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\"><channel><item><media:title type=\"x\">a</media:title></item></channel></rss>",
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title type=\"weird\">x</title></feed>",
        "{\"version\": \"https://jsonfeed.org/version/1\"}",
    ] {
        assert!(parse(doc.as_bytes(), base).is_none(), "{doc}");
    }
}

#[test]
fn reads_a_plain_rss_item() {
    let doc = "<rss version=\"2.0\"><channel><title> T </title><link>/</link>\
        <item><title>A &amp; B</title><link>a</link><guid> g1 </guid>\
        <category>x</category><description><![CDATA[<p>hi</p>]]></description></item>\
        </channel></rss>";
    let feed = parse(doc.as_bytes(), Some("https://example.com/feed")).unwrap();
    assert_eq!(feed.title.unwrap().content, "T");
    assert_eq!(feed.links[0].href, "https://example.com/");
    let entry = &feed.entries[0];
    assert_eq!(entry.title.as_ref().unwrap().content, "A & B");
    assert_eq!(entry.id, "g1");
    assert_eq!(entry.links[0].href, "https://example.com/a");
    assert_eq!(entry.summary.as_deref(), Some("<p>hi</p>"));
    assert_eq!(entry.categories[0].term, "x");
}
