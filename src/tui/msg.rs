//! Messages into `update` and commands out of it. Commands are side effects as
//! data: database requests (run in order by the database worker) and the
//! runner's own effects (refresh, browser, clipboard, suspend, quit). The runner
//! executes them and answers with messages.

use crate::config::command::CommandMode;
use crate::query::Query;
use crate::refresh::{RefreshEvent, RefreshTarget};
use crate::store::{Cursor, FeedRow, ItemDetail, ItemId, ItemQuery, ItemRow};

use super::keymap::Key;
use super::source::{StarredCounts, TagCount};

/// Which page of a headline list to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowRequest {
    /// From the newest item.
    Top,
    /// Strictly older than this cursor.
    After(Cursor),
    /// Strictly newer than this cursor (returned newest first).
    Before(Cursor),
    /// The oldest items (for `G`).
    Last,
    /// This row and the older ones: the window read again in place after
    /// another process changed the database (its first row stays its first).
    From(Cursor),
    /// From this position on (a ranked search's list: its order is by
    /// relevance, not by date, so it pages by position).
    Ranked(u64),
}

/// Everything that can happen to the reader.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A key press (the keymap turns it into an action inside `update`).
    Key(Key),
    /// Mouse wheel: positive scrolls down.
    Wheel(i32),
    /// The terminal changed size.
    Resize {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
    /// The feed list was read.
    FeedsLoaded {
        /// The feeds with their counts.
        feeds: Vec<FeedRow>,
        /// Unread items in every feed.
        unread: u64,
        /// Starred items in every feed.
        starred: StarredCounts,
        /// The tags with their counts.
        tags: Vec<TagCount>,
        /// The newest item's id, read before the counts: "mark all read" on
        /// an entry marks only items up to it, the ones these counts saw.
        newest: ItemId,
    },
    /// A list was counted.
    Counted {
        /// The list's generation.
        generation: u64,
        /// Its length.
        total: u64,
        /// The newest item's id, read before the count (`HeadlineList::bound`).
        newest: ItemId,
    },
    /// A page of a list was read.
    ItemsLoaded {
        /// The list's generation.
        generation: u64,
        /// The request it answers.
        request: WindowRequest,
        /// The limit it was read with.
        limit: usize,
        /// The rows.
        rows: Vec<ItemRow>,
        /// The newest item's id, read before the rows (`HeadlineList::bound`).
        newest: ItemId,
    },
    /// An article was read.
    ArticleLoaded {
        /// The item.
        id: ItemId,
        /// `None` when the item is gone.
        detail: Option<Box<ItemDetail>>,
    },
    /// `A` finished: how many items changed.
    MarkedAllRead(u64),
    /// A read or star mark found these items gone from the database: another
    /// process (a cron cleanup, `khabar remove`) deleted them since they were
    /// listed.
    ItemsGone(Vec<ItemId>),
    /// Another connection (a cron `khabar refresh`, a sync, `khabar
    /// mark-read`) committed to the database since the worker last looked: what
    /// the reader shows may be out of date.
    DatabaseChanged,
    /// Progress of a refresh.
    Refresh(RefreshEvent),
    /// A refresh could not run at all.
    RefreshFailed(String),
    /// Something in the runner failed; shown on the status line.
    Error(String),
    /// A database request failed (the store's error, shown after "database:").
    DbFailed(String),
    /// A read or star mark, or a mark-all, did not reach the database. The
    /// screen showed it at once; the reader takes it back and says why, so the
    /// screen never claims a mark the database does not have.
    WriteFailed {
        /// The write, as sent.
        write: DbRequest,
        /// Why it failed.
        error: DbError,
    },
    /// The browser could not be started.
    OpenFailed(OpenError),
    /// A confirmation for the message line.
    Info(String),
    /// What a running sync with the server is doing.
    SyncProgress(crate::sync::SyncStage),
    /// A sync with the server ended: what it did (worded by the reader), or why
    /// it failed.
    Synced(Result<crate::sync::SyncReport, SyncFailure>),
    /// The tag picker's tags, most unread first.
    TagTotals(Vec<crate::store::TagTotals>),
    /// The views were counted.
    ViewsCounted {
        /// Each view's (unread, total), in the order asked.
        counts: Vec<(u64, u64)>,
        /// The newest item's id, read before the counts: "mark all read" on
        /// a view's entry marks only items up to it, the ones these counted.
        newest: ItemId,
    },
    /// The full text of an item arrived from its page, or why there is none
    /// (`update` asks the database worker to store either:
    /// `DbRequest::StoreFulltext`).
    FulltextFetched {
        /// The item.
        id: ItemId,
        /// The article's HTML, or why the page gave none.
        result: Result<String, String>,
    },
    /// An item read for a user command (`[[command]]`) on the headline list.
    CommandItemLoaded {
        /// Index into `Model::commands`.
        command: usize,
        /// The count typed before the key (`3v`: link 3).
        count: Option<u32>,
        /// `None` when the item is gone.
        detail: Option<Box<ItemDetail>>,
    },
    /// A user command ended (in any mode), or one could not start.
    CommandEnded {
        /// Its name.
        name: String,
        /// How it ran: a background command that succeeded says nothing.
        mode: CommandMode,
        /// How it ended.
        outcome: CommandOutcome,
    },
    /// Once a second, from the clock: the current Unix time (drives the refresh
    /// interval) and the local offset from UTC in seconds (a daylight-saving
    /// change shows at the next tick).
    Tick {
        /// Unix seconds.
        now: i64,
        /// Local offset from UTC, in seconds.
        utc_offset: i32,
    },
}

/// A failed sync, for the status line: its cause (short, `SyncError::cause`)
/// and how many local marks wait in the outbox for the next sync, as `khabar
/// sync` says them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFailure {
    /// Why, after the reader's "sync failed".
    pub cause: String,
    /// Local marks kept for the next sync.
    pub marks_kept: u64,
}

impl From<&str> for SyncFailure {
    /// A cause with no marks waiting.
    fn from(cause: &str) -> SyncFailure {
        SyncFailure {
            cause: cause.to_string(),
            marks_kept: 0,
        }
    }
}

/// Why a write failed, as the reader words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbError {
    /// The database file was removed or replaced since the reader opened it:
    /// nothing more can be saved until khabar is started again.
    FileReplaced {
        /// The database's path.
        path: String,
    },
    /// Anything else: the store's own message.
    Other(String),
}

impl DbError {
    /// The reader's wording of a store error.
    pub fn of(error: &crate::store::StoreError) -> DbError {
        match error {
            crate::store::StoreError::FileReplaced { path } => {
                DbError::FileReplaced { path: path.clone() }
            }
            other => DbError::Other(other.to_string()),
        }
    }
}

/// How a user command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandOutcome {
    /// It exited with this status (0 is success).
    Exited(i32),
    /// A signal ended it: the signal's number.
    Killed(i32),
    /// It could not be started: the system's error.
    CannotStart(String),
}

/// A user command to run: the line is already expanded and quoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRun {
    /// Its name, for messages.
    pub name: String,
    /// The line for `sh -c`.
    pub line: String,
    /// How it runs.
    pub mode: CommandMode,
    /// Standard input (pipe mode): the item as plain text.
    pub input: Option<String>,
}

/// Why a link could not be opened in the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// Neither `general.browser` nor `$BROWSER` names a command.
    NoCommand,
    /// The browser program does not exist.
    NotFound {
        /// The program that was tried.
        program: String,
    },
    /// The browser program could not be started.
    Failed {
        /// The program that was tried.
        program: String,
        /// The link.
        url: String,
        /// The system's error.
        error: String,
    },
}

impl std::fmt::Display for OpenError {
    /// The English wording, for the log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::NoCommand => {
                write!(f, "no browser command: set general.browser or $BROWSER")
            }
            OpenError::NotFound { program } => write!(
                f,
                "cannot run {program} (not found); set general.browser or $BROWSER"
            ),
            OpenError::Failed {
                program,
                url,
                error,
            } => write!(f, "cannot run {program} to open {url}: {error}"),
        }
    }
}

/// Reads and writes for the database worker (`db::run`), in the order asked.
#[derive(Debug, Clone, PartialEq)]
pub enum DbRequest {
    /// The feed list with counts and the tags (answers `Msg::FeedsLoaded`).
    LoadFeeds,
    /// The reader is about to read everything it shows again: what other
    /// connections committed so far counts as seen, so it does not come back
    /// as `Msg::DatabaseChanged` (answers nothing).
    CatchUp,
    /// The number of items a list query matches (answers `Msg::Counted`).
    CountItems {
        /// The list generation asking.
        generation: u64,
        /// What the list shows.
        query: ItemQuery,
    },
    /// A page of headline rows (answers `Msg::ItemsLoaded`).
    LoadItems {
        /// The list generation asking.
        generation: u64,
        /// What the list shows.
        query: ItemQuery,
        /// Which page.
        request: WindowRequest,
        /// Rows at most.
        limit: usize,
    },
    /// One item with its body (answers `Msg::ArticleLoaded`).
    LoadArticle(ItemId),
    /// Marks items read or unread (answers `Msg::ItemsGone` if some were
    /// deleted meanwhile, `Msg::WriteFailed` if the write failed, else nothing).
    SetRead {
        /// The items.
        ids: Vec<ItemId>,
        /// Read (true) or unread.
        read: bool,
    },
    /// Stars or unstars items (answers like `SetRead`).
    SetStarred {
        /// The items.
        ids: Vec<ItemId>,
        /// Starred (true) or not.
        starred: bool,
    },
    /// Marks every item of a query read, up to the newest item the screen had
    /// loaded: never one added since (answers `Msg::MarkedAllRead`).
    MarkAllRead {
        /// The list's query.
        query: ItemQuery,
        /// The newest item id the screen had loaded (`HeadlineList::bound`).
        upto: ItemId,
    },
    /// How many items a search list shows (answers `Msg::Counted`).
    CountSearch {
        /// The list generation asking.
        generation: u64,
        /// The search.
        query: Query,
        /// Only unread items.
        unread_only: bool,
    },
    /// A page of a search list (answers `Msg::ItemsLoaded`).
    LoadSearch {
        /// The list generation asking.
        generation: u64,
        /// The search.
        query: Query,
        /// Only unread items.
        unread_only: bool,
        /// Which page.
        request: WindowRequest,
        /// Rows at most.
        limit: usize,
    },
    /// Marks every match of a search read, up to the newest item the list had
    /// loaded (answers `Msg::MarkedAllRead`).
    MarkSearchRead {
        /// The search.
        query: Query,
        /// The newest item id the list had loaded (`HeadlineList::bound`).
        upto: ItemId,
    },
    /// Keeps what an item's page gave (its article, or why none) on the
    /// worker's own connection: a write there is not another process's commit,
    /// so it does not come back as `Msg::DatabaseChanged` and a reload
    /// (answers `Msg::WriteFailed` if it fails, else nothing).
    StoreFulltext {
        /// The item.
        id: ItemId,
        /// The article's HTML, or why the page gave none.
        result: Result<String, String>,
    },
    /// Every tag with its counts, for the tag picker (answers `Msg::TagTotals`).
    LoadTagTotals,
    /// (unread, total) of each view's query (answers `Msg::ViewsCounted`).
    CountViews(Vec<Query>),
    /// One item with its body for a user command (answers `Msg::CommandItemLoaded`).
    LoadForCommand {
        /// The item.
        id: ItemId,
        /// Index into `Model::commands`.
        command: usize,
        /// The count typed before the key.
        count: Option<u32>,
    },
}

/// Side effects `update` asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Database work, run in order on the database worker.
    Db(DbRequest),
    /// Refreshes these feeds in a task that reports `Msg::Refresh` events.
    Refresh(Vec<RefreshTarget>),
    /// Sync with the `[sync]` server in the background.
    Sync,
    /// Fetches an item's page in the background for its full text; answers
    /// `Msg::FulltextFetched`.
    FetchFulltext {
        /// The item.
        id: ItemId,
        /// Its web page.
        link: String,
    },
    /// Opens a link in the browser.
    OpenUrl(String),
    /// Put text on the clipboard with OSC 52.
    Copy(String),
    /// Suspends the reader to the shell (Ctrl-Z).
    Suspend,
    /// Runs a user command (`[[command]]`): detached in background mode, else
    /// in the foreground with the terminal given to it.
    Run(UserRun),
    /// Appends a `[[view]]` with this name and query to the config file.
    SaveView {
        /// The view's name.
        name: String,
        /// Its query, as text.
        query: String,
    },
    /// Ends the reader; commands after it in the same batch are dropped.
    Quit,
}

impl From<DbRequest> for Command {
    fn from(request: DbRequest) -> Command {
        Command::Db(request)
    }
}
