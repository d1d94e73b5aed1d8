//! HTTP fetching of feeds and pages: bounded concurrency, per-host limits,
//! timeouts, conditional GET, a decompressed-size cap; `file://` and plain paths
//! (`file`); the commands of `exec:` and `filter:` feeds (`command`), under the
//! same limits.
//!
//! Redirects are followed here, not by reqwest, so a chain of permanent redirects
//! (301/308) from the stored URL can be reported and the stored URL updated.

mod activity;
pub(crate) mod network_error;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, CONTENT_TYPE, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
    LOCATION, RETRY_AFTER,
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

mod command;
mod file;
mod runtime;

pub use activity::NetworkActivity;
pub use runtime::{Workers, run_on_workers, runtime};

use crate::config::FetchConfig;
use crate::core::FetchState;
use crate::feed::command_url::{CommandFeed, is_command_url};
use crate::feed::encoding::charset_from_content_type;

const ACCEPT_FEEDS: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
     application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5, */*;q=0.3";

/// Why a fetch failed; the message is what `khabar feeds` shows.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The text is neither a URL nor a path.
    #[error("not a URL or path: {0}")]
    BadUrl(String),
    /// The server answered with an error status.
    #[error("HTTP {status}")]
    Status {
        /// The status.
        status: StatusCode,
    },
    /// 429 or 503 with a `Retry-After`: the feed is paused that long (capped).
    #[error("HTTP {status}: the server asks to wait {retry_after_secs} s (Retry-After)")]
    RetryAfter {
        /// 429 or 503.
        status: StatusCode,
        /// The pause asked for, capped at a day.
        retry_after_secs: u64,
    },
    /// No complete answer within the timeout (seconds).
    #[error("timed out after {0} s")]
    Timeout(u64),
    /// The body passed `max_feed_bytes`.
    #[error("response larger than {0} bytes (max_feed_bytes)")]
    TooLarge(u64),
    /// A redirect chain longer than `max_redirects`.
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    /// A redirect without a usable `Location`.
    #[error("redirect without a usable Location header")]
    BadRedirect,
    /// Connection, TLS or protocol failure; the chain of causes.
    #[error("{0}")]
    Network(String),
    /// A local file could not be read.
    #[error("cannot read {path}: {source}")]
    File {
        /// The path.
        path: String,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// The HTTP client could not be built.
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
    /// An `exec:`/`filter:` feed's command failed: how, and the first line of
    /// its standard error.
    #[error("{0}")]
    Command(String),
}

/// A successful response body and what came with it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    /// The body, decompressed.
    pub bytes: Vec<u8>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The Content-Type's charset parameter.
    pub charset: Option<String>,
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
    /// Where the body finally came from (after redirects).
    pub final_url: String,
}

/// What a fetch brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchOutcome {
    /// 304: the validators matched.
    NotModified,
    /// A body (200).
    Body(Body),
}

/// A completed fetch, and the URL to store when permanent redirects moved the feed.
#[derive(Debug)]
pub struct Fetched {
    /// What came back.
    pub outcome: FetchOutcome,
    /// Set when permanent redirects moved the feed.
    pub new_url: Option<String>,
    /// Concurrency slots held until dropped, so a caller can keep holding them
    /// while it waits for a parser (which bounds the bodies held in memory).
    pub permit: FetchPermit,
}

/// A global and a per-host concurrency slot.
#[derive(Debug)]
pub struct FetchPermit {
    _host: Option<OwnedSemaphorePermit>,
    _global: Option<OwnedSemaphorePermit>,
}

/// Installs the ring crypto provider for rustls once per process (reqwest is built
/// without a default provider).
pub fn install_crypto_provider() {
    // An error only means a provider is already installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A shared HTTP client with khabar's limits.
pub struct Fetcher {
    client: reqwest::Client,
    config: FetchConfig,
    global: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
    /// Answers being read, for extraction to start pages between them.
    activity: Arc<NetworkActivity>,
}

impl Fetcher {
    /// A fetcher with `config`'s limits and timeouts.
    pub fn new(config: &FetchConfig) -> Result<Fetcher, FetchError> {
        install_crypto_provider();
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(Duration::from_secs(config.connect_timeout_secs.max(1)))
            .timeout(Duration::from_secs(config.timeout_secs.max(1)))
            .redirect(reqwest::redirect::Policy::none())
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .pool_max_idle_per_host(config.per_host.max(1))
            .tcp_nodelay(true)
            .build()
            .map_err(|err| FetchError::Client(crate::text::error_line::one_line(&err)))?;
        Ok(Fetcher {
            client,
            config: config.clone(),
            global: Arc::new(Semaphore::new(config.concurrency.max(1))),
            hosts: Mutex::new(HashMap::new()),
            activity: Arc::default(),
        })
    }

    /// When this fetcher reads answers: CPU work done beside it (extraction)
    /// starts its next piece when the network is quiet.
    pub fn activity(&self) -> Arc<NetworkActivity> {
        self.activity.clone()
    }

    /// Fetches `url` (http, https, `file://` or a plain path), sending the
    /// validators in `state`. Waits for a free slot first. An `exec:` or
    /// `filter:` feed runs its command ([`Fetcher::fetch_command`]).
    pub async fn fetch(&self, url: &str, state: &FetchState) -> Result<Fetched, FetchError> {
        if is_command_url(url) {
            return self.fetch_command(url).await;
        }
        let permit = self.acquire(url).await;
        let total = Duration::from_secs(self.config.timeout_secs.max(1));
        let result = if is_http(url) {
            match tokio::time::timeout(total, self.fetch_http(url, state)).await {
                Ok(result) => result,
                Err(_) => Err(FetchError::Timeout(self.config.timeout_secs)),
            }
        } else {
            file::fetch_file(url, self.config.max_feed_bytes)
                .await
                .map(|body| (FetchOutcome::Body(body), None))
        };
        let (outcome, new_url) = result?;
        Ok(Fetched {
            outcome,
            new_url,
            permit,
        })
    }

    /// An `exec:` feed: the command's output, never the network. A `filter:`
    /// feed: its URL's whole body (no validators: a 304 would leave the filter
    /// nothing to read), piped through the command. One slot of the same budget
    /// as other feeds (and the URL's host slot) is held throughout.
    async fn fetch_command(&self, location: &str) -> Result<Fetched, FetchError> {
        let feed = CommandFeed::parse(location).ok_or_else(|| {
            FetchError::BadUrl(format!("{location} (exec:COMMAND or filter:COMMAND:URL)"))
        })?;
        let timeout = Duration::from_secs(self.config.timeout_secs.max(1));
        let cap = self.config.max_feed_bytes;
        let (permit, input, final_url, new_url) = match feed {
            // Relative links resolve against the feed's own <link>, as for a file.
            CommandFeed::Exec { .. } => (self.acquire(location).await, None, String::new(), None),
            CommandFeed::Filter { command, url } => {
                if is_command_url(url) {
                    return Err(FetchError::BadUrl(format!(
                        "{location} (a filter's URL cannot be another command)"
                    )));
                }
                let permit = self.acquire(url).await;
                let (body, moved) = if is_http(url) {
                    let fetched =
                        tokio::time::timeout(timeout, self.fetch_http(url, &FetchState::default()))
                            .await
                            .map_err(|_| FetchError::Timeout(self.config.timeout_secs))??;
                    let body = match fetched.0 {
                        FetchOutcome::Body(body) => body,
                        // Not asked for: no validators were sent.
                        FetchOutcome::NotModified => Body::default(),
                    };
                    (body, fetched.1)
                } else {
                    (
                        file::fetch_file(url, self.config.max_feed_bytes).await?,
                        None,
                    )
                };
                let base = body.final_url.clone();
                // A permanent redirect of the URL moves the feed as for an http
                // feed, the command kept (the new URL is http(s): only such
                // redirects are followed).
                let new_url = moved.map(|moved| format!("filter:{command}:{moved}"));
                (permit, Some(body.bytes), base, new_url)
            }
        };
        let bytes = command::run(feed.command(), input, timeout, cap).await?;
        Ok(Fetched {
            outcome: FetchOutcome::Body(Body {
                bytes,
                final_url,
                ..Body::default()
            }),
            new_url,
            permit,
        })
    }

    async fn acquire(&self, url: &str) -> FetchPermit {
        let host = Url::parse(url).ok().and_then(|u| {
            u.host_str()
                .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0)))
        });
        let host_slots = host.map(|host| {
            let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            hosts
                .entry(host)
                .or_insert_with(|| Arc::new(Semaphore::new(self.config.per_host.max(1))))
                .clone()
        });
        // Host first: a feed waiting for its host must not hold a global slot.
        let host_permit = match host_slots {
            Some(slots) => slots.acquire_owned().await.ok(),
            None => None,
        };
        let global_permit = self.global.clone().acquire_owned().await.ok();
        FetchPermit {
            _host: host_permit,
            _global: global_permit,
        }
    }

    async fn fetch_http(
        &self,
        start: &str,
        state: &FetchState,
    ) -> Result<(FetchOutcome, Option<String>), FetchError> {
        let mut url = Url::parse(start).map_err(|_| FetchError::BadUrl(start.to_string()))?;
        let mut moved_permanently: Option<String> = None;
        let mut all_permanent = true;
        for _ in 0..=self.config.max_redirects {
            let mut request = self.client.get(url.clone()).header(ACCEPT, ACCEPT_FEEDS);
            if let Some(etag) = &state.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(modified) = &state.last_modified {
                request = request.header(IF_MODIFIED_SINCE, modified);
            }
            let sent = self.activity.sent();
            let mut response = request.send().await.map_err(|e| self.network_error(&e))?;
            // Until the body is read (or this answer is left for a redirect's).
            let _reading = sent.answered();
            let status = response.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let next = response
                    .headers()
                    .get(LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| url.join(l.trim()).ok())
                    // Never to `file:`, `exec:` or any other scheme: a server
                    // must not turn a feed into a local file or a command.
                    .filter(|next| matches!(next.scheme(), "http" | "https"))
                    .ok_or(FetchError::BadRedirect)?;
                let permanent = matches!(
                    status,
                    StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
                );
                all_permanent &= permanent;
                if all_permanent {
                    moved_permanently = Some(next.to_string());
                }
                url = next;
                continue;
            }
            if status == StatusCode::NOT_MODIFIED {
                return Ok((FetchOutcome::NotModified, moved_permanently));
            }
            if !status.is_success() {
                if let Some(retry_after_secs) = retry_after(status, response.headers()) {
                    return Err(FetchError::RetryAfter {
                        status,
                        retry_after_secs,
                    });
                }
                return Err(FetchError::Status { status });
            }
            let headers = response.headers().clone();
            let bytes = self.read_capped(&mut response).await?;
            let body = body_from(bytes, &headers, url.to_string());
            return Ok((FetchOutcome::Body(body), moved_permanently));
        }
        Err(FetchError::TooManyRedirects(self.config.max_redirects))
    }

    /// Reads the (already decompressed) body, stopping at `max_feed_bytes` so a
    /// compression bomb is cut off.
    async fn read_capped(&self, response: &mut reqwest::Response) -> Result<Vec<u8>, FetchError> {
        let cap = self.config.max_feed_bytes;
        if response.content_length().is_some_and(|len| len > cap) {
            return Err(FetchError::TooLarge(cap));
        }
        let mut bytes = Vec::with_capacity(response.content_length().unwrap_or(64 * 1024) as usize);
        while let Some(chunk) = response.chunk().await.map_err(|e| self.network_error(&e))? {
            if bytes.len() as u64 + chunk.len() as u64 > cap {
                return Err(FetchError::TooLarge(cap));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    fn network_error(&self, err: &reqwest::Error) -> FetchError {
        let host = network_error::host(err);
        let host = host.as_str();
        if err.is_timeout() && err.is_connect() {
            FetchError::Network(format!(
                "no connection to {host} within {} s",
                self.config.connect_timeout_secs
            ))
        } else if err.is_timeout() {
            FetchError::Timeout(self.config.timeout_secs)
        } else {
            FetchError::Network(network_error::describe(host, err.is_connect(), err))
        }
    }
}

impl FetchError {
    /// How long the server asked to be left alone (Retry-After), if it did.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            FetchError::RetryAfter {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        }
    }
}

/// A pause longer than this is taken as this: a hostile or broken server must not
/// silence a feed for good.
const MAX_RETRY_AFTER_SECS: u64 = 24 * 60 * 60;

/// The `Retry-After` of a 429 or 503, in seconds from now: delay-seconds or an
/// HTTP date (RFC 9110 §10.2.3), capped at [`MAX_RETRY_AFTER_SECS`].
fn retry_after(status: StatusCode, headers: &HeaderMap) -> Option<u64> {
    if !matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
    ) {
        return None;
    }
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let secs = match value.parse::<u64>() {
        Ok(secs) => secs,
        Err(_) => {
            let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
            let secs = when.timestamp() - chrono::Utc::now().timestamp();
            u64::try_from(secs).unwrap_or(0)
        }
    };
    (secs > 0).then_some(secs.min(MAX_RETRY_AFTER_SECS))
}

fn body_from(bytes: Vec<u8>, headers: &HeaderMap, final_url: String) -> Body {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header(CONTENT_TYPE);
    Body {
        bytes,
        charset: content_type.as_deref().and_then(charset_from_content_type),
        content_type,
        etag: header(ETAG),
        last_modified: header(LAST_MODIFIED),
        final_url,
    }
}

/// True for http(s) URLs; anything else is a file.
pub fn is_http(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}
