//! `khabar import --newsboat-config` as a user runs it: the real binary on the
//! hand-written fixture writes a config that loads when there is none, merges
//! into an existing one what it does not set yet (keeping its comments, its line
//! endings and byte order mark, and the user's values), leaves one that is not
//! TOML alone, and lists every line it did not translate with its line number
//! and why.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::process::{Command, Output};

fn fixture() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/newsboat-config")
        .display()
        .to_string()
}

fn import(config: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_khabar"))
        .args(["--config", &config.display().to_string()])
        .args(["import", "--newsboat-config", &fixture()])
        .env("HOME", config.parent().unwrap())
        .output()
        .unwrap()
}

/// The reader's commands load `config`.
fn assert_loads(config: &Path) {
    // The reader's commands load it: `feeds` reads the config first, and the
    // [sync] password command runs then, so a `pass` stands in for the real one.
    let dir = config.parent().unwrap();
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(bin.join("pass"), "#!/bin/sh\necho secret\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(bin.join("pass"), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let check = Command::new(env!("CARGO_BIN_EXE_khabar"))
        .env("PATH", path)
        .args(["--config", &config.display().to_string()])
        .args(["--db", &dir.join("k.db").display().to_string()])
        .arg("feeds")
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn a_newsboat_config_becomes_the_config_when_there_is_none() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("khabar/config.toml");
    let out = import(&config);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("wrote"), "{stdout}");
    let fixture = fixture();
    for (line, what) in [(7, "max-items"), (20, "color"), (32, "browser")] {
        assert!(
            stderr.contains(&format!("{fixture}:{line}: not translated: {what}: ")),
            "{line} {what}: {stderr}"
        );
    }
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(written.contains("concurrency = 8"), "{written}");
    assert!(
        written.contains("password_command = \"pass show miniflux\""),
        "{written}"
    );
    assert_loads(&config);
}

#[test]
fn an_existing_config_gains_what_it_lacks_and_keeps_what_it_has() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let mine = "# mine: keep this comment\n[general]\nbrowser = \"lynx\" # the one I use\n\n[fetch]\ntimeout_secs = 20\n";
    std::fs::write(&config, mine).unwrap();
    let out = import(&config);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stderr}");
    let merged = std::fs::read_to_string(&config).unwrap();
    assert!(
        merged.starts_with(
            "# mine: keep this comment\n[general]\nbrowser = \"lynx\" # the one I use\n"
        ),
        "{merged}"
    );
    assert!(!merged.contains("firefox --new-tab"), "{merged}");
    // The new key goes inside the table the file has, not in a second [fetch].
    assert_eq!(merged.matches("[fetch]").count(), 1, "{merged}");
    let fetch = &merged[merged.find("[fetch]").unwrap()..];
    let fetch = &fetch[..fetch.find("\n[").unwrap_or(fetch.len())];
    assert!(fetch.contains("timeout_secs = 20"), "{merged}");
    assert!(fetch.contains("concurrency = 8"), "{merged}");
    assert!(merged.contains("refresh_interval_minutes = 30"), "{merged}");
    assert!(
        merged.contains("[sync]") && merged.contains("[[command]]"),
        "{merged}"
    );
    let shown = config.display().to_string();
    assert!(
        stderr.contains(&format!(
            "{shown}: kept your general.browser = \"lynx\" (newsboat's config says \"firefox --new-tab %u\")"
        )),
        "{stderr}"
    );
    assert!(
        stdout.contains(&format!("into {shown}, kept 1 of yours")),
        "{stdout}"
    );
    assert_loads(&config);

    // Again: everything is there now, so nothing is added and no
    // [[command]] is doubled.
    let again = import(&config);
    assert!(again.status.success());
    assert_eq!(std::fs::read_to_string(&config).unwrap(), merged);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("nothing to add"), "{stdout}");
}

#[test]
fn an_existing_config_that_is_not_toml_is_not_changed() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let mine = "# mine\n[fetch]\nconcurrency = 2\n[general\n";
    std::fs::write(&config, mine).unwrap();
    let out = import(&config);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(std::fs::read_to_string(&config).unwrap(), mine);
    let shown = config.display().to_string();
    // As loading the file reports it: line and column.
    assert!(stderr.contains(&format!("{shown}:4:9: ")), "{stderr}");
    assert!(stderr.contains("was not changed"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("[sync]") && stdout.contains("concurrency = 8"),
        "{stdout}"
    );
}

#[test]
fn an_existing_config_that_does_not_load_is_not_changed() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let mine = "# mine\n[fetch]\nconcurrenc = 2\n";
    std::fs::write(&config, mine).unwrap();
    let out = import(&config);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(std::fs::read_to_string(&config).unwrap(), mine);
    let shown = config.display().to_string();
    // Its own line, not the merged text's.
    assert!(stderr.contains(&format!("{shown}:3:")), "{stderr}");
    assert!(stderr.contains("was not changed"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("[sync]"));
}

#[test]
fn a_crlf_config_with_a_byte_order_mark_stays_so_merged() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let mine = "\u{feff}# تنظیمات من\r\n[general]\r\nbrowser = \"lynx\" # مرورگر\r\n\r\n\
                [fetch]\r\ntimeout_secs = 20\r\n# یادداشت\r\n";
    std::fs::write(&config, mine).unwrap();
    let out = import(&config);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged = std::fs::read_to_string(&config).unwrap();
    assert!(
        merged.starts_with("\u{feff}# تنظیمات من\r\n[general]\r\nbrowser = \"lynx\" # مرورگر\r\n"),
        "{merged:?}"
    );
    assert!(
        merged.contains("concurrency = 8\r\n# یادداشت\r\n\r\n["),
        "{merged:?}"
    );
    // Every line break is CRLF, none LF alone.
    assert_eq!(
        merged.matches('\n').count(),
        merged.matches("\r\n").count(),
        "{merged:?}"
    );
    assert_loads(&config);
}
