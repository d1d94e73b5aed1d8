//! The first five minutes: `--version`, shell completions and the man page
//! generated from the command-line definition, and `khabar terminal-check` typed
//! into in a pseudo-terminal, its answer written to the config and used by the
//! reader.

use std::process::Command;

#[path = "support/pty.rs"]
mod pty;

fn khabar(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_khabar"))
        .args(args)
        .env_remove("KHABAR_CONFIG")
        .env_remove("KHABAR_DB")
        .output()
        .unwrap()
}

/// Every subcommand and every long flag (global and per subcommand), read from
/// `khabar --help` and each `khabar SUB --help`, so the expectation comes from
/// the binary itself and a new command is checked without editing this test.
fn commands_and_flags() -> (Vec<String>, Vec<String>) {
    let help = String::from_utf8(khabar(&["--help"]).stdout).unwrap();
    let mut commands = Vec::new();
    let mut in_commands = false;
    for line in help.lines() {
        if line.starts_with("Commands:") {
            in_commands = true;
            continue;
        }
        if in_commands {
            if line.trim().is_empty() {
                break;
            }
            let name = line.split_whitespace().next().unwrap().to_string();
            if name != "help" {
                commands.push(name);
            }
        }
    }
    let mut flags = long_flags(&help);
    for command in &commands {
        let sub = String::from_utf8(khabar(&[command, "--help"]).stdout).unwrap();
        flags.extend(long_flags(&sub));
    }
    flags.sort();
    flags.dedup();
    flags.retain(|f| f != "--help" && f != "--version");
    (commands, flags)
}

fn long_flags(help: &str) -> Vec<String> {
    help.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let line = line
                .strip_prefix('-')
                .filter(|rest| !rest.starts_with('-'))
                .map(|rest| rest.split_once(", ").map_or(rest, |(_, long)| long))
                .unwrap_or(line);
            line.starts_with("--")
                .then(|| line.split([' ', '=', '<']).next().unwrap().to_string())
        })
        .collect()
}

#[test]
fn the_help_lists_the_commands_this_test_relies_on() {
    let (commands, flags) = commands_and_flags();
    for expected in ["refresh", "add", "completions", "man", "terminal-check"] {
        assert!(commands.iter().any(|c| c == expected), "{commands:?}");
    }
    for expected in ["--config", "--db", "--demo", "--json", "--limit"] {
        assert!(flags.iter().any(|f| f == expected), "{flags:?}");
    }
}

#[test]
fn completions_list_every_subcommand_and_flag_in_every_shell() {
    let (commands, flags) = commands_and_flags();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = khabar(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {out:?}");
        let script = String::from_utf8(out.stdout).unwrap();
        for command in &commands {
            assert!(script.contains(command.as_str()), "{shell} lacks {command}");
        }
        for flag in &flags {
            // fish writes long flags as `-l config`.
            let bare = flag.trim_start_matches('-');
            assert!(
                script.contains(flag.as_str()) || script.contains(&format!("-l {bare}")),
                "{shell} lacks {flag}"
            );
        }
    }
}

#[test]
fn an_unknown_shell_is_refused_with_the_choices() {
    let out = khabar(&["completions", "tcsh"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bash") && err.contains("zsh"), "{err}");
}

#[test]
fn the_man_page_lists_every_subcommand_and_flag() {
    let (commands, flags) = commands_and_flags();
    let out = khabar(&["man"]);
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.starts_with(".TH"),
        "not roff"
    );
    assert!(page.contains(".TH khabar 1"), "no title line");
    for command in &commands {
        assert!(
            page.contains(&format!(".SS \"khabar {}\"", command.replace('-', "\\-"))),
            "man page lacks {command}"
        );
    }
    for flag in &flags {
        assert!(
            page.contains(&flag.replace('-', "\\-")),
            "man page lacks {flag}"
        );
    }
}

#[test]
fn version_names_the_version_and_the_commit() {
    let out = khabar(&["--version"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!("khabar {} (", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    // Built from a git checkout: a hex commit, else it says it has none.
    let inside = text.split_once('(').unwrap().1;
    let commit = inside.split([')', ',']).next().unwrap();
    assert!(
        commit == "commit unknown"
            || (commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{text}"
    );
}

#[test]
fn terminal_check_without_a_terminal_explains_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let out = khabar(&["--config", config.to_str().unwrap(), "terminal-check"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("bidi") && text.contains("shaping"), "{text}");
    assert!(!config.exists(), "nothing is written without an answer");
}

/// Presentation forms (what `shaping = "app"` writes) on a screen.
fn has_presentation_forms(screen: &str) -> bool {
    screen
        .chars()
        .any(|c| ('\u{FB50}'..='\u{FDFF}').contains(&c) || ('\u{FE70}'..='\u{FEFF}').contains(&c))
}

#[test]
fn terminal_check_in_a_terminal_writes_the_choice_and_the_reader_uses_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "# my settings\n[fetch]\nconcurrency = 4\n").unwrap();
    let args = [
        "--config".as_ref(),
        config.as_os_str(),
        "terminal-check".as_ref(),
    ];
    let mut check = pty::Pty::start(dir.path(), &args, 100, 40);
    check.wait_for("Which one reads right?");
    let screen = check.screen();
    for n in 1..=3 {
        assert!(screen.contains(&format!("{n}) ")), "{screen}");
    }
    // Choice 2 is the only one with presentation forms: the samples were shaped.
    assert!(has_presentation_forms(&screen), "{screen}");
    check.type_text("2\r");
    check.wait_for("Wrote bidi");
    assert!(check.wait_exit());

    let written = std::fs::read_to_string(&config).unwrap();
    assert!(written.contains("# my settings"), "{written}");
    assert!(written.contains("concurrency = 4"), "{written}");
    assert!(written.contains("bidi = \"app\""), "{written}");
    assert!(written.contains("shaping = \"app\""), "{written}");

    // The reader on the demo feeds now joins letters itself.
    let args = ["--config".as_ref(), config.as_os_str(), "--demo".as_ref()];
    let mut reader = pty::Pty::start(dir.path(), &args, 100, 30);
    reader.wait_until(has_presentation_forms, "shaped Persian on the feeds screen");
    reader.type_text("Q");
    assert!(reader.wait_exit());
}

#[test]
fn terminal_check_with_no_answer_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let args = [
        "--config".as_ref(),
        config.as_os_str(),
        "terminal-check".as_ref(),
    ];
    let mut check = pty::Pty::start(dir.path(), &args, 100, 40);
    check.wait_for("Which one reads right?");
    check.type_text("\r");
    check.wait_for("Nothing changed");
    assert!(check.wait_exit());
    assert!(!config.exists());
}
