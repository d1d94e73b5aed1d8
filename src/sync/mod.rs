//! Sync with a feed server (Miniflux's API, or any Google Reader API server such as
//! FreshRSS): the server's subscriptions become feeds, its entries items, and read
//! and starred state agree both ways.
//!
//! Local first: every mark is made in the local database at once and queued in the
//! outbox in the same transaction (`store::outbox`); a sync sends the outbox, pulls
//! new entries by an id cursor, and reconciles state from the server's id sets.
//! Files: `settings` (the `[sync]` config and its secret), `http` (requests,
//! retries, one-line errors), `miniflux` and `greader` (one client per API),
//! `reconcile` (the pure decision of who wins), `engine` (one sync, end to end),
//! `backoff` (failed syncs in a row, kept in the database, so cron backs off),
//! `pull` (new entries fetched on a thread of their own while pages are written),
//! `send` (the outbox in batches, each retried and backed off on its own),
//! `stage` (what a running sync is doing, for progress lines).

mod ahead;
pub mod backoff;
pub mod engine;
pub mod greader;
pub mod http;
pub mod miniflux;
pub mod pull;
pub mod reconcile;
mod report;
mod send;
mod sets;
pub mod settings;
pub mod stage;

pub use engine::{SyncReport, sync_once};
pub use settings::{Provider, Secret, SyncSettings};
pub use stage::SyncStage;

/// Why a sync failed; each says which server, in one line, without the secret.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No connection could be made (refused, DNS, timeout).
    #[error("cannot reach the sync server {server}: {detail}")]
    Unreachable {
        /// The server's address, without credentials.
        server: String,
        /// What failed.
        detail: String,
    },
    /// The server refused the username, password or token.
    #[error(
        "the sync server {server} refused the login: check [sync] username and password or token"
    )]
    Login {
        /// The server's address.
        server: String,
    },
    /// The TLS handshake failed (certificate, protocol).
    #[error("TLS failure talking to the sync server {server}: {detail}")]
    Tls {
        /// The server's address.
        server: String,
        /// What failed.
        detail: String,
    },
    /// The server kept answering with server errors.
    #[error(
        "the sync server {server} answered HTTP {status} {tries} times in a row; try again later"
    )]
    ServerError {
        /// The server's address.
        server: String,
        /// The last status.
        status: u16,
        /// How many requests in a row failed.
        tries: u32,
    },
    /// The address answers, but not as the provider's API: a wrong `[sync] url`
    /// (a path missing or extra, another site, a web page).
    #[error("the sync server {server} does not answer as {api} ({detail}): check [sync] url")]
    NotTheApi {
        /// The server's address.
        server: String,
        /// Which API was expected ("the Miniflux API").
        api: &'static str,
        /// What it answered instead.
        detail: String,
    },
    /// The server answered something this client does not understand.
    #[error("unexpected answer from the sync server {server}: {detail}")]
    Protocol {
        /// The server's address.
        server: String,
        /// What was wrong.
        detail: String,
    },
    /// The `[sync]` section cannot be used.
    #[error("[sync] in the config: {0}")]
    Settings(String),
    /// The local database failed.
    #[error("local database: {0}")]
    Store(#[from] crate::store::StoreError),
}

impl SyncError {
    /// The cause in few words, for the reader's status line (one row, 80
    /// columns or fewer): without the server's address, which the user set in
    /// `[sync] url` and a network cause names as its host already. The command
    /// line and the log say the whole error.
    pub fn cause(&self) -> String {
        match self {
            SyncError::Unreachable { detail, .. } => detail.clone(),
            SyncError::Tls { detail, .. } => format!("TLS: {detail}"),
            SyncError::Login { .. } => "login refused: check [sync] username, password".into(),
            SyncError::ServerError { status, tries, .. } => {
                format!("HTTP {status} {tries} times; try later")
            }
            SyncError::NotTheApi { api, .. } => format!("not {api}: check [sync] url"),
            SyncError::Protocol { detail, .. } => format!("unexpected answer: {detail}"),
            SyncError::Settings(_) | SyncError::Store(_) => self.to_string(),
        }
    }

    /// A protocol error on the first request, which only a wrong address
    /// explains (the login itself has its own error), said as one.
    pub(crate) fn at_login(self, api: &'static str) -> SyncError {
        match self {
            SyncError::Protocol { server, detail } => SyncError::NotTheApi {
                server,
                api,
                detail,
            },
            other => other,
        }
    }
}
