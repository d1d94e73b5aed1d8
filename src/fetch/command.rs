//! Running the command of an `exec:` or `filter:` feed (`feed::command_url`):
//! `sh -c COMMAND` in its own process group, bounded like an HTTP fetch — the
//! whole run within `timeout_secs` (else the group is killed), standard output
//! cut off past `max_feed_bytes` (the group killed) — and its failure given as the
//! feed's error with the first line of its standard error.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::FetchError;

/// Standard error kept for the message: enough for its first line.
const STDERR_KEPT: usize = 8 * 1024;
/// The stderr line in a message is cut to this many characters.
const STDERR_LINE_CHARS: usize = 200;
/// How long standard error may still come after the command exits (a child it
/// left behind may hold it open).
const STDERR_GRACE: Duration = Duration::from_millis(200);

/// Runs `command` with `sh -c`, `input` on its standard input (none: /dev/null),
/// and returns its standard output.
pub(super) async fn run(
    command: &str,
    input: Option<Vec<u8>>,
    timeout: Duration,
    cap: u64,
) -> Result<Vec<u8>, FetchError> {
    let command = expand_home(command, std::env::var_os("HOME").as_deref());
    let mut child = spawn(&command, input.is_some())?;
    // The group is the child's own (process_group(0)): its pid names it.
    let group = child.id();
    let stderr = Arc::new(Mutex::new(Vec::new()));
    let stderr_reader = child.stderr.take().map(|mut pipe| {
        let kept = stderr.clone();
        tokio::spawn(async move {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                let mut kept = kept.lock().unwrap_or_else(|e| e.into_inner());
                let room = STDERR_KEPT.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
        })
    });
    if let (Some(mut pipe), Some(bytes)) = (child.stdin.take(), input) {
        // A filter that stops reading early is its own business: a broken pipe
        // is not an error here; its exit status says how it went.
        tokio::spawn(async move {
            let _ = pipe.write_all(&bytes).await;
        });
    }
    let mut stdout = child.stdout.take();
    let work = async {
        let mut out = Vec::new();
        if let Some(pipe) = stdout.as_mut() {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = pipe.read(&mut buf).await.map_err(|err| {
                    FetchError::Command(format!("cannot read the command's output: {err}"))
                })?;
                if n == 0 {
                    break;
                }
                if out.len() as u64 + n as u64 > cap {
                    return Err(FetchError::TooLarge(cap));
                }
                out.extend_from_slice(&buf[..n]);
            }
        }
        let status = child
            .wait()
            .await
            .map_err(|err| FetchError::Command(format!("cannot wait for the command: {err}")))?;
        Ok((out, status))
    };
    let result = match tokio::time::timeout(timeout, work).await {
        Ok(result) => result,
        Err(_) => Err(FetchError::Timeout(timeout.as_secs())),
    };
    let (out, status) = match result {
        Ok(done) => done,
        Err(err) => {
            kill_group(group);
            return Err(err);
        }
    };
    if let Some(reader) = stderr_reader {
        let _ = tokio::time::timeout(STDERR_GRACE, reader).await;
    }
    let stderr = stderr.lock().map(|s| s.clone()).unwrap_or_default();
    let said = first_line(&stderr);
    if !status.success() {
        let how = match status.code() {
            Some(code) => format!("command exited with status {code}"),
            None => signal_text(&status),
        };
        return Err(FetchError::Command(with_line(how, said)));
    }
    if out.iter().all(u8::is_ascii_whitespace) {
        return Err(FetchError::Command(with_line(
            "command wrote nothing".to_string(),
            said,
        )));
    }
    Ok(out)
}

fn spawn(command: &str, with_input: bool) -> Result<tokio::process::Child, FetchError> {
    let mut cmd = tokio::process::Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .stdin(if with_input {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // A dropped run (the refresh given up) must not leave the shell running.
        .kill_on_drop(true);
    #[cfg(unix)]
    cmd.process_group(0);
    cmd.spawn()
        .map_err(|err| FetchError::Command(format!("cannot run sh: {err}")))
}

/// Kills the command's whole process group: `sh -c` may have started others.
fn kill_group(group: Option<u32>) {
    #[cfg(unix)]
    if let Some(pid) = group.and_then(|pid| i32::try_from(pid).ok())
        && pid > 0
    {
        // SAFETY: kill(2) with a negative pid signals that process group; it
        // touches no memory of ours.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    #[cfg(not(unix))]
    let _ = group;
}

#[cfg(unix)]
fn signal_text(status: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt as _;
    match status.signal() {
        Some(signal) => format!("command killed by signal {signal}"),
        None => "command failed".to_string(),
    }
}

#[cfg(not(unix))]
fn signal_text(_status: &std::process::ExitStatus) -> String {
    "command failed".to_string()
}

fn with_line(how: String, line: Option<String>) -> String {
    match line {
        Some(line) => format!("{how}: {line}"),
        None => how,
    }
}

/// The first non-blank line of `stderr`, trimmed and cut to
/// [`STDERR_LINE_CHARS`]; control characters are cleaned where it is shown.
fn first_line(stderr: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stderr);
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let mut cut: String = line.chars().take(STDERR_LINE_CHARS).collect();
    if cut.len() < line.len() {
        cut.push('…');
    }
    Some(cut)
}

/// `~/` at the start of the command (its first word) means the home directory,
/// as in newsboat; anywhere else the shell decides.
fn expand_home(command: &str, home: Option<&std::ffi::OsStr>) -> String {
    let command = command.trim();
    match (command.strip_prefix("~/"), home.and_then(|h| h.to_str())) {
        (Some(rest), Some(home)) if !home.is_empty() => {
            format!("{}/{rest}", home.trim_end_matches('/'))
        }
        _ => command.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_tilde_is_the_home_directory() {
        let home = Some(std::ffi::OsStr::new("/home/u"));
        assert_eq!(
            expand_home("~/bin/f --x ~/y", home),
            "/home/u/bin/f --x ~/y"
        );
        assert_eq!(expand_home("cat ~/f", home), "cat ~/f");
        assert_eq!(expand_home("~/f", None), "~/f");
    }

    #[test]
    fn the_stderr_line_is_the_first_with_text_and_bounded() {
        assert_eq!(
            first_line(b"\n  oops: no network  \nmore\n").as_deref(),
            Some("oops: no network")
        );
        assert_eq!(first_line(b" \n"), None);
        let long = "x".repeat(500);
        let line = first_line(long.as_bytes()).unwrap();
        assert_eq!(line.chars().count(), STDERR_LINE_CHARS + 1);
    }
}
