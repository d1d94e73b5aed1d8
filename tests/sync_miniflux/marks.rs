//! A search marked read (`khabar mark-read --query`, as the reader's mark all
//! on a search or a view does it) against a real Miniflux: its marks are
//! queued and sent like any other, and the next sync does not take them back.

use super::*;

#[test]
fn a_search_marked_read_is_sent_and_stays_read() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..6);
    s.feed("beta", 1..4);
    s.sync();
    let out = s.ok(&["mark-read", "--query", "beta"]);
    assert!(out.contains("3 items marked read"), "{out}");
    let summary = s.sync();
    assert!(summary.ends_with("3 sent"), "{summary}");
    for i in 1..6 {
        let title = format!("alpha {i}");
        assert!(!s.remote(&title).1, "{title} stays unread on the server");
        assert!(!s.local(&title).1, "{title} stays unread here");
    }
    // Once more: with nothing waiting to be sent, the server's state is taken,
    // and it now says read.
    s.sync();
    for i in 1..4 {
        let title = format!("beta {i}");
        assert!(s.remote(&title).1, "{title} read on the server");
        assert!(s.local(&title).1, "{title} still read here");
    }
}
