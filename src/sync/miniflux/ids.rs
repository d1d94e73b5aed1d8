//! The id sets of `/v1/entries/ids` (Miniflux 2.3.2+), asked for so that the server
//! does as little as it can.
//!
//! What the endpoint takes (read in Miniflux's `getEntryIDsHandler`): `status`,
//! `starred`, `limit` (at most 10,000) and `offset`, nothing else: no
//! `after_entry_id`, no `order` (always id descending), no `changed_after`. Every
//! page also counts the whole set (`total`), a scan of the entries table. So the
//! cost is the number of pages, and an offset page costs more the further it
//! goes. What a client can choose is which set to read: the unread ids, or the
//! read ids when fewer entries are read than unread (the complement), and the
//! totals of both tell, without listing every id, whether the server still holds
//! every entry this client has (see `reconcile::all_held`).

use std::collections::HashSet;

use reqwest::Method;

use super::{Client, EntryIds, ID_PAGE};
use crate::sync::SyncError;

/// One id set as the server reported it: all of it, or only its first page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdSet {
    /// The ids read so far (the highest ones first: pages go by id descending).
    pub ids: HashSet<i64>,
    /// The server's count of the whole set.
    pub total: usize,
    /// Whether `ids` is the whole set.
    pub complete: bool,
    /// The lowest id of the first page: every id of the set above it is in `ids`.
    pub first_page_low: Option<i64>,
    /// The server's time (its `Date` header) when the first page was answered.
    pub date: Option<i64>,
}

impl IdSet {
    /// How many of the set's entries have an id at or below `cursor`, when the
    /// ids read so far tell: they hold every id above the cursor.
    pub fn count_at_or_below(&self, cursor: i64) -> Option<usize> {
        let reaches = self.complete || self.first_page_low.is_some_and(|low| low <= cursor);
        reaches.then(|| {
            let above = self.ids.iter().filter(|id| **id > cursor).count();
            self.total.saturating_sub(above)
        })
    }
}

impl Client {
    /// The first page of the ids matching `filter` (`status=unread&`,
    /// `status=read&`, `starred=true&`, `""`), with the set's total.
    pub async fn id_set_head(&self, filter: &str) -> Result<IdSet, SyncError> {
        let path = format!("/v1/entries/ids?{filter}limit={ID_PAGE}&offset=0");
        let (page, date): (EntryIds, _) = self
            .http
            .json_dated(|| self.req(Method::GET, &path))
            .await?;
        let batch = page.entry_ids.unwrap_or_default();
        Ok(IdSet {
            complete: batch.len() >= page.total || batch.len() < ID_PAGE,
            first_page_low: batch.iter().copied().min(),
            ids: batch.into_iter().collect(),
            total: page.total,
            date,
        })
    }

    /// The rest of a set whose first page is `head`: the other pages are asked
    /// for at once (the server answers them in parallel), then any left over in
    /// turn. A set whose total moved while it was read (an entry arrived or
    /// changed state, so offsets shifted) is read again, a few times at most.
    pub async fn id_set_rest(&self, filter: &str, mut head: IdSet) -> Result<IdSet, SyncError> {
        for _ in 0..3 {
            if head.complete {
                return Ok(head);
            }
            let first = head.ids.len();
            let offsets: Vec<usize> = (first..head.total).step_by(first.max(1)).collect();
            let pages = futures_util::future::try_join_all(
                offsets.iter().map(|offset| self.id_page(filter, *offset)),
            )
            .await?;
            let mut offset = first;
            let mut moved = false;
            for (batch, total) in pages {
                moved |= total != head.total;
                offset += batch.len();
                head.ids.extend(batch);
            }
            while !moved && offset < head.total {
                let (batch, total) = self.id_page(filter, offset).await?;
                moved |= total != head.total;
                if batch.is_empty() {
                    break;
                }
                offset += batch.len();
                head.ids.extend(batch);
            }
            if !moved {
                head.complete = true;
                return Ok(head);
            }
            tracing::debug!(
                filter,
                "an id set moved while it was read: reading it again"
            );
            head = self.id_set_head(filter).await?;
        }
        Err(SyncError::Protocol {
            server: self.server().to_string(),
            detail: format!("the id set /v1/entries/ids?{filter} kept changing while read"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_below_the_cursor_needs_every_id_above_it() {
        let head = IdSet {
            ids: [105, 104, 103, 90].into_iter().collect(),
            total: 50,
            complete: false,
            first_page_low: Some(90),
            date: None,
        };
        assert_eq!(head.count_at_or_below(100), Some(47));
        assert_eq!(head.count_at_or_below(80), None, "ids 80..90 not all read");
        let whole = IdSet {
            ids: [7, 3].into_iter().collect(),
            total: 2,
            complete: true,
            first_page_low: Some(3),
            date: None,
        };
        assert_eq!(whole.count_at_or_below(1), Some(0));
        assert_eq!(whole.count_at_or_below(5), Some(1));
    }
}
