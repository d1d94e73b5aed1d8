//! `[general] notify_command` (newsboat's `notify-program`): after a refresh that
//! stored new items, the user's command runs with `sh -c`, detached and with its
//! output discarded. The refresh only spawns it: a slow or hanging command never
//! holds up the refresh's end, and a command that cannot be started is logged and
//! reported once in [`super::RefreshReport`], never failing the refresh.

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What the placeholders of the command stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Counts {
    /// `%n`: items stored for the first time by this refresh.
    pub new_items: u64,
    /// `%u`: unread items in total, after the refresh.
    pub unread: u64,
    /// `%f`: feeds that got new items.
    pub feeds: u64,
}

/// `template` with `%n`, `%u`, `%f` replaced by their values and `%%` by `%`;
/// any other `%` is kept as written. The values are counts, digits only, so they
/// go in bare: nothing in them is shell syntax, and a count inside the user's
/// own quotes (`"%n new"`) must read `12 new`, not `'12' new`.
pub(super) fn expand(template: &str, counts: Counts) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let value = match chars.peek() {
            Some('n') => Some(counts.new_items),
            Some('u') => Some(counts.unread),
            Some('f') => Some(counts.feeds),
            Some('%') => {
                chars.next();
                out.push('%');
                continue;
            }
            _ => None,
        };
        match value {
            Some(value) => {
                chars.next();
                out.push_str(&value.to_string());
            }
            None => out.push('%'),
        }
    }
    out
}

/// Runs the command after a refresh that stored `new_items` in `feeds` feeds:
/// counts the unread items, expands the placeholders and spawns it. Returns the
/// message to show once when the command could not be started (or the unread
/// items counted); nothing happens when `command` is empty or nothing was new.
pub(super) async fn after_refresh(
    db_path: PathBuf,
    command: &str,
    new_items: u64,
    feeds: u64,
) -> Option<String> {
    if command.trim().is_empty() || new_items == 0 {
        return None;
    }
    let unread = tokio::task::spawn_blocking(move || {
        crate::store::Store::open(&db_path).and_then(|store| store.unread_count())
    })
    .await;
    let unread = match unread {
        Ok(Ok(unread)) => unread,
        Ok(Err(err)) => return Some(failed(&format!("cannot count the unread items: {err}"))),
        Err(err) => return Some(failed(&format!("cannot count the unread items: {err}"))),
    };
    let expanded = expand(
        command,
        Counts {
            new_items,
            unread,
            feeds,
        },
    );
    spawn(&expanded).err().map(|err| failed(&err.to_string()))
}

fn failed(reason: &str) -> String {
    let message = format!("notify_command did not run: {reason}");
    tracing::warn!("{message}");
    message
}

/// Starts `sh -c COMMAND` in its own process group (a Ctrl-C meant for khabar is
/// not its business), without input or output, and does not wait for it. A
/// thread reaps it when it ends, so a reader running for days leaves no zombies;
/// when khabar exits first, the command goes on alone.
fn spawn(command: &str) -> std::io::Result<()> {
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt as _;
        sh.process_group(0);
    }
    let mut child = sh.spawn()?;
    tracing::info!(command, "notify_command started");
    let reaper = std::thread::Builder::new()
        .name("khabar-notify".into())
        .spawn(move || {
            if let Ok(status) = child.wait()
                && !status.success()
            {
                tracing::warn!("notify_command exited with {status}");
            }
        });
    if let Err(err) = reaper {
        // The command runs anyway; only its exit status goes unread.
        tracing::warn!("cannot start the thread that waits for notify_command: {err}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Counts, expand};

    const COUNTS: Counts = Counts {
        new_items: 12,
        unread: 340,
        feeds: 3,
    };

    #[test]
    fn placeholders_become_counts_that_read_right_inside_quotes() {
        assert_eq!(
            expand(
                "notify-send khabar \"%n new (%u unread) in %f feeds\"",
                COUNTS
            ),
            "notify-send khabar \"12 new (340 unread) in 3 feeds\""
        );
        assert_eq!(
            expand("printf '%s %s' %n %u", COUNTS),
            "printf '%s %s' 12 340"
        );
    }

    #[test]
    fn a_doubled_percent_is_one_and_others_stay() {
        assert_eq!(expand("echo 100%% %x %", COUNTS), "echo 100% %x %");
        assert_eq!(expand("%%n", COUNTS), "%n");
    }
}
