//! The reader's search line on a real database (the Persian fixtures), drawn
//! into a TestBackend buffer and snapshotted: typing Persian (visual order,
//! cursor at the left end of what was typed), the matches listed, a bad query's
//! message, and a match opened and marked read.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use khabar::feed::ParsedFeed;
use khabar::query::parse;
use khabar::store::{FeedSpec, FeedUpdate, SearchClock, Store};
use khabar::text::{Direction, LayoutOptions};
use khabar::tui::keymap::Key;
use khabar::tui::{Command, DateStyle, DbRequest, Keymap, Model, Msg, db, update, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

const NOW: i64 = 1_732_000_000; // 2024-11-19

struct Harness {
    model: Model,
    store: Store,
    _dir: tempfile::TempDir,
}

impl Harness {
    fn new(width: u16, height: u16) -> Harness {
        Harness::with_dates(width, height, DateStyle::default())
    }

    /// The reader in `[display] locale = "fa"` (Jalali dates, Persian digits).
    fn persian(width: u16, height: u16) -> Harness {
        let dates = DateStyle {
            jalali: true,
            persian_digits: true,
            utc_offset: 3 * 3600 + 1800,
            locale: khabar::config::Locale::Fa,
            relative: true,
            now: None,
        };
        let mut h = Harness::with_dates(width, height, dates);
        h.send(Msg::Tick {
            now: NOW,
            utc_offset: 3 * 3600 + 1800,
        });
        h
    }

    fn with_dates(width: u16, height: u16, dates: DateStyle) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db")).unwrap();
        for name in ["fa-rss20-worldservice-template", "fa-rss20-windows-1256"] {
            let path = format!(
                "{}/tests/fixtures/feeds/{name}.xml",
                env!("CARGO_MANIFEST_DIR")
            );
            let url = format!("https://{name}.example/rss");
            let parsed: ParsedFeed =
                khabar::feed::parse(&std::fs::read(path).unwrap(), None, &url).unwrap();
            let spec = FeedSpec {
                url: url.clone(),
                title: None,
                tags: vec![],
                direction: Direction::Auto,
                fulltext: false,
                enabled: true,
            };
            let id = store.add_feed(&spec).unwrap();
            let update = FeedUpdate {
                feed: parsed,
                ..FeedUpdate::default()
            };
            store.apply_update(id, &update, NOW).unwrap();
        }
        let model = Model::new(Keymap::default(), LayoutOptions::default(), dates);
        let mut h = Harness {
            model,
            store,
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
                if let Command::Db(request) = command
                    && let Some(msg) = db::run(&mut self.store, request)
                {
                    next.extend(update(&mut self.model, msg));
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

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            let k = if c == ' ' {
                "space".to_string()
            } else {
                c.to_string()
            };
            self.keys(&[&k]);
        }
    }

    fn buffer(&self) -> Buffer {
        let mut terminal =
            Terminal::new(TestBackend::new(self.model.width, self.model.height)).unwrap();
        terminal.draw(|f| view(&self.model, f)).unwrap();
        terminal.backend().buffer().clone()
    }

    fn screen(&self) -> String {
        let buf = self.buffer();
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

    /// The column of the search line's cursor (the reversed cell on the last row).
    fn cursor_column(&self) -> Option<u16> {
        let buf = self.buffer();
        let y = buf.area.height - 1;
        (0..buf.area.width).find(|&x| buf[(x, y)].modifier.contains(Modifier::REVERSED))
    }
}

#[test]
fn typing_persian_shows_it_right_to_left_with_the_matches() {
    for (width, height) in [(80, 24), (40, 12)] {
        let mut h = Harness::new(width, height);
        h.keys(&["/"]);
        h.typed("ايران");
        insta::assert_snapshot!(format!("search_typing_fa_{width}x{height}"), h.screen());
        // Right-aligned, the cursor touching the last letter typed on its left.
        let last_row = h.screen().lines().last().unwrap().to_string();
        assert!(last_row.trim_end().ends_with("ناريا"), "{last_row}");
        let typed_width = 5;
        assert_eq!(h.cursor_column(), Some(width - 1 - typed_width));
    }
}

#[test]
fn a_bad_query_shows_what_and_where() {
    let mut h = Harness::new(80, 24);
    h.keys(&["/"]);
    h.typed("بازار after:");
    let screen = h.screen();
    assert!(
        screen.contains("bad query at column 13: after: needs a date"),
        "{screen}"
    );
    insta::assert_snapshot!("search_bad_query_80x24", screen);
    // On a narrow screen the message is cut at its end, so where comes first.
    let mut h = Harness::new(40, 12);
    h.keys(&["/"]);
    h.typed("bank source:x");
    let screen = h.screen();
    assert!(
        screen.contains("bad query at column 6: unknown"),
        "{screen}"
    );
}

#[test]
fn enter_opens_a_match_and_it_is_read() {
    let mut h = Harness::new(80, 24);
    h.keys(&["/"]);
    h.typed("کارگروه");
    h.keys(&["enter"]);
    let screen = h.screen();
    assert!(
        screen.contains("کارگروه") || screen.contains("هورگراك"),
        "{screen}"
    );
    let q = parse("کارگروه is:read").unwrap();
    assert_eq!(
        h.store.count_query(&q, SearchClock::local()).unwrap(),
        (0, 1)
    );
}

/// The text of the underlined cells of row `y`.
fn underlined(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width)
        .filter(|&x| buf[(x, y)].modifier.contains(Modifier::UNDERLINED))
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

#[test]
fn matches_are_marked_in_the_list_and_in_the_article() {
    let mut h = Harness::new(80, 24);
    h.keys(&["/"]);
    // Arabic Yeh typed; the titles spell ایران with Persian Yeh, drawn reversed.
    h.typed("ايران");
    let buf = h.buffer();
    assert_eq!(underlined(&buf, 1), "ناریا", "row 1 marks only the match");
    assert_eq!(underlined(&buf, 2), "ناریا");
    h.keys(&["enter"]);
    let buf = h.buffer();
    let marked: String = (1..23).map(|y| underlined(&buf, y)).collect();
    assert!(
        marked.contains("ناریا"),
        "article marks the word: {marked:?}\n{}",
        h.screen()
    );
}

#[test]
fn the_tag_picker_lists_every_tag_with_counts_narrows_and_opens() {
    let mut h = Harness::new(80, 24);
    h.keys(&["t"]);
    insta::assert_snapshot!("tag_picker_80x24", h.screen());
    // Typed with Persian Yeh; the legacy feed spells its category فناوري.
    h.typed("فناوری");
    let screen = h.screen();
    insta::assert_snapshot!("tag_picker_narrowed_80x24", screen);
    h.keys(&["enter"]);
    let screen = h.screen();
    assert!(
        screen.contains("1/4"),
        "every spelling of the tag: {screen}"
    );
    assert!(screen.contains("Apple"), "{screen}");
}

#[test]
fn a_view_is_listed_first_with_counts_opens_like_a_feed_and_s_saves_one() {
    let mut h = Harness::new(80, 24);
    h.model.views.push(khabar::tui::model::View {
        name: "اقتصاد".to_string(),
        query: parse("tag:اقتصاد or tag:بازار is:unread").unwrap(),
        counts: None,
        newest: 0,
    });
    h.run(vec![Command::Db(DbRequest::LoadFeeds)]);
    let screen = h.screen();
    insta::assert_snapshot!("view_on_feed_screen_80x24", screen);
    assert!(screen.lines().nth(1).unwrap().contains("5/5"), "{screen}");
    h.keys(&["enter"]);
    let screen = h.screen();
    assert!(screen.contains("1/5"), "{screen}");
    // S on a search's results saves it as a view (the runner writes the file).
    h.keys(&["q", "/"]);
    h.typed("بورس");
    h.keys(&["esc"]);
    let commands = update(&mut h.model, Msg::Key(Key::parse("S").unwrap()));
    assert!(commands.contains(&Command::SaveView {
        name: "بورس".to_string(),
        query: "بورس".to_string()
    }));
    assert_eq!(h.model.views.len(), 2);
}

/// `S` on a search that already is a view (a view opened from the feed screen,
/// or the same search saved twice) appended another `[[view]]` with the same
/// query to the config file at every press, and said "saved" under the query's
/// text while the feed screen kept the old name.
#[test]
fn s_on_a_search_that_already_is_a_view_names_it_and_writes_nothing() {
    let mut h = Harness::new(80, 24);
    h.model.views.push(khabar::tui::model::View {
        name: "اقتصاد".to_string(),
        query: parse("tag:اقتصاد or tag:بازار is:unread").unwrap(),
        counts: None,
        newest: 0,
    });
    h.run(vec![Command::Db(DbRequest::LoadFeeds)]);
    h.keys(&["enter"]);
    let commands = update(&mut h.model, Msg::Key(Key::parse("S").unwrap()));
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, Command::SaveView { .. })),
        "{commands:?}"
    );
    let message = h.model.message.clone().unwrap();
    assert_eq!(message, "already a view: اقتصاد");
    assert_eq!(h.model.views.len(), 1);
    // A new search is saved once; the second S only says so.
    h.keys(&["q", "/"]);
    h.typed("بورس");
    h.keys(&["esc"]);
    let first = update(&mut h.model, Msg::Key(Key::parse("S").unwrap()));
    assert!(first.iter().any(|c| matches!(c, Command::SaveView { .. })));
    let again = update(&mut h.model, Msg::Key(Key::parse("S").unwrap()));
    assert!(
        !again.iter().any(|c| matches!(c, Command::SaveView { .. })),
        "{again:?}"
    );
    assert_eq!(h.model.message.as_deref(), Some("already a view: بورس"));
    assert_eq!(h.model.views.len(), 2);
}

/// `S` on a search whose text is the name of a hand-written view with another
/// query appended a second view of that name: the feed screen listed it twice.
#[test]
fn s_on_a_search_named_like_another_view_writes_nothing() {
    let mut h = Harness::new(80, 24);
    h.model.views.push(khabar::tui::model::View {
        name: "بورس".to_string(),
        query: parse("tag:بورس").unwrap(),
        counts: None,
        newest: 0,
    });
    h.run(vec![Command::Db(DbRequest::LoadFeeds)]);
    h.keys(&["/"]);
    h.typed("بورس");
    h.keys(&["esc"]);
    let commands = update(&mut h.model, Msg::Key(Key::parse("S").unwrap()));
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, Command::SaveView { .. })),
        "{commands:?}"
    );
    assert_eq!(h.model.message.as_deref(), Some("already a view: بورس"));
    assert_eq!(h.model.views.len(), 1);
}

/// The rows the reader's search list holds, in order.
fn listed(h: &Harness) -> Vec<(i64, String)> {
    h.model
        .list()
        .unwrap()
        .rows
        .iter()
        .map(|r| (r.id, r.title.clone()))
        .collect()
}

#[test]
fn the_readers_matches_rank_a_title_match_above_a_newer_body_match_as_khabar_search_does() {
    let mut h = Harness::new(80, 24);
    h.keys(&["/"]);
    // صنعت: in the titles of the two (oldest) کارگروه items, and only in the
    // body of the newest item, افزايش توليد كالا.
    h.typed("صنعت");
    let rows = listed(&h);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(
        rows[0].1.contains("صنعت") && rows[1].1.contains("صنعت"),
        "{rows:?}"
    );
    assert!(rows[2].1.contains("افزايش"), "{rows:?}");
    assert!(
        h.model.list().unwrap().rows[2].sort_time > h.model.list().unwrap().rows[0].sort_time,
        "the body match is the newer one"
    );
    // The same order as `khabar search` (Store::search).
    let query = parse("صنعت").unwrap();
    let cli: Vec<i64> = h
        .store
        .search(&query, SearchClock::local(), 100)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), cli);
    // sort:date: newest first, whatever matched where.
    h.typed(" sort:date");
    let rows = listed(&h);
    assert!(rows[0].1.contains("افزايش"), "{rows:?}");
    assert_eq!(rows.len(), 3);
}

/// A view like the issue's, on the fixtures' categories.
fn economy_view() -> khabar::tui::model::View {
    khabar::tui::model::View {
        name: "اقتصاد".to_string(),
        query: parse("tag:اقتصاد or tag:بازار is:unread").unwrap(),
        counts: None,
        newest: 0,
    }
}

#[test]
fn persian_interface_search_line_views_and_tag_picker() {
    for (width, height) in [(80, 24), (40, 12)] {
        let snap = |name: &str| format!("fa_{name}_{width}x{height}");
        // The search line, mirrored: `/` at the right end, the hint from the right.
        let mut h = Harness::persian(width, height);
        h.keys(&["/"]);
        let screen = h.screen();
        let last = screen.lines().last().unwrap();
        assert!(last.ends_with('/'), "{screen}");
        insta::assert_snapshot!(snap("search_line_empty"), screen);
        // Persian typed: right-aligned beside the `/`, the cursor at its left end.
        h.typed("ايران");
        let screen = h.screen();
        assert!(
            screen.lines().last().unwrap().ends_with("ناريا /"),
            "{screen}"
        );
        assert_eq!(h.cursor_column(), Some(width - 2 - 5));
        insta::assert_snapshot!(snap("search_typing"), screen);
        // Latin typed in a Persian interface: right-aligned too, the cursor after it.
        let mut h = Harness::persian(width, height);
        h.keys(&["/"]);
        h.typed("apple");
        assert!(h.screen().lines().last().unwrap().ends_with("apple /"));
        assert_eq!(h.cursor_column(), Some(width - 2));
        // A bad query: in Persian, the column in Persian digits, from the right.
        let mut h = Harness::persian(width, height);
        h.keys(&["/"]);
        h.typed("بازار after:");
        let screen = h.screen();
        insta::assert_snapshot!(snap("search_bad_query"), screen);
        // The tag picker and a narrowed one.
        let mut h = Harness::persian(width, height);
        h.keys(&["t"]);
        insta::assert_snapshot!(snap("tag_picker"), h.screen());
        h.typed("فناوری");
        insta::assert_snapshot!(snap("tag_picker_narrowed"), h.screen());
        // A view on the feed screen, and opened.
        let mut h = Harness::persian(width, height);
        h.model.views.push(economy_view());
        h.run(vec![Command::Db(DbRequest::LoadFeeds)]);
        let screen = h.screen();
        assert!(screen.lines().nth(1).unwrap().contains("۵/۵"), "{screen}");
        insta::assert_snapshot!(snap("view_on_feed_screen"), screen);
        h.keys(&["enter"]);
        let screen = h.screen();
        assert!(screen.contains("۱/۵"), "{screen}");
        insta::assert_snapshot!(snap("view_opened"), screen);
    }
}

#[test]
fn a_bad_query_in_the_persian_interface_is_persian_with_persian_digits() {
    let mut h = Harness::persian(80, 24);
    h.keys(&["/"]);
    h.typed("بازار after:");
    let error = h.model.search.as_ref().unwrap().error.clone().unwrap();
    assert_eq!(error.column, 13);
    // The status row holds the message laid out right to left; its words in
    // logical order are checked through the same text the view draws.
    let screen = h.screen();
    let status = screen.lines().nth(22).unwrap();
    assert!(
        status.contains("۱۳"),
        "the column in Persian digits: {status}"
    );
    assert!(!status.contains("13"), "{status}");
    assert!(!status.contains("needs"), "no English: {status}");
    assert!(
        status.contains("after"),
        "the filter's name stays: {status}"
    );
}

/// Opened over a list, the picker's status line showed that list's place (`1/12`)
/// beside one narrowed tag: the position is the picker's own.
#[test]
fn the_tag_picker_shows_its_own_position_not_the_lists_below_it() {
    let mut h = Harness::new(80, 24);
    h.keys(&["enter"]);
    assert!(h.screen().contains("1/12"), "{}", h.screen());
    h.keys(&["t"]);
    let status = h.screen().lines().nth(22).unwrap().trim().to_string();
    assert_eq!(status, "1/11", "{}", h.screen());
    h.typed("فناوری");
    let status = h.screen().lines().nth(22).unwrap().trim().to_string();
    assert_eq!(status, "1/1", "{}", h.screen());
}

/// In the Persian interface a filter that matched no tag showed `برچسبی نیست`
/// with its letters in logical order at the left end: read right to left on the
/// screen it was backwards. It is laid out like the picker's rows.
#[test]
fn a_persian_tag_picker_that_matches_nothing_says_so_right_to_left() {
    for (width, height) in [(80, 24), (40, 12)] {
        let mut h = Harness::persian(width, height);
        h.keys(&["t"]);
        h.typed("zz");
        let screen = h.screen();
        let row = screen.lines().nth(1).unwrap();
        // Visual order, the last cell of the row left blank like the rows'.
        let visual: String = "برچسبی نیست".chars().rev().collect();
        assert!(row.ends_with(&visual), "{screen}");
        assert_eq!(
            UnicodeWidthStr::width(row),
            usize::from(width) - 1,
            "{screen}"
        );
    }
}

/// At 40×12 the tag picker moved to its last tag left the body's bottom row
/// blank (it scrolled as if the body were a row shorter), and the window then
/// made bigger showed those few rows over a blank screen.
#[test]
fn the_tag_picker_at_its_end_uses_every_row_and_fills_a_window_made_bigger() {
    let mut h = Harness::new(40, 12);
    h.keys(&["t"]);
    let tags = h.model.tag_picker.as_ref().unwrap().shown().len();
    assert!(tags > 9, "more tags than rows");
    for _ in 0..tags {
        h.keys(&["down"]);
    }
    let screen = h.screen();
    let body: Vec<&str> = screen.lines().skip(1).take(9).collect();
    assert!(body.iter().all(|row| row.contains('#')), "{screen}");
    h.send(Msg::Resize {
        width: 80,
        height: 24,
    });
    let screen = h.screen();
    let rows = screen.lines().filter(|row| row.contains('#')).count();
    assert_eq!(rows, tags, "{screen}");
}
