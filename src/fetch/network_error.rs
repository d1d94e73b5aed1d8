//! A failed request described for a reader: the reason first, in a few words.
//!
//! reqwest's own message is a frame ("error sending request for url (URL)") around
//! hyper's ("client error (Connect)") around the reason ("dns error: … Name or
//! service not known"). The feed list and the status line already show the feed's
//! address and are cut at the terminal's width, so the frames pushed the one part a
//! reader needs, why, out of sight. This names the host and says why. The sync
//! client (`sync::http`) explains its transport errors with it too, after its own
//! prefix that names the sync server.

use std::error::Error;
use std::io::ErrorKind;

/// The message for a request to `host` (`host` or `host:port`) that failed with
/// `err`; `connect` when it failed before a connection was made.
pub(crate) fn describe(host: &str, connect: bool, err: &(dyn Error + 'static)) -> String {
    let causes = chain(err);
    let innermost = causes.last().map_or("", |cause| cause.text.as_str());
    if causes
        .iter()
        .any(|cause| cause.text.starts_with("dns error"))
    {
        return format!("cannot resolve {host}: {}", resolver_reason(innermost));
    }
    if let Some(kind) = causes.iter().find_map(|cause| cause.io_kind) {
        match kind {
            ErrorKind::ConnectionRefused => return format!("connection refused by {host}"),
            ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => {
                return format!("connection to {host} was cut off");
            }
            ErrorKind::NetworkUnreachable | ErrorKind::HostUnreachable => {
                return format!("{host} is unreachable (no route; offline?)");
            }
            _ => {}
        }
    }
    if connect {
        return format!("cannot connect to {host}: {innermost}");
    }
    without_frames(&causes)
}

/// The host (`host` or `host:port`) a reqwest error was about, as [`describe`]
/// names it; "the server" when reqwest kept no URL.
pub(crate) fn host(err: &reqwest::Error) -> String {
    err.url()
        .and_then(|url| {
            let host = url.host_str()?;
            Some(match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_string(),
            })
        })
        .unwrap_or_else(|| "the server".to_string())
}

/// One link of an error's chain: its text, and its kind when it is an IO error.
struct Cause {
    text: String,
    io_kind: Option<ErrorKind>,
}

fn chain(err: &(dyn Error + 'static)) -> Vec<Cause> {
    let mut causes = Vec::new();
    let mut next: Option<&(dyn Error + 'static)> = Some(err);
    while let Some(cause) = next {
        causes.push(Cause {
            text: cause.to_string(),
            io_kind: cause.downcast_ref::<std::io::Error>().map(|io| io.kind()),
        });
        next = cause.source();
    }
    causes
}

/// The resolver's own words without getaddrinfo's preamble: "Name or service not
/// known", "Temporary failure in name resolution".
fn resolver_reason(innermost: &str) -> &str {
    innermost
        .strip_prefix("failed to lookup address information: ")
        .unwrap_or(innermost)
}

/// The chain on one line without reqwest's and hyper's frames: the URL (shown
/// beside every feed error already) and "client error (…)".
fn without_frames(causes: &[Cause]) -> String {
    let mut message = String::new();
    let last = causes.len().saturating_sub(1);
    for (at, cause) in causes.iter().enumerate() {
        let text = match cause.text.find(" for url (") {
            Some(url) => &cause.text[..url],
            None => cause.text.as_str(),
        };
        // A frame says nothing when a cause below it says why.
        let frame = text.starts_with("client error (") || text == "error sending request";
        if (frame && at < last) || text.is_empty() || message.contains(text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(text);
    }
    if message.is_empty() {
        "the request failed".to_string()
    } else {
        message
    }
}

#[cfg(test)]
mod tests {
    use super::describe;

    /// An error with a message and an optional cause, as reqwest's and hyper's are.
    #[derive(Debug)]
    struct Frame(&'static str, Option<Box<dyn std::error::Error + 'static>>);

    impl std::fmt::Display for Frame {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Frame {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref()
        }
    }

    fn framed(inner: Box<dyn std::error::Error>) -> Frame {
        Frame(
            "error sending request for url (https://feeds.example/rss)",
            Some(Box::new(Frame("client error (Connect)", Some(inner)))),
        )
    }

    #[test]
    fn a_name_that_does_not_resolve_says_so_with_the_resolver_s_words() {
        let err = framed(Box::new(Frame(
            "dns error",
            Some(Box::new(std::io::Error::other(
                "failed to lookup address information: Name or service not known",
            ))),
        )));
        assert_eq!(
            describe("feeds.example", true, &err),
            "cannot resolve feeds.example: Name or service not known"
        );
    }

    #[test]
    fn refused_reset_and_unreachable_name_the_host() {
        for (kind, expected) in [
            (
                std::io::ErrorKind::ConnectionRefused,
                "connection refused by 127.0.0.1:9",
            ),
            (
                std::io::ErrorKind::ConnectionReset,
                "connection to 127.0.0.1:9 was cut off",
            ),
            (
                std::io::ErrorKind::NetworkUnreachable,
                "127.0.0.1:9 is unreachable (no route; offline?)",
            ),
        ] {
            let err = framed(Box::new(Frame(
                "tcp connect error",
                Some(Box::new(std::io::Error::from(kind))),
            )));
            assert_eq!(describe("127.0.0.1:9", true, &err), expected);
        }
    }

    #[test]
    fn another_connect_failure_keeps_its_innermost_reason() {
        let err = framed(Box::new(Frame(
            "invalid peer certificate: UnknownIssuer",
            None,
        )));
        assert_eq!(
            describe("feeds.example", true, &err),
            "cannot connect to feeds.example: invalid peer certificate: UnknownIssuer"
        );
    }

    #[test]
    fn a_failure_after_connecting_drops_only_the_frames() {
        let err = Frame(
            "error decoding response body",
            Some(Box::new(Frame(
                "client error (Body)",
                Some(Box::new(Frame(
                    "connection closed before message completed",
                    None,
                ))),
            ))),
        );
        assert_eq!(
            describe("feeds.example", false, &err),
            "error decoding response body: connection closed before message completed"
        );
        let bare = Frame(
            "error sending request for url (https://feeds.example/rss)",
            None,
        );
        assert_eq!(
            describe("feeds.example", false, &bare),
            "error sending request"
        );
    }
}
