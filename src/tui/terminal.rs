//! Entering and leaving the full-screen terminal state, and making sure it is
//! always left: on quit, on error (a guard), on panic (a hook), and around Ctrl-Z.
//!
//! With `bidi = "app"` the terminal is told not to reorder (BDSM explicit mode,
//! left-to-right paragraphs, no box-drawing mirroring) after entering the alternate
//! screen, and put back to its implicit default before leaving it.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};

/// Sent after entering the alternate screen when khabar reorders.
pub const BIDI_EXPLICIT: &str = "\x1b[8l\x1b[1 k\x1b[?2500l";
/// Sent before leaving the alternate screen.
pub const BIDI_IMPLICIT: &str = "\x1b[8h\x1b[0 k";

const MOUSE: u8 = 1;
const APP_BIDI: u8 = 2;

/// What `enter` turned on, so the panic hook can turn it off without the runner.
static ACTIVE: AtomicBool = AtomicBool::new(false);
static FLAGS: AtomicU8 = AtomicU8::new(0);

/// Raw mode, alternate screen, hidden cursor, optional mouse and bidi mode.
pub fn enter(mouse: bool, app_bidi: bool) -> io::Result<()> {
    FLAGS.store(
        if mouse { MOUSE } else { 0 } | if app_bidi { APP_BIDI } else { 0 },
        Ordering::SeqCst,
    );
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, cursor::Hide)?;
    if app_bidi {
        out.write_all(BIDI_EXPLICIT.as_bytes())?;
    }
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    out.flush()
}

/// Undoes `enter`; safe to call twice (only the first call acts).
pub fn leave() -> io::Result<()> {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return Ok(());
    }
    let flags = FLAGS.load(Ordering::SeqCst);
    let mut out = io::stdout();
    // Every step is attempted even if one fails: a half-restored terminal is worse.
    let mut result = Ok(());
    if flags & MOUSE != 0 {
        result = result.and(execute!(out, DisableMouseCapture));
    }
    if flags & APP_BIDI != 0 {
        result = result.and(out.write_all(BIDI_IMPLICIT.as_bytes()));
    }
    result = result.and(execute!(out, cursor::Show, LeaveAlternateScreen));
    result = result.and(disable_raw_mode());
    result.and(out.flush())
}

/// Restores the terminal before the default panic message is printed.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = leave();
        previous(info);
    }));
}

/// Leaves the terminal when dropped (early return or error in the runner).
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = leave();
    }
}

/// Ctrl-Z: restore the terminal, stop the process, and come back when continued.
#[cfg(unix)]
pub fn suspend(mouse: bool, app_bidi: bool) -> io::Result<()> {
    leave()?;
    // SAFETY: raise() with a valid signal number has no memory-safety preconditions.
    let rc = unsafe { libc::raise(libc::SIGTSTP) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    enter(mouse, app_bidi)
}

#[cfg(not(unix))]
pub fn suspend(_mouse: bool, _app_bidi: bool) -> io::Result<()> {
    Ok(())
}
