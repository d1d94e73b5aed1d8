//! Command feeds, as newsboat writes them in its `urls` file: `exec:COMMAND`
//! (the command's standard output is the feed) and `filter:COMMAND:URL` (URL's
//! body piped through the command). Pure: this only reads the location; the
//! fetcher (`fetch::command`) runs the command.
//!
//! Every layer that can create a feed asks [`is_command_url`]: a command feed may
//! come only from the user (config, `khabar add`, a `urls` import, an OPML import
//! with `--allow-commands`), never from a sync server or a fetched document.

/// A command feed's location, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandFeed<'a> {
    /// `exec:COMMAND`: run it; its standard output is the feed.
    Exec {
        /// The command line, for `sh -c`.
        command: &'a str,
    },
    /// `filter:COMMAND:URL`: fetch URL, pipe the body through the command.
    Filter {
        /// The command line, for `sh -c` (it has no `:`, as in newsboat).
        command: &'a str,
        /// What to fetch (http, https, `file://` or a path).
        url: &'a str,
    },
}

/// True when `location` names a command feed (`exec:` or `filter:`, any case),
/// well formed or not: such a location is never fetched over the network.
pub fn is_command_url(location: &str) -> bool {
    let start = location.trim_start().as_bytes();
    let has = |prefix: &[u8]| {
        start
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    has(b"exec:") || has(b"filter:")
}

impl<'a> CommandFeed<'a> {
    /// Reads `location`; `None` for a location that is not a command feed, or
    /// one with no command (or, for `filter:`, no URL) in it.
    pub fn parse(location: &'a str) -> Option<CommandFeed<'a>> {
        let location = location.trim();
        let (scheme, rest) = location.split_once(':')?;
        if scheme.eq_ignore_ascii_case("exec") {
            let command = rest.trim();
            return (!command.is_empty()).then_some(CommandFeed::Exec { command });
        }
        if scheme.eq_ignore_ascii_case("filter") {
            // newsboat splits at the first colon after `filter:`: the command
            // cannot hold one, the URL can (`https:`).
            let (command, url) = rest.split_once(':')?;
            let (command, url) = (command.trim(), url.trim());
            return (!command.is_empty() && !url.is_empty())
                .then_some(CommandFeed::Filter { command, url });
        }
        None
    }

    /// The command line.
    pub fn command(&self) -> &'a str {
        match self {
            CommandFeed::Exec { command } | CommandFeed::Filter { command, .. } => command,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_and_filter_locations_are_read_as_newsboat_writes_them() {
        assert_eq!(
            CommandFeed::parse("exec:~/bin/myfeed --flag"),
            Some(CommandFeed::Exec {
                command: "~/bin/myfeed --flag"
            })
        );
        assert_eq!(
            CommandFeed::parse("filter:~/bin/fix.sh:https://example.com/feed?a=1"),
            Some(CommandFeed::Filter {
                command: "~/bin/fix.sh",
                url: "https://example.com/feed?a=1"
            })
        );
        assert_eq!(
            CommandFeed::parse(" EXEC: cat /tmp/x "),
            Some(CommandFeed::Exec {
                command: "cat /tmp/x"
            })
        );
        assert_eq!(CommandFeed::parse("exec:"), None);
        assert_eq!(CommandFeed::parse("filter:cmd"), None);
        assert_eq!(CommandFeed::parse("filter::https://x.example/"), None);
        assert_eq!(CommandFeed::parse("https://x.example/exec:"), None);
        assert_eq!(CommandFeed::parse("/srv/feed.xml"), None);
    }

    #[test]
    fn command_locations_are_recognised_even_when_malformed() {
        for command in ["exec:x", "Exec:", "filter:a:b", "FILTER:", " exec:x"] {
            assert!(is_command_url(command), "{command}");
        }
        for other in [
            "https://x.example/",
            "file:///exec:",
            "execs:x",
            "filters:x",
            "/exec:",
        ] {
            assert!(!is_command_url(other), "{other}");
        }
    }
}
