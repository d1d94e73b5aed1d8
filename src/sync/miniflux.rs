//! A client for Miniflux's REST API (`/v1/...`), written from the server's API
//! documentation and source: about ten calls, with the capabilities of older
//! servers (2.2: no id-set endpoint, stars only by per-entry toggle) handled through
//! their own calls. JSON to local types is in pure functions below the client.

use std::collections::HashSet;

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use super::SyncError;
use super::http::{Http, with_json};
use super::settings::{Credentials, SyncSettings};
use crate::feed::ParsedItem;
use crate::store::{SyncedEntry, SyncedFeed};

mod changes;
mod ids;
pub use changes::Changed;
pub use ids::IdSet;

/// Entries per page: Miniflux refuses more than 1000.
pub const PAGE: usize = 1000;
/// Ids per page of `/v1/entries/ids` (its maximum).
const ID_PAGE: usize = 10_000;
/// Ids per `PUT /v1/entries`.
const IDS_PER_PUT: usize = 1000;

/// What the server can do, from its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// `GET /v1/entries/ids` and `PUT /v1/entries {"starred": …}` (2.3.2 and later).
    pub id_sets: bool,
}

impl Capabilities {
    /// Decided from the version string, never from status codes (2.2 answers
    /// `/v1/entries/ids` with an entry, not 404).
    pub fn from_version(version: &str) -> Capabilities {
        let parts: Vec<u64> = version
            .trim_start_matches('v')
            .split(['.', '-', '+'])
            .take(3)
            .map(|part| part.parse().unwrap_or(0))
            .collect();
        let at_least = |want: [u64; 3]| {
            let have = [
                parts.first().copied().unwrap_or(0),
                parts.get(1).copied().unwrap_or(0),
                parts.get(2).copied().unwrap_or(0),
            ];
            have >= want
        };
        Capabilities {
            id_sets: at_least([2, 3, 2]),
        }
    }

    /// How the capabilities are stored and shown: `id_sets` (id-set endpoints,
    /// stars in bulk) or `toggle_stars` (changes since a time, per-entry star
    /// toggles).
    pub fn describe(self) -> &'static str {
        if self.id_sets {
            "id_sets"
        } else {
            "toggle_stars"
        }
    }
}

/// One Miniflux account.
#[derive(Clone)]
pub struct Client {
    http: Http,
    base: String,
    credentials: Credentials,
}

#[derive(Deserialize)]
struct Version {
    version: String,
}

#[derive(Deserialize)]
struct Feed {
    id: i64,
    feed_url: String,
    #[serde(default)]
    site_url: String,
    #[serde(default)]
    title: String,
    category: Option<Category>,
}

#[derive(Deserialize)]
struct Category {
    #[serde(default)]
    title: String,
}

/// An entry as the API sends it (fields khabar stores).
#[derive(Deserialize)]
pub struct Entry {
    id: i64,
    feed_id: i64,
    #[serde(default)]
    status: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    published_at: String,
    #[serde(default)]
    changed_at: String,
    #[serde(default)]
    starred: bool,
    #[serde(default)]
    tags: Option<Vec<String>>,
    #[serde(default)]
    enclosures: Option<Vec<Enclosure>>,
}

#[derive(Deserialize)]
struct Enclosure {
    url: String,
    #[serde(default)]
    mime_type: String,
    #[serde(default)]
    size: i64,
}

#[derive(Deserialize)]
struct Entries {
    #[serde(default)]
    total: usize,
    #[serde(default)]
    entries: Option<Vec<Entry>>,
}

#[derive(Deserialize)]
struct EntryIds {
    #[serde(default)]
    total: usize,
    #[serde(default)]
    entry_ids: Option<Vec<i64>>,
}

impl Client {
    /// A client for the account in `settings`.
    pub fn new(settings: &SyncSettings) -> Result<Client, SyncError> {
        Ok(Client {
            http: Http::new(settings.server())?,
            base: settings.server(),
            credentials: settings.credentials.clone(),
        })
    }

    /// The server's address, for messages.
    pub fn server(&self) -> &str {
        self.http.server()
    }

    fn req(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let builder = self
            .http
            .request(method, &format!("{}{path}", self.base))
            .header("Accept", "application/json");
        match &self.credentials {
            Credentials::Token(token) => builder.header("X-Auth-Token", token.expose()),
            Credentials::Password { username, password } => {
                builder.basic_auth(username, Some(password.expose()))
            }
        }
    }

    /// Checks the login and returns the server's version (`/v1/version`).
    pub async fn login(&self) -> Result<String, SyncError> {
        // `/v1/version` needs the login too (401 otherwise): one request, not two.
        let version: Version = self
            .http
            .json(|| self.req(Method::GET, "/v1/version"))
            .await
            .map_err(|err| err.at_login("the Miniflux API"))?;
        Ok(version.version)
    }

    /// The subscriptions, with their categories as tags.
    pub async fn feeds(&self) -> Result<Vec<SyncedFeed>, SyncError> {
        let feeds: Vec<Feed> = self
            .http
            .json(|| self.req(Method::GET, "/v1/feeds"))
            .await?;
        Ok(feeds.into_iter().map(synced_feed).collect())
    }

    /// Entries with an id above `after`, oldest first, one page.
    pub async fn entries_after(&self, after: i64) -> Result<Vec<Entry>, SyncError> {
        let path =
            format!("/v1/entries?order=id&direction=asc&after_entry_id={after}&limit={PAGE}");
        let page: Entries = self.http.json(|| self.req(Method::GET, &path)).await?;
        Ok(page.entries.unwrap_or_default())
    }

    /// Every entry id matching `filter` (`status=unread&`, `starred=true&`, or
    /// `""` for every entry the server holds).
    pub async fn entry_ids(&self, filter: &str) -> Result<HashSet<i64>, SyncError> {
        Ok(self.entry_ids_dated(filter).await?.0)
    }

    /// [`Client::entry_ids`], with the server's time (its `Date` header, Unix
    /// seconds) when the first page was answered.
    pub async fn entry_ids_dated(
        &self,
        filter: &str,
    ) -> Result<(HashSet<i64>, Option<i64>), SyncError> {
        let head = self.id_set_head(filter).await?;
        let date = head.date;
        Ok((self.id_set_rest(filter, head).await?.ids, date))
    }

    /// One page of `/v1/entries/ids`: the ids and the total.
    async fn id_page(&self, filter: &str, offset: usize) -> Result<(Vec<i64>, usize), SyncError> {
        let path = format!("/v1/entries/ids?{filter}limit={ID_PAGE}&offset={offset}");
        let page: EntryIds = self.http.json(|| self.req(Method::GET, &path)).await?;
        Ok((page.entry_ids.unwrap_or_default(), page.total))
    }

    /// Sets read or unread on the server for `ids`, many per request.
    pub async fn set_read(&self, ids: &[i64], read: bool) -> Result<(), SyncError> {
        let status = if read { "read" } else { "unread" };
        for chunk in ids.chunks(IDS_PER_PUT) {
            let body = json!({ "entry_ids": chunk, "status": status });
            let response = self
                .http
                .send(|| with_json(self.req(Method::PUT, "/v1/entries"), &body))
                .await?;
            self.http.expect_success(response).await?;
        }
        Ok(())
    }

    /// Stars or unstars on the server. With id sets, many per request; older
    /// servers only toggle one entry at a time, so each entry's state is read
    /// first and toggled only when it differs (a blind toggle would undo a star
    /// made elsewhere).
    pub async fn set_starred(
        &self,
        ids: &[i64],
        starred: bool,
        caps: Capabilities,
    ) -> Result<(), SyncError> {
        if caps.id_sets {
            for chunk in ids.chunks(IDS_PER_PUT) {
                let body = json!({ "entry_ids": chunk, "starred": starred });
                let response = self
                    .http
                    .send(|| with_json(self.req(Method::PUT, "/v1/entries"), &body))
                    .await?;
                self.http.expect_success(response).await?;
            }
            return Ok(());
        }
        for id in ids {
            let path = format!("/v1/entries/{id}");
            let response = self.http.send(|| self.req(Method::GET, &path)).await?;
            if response.status() == reqwest::StatusCode::NOT_FOUND {
                // Deleted on the server: nothing to star there.
                continue;
            }
            let response = self.http.expect_success(response).await?;
            let bytes = response
                .bytes()
                .await
                .map_err(|err| self.http.protocol(err.to_string()))?;
            let entry: Entry = serde_json::from_slice(&bytes)
                .map_err(|err| self.http.protocol(format!("bad JSON: {err}")))?;
            if entry.starred != starred {
                let toggle = format!("/v1/entries/{id}/bookmark");
                let response = self.http.send(|| self.req(Method::PUT, &toggle)).await?;
                self.http.expect_success(response).await?;
            }
        }
        Ok(())
    }

    /// Subscribes on the server (it fetches the feed before answering).
    pub async fn subscribe(&self, url: &str) -> Result<i64, SyncError> {
        #[derive(Deserialize)]
        struct Created {
            feed_id: i64,
        }
        #[derive(Deserialize)]
        struct Cat {
            id: i64,
        }
        let categories: Vec<Cat> = self
            .http
            .json(|| self.req(Method::GET, "/v1/categories"))
            .await?;
        let category = categories
            .first()
            .map(|cat| cat.id)
            .ok_or_else(|| self.http.protocol("the account has no category".into()))?;
        let body = json!({ "feed_url": url, "category_id": category });
        let created: Created = self
            .http
            .json(|| with_json(self.req(Method::POST, "/v1/feeds"), &body))
            .await?;
        Ok(created.feed_id)
    }

    /// Unsubscribes on the server.
    pub async fn unsubscribe(&self, remote_id: i64) -> Result<(), SyncError> {
        let path = format!("/v1/feeds/{remote_id}");
        let response = self.http.send(|| self.req(Method::DELETE, &path)).await?;
        self.http.expect_success(response).await?;
        Ok(())
    }
}

fn synced_feed(feed: Feed) -> SyncedFeed {
    let tags = feed
        .category
        .map(|cat| cat.title.trim().to_string())
        .filter(|title| !title.is_empty())
        .into_iter()
        .collect();
    SyncedFeed {
        remote_id: feed.id,
        title: if feed.title.trim().is_empty() {
            feed.feed_url.clone()
        } else {
            feed.title
        },
        url: feed.feed_url,
        site_url: Some(feed.site_url).filter(|url| !url.is_empty()),
        tags,
    }
}

/// Parses an RFC 3339 time to Unix seconds.
fn unix(text: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|time| time.timestamp())
        .filter(|secs| *secs > 0)
}

impl Entry {
    /// The server's id.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// When the server last changed the entry (Unix seconds).
    pub fn changed_at(&self) -> Option<i64> {
        unix(&self.changed_at)
    }

    /// Read on the server; "removed" (2.2's cleanup) counts as read.
    pub fn is_read(&self) -> bool {
        self.status != "unread"
    }

    /// Removed by the cleanup of a 2.2 server (2.3 deletes such entries).
    pub fn is_removed(&self) -> bool {
        self.status == "removed"
    }

    /// Starred on the server.
    pub fn is_starred(&self) -> bool {
        self.starred
    }

    /// The entry as a local item with the server's state.
    pub fn to_synced(self) -> SyncedEntry {
        // Taken apart, not cloned: a first sync moves 359 MB of text through here.
        // The same bytes as `format!("{id}\0{title}\0{content}")`, without the copy.
        let content_hash = blake3::Hasher::new()
            .update(self.id.to_string().as_bytes())
            .update(b"\0")
            .update(self.title.as_bytes())
            .update(b"\0")
            .update(self.content.as_bytes())
            .finalize()
            .to_hex()
            .to_string();
        let read = self.is_read();
        let item = ParsedItem {
            identity: crate::store::synced_identity(self.id),
            title: self.title,
            link: Some(self.url).filter(|url| !url.is_empty()),
            author: Some(self.author).filter(|author| !author.is_empty()),
            summary: None,
            content_html: Some(self.content).filter(|content| !content.is_empty()),
            published: unix(&self.published_at),
            updated: None,
            categories: self.tags.unwrap_or_default(),
            enclosures: self
                .enclosures
                .into_iter()
                .flatten()
                .map(|enclosure| crate::feed::Enclosure {
                    mime_type: Some(enclosure.mime_type).filter(|m| !m.is_empty()),
                    length: u64::try_from(enclosure.size).ok().filter(|size| *size > 0),
                    url: enclosure.url,
                    ..crate::feed::Enclosure::default()
                })
                .collect(),
            language: None,
            content_hash,
        };
        SyncedEntry {
            remote_id: self.id,
            remote_feed: self.feed_id,
            item,
            read,
            starred: self.starred,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_come_from_the_version() {
        assert!(!Capabilities::from_version("2.2.6").id_sets);
        assert!(!Capabilities::from_version("2.3.1").id_sets);
        assert!(Capabilities::from_version("2.3.2").id_sets);
        assert!(Capabilities::from_version("2.3.4").id_sets);
        assert!(Capabilities::from_version("v3.0.0-rc1").id_sets);
        assert!(!Capabilities::from_version("garbage").id_sets);
    }

    #[test]
    fn an_entry_becomes_an_item_with_the_server_state() {
        let entry: Entry = serde_json::from_str(
            r#"{"id":42,"feed_id":7,"status":"removed","title":"T","url":"http://x/1",
                "content":"<p>c</p>","author":"","published_at":"2026-11-30T10:00:00Z",
                "changed_at":"2026-11-30T11:00:00+01:00","starred":true,"tags":null,
                "enclosures":[{"url":"http://x/a.mp3","mime_type":"audio/mpeg","size":0}]}"#,
        )
        .unwrap();
        let changed = entry.changed_at();
        let synced = entry.to_synced();
        assert_eq!(synced.remote_id, 42);
        assert_eq!(synced.remote_feed, 7);
        assert!(synced.read, "removed counts as read");
        assert!(synced.starred);
        assert_eq!(synced.item.identity, "sync:42");
        assert_eq!(synced.item.published, Some(1_796_032_800));
        assert_eq!(changed, Some(1_796_032_800));
        let again = blake3::hash("42\0T\0<p>c</p>".as_bytes())
            .to_hex()
            .to_string();
        assert_eq!(synced.item.content_hash, again, "the hash stored before");
        assert_eq!(synced.item.author, None);
        assert_eq!(synced.item.enclosures.len(), 1);
    }
}
