//! The database worker: one thread owning the reader's connection, running
//! commands in order and answering with messages. Reads that a newer request
//! already superseded are skipped; writes are never skipped or reordered.

use std::collections::BTreeSet;
use std::sync::mpsc;

use tokio::sync::mpsc::UnboundedSender;

use crate::query::{Expr, State, Term};
use crate::store::{FeedRow, ItemQuery, SearchClock, Store, StoreError};

use super::db_counts::{CountJob, Counter, run_count};
use super::msg::{DbError, DbRequest, Msg, WindowRequest};
use super::source::{StarredCounts, TagCount};

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
        while let Ok(first) = rx.recv() {
            let mut batch = vec![first];
            batch.extend(rx.try_iter());
            if let (Some(counter), Some(generation)) = (&counter, newest_generation(&batch)) {
                counter.saw_generation(generation);
            }
            for command in coalesce(batch) {
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
            | DbRequest::SetRead { .. }
            | DbRequest::SetStarred { .. }
            | DbRequest::MarkAllRead(_)
            | DbRequest::MarkSearchRead(_)
            | DbRequest::LoadTagTotals
            | DbRequest::CountViews(_) => true,
        })
        .map(|(_, c)| c)
        .collect()
}

/// Each tag of an enabled feed with the counts its headline list will have
/// (`count_items` sums per-feed counters, so this stays fast at any size).
fn tag_counts(store: &Store, feeds: &[FeedRow]) -> Result<Vec<TagCount>, StoreError> {
    let names: BTreeSet<&String> = feeds
        .iter()
        .filter(|f| f.enabled)
        .flat_map(|f| &f.tags)
        .collect();
    names
        .into_iter()
        .map(|name| {
            let query = ItemQuery {
                tag: Some(name.clone()),
                ..ItemQuery::default()
            };
            let total = store.count_items(&query)?;
            let unread = store.count_items(&ItemQuery {
                unread_only: true,
                ..query
            })?;
            Ok(TagCount {
                name: name.clone(),
                unread,
                total,
            })
        })
        .collect()
}

/// Attempts at a write that keeps finding the database locked, each after the
/// store's own busy timeout: minutes, not seconds.
const WRITE_ATTEMPTS: u32 = 30;

/// Runs a read/star write again while another process holds the database locked
/// for longer than the busy timeout. The screen already shows the change, so
/// giving up at once would silently lose it (QA T20); this thread is not the UI's.
fn until_written<T>(mut write: impl FnMut() -> Result<T, StoreError>) -> Result<T, StoreError> {
    let mut attempt = 1;
    loop {
        match write() {
            Err(err) if err.is_busy() && attempt < WRITE_ATTEMPTS => {
                tracing::info!(attempt, "database locked; trying the write again");
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// After a mark that changed fewer items than it named: the ones deleted by
/// another process meanwhile, so the reader can say so and drop them (a mark
/// that found its item already in that state is no news).
fn gone_unless_all_changed(
    store: &Store,
    ids: &[i64],
    changed: u64,
) -> Result<Option<Msg>, StoreError> {
    if changed >= ids.len() as u64 {
        return Ok(None);
    }
    let gone = store.missing_items(ids)?;
    Ok((!gone.is_empty()).then_some(Msg::ItemsGone(gone)))
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Runs one database request and returns the message it answers with (also used
/// by tests and benchmarks to drive the model synchronously).
pub fn run(store: &mut Store, command: DbRequest) -> Option<Msg> {
    let result: Result<Option<Msg>, crate::store::StoreError> = (|| {
        Ok(match command {
            DbRequest::LoadFeeds => {
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
                })
            }
            DbRequest::CountItems { generation, query } => Some(Msg::Counted {
                generation,
                total: store.count_items(&query)?,
            }),
            DbRequest::LoadItems {
                generation,
                query,
                request,
                limit,
            } => {
                let rows = match request {
                    WindowRequest::Top => store.items_after(&query, None, limit)?,
                    WindowRequest::After(c) => store.items_after(&query, Some(c), limit)?,
                    WindowRequest::Before(c) => store.items_before(&query, c, limit)?,
                    WindowRequest::Last => store.items_last(&query, limit)?,
                    // Only a ranked search's list pages by position (`LoadSearch`).
                    WindowRequest::Ranked(_) => Vec::new(),
                };
                Some(Msg::ItemsLoaded {
                    generation,
                    request,
                    limit,
                    rows,
                })
            }
            DbRequest::LoadArticle(id) => {
                let mut detail = store.item(id)?;
                // The article from the item's page (full text) beside the HTML as
                // published: the article view shows one and `F` switches.
                if let (Some(detail), Some(status)) = (detail.as_mut(), store.fulltext_status(id)?)
                {
                    detail.fetch_on_open = status.on_open
                        && status.html.is_none()
                        && status.attempts == 0
                        && status.link.is_some();
                    detail.fulltext_html = status.html;
                }
                Some(Msg::ArticleLoaded {
                    id,
                    detail: detail.map(Box::new),
                })
            }
            write @ (DbRequest::SetRead { .. }
            | DbRequest::SetStarred { .. }
            | DbRequest::MarkAllRead(_)
            | DbRequest::MarkSearchRead(_)) => return Ok(run_write(store, write)),
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
                })
            }
            DbRequest::LoadTagTotals => Some(Msg::TagTotals(store.tag_totals()?)),
        })
    })();
    result.unwrap_or_else(|err| {
        tracing::warn!("reader database command failed: {err}");
        Some(Msg::DbFailed(err.to_string()))
    })
}

/// Runs a user's mark. A write that fails answers [`Msg::WriteFailed`] with
/// the write itself, so the reader can take back what it already shows; a
/// failure after the write (looking for deleted items) is only reported.
fn run_write(store: &mut Store, write: DbRequest) -> Option<Msg> {
    let written = match &write {
        DbRequest::SetRead { ids, read } => until_written(|| store.set_read(ids, *read, now()))
            .map(|changed| gone_unless_all_changed(store, ids, changed)),
        DbRequest::SetStarred { ids, starred } => {
            until_written(|| store.set_starred(ids, *starred, now()))
                .map(|changed| gone_unless_all_changed(store, ids, changed))
        }
        DbRequest::MarkAllRead(query) => until_written(|| store.mark_all_read(query, now()))
            .map(|n| Ok(Some(Msg::MarkedAllRead(n)))),
        DbRequest::MarkSearchRead(query) => {
            until_written(|| store.mark_read_query(query, SearchClock::local(), now()))
                .map(|n| Ok(Some(Msg::MarkedAllRead(n))))
        }
        // Not a write: nothing to do here.
        _ => Ok(Ok(None)),
    };
    match written {
        Ok(answer) => answer.unwrap_or_else(|err| {
            tracing::warn!("reader database command failed: {err}");
            Some(Msg::DbFailed(err.to_string()))
        }),
        Err(err) => {
            tracing::warn!("reader write failed, not saved: {err}");
            Some(Msg::WriteFailed {
                write,
                error: DbError::of(&err),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ItemQuery;

    fn load(generation: u64) -> DbRequest {
        DbRequest::LoadItems {
            generation,
            query: ItemQuery::default(),
            request: WindowRequest::Top,
            limit: 10,
        }
    }

    /// A database at `path` with one feed of `count` unread items; their ids.
    fn store_with_unread_items(path: &std::path::Path, count: i64) -> (Store, Vec<i64>) {
        use crate::feed::{ParsedFeed, ParsedItem};
        use crate::store::{FeedSpec, FeedUpdate};
        let mut store = Store::open(path).unwrap();
        let feed = store
            .add_feed(&FeedSpec {
                url: "http://127.0.0.1/f.xml".into(),
                enabled: true,
                ..Default::default()
            })
            .unwrap();
        let items = (0..count)
            .map(|i| ParsedItem {
                identity: format!("i{i}"),
                title: format!("t{i}"),
                published: Some(1_700_000_000 + i),
                content_hash: format!("h{i}"),
                ..Default::default()
            })
            .collect();
        let update = FeedUpdate {
            feed: ParsedFeed {
                items,
                ..Default::default()
            },
            ..Default::default()
        };
        store.apply_update(feed, &update, 1_700_000_000).unwrap();
        let ids = store
            .items_after(&ItemQuery::default(), None, count as usize)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        (store, ids)
    }

    /// Regression (QA T20): a read mark that met a write lock held longer than the
    /// busy timeout was dropped ("database is locked") while the screen showed it.
    #[test]
    fn a_write_waits_out_a_long_lock_instead_of_being_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let (mut store, ids) = store_with_unread_items(&path, 1);
        let id = ids[0];
        // A short busy timeout stands in for the store's 10 s one.
        store
            .connection()
            .busy_timeout(std::time::Duration::from_millis(50))
            .unwrap();
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let (locked_tx, locked_rx) = mpsc::channel();
        let holder = std::thread::spawn(move || {
            locked_tx.send(()).unwrap();
            // Longer than one busy timeout (50 ms), far shorter than all the
            // attempts together (1.5 s).
            std::thread::sleep(std::time::Duration::from_millis(150));
            other.execute_batch("COMMIT").unwrap();
        });
        locked_rx.recv().unwrap();
        let answer = run(
            &mut store,
            DbRequest::SetRead {
                ids: vec![id],
                read: true,
            },
        );
        holder.join().unwrap();
        assert!(answer.is_none(), "{answer:?}");
        assert_eq!(store.unread_count().unwrap(), 0);
    }

    /// The known gap: a mark on an item another process deleted answered
    /// nothing, so the reader kept the row and the counts it had moved.
    #[test]
    fn a_mark_on_an_item_deleted_elsewhere_answers_items_gone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let (mut store, ids) = store_with_unread_items(&path, 2);
        let other = Store::open(&path).unwrap();
        other
            .connection()
            .execute("DELETE FROM items WHERE id = ?1", [ids[0]])
            .unwrap();
        let read = |read| DbRequest::SetRead {
            ids: vec![ids[0]],
            read,
        };
        assert_eq!(
            run(&mut store, read(true)),
            Some(Msg::ItemsGone(vec![ids[0]]))
        );
        assert_eq!(
            run(&mut store, read(false)),
            Some(Msg::ItemsGone(vec![ids[0]]))
        );
        let star = DbRequest::SetStarred {
            ids: vec![ids[0]],
            starred: true,
        };
        assert_eq!(run(&mut store, star), Some(Msg::ItemsGone(vec![ids[0]])));
        // A mark that finds its (living) item already so is no news.
        let live = |read| DbRequest::SetRead {
            ids: vec![ids[1]],
            read,
        };
        assert_eq!(run(&mut store, live(true)), None);
        assert_eq!(run(&mut store, live(true)), None);
    }

    /// Regression: with the database file removed under the reader, `m` was
    /// written into the unlinked file. Now the write is refused and answered
    /// with itself, so the reader can take it back.
    #[test]
    fn a_mark_after_the_file_was_removed_answers_write_failed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let (mut store, ids) = store_with_unread_items(&path, 1);
        std::fs::remove_file(&path).unwrap();
        let write = DbRequest::SetRead {
            ids: ids.clone(),
            read: true,
        };
        assert_eq!(
            run(&mut store, write.clone()),
            Some(Msg::WriteFailed {
                write,
                error: DbError::FileReplaced {
                    path: path.display().to_string()
                },
            })
        );
        assert_eq!(store.unread_count().unwrap(), 1);
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
