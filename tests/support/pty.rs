//! The real binary in a pseudo-terminal, its screen kept by a vt100 parser, for
//! tests that type into khabar as a person would. Waits have generous limits only
//! so that a broken build fails instead of hanging; nothing here measures speed.
//!
//! `Pty::start` covers the plain case; `Launch` sets the rest (arguments, terminal
//! size, environment, how long to wait, the pause between typed keys). Besides
//! the screen, every byte khabar wrote is kept (`Pty::raw`) for the escape
//! sequences vt100 does not keep, and the exit can be checked for a terminal
//! given back (`Pty::quit`, `Pty::assert_terminal_given_back`).

#![allow(dead_code)]

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use portable_pty::ExitStatus;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How long any wait lasts before the test fails, unless `Launch::patience` says.
const PATIENCE: Duration = Duration::from_secs(30);
/// The pause after each key `Pty::keys` types, unless `Launch::key_pause` says:
/// one key per frame keeps the screen in a known state between keys.
const KEY_PAUSE: Duration = Duration::from_millis(60);
/// How often waits look at the screen or the process again.
const POLL: Duration = Duration::from_millis(20);

/// How to start khabar in a pseudo-terminal. `HOME` and the XDG directories
/// point into `home`, and `KHABAR_CONFIG`/`KHABAR_DB` are removed, so nothing of
/// the machine's own set-up leaks in; the terminal is 100×30 unless `size` says.
pub struct Launch {
    home: PathBuf,
    args: Vec<OsString>,
    cols: u16,
    rows: u16,
    env: Vec<(OsString, Option<OsString>)>,
    patience: Duration,
    key_pause: Duration,
}

impl Launch {
    /// khabar with no arguments in a 100×30 terminal whose home is `home`.
    pub fn new(home: &Path) -> Launch {
        Launch {
            home: home.to_path_buf(),
            args: Vec::new(),
            cols: 100,
            rows: 30,
            env: Vec::new(),
            patience: PATIENCE,
            key_pause: KEY_PAUSE,
        }
    }

    /// Adds `--config config --db db` to the arguments.
    pub fn config_and_db(self, config: &Path, db: &Path) -> Launch {
        self.args([
            OsStr::new("--config"),
            config.as_os_str(),
            OsStr::new("--db"),
            db.as_os_str(),
        ])
    }

    /// Adds `args` to the arguments.
    pub fn args<I, S>(mut self, args: I) -> Launch
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    /// The terminal's size in columns and rows.
    pub fn size(mut self, cols: u16, rows: u16) -> Launch {
        self.cols = cols;
        self.rows = rows;
        self
    }

    /// Sets `key` to `value` in khabar's environment (after the defaults, so it
    /// can override them).
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Launch {
        self.env.push((
            key.as_ref().to_os_string(),
            Some(value.as_ref().to_os_string()),
        ));
        self
    }

    /// Removes `key` from khabar's environment.
    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Launch {
        self.env.push((key.as_ref().to_os_string(), None));
        self
    }

    /// How long each wait lasts before the test fails.
    pub fn patience(mut self, patience: Duration) -> Launch {
        self.patience = patience;
        self
    }

    /// The pause after each key `Pty::keys` types.
    pub fn key_pause(mut self, pause: Duration) -> Launch {
        self.key_pause = pause;
        self
    }

    /// Starts khabar.
    pub fn start(self) -> Pty {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: self.rows,
                cols: self.cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_khabar"));
        cmd.args(&self.args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", &self.home);
        cmd.env("XDG_CONFIG_HOME", self.home.join("xdg-config"));
        cmd.env("XDG_DATA_HOME", self.home.join("xdg-data"));
        cmd.env("XDG_STATE_HOME", self.home.join("xdg-state"));
        cmd.env_remove("KHABAR_CONFIG");
        cmd.env_remove("KHABAR_DB");
        for (key, value) in &self.env {
            match value {
                Some(value) => cmd.env(key, value),
                None => cmd.env_remove(key),
            }
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        // Only the child holds the terminal's other end now: when it (and all it
        // started) ends, reading gets to the end of the output.
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(self.rows).unwrap(),
            NonZeroU16::new(self.cols).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (sink, raw_sink) = (parser.clone(), raw.clone());
        let output = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                raw_sink.lock().unwrap().extend_from_slice(&buf[..n]);
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        Pty {
            parser,
            raw,
            output: Some(output),
            writer,
            child,
            status: None,
            patience: self.patience,
            key_pause: self.key_pause,
            _master: pty.master,
        }
    }
}

/// A running khabar with its screen.
pub struct Pty {
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, for escape sequences vt100 does not keep.
    raw: Arc<Mutex<Vec<u8>>>,
    /// The thread reading the output, until it has read the end of it.
    output: Option<JoinHandle<()>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    /// How the program ended, once it has.
    status: Option<ExitStatus>,
    patience: Duration,
    key_pause: Duration,
    _master: Box<dyn MasterPty + Send>,
}

impl Pty {
    /// Starts khabar with `args` in a `cols`×`rows` terminal whose home is `home`.
    pub fn start(home: &Path, args: &[&OsStr], cols: u16, rows: u16) -> Pty {
        Launch::new(home).args(args).size(cols, rows).start()
    }

    /// The screen's text.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// The screen's rows, top to bottom, each as wide as the terminal at most.
    pub fn rows(&self) -> Vec<String> {
        let parser = self.parser.lock().unwrap();
        let (_, cols) = parser.screen().size();
        parser.screen().rows(0, cols.get()).collect()
    }

    /// `inspect` applied to the vt100 screen, for what the text does not show
    /// (alternate screen, cursor, mouse mode, colours).
    pub fn with_screen<T>(&self, inspect: impl FnOnce(&vt100::Screen) -> T) -> T {
        inspect(self.parser.lock().unwrap().screen())
    }

    /// Everything the program wrote so far, escape sequences included.
    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// Waits until `text` is on the screen.
    #[track_caller]
    pub fn wait_for(&self, text: &str) {
        self.wait_until(|screen| screen.contains(text), &format!("{text:?}"));
    }

    /// Waits until `text` is no longer on the screen.
    #[track_caller]
    pub fn wait_gone(&self, text: &str) {
        self.wait_until(
            |screen| !screen.contains(text),
            &format!("{text:?} going away"),
        );
    }

    /// Waits until `ready` holds for the screen's text; `what` names it in the
    /// failure.
    #[track_caller]
    pub fn wait_until(&self, ready: impl Fn(&str) -> bool, what: &str) {
        let start = Instant::now();
        while start.elapsed() < self.patience {
            if ready(&self.screen()) {
                return;
            }
            std::thread::sleep(POLL);
        }
        panic!("never saw {what}; screen:\n{}", self.screen());
    }

    /// Types `keys` one at a time, pausing after each.
    pub fn keys(&mut self, keys: &str) {
        for key in keys.chars() {
            let mut buf = [0u8; 4];
            self.writer
                .write_all(key.encode_utf8(&mut buf).as_bytes())
                .unwrap();
            self.writer.flush().unwrap();
            std::thread::sleep(self.key_pause);
        }
    }

    /// Presses Enter.
    pub fn enter(&mut self) {
        self.keys("\r");
    }

    /// Types `text` all at once, as a paste or a fast typist would.
    pub fn type_text(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// The program's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    /// Sends `signal` (`libc::SIGINT`, ...) to the program.
    #[track_caller]
    pub fn signal(&self, signal: libc::c_int) {
        let pid = self.child.process_id().expect("child pid");
        let pid = libc::pid_t::try_from(pid).unwrap();
        // SAFETY: sends a signal to our own child, which has not been reaped
        // yet (`wait_status` is the only place that reaps it).
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0, "kill {pid} {signal}");
    }

    /// Waits for the program to end and for its last output to reach the
    /// screen, and returns how it ended.
    #[track_caller]
    pub fn wait_status(&mut self) -> ExitStatus {
        let start = Instant::now();
        while self.status.is_none() {
            self.status = self.child.try_wait().unwrap();
            if self.status.is_none() {
                assert!(
                    start.elapsed() < self.patience,
                    "khabar did not exit; screen:\n{}",
                    self.screen()
                );
                std::thread::sleep(POLL);
            }
        }
        if let Some(output) = &self.output {
            while !output.is_finished() {
                assert!(
                    start.elapsed() < self.patience,
                    "khabar exited but its terminal stayed open (a process it \
                     started still holds it?); screen:\n{}",
                    self.screen()
                );
                std::thread::sleep(POLL);
            }
        }
        if let Some(output) = self.output.take() {
            output.join().unwrap();
        }
        self.status.clone().unwrap()
    }

    /// Waits for the program to exit and returns whether it succeeded.
    #[track_caller]
    pub fn wait_exit(mut self) -> bool {
        self.wait_status().success()
    }

    /// Waits for a successful exit with the terminal given back.
    #[track_caller]
    pub fn expect_clean_exit(&mut self) {
        let status = self.wait_status();
        assert!(status.success(), "exit status {status:?}");
        self.assert_terminal_given_back();
    }

    /// Quits with `Q`: a successful exit with the terminal given back.
    #[track_caller]
    pub fn quit(&mut self) {
        self.keys("Q");
        self.expect_clean_exit();
    }

    /// Checks that the terminal is as the program found it: main screen, cursor
    /// shown, mouse tracking off.
    #[track_caller]
    pub fn assert_terminal_given_back(&self) {
        // No closure here: `#[track_caller]` names the test's line on failure.
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen");
        assert!(!screen.hide_cursor(), "cursor left hidden");
        assert_eq!(
            screen.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse tracking left on"
        );
    }
}

impl Drop for Pty {
    /// A failed test must not leave khabar running.
    fn drop(&mut self) {
        if self.status.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
