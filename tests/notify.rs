//! `[general] notify_command`: the real binary's `khabar refresh` runs it after a
//! refresh that stored new items, with the counts in its placeholders, and not
//! after one that found nothing new.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Notify</title><link>http://127.0.0.1/</link>
<item><title>one</title><link>http://127.0.0.1/1</link><guid>n1</guid></item>
<item><title>two</title><link>http://127.0.0.1/2</link><guid>n2</guid></item>
<item><title>three</title><link>http://127.0.0.1/3</link><guid>n3</guid></item>
</channel></rss>
"#;

/// A config with one `file://` feed and `notify` as the command; returns the
/// config's path and the output file the command writes.
fn setup(dir: &Path) -> (PathBuf, PathBuf) {
    let feed = dir.join("feed.xml");
    std::fs::write(&feed, FEED).unwrap();
    let out = dir.join("OUT");
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[general]\nnotify_command = \"printf '%s %s' %n %u > '{}'\"\n\
             [[feed]]\nurl = \"file://{}\"\n",
            out.display(),
            feed.display()
        ),
    )
    .unwrap();
    (config, out)
}

fn refresh(dir: &Path, config: &Path, path_env: Option<&str>) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_khabar"));
    command
        .arg("--config")
        .arg(config)
        .arg("--db")
        .arg(dir.join("khabar.db"))
        .arg("refresh");
    if let Some(path) = path_env {
        command.env("PATH", path);
    }
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The command is detached: its file appears some time after khabar exits.
fn wait_for(path: &Path, within: Duration) -> Option<String> {
    let start = Instant::now();
    while start.elapsed() < within {
        if let Ok(text) = std::fs::read_to_string(path)
            && !text.is_empty()
        {
            return Some(text);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn notify_command_runs_after_new_items_and_not_after_none() {
    let dir = tempfile::tempdir().unwrap();
    let (config, out) = setup(dir.path());

    refresh(dir.path(), &config, None);
    assert_eq!(
        wait_for(&out, Duration::from_secs(10)).as_deref(),
        Some("3 3"),
        "3 new items, 3 unread"
    );

    std::fs::remove_file(&out).unwrap();
    let second = refresh(dir.path(), &config, None);
    assert!(
        String::from_utf8_lossy(&second.stdout).contains("0 new items"),
        "{}",
        String::from_utf8_lossy(&second.stdout)
    );
    // Long enough for a command that was started to have written its file.
    assert_eq!(wait_for(&out, Duration::from_millis(800)), None);
}

#[test]
fn a_command_that_cannot_start_is_said_once_and_the_refresh_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let (config, out) = setup(dir.path());
    // No PATH: `sh` cannot be found, so the command cannot be started.
    let first = refresh(dir.path(), &config, Some(""));
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert_eq!(
        stderr.matches("notify_command did not run").count(),
        1,
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&first.stdout).contains("3 new items"),
        "{}",
        String::from_utf8_lossy(&first.stdout)
    );
    assert!(!out.exists());
}
