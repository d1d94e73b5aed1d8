//! The reader's refresh is the same task as `khabar refresh`: the real binary in a
//! pseudo-terminal (portable-pty + vt100) refreshes with `R`, and a read item past
//! `[cleanup] keep_read_days` disappears from the list and from the database, as
//! it would after `khabar refresh` from cron. The feed is a local file, so no
//! server is involved. Waits have generous limits only so a broken build fails
//! instead of hanging; nothing here measures speed.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use khabar::store::{ItemQuery, Store};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const ROWS: u16 = 30;
const COLS: u16 = 100;
const PATIENCE: Duration = Duration::from_secs(30);
const DAY: i64 = 86_400;

const FEED: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
    <title>Cleanup Wire</title><link>http://127.0.0.1/</link>\
    <item><guid>old</guid><title>Ancient story</title><link>http://127.0.0.1/old</link>\
    <pubDate>Tue, 07 Jan 2020 12:00:00 GMT</pubDate><description>old</description></item>\
    <item><guid>new</guid><title>Recent story</title><link>http://127.0.0.1/new</link>\
    <pubDate>Tue, 19 Nov 2024 12:00:00 GMT</pubDate><description>new</description></item>\
    </channel></rss>";

/// The binary running in a pty, its screen kept up to date by a reader thread.
struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl Session {
    fn start(dir: &Path, args: &[&std::ffi::OsStr]) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_khabar"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", dir);
        cmd.env("XDG_CONFIG_HOME", dir.join("xdg-config"));
        cmd.env("XDG_DATA_HOME", dir.join("xdg-data"));
        cmd.env("XDG_STATE_HOME", dir.join("xdg-state"));
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(ROWS).unwrap(),
            std::num::NonZeroU16::new(COLS).unwrap(),
            0,
        )));
        let sink = parser.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        Session {
            parser,
            writer,
            child,
            _master: pty.master,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if done(&self.screen()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{what} never happened; screen:\n{}", self.screen());
    }

    fn wait_for(&self, text: &str) {
        self.wait_until(&format!("{text:?} appearing"), |screen| {
            screen.contains(text)
        });
    }

    fn keys(&mut self, keys: &str) {
        for k in keys.chars() {
            let mut b = [0u8; 4];
            self.writer
                .write_all(k.encode_utf8(&mut b).as_bytes())
                .unwrap();
            self.writer.flush().unwrap();
            // One key per frame keeps the screen in a known state between keys.
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    fn quit(mut self) {
        self.keys("Q");
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "exit status {status:?}");
                return;
            }
            assert!(start.elapsed() < PATIENCE, "khabar did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn titles(store: &Store) -> Vec<String> {
    store
        .items_after(&ItemQuery::default(), None, 100)
        .unwrap()
        .into_iter()
        .map(|row| row.title)
        .collect()
}

#[test]
fn a_refresh_from_the_reader_removes_read_items_past_the_cleanup_policy() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("wire.xml");
    std::fs::write(&feed, FEED).unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[general]\nmouse = false\nrefresh_interval_minutes = 0\n\n\
             [cleanup]\nkeep_read_days = 30\n\n\
             [[feed]]\nurl = \"{}\"\ntitle = \"Cleanup Wire\"\n",
            feed.display()
        ),
    )
    .unwrap();
    let db = dir.path().join("khabar.db");
    let args = [
        "--config".as_ref(),
        config.as_os_str(),
        "--db".as_ref(),
        db.as_os_str(),
    ];

    // Both items stored (unread, so `khabar refresh`'s own cleanup keeps them)...
    let out = Command::new(env!("CARGO_BIN_EXE_khabar"))
        .args(args)
        .args(["refresh", "--quiet"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // ... then the 2020 one read 90 days ago: past the 30-day policy.
    {
        let mut store = Store::open(&db).unwrap();
        assert_eq!(titles(&store), ["Recent story", "Ancient story"]);
        let old = store
            .items_after(&ItemQuery::default(), None, 100)
            .unwrap()
            .into_iter()
            .find(|row| row.title == "Ancient story")
            .unwrap();
        let long_ago = chrono::Utc::now().timestamp() - 90 * DAY;
        store.set_read(&[old.id], true, long_ago).unwrap();
    }

    let mut s = Session::start(dir.path(), &args);
    s.wait_for("All items");
    s.keys("\r");
    s.wait_for("Ancient story");
    s.wait_for("Recent story");
    s.keys("R");
    s.wait_for("refreshed 1 feed");
    // The list reloaded after the cleanup: the old read item is gone, the other stays.
    s.wait_until("the old read item vanishing", |screen| {
        !screen.contains("Ancient story")
    });
    assert!(s.screen().contains("Recent story"), "{}", s.screen());
    s.quit();

    let store = Store::open(&db).unwrap();
    assert_eq!(titles(&store), ["Recent story"]);
}
