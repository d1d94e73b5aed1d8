//! What a running sync is doing, as its progress callback hears it: a typed stage
//! (with its count where it has one), so each front end words it its own way. The
//! `Display` form is the command line's English (`khabar sync` on a terminal).
//! Pure: no IO.

use std::fmt;

use crate::text::thousands;

/// One stage of a sync, in the order a sync goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStage {
    /// Logging in and probing the server.
    LoggingIn,
    /// Sending the outbox (the local marks) to the server.
    SendingMarks,
    /// Bringing the server's subscriptions over.
    ReadingSubscriptions,
    /// Pulling new entries: this many so far.
    NewEntries(u64),
    /// Reconciling read and starred state with the server's.
    Reconciling,
}

impl fmt::Display for SyncStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncStage::LoggingIn => f.write_str("logging in"),
            SyncStage::SendingMarks => f.write_str("sending marks"),
            SyncStage::ReadingSubscriptions => f.write_str("reading subscriptions"),
            SyncStage::NewEntries(n) => write!(f, "{} new entries", thousands(*n)),
            SyncStage::Reconciling => f.write_str("reconciling read state"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_wording_is_as_before() {
        assert_eq!(SyncStage::LoggingIn.to_string(), "logging in");
        assert_eq!(SyncStage::SendingMarks.to_string(), "sending marks");
        assert_eq!(
            SyncStage::ReadingSubscriptions.to_string(),
            "reading subscriptions"
        );
        assert_eq!(SyncStage::NewEntries(1204).to_string(), "1,204 new entries");
        assert_eq!(SyncStage::Reconciling.to_string(), "reconciling read state");
    }
}
