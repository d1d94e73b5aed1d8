//! `khabar completions SHELL` and `khabar man`: shell completions and the manual
//! page, both generated from the clap definition the parser itself uses, so they
//! list exactly the commands and flags the binary has.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::CommandFactory;

use super::Cli;

/// Writes the completion script for `shell` to standard output.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "khabar", &mut out);
    write_stdout(&out)
}

/// Writes the man page (roff) to standard output: the top page, then one section
/// per subcommand, as `man khabar` readers expect to find them in one page.
pub fn man() -> anyhow::Result<ExitCode> {
    write_stdout(&man_page()?)
}

/// The whole manual page as roff bytes.
pub fn man_page() -> anyhow::Result<Vec<u8>> {
    let cmd = Cli::command();
    let mut out = Vec::new();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    // One section per subcommand with its own synopsis and options, since a
    // single page is what `khabar man | man -l -` shows.
    writeln!(out, ".SH COMMANDS")?;
    for sub in cmd.get_subcommands() {
        let name = sub.get_name();
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        writeln!(out, ".SS \"khabar {}\"", roff_escape(name))?;
        writeln!(out, "{}", roff_escape(&about))?;
        for arg in sub.get_arguments() {
            if arg.is_hide_set() {
                continue;
            }
            // A flag that takes a value shows it, as `--feed <URL>`.
            let value = match arg.get_action().takes_values() {
                true if arg.get_long().is_some() || arg.get_short().is_some() => format!(
                    " <{}>",
                    roff_escape(
                        &arg.get_value_names()
                            .and_then(|v| v.first())
                            .map(|v| v.to_string())
                            .unwrap_or_else(|| arg.get_id().to_string().to_uppercase())
                    )
                ),
                _ => String::new(),
            };
            // Hyphens inside a long name are escaped too, as roff needs them.
            let long = arg.get_long().map(roff_escape);
            let spec = match (long, arg.get_short()) {
                (Some(long), Some(short)) => format!("\\-{short}, \\-\\-{long}{value}"),
                (Some(long), None) => format!("\\-\\-{long}{value}"),
                (None, Some(short)) => format!("\\-{short}{value}"),
                (None, None) => format!(
                    "<{}>",
                    arg.get_value_names()
                        .and_then(|v| v.first())
                        .map(|v| v.to_string())
                        .unwrap_or_else(|| arg.get_id().to_string().to_uppercase())
                ),
            };
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            writeln!(out, ".TP\n\\fB{spec}\\fR\n{}", roff_escape(&help))?;
        }
    }
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// Escapes text for a roff line: backslashes, and a leading `.` or `'` that roff
/// would read as a request.
fn roff_escape(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('-', "\\-");
    match escaped.chars().next() {
        Some('.') | Some('\'') => format!("\\&{escaped}"),
        _ => escaped,
    }
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // `khabar man | head` closes the pipe early: that is not an error.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(err) => Err(err).context("writing to standard output"),
    }
}
