//! The changed-since check (issue 11): the newest entries held are looked at
//! first, a cost for the server bounded by their number, so that a mass flip
//! reads the id sets at once and never asks the check over every entry (which
//! costs the server seconds right after 100,000 entries flipped); a change
//! outside them is still found by that check. `KHABAR_SYNC_PROBE_ENTRIES=1`:
//! with a few entries, the first look covers only the newest one.

use super::*;

impl Setup {
    /// `khabar sync` with the first look on the newest entry only.
    fn probed_sync(&self) -> String {
        self.sync_with(&[("KHABAR_SYNC_PROBE_ENTRIES", "1")])
    }
}

/// Four entries synced, then nothing new: the last sync read the sets after
/// the second of the last change. `changed_after` compares whole seconds and
/// the sets' time is kept a second early (the server's `Date`, truncated, less
/// one), so only a sync more than two seconds after the entries changed is
/// surely past them: 1.1 s let the next look see the newest entry as changed
/// now and then (a test failed 1 run in 6).
fn settled(s: &Setup) -> Proxy {
    s.feed("alpha", 1..5);
    let proxy = Proxy::start(s.mf.port);
    s.write_config("miniflux", &proxy.url(), &s.mf.password);
    s.probed_sync();
    std::thread::sleep(Duration::from_millis(2100));
    s.probed_sync();
    proxy
}

/// What one sync asked: (first looks, checks over every entry, id-set pages).
fn asked(
    proxy: &Proxy,
    sync: impl FnOnce() -> String,
) -> (String, (usize, usize, usize), Vec<String>) {
    let from = proxy.lines.lock().unwrap().len();
    let summary = sync();
    let lines = proxy.lines.lock().unwrap()[from..].to_vec();
    let count = |want: &dyn Fn(&str) -> bool| lines.iter().filter(|l| want(l)).count();
    let counts = (
        count(&|l| l.contains("changed_after=") && l.contains("after_entry_id=")),
        count(&|l| l.contains("changed_after=") && !l.contains("after_entry_id=")),
        count(&|l| l.contains("/v1/entries/ids")),
    );
    (summary, counts, lines)
}

/// The server's newest and oldest entries: (id, title).
fn ends(s: &Setup) -> ((i64, String), (i64, String)) {
    let mut entries: Vec<(i64, String)> =
        s.mf.entries()
            .into_iter()
            .map(|(id, title, _, _)| (id, title))
            .collect();
    entries.sort();
    (entries.last().unwrap().clone(), entries[0].clone())
}

#[test]
fn a_change_among_the_newest_entries_reads_the_sets_without_the_whole_check() {
    let Some(s) = Setup::new("2.3") else { return };
    let proxy = settled(&s);
    let (summary, counts, lines) = asked(&proxy, || s.probed_sync());
    assert_eq!(summary, "sync: 0 new, 0 marked read on the server, 0 sent");
    assert_eq!(
        counts,
        (1, 1, 0),
        "nothing new: the first look, the whole check, no id sets: {lines:#?}"
    );
    let ((newest, title), _) = ends(&s);
    assert!(!s.local(&title).1);
    s.mf.set_read(&[newest], true);
    let (summary, (first, whole, sets), lines) = asked(&proxy, || s.probed_sync());
    assert!(summary.contains("1 marked read on the server"), "{summary}");
    assert_eq!(first, 1, "{lines:#?}");
    assert_eq!(
        whole, 0,
        "the check over every entry is not asked: {lines:#?}"
    );
    assert!(sets >= 3, "the unread, read and starred ids: {lines:#?}");
    assert!(s.local(&title).1);
}

#[test]
fn a_change_outside_the_newest_entries_is_found_by_the_whole_check() {
    let Some(s) = Setup::new("2.3") else { return };
    let proxy = settled(&s);
    let (_, (oldest, title)) = ends(&s);
    s.mf.set_read(&[oldest], true);
    let (summary, (first, whole, sets), lines) = asked(&proxy, || s.probed_sync());
    assert!(summary.contains("1 marked read on the server"), "{summary}");
    assert_eq!((first, whole), (1, 1), "{lines:#?}");
    assert!(sets >= 3, "{lines:#?}");
    assert!(s.local(&title).1);
    let ((_, newest), _) = ends(&s);
    assert!(!s.local(&newest).1, "only the entry read on the server");
}

/// The requests for the read ids' pages.
const READ_IDS: &str = "/v1/entries/ids?status=read&";

/// Marks every one of the four entries read on the server (a "mark all read"
/// elsewhere); their ids.
fn every_entry_read_elsewhere(s: &Setup) -> Vec<i64> {
    let all: Vec<i64> = s.mf.entries().iter().map(|e| e.0).collect();
    assert_eq!(all.len(), 4);
    s.mf.set_read(&all, true);
    all
}

/// Every id-set request of a sync's lines: (unread, read) sets asked.
fn sets_asked(lines: &[String]) -> (bool, bool) {
    let ids = |status: &str| {
        lines
            .iter()
            .any(|l| l.contains("/v1/entries/ids?") && l.contains(&format!("status={status}&")))
    };
    (ids("unread"), ids("read"))
}

/// Every entry read elsewhere (a "mark all read" on the phone): the newest
/// entries lean to the read set, which is asked for alone and counts every
/// entry held here, so the unread ids are never asked; and back.
#[test]
fn every_entry_read_elsewhere_is_answered_by_the_read_ids_alone() {
    let Some(s) = Setup::new("2.3") else { return };
    let proxy = settled(&s);
    let all = every_entry_read_elsewhere(&s);
    let (summary, _, lines) = asked(&proxy, || s.probed_sync());
    assert!(summary.contains("4 marked read on the server"), "{summary}");
    assert_eq!(sets_asked(&lines), (false, true), "{lines:#?}");
    assert!(s.items().iter().all(|item| item.2), "every entry read here");

    std::thread::sleep(Duration::from_millis(1100));
    s.mf.set_read(&all, false);
    let (summary, _, lines) = asked(&proxy, || s.probed_sync());
    assert!(
        summary.contains("4 marked unread on the server"),
        "{summary}"
    );
    assert_eq!(sets_asked(&lines), (true, false), "{lines:#?}");
    assert!(
        s.items().iter().all(|item| !item.2),
        "every entry unread here"
    );
}

/// The read set leans right but is one short: an entry the server's cleanup
/// deleted is in neither set. It is not taken for read: the unread set is
/// asked for too, and the deleted entry keeps its state here.
#[test]
fn an_entry_deleted_on_the_server_is_not_read_when_every_other_one_is() {
    let Some(s) = Setup::new("2.3") else { return };
    let proxy = settled(&s);
    let (_, (oldest, oldest_title)) = ends(&s);
    let rest: Vec<i64> =
        s.mf.entries()
            .iter()
            .map(|e| e.0)
            .filter(|id| *id != oldest)
            .collect();
    s.mf.run_cleanup(&rest);
    assert_eq!(
        s.mf.entries().len(),
        3,
        "the cleanup deleted the oldest entry"
    );
    std::thread::sleep(Duration::from_millis(1100));
    s.mf.set_read(&rest, true);
    // The read ids late: what the sync writes ahead of them (every entry
    // read) must not stand.
    proxy.delay_on(READ_IDS, Duration::from_millis(1500));
    let (summary, _, lines) = asked(&proxy, || s.probed_sync());
    assert!(summary.contains("3 marked read on the server"), "{summary}");
    assert!(
        summary.contains("1 deleted on the server (kept here)"),
        "{summary}"
    );
    assert_eq!(sets_asked(&lines), (true, true), "{lines:#?}");
    assert!(
        !s.local(&oldest_title).1,
        "the deleted entry stays unread here"
    );
    assert_eq!(s.items().len(), 4);
}

impl Setup {
    /// [`Setup::probed_sync`] with a debug log and `env`; (summary, log).
    fn logged_sync(&self, env: &[(&str, &str)]) -> (String, String) {
        let log = self.data.path().join("khabar.log");
        let _ = std::fs::remove_file(&log);
        let mut env = env.to_vec();
        env.extend([
            ("KHABAR_SYNC_PROBE_ENTRIES", "1"),
            ("KHABAR_LOG", "khabar=debug"),
        ]);
        let summary = self.sync_with(&env);
        (summary, std::fs::read_to_string(&log).unwrap_or_default())
    }
}

/// Every entry read elsewhere, the read ids 1.5 s late: the changes are
/// written while they are on their way, and kept when they come.
#[test]
fn a_mark_all_read_elsewhere_is_written_while_the_read_ids_are_on_their_way() {
    let Some(s) = Setup::new("2.3") else { return };
    let proxy = settled(&s);
    every_entry_read_elsewhere(&s);
    proxy.delay_on(READ_IDS, Duration::from_millis(1500));
    let (summary, log) = s.logged_sync(&[]);
    assert!(summary.contains("4 marked read on the server"), "{summary}");
    assert!(
        log.contains("reconciled ahead of the sets")
            && log.contains("the sets confirmed the changes written ahead"),
        "{log}"
    );
    assert!(s.items().iter().all(|item| item.2), "every entry read here");
    assert!(s.sync().starts_with("sync: 0 new, 0 marked read"));
}

/// The newest entry read elsewhere, the others not: the read ids (asked
/// first) lean the wrong way. What was written ahead is rolled back, and only
/// the entry read on the server is read here.
#[test]
fn changes_written_ahead_are_rolled_back_when_the_sets_do_not_confirm_them() {
    let Some(s) = Setup::new("2.3") else { return };
    let proxy = settled(&s);
    let ((newest, title), _) = ends(&s);
    s.mf.set_read(&[newest], true);
    proxy.delay_on(READ_IDS, Duration::from_millis(1500));
    let (summary, log) = s.logged_sync(&[]);
    assert!(summary.contains("1 marked read on the server"), "{summary}");
    assert!(
        log.contains("reconciled ahead of the sets")
            && log.contains("did not confirm the changes written ahead"),
        "{log}"
    );
    let read: Vec<String> = s
        .items()
        .into_iter()
        .filter(|item| item.2)
        .map(|item| item.1)
        .collect();
    assert_eq!(read, vec![title]);
}

/// A star made here while a sync writes ahead of the read ids: whether it
/// lands before that write (then the write leaves the item's star alone) or
/// after it (it waits for the write's lock), the star stays and is sent.
#[test]
fn a_mark_made_while_a_sync_writes_ahead_wins_and_is_sent() {
    let Some(s) = Setup::new("2.3") else { return };
    let proxy = settled(&s);
    every_entry_read_elsewhere(&s);
    proxy.delay_on(READ_IDS, Duration::from_millis(1500));
    let ((_, title), _) = ends(&s);
    let (item, _, starred) = s.local(&title);
    assert!(!starred);
    let sync = s
        .command(&["sync"])
        .env("KHABAR_SYNC_PROBE_ENTRIES", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    s.ok(&["star", &item.to_string()]);
    let out = sync.wait_with_output().unwrap();
    assert!(out.status.success());
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("4 marked read on the server"), "{summary}");
    assert_eq!(
        s.local(&title),
        (item, true, true),
        "read, and starred here"
    );
    proxy.set(Mode::Forward);
    let summary = s.sync();
    assert!(summary.contains("1 sent"), "{summary}");
    assert!(s.remote(&title).2, "the star reached the server");
}

/// The read ids three seconds late: what was written ahead of them does not
/// hold the write lock that long (a mark made in the reader would wait for
/// it). It is rolled back (after a second; half a second here), and the sets
/// reconciled when they come, as always.
#[test]
fn changes_written_ahead_of_a_slow_server_are_rolled_back_and_made_again() {
    let Some(s) = Setup::new("2.3") else { return };
    let proxy = settled(&s);
    every_entry_read_elsewhere(&s);
    proxy.delay_on(READ_IDS, Duration::from_secs(3));
    let (summary, log) = s.logged_sync(&[("KHABAR_SYNC_AHEAD_HOLD_MS", "500")]);
    assert!(summary.contains("4 marked read on the server"), "{summary}");
    assert!(
        log.contains("reconciled ahead of the sets")
            && log.contains("the set is slow to answer")
            && !log.contains("confirmed the changes written ahead"),
        "{log}"
    );
    assert!(s.items().iter().all(|item| item.2), "every entry read here");
}
