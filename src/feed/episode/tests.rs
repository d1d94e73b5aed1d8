//! Durations as podcasts write them.

use super::duration;

#[test]
fn itunes_durations_in_each_form() {
    for (text, seconds) in [
        ("2530", Some(2530)),
        (" 42:10 ", Some(2530)),
        ("1:02:03", Some(3723)),
        ("01:02:03", Some(3723)),
        ("0:59.5", Some(59)),
        ("7", Some(7)),
        ("", None),
        ("1:2:3:4", None),
        ("12 minutes", None),
        (":30", None),
        ("-5", None),
        ("1:xx", None),
    ] {
        assert_eq!(duration(Some(text)), seconds, "{text:?}");
    }
    assert_eq!(duration(None), None);
}

/// A file as these tests compare it: its URL, title and duration.
type File = (String, Option<String>, Option<u64>);

/// (URL, title, duration) of each item's files, on one parser.
fn files(doc: &str, parsers: crate::feed::Parsers) -> Vec<Vec<File>> {
    let (feed, _) = crate::feed::parse_by(doc.as_bytes(), None, "file:///tmp/cast", parsers)
        .expect("the fixture reads");
    feed.items
        .iter()
        .map(|item| {
            item.enclosures
                .iter()
                .map(|e| (e.url.clone(), e.title.clone(), e.duration))
                .collect()
        })
        .collect()
}

#[test]
fn rss_itunes_and_media_rss_durations_on_both_parsers() {
    let doc = include_str!("../../../tests/fixtures/formats/rss-itunes-duration.xml");
    let fast = files(doc, crate::feed::Parsers::FastOnly);
    assert_eq!(fast, files(doc, crate::feed::Parsers::FeedRsOnly));
    let file =
        |url: &str, duration| vec![(format!("http://127.0.0.1:9/pod/{url}"), None, duration)];
    assert_eq!(
        fast,
        [
            file("1.mp3", Some(2530)),
            file("2.mp3", Some(2530)),
            file("3.mp3", Some(3723)),
            file("4.ogg", Some(95)),
            file("5.mp3", None),
        ]
    );
}

#[test]
fn json_feed_attachment_titles_and_durations() {
    let doc = include_str!("../../../tests/fixtures/formats/jsonfeed-attachments.json");
    assert_eq!(
        files(doc, crate::feed::Parsers::FastThenFeedRs),
        [[
            (
                "http://127.0.0.1:9/cast/episode-1.mp3".to_string(),
                Some("MP3".to_string()),
                Some(1800)
            ),
            (
                "http://127.0.0.1:9/cast/episode-1.m4a".to_string(),
                None,
                None
            ),
        ]]
    );
}

/// Atom entries: `<itunes:duration>` (podcast hosts' Atom) and the Media RSS
/// title of YouTube's `media:group` or of a `media:content`, read alike by
/// both parsers. They were dropped on both.
#[test]
fn atom_itunes_durations_and_media_titles_on_both_parsers() {
    let doc = include_str!("../../../tests/fixtures/formats/atom-podcast-media.xml");
    let fast = files(doc, crate::feed::Parsers::FastOnly);
    assert_eq!(fast, files(doc, crate::feed::Parsers::FeedRsOnly));
    let file = |url: &str, title: Option<&str>, duration| {
        (
            format!("http://127.0.0.1:9/{url}"),
            title.map(str::to_string),
            duration,
        )
    };
    assert_eq!(
        fast,
        [
            vec![file("atom/1.mp3", None, Some(2530))],
            vec![file("v/abc123?version=3", Some("ویدیوی آزمایشی"), None)],
            vec![
                file("atom/3.mp3", Some("Entry-level title"), Some(3723)),
                file("atom/3.ogg", Some("Ogg version"), Some(95)),
            ],
            vec![file("atom/4.mp3", None, None)],
        ]
    );
}
