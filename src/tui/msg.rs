//! Messages into `update` and commands out of it. Commands are side effects as
//! data; the runner executes them and answers with messages.

use crate::refresh::{RefreshEvent, RefreshTarget};
use crate::store::{Cursor, FeedRow, ItemDetail, ItemId, ItemQuery, ItemRow};

use super::keymap::Key;
use super::model::TagCount;

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
}

/// Everything that can happen to the reader.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A key press (the keymap turns it into an action inside `update`).
    Key(Key),
    /// Mouse wheel: positive scrolls down.
    Wheel(i32),
    Resize {
        width: u16,
        height: u16,
    },
    FeedsLoaded {
        feeds: Vec<FeedRow>,
        unread: u64,
        tags: Vec<TagCount>,
    },
    Counted {
        generation: u64,
        total: u64,
    },
    ItemsLoaded {
        generation: u64,
        request: WindowRequest,
        limit: usize,
        rows: Vec<ItemRow>,
    },
    ArticleLoaded {
        id: ItemId,
        detail: Option<Box<ItemDetail>>,
    },
    /// `A` finished: how many items changed.
    MarkedAllRead(u64),
    Refresh(RefreshEvent),
    /// A refresh could not run at all.
    RefreshFailed(String),
    /// Something in the runner failed; shown on the status line.
    Error(String),
    /// A confirmation for the message line.
    Info(String),
    /// What a running sync with the server is doing.
    SyncProgress(String),
    /// A sync with the server ended: its summary line, or its error.
    Synced {
        summary: String,
        ok: bool,
    },
    /// Once a second, with the current Unix time (drives the refresh interval).
    Tick {
        now: i64,
    },
}

/// Side effects `update` asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    LoadFeeds,
    CountItems {
        generation: u64,
        query: ItemQuery,
    },
    LoadItems {
        generation: u64,
        query: ItemQuery,
        request: WindowRequest,
        limit: usize,
    },
    LoadArticle(ItemId),
    SetRead {
        ids: Vec<ItemId>,
        read: bool,
    },
    SetStarred {
        ids: Vec<ItemId>,
        starred: bool,
    },
    MarkAllRead(ItemQuery),
    Refresh(Vec<RefreshTarget>),
    /// Sync with the `[sync]` server in the background.
    Sync,
    OpenUrl(String),
    /// Put text on the clipboard with OSC 52.
    Copy(String),
    Suspend,
    Quit,
}
