//! An error and its causes on one line, for messages and stored feed errors.

/// `err`, then each of its causes not already in the line: an error that names
/// its cause in its own message ("cannot read PATH: not a regular file") is not
/// followed by that cause again, as `{:#}` would write it, and a generic
/// outer message ("error sending request") still gets the cause that says why.
pub fn one_line(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot read {path}: {source}")]
    struct Read {
        path: String,
        source: std::io::Error,
    }

    #[derive(Debug, thiserror::Error)]
    #[error("cannot fetch it")]
    struct Fetch(#[source] Read);

    #[test]
    fn a_cause_already_in_the_line_is_not_repeated() {
        let read = Read {
            path: "/dev/zero".into(),
            source: std::io::Error::other("not a regular file"),
        };
        assert_eq!(
            one_line(&Fetch(read)),
            "cannot fetch it: cannot read /dev/zero: not a regular file"
        );
    }
}
