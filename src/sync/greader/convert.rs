//! What a Google Reader API server sends, as khabar's own records: a
//! subscription as a [`SyncedFeed`] (its labels become tags), an item as a
//! [`SyncedEntry`] with the read and starred state its labels give, and item ids
//! in both of the forms servers write.

use super::{ITEM_PREFIX, Item, Subscription};
use crate::feed::ParsedItem;
use crate::store::{SyncedEntry, SyncedFeed};

/// `feed/12` → 12; other forms hash to a stable positive number.
fn feed_number(id: &str) -> i64 {
    let tail = id.rsplit('/').next().unwrap_or(id);
    match tail.parse::<i64>() {
        Ok(n) if id.starts_with("feed/") => n,
        _ => {
            let hash = blake3::hash(id.as_bytes());
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(&hash.as_bytes()[..8]);
            (u64::from_le_bytes(bytes) >> 1) as i64
        }
    }
}

pub(super) fn synced_feed(sub: Subscription) -> SyncedFeed {
    let url = if sub.url.is_empty() {
        sub.id.trim_start_matches("feed/").to_string()
    } else {
        sub.url
    };
    SyncedFeed {
        remote_id: feed_number(&sub.id),
        title: if sub.title.trim().is_empty() {
            url.clone()
        } else {
            sub.title
        },
        url,
        site_url: Some(sub.html_url).filter(|u| !u.is_empty()),
        tags: sub
            .categories
            .into_iter()
            .filter(|label| label.id.contains("/label/"))
            .map(|label| {
                if label.label.is_empty() {
                    label.id.rsplit('/').next().unwrap_or("").to_string()
                } else {
                    label.label
                }
            })
            .filter(|tag| !tag.trim().is_empty())
            .collect(),
    }
}

/// Decimal (`items/ids`) or long form (`tag:google.com,2005:reader/item/<hex>`).
pub fn parse_item_id(text: &str) -> Option<i64> {
    match text.strip_prefix(ITEM_PREFIX) {
        Some(hex) => u64::from_str_radix(hex, 16).ok().map(|n| n as i64),
        None => text
            .parse::<u64>()
            .ok()
            .map(|n| n as i64)
            .or_else(|| text.parse::<i64>().ok()),
    }
}

/// The long form every server accepts.
pub fn long_item_id(id: i64) -> String {
    format!("{ITEM_PREFIX}{:016x}", id as u64)
}

/// An item as a local entry with the state its labels give.
pub(super) fn to_synced(item: &Item) -> Option<SyncedEntry> {
    let remote_id = parse_item_id(&item.id)?;
    let has = |suffix: &str| item.categories.iter().any(|c| c.ends_with(suffix));
    let content = item
        .content
        .as_ref()
        .or(item.summary.as_ref())
        .map(|c| c.content.clone())
        .filter(|c| !c.is_empty());
    let link = item
        .canonical
        .iter()
        .chain(&item.alternate)
        .map(|h| h.href.clone())
        .find(|h| !h.is_empty());
    let mut parsed = ParsedItem {
        identity: crate::store::synced_identity(remote_id),
        title: item.title.clone(),
        link,
        author: Some(item.author.clone()).filter(|a| !a.is_empty()),
        content_html: content,
        published: Some(item.published).filter(|p| *p > 0),
        categories: item
            .categories
            .iter()
            .filter(|c| c.contains("/label/"))
            .filter_map(|c| c.rsplit('/').next().map(str::to_string))
            .collect(),
        enclosures: item
            .enclosure
            .iter()
            .filter(|e| !e.url.is_empty())
            .map(|e| crate::feed::Enclosure {
                url: e.url.clone(),
                mime_type: Some(e.mime_type.clone()).filter(|m| !m.is_empty()),
                ..crate::feed::Enclosure::default()
            })
            .collect(),
        ..ParsedItem::default()
    };
    parsed.content_hash = blake3::hash(
        format!("{remote_id}\0{}\0{:?}", parsed.title, parsed.content_html).as_bytes(),
    )
    .to_hex()
    .to_string();
    Some(SyncedEntry {
        remote_id,
        remote_feed: feed_number(&item.origin.as_ref()?.stream_id),
        item: parsed,
        read: has("/state/com.google/read"),
        starred: has("/state/com.google/starred"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_ids_in_both_forms_are_the_same_number() {
        assert_eq!(parse_item_id("42"), Some(42));
        assert_eq!(
            parse_item_id("tag:google.com,2005:reader/item/000000000000002a"),
            Some(42)
        );
        let big = "tag:google.com,2005:reader/item/ffffffffffffffff";
        assert_eq!(parse_item_id(big), Some(-1));
        assert_eq!(long_item_id(-1), big);
        assert_eq!(parse_item_id("18446744073709551615"), Some(-1));
        assert_eq!(
            long_item_id(42),
            "tag:google.com,2005:reader/item/000000000000002a"
        );
    }

    #[test]
    fn labels_with_any_user_prefix_give_the_state() {
        let item: Item = serde_json::from_str(
            r#"{"id":"tag:google.com,2005:reader/item/0000000000000007",
                "categories":["user/1/state/com.google/read","user/-/state/com.google/starred",
                              "user/1/label/News"],
                "title":"t","published":1700000000,"origin":{"streamId":"feed/3"},
                "alternate":[{"href":"http://x/7"}],"summary":{"content":"<p>s</p>"}}"#,
        )
        .unwrap();
        let entry = to_synced(&item).unwrap();
        assert_eq!((entry.remote_id, entry.remote_feed), (7, 3));
        assert!(entry.read && entry.starred);
        assert_eq!(entry.item.categories, vec!["News".to_string()]);
        assert_eq!(entry.item.link.as_deref(), Some("http://x/7"));
    }
}
