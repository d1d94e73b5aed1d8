//! What changed on the server since a time: the changed-since check (how many
//! entries, with one of them) and, for servers without id sets, the changed
//! entries themselves.

use reqwest::Method;

use super::{Client, Entries, Entry, PAGE};
use crate::sync::SyncError;

/// What a changed-since check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed {
    /// How many entries changed.
    pub count: usize,
    /// One of them: its id and whether it is read now.
    pub sample: Option<(i64, bool)>,
}

impl Client {
    /// How many entries changed (read, unread, star, new) after `since`, Unix
    /// seconds of the server's clock, with one of them; with `above`, only
    /// entries with an id above it (new ones included). The server counts every
    /// entry that matches with its contents before it answers, so a check over
    /// a few entries stays cheap however many changed.
    pub async fn changed_since(
        &self,
        since: i64,
        above: Option<i64>,
    ) -> Result<Changed, SyncError> {
        let path = match above {
            Some(id) => format!("/v1/entries?changed_after={since}&after_entry_id={id}&limit=1"),
            None => format!("/v1/entries?changed_after={since}&limit=1"),
        };
        let page: Entries = self.http.json(|| self.req(Method::GET, &path)).await?;
        let entries = page.entries.unwrap_or_default();
        Ok(Changed {
            count: page.total.max(entries.len()),
            sample: entries.first().map(|entry| (entry.id(), entry.is_read())),
        })
    }

    /// Entries changed after `since` (Unix seconds), one page at `offset`: how a
    /// server without id sets tells what changed.
    pub async fn entries_changed(
        &self,
        since: i64,
        offset: usize,
    ) -> Result<Vec<Entry>, SyncError> {
        let path = format!(
            "/v1/entries?order=id&direction=asc&changed_after={since}&limit={PAGE}&offset={offset}"
        );
        let page: Entries = self.http.json(|| self.req(Method::GET, &path)).await?;
        Ok(page.entries.unwrap_or_default())
    }
}
