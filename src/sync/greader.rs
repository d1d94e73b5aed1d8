//! A client for the Google Reader API (FreshRSS's `api/greader.php`, Miniflux's
//! `/reader/api/0`, and other servers), and its sync: ids first, contents only for
//! entries not held, state from the read and starred id sets.
//!
//! Item ids come as decimal strings from `stream/items/ids` and as
//! `tag:google.com,2005:reader/item/<16 hex digits>` elsewhere; both are the same
//! 64-bit number, stored as the server's id. Labels are matched on their
//! `/state/com.google/...` suffix: Miniflux writes `user/1/state/...`.

use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use serde::Deserialize;

use super::SyncError;
use super::engine::{self, SyncReport, keys};
use super::http::{Http, form_encode, with_form};
use super::reconcile::{ServerState, Unread};
use super::settings::{Credentials, SyncSettings};
use super::stage::SyncStage;
use crate::store::{Flag, Store, SyncedEntry, SyncedFeed};

mod convert;

pub use convert::{long_item_id, parse_item_id};
use convert::{synced_feed, to_synced};

const READING_LIST: &str = "user/-/state/com.google/reading-list";
const READ: &str = "user/-/state/com.google/read";
const STARRED: &str = "user/-/state/com.google/starred";
const ITEM_PREFIX: &str = "tag:google.com,2005:reader/item/";
/// Ids per `stream/items/ids` page.
const IDS_PAGE: usize = 10_000;
/// Items per `stream/items/contents` and per `edit-tag`.
const ITEMS_PER_POST: usize = 250;

/// One logged-in account.
pub struct Client {
    http: Http,
    base: String,
    auth: String,
    /// The POST token (`T`), fetched once per sync.
    token: String,
}

#[derive(Deserialize)]
struct Subscriptions {
    #[serde(default)]
    subscriptions: Vec<Subscription>,
}

#[derive(Deserialize)]
struct Subscription {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    url: String,
    #[serde(default, rename = "htmlUrl")]
    html_url: String,
    #[serde(default)]
    categories: Vec<Label>,
}

#[derive(Deserialize)]
struct Label {
    #[serde(default)]
    id: String,
    #[serde(default)]
    label: String,
}

#[derive(Deserialize)]
struct ItemIds {
    #[serde(default, rename = "itemRefs")]
    item_refs: Option<Vec<ItemRef>>,
    #[serde(default)]
    continuation: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct ItemRef {
    id: String,
}

#[derive(Deserialize)]
struct Contents {
    #[serde(default)]
    items: Vec<Item>,
}

/// An item as `stream/items/contents` sends it.
#[derive(Deserialize)]
pub struct Item {
    id: String,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    published: i64,
    #[serde(default)]
    author: String,
    #[serde(default)]
    alternate: Vec<Href>,
    #[serde(default)]
    canonical: Vec<Href>,
    #[serde(default)]
    summary: Option<Content>,
    #[serde(default)]
    content: Option<Content>,
    origin: Option<Origin>,
    #[serde(default)]
    enclosure: Vec<ItemEnclosure>,
}

#[derive(Deserialize)]
struct Href {
    #[serde(default)]
    href: String,
}

#[derive(Deserialize)]
struct Content {
    #[serde(default)]
    content: String,
}

#[derive(Deserialize)]
struct Origin {
    #[serde(default, rename = "streamId")]
    stream_id: String,
}

#[derive(Deserialize)]
struct ItemEnclosure {
    #[serde(default, alias = "href")]
    url: String,
    #[serde(default, rename = "type")]
    mime_type: String,
}

/// What a wrong `[sync] url` is told it does not answer as.
const API: &str = "a Google Reader API";

impl Client {
    /// Logs in (`ClientLogin`) and fetches the POST token.
    pub async fn login(settings: &SyncSettings) -> Result<Client, SyncError> {
        let http = Http::new(settings.server())?;
        let base = settings.server();
        let Credentials::Password { username, password } = &settings.credentials else {
            return Err(SyncError::Settings(
                "greader needs username and a password".into(),
            ));
        };
        let form = [
            ("Email", username.clone()),
            ("Passwd", password.expose().to_string()),
        ];
        let response = http
            .send(|| {
                with_form(
                    http.request(Method::POST, &format!("{base}/accounts/ClientLogin")),
                    &form,
                )
            })
            .await?;
        // No such page: the address is wrong, not the password (a FreshRSS
        // URL without `/api/greader.php`).
        let missing = [
            StatusCode::NOT_FOUND,
            StatusCode::METHOD_NOT_ALLOWED,
            StatusCode::GONE,
        ];
        if response.status().is_client_error() && !missing.contains(&response.status()) {
            return Err(SyncError::Login {
                server: http.server().to_string(),
            });
        }
        let response = http
            .expect_success(response)
            .await
            .map_err(|err| err.at_login(API))?;
        let body = response
            .text()
            .await
            .map_err(|err| http.protocol(err.to_string()))?;
        let auth = body
            .lines()
            .find_map(|line| line.strip_prefix("Auth="))
            .map(str::trim)
            .filter(|auth| !auth.is_empty())
            .ok_or_else(|| {
                http.protocol("ClientLogin answered without Auth=".into())
                    .at_login(API)
            })?
            .to_string();
        let mut client = Client {
            http,
            base,
            auth,
            token: String::new(),
        };
        let response = client
            .http
            .send(|| client.req(Method::GET, "/reader/api/0/token"))
            .await?;
        let response = client.http.expect_success(response).await?;
        client.token = response
            .text()
            .await
            .map_err(|err| client.http.protocol(err.to_string()))?
            .trim()
            .to_string();
        Ok(client)
    }

    fn req(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, &format!("{}{path}", self.base))
            .header("Authorization", format!("GoogleLogin auth={}", self.auth))
    }

    /// The subscriptions, with their labels as tags.
    pub async fn feeds(&self) -> Result<Vec<SyncedFeed>, SyncError> {
        let list: Subscriptions = self
            .http
            .json(|| self.req(Method::GET, "/reader/api/0/subscription/list?output=json"))
            .await?;
        Ok(list.subscriptions.into_iter().map(synced_feed).collect())
    }

    /// Every id in `stream` (minus those in `exclude`), following continuations.
    pub async fn ids(
        &self,
        stream: &str,
        exclude: Option<&str>,
    ) -> Result<HashSet<i64>, SyncError> {
        let mut ids = HashSet::new();
        let mut continuation: Option<String> = None;
        loop {
            let mut query: Vec<(&str, String)> = vec![
                ("output", "json".to_string()),
                ("s", stream.to_string()),
                ("n", IDS_PAGE.to_string()),
            ];
            if let Some(exclude) = exclude {
                query.push(("xt", exclude.to_string()));
            }
            if let Some(c) = &continuation {
                query.push(("c", c.clone()));
            }
            let path = format!("/reader/api/0/stream/items/ids?{}", form_encode(&query));
            let page: ItemIds = self.http.json(|| self.req(Method::GET, &path)).await?;
            let refs = page.item_refs.unwrap_or_default();
            let before = ids.len();
            for item in &refs {
                match parse_item_id(&item.id) {
                    Some(id) => {
                        ids.insert(id);
                    }
                    None => tracing::warn!(id = %item.id, "item id not understood"),
                }
            }
            let next = match page.continuation {
                Some(serde_json::Value::String(text)) if !text.is_empty() => Some(text),
                Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                _ => None,
            };
            // No continuation, an empty page or nothing new: the end (a server that
            // repeats a continuation must not loop forever).
            if next.is_none() || refs.is_empty() || ids.len() == before || next == continuation {
                return Ok(ids);
            }
            continuation = next;
        }
    }

    /// The contents of `ids`.
    pub async fn contents(&self, ids: &[i64]) -> Result<Vec<Item>, SyncError> {
        let mut form: Vec<(&str, String)> = vec![("T", self.token.clone())];
        form.extend(ids.iter().map(|id| ("i", long_item_id(*id))));
        let contents: Contents = self
            .http
            .json(|| {
                with_form(
                    self.req(
                        Method::POST,
                        "/reader/api/0/stream/items/contents?output=json",
                    ),
                    &form,
                )
            })
            .await?;
        Ok(contents.items)
    }

    /// Adds or removes a state label (`read`, `starred`) on `ids`.
    pub async fn edit_tag(&self, ids: &[i64], label: &str, add: bool) -> Result<(), SyncError> {
        let mut form: Vec<(&str, String)> = vec![("T", self.token.clone())];
        form.push((if add { "a" } else { "r" }, label.to_string()));
        form.extend(ids.iter().map(|id| ("i", long_item_id(*id))));
        let response = self
            .http
            .send(|| with_form(self.req(Method::POST, "/reader/api/0/edit-tag"), &form))
            .await?;
        self.http.expect_success(response).await?;
        Ok(())
    }
}

impl Client {
    /// Subscribes on the server.
    pub async fn subscribe(&self, url: &str) -> Result<(), SyncError> {
        let form = [("T", self.token.clone()), ("quickadd", url.to_string())];
        let response = self
            .http
            .send(|| {
                with_form(
                    self.req(Method::POST, "/reader/api/0/subscription/quickadd"),
                    &form,
                )
            })
            .await?;
        self.http.expect_success(response).await?;
        Ok(())
    }

    /// Unsubscribes on the server.
    pub async fn unsubscribe(&self, remote_id: i64) -> Result<(), SyncError> {
        let form = [
            ("T", self.token.clone()),
            ("ac", "unsubscribe".to_string()),
            ("s", format!("feed/{remote_id}")),
        ];
        let response = self
            .http
            .send(|| {
                with_form(
                    self.req(Method::POST, "/reader/api/0/subscription/edit"),
                    &form,
                )
            })
            .await?;
        self.http.expect_success(response).await?;
        Ok(())
    }
}

/// Runs one sync against a Google Reader API server.
pub(super) async fn run(
    store: &mut Store,
    settings: &SyncSettings,
    progress: &mut (dyn FnMut(SyncStage) + Send),
) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    progress(SyncStage::LoggingIn);
    let client = Client::login(settings).await?;
    store.set_sync_values(&[
        (keys::VERSION, "greader".to_string()),
        (keys::CAPABILITIES, "greader".to_string()),
    ])?;
    report.version = "greader".into();

    progress(SyncStage::SendingMarks);
    let sent = super::send::send_outbox(store, |flag, value, ids| {
        let client = &client;
        async move {
            let label = match flag {
                Flag::Read => READ,
                Flag::Starred => STARRED,
            };
            for chunk in ids.chunks(ITEMS_PER_POST) {
                client.edit_tag(chunk, label, value).await?;
            }
            Ok(())
        }
    })
    .await?;
    report.sent = sent.sent;
    report.unsent = sent.unsent;

    progress(SyncStage::ReadingSubscriptions);
    let feeds = client.feeds().await?;
    report.feeds = feeds.len();
    // Said in the summary as with Miniflux; the store refuses them.
    report.refused_feeds = engine::command_feeds(&feeds).len();
    let map = store.sync_feeds(&feeds)?;

    let all = client.ids(READING_LIST, None).await?;
    let held = store.held_remote_ids()?;
    let mut missing: Vec<i64> = all.difference(&held).copied().collect();
    // Oldest (smallest id) first, so an interrupted pull has stored a prefix.
    missing.sort_unstable();
    for chunk in missing.chunks(ITEMS_PER_POST) {
        let items = client.contents(chunk).await?;
        let entries: Vec<SyncedEntry> = items.iter().filter_map(to_synced).collect();
        let now = chrono::Utc::now().timestamp();
        report.new += store.sync_write_entries(&map, &entries, &[], now)?;
        progress(SyncStage::NewEntries(report.new));
    }

    progress(SyncStage::Reconciling);
    let states = store.synced_states()?;
    // `all` is every entry the server holds: one in neither set is read if it is
    // there, and deleted by the server's cleanup if not.
    let server = ServerState::Sets {
        unread: Unread::Listed(client.ids(READING_LIST, Some(READ)).await?),
        starred: client.ids(STARRED, None).await?,
        existing: Some(all),
    };
    engine::apply_server_state(store, &states, &server, &[], &mut report)?;
    Ok(report)
}
