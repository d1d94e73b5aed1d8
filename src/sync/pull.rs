//! The pull of new Miniflux entries, pipelined: a thread of its own fetches and
//! decodes page after page (by the id cursor, oldest first) while the sync writes
//! the previous page into the database, so a first sync of 100,000 entries takes
//! about as long as the server needs to answer, not that plus the local work.
//! At most two decoded pages wait, so memory stays bounded.

use tokio::sync::mpsc;

use super::SyncError;
use super::miniflux::{self, Client};
use crate::store::SyncedEntry;

/// One page of entries, decoded.
pub struct Page {
    /// The entries as local items with the server's state.
    pub entries: Vec<SyncedEntry>,
    /// The highest entry id of the page: the cursor once it is stored.
    pub last: i64,
    /// The latest `changed_at` of the page (Unix seconds).
    pub changed: Option<i64>,
}

/// Pages after entry id `after`, until the server has no more; an error ends
/// the stream. Dropping the receiver stops the fetching thread.
pub fn spawn(
    client: Client,
    after: i64,
) -> Result<mpsc::Receiver<Result<Page, SyncError>>, SyncError> {
    let (tx, rx) = mpsc::channel(2);
    let server = client.server().to_string();
    std::thread::Builder::new()
        .name("khabar-sync-pull".into())
        .spawn(move || {
            let runtime = match crate::fetch::runtime(crate::fetch::Workers::CallerOnly) {
                Ok(runtime) => runtime,
                Err(err) => {
                    let _ = tx.blocking_send(Err(SyncError::Protocol {
                        server: client.server().to_string(),
                        detail: format!("cannot start the pull: {err}"),
                    }));
                    return;
                }
            };
            runtime.block_on(fetch_pages(&client, after, &tx));
        })
        .map_err(|err| SyncError::Protocol {
            server,
            detail: format!("cannot start the pull thread: {err}"),
        })?;
    Ok(rx)
}

async fn fetch_pages(client: &Client, mut cursor: i64, tx: &mpsc::Sender<Result<Page, SyncError>>) {
    loop {
        let page = match client.entries_after(cursor).await {
            Ok(page) => page,
            Err(err) => {
                let _ = tx.send(Err(err)).await;
                return;
            }
        };
        let Some(last) = page.iter().map(miniflux::Entry::id).max() else {
            return;
        };
        let full = page.len() >= miniflux::PAGE;
        let changed = page.iter().filter_map(miniflux::Entry::changed_at).max();
        let decoded = Page {
            entries: page.into_iter().map(miniflux::Entry::to_synced).collect(),
            last,
            changed,
        };
        if tx.send(Ok(decoded)).await.is_err() || !full {
            return;
        }
        cursor = last;
    }
}
