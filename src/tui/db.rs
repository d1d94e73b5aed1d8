//! The database worker: one thread owning the reader's connection, running
//! commands in order and answering with messages. Reads that a newer request
//! already superseded are skipped; writes are never skipped or reordered.

use std::collections::BTreeSet;
use std::sync::mpsc;

use tokio::sync::mpsc::UnboundedSender;

use crate::query::{Expr, State, Term};
use crate::store::{FeedRow, ItemDetail, ItemId, ItemQuery, SearchClock, Store, StoreError};

use super::db_counts::{CountJob, Counter, run_count};
use super::db_watch::Watch;
use super::db_write::run_write;
use super::msg::{DbRequest, Msg, WindowRequest};
use super::source::{StarredCounts, TagCount};

/// The log line (at debug) for each commit of another connection the worker
/// reports (`Msg::DatabaseChanged`).
pub const CHANGED_ELSEWHERE: &str =
    "another connection committed: the reader reads its lists again";

/// Sends commands to the worker.
pub struct Handle {
    tx: mpsc::Sender<DbRequest>,
    worker: std::thread::JoinHandle<()>,
}

impl Handle {
    /// Queues a request; requests run in the order sent.
    pub fn send(&self, command: DbRequest) {
        // The worker only stops when the reader is closing; nothing to do then.
        let _ = self.tx.send(command);
    }

    /// Closes the queue and waits until every command in it has run.
    pub fn finish(self) {
        drop(self.tx);
        let _ = self.worker.join();
    }
}

/// Starts the database thread; it answers with messages on `out`.
pub fn spawn(store: Store, out: UnboundedSender<Msg>) -> Handle {
    let (tx, rx) = mpsc::channel::<DbRequest>();
    let worker = std::thread::spawn(move || {
        let mut store = store;
        // Long counts run beside this worker, on their own connection.
        let counter = Counter::spawn(&store, out.clone());
        let mut watch = Watch::new(&store);
        loop {
            // Idle for a while: has another process changed the database?
            let first = match rx.recv_timeout(watch.wait()) {
                Ok(first) => first,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if watch.changed(&store) {
                        // Counted by tests (tests/reader_live.rs): each one reads every list again.
                        tracing::debug!("{CHANGED_ELSEWHERE}");
                        let _ = out.send(Msg::DatabaseChanged);
                    }
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            let mut batch = vec![first];
            batch.extend(rx.try_iter());
            if let (Some(counter), Some(generation)) = (&counter, newest_generation(&batch)) {
                counter.saw_generation(generation);
            }
            for command in coalesce(batch) {
                if command == DbRequest::CatchUp {
                    watch.catch_up(&store);
                    continue;
                }
                let command = match &counter {
                    Some(counter) => match counter.take(command) {
                        Some(command) => command,
                        None => continue,
                    },
                    None => command,
                };
                let msg = run(&mut store, command);
                // The reader may be closing; the remaining commands (writes) still run.
                if let Some(msg) = msg {
                    let _ = out.send(msg);
                }
            }
        }
        if let Some(counter) = counter {
            counter.finish();
        }
    });
    Handle { tx, worker }
}

/// The newest list generation a batch of requests asks for.
fn newest_generation(batch: &[DbRequest]) -> Option<u64> {
    batch
        .iter()
        .filter_map(|c| match c {
            DbRequest::CountItems { generation, .. }
            | DbRequest::LoadItems { generation, .. }
            | DbRequest::CountSearch { generation, .. }
            | DbRequest::LoadSearch { generation, .. } => Some(*generation),
            _ => None,
        })
        .max()
}

/// One item with its body and, beside the HTML as published, the article from
/// its page (full text): the article view shows one and `F` switches; a user
/// command's text takes what the view would show.
fn load_detail(store: &Store, id: ItemId) -> Result<Option<ItemDetail>, StoreError> {
    let mut detail = store.item(id)?;
    if let (Some(detail), Some(status)) = (detail.as_mut(), store.fulltext_status(id)?) {
        detail.fetch_on_open = status.on_open
            && status.html.is_none()
            && status.attempts == 0
            && status.link.is_some();
        detail.fulltext_html = status.html;
    }
    Ok(detail)
}

/// The keyset position just newer than `row`'s, so that paging "strictly
/// older than" it starts with `row` itself (lists order by date, then id,
/// both descending).
fn just_before((time, id): crate::store::Cursor) -> crate::store::Cursor {
    (time, id.saturating_add(1))
}

/// Drops repeated feed reloads and reads for list generations already replaced.
pub fn coalesce(batch: Vec<DbRequest>) -> Vec<DbRequest> {
    let newest_generation = newest_generation(&batch);
    let last_load_feeds = batch.iter().rposition(|c| *c == DbRequest::LoadFeeds);
    batch
        .into_iter()
        .enumerate()
        .filter(|(i, c)| match c {
            DbRequest::LoadFeeds => Some(*i) == last_load_feeds,
            // A newer search (the next key typed) replaces an older one still queued.
            DbRequest::CountItems { generation, .. }
            | DbRequest::LoadItems { generation, .. }
            | DbRequest::CountSearch { generation, .. }
            | DbRequest::LoadSearch { generation, .. } => Some(*generation) == newest_generation,
            // Articles are asked for one at a time; writes are never dropped.
            DbRequest::LoadArticle(_)
            | DbRequest::CatchUp
            | DbRequest::LoadForCommand { .. }
            | DbRequest::SetRead { .. }
            | DbRequest::SetStarred { .. }
            | DbRequest::MarkAllRead { .. }
            | DbRequest::MarkSearchRead { .. }
            | DbRequest::StoreFulltext { .. }
            | DbRequest::LoadTagTotals
            | DbRequest::CountViews(_) => true,
        })
        .map(|(_, c)| c)
        .collect()
}

/// Each tag of an enabled feed with the counts its headline list will have
/// (`count_items` of `ItemQuery::tag`: both sum the per-feed tag counters).
fn tag_counts(store: &Store, feeds: &[FeedRow]) -> Result<Vec<TagCount>, StoreError> {
    let names: BTreeSet<&String> = feeds
        .iter()
        .filter(|f| f.enabled)
        .flat_map(|f| &f.tags)
        .collect();
    // One pass over the per-feed tag counters for every tag, not a count of
    // each tag's items (~80 ms at 100,000 items, on every start and reload).
    let counts = store.tag_counts_by_name()?;
    Ok(names
        .into_iter()
        .map(|name| {
            let (unread, total) = counts.get(name).copied().unwrap_or((0, 0));
            TagCount {
                name: name.clone(),
                unread,
                total,
            }
        })
        .collect())
}

/// Runs one database request and returns the message it answers with (also used
/// by tests and benchmarks to drive the model synchronously).
pub fn run(store: &mut Store, command: DbRequest) -> Option<Msg> {
    let result: Result<Option<Msg>, crate::store::StoreError> = (|| {
        Ok(match command {
            DbRequest::LoadFeeds => {
                // Read first: every item up to it is in the counts below.
                let newest = store.newest_item_id()?;
                // A disabled feed (left the config file) keeps its items in the
                // database but out of every list, the unread count and `R`; listing
                // it would show a feed that never updates (QA T17).
                let feeds: Vec<FeedRow> =
                    store.feeds()?.into_iter().filter(|f| f.enabled).collect();
                let tags = tag_counts(store, &feeds)?;
                // Counted through the partial index of starred rows: a few
                // hundred rows, not the table.
                let starred = ItemQuery {
                    starred_only: true,
                    ..ItemQuery::default()
                };
                let starred = StarredCounts {
                    unread: store.count_items(&ItemQuery {
                        unread_only: true,
                        ..starred.clone()
                    })?,
                    total: store.count_items(&starred)?,
                };
                Some(Msg::FeedsLoaded {
                    feeds,
                    unread: store.unread_count()?,
                    starred,
                    tags,
                    newest,
                })
            }
            DbRequest::CountItems { generation, query } => {
                let newest = store.newest_item_id()?;
                Some(Msg::Counted {
                    generation,
                    total: store.count_items(&query)?,
                    newest,
                })
            }
            DbRequest::LoadItems {
                generation,
                query,
                request,
                limit,
            } => {
                let newest = store.newest_item_id()?;
                let rows = match request {
                    WindowRequest::Top => store.items_after(&query, None, limit)?,
                    WindowRequest::After(c) => store.items_after(&query, Some(c), limit)?,
                    WindowRequest::Before(c) => store.items_before(&query, c, limit)?,
                    WindowRequest::Last => store.items_last(&query, limit)?,
                    WindowRequest::From(c) => {
                        store.items_after(&query, Some(just_before(c)), limit)?
                    }
                    // Only a ranked search's list pages by position (`LoadSearch`).
                    WindowRequest::Ranked(_) => Vec::new(),
                };
                Some(Msg::ItemsLoaded {
                    generation,
                    request,
                    limit,
                    rows,
                    newest,
                })
            }
            DbRequest::LoadArticle(id) => {
                let detail = load_detail(store, id)?;
                Some(Msg::ArticleLoaded {
                    id,
                    detail: detail.map(Box::new),
                })
            }
            DbRequest::LoadForCommand { id, command, count } => {
                let detail = load_detail(store, id)?;
                Some(Msg::CommandItemLoaded {
                    command,
                    count,
                    detail: detail.map(Box::new),
                })
            }
            write @ (DbRequest::SetRead { .. }
            | DbRequest::SetStarred { .. }
            | DbRequest::MarkAllRead { .. }
            | DbRequest::MarkSearchRead { .. }
            | DbRequest::StoreFulltext { .. }) => return Ok(run_write(store, write)),
            DbRequest::CountSearch {
                generation,
                query,
                unread_only,
            } => Some(run_count(
                store,
                &CountJob::Search {
                    generation,
                    query,
                    unread_only,
                },
            )?),
            DbRequest::CountViews(queries) => Some(run_count(store, &CountJob::Views(queries))?),
            DbRequest::LoadSearch {
                generation,
                query,
                unread_only,
                request,
                limit,
            } => {
                let clock = SearchClock::local();
                let newest = store.newest_item_id()?;
                let query = if unread_only {
                    query.and_also(vec![Expr::Term(Term::Is(State::Unread))])
                } else {
                    query
                };
                let rows = match request {
                    WindowRequest::Top => store.query_items_after(&query, clock, None, limit)?,
                    WindowRequest::After(c) => {
                        store.query_items_after(&query, clock, Some(c), limit)?
                    }
                    WindowRequest::Before(c) => {
                        store.query_items_before(&query, clock, c, limit)?
                    }
                    WindowRequest::Last => store.query_items_last(&query, clock, limit)?,
                    WindowRequest::From(c) => {
                        store.query_items_after(&query, clock, Some(just_before(c)), limit)?
                    }
                    WindowRequest::Ranked(offset) => store.search_page(
                        &query,
                        clock,
                        usize::try_from(offset).unwrap_or(usize::MAX),
                        limit,
                    )?,
                };
                Some(Msg::ItemsLoaded {
                    generation,
                    request,
                    limit,
                    rows,
                    newest,
                })
            }
            DbRequest::LoadTagTotals => Some(Msg::TagTotals(store.tag_totals()?)),
            // Handled by the worker's loop, which keeps the data version.
            DbRequest::CatchUp => None,
        })
    })();
    result.unwrap_or_else(|err| {
        tracing::warn!("reader database command failed: {err}");
        Some(Msg::DbFailed(err.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ItemQuery;
    use crate::tui::db_test_store::store_with_unread_items;

    fn load(generation: u64) -> DbRequest {
        DbRequest::LoadItems {
            generation,
            query: ItemQuery::default(),
            request: WindowRequest::Top,
            limit: 10,
        }
    }

    /// Regression (QA T17): a feed disabled because it left the config file was
    /// listed like a live one (with its last error, never refreshed again).
    #[test]
    fn disabled_feeds_are_not_listed() {
        use crate::store::FeedSpec;
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db")).unwrap();
        let spec = |url: &str| FeedSpec {
            url: url.into(),
            enabled: true,
            ..Default::default()
        };
        store
            .sync_config_feeds(&[
                spec("http://127.0.0.1/a.xml"),
                spec("http://127.0.0.1/b.xml"),
            ])
            .unwrap();
        store
            .sync_config_feeds(&[spec("http://127.0.0.1/a.xml")])
            .unwrap();
        let Some(Msg::FeedsLoaded { feeds, .. }) = run(&mut store, DbRequest::LoadFeeds) else {
            panic!("no feed list");
        };
        let urls: Vec<&str> = feeds.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(urls, ["http://127.0.0.1/a.xml"]);
    }

    /// Regression: quitting right after a read mark lost it (the process ended
    /// before the worker ran the write).
    #[test]
    fn finish_runs_every_queued_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let (store, ids) = store_with_unread_items(&path, 300);
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let handle = spawn(store, tx);
        for id in ids {
            handle.send(DbRequest::SetRead {
                ids: vec![id],
                read: true,
            });
        }
        handle.finish();
        assert_eq!(Store::open(&path).unwrap().unread_count().unwrap(), 0);
    }

    #[test]
    fn coalesce_keeps_writes_and_newest_reads() {
        let write = DbRequest::SetRead {
            ids: vec![1],
            read: true,
        };
        let out = coalesce(vec![
            DbRequest::LoadFeeds,
            load(1),
            write.clone(),
            DbRequest::LoadFeeds,
            load(2),
        ]);
        assert_eq!(out, vec![write, DbRequest::LoadFeeds, load(2)]);
    }
}
