//! Records the commit the binary was built from, for `khabar --version`.
//!
//! A build outside a git checkout (a source tarball, `cargo install` from a
//! registry) has no commit to name, and says so instead of failing.

use std::process::Command;

fn main() {
    let commit = git(&["rev-parse", "--short=12", "HEAD"]);
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some();
    let described = match commit {
        Some(c) if dirty => format!("{c}, modified"),
        Some(c) => c,
        None => "commit unknown".to_string(),
    };
    println!(
        "cargo:rustc-env=KHABAR_LONG_VERSION={} ({described})",
        env!("CARGO_PKG_VERSION")
    );
    // Rebuild when HEAD moves (a commit or a checkout), not on every build. Git
    // names the files: in a linked worktree `.git` is a file and HEAD, the index
    // and the branch's ref live elsewhere.
    let branch = git(&["symbolic-ref", "-q", "HEAD"]);
    let watched = ["HEAD", "index"]
        .into_iter()
        .map(str::to_string)
        .chain(branch);
    for name in watched {
        if let Some(path) = git(&["rev-parse", "--git-path", &name])
            && std::path::Path::new(&path).exists()
        {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}

/// What `git ARGS` prints, trimmed; `None` when git is missing, fails or prints nothing.
fn git(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}
