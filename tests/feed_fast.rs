#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
//! The fast feed parser against feed-rs: over every feed fixture, the fuzz
//! regressions, generated feeds and mutated variants of all of them, the fast
//! path either declines or gives exactly the `ParsedFeed` feed-rs gives.

use std::path::{Path, PathBuf};

use khabar::feed::{FeedError, Parsers, parse_by};

const URLS: [&str; 3] = [
    "https://example.com/feeds/news.xml",
    "file:///tmp/feeds/f.xml",
    "not a url",
];

fn inputs(dirs: &[&str]) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in dirs {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_none_or(|e| e != "md"))
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).unwrap();
            out.push((path, bytes));
        }
    }
    out
}

/// Compares the two paths on one body; true when the fast path read it.
fn agree(name: &str, body: &[u8], charset: Option<&str>, url: &str) -> bool {
    let fast = parse_by(body, charset, url, Parsers::FastOnly);
    let slow = parse_by(body, charset, url, Parsers::FeedRsOnly);
    match fast {
        Err(FeedError::NotAFeed) => false,
        Err(other) => {
            // Empty bodies and web pages are told apart before either parser.
            assert_eq!(Err(other), slow.map(|(f, _)| f), "{name} at {url}");
            false
        }
        Ok((fast, repairs)) => {
            assert!(repairs.is_empty());
            let (slow, slow_repairs) = slow.unwrap_or_else(|e| {
                panic!("{name} at {url}: the fast path read what feed-rs rejects ({e})")
            });
            assert!(slow_repairs.is_empty(), "{name}: {slow_repairs:?}");
            assert_eq!(fast, slow, "{name} at {url}");
            true
        }
    }
}

#[test]
fn fast_path_agrees_with_feed_rs_on_every_fixture() {
    let mut read = Vec::new();
    let mut declined = Vec::new();
    for (path, body) in inputs(&[
        "tests/fixtures/feeds",
        "tests/fixtures/formats",
        "tests/fixtures/genfeeds",
        "fuzz/regressions/feed",
    ]) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let mut any = false;
        for url in URLS {
            for charset in [None, Some("utf-8"), Some("windows-1256")] {
                any |= agree(&name, &body, charset, url);
            }
        }
        if any {
            read.push(name);
        } else {
            declined.push(name);
        }
    }
    println!(
        "fast path read {} inputs, declined {}: {declined:?}",
        read.len(),
        declined.len()
    );
    // The fast path must carry the common feeds, or it is not worth having.
    assert!(read.len() >= 50, "read only {read:?}");
    for generated in ["f0000.xml", "f0001.xml", "f0004.xml", "f0009.xml"] {
        assert!(read.iter().any(|r| r == generated), "{generated} declined");
    }
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Snippets that exercise the fast path's rules when spliced in at a tag.
const SNIPPETS: &[&str] = &[
    "<title>inserted &amp; title</title>",
    "<title type=\"html\">&lt;b&gt;x&lt;/b&gt;</title>",
    "<title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><b>x</b></div></title>",
    "<link>relative/path</link>",
    "<link href=\"../up\" rel=\"alternate\" type=\"text/html\"/>",
    "<guid>  </guid>",
    "<guid>g-1</guid>",
    "<id> urn:id </id>",
    "<author>a@b.example (Name)</author>",
    "<author><name>N</name><email>e@x.example</email></author>",
    "<dc:creator xmlns:dc=\"http://purl.org/dc/elements/1.1/\">Creator</dc:creator>",
    "<category>cat</category><category domain=\"d\">cat</category>",
    "<category term=\"t\" label=\" L \"/>",
    "<enclosure url=\"a.mp3\" length=\"12\" type=\"audio/mpeg\"/>",
    "<enclosure url=\"http://x.example/b.ogg\" type=\"bad type\"/>",
    "<pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate>",
    "<updated>2024-01-02T03:04:05Z</updated>",
    "<published>not a date</published>",
    "<description></description>",
    "<description><![CDATA[]]></description>",
    "<summary type=\"html\">&lt;p&gt;s&lt;/p&gt;</summary>",
    "<content:encoded xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><![CDATA[<a href=\"/x\">x</a>]]></content:encoded>",
    "<content type=\"html\" xml:lang=\"EN\" xml:base=\"http://base.example/d/\">&lt;img src=\"i.png\"&gt;</content>",
    "<comments>http://c.example/</comments>",
    "<language> FA-ir </language>",
    "<x:unknown xmlns:x=\"urn:x\"><title>not this</title></x:unknown>",
    "<item><title>nested item</title></item>",
    "<entry><title>nested entry</title></entry>",
    "<!-- a comment -->",
    "<?pi target?>",
    "&#1548;",
    "&nbsp;",
    " xml:base=\"sub/\"",
    "<description xml:base=\"d/\">&lt;img src=\"i.png\"&gt;</description>",
    "<content:encoded xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xml:base=\"/c/\">&lt;a href=\"x\"&gt;x&lt;/a&gt;</content:encoded>",
    " xml:lang=\"de\"",
    "<media:content xmlns:media=\"http://search.yahoo.com/mrss/\" url=\"m.jpg\" type=\"image/jpeg\" fileSize=\"5\"/>",
    "<media:group xmlns:media=\"http://search.yahoo.com/mrss/\"><media:content url=\"g1.mp4\"/><media:content url=\"g2.mp4\"><media:player url=\"p.html\"/></media:content></media:group>",
    "<media:title xmlns:media=\"http://search.yahoo.com/mrss/\"></media:title>",
    "<media:description xmlns:media=\"http://search.yahoo.com/mrss/\" type=\"html\">d</media:description>",
    "<itunes:season xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">2</itunes:season>",
];

fn mutate(rng: &mut Rng, body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    let tags: Vec<usize> = out
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'<' || **b == b'>')
        .map(|(i, _)| i)
        .collect();
    let at = if tags.is_empty() {
        rng.below(out.len() + 1)
    } else {
        tags[rng.below(tags.len())]
    };
    match rng.below(6) {
        0..=2 => {
            // After a `>` (inside an element), or an attribute before one.
            let snippet = SNIPPETS[rng.below(SNIPPETS.len())].as_bytes();
            let at = if out.get(at) == Some(&b'>') && !snippet.starts_with(b" ") {
                at + 1
            } else {
                at
            };
            let at = at.min(out.len());
            out.splice(at..at, snippet.iter().copied());
        }
        3 => out.truncate(at),
        4 => {
            if at < out.len() {
                out.remove(at);
            }
        }
        _ => {
            let from = rng.below(out.len() + 1);
            let len = rng.below(64).min(out.len() - from);
            out.drain(from..from + len);
        }
    }
    out
}

#[test]
fn fast_path_agrees_with_feed_rs_on_mutated_fixtures() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut read = 0;
    let mut total = 0;
    for (path, body) in inputs(&[
        "tests/fixtures/feeds",
        "tests/fixtures/formats",
        "tests/fixtures/genfeeds",
    ]) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        // Large fixtures cost feed-rs most: fewer variants of them.
        let variants = if body.len() > 200_000 { 4 } else { 40 };
        for variant in 0..variants {
            let mut mutated = mutate(&mut rng, &body);
            if variant % 3 == 0 {
                mutated = mutate(&mut rng, &mutated);
            }
            total += 1;
            if agree(
                &format!("{name} variant {variant}"),
                &mutated,
                None,
                URLS[variant % 3],
            ) {
                read += 1;
            }
        }
    }
    println!("fast path read {read} of {total} mutated inputs");
    assert!(
        read * 4 >= total,
        "the mutations should leave many documents readable"
    );
}
