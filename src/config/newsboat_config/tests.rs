//! The translator on the hand-written fixture: its TOML loads with the real
//! loader, with the values newsboat had, and every other line is reported.

use std::path::Path;

use super::*;
use crate::config::Config;

const FIXTURE: &str = include_str!("../../../tests/fixtures/newsboat-config");

fn no_includes(path: &str) -> Result<(String, String), String> {
    Err(format!("cannot read {path}"))
}

#[test]
fn the_fixture_translates_into_a_config_that_loads() {
    let out = translate("config", FIXTURE, &mut no_includes);
    let config = Config::from_user_toml(&out.toml, Path::new("config.toml"))
        .unwrap_or_else(|e| panic!("{e}\n{}", out.toml));
    assert_eq!(config.general.browser, "firefox --new-tab %u");
    assert_eq!(config.fetch.concurrency, 8);
    assert_eq!(config.general.refresh_interval_minutes, 30);
    assert_eq!(config.cleanup.keep_read_days, 0);
    assert_eq!(
        config.general.notify_command,
        "'/usr/bin/notify-send' 'newsboat: '%n' new ('%u' unread)'"
    );
    assert_eq!(config.sync.provider, "miniflux");
    assert_eq!(config.sync.url, "https://rss.example.org/");
    assert_eq!(config.sync.username, "reader");
    assert_eq!(config.sync.password_command, "pass show miniflux");
    assert!(config.sync.password.is_empty());
    let keys = |a: &str| match config.keys.get(a) {
        Some(crate::config::KeySpec::Many(k)) => k.clone(),
        other => panic!("{a}: {other:?}"),
    };
    assert_eq!(keys("down"), ["down", "j"]);
    assert_eq!(keys("next_unread"), ["n", "J"]);
    assert!(config.ignores.is_empty(), "{:?}", config.ignores);
    assert_eq!(config.commands.len(), 1);
    assert_eq!(config.commands[0].key, "v");
    assert_eq!(config.commands[0].run, "mpv %u");
    assert_eq!(config.commands[0].name, "play in mpv");
    let skipped: Vec<(usize, &str)> = out
        .skipped
        .iter()
        .map(|s| (s.place.line, s.command.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            (7, "max-items"),
            (9, "show-read-feeds"),
            (10, "text-width"),
            (17, "bind-key"),
            (18, "unbind-key"),
            (19, "bind-key"),
            (20, "color"),
            (23, "macro"),
            (25, "ignore-article"),
            (26, "ignore-article"),
            (32, "browser"),
        ],
        "{:#?}",
        out.skipped
    );
    let reason = |line: usize| {
        &out.skipped
            .iter()
            .find(|s| s.place.line == line)
            .unwrap()
            .reason
    };
    assert!(
        reason(17).contains("same on every screen"),
        "{}",
        reason(17)
    );
    assert!(
        reason(18).contains("only key for suspend"),
        "{}",
        reason(18)
    );
    assert!(reason(19).contains("toggle_starred"), "{}", reason(19));
    assert!(reason(23).contains("khabar key already"), "{}", reason(23));
    assert!(reason(32).contains("runs a command"), "{}", reason(32));
    // A killfile rule that drops more than newsboat's loses items: said, not written.
    assert!(
        reason(25).contains("[[ignore]] query = \"sponsored\""),
        "{}",
        reason(25)
    );
}

#[test]
fn includes_are_followed_and_loops_refused() {
    let mut read = |path: &str| match path {
        "~/.newsboat/keys" => Ok((
            "keys".to_string(),
            "bind-key J next-unread\ninclude ~/.newsboat/config\n".to_string(),
        )),
        "~/.newsboat/config" => Ok(("config".to_string(), String::new())),
        other => Err(format!("cannot read {other}")),
    };
    let out = translate(
        "config",
        "include ~/.newsboat/keys\ninclude nope\n",
        &mut read,
    );
    assert!(out.toml.contains("next_unread"), "{}", out.toml);
    let places: Vec<(&str, usize)> = out
        .skipped
        .iter()
        .map(|s| (s.place.file.as_str(), s.place.line))
        .collect();
    assert_eq!(places, [("config", 2), ("keys", 2)], "{:?}", out.skipped);
}

#[test]
fn a_password_in_clear_stays_in_clear_only_because_it_was() {
    let out = translate(
        "c",
        "urls-source \"freshrss\"\nfreshrss-url \"https://f.example/api/greader.php\"\nfreshrss-login u\nfreshrss-passwordfile \"~/.fpw\"\n",
        &mut no_includes,
    );
    let config = Config::from_user_toml(&out.toml, Path::new("c.toml")).unwrap();
    assert_eq!(config.sync.provider, "greader");
    assert_eq!(config.sync.password_file, "~/.fpw");
    assert!(!out.toml.contains("password ="), "{}", out.toml);
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
}
