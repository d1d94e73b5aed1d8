//! `khabar import --newsboat-config` as a user runs it: the real binary on the
//! hand-written fixture writes a config that loads when there is none, and
//! leaves an existing one alone (printing the TOML to add instead), listing
//! every line it did not translate with its line number and why.

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
    // The reader's commands load it: `feeds` reads the config first, and the
    // [sync] password command runs then, so a `pass` stands in for the real one.
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
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
        .args(["--db", &dir.path().join("k.db").display().to_string()])
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
fn an_existing_config_is_not_changed() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let mine = "# mine\n[fetch]\nconcurrency = 2\n";
    std::fs::write(&config, mine).unwrap();
    let out = import(&config);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("was not changed"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&config).unwrap(), mine);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("[sync]") && stdout.contains("concurrency = 8"),
        "{stdout}"
    );
}
