//! The README's pictures are the screens khabar draws today. Each scene in
//! `docs/screenshots/scenes.tsv` is drawn here in-process (the demo data, the
//! built-in config, the scene's keys) and compared with the text that
//! `bench/screenshots.sh` captured from the real binary in tmux; the SVG must
//! hold the same text. A screen that changed fails here until the pictures are
//! made again with `bench/screenshots.sh`.
//!
//! `KHABAR_SCREENSHOTS_DIR` points the comparison at pictures made elsewhere:
//! `.ci/run` makes them afresh from the real binary and checks those too.
//!
//! Dates and times are masked on both sides: the demo stamps items it cannot
//! date with the time it was created, so they differ between any two runs.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};

use khabar::config::{BidiMode, Config, ShapingMode};
use khabar::store::Store;
use khabar::tui::keymap::Key;
use khabar::tui::{Command, DbRequest, Model, Msg, ReaderOptions, db, update, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unicode_width::UnicodeWidthStr;

struct Scene {
    name: String,
    cols: u16,
    rows: u16,
    args: Vec<String>,
    keys: Vec<String>,
}

fn shots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots")
}

/// Where the captured `.txt` and `.svg` files are: the README's, unless
/// `KHABAR_SCREENSHOTS_DIR` names fresh ones.
fn captures_dir() -> PathBuf {
    std::env::var_os("KHABAR_SCREENSHOTS_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(shots_dir)
}

fn scenes() -> Vec<Scene> {
    let text = std::fs::read_to_string(shots_dir().join("scenes.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 6, "scenes.tsv: {line:?}");
            Scene {
                name: fields[0].to_string(),
                cols: fields[1].parse().unwrap(),
                rows: fields[2].parse().unwrap(),
                args: fields[3].split_whitespace().map(String::from).collect(),
                keys: fields[4].split_whitespace().map(String::from).collect(),
            }
        })
        .collect()
}

/// tmux's key names as the keymap spells them.
fn key(tmux_name: &str) -> Key {
    let name = match tmux_name {
        "Enter" => "enter",
        "Escape" => "esc",
        "BSpace" => "backspace",
        "Tab" => "tab",
        "Space" => "space",
        other => other,
    };
    Key::parse(name).unwrap_or_else(|| panic!("no key {tmux_name:?}"))
}

/// The scene drawn the way `khabar --demo ARGS` draws it, as text rows.
fn draw(scene: &Scene, dir: &Path) -> Vec<String> {
    let mut config = Config::builtin();
    // `--config` first, as the binary applies the others over the file.
    if let Some(at) = scene.args.iter().position(|a| a == "--config") {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(&scene.args[at + 1]);
        config = Config::load_file(&path, true).unwrap();
    }
    let mut args = scene.args.iter();
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next().map(String::as_str)) {
            ("--bidi", Some("terminal")) => config.display.bidi = BidiMode::Terminal,
            ("--bidi", Some("app")) => config.display.bidi = BidiMode::App,
            ("--shaping", Some("app")) => config.display.shaping = ShapingMode::App,
            ("--shaping", Some("terminal")) => config.display.shaping = ShapingMode::Terminal,
            ("--config", Some(_)) => {}
            other => panic!("scenes.tsv: this test does not know {other:?}"),
        }
    }
    let options = ReaderOptions {
        config,
        config_path: dir.join("config.toml"),
        themes_dir: dir.join("themes"),
        db_path: dir.join("demo.db"),
        demo: true,
        display_configured: true,
    };
    let mut model = khabar::tui::model_from_config(&options, 0).unwrap();
    model.offline = true;
    let mut store = khabar::tui::demo::create(&options.db_path).unwrap();
    let now = chrono::Utc::now().timestamp();
    let mut commands = update(
        &mut model,
        Msg::Resize {
            width: scene.cols,
            height: scene.rows,
        },
    );
    commands.push(Command::Db(DbRequest::LoadFeeds));
    run(&mut model, &mut store, commands);
    let tick = update(&mut model, Msg::Tick { now, utc_offset: 0 });
    run(&mut model, &mut store, tick);
    for name in &scene.keys {
        let commands = update(&mut model, Msg::Key(key(name)));
        run(&mut model, &mut store, commands);
    }
    // What the runner sends once a second; a search line updates on it too.
    let tick = update(&mut model, Msg::Tick { now, utc_offset: 0 });
    run(&mut model, &mut store, tick);
    screen_rows(&model)
}

/// Runs database requests synchronously, as the worker would; other effects
/// (refresh, browser) are not part of a picture.
fn run(model: &mut Model, store: &mut Store, mut commands: Vec<Command>) {
    while !commands.is_empty() {
        let mut next = Vec::new();
        for command in commands {
            if let Command::Db(request) = command
                && let Some(msg) = db::run(store, request)
            {
                next.extend(update(model, msg));
            }
        }
        commands = next;
    }
}

fn screen_rows(model: &Model) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(model.width, model.height)).unwrap();
    terminal.draw(|f| view(model, f)).unwrap();
    let buf = terminal.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < buf.area.width {
                let symbol = buf[(x, y)].symbol();
                line.push_str(symbol);
                x += UnicodeWidthStr::width(symbol).max(1) as u16;
            }
            line.trim_end().to_string()
        })
        .collect()
}

/// Masks what changes from run to run: dates and clock times, in ASCII or
/// Persian digits, Gregorian or Jalali.
fn mask_dates(line: &str) -> String {
    let digit = |c: char| c.is_ascii_digit() || ('۰'..='۹').contains(&c);
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        // yyyy-mm-dd or yyyy/mm/dd
        let date = i + 10 <= chars.len()
            && (0..4).all(|k| digit(chars[i + k]))
            && matches!(chars[i + 4], '-' | '/')
            && digit(chars[i + 5])
            && digit(chars[i + 6])
            && chars[i + 7] == chars[i + 4]
            && digit(chars[i + 8])
            && digit(chars[i + 9]);
        // hh:mm
        let time = i + 5 <= chars.len()
            && digit(chars[i])
            && digit(chars[i + 1])
            && chars[i + 2] == ':'
            && digit(chars[i + 3])
            && digit(chars[i + 4]);
        if date {
            out.push_str("<date>");
            i += 10;
        } else if time {
            out.push_str("<time>");
            i += 5;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The text of an SVG's text runs, row by row (rows told apart by their `y`).
fn svg_rows(svg: &str) -> Vec<String> {
    let mut rows: Vec<(f64, String)> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text ") {
        rest = &rest[start..];
        let Some(end) = rest.find("</text>") else {
            break;
        };
        let element = &rest[..end];
        rest = &rest[end..];
        if element.contains("-title\"") {
            continue;
        }
        let y: f64 = element
            .split(" y=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        let x: f64 = element
            .split(" x=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        let text = element.split_once('>').unwrap().1;
        let text = text
            .replace("&#160;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&amp;", "&");
        // Rich leaves out runs of blanks: put the gap back from the x position.
        let cells = (x / (20.0 * 0.61)).round() as usize;
        match rows.iter_mut().find(|(ry, _)| (*ry - y).abs() < 0.01) {
            Some((_, line)) => {
                let have = UnicodeWidthStr::width(line.as_str());
                line.push_str(&" ".repeat(cells.saturating_sub(have)));
                line.push_str(&text);
            }
            None => rows.push((y, format!("{}{text}", " ".repeat(cells)))),
        }
    }
    rows.into_iter()
        .map(|(_, l)| l.trim_end().to_string())
        .collect()
}

#[test]
fn every_picture_shows_the_screen_khabar_draws_today() {
    let scenes = scenes();
    assert!(scenes.len() >= 4, "the README shows at least four pictures");
    let mut stale = Vec::new();
    for scene in &scenes {
        let dir = tempfile::tempdir().unwrap();
        let drawn: Vec<String> = draw(scene, dir.path())
            .iter()
            .map(|l| mask_dates(l))
            .collect();
        let captured_text =
            std::fs::read_to_string(captures_dir().join(format!("{}.txt", scene.name))).unwrap();
        let captured: Vec<String> = captured_text.lines().map(mask_dates).collect();
        if drawn != captured {
            stale.push(format!(
                "{}: drawn today\n{}\n--- captured\n{}",
                scene.name,
                drawn.join("\n"),
                captured.join("\n")
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "pictures older than the screens they show; run bench/screenshots.sh\n{}",
        stale.join("\n\n")
    );
}

#[test]
fn every_svg_holds_the_text_that_was_captured_with_it() {
    for scene in scenes() {
        let txt =
            std::fs::read_to_string(captures_dir().join(format!("{}.txt", scene.name))).unwrap();
        let svg =
            std::fs::read_to_string(captures_dir().join(format!("{}.svg", scene.name))).unwrap();
        assert!(
            svg.contains("unicode-bidi: bidi-override"),
            "{}: a viewer would reorder the cells again",
            scene.name
        );
        let from_svg = svg_rows(&svg);
        let lines: Vec<&str> = txt.lines().filter(|l| !l.trim().is_empty()).collect();
        let svg_lines: Vec<&str> = from_svg
            .iter()
            .map(String::as_str)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert_eq!(svg_lines, lines, "{}: svg and txt disagree", scene.name);
    }
}

#[test]
fn masking_hides_dates_and_times_in_both_calendars_and_digit_sets() {
    assert_eq!(
        mask_dates("Date: 2026-11-30 14:24 x"),
        "Date: <date> <time> x"
    );
    assert_eq!(mask_dates("۱۴۰۵/۰۹/۰۹ ۱۴:۰۵"), "<date> <time>");
    assert_eq!(mask_dates("81/81 All items"), "81/81 All items");
}
