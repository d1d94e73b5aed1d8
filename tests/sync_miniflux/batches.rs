//! Marks sent in batches (issue 11): a batch the server refuses backs off and is
//! retried alone while the others go; reconciling reads the smaller id set. Small
//! batches (`KHABAR_SYNC_BATCH=2`) so a few entries make several.

use super::*;

impl Setup {
    /// Like [`Setup::ok`], with batches of two and short batch waits.
    fn batched(&self, args: &[&str]) -> String {
        let out = self
            .command(args)
            .env("KHABAR_SYNC_BATCH", "2")
            .env("KHABAR_SYNC_BATCH_RETRY_MS", "50,100")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            self.mf.log_text()
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

/// Server entries: (title, id, read, starred), by title.
fn remote(s: &Setup) -> Vec<(String, i64, bool, bool)> {
    let mut entries: Vec<_> =
        s.mf.entries()
            .into_iter()
            .map(|(id, title, read, starred)| (title, id, read, starred))
            .collect();
    entries.sort();
    entries
}

fn outbox_len(s: &Setup) -> usize {
    let conn = rusqlite::Connection::open(s.data.path().join("khabar.db")).unwrap();
    conn.query_row("SELECT COUNT(*) FROM sync_outbox", [], |row| {
        row.get::<_, i64>(0)
    })
    .unwrap() as usize
}

/// Marks every local item read, one `mark-read` with all ids.
fn mark_all_read(s: &Setup) {
    let ids: Vec<String> = s.items().iter().map(|i| i.0.to_string()).collect();
    let mut args = vec!["mark-read"];
    args.extend(ids.iter().map(String::as_str));
    s.batched(&args);
}

#[test]
fn a_batch_refused_for_a_while_backs_off_and_is_sent_with_the_others() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..7);
    let proxy = Proxy::start(s.mf.port);
    s.write_config("miniflux", &proxy.url(), &s.mf.password.clone());
    s.batched(&["sync"]);
    mark_all_read(&s);
    // One entry's batch is refused four times: more than the HTTP layer's three
    // tries, so the batch waits its own backoff and goes again.
    let target = remote(&s).iter().find(|e| e.0 == "alpha 3").unwrap().1;
    proxy.refuse_ids(&[target], 4);
    let summary = s.batched(&["sync"]);
    assert!(summary.contains("6 sent"), "{summary}");
    assert!(!summary.contains("not sent"), "{summary}");
    assert!(
        proxy.failed.load(std::sync::atomic::Ordering::SeqCst) >= 4,
        "the batch was refused"
    );
    assert!(remote(&s).iter().all(|e| e.2), "{:?}", remote(&s));
    assert_eq!(outbox_len(&s), 0);
}

#[test]
fn a_batch_the_server_keeps_refusing_holds_back_only_its_own_marks() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..7);
    let proxy = Proxy::start(s.mf.port);
    s.write_config("miniflux", &proxy.url(), &s.mf.password.clone());
    s.batched(&["sync"]);
    mark_all_read(&s);
    let target = remote(&s).iter().find(|e| e.0 == "alpha 3").unwrap().1;
    proxy.refuse_ids(&[target], usize::MAX);
    // The other batches go; the refused one is split until only the mark the
    // server refuses is left, and kept: the sync itself succeeds.
    let summary = s.batched(&["sync"]);
    assert!(summary.contains("5 sent"), "{summary}");
    assert!(summary.contains("1 not sent"), "{summary}");
    for (title, _, read, _) in remote(&s) {
        assert_eq!(read, title != "alpha 3", "{title} on the server");
    }
    assert!(
        s.items().iter().all(|i| i.2),
        "every item stays read locally"
    );
    assert_eq!(outbox_len(&s), 1, "the refused mark is kept");
    // The server takes it once it stops refusing.
    proxy.set(miniflux::Mode::Forward);
    let summary = s.batched(&["sync"]);
    assert!(summary.contains("1 sent"), "{summary}");
    assert!(remote(&s).iter().all(|e| e.2));
    assert_eq!(outbox_len(&s), 0);
}

#[test]
fn every_entry_flipped_on_the_server_is_reconciled_from_the_smaller_set() {
    let Some(s) = Setup::new("2.3") else { return };
    s.feed("alpha", 1..9);
    s.feed("beta", 1..5);
    s.batched(&["sync"]);
    assert!(s.items().iter().all(|i| !i.2), "all unread at first");
    // Every entry read on the server: the unread set is empty.
    let ids: Vec<i64> = remote(&s).iter().map(|e| e.1).collect();
    let body = |status: &str| format!("{{\"entry_ids\":{ids:?},\"status\":\"{status}\"}}");
    assert_eq!(s.mf.api("PUT", "/v1/entries", Some(&body("read"))).0, 204);
    let summary = s.batched(&["sync"]);
    assert!(
        summary.contains("12 marked read on the server"),
        "{summary}"
    );
    assert!(s.items().iter().all(|i| i.2));
    // Every entry unread again but one: fewer read than unread, so the read
    // ids are what is read; the result is the same truth.
    assert_eq!(s.mf.api("PUT", "/v1/entries", Some(&body("unread"))).0, 204);
    let keep = ids[0];
    let one = format!("{{\"entry_ids\":[{keep}],\"status\":\"read\"}}");
    assert_eq!(s.mf.api("PUT", "/v1/entries", Some(&one)).0, 204);
    let summary = s.batched(&["sync"]);
    assert!(
        summary.contains("11 marked unread on the server"),
        "{summary}"
    );
    let local: Vec<(String, bool)> = s.items().into_iter().map(|i| (i.1, i.2)).collect();
    let remote: Vec<(String, bool)> = remote(&s).into_iter().map(|e| (e.0, e.2)).collect();
    assert_eq!(local, remote);
}
