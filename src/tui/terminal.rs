//! Entering and leaving the full-screen terminal state, and making sure it is
//! always left: on quit, on error (a guard), on panic (a hook), around Ctrl-Z, and
//! on SIGINT, SIGQUIT and SIGABRT (an abort, such as Rust's report of a stack
//! overflow) through an async-signal-safe handler that writes the restoring
//! sequences and the saved terminal settings, then lets the signal take its
//! default course.
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
    #[cfg(unix)]
    signals::install();
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
        // A feed parser panic is caught and costs one feed: the reader goes on.
        if !crate::feed::crash_guard::inside() {
            let _ = leave();
        }
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

/// Gives the terminal to another program for the length of `f` (a user
/// command in terminal or pipe mode), as Ctrl-Z gives it to the shell: the
/// screen, raw mode and the modes `enter` set are restored first and set again
/// after.
pub fn hand_over<T>(mouse: bool, app_bidi: bool, f: impl FnOnce() -> T) -> io::Result<T> {
    leave()?;
    let result = f();
    enter(mouse, app_bidi)?;
    Ok(result)
}

/// SIGINT and SIGQUIT ignored while this lives, then handled as before.
pub struct InterruptsIgnored {
    #[cfg(unix)]
    saved: Vec<(libc::c_int, libc::sigaction)>,
}

/// Ignores SIGINT and SIGQUIT until the guard is dropped: a Ctrl-C typed into
/// a program the reader waits for reaches the whole foreground process group,
/// and is that program's, not a reason for the reader to end.
pub fn ignore_interrupts() -> InterruptsIgnored {
    #[cfg(unix)]
    {
        let mut saved = Vec::new();
        for signal in [libc::SIGINT, libc::SIGQUIT] {
            // SAFETY: sigaction with a zeroed action set to SIG_IGN and a valid
            // place for the old one, which is kept only when the call succeeded.
            unsafe {
                let mut ignore: libc::sigaction = std::mem::zeroed();
                ignore.sa_sigaction = libc::SIG_IGN;
                libc::sigemptyset(&mut ignore.sa_mask);
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(signal, &ignore, &mut old) == 0 {
                    saved.push((signal, old));
                }
            }
        }
        InterruptsIgnored { saved }
    }
    #[cfg(not(unix))]
    InterruptsIgnored {}
}

impl Drop for InterruptsIgnored {
    fn drop(&mut self) {
        #[cfg(unix)]
        for (signal, old) in &self.saved {
            // SAFETY: restores an action sigaction itself returned.
            unsafe {
                libc::sigaction(*signal, old, std::ptr::null_mut());
            }
        }
    }
}

/// What crossterm's `DisableMouseCapture` writes, as bytes a signal handler can write.
#[cfg(unix)]
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l";
/// Cursor shown, alternate screen left.
#[cfg(unix)]
const SCREEN_OFF: &str = "\x1b[?25h\x1b[?1049l";

/// Restoring the terminal from a signal handler: only async-signal-safe calls
/// (`write`, `tcsetattr`, `sigaction`, `raise`) and atomics.
#[cfg(unix)]
mod signals {
    use std::sync::Once;
    use std::sync::OnceLock;
    use std::sync::atomic::Ordering;

    use super::{ACTIVE, APP_BIDI, BIDI_IMPLICIT, FLAGS, MOUSE, MOUSE_OFF, SCREEN_OFF};

    /// The terminal settings before raw mode, read once (they do not change
    /// while khabar runs; Ctrl-Z comes back to the same ones).
    static SAVED: OnceLock<libc::termios> = OnceLock::new();
    static INSTALL: Once = Once::new();

    /// Saves the terminal settings and installs the handler (once per process).
    pub(super) fn install() {
        INSTALL.call_once(|| {
            // SAFETY: isatty/tcgetattr on a valid descriptor with a zeroed termios
            // to fill; the struct is only kept when the call succeeded.
            unsafe {
                if libc::isatty(libc::STDIN_FILENO) == 1 {
                    let mut termios: libc::termios = std::mem::zeroed();
                    if libc::tcgetattr(libc::STDIN_FILENO, &mut termios) == 0 {
                        let _ = SAVED.set(termios);
                    }
                }
            }
            for signal in [libc::SIGINT, libc::SIGQUIT, libc::SIGABRT] {
                // SAFETY: a valid sigaction whose handler only makes
                // async-signal-safe calls; SA_ONSTACK lets it run on the
                // alternate stack after a stack overflow, SA_RESETHAND restores
                // the default action for the re-raise.
                unsafe {
                    let mut action: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction = restore_and_reraise as *const () as libc::sighandler_t;
                    action.sa_flags = libc::SA_ONSTACK | libc::SA_RESETHAND;
                    libc::sigemptyset(&mut action.sa_mask);
                    libc::sigaction(signal, &action, std::ptr::null_mut());
                }
            }
        });
    }

    fn write_all(bytes: &[u8]) {
        let mut rest = bytes;
        while !rest.is_empty() {
            // SAFETY: write(2) from a valid buffer of the given length.
            let n = unsafe { libc::write(libc::STDOUT_FILENO, rest.as_ptr().cast(), rest.len()) };
            if n <= 0 {
                return;
            }
            rest = &rest[n.unsigned_abs()..];
        }
    }

    extern "C" fn restore_and_reraise(signal: libc::c_int) {
        if ACTIVE.swap(false, Ordering::SeqCst) {
            let flags = FLAGS.load(Ordering::SeqCst);
            if flags & MOUSE != 0 {
                write_all(MOUSE_OFF.as_bytes());
            }
            if flags & APP_BIDI != 0 {
                write_all(BIDI_IMPLICIT.as_bytes());
            }
            write_all(SCREEN_OFF.as_bytes());
            if let Some(termios) = SAVED.get() {
                // SAFETY: tcsetattr with settings tcgetattr returned for this descriptor.
                unsafe {
                    libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, termios);
                }
            }
        }
        // The handler was reset to the default action on entry (SA_RESETHAND):
        // the re-raised signal ends the process as it would have without khabar.
        // SAFETY: raise() with the signal number this handler received.
        unsafe {
            libc::raise(signal);
        }
    }
}
