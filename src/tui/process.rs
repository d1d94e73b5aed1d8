//! Starting other programs from the reader: the browser (`o`) and the user's
//! own commands (`[[command]]`). Background ones are detached from the terminal
//! (no standard input or output) and reaped on a thread, which reports how a
//! command ended; a foreground one gets
//! the terminal, which the runner has given up (`terminal::hand_over`), and the
//! runner waits for it. IO at the edge: `update` only ever asks for a
//! `Command::Run` with its line made and quoted.

use std::io::Write;
use std::process::{Command, ExitStatus, Stdio};

use tokio::sync::mpsc::UnboundedSender;

use crate::config::command::CommandMode;

use super::msg::{CommandOutcome, Msg, UserRun};
use super::terminal;

/// Starts `command` detached from the terminal (no stdio) and reaps it on a
/// thread, which hands its exit status to `on_exit`.
pub fn spawn_detached(
    mut command: Command,
    on_exit: impl FnOnce(ExitStatus) + Send + 'static,
) -> std::io::Result<()> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    std::thread::spawn(move || {
        if let Ok(status) = child.wait() {
            on_exit(status);
        }
    });
    Ok(())
}

/// `sh -c LINE`: the line was made by `Template::expand`, every value quoted.
fn shell(line: &str) -> Command {
    let mut command = Command::new("sh");
    command.arg("-c").arg(line);
    command
}

/// Runs a background command like `o` runs the browser: the reader goes on
/// at once, its output is discarded, and the thread that reaps it (so no
/// zombie is left) sends how it ended (`Msg::CommandEnded`): `update` says
/// nothing of a success and words a failure, an exit status or a signal.
pub fn run_background(run: UserRun, tx: UnboundedSender<Msg>) {
    let name = run.name.clone();
    let reaper_tx = tx.clone();
    let started = spawn_detached(shell(&run.line), move |status| {
        let _ = reaper_tx.send(Msg::CommandEnded {
            name,
            mode: CommandMode::Background,
            outcome: outcome(status),
        });
    });
    if let Err(error) = started {
        tracing::warn!("cannot run {:?}: {error}", run.line);
        let _ = tx.send(Msg::CommandEnded {
            name: run.name,
            mode: CommandMode::Background,
            outcome: CommandOutcome::CannotStart(error.to_string()),
        });
    }
}

/// An exit status as the message line words it: the exit code, else the
/// signal that ended the program.
fn outcome(status: ExitStatus) -> CommandOutcome {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => CommandOutcome::Exited(code),
        (None, Some(signal)) => CommandOutcome::Killed(signal),
        // Neither: only a stopped or continued status, which `wait` does not give.
        (None, None) => CommandOutcome::Exited(-1),
    }
}

/// Runs a terminal or pipe command in the foreground and waits for it. The
/// caller has given it the terminal. Ctrl-C and Ctrl-\ typed meanwhile are
/// the program's (a pager, an editor): the reader ignores them until it ends,
/// as `system(3)` does.
pub fn run_foreground(run: &UserRun) -> CommandOutcome {
    let mut command = shell(&run.line);
    if run.input.is_some() {
        command.stdin(Stdio::piped());
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) => {
            tracing::warn!("cannot run {:?}: {error}", run.line);
            return CommandOutcome::CannotStart(error.to_string());
        }
    };
    // After the spawn: an ignored signal would stay ignored in the child.
    let _quiet = terminal::ignore_interrupts();
    // Written on a thread, so a program that reads only part of its input (or
    // none) cannot block the reader; its end of the pipe closes when it exits.
    let writer = match (child.stdin.take(), run.input.clone()) {
        (Some(mut stdin), Some(text)) => Some(std::thread::spawn(move || {
            let _ = stdin.write_all(text.as_bytes());
        })),
        _ => None,
    };
    let status = child.wait();
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    match status {
        Ok(status) => outcome(status),
        Err(error) => CommandOutcome::CannotStart(error.to_string()),
    }
}
