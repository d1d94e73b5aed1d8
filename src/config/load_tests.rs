//! Tests of loading and merging the config (`load.rs`): positions in errors,
//! the merge rule, and what each key accepts.

use std::path::PathBuf;

use super::*;
use crate::config::{BidiMode, KeySpec};
use crate::text::Direction;

fn load(text: &str) -> Result<Config, ConfigError> {
    Config::from_user_toml(text, Path::new("/home/u/.config/khabar/config.toml"))
}

fn error_of(text: &str) -> (usize, usize, String) {
    match load(text) {
        Err(ConfigError::Invalid {
            line,
            column,
            message,
            ..
        }) => (line, column, message),
        other => panic!("expected an error, got {other:?}"),
    }
}

/// Regression: two `[[view]]`s of one name (an older reader's `S` appended
/// without looking) were both listed on the feed screen.
#[test]
fn views_of_one_name_are_listed_once_the_first_winning() {
    let config = load(
        "[[view]]\nname = \"news\"\nquery = \"tag:news\"\n\
         [[view]]\nname = \"world\"\nquery = \"world\"\n\
         [[view]]\nname = \"news\"\nquery = \"news\"\n\
         [[view]]\nname = \"world\"\nquery = \"world\"\n",
    )
    .unwrap();
    let listed: Vec<(&str, &str)> = config
        .unique_views()
        .iter()
        .map(|v| (v.name.as_str(), v.query.as_str()))
        .collect();
    assert_eq!(listed, [("news", "tag:news"), ("world", "world")]);
}

#[test]
fn builtin_has_every_option_and_curated_feeds() {
    let config = Config::builtin();
    assert_eq!(config.fetch.concurrency, 16);
    assert_eq!(config.fetch.max_feed_bytes, 32 * 1024 * 1024);
    assert_eq!(config.fetch.max_redirects, 10);
    assert!(config.feeds.len() >= 4);
    assert!(config.feeds.iter().any(|f| f.direction == Direction::Rtl));
    assert!(config.feeds.iter().all(|f| f.enabled));
}

#[test]
fn locale_and_switches_that_follow_it() {
    use crate::config::Locale;
    let builtin = Config::builtin();
    assert_eq!(builtin.display.locale, Locale::En);
    assert!(!builtin.display.jalali_dates.resolve(Locale::En));
    let config = load("[display]\nlocale = \"fa\"\n").unwrap();
    assert_eq!(config.display.locale, Locale::Fa);
    assert!(config.display.jalali_dates.resolve(Locale::Fa));
    assert!(config.display.persian_digits.resolve(Locale::Fa));
    let config = load("[display]\nlocale = \"fa\"\npersian_digits = false\n").unwrap();
    assert!(!config.display.persian_digits.resolve(Locale::Fa));
    let config = load("[display]\njalali_dates = true\n").unwrap();
    assert!(config.display.jalali_dates.resolve(Locale::En));
    let (line, _, message) = error_of("[display]\nlocale = \"de\"\n");
    assert_eq!(line, 2);
    assert!(message.contains("expected \"en\", \"fa\""), "{message}");
    let (_, _, message) = error_of("[display]\njalali_dates = \"yes\"\n");
    assert!(message.contains("true, false or \"auto\""), "{message}");
}

#[test]
fn empty_file_is_the_defaults() {
    assert_eq!(load("").unwrap(), Config::builtin());
}

#[test]
fn tables_merge_and_feed_list_replaces() {
    let config = load(
        "[fetch]\nconcurrency = 4\n[display]\nbidi = \"terminal\"\n\
         [keys]\nopen = [\"enter\", \"l\"]\nquit = \"q\"\n\
         [[feed]]\nurl = \"https://a.example/rss\"\ntags = [\"صنعت\"]\ndirection = \"rtl\"\n",
    )
    .unwrap();
    let builtin = Config::builtin();
    assert_eq!(config.fetch.concurrency, 4);
    assert_eq!(config.fetch.per_host, builtin.fetch.per_host);
    assert_eq!(config.display.bidi, BidiMode::Terminal);
    assert_eq!(config.display.shaping, builtin.display.shaping);
    assert_eq!(config.feeds.len(), 1);
    assert_eq!(config.feeds[0].tags, vec!["صنعت".to_string()]);
    assert!(config.feeds[0].enabled);
    assert_eq!(
        config.keys.get("open"),
        Some(&KeySpec::Many(vec!["enter".into(), "l".into()]))
    );
    assert_eq!(config.keys.get("quit"), Some(&KeySpec::One("q".into())));
}

/// Whether the feed list is the built-in one is recorded when the file is
/// loaded (it was answered by parsing default.toml again and comparing, at
/// each command's start): the answer stays with the config.
#[test]
fn uses_builtin_feeds_is_recorded_at_load() {
    let mut builtin = Config::builtin();
    assert!(builtin.uses_builtin_feeds());
    builtin.feeds.truncate(1);
    assert!(builtin.uses_builtin_feeds(), "recorded, not compared");
    let mut own = load("[[feed]]\nurl = \"https://own.example/rss\"\n").unwrap();
    assert!(!own.uses_builtin_feeds());
    own.feeds = Config::builtin().feeds;
    assert!(!own.uses_builtin_feeds(), "recorded, not compared");
    assert!(
        load("[general]\nmouse = false\n")
            .unwrap()
            .uses_builtin_feeds()
    );
    assert!(!load("feed = []\n").unwrap().uses_builtin_feeds());
    // The built-in list written out in the file (config.example.toml) is
    // still the built-in starter set, as before.
    let example = load(include_str!("../../config.example.toml")).unwrap();
    assert!(example.uses_builtin_feeds());
}

#[test]
fn empty_feed_list_removes_the_default_feeds() {
    assert!(load("feed = []\n").unwrap().feeds.is_empty());
}

#[test]
fn unknown_key_names_line_column_and_suggestion() {
    let (line, column, message) =
        error_of("[general]\nmouse = true\n\n[fetch]\n  concurency = 4\n");
    assert_eq!((line, column), (5, 3));
    assert_eq!(
        message,
        "unknown key \"concurency\" in [fetch], did you mean \"concurrency\"?"
    );
    let full = load("[fetch]\nconcurency = 4\n").unwrap_err().to_string();
    assert_eq!(
        full,
        "/home/u/.config/khabar/config.toml:2:1: unknown key \"concurency\" in [fetch], \
         did you mean \"concurrency\"?"
    );
}

#[test]
fn unknown_keys_everywhere_are_reported() {
    let (line, _, message) = error_of("[[feeds]]\nurl = \"x\"\n");
    assert_eq!(line, 1);
    assert!(message.contains("did you mean \"feed\""), "{message}");
    let (line, _, message) = error_of("[[feed]]\nurl = \"x\"\ntag = [\"a\"]\n");
    assert_eq!(line, 3);
    assert!(message.contains("did you mean \"tags\""), "{message}");
    let (_, _, message) = error_of("[fetch]\nzzz = 1\n");
    assert!(message.contains("known keys: \"concurrency\""), "{message}");
    let (line, _, _) = error_of("[display]\nbidi = \"app\"\n[colors]\nx = 1\n");
    assert_eq!(line, 3);
}

#[test]
fn bad_values_name_key_and_position() {
    let (line, column, message) = error_of("[fetch]\nconcurrency = \"many\"\n");
    assert_eq!((line, column), (2, 15));
    assert_eq!(
        message,
        "key \"concurrency\" must be a whole number of 1 or more, found a string"
    );
    let (line, column, message) =
        error_of("[[feed]]\nurl = \"https://a\"\ndirection = \"rtl-ish\"\n");
    assert_eq!((line, column), (3, 13));
    assert!(
        message.contains("bad value \"rtl-ish\" for key \"direction\""),
        "{message}"
    );
    assert!(message.contains("\"auto\", \"rtl\", \"ltr\""), "{message}");
    let (_, _, message) = error_of("[cleanup]\nkeep_read_days = -3\n");
    assert!(message.contains("keep_read_days"), "{message}");
    let (_, _, message) = error_of("[fetch]\nconcurrency = 0\n");
    assert!(message.contains("1 or more"), "{message}");
    let (_, _, message) = error_of("[[feed]]\ntitle = \"no url\"\n");
    assert!(message.contains("needs a url"), "{message}");
    let (_, _, message) = error_of("[[feed]]\nurl = \"x\"\ntags = [\"a\", 3]\n");
    assert!(message.contains("list of strings"), "{message}");
    let (_, _, message) = error_of("[keys]\nopen = 5\n");
    assert!(message.contains("keys.open"), "{message}");
    let (_, _, message) = error_of("general = 3\n");
    assert!(message.contains("must be a table"), "{message}");
}

/// Regression: `url = ""` made a feed with an empty URL.
#[test]
fn empty_feed_url_is_an_error() {
    let (line, column, message) = error_of("[[feed]]\nurl = \"  \"\n");
    assert_eq!((line, column), (2, 7));
    assert_eq!(message, "key \"url\" must not be empty");
}

/// Regression: the same url in two [[feed]] entries was accepted silently.
#[test]
fn duplicate_feed_urls_are_an_error() {
    let (line, _, message) = error_of(
        "[[feed]]\nurl = \"https://a/x\"\n[[feed]]\nurl = \"https://b/y\"\n\
         [[feed]]\nurl = \"https://a/x\"\ntags = [\"t\"]\n",
    );
    assert_eq!(line, 6);
    assert!(
        message.contains("\"https://a/x\" is listed twice"),
        "{message}"
    );
}

/// Regression (issue 8, defect 6): the duplicate check compared exact strings.
#[test]
fn defect_6_config_duplicates_are_found_normalised() {
    let (line, _, message) =
        error_of("[[feed]]\nurl = \"http://h/good\"\n[[feed]]\nurl = \"HTTP://h/./good#frag\"\n");
    assert_eq!(line, 4);
    assert!(message.contains("is listed twice"), "{message}");
}

/// Regression: a user agent with a control character passed the config and
/// then failed every refresh with "builder error: failed to parse header value".
/// Two `[keys]` entries giving out one key: one of them silently lost it (the
/// later in name order won), so a newsboat user's `J` did nothing they asked.
#[test]
fn one_key_for_two_actions_in_keys_is_an_error_at_the_second() {
    let (line, _, message) =
        error_of("[keys]\nnext_unread = \"J\"\ntoggle_read = [\"x\", \"J\"]\n");
    assert_eq!(line, 3, "{message}");
    assert!(
        message.contains("toggle_read = \"J\": next_unread has this key already"),
        "{message}"
    );
    let (_, _, message) = error_of("[keys]\nbottom = \"ctrl-x\"\ntop = \"ctrl-x\"\n");
    assert!(message.contains("bottom has this key already"), "{message}");
    // Taking a key from a default binding is what [keys] is for.
    assert!(load("[keys]\npage_down = \"j\"\ndown = \"J\"\n").is_ok());
    assert!(load("[keys]\nopen = [\"enter\", \"enter\"]\n").is_ok());
}

/// Names copied from a newsboat config: the error says which khabar name does
/// that job (before, `mark-feed-read` got only the list of every action, and
/// `reload-threads` in [general] only the keys of [general]).
#[test]
fn newsboat_names_are_answered_with_khabars() {
    let (line, _, message) = error_of("[keys]\nmark-feed-read = \"A\"\n");
    assert_eq!(line, 2);
    assert!(
        message.contains("did you mean \"mark_all_read\" (newsboat's mark-feed-read)?"),
        "{message}"
    );
    let (_, _, message) = error_of("[keys]\ntoggle-article-read = \"N\"\n");
    assert!(message.contains("\"toggle_read\""), "{message}");
    let (_, _, message) = error_of("[general]\nreload-threads = 4\n");
    assert!(
        message.contains("newsboat's reload-threads is [fetch] concurrency here"),
        "{message}"
    );
    let (_, _, message) = error_of("[general]\nreload-time = 30\n");
    assert!(message.contains("refresh_interval_minutes"), "{message}");
}

#[test]
fn user_agent_with_control_characters_is_an_error() {
    let (line, _, message) = error_of("[fetch]\nuser_agent = \"a\\u001b[31m\"\n");
    assert_eq!(line, 2);
    assert!(message.contains("user_agent"), "{message}");
    assert!(message.contains("control characters"), "{message}");
    assert!(load("[fetch]\nuser_agent = \"khabar خبر/1\"\n").is_ok());
}

#[test]
fn ignore_rules_are_read_and_a_bad_query_has_its_line_and_column() {
    let config = load("[[ignore]]\nquery = \"feed:hnrss.org sponsored\"\n").unwrap();
    assert_eq!(config.ignore_queries().len(), 1);
    assert!(Config::builtin().ignore_queries().is_empty());
    let (line, column, message) =
        error_of("[[ignore]]\nname = \"ads\"\nquery = \"sponsored (tag:x\"\n");
    assert_eq!((line, column), (3, 9), "{message}");
    assert!(message.starts_with("ignore \"ads\" query:"), "{message}");
    assert!(message.contains("at column"), "{message}");
    let (line, _, message) = error_of("[[ignore]]\nquery = \"sort:date\"\n");
    assert_eq!(line, 2);
    assert!(message.contains("no condition"), "{message}");
    let (_, _, message) = error_of("[[ignore]]\nname = \"x\"\n");
    assert!(message.contains("needs a query"), "{message}");
    let (_, _, message) = error_of("[[ignore]]\nquery = \"x\"\nqueri = 1\n");
    assert!(message.contains("queri"), "{message}");
}

#[test]
fn commands_are_read_with_their_defaults() {
    let config = load(
        "[[command]]\nkey = \"v\"\nrun = \"mpv %u\"\n\
         [[command]]\nkey = \"ctrl-o\"\nname = \"read\"\nrun = \"w3m %u\"\nmode = \"terminal\"\n",
    )
    .unwrap();
    let commands = config.user_commands();
    assert_eq!(commands.len(), 2);
    assert_eq!(commands[0].name, "mpv %u");
    assert_eq!(
        commands[0].mode,
        crate::config::command::CommandMode::Background
    );
    assert_eq!(commands[1].key.to_string(), "ctrl-o");
    assert!(Config::builtin().user_commands().is_empty());
}

/// Each mistake in a `[[command]]` names the file, the line and the key.
#[test]
fn command_mistakes_name_file_line_and_key() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "[[command]]\nkey = \"v\"\nrun = \"x\"\nmode = \"foreground\"\n",
            4,
            "bad value \"foreground\" for key \"mode\": expected \"background\", \"terminal\", \"pipe\"",
        ),
        (
            "[[command]]\nkey = \"ctrl-vv\"\nrun = \"x\"\n",
            2,
            "[[command]] key = \"ctrl-vv\": not a key",
        ),
        (
            "[[command]]\nkey = \"v\"\nrun = \"mpv %x\"\n",
            3,
            "[[command]] unknown placeholder \"%x\" in run",
        ),
        (
            "[[command]]\nkey = \"v\"\nrun = \"a\"\n[[command]]\nkey = \"v\"\nrun = \"b\"\n",
            5,
            "[[command]] key = \"v\": another [[command]] has this key already",
        ),
        ("[[command]]\nkey = \"v\"\n", 1, "a [[command]] needs a run"),
        (
            "[[command]]\nkey = \"v\"\nrun = \"x\"\nrnu = 1\n",
            4,
            "unknown key \"rnu\" in [command]; known keys: \"key\", \"name\", \"run\", \"mode\"",
        ),
    ];
    for (text, line, start) in cases {
        let error = load(text).unwrap_err().to_string();
        let want = format!("/home/u/.config/khabar/config.toml:{line}:");
        assert!(error.starts_with(&want), "{error}");
        assert!(error.contains(start), "{error}");
    }
    // A key a built-in action has is taken from it, not refused.
    assert!(load("[[command]]\nkey = \"o\"\nrun = \"x %u\"\n").is_ok());
}

#[test]
fn syntax_errors_have_positions() {
    let (line, _, _) = error_of("[fetch]\nconcurrency = = 3\n");
    assert_eq!(line, 2);
}

/// The two slips of someone writing their newsboat config out as khabar's: the
/// TOML parser's words were "invalid boolean, expected `false`" for an unquoted
/// string and "key with no value" for newsboat's own syntax.
#[test]
fn newsboat_style_lines_say_what_toml_wants() {
    let (line, _, message) = error_of("[general]\nbrowser = firefox\n");
    assert_eq!(line, 2);
    assert!(
        message.contains("text needs quotes: browser = \"firefox\""),
        "{message}"
    );
    let (line, _, message) = error_of("# mine\nbrowser \"firefox %u\"\n");
    assert_eq!(line, 2);
    assert!(message.contains("khabar's is TOML"), "{message}");
    assert!(message.contains("[general] browser"), "{message}");
    let (_, _, message) = error_of("bind-key j down\n");
    assert!(message.contains("[keys] table"), "{message}");
    let (_, _, message) = error_of("show-read-feeds no\n");
    assert!(message.contains("key = value"), "{message}");
    // Other mistakes keep the parser's words alone.
    let (_, _, message) = error_of("[fetch]\nconcurrency = = 3\n");
    assert!(
        !message.contains("newsboat") && !message.contains("quotes"),
        "{message}"
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let (line, column, _) = error_of("[[feed]]\nurl = \"x\"\ntitle = \"خبر\"\nbogus = 1\n");
    assert_eq!((line, column), (4, 1));
    let (_, column, _) = error_of("[[feed]]\nurl = \"خبر\"; x = 1\n");
    assert!(column > 1);
}

#[test]
fn missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("none.toml");
    assert_eq!(Config::load_file(&path, false).unwrap(), Config::builtin());
    let error = Config::load_file(&path, true).unwrap_err();
    assert!(matches!(error, ConfigError::Read { .. }));
    assert!(error.to_string().contains("none.toml"), "{error}");
}

/// Regression: the CLI prints the error chain, which repeated the io error
/// ("cannot read x: Is a directory (os error 21): Is a directory (os error 21)").
#[test]
fn read_error_chain_says_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let error = Config::load_file(dir.path(), true).unwrap_err();
    let chain = format!("{:#}", anyhow::Error::from(error));
    assert_eq!(chain.matches("os error").count(), 1, "{chain}");
}

#[test]
fn example_file_documents_every_key_with_its_default() {
    let example = include_str!("../../config.example.toml");
    let config = load(example).unwrap();
    assert_eq!(config, Config::builtin());
    let document = DeTable::parse(example).unwrap();
    let root = document.get_ref();
    for (section, fields) in schema::SECTIONS {
        let table = root
            .get(*section)
            .and_then(|value| value.get_ref().as_table())
            .unwrap_or_else(|| panic!("config.example.toml lacks [{section}]"));
        for field in *fields {
            assert!(
                table.get(field.name).is_some(),
                "config.example.toml lacks {section}.{}",
                field.name
            );
        }
    }
    // Every [[feed]] key appears in a commented example.
    for field in schema::FEED {
        assert!(
            example.contains(&format!("# {} =", field.name))
                || example.contains(&format!("\n{} =", field.name)),
            "config.example.toml does not document feed key {}",
            field.name
        );
    }
}

#[test]
fn default_toml_fits_the_schema() {
    let document = DeTable::parse(DEFAULT_CONFIG).unwrap();
    schema::check(document.get_ref()).unwrap();
}

#[test]
fn suggestions_only_for_near_misses() {
    assert_eq!(
        schema::suggest("concurency", &["concurrency", "per_host"]),
        Some("concurrency")
    );
    assert_eq!(
        schema::suggest("colour", &["concurrency", "per_host"]),
        None
    );
}

#[test]
fn a_huge_or_unprintable_value_is_quoted_short_and_escaped() {
    let huge = "f".repeat(5_000_000);
    let (line, column, message) = error_of(&format!("[display]\nlocale = \"{huge}\"\n"));
    assert_eq!((line, column), (2, 10));
    assert!(message.len() < 200, "{} bytes", message.len());
    assert!(
        message.starts_with(&format!(
            "bad value \"{}…\" for key \"locale\"",
            "f".repeat(60)
        )),
        "{message}"
    );
    let (_, _, message) = error_of("[display]\nlocale = \"fa\\u001b[2J\\nx\"\n");
    assert!(message.contains("fa\\u{1b}[2J\\nx"), "{message}");
    let (_, _, message) = error_of(&format!("[fetch]\n{} = 1\n", "k".repeat(10_000)));
    assert!(message.len() < 400, "{} bytes", message.len());
    let (_, _, message) = error_of("[display]\nlocale = \"فارسی\u{200c}ها\"\n");
    assert!(message.contains("\"فارسی\u{200c}ها\""), "{message}");
    let (_, _, message) = error_of(&format!("[keys]\nopen = \"{}\"\n", "x".repeat(100_000)));
    assert!(message.len() < 400, "{} bytes", message.len());
}

#[test]
fn key_bindings_are_checked_at_their_line() {
    let (line, column, message) = error_of("[general]\nmouse = true\n[keys]\nopne = \"x\"\n");
    assert_eq!((line, column), (4, 1));
    assert!(message.starts_with("[keys] opne: unknown action, did you mean \"open\"?"));
    let (line, column, message) = error_of("[keys]\nopen = [\"enter\", \"ctrl-enterr\"]\n");
    assert_eq!((line, column), (2, 8));
    assert!(message.contains("\"ctrl-enterr\": not a key"), "{message}");
    let (line, _, message) = error_of("[keys]\nhelp = []\n");
    assert_eq!(line, 2);
    assert_eq!(message, "[keys] help: no keys given");
    assert!(load("[keys]\nopen = [\"enter\", \"o\"]\n").is_ok());
}
