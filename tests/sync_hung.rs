//! A sync server that takes the connection and never answers (its database
//! locked, a proxy waiting on a dead upstream). Each try used to wait out a
//! 120 s timeout and then be retried six times, keeping `khabar sync` (and a
//! cron job behind it) for about 14 minutes. Now a try fails after 30 s
//! without a byte (`KHABAR_SYNC_TIMEOUT_MS` shortens that here) and a request
//! that timed out twice is not tried again.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Accepts connections, keeps them open and answers nothing; counts them.
fn hung_server() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    std::thread::spawn(move || {
        let mut open = Vec::new();
        for stream in listener.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            open.push(stream);
        }
    });
    (port, accepted)
}

#[test]
fn a_server_that_never_answers_fails_the_sync_after_two_tries() {
    let (port, accepted) = hung_server();
    // Six retries allowed, as by default, but quickly.
    let out = sync_now(
        port,
        &[
            ("KHABAR_SYNC_RETRY_MS", "1,1,1,1,1,1"),
            ("KHABAR_SYNC_TIMEOUT_MS", "300"),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains(&format!(
            "cannot reach the sync server http://127.0.0.1:{port}: timed out waiting for its answer"
        )),
        "{err}"
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 2, "tries: {err}");
}

/// A sync server that is not running: the cause in the words a feed's error
/// uses ("connection refused by HOST"), after the prefix that names the server;
/// it read "tcp connect error: Connection refused (os error 111)" or the like.
#[test]
fn a_server_that_refuses_the_connection_is_named_with_the_feed_s_words() {
    // A port bound and closed again: nothing listens there.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let out = sync_now(port, &[("KHABAR_SYNC_RETRY_MS", "1,1")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains(&format!(
            "cannot reach the sync server http://127.0.0.1:{port}: connection refused by 127.0.0.1:{port}"
        )),
        "{err}"
    );
}

/// `khabar sync --now` against a Miniflux config for 127.0.0.1:`port` (its file
/// private, as a token asks), with `env` set.
fn sync_now(port: u16, env: &[(&str, &str)]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[sync]\nprovider = \"miniflux\"\nurl = \"http://127.0.0.1:{port}\"\ntoken = \"t\"\n"
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    std::process::Command::new(env!("CARGO_BIN_EXE_khabar"))
        .arg("--config")
        .arg(&config)
        .arg("--db")
        .arg(dir.path().join("khabar.db"))
        .args(["sync", "--now"])
        .envs(env.iter().copied())
        .output()
        .unwrap()
}
