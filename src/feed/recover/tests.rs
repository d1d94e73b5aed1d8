//! Unit tests of [`super::recover`]: each repair on its own, and the bounds.

use super::*;

fn repaired(xml: &str) -> (String, Repairs) {
    let recovered = recover(xml.as_bytes()).expect("a feed root");
    (
        String::from_utf8(recovered.body).expect("utf-8"),
        recovered.repairs,
    )
}

#[test]
fn bare_ampersand_in_text_and_attribute_is_escaped() {
    let (xml, repairs) =
        repaired("<rss><channel><title>R & D</title><link href='/a?x=1&y=2'/></channel></rss>");
    assert!(xml.contains("<title>R &amp; D</title>"), "{xml}");
    assert!(xml.contains("href=\"/a?x=1&amp;y=2\""), "{xml}");
    assert_eq!(repairs.bare_ampersands, 2);
}

#[test]
fn valid_references_are_kept() {
    let (xml, repairs) = repaired("<rss><a>&amp; &#38; &#x263A; &nbsp; &lt;</a></rss>");
    assert!(
        xml.contains("<a>&amp; &#38; &#x263A; &nbsp; &lt;</a>"),
        "{xml}"
    );
    assert!(repairs.is_empty(), "{repairs:?}");
}

#[test]
fn forbidden_character_references_are_dropped() {
    let (xml, repairs) = repaired("<rss><a>x&#0;y&#xD800;z&#x110000;!</a></rss>");
    assert!(xml.contains("<a>xyz!</a>"), "{xml}");
    assert_eq!(repairs.bad_char_refs, 3);
}

#[test]
fn cut_off_document_is_closed() {
    let (xml, repairs) = repaired("<rss><channel><item><title>One</title></item><item><title>Tw");
    assert!(
        xml.ends_with("<item><title>Tw</title></item></channel></rss>"),
        "{xml}"
    );
    assert!(repairs.truncated);
    assert_eq!(repairs.unclosed_elements, 4);
}

#[test]
fn cut_inside_a_tag_drops_the_tag() {
    let (xml, repairs) = repaired("<rss><channel><item><title>One</title><lin");
    assert!(
        xml.ends_with("<title>One</title></item></channel></rss>"),
        "{xml}"
    );
    assert!(repairs.truncated);
}

#[test]
fn stray_and_mismatched_end_tags() {
    let (xml, repairs) = repaired("<rss><item><b>bold</i></item></x></rss>");
    assert!(xml.contains("<item><b>bold</b></item></rss>"), "{xml}");
    assert_eq!(repairs.stray_end_tags, 2);
    assert_eq!(repairs.unclosed_elements, 1);
}

#[test]
fn bare_less_than_is_text() {
    let (xml, repairs) = repaired("<rss><a>1 < 2</a></rss>");
    assert!(xml.contains("<a>1 &lt; 2</a>"), "{xml}");
    assert_eq!(repairs.bare_less_than, 1);
}

#[test]
fn unquoted_and_duplicate_attributes() {
    let (xml, repairs) = repaired("<rss><a href=x.html b='1' b='2' checked>t</a></rss>");
    assert!(
        xml.contains("<a href=\"x.html\" b=\"1\" checked=\"checked\">"),
        "{xml}"
    );
    assert_eq!(repairs.bad_attributes, 3);
}

#[test]
fn internal_entities_are_expanded_external_never_resolved() {
    let doc = "<?xml version='1.0'?><!DOCTYPE rss [\n<!ENTITY co \"Acme &amp; Co\">\n\
               <!ENTITY secret SYSTEM \"file:///etc/passwd\">\n<!ENTITY web SYSTEM \"http://127.0.0.1:9/x\">]>\
               <rss><a>&co; &secret; &web;</a></rss>";
    assert!(declares_entities(doc.as_bytes()));
    let (xml, repairs) = repaired(doc);
    assert!(xml.contains("<a>Acme &amp; Co &secret; &web;</a>"), "{xml}");
    assert!(!xml.contains("root:"), "{xml}");
    assert_eq!(repairs.unexpanded_entities, 2);
}

#[test]
fn billion_laughs_is_bounded() {
    let mut doc = String::from("<!DOCTYPE rss [<!ENTITY lol0 \"lol\">");
    for level in 1..10 {
        let previous = format!("&lol{};", level - 1).repeat(10);
        doc.push_str(&format!("<!ENTITY lol{level} \"{previous}\">"));
    }
    doc.push_str("]><rss><a>&lol9;&lol9;&lol9;</a></rss>");
    let start = std::time::Instant::now();
    let (xml, repairs) = repaired(&doc);
    assert!(xml.len() <= 2 * ENTITY_BUDGET + doc.len(), "{}", xml.len());
    assert!(repairs.unexpanded_entities >= 1);
    // Not a timing test: a bound on work, far above any machine's noise.
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn deep_nesting_keeps_text_but_not_tags() {
    let depth = 100_000;
    let doc = format!(
        "<rss>{}deep{}</rss>",
        "<d>".repeat(depth),
        "</d>".repeat(depth)
    );
    let (xml, repairs) = repaired(&doc);
    assert_eq!(repairs.too_deep, depth + 1 - MAX_DEPTH);
    assert!(xml.contains("deep"));
    assert_eq!(xml.matches("<d>").count(), MAX_DEPTH - 1);
    assert_eq!(xml.matches("</d>").count(), MAX_DEPTH - 1);
}

#[test]
fn content_after_the_root_is_dropped() {
    let (xml, repairs) = repaired("<rss><a>x</a></rss><rss><a>y</a></rss>");
    assert!(xml.ends_with("<rss><a>x</a></rss>"), "{xml}");
    assert!(repairs.trailing_content);
}

#[test]
fn a_web_page_is_not_recovered() {
    assert!(recover(b"<html><body>R & D</body></html>").is_none());
    assert!(recover(b"garbage").is_none());
}

#[test]
fn json_lone_surrogates_become_replacement_characters() {
    let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"x \ud800 \ud83d\ude00 \udc00","items":[]}"#;
    let recovered = recover(json.as_bytes()).expect("repaired");
    let body = String::from_utf8(recovered.body).expect("utf-8");
    assert_eq!(
        body,
        r#"{"version":"https://jsonfeed.org/version/1.1","title":"x \ufffd \ud83d\ude00 \ufffd","items":[]}"#
    );
    assert_eq!(recovered.repairs.lone_surrogates, 2);
    assert!(recover(br#"{"title":"fine \u00e9"}"#).is_none());
}

#[test]
fn json_fields_of_the_wrong_type_are_converted() {
    let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"x \ud800",
        "items":[{"id":12,"tags":"t","author":"A","attachments":[{"url":"u"}]}]}"#;
    let recovered = recover(json.as_bytes()).expect("repaired");
    let body: serde_json::Value = serde_json::from_slice(&recovered.body).expect("json");
    let item = &body["items"][0];
    assert_eq!(item["id"], "12");
    assert_eq!(item["tags"], serde_json::json!(["t"]));
    assert_eq!(item["author"], serde_json::json!({"name": "A"}));
    assert_eq!(item["attachments"], serde_json::json!([]), "no mime_type");
    assert_eq!(body["title"], "x \u{fffd}");
    assert_eq!(recovered.repairs.lone_surrogates, 1);
    assert_eq!(recovered.repairs.wrong_types, 4);
    // Nothing of the wrong type, nothing to repair; not JSON, not a JSON repair.
    assert!(
        recover(
            br#"{"version":"https://jsonfeed.org/version/1","title":"x","items":[{"id":"1","tags":["t"]}]}"#
        )
        .is_none()
    );
    assert!(recover(br#"{"items":[{"id":1}"#).is_none());
}

#[test]
fn a_json_feed_without_a_title_gets_an_empty_one() {
    let json = r#"{"version":"https://jsonfeed.org/version/1.1",
        "home_page_url":"http://127.0.0.1/","items":[{"id":"1"}]}"#;
    let recovered = recover(json.as_bytes()).expect("repaired");
    let body: serde_json::Value = serde_json::from_slice(&recovered.body).expect("json");
    assert_eq!(body["title"], "");
    assert!(recovered.repairs.missing_title);
    assert_eq!(recovered.repairs.wrong_types, 0);
    assert_eq!(recovered.repairs.describe(), ["no feed title"]);
    // JSON that is no JSON Feed is not given one.
    assert!(recover(br#"{"items":[{"name":"a"}]}"#).is_none());
    assert!(recover(br#"{"version":"1","items":[]}"#).is_none());
    // Feed items without a version: a JSON Feed that forgot to say so.
    let unversioned = recover(br#"{"items":[{"id":"1"}]}"#).expect("repaired");
    assert_eq!(
        unversioned.repairs.describe(),
        [
            "JSON Feed version missing or unknown, read as 1.1",
            "no feed title"
        ]
    );
}

#[test]
fn descriptions_name_each_repair() {
    let repairs = Repairs {
        bare_ampersands: 2,
        bad_char_refs: 1,
        truncated: true,
        ..Repairs::default()
    };
    assert_eq!(
        repairs.describe(),
        [
            "2 bare &",
            "1 invalid character reference dropped",
            "cut off"
        ]
    );
}
