//! The real binary in a pseudo-terminal, its screen kept by a vt100 parser, for
//! tests that type into khabar as a person would. Waits have generous limits only
//! so that a broken build fails instead of hanging; nothing here measures speed.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const PATIENCE: Duration = Duration::from_secs(30);

/// A running khabar with its screen.
pub struct Pty {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl Pty {
    /// Starts khabar with `args` in a `cols`×`rows` terminal whose home is `home`.
    pub fn start(home: &Path, args: &[&OsStr], cols: u16, rows: u16) -> Pty {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_khabar"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("xdg-config"));
        cmd.env("XDG_DATA_HOME", home.join("xdg-data"));
        cmd.env("XDG_STATE_HOME", home.join("xdg-state"));
        cmd.env_remove("KHABAR_CONFIG");
        cmd.env_remove("KHABAR_DB");
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols).unwrap(),
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
        Pty {
            parser,
            writer,
            child,
            _master: pty.master,
        }
    }

    /// The screen's text.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until `text` is on the screen.
    pub fn wait_for(&self, text: &str) {
        self.wait_until(|screen| screen.contains(text), text);
    }

    /// Waits until `ready` holds for the screen's text.
    pub fn wait_until(&self, ready: impl Fn(&str) -> bool, what: &str) {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if ready(&self.screen()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("never saw {what:?}; screen:\n{}", self.screen());
    }

    /// Types `text` as keys.
    pub fn type_text(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits for the program to exit and returns whether it succeeded.
    pub fn wait_exit(mut self) -> bool {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            if start.elapsed() > PATIENCE {
                let _ = self.child.kill();
                panic!("khabar did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
