//! What one sync did, and the summary line `khabar sync` prints from it.

use super::reconcile;
use crate::text::{plural, thousands};

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncReport {
    /// New items pulled.
    pub new: u64,
    /// Items the server made read.
    pub read_on_server: u64,
    /// Items the server made unread.
    pub unread_on_server: u64,
    /// Items starred or unstarred on the server.
    pub stars_on_server: u64,
    /// Local marks sent.
    pub sent: u64,
    /// Local marks whose batch the server kept refusing: still queued.
    pub unsent: u64,
    /// Entries the server deleted (its cleanup): kept here, unlinked.
    pub gone_on_server: u64,
    /// Subscriptions on the server.
    pub feeds: usize,
    /// The server's feeds with a command (`exec:`/`filter:`) URL, not taken.
    pub refused_feeds: usize,
    /// The server's version.
    pub version: String,
}

impl SyncReport {
    /// Adds reconciliation's counts.
    pub(super) fn add_counts(&mut self, counts: reconcile::Counts) {
        self.read_on_server += counts.read;
        self.unread_on_server += counts.unread;
        self.stars_on_server += counts.starred + counts.unstarred;
        self.gone_on_server += counts.gone;
    }

    /// `sync: 312 new, 1,204 marked read on the server, 17 sent`.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "sync: {} new, {} marked read on the server, {} sent",
            thousands(self.new),
            thousands(self.read_on_server),
            thousands(self.sent)
        );
        if self.unread_on_server > 0 {
            line.push_str(&format!(
                ", {} marked unread on the server",
                thousands(self.unread_on_server)
            ));
        }
        if self.stars_on_server > 0 {
            line.push_str(&format!(
                ", {} {} changed on the server",
                thousands(self.stars_on_server),
                plural(self.stars_on_server, "star", "stars")
            ));
        }
        if self.unsent > 0 {
            line.push_str(&format!(
                ", {} not sent (the server refused them; kept for the next sync)",
                thousands(self.unsent)
            ));
        }
        if self.refused_feeds > 0 {
            line.push_str(&format!(
                ", {} exec:/filter: {} on the server not taken (commands come only from you)",
                self.refused_feeds,
                plural(self.refused_feeds as u64, "feed", "feeds")
            ));
        }
        if self.gone_on_server > 0 {
            line.push_str(&format!(
                ", {} deleted on the server (kept here)",
                thousands(self.gone_on_server)
            ));
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_has_thousands_separators() {
        let report = SyncReport {
            new: 312,
            read_on_server: 1204,
            sent: 17,
            ..SyncReport::default()
        };
        assert_eq!(
            report.summary(),
            "sync: 312 new, 1,204 marked read on the server, 17 sent"
        );
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
    }
}
