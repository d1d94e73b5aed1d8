//! Requests to the sync server: one client, retries with backoff for what can
//! pass (no connection, timeouts, 5xx, 429), and every failure turned into a
//! one-line [`SyncError`] naming the server. Nothing here logs a header or a body,
//! so the secret cannot reach the log.

use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode};

use super::SyncError;

/// Waits between tries of one request: about 15 s in all before giving up, so a
/// server restarting is ridden out and a dead one is reported quickly.
const BACKOFF_MS: &[u64] = &[250, 500, 1_000, 2_000, 4_000, 8_000];

/// The delays between tries; `KHABAR_SYNC_RETRY_MS` (comma-separated) replaces
/// them, for tests that must not wait.
fn backoff() -> Vec<Duration> {
    if let Ok(text) = std::env::var("KHABAR_SYNC_RETRY_MS") {
        let custom: Vec<Duration> = text
            .split(',')
            .filter_map(|part| part.trim().parse().ok())
            .map(Duration::from_millis)
            .collect();
        if !custom.is_empty() || text.trim().is_empty() {
            return custom;
        }
    }
    BACKOFF_MS
        .iter()
        .copied()
        .map(Duration::from_millis)
        .collect()
}

/// Longest wait for the server's next byte, its answer or the rest of its body:
/// a live server answers at once and sends a long answer without pausing.
const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Tries of one request that timed out. A server that took the connection and
/// then said nothing twice is hung (its database locked, a proxy waiting on a
/// dead upstream), not restarting: with every try waiting out its timeout, the
/// retries for a refused connection would keep `khabar sync` for minutes.
const TIMEOUT_TRIES: u32 = 2;

/// [`READ_TIMEOUT`]; `KHABAR_SYNC_TIMEOUT_MS` replaces it, for tests that must
/// not wait.
fn read_timeout() -> Duration {
    std::env::var("KHABAR_SYNC_TIMEOUT_MS")
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .map_or(READ_TIMEOUT, Duration::from_millis)
}

/// The HTTP side of one server.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    server: String,
}

impl Http {
    /// A client for `server` (its address, as messages show it).
    pub fn new(server: String) -> Result<Http, SyncError> {
        crate::fetch::install_crypto_provider();
        let client = reqwest::Client::builder()
            .user_agent(concat!("khabar/", env!("CARGO_PKG_VERSION"), " (sync)"))
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(read_timeout())
            .timeout(Duration::from_secs(120))
            .gzip(true)
            .tcp_nodelay(true)
            .build()
            .map_err(|err| SyncError::Unreachable {
                server: server.clone(),
                detail: format!(
                    "cannot set up the HTTP client: {}",
                    crate::fetch::network_error::describe(&server, false, &err)
                ),
            })?;
        Ok(Http { client, server })
    }

    /// The server's address, for messages.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The underlying client, to build requests.
    pub fn request(&self, method: Method, url: &str) -> RequestBuilder {
        self.client.request(method, url)
    }

    /// Sends the request built by `build` (called again for every try), retrying
    /// what can pass. A 401/403 is a refused login; any other 4xx is returned to
    /// the caller as a response to judge.
    pub async fn send(&self, build: impl Fn() -> RequestBuilder) -> Result<Response, SyncError> {
        let delays = backoff();
        let mut tries = 0u32;
        let mut timeouts = 0u32;
        loop {
            tries += 1;
            let error = match build().send().await {
                Ok(response) => {
                    let status = response.status();
                    if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
                        return Err(SyncError::Login {
                            server: self.server.clone(),
                        });
                    }
                    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
                        SyncError::ServerError {
                            server: self.server.clone(),
                            status: status.as_u16(),
                            tries,
                        }
                    } else {
                        return Ok(response);
                    }
                }
                Err(err) => {
                    timeouts += u32::from(err.is_timeout());
                    self.transport_error(&err)
                }
            };
            let Some(delay) = delays.get(tries as usize - 1) else {
                return Err(error);
            };
            if timeouts >= TIMEOUT_TRIES {
                return Err(error);
            }
            tracing::info!(server = %self.server, tries, "sync request failed ({error}); retrying");
            tokio::time::sleep(*delay).await;
        }
    }

    /// Sends and reads a JSON answer; a status other than 2xx is a protocol error.
    pub async fn json<T: serde::de::DeserializeOwned>(
        &self,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<T, SyncError> {
        let response = self.send(build).await?;
        let response = self.expect_success(response).await?;
        let bytes = response
            .bytes()
            .await
            .map_err(|err| self.transport_error(&err))?;
        serde_json::from_slice(&bytes).map_err(|err| self.protocol(format!("bad JSON: {err}")))
    }

    /// [`Http::json`], with the server's clock from the `Date` header (Unix
    /// seconds), when it sent one.
    pub async fn json_dated<T: serde::de::DeserializeOwned>(
        &self,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<(T, Option<i64>), SyncError> {
        let response = self.send(build).await?;
        let response = self.expect_success(response).await?;
        let date = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|value| value.to_str().ok())
            .and_then(http_date);
        let bytes = response
            .bytes()
            .await
            .map_err(|err| self.transport_error(&err))?;
        let value = serde_json::from_slice(&bytes)
            .map_err(|err| self.protocol(format!("bad JSON: {err}")))?;
        Ok((value, date))
    }

    /// A 2xx response, else a protocol error with the server's message.
    pub async fn expect_success(&self, response: Response) -> Result<Response, SyncError> {
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let url = response.url().path().to_string();
        let body = response.text().await.unwrap_or_default();
        Err(self.protocol(format!(
            "HTTP {} for {url}{}",
            status.as_u16(),
            body_message(&body)
        )))
    }

    /// A protocol error about this server.
    pub fn protocol(&self, detail: String) -> SyncError {
        SyncError::Protocol {
            server: self.server.clone(),
            detail,
        }
    }

    /// The cause in the words a feed's network error uses (`fetch::network_error`:
    /// "connection refused by HOST", "cannot resolve HOST: …"), after the prefix
    /// of [`SyncError`] that names the sync server.
    fn transport_error(&self, err: &reqwest::Error) -> SyncError {
        let host = crate::fetch::network_error::host(err);
        let detail = crate::fetch::network_error::describe(&host, err.is_connect(), err);
        let lower = detail.to_lowercase();
        if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
            return SyncError::Tls {
                server: self.server.clone(),
                detail,
            };
        }
        if err.is_timeout() {
            let detail = if err.is_connect() {
                "timed out connecting".to_string()
            } else {
                "timed out waiting for its answer".to_string()
            };
            return SyncError::Unreachable {
                server: self.server.clone(),
                detail,
            };
        }
        SyncError::Unreachable {
            server: self.server.clone(),
            detail,
        }
    }
}

/// The server's message in an error answer, for a one-line error: `: ` and its
/// first 200 characters with whitespace collapsed, or nothing for an empty body
/// or a web page (its markup says nothing to the user).
fn body_message(body: &str) -> String {
    let text = body.trim_start();
    if text.is_empty() || text.starts_with('<') {
        return String::new();
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let message: String = words.join(" ").chars().take(200).collect();
    format!(": {message}")
}

/// An HTTP `Date` (`Mon, 30 Nov 2026 17:28:50 GMT`) as Unix seconds.
fn http_date(text: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc2822(text)
        .ok()
        .map(|time| time.timestamp())
}

/// A JSON request body (reqwest is built without its `json` feature).
pub fn with_json(builder: RequestBuilder, body: &serde_json::Value) -> RequestBuilder {
    builder
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_string())
}

/// `application/x-www-form-urlencoded` pairs, keys repeated as given.
pub fn form_encode(pairs: &[(&str, String)]) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        out.append_pair(key, value);
    }
    out.finish()
}

/// A form request body (reqwest is built without its `form` feature).
pub fn with_form(builder: RequestBuilder, pairs: &[(&str, String)]) -> RequestBuilder {
    builder
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(form_encode(pairs))
}

#[cfg(test)]
mod tests {
    use super::{body_message, http_date};

    #[test]
    fn an_error_answer_is_one_line_and_a_web_page_is_left_out() {
        assert_eq!(
            body_message("{\"error_message\":\"bad\nrequest\"}\n"),
            ": {\"error_message\":\"bad request\"}"
        );
        assert_eq!(
            body_message("\n<!DOCTYPE HTML>\n<html><p>Error code: 404</p></html>"),
            ""
        );
        assert_eq!(body_message(""), "");
        assert_eq!(body_message(&"x".repeat(300)).len(), 202);
    }

    #[test]
    fn the_date_header_is_read_as_unix_seconds() {
        assert_eq!(
            http_date("Mon, 30 Nov 2026 10:00:00 GMT"),
            Some(1_796_032_800)
        );
        assert_eq!(http_date("yesterday"), None);
    }
}
