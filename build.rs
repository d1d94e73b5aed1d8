//! Records the commit the binary was built from, for `khabar --version`.
//!
//! A build outside a git checkout (a source tarball, `cargo install` from a
//! registry) has no commit to name, and says so instead of failing.

use std::process::Command;

fn main() {
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .is_some_and(|out| !out.stdout.is_empty());
    let described = match commit {
        Some(c) if dirty => format!("{c}, modified"),
        Some(c) => c,
        None => "commit unknown".to_string(),
    };
    println!(
        "cargo:rustc-env=KHABAR_LONG_VERSION={} ({described})",
        env!("CARGO_PKG_VERSION")
    );
    // Rebuild when HEAD moves (a commit or a checkout), not on every build.
    for path in [".git/HEAD", ".git/index"] {
        if std::path::Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
