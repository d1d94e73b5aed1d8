//! The reader's state: which screen, the feed list, a window of headline rows
//! around the cursor, the open article laid out for the current width, and the
//! status and message lines. Only `update` changes it; the view only reads it.

use crate::store::{FeedId, FeedRow, ItemId};
use crate::text::LayoutOptions;
use crate::text::sanitize::clean_inline;

use super::article::ArticleView;
pub use super::dates::DateStyle;
use super::i18n::{self, Locale, Text};
use super::keymap::{Key, Keymap};
use super::list::HeadlineList;
pub use super::screen::{Overlay, Screen};
pub use super::source::{ListSource, StarredCounts, TagCount};
use super::theme::Theme;

/// A saved search (`[[view]]`) with its counts once read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// As the config names it.
    pub name: String,
    /// What it lists.
    pub query: crate::query::Query,
    /// (unread, total), once counted.
    pub counts: Option<(u64, u64)>,
    /// The newest item id when `counts` were read (0 before): "mark all
    /// read" on the view's entry marks only up to it, the items they counted.
    pub newest: ItemId,
}

/// When the views were counted last and whether a count waits
/// (`update::views`: counts with free words are slow, so commits of another
/// process do not recount them every time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViewsPace {
    /// The next feed load counts the views too (the reader's own action asked
    /// for it, or a commit elsewhere came late enough).
    pub due: bool,
    /// A commit elsewhere was not counted: the clock counts once later.
    pub held: bool,
    /// When the last count was asked for (Unix seconds, from the clock).
    pub counted_at: Option<i64>,
}

impl Default for ViewsPace {
    /// The first feed load counts the views.
    fn default() -> ViewsPace {
        ViewsPace {
            due: true,
            held: false,
            counted_at: None,
        }
    }
}

/// One row of the feed screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedEntry {
    /// Index into `Model::views`.
    View(usize),
    /// All items, unread, starred.
    Virtual(ListSource),
    /// Index into `Model::tags`.
    Tag(usize),
    /// Index into `Model::feeds`.
    Feed(usize),
}

/// Refresh progress for the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshProgress {
    /// Feeds finished.
    pub done: usize,
    /// Feeds in the refresh.
    pub total: usize,
}

/// The whole state of the reader.
#[derive(Debug, Clone)]
pub struct Model {
    /// The screen with its list or article.
    pub screen: Screen,
    /// Help (or another overlay) drawn over the screen, taking the keys.
    pub overlay: Option<Overlay>,
    /// Terminal columns.
    pub width: u16,
    /// Terminal rows.
    pub height: u16,
    /// The feeds with their counts.
    pub feeds: Vec<FeedRow>,
    /// The feeds' tags with their counts (read with the feeds).
    pub tags: Vec<TagCount>,
    /// The first feed list has arrived.
    pub feeds_loaded: bool,
    /// The newest item id the feed screen's counts were read under: "mark
    /// all read" on an entry marks only up to it. 0 before the first load.
    pub feeds_newest: ItemId,
    /// Selected row of the feed screen.
    pub feed_cursor: usize,
    /// First row of the feed screen on screen.
    pub feed_scroll: usize,
    /// Lists show unread items only.
    pub unread_only: bool,
    /// Digits typed before a key (`3o` opens link 3).
    pub count: Option<u32>,
    /// Keys typed while what they act on was loading (see `update::busy`).
    pub deferred_keys: Vec<Key>,
    /// A refresh is running.
    pub refresh: Option<RefreshProgress>,
    /// The last error, for the status line.
    pub last_error: Option<String>,
    /// The error a refresh put in `last_error` (a feed that failed, or the
    /// refresh not starting): the next refresh takes it away unless another
    /// error replaced it, so a failure that is over is not shown as news.
    pub refresh_error: Option<String>,
    /// The error a failed sync put in `last_error`: a sync that then succeeds
    /// takes it away (unless another error replaced it), so "sync failed" is
    /// not left on the status line once the server is back.
    pub sync_error: Option<String>,
    /// A confirmation for the message line.
    pub message: Option<String>,
    /// Unread items in every feed.
    pub unread_total: u64,
    /// Starred items in every feed, unread and all.
    pub starred: StarredCounts,
    /// How text is laid out.
    pub layout: LayoutOptions,
    /// How dates are written, and in which interface language (`dates.locale`).
    pub dates: DateStyle,
    /// Keys to actions.
    pub keymap: Keymap,
    /// Colours.
    pub theme: Theme,
    /// Minutes between automatic refreshes; 0 is off.
    pub refresh_interval_minutes: u32,
    /// When the last automatic refresh started (Unix seconds).
    pub last_auto_refresh: Option<i64>,
    /// New items arrived during a refresh: reload lists on the next tick.
    pub stale: bool,
    /// Counter stamped on list requests; answers with an older one are dropped.
    pub generation: u64,
    /// The `--demo` sample: its feeds' addresses are not real, so refreshing is
    /// refused with a word instead of failing every feed.
    pub offline: bool,
    /// A `[sync]` server is configured: a whole refresh also syncs with it.
    pub sync_enabled: bool,
    /// A sync with the server is running (its stage is on the message line).
    pub sync_running: bool,
    /// No `[display]` in the user's config: on a first start the Feeds screen
    /// points to `khabar terminal-check`, which fits bidi and shaping to the terminal.
    pub offer_terminal_check: bool,
    /// The search line, while it is open (it takes the keys).
    pub search: Option<super::search::SearchPrompt>,
    /// The tag picker, while it is open (it takes the keys).
    pub tag_picker: Option<super::tag_picker::TagPicker>,
    /// Saved searches, listed first on the feed screen.
    pub views: Vec<View>,
    /// When their counts are read again.
    pub views_pace: ViewsPace,
    /// The user's own commands (`[[command]]`); their keys are not in `keymap`.
    pub commands: Vec<crate::config::command::UserCommand>,
}

impl Model {
    /// A reader with nothing loaded yet, on the feed screen.
    pub fn new(keymap: Keymap, layout: LayoutOptions, dates: DateStyle) -> Model {
        Model {
            screen: Screen::Feeds,
            overlay: None,
            width: 80,
            height: 24,
            feeds: Vec::new(),
            tags: Vec::new(),
            feeds_loaded: false,
            feeds_newest: 0,
            feed_cursor: 0,
            feed_scroll: 0,
            unread_only: false,
            count: None,
            deferred_keys: Vec::new(),
            refresh: None,
            last_error: None,
            refresh_error: None,
            sync_error: None,
            message: None,
            unread_total: 0,
            starred: StarredCounts::default(),
            layout,
            dates,
            keymap,
            theme: Theme::builtin_default(),
            refresh_interval_minutes: 0,
            last_auto_refresh: None,
            stale: false,
            generation: 0,
            offline: false,
            sync_enabled: false,
            sync_running: false,
            offer_terminal_check: false,
            search: None,
            tag_picker: None,
            views: Vec::new(),
            views_pace: ViewsPace::default(),
            commands: Vec::new(),
        }
    }

    /// Gives the user's commands their keys, taking each from the action that
    /// had it (as a `[keys]` binding takes a default key).
    pub fn set_commands(&mut self, commands: Vec<crate::config::command::UserCommand>) {
        for command in &commands {
            self.keymap.release(command.key);
        }
        self.commands = commands;
    }

    /// The headline list shown (or under the open article).
    pub fn list(&self) -> Option<&HeadlineList> {
        self.screen.list()
    }

    /// The headline list shown (or under the open article), to change.
    pub fn list_mut(&mut self) -> Option<&mut HeadlineList> {
        self.screen.list_mut()
    }

    /// The open article.
    pub fn article(&self) -> Option<&ArticleView> {
        self.screen.article()
    }

    /// The open article, to change.
    pub fn article_mut(&mut self) -> Option<&mut ArticleView> {
        self.screen.article_mut()
    }

    /// Rows available for a list between the title bar and the two bottom lines.
    pub fn body_height(&self) -> usize {
        usize::from(self.height.saturating_sub(3)).max(1)
    }

    /// The rows of the feed screen: the virtual entries, the tags, then the
    /// feeds (tags and feeds only with unread items in unread-only mode).
    pub fn feed_entries(&self) -> Vec<FeedEntry> {
        let mut entries: Vec<FeedEntry> = (0..self.views.len()).map(FeedEntry::View).collect();
        entries.extend([
            FeedEntry::Virtual(ListSource::All),
            FeedEntry::Virtual(ListSource::Unread),
            FeedEntry::Virtual(ListSource::Starred),
        ]);
        entries.extend(
            self.tags
                .iter()
                .enumerate()
                .filter(|(_, t)| !self.unread_only || t.unread > 0)
                .map(|(i, _)| FeedEntry::Tag(i)),
        );
        entries.extend(
            self.feeds
                .iter()
                .enumerate()
                .filter(|(_, f)| !self.unread_only || f.unread > 0)
                .map(|(i, _)| FeedEntry::Feed(i)),
        );
        entries
    }

    /// The row of the feed screen under the cursor.
    pub fn selected_entry(&self) -> Option<FeedEntry> {
        self.feed_entries().get(self.feed_cursor).cloned()
    }

    /// The list an entry of the feed screen opens.
    pub fn entry_source(&self, entry: &FeedEntry) -> ListSource {
        match entry {
            FeedEntry::View(i) => self
                .views
                .get(*i)
                .map_or(ListSource::All, |v| ListSource::Search(v.query.clone())),
            FeedEntry::Virtual(source) => source.clone(),
            FeedEntry::Tag(i) => self
                .tags
                .get(*i)
                .map_or(ListSource::All, |t| ListSource::Tag(t.name.clone())),
            FeedEntry::Feed(i) => self
                .feeds
                .get(*i)
                .map_or(ListSource::All, |f| ListSource::Feed(f.id)),
        }
    }

    /// The index in `feed_entries` of the entry opening `source`, if it is shown.
    pub fn entry_of_source(&self, source: &ListSource) -> Option<usize> {
        self.feed_entries()
            .iter()
            .position(|e| self.entry_source(e) == *source)
    }

    /// The id of the feed under the cursor (none on a virtual or tag entry).
    pub fn selected_feed_id(&self) -> Option<FeedId> {
        match self.selected_entry()? {
            FeedEntry::Feed(i) => self.feeds.get(i).map(|f| f.id),
            _ => None,
        }
    }

    /// The index in `feed_entries` of the feed with this id, if it is shown.
    pub fn entry_of_feed(&self, id: FeedId) -> Option<usize> {
        self.entry_of_source(&ListSource::Feed(id))
    }

    /// The newest item id the counts shown on `entry` were read under: a
    /// view's own (counted apart, on the count worker), else the feed screen's.
    pub fn entry_newest(&self, entry: &FeedEntry) -> ItemId {
        match entry {
            FeedEntry::View(i) => self
                .views
                .get(*i)
                .filter(|v| v.counts.is_some())
                .map_or(self.feeds_newest, |v| v.newest),
            FeedEntry::Virtual(_) | FeedEntry::Tag(_) | FeedEntry::Feed(_) => self.feeds_newest,
        }
    }

    /// The feed with this id, if listed.
    pub fn feed(&self, id: FeedId) -> Option<&FeedRow> {
        self.feeds.iter().find(|f| f.id == id)
    }

    /// A new generation for a list request.
    pub fn next_generation(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }

    /// Digits in counts as the config asks (Persian digits or ASCII).
    pub fn digits(&self, text: String) -> String {
        self.dates.digits(text)
    }

    /// The interface language (its words, and mirrored screens for Persian).
    pub fn locale(&self) -> Locale {
        self.dates.locale
    }

    /// The interface's wording of `text`.
    pub fn t(&self, text: Text) -> &'static str {
        i18n::tr(self.locale(), text)
    }

    /// The interface's wording of `text` with its `{values}` filled in.
    pub fn tf(&self, text: Text, args: &[(&str, &str)]) -> String {
        i18n::trf(self.locale(), text, args)
    }

    /// A number with the digits the config asks for.
    pub fn number(&self, n: impl std::fmt::Display) -> String {
        self.digits(n.to_string())
    }

    /// `3 items` / `۳ مطلب`: a count with its noun.
    pub fn counted(&self, n: u64, one: Text, many: Text) -> String {
        i18n::counted(self.locale(), n, &self.number(n), one, many)
    }

    /// A first start: there are feeds, none has ever been fetched or failed.
    pub fn nothing_fetched_yet(&self) -> bool {
        !self.feeds.is_empty()
            && self
                .feeds
                .iter()
                .all(|f| f.total == 0 && f.last_success_at.is_none() && f.last_error_at.is_none())
    }

    /// Whether the screens are mirrored (a right-to-left interface).
    pub fn rtl(&self) -> bool {
        i18n::is_rtl(self.locale())
    }

    /// A title for a list source, as shown in the title bar.
    pub fn source_title(&self, source: &ListSource) -> String {
        match source {
            ListSource::All => self.t(Text::AllItems).into(),
            ListSource::Unread => self.t(Text::Unread).into(),
            ListSource::Starred => self.t(Text::Starred).into(),
            ListSource::Feed(id) => self.feed(*id).map_or_else(
                || self.tf(Text::FeedNumber, &[("id", &self.number(id))]),
                |f| f.title.clone(),
            ),
            // Isolated: a Persian tag reads right to left after the `#`.
            ListSource::Tag(tag) => format!("#\u{2068}{}\u{2069}", clean_inline(tag)),
            // A saved view by its name; any other query as typed, isolated like a tag.
            ListSource::Search(query) => match self.views.iter().find(|v| &v.query == query) {
                Some(view) => format!("\u{2068}{}\u{2069}", clean_inline(&view.name)),
                None => format!("/\u{2068}{}\u{2069}", clean_inline(&query.to_string())),
            },
        }
    }
}

/// Whether the feed's last refresh failed (an error newer than any success).
pub fn feed_failed(feed: &FeedRow) -> bool {
    match (
        feed.last_error.as_ref(),
        feed.last_error_at,
        feed.last_success_at,
    ) {
        (None, _, _) => false,
        (Some(_), Some(err), Some(ok)) => err >= ok,
        (Some(_), _, _) => true,
    }
}
