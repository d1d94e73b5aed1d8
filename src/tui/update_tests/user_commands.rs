//! `[[command]]` keys: the effect on the headline list (read the item, then
//! run) and on the article, a word on the feed screen, the key taken from the
//! action that had it, counts choosing a link, and the end worded.

use super::*;
use crate::config::command::{CommandMode, Template, UserCommand};
use crate::tui::msg::{CommandOutcome, UserRun};

fn commands() -> Vec<UserCommand> {
    vec![
        UserCommand {
            key: Key::parse("v").unwrap(),
            name: "play in mpv".into(),
            template: Template::parse("mpv %u").unwrap(),
            mode: CommandMode::Background,
        },
        // `s` is toggle_starred's by default: the command takes it.
        UserCommand {
            key: Key::parse("s").unwrap(),
            name: "save".into(),
            template: Template::parse("cat > ~/saved/%i.txt").unwrap(),
            mode: CommandMode::Pipe,
        },
    ]
}

fn with_commands(mut m: Model) -> Model {
    m.set_commands(commands());
    m
}

fn detail(i: i64) -> ItemDetail {
    ItemDetail {
        row: ItemRow {
            title: "خبر 'تازه'".into(),
            ..item(i, 1, true)
        },
        feed_url: "http://127.0.0.1/1.xml".into(),
        content_html: Some(
            "<p>پاراگراف اول.</p><p><a href=\"http://127.0.0.1/other\">other</a></p>".into(),
        ),
        ..Default::default()
    }
}

#[test]
fn on_the_feed_screen_a_command_says_no_item_is_selected() {
    let mut m = with_commands(model());
    assert!(key(&mut m, "v").is_empty());
    assert_eq!(
        m.message.as_deref(),
        Some("no item selected: open a list first")
    );
}

#[test]
fn on_headlines_the_item_is_read_then_the_command_runs() {
    let mut m = with_commands(in_list(vec![item(0, 1, false), item(1, 1, false)]));
    key(&mut m, "j");
    let commands = key(&mut m, "v");
    assert_eq!(
        commands,
        vec![Command::Db(DbRequest::LoadForCommand {
            id: 101,
            command: 0,
            count: None,
        })]
    );
    // Nothing is marked read by a command.
    assert!(!m.list().unwrap().rows[1].read);
    let commands = update(
        &mut m,
        Msg::CommandItemLoaded {
            command: 0,
            count: None,
            detail: Some(Box::new(detail(1))),
        },
    );
    assert_eq!(
        commands,
        vec![Command::Run(UserRun {
            name: "play in mpv".into(),
            line: "mpv 'http://127.0.0.1/item/1'".into(),
            mode: CommandMode::Background,
            input: None,
        })]
    );
    assert_eq!(m.message.as_deref(), Some("started \"play in mpv\""));
}

#[test]
fn on_the_article_the_command_runs_at_once_with_the_text_in_pipe_mode() {
    let mut m = with_commands(in_list(vec![item(0, 1, false)]));
    key(&mut m, "enter");
    update(
        &mut m,
        Msg::ArticleLoaded {
            id: 100,
            detail: Some(Box::new(detail(0))),
        },
    );
    let commands = key(&mut m, "s");
    let [Command::Run(run)] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    assert_eq!(run.line, "cat > ~/saved/'100'.txt");
    assert_eq!(run.mode, CommandMode::Pipe);
    let text = run.input.as_deref().unwrap();
    assert!(
        text.starts_with("خبر 'تازه'\nFeed: feed 1\nDate: "),
        "{text}"
    );
    assert!(
        text.contains("Link: http://127.0.0.1/item/0\n\nپاراگراف اول.\n"),
        "{text}"
    );
    assert!(text.ends_with("[1] http://127.0.0.1/other\n"), "{text}");
    // `s` no longer stars: the command took it.
    assert!(!m.list().unwrap().rows[0].starred);
    // `2v` is link [2] of the article, which has one: said, nothing runs.
    assert!(key(&mut m, "2").is_empty());
    assert!(key(&mut m, "v").is_empty());
    assert_eq!(m.message.as_deref(), Some("no link [2]"));
    key(&mut m, "1");
    let commands = key(&mut m, "v");
    let [Command::Run(run)] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    assert_eq!(run.line, "mpv 'http://127.0.0.1/other'");
}

/// Pressed before the article has loaded, a command used to say "no item
/// selected": the article's id is known, so the item is read for it.
#[test]
fn on_an_article_still_loading_the_item_is_read_for_the_command() {
    let mut m = with_commands(in_list(vec![item(0, 1, false)]));
    key(&mut m, "enter");
    assert!(matches!(&m.screen, Screen::Article { article, .. } if article.detail.is_none()));
    let commands = key(&mut m, "v");
    assert_eq!(
        commands,
        vec![Command::Db(DbRequest::LoadForCommand {
            id: 100,
            command: 0,
            count: None,
        })]
    );
    assert_ne!(
        m.message.as_deref(),
        Some("no item selected: open a list first")
    );
    let commands = update(
        &mut m,
        Msg::CommandItemLoaded {
            command: 0,
            count: None,
            detail: Some(Box::new(detail(0))),
        },
    );
    let [Command::Run(run)] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    assert_eq!(run.line, "mpv 'http://127.0.0.1/item/0'");
    // The article the item was removed from says so.
    update(
        &mut m,
        Msg::ArticleLoaded {
            id: 100,
            detail: None,
        },
    );
    assert!(key(&mut m, "v").is_empty());
    assert_eq!(
        m.message.as_deref(),
        Some(m.t(crate::tui::i18n::Text::ItemGone))
    );
}

#[test]
fn the_key_is_taken_from_the_action_and_help_lists_the_commands() {
    let m = with_commands(model());
    assert!(
        m.keymap
            .keys_for(crate::config::keymap::Action::ToggleStarred)
            .is_empty()
    );
    let rows = crate::tui::help::rows(&m);
    let at = rows
        .iter()
        .position(|r| r.heading && r.what.starts_with("Your commands"))
        .unwrap();
    assert_eq!(rows[at + 1].keys, "v");
    assert_eq!(rows[at + 1].what, "play in mpv");
    assert_eq!(rows[at + 2].keys, "s");
}

#[test]
fn the_end_of_a_command_is_worded() {
    let mut m = with_commands(model());
    let mut ended = |mode, outcome| {
        m.message = Some("started \"play in mpv\"".into());
        update(
            &mut m,
            Msg::CommandEnded {
                name: "play in mpv".into(),
                mode,
                outcome,
            },
        );
        m.message.clone().unwrap()
    };
    let terminal = CommandMode::Terminal;
    assert_eq!(
        ended(terminal, CommandOutcome::Exited(0)),
        "ran \"play in mpv\""
    );
    assert_eq!(
        ended(terminal, CommandOutcome::Exited(1)),
        "\"play in mpv\" failed (exit 1)"
    );
    assert_eq!(
        ended(terminal, CommandOutcome::Exited(127)),
        "\"play in mpv\": command not found (status 127)"
    );
    assert_eq!(
        ended(terminal, CommandOutcome::CannotStart("No such file".into())),
        "cannot run \"play in mpv\": No such file"
    );
}

/// A script on a key that fails in the background is no longer silent:
/// its exit status or signal is said; a success leaves the message alone,
/// as newsboat's macros say nothing.
#[test]
fn a_background_command_that_fails_says_so_and_a_success_stays_quiet() {
    let mut m = with_commands(model());
    let mut ended = |outcome| {
        m.message = Some("started \"play in mpv\"".into());
        update(
            &mut m,
            Msg::CommandEnded {
                name: "play in mpv".into(),
                mode: CommandMode::Background,
                outcome,
            },
        );
        m.message.clone().unwrap()
    };
    assert_eq!(ended(CommandOutcome::Exited(0)), "started \"play in mpv\"");
    assert_eq!(
        ended(CommandOutcome::Exited(2)),
        "\"play in mpv\" failed (exit 2)"
    );
    assert_eq!(
        ended(CommandOutcome::Killed(15)),
        "\"play in mpv\" killed by signal 15"
    );
    assert_eq!(
        ended(CommandOutcome::Exited(127)),
        "\"play in mpv\": command not found (status 127)"
    );
}
