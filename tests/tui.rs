//! The reader's screens against a real database in a temp dir: the model is
//! driven through `update` with database commands run synchronously, then drawn
//! into a TestBackend buffer and snapshotted (insta). Colours of chosen cells
//! are checked per theme.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use khabar::feed::{ParsedFeed, ParsedItem};
use khabar::store::{FeedSpec, FeedUpdate, Store};
use khabar::text::{Direction, LayoutOptions};
use khabar::tui::keymap::Key;
use khabar::tui::{
    Command, DateStyle, DbRequest, Keymap, Model, Msg, Theme, db, theme, update, view,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

const NOW: i64 = 1_732_000_000; // 2024-11-19

struct Harness {
    model: Model,
    store: Store,
    /// Commands that are not database work (refresh, browser, clipboard).
    effects: Vec<Command>,
    _dir: tempfile::TempDir,
}

impl Harness {
    fn new(width: u16, height: u16, fill: fn(&mut Store)) -> Harness {
        Harness::with_dates(width, height, fill, DateStyle::default())
    }

    fn with_dates(width: u16, height: u16, fill: fn(&mut Store), dates: DateStyle) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db")).unwrap();
        fill(&mut store);
        let model = Model::new(Keymap::default(), LayoutOptions::default(), dates);
        let mut h = Harness {
            model,
            store,
            effects: Vec::new(),
            _dir: dir,
        };
        h.send(Msg::Resize { width, height });
        h.run(vec![Command::Db(DbRequest::LoadFeeds)]);
        h
    }

    fn run(&mut self, mut commands: Vec<Command>) {
        while !commands.is_empty() {
            let mut next = Vec::new();
            for command in commands {
                match command {
                    Command::Refresh(_)
                    | Command::FetchFulltext { .. }
                    | Command::Sync
                    | Command::OpenUrl(_)
                    | Command::Copy(_)
                    | Command::Suspend
                    | Command::SaveView { .. }
                    | Command::Run(_)
                    | Command::Quit => self.effects.push(command),
                    Command::Db(request) => {
                        if let Some(msg) = db::run(&mut self.store, request) {
                            next.extend(update(&mut self.model, msg));
                        }
                    }
                }
            }
            commands = next;
        }
    }

    fn send(&mut self, msg: Msg) {
        let commands = update(&mut self.model, msg);
        self.run(commands);
    }

    fn keys(&mut self, keys: &[&str]) {
        for k in keys {
            self.send(Msg::Key(Key::parse(k).unwrap()));
        }
    }

    fn buffer(&self) -> Buffer {
        let mut terminal =
            Terminal::new(TestBackend::new(self.model.width, self.model.height)).unwrap();
        terminal.draw(|f| view(&self.model, f)).unwrap();
        terminal.backend().buffer().clone()
    }

    fn screen(&self) -> String {
        screen_text(&self.buffer())
    }
}

/// The buffer as text, one line per row; a wide character's hidden cell is skipped.
fn screen_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        let mut line = String::new();
        while x < buf.area.width {
            let symbol = buf[(x, y)].symbol();
            line.push_str(symbol);
            x += UnicodeWidthStr::width(symbol).max(1) as u16;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn item(n: i64, title: &str, html: &str) -> ParsedItem {
    ParsedItem {
        identity: format!("id-{title}"),
        title: title.into(),
        link: Some(format!("https://example.org/{n}")),
        author: Some("Reporter".into()),
        content_html: Some(html.into()),
        published: Some(NOW - n * 3600),
        content_hash: format!("h{n}{title}"),
        ..Default::default()
    }
}

fn add(store: &mut Store, spec: FeedSpec, language: &str, items: Vec<ParsedItem>) -> i64 {
    let id = store.add_feed(&spec).unwrap();
    let update = FeedUpdate {
        feed: ParsedFeed {
            title: spec.title.clone(),
            site_link: None,
            language: Some(language.into()),
            items,
        },
        ..Default::default()
    };
    store.apply_update(id, &update, NOW).unwrap();
    id
}

fn spec(url: &str, title: &str, tags: &[&str], direction: Direction) -> FeedSpec {
    FeedSpec {
        url: url.into(),
        title: Some(title.into()),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        direction,
        fulltext: false,
        enabled: true,
    }
}

const PERSIAN_HTML: &str = "<p>به گزارش خبرنگار ما، نشست امروز با حضور نمایندگان <b>۱۲ کشور</b> برگزار شد.</p>\
<ul><li>بند نخست</li><li>بند دوم با <a href=\"https://example.org/x\">پیوند</a></li></ul>";

fn sample(store: &mut Store) {
    add(
        store,
        spec(
            "http://127.0.0.1/fa.xml",
            "خبرنامه فارسی",
            &["fa", "news"],
            Direction::Rtl,
        ),
        "fa",
        vec![
            item(
                1,
                "نشست امروز با حضور نمایندگان ۱۲ کشور برگزار شد",
                PERSIAN_HTML,
            ),
            item(3, "نسخهٔ تازهٔ Rust 1.80 منتشر شد", "<p>Rust ۱.۸۰</p>"),
            item(5, "قیمت طلا «دوباره» بالا رفت", "<p>طلا</p>"),
        ],
    );
    add(
        store,
        spec(
            "http://127.0.0.1/lwn.xml",
            "LWN.net",
            &["en", "tech"],
            Direction::Auto,
        ),
        "en",
        vec![
            item(
                2,
                "Kernel prepatch 6.12-rc3",
                "<p>The third 6.12 prepatch is out.</p>",
            ),
            item(
                4,
                "A look at the Rust ecosystem in the kernel, with a very long title that must be cut",
                "<p>Long.</p>",
            ),
        ],
    );
    let broken = store
        .add_feed(&spec(
            "http://127.0.0.1/gone.xml",
            "Broken feed",
            &[],
            Direction::Auto,
        ))
        .unwrap();
    store
        .record_error(broken, "HTTP 404 Not Found", NOW)
        .unwrap();
}

fn empty(_: &mut Store) {}

#[test]
fn feeds_screen() {
    for (w, h) in [(80, 24), (40, 12)] {
        let harness = Harness::new(w, h, sample);
        insta::assert_snapshot!(format!("feeds_{w}x{h}"), harness.screen());
    }
}

/// Regression: *Starred* on the feed screen showed no count. It shows
/// unread/total like *All items*, moved at once by `s` and `m` and the same
/// when the counts are read again from the database.
#[test]
fn starred_shows_its_counts_kept_current_by_s() {
    let mut h = Harness::new(80, 24, sample);
    let starred_line = |h: &Harness| {
        let screen = h.screen();
        screen
            .lines()
            .find(|l| l.contains("Starred"))
            .unwrap_or_else(|| panic!("{screen}"))
            .trim()
            .to_string()
    };
    assert_eq!(starred_line(&h), "0/0 Starred");
    // Star the first two items of All items, read the second.
    h.keys(&["enter", "s", "j", "s", "m", "q"]);
    assert_eq!(starred_line(&h), "1/2 Starred");
    h.run(vec![Command::Db(DbRequest::LoadFeeds)]);
    assert_eq!(
        starred_line(&h),
        "1/2 Starred",
        "as the database counts them"
    );
    h.keys(&["j", "j", "enter"]);
    let screen = h.screen();
    assert!(screen.contains("1/2"), "the Starred list agrees: {screen}");
}

#[test]
fn feed_with_an_error_shows_it_when_selected() {
    let mut h = Harness::new(80, 24, sample);
    // After the virtual entries and the four tags, feeds ordered by title:
    // Broken feed, LWN.net, خبرنامه فارسی.
    h.keys(&["j"; 7]);
    let screen = h.screen();
    assert!(screen.contains("HTTP 404 Not Found"), "{screen}");
    insta::assert_snapshot!("feeds_error_selected_80x24", screen);
}

/// Regression: opening a feed whose refreshes fail (404, not a feed) showed
/// "no items" and nothing else, the reason only on the feed screen's line. Its
/// headline list says the feed's error on the status line too.
#[test]
fn an_opened_failing_feed_says_why_it_has_no_items() {
    let mut h = Harness::new(80, 24, sample);
    h.keys(&["j"; 7]);
    h.keys(&["enter"]);
    let screen = h.screen();
    assert!(screen.contains("no items"), "{screen}");
    assert!(screen.contains("! HTTP 404 Not Found"), "{screen}");
    // A feed that works says nothing of the kind.
    h.keys(&["q", "j", "enter"]);
    let screen = h.screen();
    assert!(!screen.contains("HTTP 404"), "{screen}");
}

#[test]
fn headlines_all_items() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut harness = Harness::new(w, h, sample);
        harness.keys(&["enter"]);
        insta::assert_snapshot!(format!("headlines_all_{w}x{h}"), harness.screen());
    }
}

#[test]
fn headlines_rtl_feed() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut harness = Harness::new(w, h, sample);
        harness.keys(&["G", "enter"]);
        let screen = harness.screen();
        insta::assert_snapshot!(format!("headlines_rtl_{w}x{h}"), screen);
    }
}

#[test]
fn article_rtl() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut harness = Harness::new(w, h, sample);
        harness.keys(&["G", "enter", "enter"]);
        insta::assert_snapshot!(format!("article_rtl_{w}x{h}"), harness.screen());
    }
}

#[test]
fn article_ltr() {
    let mut harness = Harness::new(80, 24, sample);
    // All items, second row: the LWN item (the first is Persian).
    harness.keys(&["enter", "j", "enter"]);
    let screen = harness.screen();
    assert!(screen.contains("Kernel prepatch"), "{screen}");
    insta::assert_snapshot!("article_ltr_80x24", screen);
}

#[test]
fn help_screen() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut harness = Harness::new(w, h, sample);
        harness.keys(&["?"]);
        insta::assert_snapshot!(format!("help_{w}x{h}"), harness.screen());
        // The end of the help: the keys of the search line and the tag picker.
        harness.keys(&["G"]);
        let end = harness.screen();
        assert!(end.contains("ctrl-w"), "{end}");
        insta::assert_snapshot!(format!("help_end_{w}x{h}"), end);
    }
}

/// `[[command]]`s are listed after the actions with their keys and names, in
/// either interface; a key they take from an action leaves that action unbound.
#[test]
fn help_screen_with_user_commands() {
    use khabar::config::command::{CommandMode, Template, UserCommand};
    let commands = || {
        vec![
            UserCommand {
                key: Key::parse("v").unwrap(),
                name: "play in mpv".into(),
                template: Template::parse("mpv %u").unwrap(),
                mode: CommandMode::Background,
            },
            UserCommand {
                key: Key::parse("ctrl-s").unwrap(),
                name: "ذخیره در پرونده".into(),
                template: Template::parse("cat > ~/saved/%i.txt").unwrap(),
                mode: CommandMode::Pipe,
            },
        ]
    };
    for (locale, dates) in [("en", DateStyle::default()), ("fa", persian_dates())] {
        let mut harness = Harness::with_dates(80, 24, sample, dates);
        harness.model.set_commands(commands());
        harness.keys(&["?", "G"]);
        let screen = harness.screen();
        assert!(screen.contains("play in mpv"), "{screen}");
        insta::assert_snapshot!(format!("help_commands_{locale}_80x24"), screen);
    }
}

#[test]
fn empty_database() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut harness = Harness::new(w, h, empty);
        insta::assert_snapshot!(format!("empty_feeds_{w}x{h}"), harness.screen());
        harness.keys(&["enter"]);
        insta::assert_snapshot!(format!("empty_headlines_{w}x{h}"), harness.screen());
    }
}

#[test]
fn smallest_and_too_small() {
    let mut harness = Harness::new(20, 5, sample);
    insta::assert_snapshot!("feeds_20x5", harness.screen());
    harness.keys(&["enter", "enter"]);
    insta::assert_snapshot!("article_20x5", harness.screen());
    harness.send(Msg::Resize {
        width: 19,
        height: 4,
    });
    assert!(harness.screen().starts_with("terminal too small"));
}

#[test]
fn opening_an_article_marks_it_read_in_the_database() {
    let mut harness = Harness::new(80, 24, sample);
    let before = harness.store.unread_count().unwrap();
    harness.keys(&["enter", "j", "enter"]);
    assert_eq!(harness.store.unread_count().unwrap(), before - 1);
    harness.keys(&["q", "q"]);
    assert_eq!(harness.model.unread_total, before - 1);
    harness.keys(&["s"]);
    harness.keys(&["enter", "A"]);
    harness.keys(&["q"]);
    assert_eq!(harness.store.unread_count().unwrap(), 0);
}

#[test]
fn o_opens_the_link_and_y_copies_it() {
    let mut harness = Harness::new(80, 24, sample);
    harness.keys(&["G", "enter", "enter", "o", "y"]);
    assert!(matches!(&harness.effects[0], Command::OpenUrl(u) if u == "https://example.org/1"));
    assert!(matches!(&harness.effects[1], Command::Copy(_)));
}

/// The style of the first cell of body row `row`.
fn cell_style(buf: &Buffer, x: u16, y: u16) -> ratatui::style::Style {
    buf[(x, y)].style()
}

#[test]
fn selected_cells_use_each_themes_colours() {
    for (name, _) in theme::BUILTIN {
        let theme = theme::load(name, None).unwrap();
        let mut harness = Harness::new(80, 24, sample);
        harness.model.theme = theme.clone();
        let buf = harness.buffer();
        // Row 1 is the selected "All items" entry; row 0 the title bar.
        let selected = cell_style(&buf, 5, 1);
        assert_eq!(selected.bg, theme.selected.bg, "{name}: selected bg");
        assert_eq!(selected.fg, theme.selected.fg, "{name}: selected fg");
        let title = cell_style(&buf, 1, 0);
        assert_eq!(title.bg, theme.title_bar.bg, "{name}: title bar");
        let status = cell_style(&buf, 1, 22);
        assert_eq!(status.bg, theme.status_bar.bg, "{name}: status bar");
        // The broken feed's "!" mark (row 8, after the tags) in the error colour.
        assert_eq!(buf[(0, 8)].symbol(), "!");
        assert_eq!(cell_style(&buf, 0, 8).fg, theme.error.fg, "{name}: error");
        // An unread headline is bold.
        harness.keys(&["enter"]);
        let buf = harness.buffer();
        assert!(
            cell_style(&buf, 40, 2)
                .add_modifier
                .contains(Modifier::BOLD),
            "{name}: unread bold"
        );
    }
}

#[test]
fn no_color_keeps_selection_visible_without_colours() {
    let mut harness = Harness::new(80, 24, sample);
    harness.model.theme = Theme::builtin_default().without_colour();
    let buf = harness.buffer();
    let selected = cell_style(&buf, 5, 1);
    assert!(selected.add_modifier.contains(Modifier::REVERSED));
    for y in 0..24 {
        for x in 0..80 {
            let style = buf[(x, y)].style();
            assert!(
                matches!(style.fg, None | Some(Color::Reset)),
                "colour at {x},{y}"
            );
            assert!(matches!(style.bg, None | Some(Color::Reset)));
        }
    }
}

#[test]
fn every_screen_draws_at_every_small_size_without_panicking() {
    let screens: &[&[&str]] = &[&[], &["enter"], &["enter", "enter"], &["?"]];
    for keys in screens {
        let mut h = Harness::new(80, 24, sample);
        h.keys(keys);
        for width in 0..=45u16 {
            for height in 0..=14u16 {
                h.send(Msg::Resize { width, height });
                let _ = h.buffer();
            }
        }
    }
}

// Regressions for the bugs QA found (qa-bugs.md T1, T3, T9), named after them.

#[test]
fn t3_title_bar_hint_follows_the_keymap() {
    use khabar::config::KeySpec;
    let mut h = Harness::new(80, 24, sample);
    let mut keys = std::collections::BTreeMap::new();
    keys.insert(
        "quit".to_string(),
        KeySpec::Many(vec!["q".into(), "Q".into()]),
    );
    keys.insert("back".to_string(), KeySpec::One("esc".into()));
    h.model.keymap = Keymap::from_config(&keys).unwrap();
    let screen = h.screen();
    let top = screen.lines().next().unwrap();
    assert!(top.ends_with("?: help  esc: back"), "{top}");
    h.keys(&["?"]);
    let screen = h.screen();
    let top = screen.lines().next().unwrap();
    assert!(top.ends_with("esc: close"), "{top}");
    // The defaults name q first, as the help screen lists them.
    let h = Harness::new(80, 24, sample);
    assert!(
        h.screen()
            .lines()
            .next()
            .unwrap()
            .ends_with("?: help  q: back")
    );
}

fn persian_tags(store: &mut Store) {
    add(
        store,
        spec(
            "http://127.0.0.1/eghtesad.xml",
            "Eghtesad",
            &["fa", "صنعت", "اقتصاد"],
            Direction::Auto,
        ),
        "en",
        vec![item(1, "Steel output", "<p>Up.</p>")],
    );
}

#[test]
fn t1_persian_tags_are_laid_out_in_the_feed_list_and_article() {
    let mut h = Harness::new(80, 24, persian_tags);
    // Tags are stored sorted; each reads right to left on its own, the list left to right.
    let screen = h.screen();
    let row = screen.lines().find(|l| l.contains("Eghtesad")).unwrap();
    assert!(row.ends_with("[fa, داصتقا, تعنص]"), "{row}");
    h.keys(&["enter", "enter"]);
    let screen = h.screen();
    let row = screen.lines().find(|l| l.starts_with("Tags: ")).unwrap();
    assert_eq!(row, "Tags: fa, داصتقا, تعنص");
}

#[test]
fn t9_large_counts_are_never_cut_to_a_wrong_number() {
    for (w, h, all, feed) in [
        (80, 24, "164000/500000 All items", "164000/500000 Big"),
        (40, 12, "164k/500k All items", "164k/500k Big"),
        (20, 5, "164k All", "164k Big"),
    ] {
        let mut harness = Harness::new(w, h, empty);
        harness.send(Msg::FeedsLoaded {
            newest: i64::MAX,
            feeds: vec![khabar::store::FeedRow {
                id: 1,
                title: "Big".into(),
                enabled: true,
                unread: 164_000,
                total: 500_000,
                ..Default::default()
            }],
            unread: 164_000,
            starred: Default::default(),
            tags: Vec::new(),
        });
        let screen = harness.screen();
        assert!(screen.contains(all), "{w}x{h}:\n{screen}");
        assert!(!screen.contains("/5000 "), "{screen}");
        harness.keys(&["G"]);
        let screen = harness.screen();
        assert!(screen.contains(feed), "{w}x{h}:\n{screen}");
    }
}

#[test]
fn tags_section_lists_each_tag_and_opens_its_items() {
    let mut h = Harness::new(80, 24, sample);
    // All items, Unread, Starred, #en, #fa: the Persian feed's tag.
    h.keys(&["j", "j", "j", "j"]);
    let screen = h.screen();
    let row = screen.lines().nth(5).unwrap();
    assert_eq!(row.trim(), "3/3 #fa");
    h.keys(&["enter"]);
    let screen = h.screen();
    assert!(screen.starts_with(" khabar › #fa "), "{screen}");
    // Exactly the three items of the feed tagged fa, with the count the entry showed.
    assert!(screen.contains("1/3"), "{screen}");
    assert!(!screen.contains("Kernel"), "{screen}");
    insta::assert_snapshot!("headlines_tag_80x24", screen);
    // Marking it read from the tag list updates the tag's counts on the way back.
    h.keys(&["A", "q"]);
    let screen = h.screen();
    assert_eq!(screen.lines().nth(5).unwrap().trim(), "0/3 #fa");
    assert_eq!(screen.lines().nth(6).unwrap().trim(), "0/3 #news");
    assert!(h.screen().contains("2 unread"), "{screen}");
}

#[test]
fn persian_tag_entries_read_right_to_left_after_the_hash() {
    let mut h = Harness::new(80, 24, persian_tags);
    let screen = h.screen();
    let rows: Vec<&str> = screen.lines().map(str::trim).collect();
    assert_eq!(&rows[4..7], ["1/1 #fa", "1/1 #داصتقا", "1/1 #تعنص"]);
    h.keys(&["G", "k", "enter"]);
    assert!(h.screen().starts_with(" khabar › #تعنص"), "{}", h.screen());
}

#[test]
fn empty_feed_list_hint_names_the_key_bound_to_refresh_all() {
    use khabar::config::KeySpec;
    let mut h = Harness::new(80, 24, empty);
    let mut keys = std::collections::BTreeMap::new();
    keys.insert("refresh_all".to_string(), KeySpec::One("ctrl-r".into()));
    h.model.keymap = Keymap::from_config(&keys).unwrap();
    let screen = h.screen();
    assert!(
        screen.contains("or ctrl-r to refresh the configured ones"),
        "{screen}"
    );
    // R taken by another action and nothing else bound to refreshing all.
    keys.remove("refresh_all");
    keys.insert("toggle_read".to_string(), KeySpec::One("R".into()));
    h.model.keymap = Keymap::from_config(&keys).unwrap();
    let screen = h.screen();
    assert!(
        screen.contains("No feeds yet: `khabar add URL`."),
        "{screen}"
    );
    assert!(!screen.contains(" R "), "{screen}");
}

// The Persian interface (issue 9): `[display] locale = "fa"` as the reader's
// entry point resolves it (Jalali dates, Persian digits, relative dates).

/// Tehran: UTC+3:30.
const TEHRAN: i32 = 3 * 3600 + 1800;

fn persian_dates() -> DateStyle {
    DateStyle {
        jalali: true,
        persian_digits: true,
        utc_offset: TEHRAN,
        locale: khabar::config::Locale::Fa,
        relative: true,
        now: None,
    }
}

/// The sample plus older items, so that the list shows a time (today),
/// `دیروز`, `N روز پیش` and a Jalali date.
fn sample_with_older_items(store: &mut Store) {
    sample(store);
    add(
        store,
        spec(
            "http://127.0.0.1/archive.xml",
            "بایگانی",
            &["fa"],
            Direction::Rtl,
        ),
        "fa",
        vec![
            item(30, "خبر دیروز", "<p>دیروز</p>"),
            item(80, "خبر چند روز پیش", "<p>چند روز پیش</p>"),
            item(800, "خبر ماه گذشته", "<p>ماه گذشته</p>"),
        ],
    );
}

fn persian(width: u16, height: u16, fill: fn(&mut Store)) -> Harness {
    let mut h = Harness::with_dates(width, height, fill, persian_dates());
    h.send(Msg::Tick {
        now: NOW,
        utc_offset: TEHRAN,
    });
    h
}

/// A screen to snapshot: its name, the database, the keys that reach it.
type ScreenCase = (&'static str, fn(&mut Store), &'static [&'static str]);

#[test]
fn persian_interface_every_screen() {
    let screens: &[ScreenCase] = &[
        ("feeds", sample_with_older_items, &[]),
        ("feeds_error_selected", sample, &["j"; 7]),
        ("headlines_all", sample_with_older_items, &["enter"]),
        ("headlines_rtl", sample, &["G", "enter"]),
        ("article_rtl", sample, &["G", "enter", "enter"]),
        ("article_ltr", sample, &["enter", "j", "enter"]),
        ("help", sample, &["?"]),
        ("help_end", sample, &["?", "G"]),
        ("empty_feeds", empty, &[]),
        ("empty_headlines", empty, &["enter"]),
        ("unread_only_empty", empty, &["u", "enter"]),
    ];
    for (name, fill, keys) in screens {
        for (w, h) in [(80, 24), (40, 12)] {
            let mut harness = persian(w, h, *fill);
            harness.keys(keys);
            insta::assert_snapshot!(format!("fa_{name}_{w}x{h}"), harness.screen());
        }
    }
}

#[test]
fn persian_interface_is_mirrored_and_speaks_persian() {
    let mut h = persian(80, 24, sample_with_older_items);
    let screen = h.screen();
    let rows: Vec<&str> = screen.lines().collect();
    // The title reads from the right end; the key hints sit at the left.
    // (Rows are in screen order, left to right: Persian reads from their end.)
    assert!(rows[0].ends_with("اهک\u{200c}اروخ ‹ ربخ"), "{screen}");
    assert!(rows[0].starts_with(" تشگزاب :q  امنهار :?"), "{screen}");
    // Counts at the left end in Persian digits, names at the right end.
    assert!(rows[1].trim_start().starts_with("۸/۸ "), "{screen}");
    assert!(rows[1].ends_with("بلاطم هٔمه"), "{screen}");
    // The status line: the unread count at the left end.
    assert!(rows[22].starts_with(" هدناوخن ۸"), "{screen}");
    // Relative dates at the left end of each headline.
    h.keys(&["enter"]);
    let screen = h.screen();
    for date in ["۰۹:۳۶ ", "زورید ", "شیپ زور ۳ ", "۱۴۰۳/۰۷/۲۶ "] {
        assert!(
            screen.lines().any(|l| l.trim_start().starts_with(date)),
            "{date}:\n{screen}"
        );
    }
    // Messages are Persian too.
    h.keys(&["s"]);
    assert!(h.screen().lines().last().unwrap().ends_with("دروخ هراتس"));
}

#[test]
fn switching_locale_changes_only_the_words_and_the_direction() {
    // The same keys do the same things in both interfaces: the same effects,
    // the same database writes, the same item under the cursor.
    let keys = [
        "enter", "j", "enter", "s", "o", "q", "m", "n", "y", "q", "u", "j", "enter", "A", "q",
    ];
    let mut en = Harness::new(80, 24, sample_with_older_items);
    let mut fa = persian(80, 24, sample_with_older_items);
    for k in keys {
        en.keys(&[k]);
        fa.keys(&[k]);
        assert_eq!(en.effects, fa.effects, "after {k}");
        assert_eq!(en.model.feed_cursor, fa.model.feed_cursor, "after {k}");
        assert_eq!(
            en.model.list().map(|l| l.selected().map(|r| r.id)),
            fa.model.list().map(|l| l.selected().map(|r| r.id)),
            "after {k}"
        );
        assert_eq!(
            en.store.unread_count().unwrap(),
            fa.store.unread_count().unwrap(),
            "after {k}"
        );
    }
}

#[test]
fn persian_screens_draw_at_every_small_size_without_panicking() {
    let screens: &[&[&str]] = &[&[], &["enter"], &["enter", "enter"], &["?"], &["j"; 7]];
    for keys in screens {
        let mut h = persian(80, 24, sample_with_older_items);
        h.keys(keys);
        h.model.refresh = Some(khabar::tui::model::RefreshProgress { done: 3, total: 12 });
        h.model.last_error = Some("http://127.0.0.1/x.xml: HTTP 404 Not Found".into());
        for width in 0..=45u16 {
            for height in 0..=14u16 {
                h.send(Msg::Resize { width, height });
                let _ = h.buffer();
            }
        }
    }
}

/// Feeds that were never fetched: what a first start with the built-in list shows.
fn never_fetched(store: &mut Store) {
    for url in ["https://a.example/rss", "https://b.example/rss"] {
        store
            .add_feed(&FeedSpec {
                url: url.to_string(),
                title: Some(url.to_string()),
                tags: Vec::new(),
                direction: Direction::Auto,
                fulltext: false,
                enabled: true,
            })
            .unwrap();
    }
}

/// Issue 12: with no `[display]` in the config, a first start points to
/// `khabar terminal-check` below the feed list, in one line that fits 80 columns;
/// not once `[display]` is set, and not once something was fetched.
#[test]
fn a_first_start_offers_the_terminal_check_when_display_is_not_set() {
    let mut h = Harness::new(80, 24, never_fetched);
    h.model.offer_terminal_check = true;
    let screen = h.screen();
    let offer = "Persian looks wrong here? Quit and run `khabar terminal-check`.";
    assert!(screen.contains(offer), "{screen}");
    assert!(
        screen
            .contains("first start: R fetches these feeds; or khabar add URL, import FILE, --demo"),
        "{screen}"
    );
    h.model.offer_terminal_check = false;
    assert!(!h.screen().contains("terminal-check"));
    // Something fetched: no offer even when display is not set.
    let mut fetched = Harness::new(80, 24, sample);
    fetched.model.offer_terminal_check = true;
    assert!(!fetched.screen().contains("terminal-check"));
}
