//! The JSON half of recovery: lone UTF-16 surrogate escapes, which serde
//! rejects, become `\ufffd`; fields of the wrong type, which fail the whole
//! document in the strict parser, are converted to the type it expects (or
//! dropped), so one bad field costs that field and not the feed; a missing
//! feed `title` (required by the spec, left out by real feeds) is supplied, and
//! so are a missing `version` and `items`.

use serde_json::{Map, Value};

use super::{Recovered, Repairs};

/// A JSON Feed repaired: lone surrogate escapes, then fields of the wrong
/// type. `None` when neither needed repair.
pub(super) fn recover_json(text: &str) -> Option<Recovered> {
    let mut repairs = Repairs::default();
    let replaced = without_lone_surrogates(text, &mut repairs);
    let coerced = with_types_coerced(replaced.as_deref().unwrap_or(text), &mut repairs);
    let body = coerced.or(replaced)?;
    Some(Recovered {
        body: body.into_bytes(),
        repairs,
    })
}

/// The text with each lone surrogate escape as `\ufffd`; `None` when it has none.
fn without_lone_surrogates(text: &str, repairs: &mut Repairs) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut last = 0;
    let hex_at = |at: usize| -> Option<u32> {
        let digits = text.get(at..at + 4)?;
        u32::from_str_radix(digits, 16).ok()
    };
    let is_escape_u = |at: usize| bytes.get(at) == Some(&b'\\') && bytes.get(at + 1) == Some(&b'u');
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) != Some(&b'u') {
            i += 2;
            continue;
        }
        let Some(unit) = hex_at(i + 2) else {
            i += 2;
            continue;
        };
        match unit {
            0xD800..=0xDBFF => {
                let low = is_escape_u(i + 6)
                    .then(|| hex_at(i + 8))
                    .flatten()
                    .filter(|u| (0xDC00..=0xDFFF).contains(u));
                if low.is_some() {
                    i += 12;
                    continue;
                }
            }
            0xDC00..=0xDFFF => {}
            _ => {
                i += 6;
                continue;
            }
        }
        out.push_str(&text[last..i]);
        out.push_str("\\ufffd");
        repairs.lone_surrogates += 1;
        i += 6;
        last = i;
    }
    if repairs.lone_surrogates == 0 {
        return None;
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// The feed written again with every field of the wrong type converted and
/// a missing title supplied ([`coerce_feed`]); `None` when it is not JSON or
/// needs neither, so a feed that failed for another reason keeps its own error.
fn with_types_coerced(text: &str, repairs: &mut Repairs) -> Option<String> {
    let mut feed: Value = serde_json::from_str(text).ok()?;
    let mut found = Repairs::default();
    let fixed = coerce_feed(feed.as_object_mut()?, &mut found);
    let supplied = found.missing_title || found.missing_version || found.missing_items;
    if fixed == 0 && !supplied {
        return None;
    }
    let out = serde_json::to_string(&feed).ok()?;
    repairs.wrong_types += fixed;
    repairs.missing_title |= found.missing_title;
    repairs.missing_version |= found.missing_version;
    repairs.missing_items |= found.missing_items;
    Some(out)
}

/// The string fields of an item, as the strict parser (feed-rs) reads them.
const ITEM_TEXTS: [&str; 9] = [
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "date_published",
    "date_modified",
];

/// The optional string fields of the feed itself.
const FEED_TEXTS: [&str; 6] = [
    "home_page_url",
    "feed_url",
    "language",
    "description",
    "icon",
    "favicon",
];

/// Converts the fields the strict parser would reject; how many it changed
/// (a missing title, supplied empty, is told in `repairs` instead).
/// JSON Feed 1.1 asks readers to coerce an `id` that is not a string; the
/// other conversions are read the way their publishers evidently meant them
/// (an `author` that is a name, `tags` that are one tag).
fn coerce_feed(feed: &mut Map<String, Value>, repairs: &mut Repairs) -> usize {
    let mut fixed = 0;
    let has_items = matches!(feed.get("items"), Some(Value::Array(_)));
    let version = feed.get("version");
    let says_json_feed = version
        .and_then(Value::as_str)
        .is_some_and(|v| v.contains("jsonfeed.org/version"));
    let strict_reads = version
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("https://jsonfeed.org/version/1"));
    if !strict_reads && (says_json_feed || has_items && looks_like_a_feed(feed)) {
        // No version, or one the strict parser does not take (`http://`, "1.1",
        // a number): an object that names JSON Feed, or has a list of items
        // and a feed's or an item's fields, is one; a JSON API's answer is not.
        feed.insert(
            "version".to_string(),
            Value::String("https://jsonfeed.org/version/1.1".to_string()),
        );
        repairs.missing_version = true;
    }
    let is_json_feed = strict_reads || repairs.missing_version;
    if is_json_feed && !feed.contains_key("items") {
        feed.insert("items".to_string(), Value::Array(Vec::new()));
        repairs.missing_items = true;
    }
    if is_json_feed && !feed.contains_key("title") {
        // Required by the spec, yet real feeds leave it out, and other readers
        // read them: an empty title is no title, and the feed is named as an
        // RSS or Atom feed without one is (by its address).
        feed.insert("title".to_string(), Value::String(String::new()));
        repairs.missing_title = true;
    }
    if let Some(title) = feed.get_mut("title")
        && !title.is_string()
    {
        // Required, so never dropped: one that cannot be text is empty.
        *title = match title {
            Value::Number(_) | Value::Bool(_) => Value::String(title.to_string()),
            _ => Value::String(String::new()),
        };
        fixed += 1;
    }
    for key in FEED_TEXTS {
        fixed += feed.get_mut(key).map_or(0, text);
    }
    fixed += feed.get_mut("author").map_or(0, author);
    fixed += feed.get_mut("authors").map_or(0, authors);
    if let Some(Value::Array(items)) = feed.get_mut("items") {
        let before = items.len();
        items.retain(Value::is_object);
        fixed += before - items.len();
        for item in items.iter_mut().filter_map(Value::as_object_mut) {
            for key in ITEM_TEXTS {
                fixed += item.get_mut(key).map_or(0, text);
            }
            fixed += item.get_mut("author").map_or(0, author);
            fixed += item.get_mut("authors").map_or(0, authors);
            fixed += item.get_mut("tags").map_or(0, tags);
            fixed += item.get_mut("attachments").map_or(0, attachments);
        }
    }
    fixed
}

/// Whether an object with `items` has what only a feed has: a feed's title or
/// addresses, or an item with an item's id, address, title or text.
fn looks_like_a_feed(feed: &Map<String, Value>) -> bool {
    const ITEM_KEYS: [&str; 6] = [
        "id",
        "url",
        "title",
        "content_html",
        "content_text",
        "summary",
    ];
    ["title", "home_page_url", "feed_url"]
        .iter()
        .any(|key| feed.contains_key(*key))
        || feed
            .get("items")
            .and_then(Value::as_array)
            .is_some_and(|items| {
                items
                    .iter()
                    .filter_map(Value::as_object)
                    .any(|item| ITEM_KEYS.iter().any(|key| item.contains_key(*key)))
            })
}

/// An optional string: a number or boolean becomes its JSON text (`1` → "1",
/// `1.5` → "1.5"), an array or object is dropped.
fn text(value: &mut Value) -> usize {
    match value {
        Value::String(_) | Value::Null => 0,
        Value::Number(_) | Value::Bool(_) => {
            *value = Value::String(value.to_string());
            1
        }
        Value::Array(_) | Value::Object(_) => {
            *value = Value::Null;
            1
        }
    }
}

/// An optional author object: a string is its name; anything else not an
/// object is dropped.
fn author(value: &mut Value) -> usize {
    match value {
        Value::Null => 0,
        Value::Object(person) => {
            person.get_mut("name").map_or(0, text) + person.get_mut("url").map_or(0, text)
        }
        Value::String(name) => {
            let name = std::mem::take(name);
            *value = Value::Object(Map::from_iter([("name".to_string(), Value::String(name))]));
            1
        }
        Value::Number(_) | Value::Bool(_) | Value::Array(_) => {
            *value = Value::Null;
            1
        }
    }
}

/// An optional list of authors: a lone author (a name or an object) is a
/// list of one; entries that are no author are dropped.
fn authors(value: &mut Value) -> usize {
    let mut fixed = 0;
    if matches!(value, Value::String(_) | Value::Object(_)) {
        *value = Value::Array(vec![value.take()]);
        fixed += 1;
    }
    match value {
        Value::Null => {}
        Value::Array(list) => {
            for person in list.iter_mut() {
                if matches!(person, Value::String(_) | Value::Object(_)) {
                    fixed += author(person);
                }
            }
            let before = list.len();
            list.retain(Value::is_object);
            fixed += before - list.len();
        }
        _ => {
            *value = Value::Null;
            fixed += 1;
        }
    }
    fixed
}

/// An optional list of tags: a lone tag is a list of one; numbers and
/// booleans are their text, other entries are dropped.
fn tags(value: &mut Value) -> usize {
    let mut fixed = 0;
    if matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_)) {
        *value = Value::Array(vec![value.take()]);
        fixed += 1;
    }
    match value {
        Value::Null => {}
        Value::Array(list) => {
            for tag in list.iter_mut() {
                if matches!(tag, Value::Number(_) | Value::Bool(_)) {
                    fixed += text(tag);
                }
            }
            let before = list.len();
            list.retain(Value::is_string);
            fixed += before - list.len();
        }
        _ => {
            *value = Value::Null;
            fixed += 1;
        }
    }
    fixed
}

/// An optional list of attachments: a lone one is a list of one; each needs
/// a `url` and a `mime_type` (one without is dropped) and a size that is a
/// whole number of bytes (`"1234"` is read as one, another is dropped).
fn attachments(value: &mut Value) -> usize {
    let mut fixed = 0;
    if value.is_object() {
        *value = Value::Array(vec![value.take()]);
        fixed += 1;
    }
    let Value::Array(list) = value else {
        if value.is_null() {
            return 0;
        }
        *value = Value::Null;
        return 1;
    };
    for attachment in list.iter_mut().filter_map(Value::as_object_mut) {
        for key in ["url", "mime_type", "title"] {
            fixed += attachment.get_mut(key).map_or(0, text);
        }
        if let Some(size) = attachment.get_mut("size_in_bytes")
            && !(size.is_u64() || size.is_null())
        {
            let bytes = size.as_str().and_then(|s| s.trim().parse::<u64>().ok());
            *size = bytes.map_or(Value::Null, Value::from);
            fixed += 1;
        }
    }
    let before = list.len();
    list.retain(|attachment| {
        ["url", "mime_type"]
            .iter()
            .all(|key| attachment.get(key).is_some_and(Value::is_string))
    });
    fixed + before - list.len()
}
