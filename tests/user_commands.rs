//! `[[command]]`: the user's own commands. Expanded lines run by a real `sh -c`
//! with hostile feed text (each value must arrive as one literal argument and
//! run nothing), and the real binary in a pseudo-terminal running a command in
//! each mode on an item of a feed read from a local file.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use khabar::config::command::{Template, Values};

#[path = "support/pty.rs"]
mod pty;

use pty::Launch;

/// A script that writes its arguments to `out`, each ended by a NUL byte (a
/// value may hold a newline; no feed text holds a NUL).
fn recorder(dir: &Path, out: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("rec.sh");
    std::fs::write(
        &path,
        format!("#!/bin/sh\nprintf '%s\\0' \"$@\" > '{}'\n", out.display()),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn recorded(out: &Path) -> Vec<String> {
    let bytes = std::fs::read(out).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let mut args: Vec<String> = text.split('\0').map(str::to_string).collect();
    assert_eq!(args.pop().as_deref(), Some(""), "{text:?}");
    args
}

/// Feed text that would run commands if it reached the shell unquoted.
fn hostile(dir: &Path) -> Vec<String> {
    let d = dir.display();
    vec![
        format!("$(touch {d}/pwned1)"),
        format!("`touch {d}/pwned2`"),
        format!("'; touch {d}/pwned3; echo '"),
        format!("a\nb; touch {d}/pwned4\n"),
        format!("\u{202E}خبر\u{2066} ; touch {d}/pwned5 \u{2069}\u{200F}"),
        format!("http://127.0.0.1/a?b='c'&d=$(touch {d}/pwned6)"),
        "it's a \"quote\" \\ $HOME ${HOME} * ~ %u %% !".to_string(),
        String::new(),
        "'".to_string(),
        "''''".to_string(),
    ]
}

#[test]
fn hostile_values_arrive_as_one_literal_argument_and_run_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("args");
    let rec = recorder(dir.path(), &out);
    let template = Template::parse(&format!("'{}' %u %t %f %F %i", rec.display())).unwrap();
    for value in hostile(dir.path()) {
        let values = Values {
            link: value.clone(),
            title: value.clone(),
            feed_url: value.clone(),
            feed_title: value.clone(),
            id: 7,
        };
        let line = template.expand(&values);
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(&line)
            .current_dir(dir.path())
            .status()
            .unwrap();
        assert!(status.success(), "{line}");
        assert_eq!(
            recorded(&out),
            vec![
                value.clone(),
                value.clone(),
                value.clone(),
                value.clone(),
                "7".to_string()
            ],
            "{line}"
        );
    }
    let made: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("pwned"))
        .collect();
    assert!(made.is_empty(), "feed text ran: {made:?}");
}

/// The check above fails when quoting is missing: an unquoted title runs.
#[test]
fn the_recorder_sees_the_difference_unquoted() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("args");
    let rec = recorder(dir.path(), &out);
    let title = format!("$(touch {}/pwned)", dir.path().display());
    let line = format!("'{}' {title}", rec.display());
    std::process::Command::new("sh")
        .arg("-c")
        .arg(&line)
        .status()
        .unwrap();
    assert!(dir.path().join("pwned").exists());
    assert_ne!(recorded(&out), vec![title]);
}

/// `khabar refresh` of `config` into `db`, as the user would before opening the reader.
fn refresh(config: &Path, db: &Path) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_khabar"))
        .arg("--config")
        .arg(config)
        .arg("--db")
        .arg(db)
        .args(["refresh", "--quiet"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn wait_for_file(path: &Path) -> String {
    let start = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(path)
            && !text.is_empty()
        {
            return text;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{} never written",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

const PARAGRAPH: &str = "این نخستین پاراگراف فارسی است، با ۱۲ واژه و English در میان.";
const LINK: &str = "http://127.0.0.1/news/1?a=1&b=2";

/// One item whose title tries to run a command, a Persian paragraph, a link.
fn feed_xml(dir: &Path) -> (String, String) {
    let title = format!("Story خبر تازه $(touch {}/PWNED) 'q' `id`", dir.display());
    let escaped = title.replace('&', "&amp;").replace('<', "&lt;");
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
         <title>خبرنامهٔ آزمایشی</title><link>http://127.0.0.1/</link><language>fa</language>\
         <item><guid>g1</guid><title>{escaped}</title><link>{link}</link>\
         <pubDate>Tue, 19 Nov 2024 12:00:00 GMT</pubDate>\
         <description>&lt;p&gt;{PARAGRAPH}&lt;/p&gt;&lt;p&gt;&lt;a href=\"http://127.0.0.1/other\"&gt;more&lt;/a&gt;&lt;/p&gt;</description>\
         </item></channel></rss>",
        link = LINK.replace('&', "&amp;"),
    );
    (title, xml)
}

#[test]
fn commands_in_each_mode_from_the_reader() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let (title, xml) = feed_xml(dir.path());
    let feed = dir.path().join("feed.xml");
    std::fs::write(&feed, xml).unwrap();
    let args_out = dir.path().join("args");
    let rec = recorder(dir.path(), &args_out);
    let term_out = dir.path().join("term");
    let pipe_out = dir.path().join("pipe");
    let config = dir.path().join("config.toml");
    let db = dir.path().join("k.db");
    std::fs::write(
        &config,
        format!(
            "[[feed]]\nurl = \"{feed}\"\n\n\
             [[command]]\nkey = \"v\"\nname = \"record\"\nrun = \"'{rec}' %u %t %F\"\n\n\
             [[command]]\nkey = \"T\"\nname = \"in the terminal\"\n\
             run = \"echo TERMINAL-RAN; echo %i > '{term}'; sleep 0.3; exit 3\"\nmode = \"terminal\"\n\n\
             [[command]]\nkey = \"P\"\nname = \"save\"\nrun = \"cat > '{pipe}'\"\nmode = \"pipe\"\n",
            feed = feed.display(),
            rec = rec.display(),
            term = term_out.display(),
            pipe = pipe_out.display(),
        ),
    )
    .unwrap();
    refresh(&config, &db);

    let mut reader = Launch::new(&home).config_and_db(&config, &db).start();
    reader.wait_for("All items");
    // On the feed screen there is no item.
    reader.keys("v");
    reader.wait_for("no item selected");
    reader.enter();
    reader.wait_for("Story");

    // Background: the link and the Persian title arrive exactly; nothing ran.
    reader.keys("v");
    wait_for_file(&args_out);
    assert_eq!(
        recorded(&args_out),
        vec![
            LINK.to_string(),
            title.clone(),
            "خبرنامهٔ آزمایشی".to_string()
        ]
    );
    reader.wait_for("started \"record\"");
    assert!(!dir.path().join("PWNED").exists());

    // Terminal: it ran, and the reader drew its screen again after it.
    reader.keys("T");
    let id = wait_for_file(&term_out);
    assert!(id.trim().parse::<i64>().is_ok(), "{id}");
    reader.wait_for("\"in the terminal\" failed (exit 3)");
    reader.wait_until(
        |screen| screen.contains("Story") && !screen.contains("TERMINAL-RAN"),
        "the list drawn again",
    );

    // Pipe, from the article: the text in logical order, with the link.
    reader.enter();
    reader.wait_for("Links");
    reader.keys("P");
    reader.wait_for("ran \"save\"");
    let text = wait_for_file(&pipe_out);
    assert!(text.starts_with(&format!("{title}\n")), "{text}");
    assert!(text.contains(&format!("\n{PARAGRAPH}\n")), "{text}");
    assert!(text.contains(LINK), "{text}");
    assert!(text.contains("[1] http://127.0.0.1/other"), "{text}");
    reader.wait_for("Links");
    reader.quit();
}

/// A background command (a script bound to a key) that fails says so on the
/// message line, with its exit status or the signal that ended it; one that
/// succeeds leaves "started" there. It used to be silent unless `sh` could
/// not find the program. The reaped children leave no zombie behind.
#[test]
fn a_failing_background_command_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let (_, xml) = feed_xml(dir.path());
    let feed = dir.path().join("feed.xml");
    std::fs::write(&feed, xml).unwrap();
    let config = dir.path().join("config.toml");
    let db = dir.path().join("k.db");
    let done = dir.path().join("done");
    std::fs::write(
        &config,
        format!(
            "[[feed]]\nurl = \"{feed}\"\n\n\
             [[command]]\nkey = \"v\"\nname = \"fails\"\nrun = \"sleep 0.2; exit 5\"\n\n\
             [[command]]\nkey = \"V\"\nname = \"killed\"\nrun = \"kill -TERM $$\"\n\n\
             [[command]]\nkey = \"P\"\nname = \"works\"\nrun = \"echo done > '{done}'\"\n",
            feed = feed.display(),
            done = done.display(),
        ),
    )
    .unwrap();
    refresh(&config, &db);

    let mut reader = Launch::new(&home).config_and_db(&config, &db).start();
    reader.wait_for("All items");
    reader.enter();
    reader.wait_for("Story");
    reader.keys("v");
    reader.wait_for("\"fails\" failed (exit 5)");
    reader.keys("V");
    reader.wait_for("\"killed\" killed by signal 15");
    reader.keys("P");
    wait_for_file(&done);
    reader.wait_for("started \"works\"");
    // Still there a moment later: a success says nothing more.
    std::thread::sleep(Duration::from_millis(300));
    reader.wait_for("started \"works\"");
    assert_eq!(zombies_of(reader.pid()), 0, "reaped");
    reader.quit();
}

/// How many children of `pid` are zombies (state `Z` in /proc).
fn zombies_of(pid: u32) -> usize {
    let mut count = 0;
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid ...`; comm may hold spaces, so after the last ')'.
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.first() == Some(&"Z") && fields.get(1) == Some(&pid.to_string().as_str()) {
            count += 1;
        }
    }
    count
}
