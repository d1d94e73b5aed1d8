//! The reader (real binary in a pseudo-terminal) against hostile items: an
//! article of 12,000 nested elements and a title of 300,000 zero-width
//! characters open and draw; SIGINT and SIGQUIT end the reader with the
//! terminal given back (alternate screen left, cursor shown, mouse tracking and
//! bidi mode off). Waits have generous limits only so a broken build fails
//! instead of hanging; nothing here measures speed.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const ROWS: u16 = 24;
const COLS: u16 = 80;
const PATIENCE: Duration = Duration::from_secs(60);

struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl Session {
    fn start(dir: &Path) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_khabar"));
        cmd.arg("--config");
        cmd.arg(dir.join("config.toml"));
        cmd.arg("--db");
        cmd.arg(dir.join("k.db"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", dir);
        cmd.env("XDG_CONFIG_HOME", dir.join("xdg-config"));
        cmd.env("XDG_DATA_HOME", dir.join("xdg-data"));
        cmd.env("XDG_STATE_HOME", dir.join("xdg-state"));
        cmd.env("BROWSER", "true");
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(ROWS).unwrap(),
            std::num::NonZeroU16::new(COLS).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (sink, raw_sink) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                raw_sink.lock().unwrap().extend_from_slice(&buf[..n]);
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        Session {
            parser,
            raw,
            writer,
            child,
            _master: pty.master,
        }
    }

    /// The screen's text without zero-width spaces (vt100 keeps those a cell
    /// carries; the storm title shows as `StormTitle`).
    fn screen(&self) -> String {
        self.parser
            .lock()
            .unwrap()
            .screen()
            .contents()
            .replace('\u{200B}', "")
    }

    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} never appeared; screen:\n{}", self.screen());
    }

    fn keys(&mut self, keys: &str) {
        for k in keys.chars() {
            let mut b = [0u8; 4];
            self.writer
                .write_all(k.encode_utf8(&mut b).as_bytes())
                .unwrap();
            self.writer.flush().unwrap();
            std::thread::sleep(Duration::from_millis(80));
        }
    }

    /// Sends `signal`, waits for the process to end, and checks that the
    /// terminal was given back.
    fn signal_and_check_restored(mut self, signal: libc::c_int) {
        let pid = self.child.process_id().expect("child pid");
        // SAFETY: sending a signal to our own child process.
        assert_eq!(unsafe { libc::kill(pid as libc::pid_t, signal) }, 0);
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Ended by the signal, as without khabar's handler.
                assert!(!status.success(), "{status:?}");
                break;
            }
            assert!(start.elapsed() < PATIENCE, "khabar did not end");
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(200));
        let parser = self.parser.lock().unwrap();
        assert!(
            !parser.screen().alternate_screen(),
            "still on the alternate screen"
        );
        assert!(!parser.screen().hide_cursor(), "cursor left hidden");
        assert_eq!(
            parser.screen().mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse tracking left on"
        );
        let raw = String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned();
        let mouse_on = raw.find("\x1b[?1000h").expect("mouse tracking turned on");
        let mouse_off = raw.rfind("\x1b[?1000l").expect("mouse tracking turned off");
        let implicit = raw.rfind("\x1b[8h\x1b[0 k").expect("BDSM implicit sent");
        let leave_alt = raw.rfind("\x1b[?1049l").expect("alternate screen left");
        assert!(mouse_on < mouse_off && implicit < leave_alt);
    }
}

/// A feed file with a deep article and a zero-width storm title, refreshed into
/// a fresh database, and a config with mouse tracking on.
fn hostile_setup(dir: &Path) {
    let deep = format!("{}DEEP-TEXT-END", "<div>".repeat(12_000)).replace('<', "&lt;");
    let storm = format!("Storm{}Title", "\u{200B}".repeat(300_000));
    let feed = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
         <title>Hostile</title><link>http://127.0.0.1/</link>\
         <item><guid>deep</guid><title>Deep article</title><link>http://127.0.0.1/d</link>\
         <pubDate>Tue, 19 Nov 2024 12:00:00 GMT</pubDate><description>{deep}</description></item>\
         <item><guid>storm</guid><title>{storm}</title><link>http://127.0.0.1/s</link>\
         <pubDate>Tue, 19 Nov 2024 11:00:00 GMT</pubDate><description>zw</description></item>\
         </channel></rss>"
    );
    let feed_path = dir.join("hostile.xml");
    std::fs::write(&feed_path, feed).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[general]\nmouse = true\n\n[[feed]]\nurl = \"file://{}\"\ntitle = \"Hostile\"\n",
            feed_path.display()
        ),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_khabar"))
        .arg("--config")
        .arg(dir.join("config.toml"))
        .arg("--db")
        .arg(dir.join("k.db"))
        .args(["refresh", "--quiet"])
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn defect1_reader_opens_a_deeply_nested_article_and_sigint_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    hostile_setup(dir.path());
    let mut s = Session::start(dir.path());
    s.wait_for("Hostile");
    s.keys("\r");
    s.wait_for("Deep article");
    s.wait_for("StormTitle");
    s.keys("\r");
    s.wait_for("DEEP-TEXT-END");
    // Back to the list and open it again: no crash the second time either.
    s.keys("q");
    s.wait_for("StormTitle");
    s.keys("\r");
    s.wait_for("DEEP-TEXT-END");
    s.signal_and_check_restored(libc::SIGINT);
}

#[test]
fn defect9_sigquit_to_the_reader_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    hostile_setup(dir.path());
    let mut s = Session::start(dir.path());
    s.wait_for("Hostile");
    s.keys("\r");
    s.wait_for("StormTitle");
    s.signal_and_check_restored(libc::SIGQUIT);
}
