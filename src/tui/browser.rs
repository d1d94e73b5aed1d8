//! Opening a link in the browser: which command `o` runs, and starting it detached.
//!
//! newsboat runs its `browser` setting through `/bin/sh`, so its users write
//! `browser "firefox %u &"`, `"open -a 'Google Chrome' %u"` or `"echo %u >> ~/links"`.
//! A command with such shell syntax runs through `sh -c` here too, with the URL
//! single-quoted so that nothing a feed put in a link reaches the shell as syntax; a
//! plain `firefox --new-tab` runs directly, so a missing program is named.

use crate::config::command::shell_quote;

use super::msg::OpenError;
use super::process;

/// Characters that make a browser command shell syntax (quotes, redirections,
/// pipes, `&`, variables, `~`, globs): such a command runs through `sh -c`.
const SHELL_SYNTAX: &[char] = &[
    '|', '&', ';', '<', '>', '(', ')', '$', '`', '\\', '"', '\'', '*', '?', '[', ']', '#', '~',
    '{', '}', '\n',
];

/// The browser command: the config's, else `$BROWSER`, else the platform opener.
/// `%u` in the command is replaced by the URL, else the URL is appended. A command
/// with shell syntax comes back as `sh -c COMMAND` with the URL single-quoted.
pub fn browser_command(configured: &str, env_browser: Option<&str>, url: &str) -> Vec<String> {
    let template = if !configured.trim().is_empty() {
        configured.to_string()
    } else if let Some(env) = env_browser.and_then(|b| b.split(':').find(|s| !s.trim().is_empty()))
    {
        env.to_string()
    } else if cfg!(target_os = "macos") {
        "open".to_string()
    } else {
        "xdg-open".to_string()
    };
    if cfg!(unix) && template.contains(SHELL_SYNTAX) {
        let quoted = shell_quote(url);
        let script = if template.contains("%u") {
            template.replace("%u", &quoted)
        } else {
            format!("{template} {quoted}")
        };
        return vec!["sh".to_string(), "-c".to_string(), script];
    }
    let mut parts: Vec<String> = template.split_whitespace().map(str::to_string).collect();
    if parts.iter().any(|p| p.contains("%u")) {
        for part in &mut parts {
            *part = part.replace("%u", url);
        }
    } else {
        parts.push(url.to_string());
    }
    parts
}

/// Starts the browser detached from the terminal (no stdio), and reaps it on a
/// thread. The error says which program could not run and how to choose another.
pub fn open_url(configured: &str, url: &str) -> Result<(), OpenError> {
    let env = std::env::var("BROWSER").ok();
    let parts = browser_command(configured, env.as_deref(), url);
    let Some((program, args)) = parts.split_first() else {
        return Err(OpenError::NoCommand);
    };
    let mut command = std::process::Command::new(program);
    command.args(args);
    process::spawn_detached(command, |_| {}).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => OpenError::NotFound {
            program: program.clone(),
        },
        _ => OpenError::Failed {
            program: program.clone(),
            url: url.to_string(),
            error: err.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t11_a_missing_browser_is_named_with_the_way_to_choose_one() {
        let err = open_url(
            "khabar-test-no-such-browser --new-tab",
            "http://127.0.0.1/x",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot run khabar-test-no-such-browser (not found); set general.browser or $BROWSER"
        );
    }

    #[test]
    fn browser_choice_and_url_placement() {
        assert_eq!(
            browser_command("firefox --new-tab", Some("lynx"), "http://a"),
            vec!["firefox", "--new-tab", "http://a"]
        );
        assert_eq!(
            browser_command("", Some("w3m %u -x"), "http://a"),
            vec!["w3m", "http://a", "-x"]
        );
        assert_eq!(
            browser_command(" ", Some(":chromium:firefox"), "http://a"),
            vec!["chromium", "http://a"]
        );
        assert_eq!(browser_command("", None, "u")[1], "u");
    }

    /// A newsboat user's `browser "echo %u >> ~/links"` ran `echo` with `>>` and the
    /// file name as arguments: nothing was written, yet the reader said "opening".
    #[cfg(unix)]
    #[test]
    fn a_newsboat_style_shell_command_runs_through_the_shell() {
        assert_eq!(
            browser_command("echo %u >> /tmp/links", None, "http://a/b?c=1&d=2"),
            vec!["sh", "-c", "echo 'http://a/b?c=1&d=2' >> /tmp/links"]
        );
        assert_eq!(
            browser_command("open -a 'Google Chrome'", None, "http://a"),
            vec!["sh", "-c", "open -a 'Google Chrome' 'http://a'"]
        );
        // A quote in the link stays inside the one word.
        assert_eq!(
            browser_command("firefox %u &", None, "http://a/it's;rm -rf ~"),
            vec!["sh", "-c", r"firefox 'http://a/it'\''s;rm -rf ~' &"]
        );
    }

    /// The real shell: the command's redirection writes the link, and a link full of
    /// shell syntax arrives as the one argument it is.
    #[cfg(unix)]
    #[test]
    fn a_shell_browser_command_writes_the_link_it_was_given() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("opened");
        let url = "http://127.0.0.1/a?x=1&y='$(touch pwned)'`id`;b";
        let command = format!("printf '%s\\n' %u >> {}", out.display());
        let parts = browser_command(&command, None, url);
        let status = std::process::Command::new(&parts[0])
            .args(&parts[1..])
            .current_dir(dir.path())
            .status()
            .unwrap();
        assert!(status.success());
        assert_eq!(std::fs::read_to_string(&out).unwrap(), format!("{url}\n"));
        assert!(!dir.path().join("pwned").exists());
    }
}
