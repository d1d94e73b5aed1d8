//! Article extraction measured on every page under `tests/fixtures/articles`:
//! word recall and precision of the story each at least 0.95, and none of the
//! page's chrome strings in the result.
//!
//! Each fixture directory holds `source.html` (the page, in its own encoding),
//! the story as `expected.html` (Readability's own test pages) or `expected.txt`
//! (first line the headline, which the reader shows from the item, then the
//! story's paragraphs separated by blank lines), and optionally `chrome.txt`:
//! strings of the page around the story, one a line, that must not come out.
//! Every page is held to the same bar: there are no per-page floors.
//!
//! Words are counted so that every script is measured alike: runs of letters,
//! digits and marks, and each Han/Kana character on its own (Chinese and
//! Japanese put no spaces between words, so a "word" split on spaces would be
//! a whole sentence). What khabar itself adds when it lays HTML out, the
//! `[image]` placeholder for an image without alt text and the `[N]` after a
//! link's text, is not a word of the page and is not counted.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use khabar::fulltext::{decode_html, extract};

/// Words of a text: runs of letters, digits and combining marks; each Han,
/// Hiragana or Katakana character counts as a word of its own (those scripts
/// put no spaces between words).
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        let cjk = matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF);
        let mark = matches!(c as u32, 0x0300..=0x036F | 0x064B..=0x065F | 0x0670);
        if cjk || !(c.is_alphanumeric() || mark) {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            if cjk {
                words.push(c.to_string());
            }
            continue;
        }
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// (precision, recall) of `got` against `want`, as multisets of words.
fn precision_recall(got: &[String], want: &[String]) -> (f64, f64) {
    let mut wanted: HashMap<&str, usize> = HashMap::new();
    for w in want {
        *wanted.entry(w).or_default() += 1;
    }
    let mut common = 0usize;
    for w in got {
        if let Some(n) = wanted.get_mut(w.as_str())
            && *n > 0
        {
            *n -= 1;
            common += 1;
        }
    }
    let ratio = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    (ratio(common, got.len()), ratio(common, want.len()))
}

/// Text of HTML through khabar's own HTML-to-blocks conversion.
fn html_text(html: &str) -> String {
    khabar::html::to_document(html, None)
        .blocks
        .iter()
        .map(|b| b.runs.iter().map(|r| r.text.as_str()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The words the measure counts: the page's, without khabar's placeholder for
/// an image that has no alt text and its link numbers (`text[3]`).
fn measured_words(text: &str) -> Vec<String> {
    let text = text.replace("[image]", " ");
    let mut page = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(open) = rest.find('[') {
        page.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && after[digits..].starts_with(']') {
            page.push(' ');
            rest = &after[digits + 1..];
        } else {
            page.push('[');
            rest = after;
        }
    }
    page.push_str(rest);
    words(&page)
}

#[test]
fn the_measure_counts_han_characters_and_not_khabars_own_marks() {
    assert_eq!(
        measured_words("春光食品 Sauce[3] [image] x[12]y [a]"),
        ["春", "光", "食", "品", "sauce", "x", "y", "a"]
    );
}

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("source.html").exists())
        .collect();
    dirs.sort();
    dirs
}

struct Measured {
    name: String,
    precision: f64,
    recall: f64,
    leaked: Vec<String>,
}

fn measure(dir: &Path) -> Measured {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let bytes = std::fs::read(dir.join("source.html")).unwrap();
    let page = decode_html(&bytes, None);
    let url = format!("https://example.org/{name}/");
    let article = extract(&page, Some(&url)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let got_text = html_text(&article.content_html);
    let want_text = if dir.join("expected.html").exists() {
        html_text(&std::fs::read_to_string(dir.join("expected.html")).unwrap())
    } else {
        let expected = std::fs::read_to_string(dir.join("expected.txt"))
            .unwrap_or_else(|e| panic!("{name}: no expected.html or expected.txt: {e}"));
        // The first line is the headline: the reader shows the item's own.
        expected
            .split_once('\n')
            .map_or("", |(_, story)| story)
            .to_string()
    };
    let (precision, recall) =
        precision_recall(&measured_words(&got_text), &measured_words(&want_text));
    // KHABAR_CORPUS_SHOW=name prints what came out, to see why a page scores low.
    if std::env::var("KHABAR_CORPUS_SHOW").is_ok_and(|show| show == name) {
        println!(
            "--- {name} ({:?}) got:\n{got_text}\n--- want:\n{want_text}",
            article.method
        );
    }
    let leaked = std::fs::read_to_string(dir.join("chrome.txt"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && got_text.contains(l))
        .map(str::to_string)
        .collect();
    Measured {
        name,
        precision,
        recall,
        leaked,
    }
}

#[test]
fn every_fixture_page_gives_its_story_and_no_chrome() {
    let mut failures = Vec::new();
    for dir in fixtures() {
        let m = measure(&dir);
        // `cargo test --test fulltext_corpus -- --nocapture` prints the table.
        println!(
            "{:<36} precision {:.3}  recall {:.3}",
            m.name, m.precision, m.recall
        );
        if m.precision < 0.95 || m.recall < 0.95 || !m.leaked.is_empty() {
            failures.push(format!(
                "{}: precision {:.3}, recall {:.3}, chrome kept: {:?}",
                m.name, m.precision, m.recall, m.leaked
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sanjnews_gives_exactly_its_five_paragraphs_in_order() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles/fa-sanjnews-1");
    let page = std::fs::read_to_string(dir.join("source.html")).unwrap();
    let expected = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
    let article = extract(&page, Some("https://sanjnews.ir/fa/news/1")).unwrap();
    let text = html_text(&article.content_html);
    let paragraphs: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let want: Vec<&str> = expected.split("\n\n").skip(1).map(str::trim).collect();
    assert_eq!(want.len(), 5);
    assert_eq!(paragraphs, want);
    assert!(text.contains("«رسانه و صنعت»"));
    for chrome in ["نظر شما", "حقوق مادی و معنوی", "تازه ترین مطالب مرتبط"]
    {
        assert!(page.contains(chrome));
        assert!(!text.contains(chrome), "{chrome} kept");
    }
    assert_eq!(article.dir.as_deref(), Some("rtl"));
}
