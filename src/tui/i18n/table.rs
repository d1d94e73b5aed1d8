//! The table of the interface's words: one row per text, `Name: "English" =>
//! "Persian"`. To translate, edit the right-hand side; keep every `{name}` (a value
//! filled in at run time) and the key names in hints (`N o`, `OSC 52`).
//! Persian nouns stay singular after a number, so both count forms read alike.
//! A test fails when a row has no Persian (empty, or without a Persian letter) or
//! when the two sides name different `{values}`.

use super::super::keymap::Action;

/// Declares [`Text`] (one variant per row, documented with its English) and the
/// lookup of its two wordings.
macro_rules! texts {
    ($( $name:ident : $en:literal => $fa:literal ),* $(,)?) => {
        /// A fixed piece of the interface's text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Text {
            $( #[doc = $en] $name, )*
        }

        /// Every row: the text, its English, its Persian.
        #[cfg_attr(not(test), allow(dead_code))]
        pub(super) const ROWS: &[(Text, &str, &str)] = &[ $( (Text::$name, $en, $fa), )* ];

        /// The English and Persian wording of `text`.
        pub(super) fn words(text: Text) -> (&'static str, &'static str) {
            match text {
                $( Text::$name => ($en, $fa), )*
            }
        }
    };
}

texts! {
    // The title bar and screen names
    AppName: "khabar" => "خبر",
    Feeds: "Feeds" => "خوراک‌ها",
    Keys: "Keys" => "کلیدها",
    AllItems: "All items" => "همهٔ مطالب",
    Unread: "Unread" => "نخوانده‌ها",
    Starred: "Starred" => "ستاره‌دارها",
    FeedNumber: "feed {id}" => "خوراک {id}",
    UnreadOnly: "(unread only)" => "(فقط نخوانده‌ها)",
    HintHelp: "{key}: help" => "{key}: راهنما",
    HintBack: "{key}: back" => "{key}: بازگشت",
    HintClose: "{key}: close" => "{key}: بستن",
    TooSmall: "terminal too small" => "پنجره خیلی کوچک است",

    // The status line
    UnreadCount: "{n} unread" => "{n} نخوانده",
    Percent: "{n}%" => "{n}٪",
    Refreshing: "refreshing {done}/{total}" => "تازه‌سازی {done}/{total}",

    // Notes in an empty screen
    Loading: "loading…" => "در حال بارگیری…",
    NoItems: "no items" => "مطلبی نیست",
    NoUnreadItems: "no unread items" => "مطلب نخوانده‌ای نیست",
    NoUnreadItemsHint: "no unread items ({key} shows everything)" => "مطلب نخوانده‌ای نیست ({key}: نمایش همه)",
    ItemGone: "this item is no longer in the database" => "این مطلب دیگر در پایگاه داده نیست",
    NoFeeds: "No feeds yet: `khabar add URL`." => "هنوز خوراکی نیست: `khabar add URL`.",
    NoFeedsHint: "No feeds yet: `khabar add URL`, or {key} to refresh the configured ones." => "هنوز خوراکی نیست: `khabar add URL`، یا {key} برای تازه‌سازی خوراک‌های پیکربندی‌شده.",

    // The article header
    Untitled: "(untitled)" => "(بی‌عنوان)",
    LabelFeed: "Feed" => "خوراک",
    LabelAuthor: "Author" => "نویسنده",
    LabelDate: "Date" => "تاریخ",
    LabelTags: "Tags" => "برچسب‌ها",
    ListSeparator: ", " => "، ",
    LabelLink: "Link" => "پیوند",
    Links: "Links" => "پیوندها",

    // Counts (Persian nouns do not change after a number)
    ItemsOne: "{n} item" => "{n} مطلب",
    ItemsMany: "{n} items" => "{n} مطلب",
    FeedsOne: "{n} feed" => "{n} خوراک",
    FeedsMany: "{n} feeds" => "{n} خوراک",
    NewItemsOne: "{n} new item" => "{n} مطلب تازه",
    NewItemsMany: "{n} new items" => "{n} مطلب تازه",

    // Messages and errors
    MarkedAllRead: "marked {items} read" => "{items} خوانده شد",
    Refreshed: "refreshed {feeds}: {new}, {failed} failed" => "{feeds} تازه شد: {new}، {failed} ناموفق",
    RefreshedIgnored: "{message}, {ignored} ignored" => "{message}، {ignored} نادیده گرفته شد",
    RefreshDiskFull: "the disk is full: {feeds} fetched but not stored; free some space and refresh again" => "دیسک پر است: {feeds} گرفته شد ولی ذخیره نشد؛ جا باز کنید و دوباره تازه کنید",
    RefreshFailed: "refresh: {error}" => "تازه‌سازی: {error}",
    DatabaseError: "database: {error}" => "پایگاه داده: {error}",
    DatabaseReplaced: "the database file was removed or replaced ({path}); this change was not saved — restart khabar" => "پروندهٔ پایگاه داده پاک یا جایگزین شد ({path})؛ این تغییر ذخیره نشد — khabar را دوباره باز کنید",
    NothingFetched: "first start: {key} fetches these feeds; or khabar add URL, import FILE, --demo" => "نخستین اجرا: {key} این خوراک‌ها را می‌گیرد؛ یا khabar add URL، import FILE، --demo",
    TerminalCheckOffer: "Persian looks wrong here? Quit and run `khabar terminal-check`." => "فارسی درست دیده نمی‌شود؟ بیرون بروید و `khabar terminal-check` را اجرا کنید.",
    DemoOffline: "the demo is offline: nothing to refresh" => "نسخهٔ نمایشی برون‌خط است: چیزی برای تازه‌سازی نیست",
    RefreshRunning: "a refresh is already running" => "تازه‌سازی از پیش در جریان است",
    NoFeedsToRefresh: "no feeds to refresh" => "خوراکی برای تازه‌سازی نیست",
    StarredMessage: "starred" => "ستاره خورد",
    UnstarredMessage: "unstarred" => "ستاره برداشته شد",
    ShowingUnreadOnly: "showing unread only" => "فقط نخوانده‌ها نمایش داده می‌شود",
    ShowingEverything: "showing everything" => "همه نمایش داده می‌شود",
    NoUnreadFeed: "no feed with unread items" => "خوراکی با مطلب نخوانده نیست",
    NoMoreUnread: "no more unread items" => "مطلب نخواندهٔ دیگری نیست",
    AlreadyLastFeed: "already on the last feed" => "این آخرین خوراک است",
    AlreadyFirstFeed: "already on the first feed" => "این نخستین خوراک است",
    AlreadyLastEntry: "already on the last of these on the feed screen" => "در فهرست خوراک‌ها پس از این موردی از این دست نیست",
    AlreadyFirstEntry: "already on the first of these on the feed screen" => "در فهرست خوراک‌ها پیش از این موردی از این دست نیست",
    NotOnFeedScreen: "this list is not on the feed screen: next and previous feed work in lists opened from it" => "این فهرست در فهرست خوراک‌ها نیست: خوراک بعدی و قبلی در فهرست‌هایی کار می‌کند که از آنجا باز شده‌اند",
    NoLink: "no link" => "پیوندی نیست",
    FetchingFulltext: "fetching the full text…" => "در حال گرفتن متن کامل…",
    ShowingFulltext: "full text" => "متن کامل",
    ShowingFeedText: "the feed's text" => "متن خوراک",
    NoFulltext: "no full text: {error}" => "متن کامل نیست: {error}",
    NoLinkNumber: "no link [{n}]" => "پیوند [{n}] نیست",
    Copied: "copied {link}" => "رونوشت شد: {link}",
    Opening: "opening {link}" => "در حال باز کردن {link}",
    NotOpened: "not opened: only web and mail links open ({link})" => "باز نشد: فقط پیوندهای وب و رایانامه باز می‌شوند ({link})",
    MarkedRead: "marked read" => "خوانده شد",
    ItemsGoneElsewhere: "this item is no longer in the database (removed by another process); dropped from the list" => "این مطلب دیگر در پایگاه داده نیست (برنامهٔ دیگری پاکش کرد)؛ از فهرست برداشته شد",
    MarkedUnread: "marked unread" => "نخوانده شد",
    NoBrowser: "no browser command: set general.browser or $BROWSER" => "فرمان مرورگر نیست: general.browser یا $BROWSER را تنظیم کنید",
    BrowserNotFound: "cannot run {program} (not found); set general.browser or $BROWSER" => "اجرای {program} ممکن نیست (پیدا نشد)؛ general.browser یا $BROWSER را تنظیم کنید",
    BrowserFailed: "cannot run {program} to open {url}: {error}" => "اجرای {program} برای باز کردن {url} ممکن نیست: {error}",
    NoItemSelected: "no item selected: open a list first" => "مطلبی انتخاب نشده است: نخست فهرستی را باز کنید",
    CommandStarted: "started \"{name}\"" => "«{name}» آغاز شد",
    CommandRan: "ran \"{name}\"" => "«{name}» اجرا شد",
    CommandExited: "\"{name}\" failed (exit {status})" => "«{name}» ناموفق بود (وضعیت خروج {status})",
    CommandKilled: "\"{name}\" killed by signal {signal}" => "«{name}» با سیگنال {signal} پایان یافت",
    CommandNotFound: "\"{name}\": command not found (status {status})" => "«{name}»: فرمان پیدا نشد (وضعیت {status})",
    CommandCannotStart: "cannot run \"{name}\": {error}" => "اجرای «{name}» ممکن نیست: {error}",

    // Dates of recent items
    Yesterday: "yesterday" => "دیروز",
    DaysAgo: "{n} days ago" => "{n} روز پیش",
    DaysAgoShort: "{n}d" => "{n} روز",

    // The help screen: what each action does
    Unbound: "(unbound)" => "(بی‌کلید)",
    CommandsHeading: "Your commands ([[command]] in the config)" => "فرمان‌های شما ([[command]] در پیکربندی)",
    DoDown: "move down" => "پایین رفتن",
    DoUp: "move up" => "بالا رفتن",
    DoTop: "go to the top" => "رفتن به ابتدا",
    DoBottom: "go to the bottom" => "رفتن به انتها",
    DoPageDown: "page down" => "صفحهٔ بعد",
    DoPageUp: "page up" => "صفحهٔ قبل",
    DoHalfPageDown: "half a page down" => "نیم صفحه پایین",
    DoHalfPageUp: "half a page up" => "نیم صفحه بالا",
    DoOpen: "open" => "باز کردن",
    DoBack: "go back (quit from the feed list)" => "بازگشت (در فهرست خوراک‌ها: خروج)",
    DoQuit: "quit" => "خروج",
    DoRefresh: "refresh this feed" => "تازه‌سازی این خوراک",
    DoRefreshAll: "refresh all feeds" => "تازه‌سازی همهٔ خوراک‌ها",
    DoNextUnread: "next unread (across feeds)" => "نخواندهٔ بعدی (در همهٔ خوراک‌ها)",
    DoPrevUnread: "previous unread" => "نخواندهٔ قبلی",
    DoNextFeed: "in a list or article: the next feed's (tag's, view's) list" => "در فهرست یا مطلب: فهرست خوراک (برچسب، نمای) بعدی",
    DoPrevFeed: "in a list or article: the previous feed's (tag's, view's) list" => "در فهرست یا مطلب: فهرست خوراک (برچسب، نمای) قبلی",
    DoNextUnreadFeed: "the next feed with unread items (wraps around)" => "خوراک بعدی با مطلب نخوانده (از ابتدا دوباره)",
    DoPrevUnreadFeed: "the previous feed with unread items (wraps around)" => "خوراک قبلی با مطلب نخوانده (از انتها دوباره)",
    DoToggleRead: "toggle read" => "خوانده / نخوانده",
    DoMarkAllRead: "mark everything in this list read" => "خوانده کردن همهٔ این فهرست",
    DoToggleStarred: "toggle starred" => "ستاره زدن / برداشتن",
    DoToggleFulltext: "article: the feed's text / the full text from the page (fetched if needed)" => "مطلب: متن خوراک / متن کامل از صفحه (در صورت نیاز گرفته می‌شود)",
    DoOpenInBrowser: "open the link in the browser (N o: link N)" => "باز کردن پیوند در مرورگر (N o: پیوند N)",
    DoCopyLink: "copy the link (OSC 52) (N y: link N)" => "رونوشت پیوند (OSC 52) (N y: پیوند N)",
    DoToggleUnreadOnly: "show only unread / everything" => "فقط نخوانده‌ها / همه",
    DoSearch: "search (words, \"phrases\", tag:, feed:, is:, after:, before:, -, or)" => "جست‌وجو (واژه‌ها، «عبارت»، tag:، feed:، is:، after:، before:، -، or)",
    SearchHint: "type 2 or more letters; Enter opens, Esc closes" => "دست‌کم ۲ حرف بنویسید؛ Enter باز می‌کند، Esc می‌بندد",
    BadQuery: "bad query at column {column}: {error}" => "پرسش نادرست در ستون {column}: {error}",
    QeEmpty: "the query is empty" => "پرسش خالی است",
    QeMinusNeedsTerm: "\"-\" needs a term right after it" => "درست پس از «-» باید واژه‌ای بیاید",
    QeUnknownFilter: "unknown filter \"{word}:\" (known: tag:, feed:, is:, after:, before:, sort:)" => "پالایهٔ ناشناختهٔ «{word}:» (شناخته‌ها: tag:، feed:، is:، after:، before:، sort:)",
    QeQuoteNotClosed: "this quote is never closed" => "این گیومه بسته نشده است",
    QeParenNotClosed: "this \"(\" is never closed" => "این «(» بسته نشده است",
    QeParenClosesNothing: "this \")\" closes no \"(\"" => "این «)» هیچ «(» را نمی‌بندد",
    QeEmptyParens: "these parentheses are empty" => "این پرانتزها خالی‌اند",
    QeOrNeedsTerms: "\"or\" needs a term on each side" => "«or» در هر دو سو واژه‌ای می‌خواهد",
    QeAndNeedsTerms: "\"and\" needs a term on each side" => "«and» در هر دو سو واژه‌ای می‌خواهد",
    QeTermMissing: "a term is missing" => "واژه‌ای کم است",
    QeTooDeep: "the query nests more than {n} levels deep" => "پرسش بیش از {n} لایه تودرتو است",
    QeWordNotSearchable: "\"{word}\" has no letters or digits to search for" => "«{word}» حرف یا رقمی برای جست‌وجو ندارد",
    QePhraseNotSearchable: "this phrase has no letters or digits to search for" => "این عبارت حرف یا رقمی برای جست‌وجو ندارد",
    QeNeedsTag: "tag: needs a tag name" => "tag: نام یک برچسب را می‌خواهد",
    QeNeedsFeed: "feed: needs a URL or title words" => "feed: نشانی یا واژه‌های عنوان را می‌خواهد",
    QeNeedsState: "is: needs unread, read or starred" => "is: یکی از unread، read یا starred را می‌خواهد",
    QeNeedsDate: "{key}: needs a date" => "{key}: تاریخ می‌خواهد",
    QeNeedsSort: "sort: needs date or relevance" => "sort: یکی از date یا relevance را می‌خواهد",
    QeBadState: "is: can be unread, read or starred, not \"{value}\"" => "is: می‌تواند unread، read یا starred باشد، نه «{value}»",
    QeBadSort: "sort: can be date or relevance, not \"{value}\"" => "sort: می‌تواند date یا relevance باشد، نه «{value}»",
    QeSortTwice: "sort: is given twice" => "sort: دو بار آمده است",
    QeSortInOr: "sort: applies to the whole query and cannot be part of \"or\"" => "sort: برای همهٔ پرسش است و نمی‌تواند بخشی از «or» باشد",
    QeSortNested: "sort: applies to the whole query; put it outside parentheses, \"or\" and \"-\"" => "sort: برای همهٔ پرسش است؛ آن را بیرون از پرانتز، «or» و «-» بگذارید",
    QeNotADate: "{key}: \"{value}\" is not a date (use 2024-08-01, 1403/05/01, 7d or 2w)" => "{key}: «{value}» تاریخ نیست (مانند 2024-08-01، ۱۴۰۳/۰۵/۰۱، 7d یا 2w)",
    QeNoSuchDay: "{key}: there is no day {value}" => "{key}: روز {value} وجود ندارد",
    DoTags: "pick a tag (every tag with its counts; type to narrow)" => "انتخاب برچسب (همهٔ برچسب‌ها با شمارشان؛ برای محدود کردن بنویسید)",
    Tags: "Tags" => "برچسب‌ها",
    NoTags: "no tags" => "برچسبی نیست",
    DoSaveView: "save this search as a view (listed first on the feed screen)" => "ذخیرهٔ این جست‌وجو به‌صورت نما (بالای فهرست خوراک‌ها)",
    SavedView: "saved as a view: {name}" => "به‌صورت نما ذخیره شد: {name}",
    AlreadyAView: "already a view: {name}" => "از پیش نما است: {name}",
    NotASearch: "only a search can be saved as a view (/ searches)" => "فقط یک جست‌وجو را می‌توان نما کرد (/ جست‌وجو می‌کند)",
    TagFilterHint: "type to narrow; Enter lists the tag's items, Esc closes" => "برای محدود کردن بنویسید؛ Enter مطالب برچسب را نشان می‌دهد، Esc می‌بندد",
    // A sync with the server on the message line
    SyncStage: "sync: {stage}" => "همگام‌سازی: {stage}",
    SyncStarting: "starting" => "آغاز",
    SyncLoggingIn: "logging in" => "ورود به سرور",
    SyncSendingMarks: "sending marks" => "فرستادن نشانه‌ها",
    SyncReadingSubscriptions: "reading subscriptions" => "خواندن اشتراک‌ها",
    SyncNewEntriesOne: "{n} new entry" => "{n} مطلب تازه",
    SyncNewEntriesMany: "{n} new entries" => "{n} مطلب تازه",
    SyncReconciling: "reconciling read state" => "هماهنگ کردن وضعیت خوانده‌ها",
    SyncedNew: "{n} new" => "{n} تازه",
    SyncedReadOnServer: "{n} marked read on the server" => "{n} در سرور خوانده شد",
    SyncedSent: "{n} sent" => "{n} فرستاده شد",
    SyncedUnreadOnServer: "{n} marked unread on the server" => "{n} در سرور نخوانده شد",
    SyncedStarsOne: "{n} star changed on the server" => "{n} ستاره در سرور تغییر کرد",
    SyncedStarsMany: "{n} stars changed on the server" => "{n} ستاره در سرور تغییر کرد",
    SyncedNotSent: "{n} not sent (the server refused them; kept for the next sync)" => "{n} فرستاده نشد (سرور نپذیرفت؛ برای همگام‌سازی بعد نگه داشته شد)",
    SyncedGoneOnServer: "{n} deleted on the server (kept here)" => "{n} در سرور پاک شد (اینجا مانده است)",
    SyncFailed: "sync failed: {error}" => "همگام‌سازی ناموفق بود: {error}",
    SyncFailedMarksKept: "sync failed: {error}; {kept}" => "همگام‌سازی نشد: {error}؛ {kept}",
    SyncMarksKeptOne: "{n} local mark kept" => "{n} نشانهٔ محلی ماند",
    SyncMarksKeptMany: "{n} local marks kept" => "{n} نشانهٔ محلی ماند",

    DoHelp: "this help" => "همین راهنما",
    DoSuspend: "suspend to the shell" => "رفتن موقت به پوسته",
    // The help screen: the keys of a line being typed (the search line, the tag picker)
    LineKeysHeading: "In the search line and the tag picker" => "در خط جست‌وجو و انتخاب برچسب",
    LineMove: "move the cursor a character" => "جابه‌جایی مکان‌نما یک نویسه",
    LineStart: "to the start of the line" => "به ابتدای خط",
    LineEnd: "to the end of the line" => "به انتهای خط",
    LineBackspace: "delete the character before the cursor" => "پاک کردن نویسهٔ پیش از مکان‌نما",
    LineDelete: "delete the character after the cursor" => "پاک کردن نویسهٔ پس از مکان‌نما",
    LineDeleteWord: "delete the word before the cursor" => "پاک کردن واژهٔ پیش از مکان‌نما",
    LineDeleteToStart: "delete to the start of the line" => "پاک کردن تا ابتدای خط",
    LineDeleteToEnd: "delete to the end of the line" => "پاک کردن تا انتهای خط",
    LineResults: "move in the results" => "حرکت در نتیجه‌ها",
    LineOpen: "open the result" => "باز کردن نتیجه",
    LineClose: "close the line" => "بستن خط",
}

/// The help line of each action.
pub(super) fn action_text(action: Action) -> Text {
    match action {
        Action::Down => Text::DoDown,
        Action::Up => Text::DoUp,
        Action::Top => Text::DoTop,
        Action::Bottom => Text::DoBottom,
        Action::PageDown => Text::DoPageDown,
        Action::PageUp => Text::DoPageUp,
        Action::HalfPageDown => Text::DoHalfPageDown,
        Action::HalfPageUp => Text::DoHalfPageUp,
        Action::Open => Text::DoOpen,
        Action::Back => Text::DoBack,
        Action::Quit => Text::DoQuit,
        Action::Refresh => Text::DoRefresh,
        Action::RefreshAll => Text::DoRefreshAll,
        Action::NextUnread => Text::DoNextUnread,
        Action::PrevUnread => Text::DoPrevUnread,
        Action::NextFeed => Text::DoNextFeed,
        Action::PrevFeed => Text::DoPrevFeed,
        Action::NextUnreadFeed => Text::DoNextUnreadFeed,
        Action::PrevUnreadFeed => Text::DoPrevUnreadFeed,
        Action::ToggleRead => Text::DoToggleRead,
        Action::MarkAllRead => Text::DoMarkAllRead,
        Action::ToggleStarred => Text::DoToggleStarred,
        Action::OpenInBrowser => Text::DoOpenInBrowser,
        Action::CopyLink => Text::DoCopyLink,
        Action::ToggleUnreadOnly => Text::DoToggleUnreadOnly,
        Action::Search => Text::DoSearch,
        Action::Tags => Text::DoTags,
        Action::SaveView => Text::DoSaveView,
        Action::Help => Text::DoHelp,
        Action::Suspend => Text::DoSuspend,
        Action::ToggleFulltext => Text::DoToggleFulltext,
    }
}
