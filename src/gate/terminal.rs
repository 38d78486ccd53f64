//! The human's terminal: `/dev/tty`, never the agent's stdin/stdout.
//!
//! Opened only when shellgate's process group owns the terminal's foreground (a background
//! job reading it would stop or hang). Input is read byte by byte with echo, signals and line
//! editing handled here, so Ctrl-C means "no" without signalling the agent, type-ahead is
//! discarded, a timeout is possible, and the saved terminal mode is restored on every path.

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
use nix::sys::termios::{self, LocalFlags, SetArg, Termios};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

/// How reading an answer ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A line was entered (without the newline).
    Line(String),
    /// Ctrl-C.
    Interrupted,
    /// Ctrl-D on an empty line, or the terminal went away.
    Eof,
    /// Nothing was entered in time.
    TimedOut,
    /// A signal that ends the process (SIGTERM, SIGHUP, ...) arrived: the terminal mode is back,
    /// and the caller re-raises it with [`die_of`].
    Signalled(Signal),
}

/// An open controlling terminal whose foreground process group is ours.
pub struct Terminal {
    file: File,
}

impl Terminal {
    /// The controlling terminal, if there is one and shellgate is in its foreground.
    pub fn open() -> Option<Terminal> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .ok()?;
        let foreground = termios::tcgetattr(file.as_fd()).is_ok()
            && nix::unistd::tcgetpgrp(file.as_fd()).ok() == Some(nix::unistd::getpgrp());
        foreground.then_some(Terminal { file })
    }

    /// The terminal's width in columns, when it reports one.
    pub fn width(&self) -> Option<usize> {
        let read = self.file.try_clone().ok()?;
        let write = self.file.try_clone().ok()?;
        let (_, cols) = console::Term::read_write_pair(read, write).size_checked()?;
        Some(usize::from(cols))
    }

    /// Write text as it is (the caller sanitizes anything that came from the command line).
    pub fn write(&mut self, text: &str) {
        let _ = self.file.write_all(text.as_bytes());
        let _ = self.file.flush();
    }

    /// Show `prompt`, then read one line within `timeout`, echoing what is typed.
    ///
    /// Type-ahead is discarded when the terminal is switched to raw mode, *before* the prompt is
    /// written: keys pressed before the question was visible never answer it, and keys pressed
    /// as soon as it is visible are never lost.
    pub fn read_line(&mut self, prompt: &str, timeout: Duration) -> Input {
        let Ok(saved) = termios::tcgetattr(self.file.as_fd()) else {
            return Input::Eof;
        };
        let Ok(dup) = self.file.try_clone() else {
            return Input::Eof;
        };
        let _restore = Restore {
            file: dup,
            saved: saved.clone(),
        };
        let mut raw = saved;
        raw.local_flags &=
            !(LocalFlags::ICANON | LocalFlags::ECHO | LocalFlags::ISIG | LocalFlags::IEXTEN);
        raw.control_chars[termios::SpecialCharacterIndices::VMIN as usize] = 1;
        raw.control_chars[termios::SpecialCharacterIndices::VTIME as usize] = 0;
        // Installed after `_restore`, so dropped before it: a signal now only marks that it came.
        let _signals = CatchSignals::install();
        if termios::tcsetattr(self.file.as_fd(), SetArg::TCSAFLUSH, &raw).is_err() {
            return Input::Eof;
        }
        self.write(prompt);
        let deadline = Instant::now() + timeout;
        let mut line = String::new();
        let mut pending_utf8: Vec<u8> = Vec::new();
        let mut escape = 0u8;
        loop {
            if let Some(signal) = caught() {
                return Input::Signalled(signal);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                self.write("\r\n");
                return Input::TimedOut;
            }
            // Short slices, so a signal that lands just before `poll` is still seen promptly.
            let millis = u16::try_from(left.as_millis().min(250)).unwrap_or(250);
            let mut fds = [PollFd::new(self.file.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, PollTimeout::from(millis)) {
                Ok(0) => continue,
                Ok(_) => {}
                Err(nix::errno::Errno::EINTR) => continue,
                Err(_) => return Input::Eof,
            }
            let mut byte = [0u8; 1];
            match self.file.read(&mut byte) {
                Ok(1) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                _ => return Input::Eof,
            }
            let b = byte[0];
            // Swallow escape sequences (arrow keys and the like): ESC [ ... final byte.
            if escape > 0 {
                escape = if escape == 1 && (b == b'[' || b == b'O') {
                    2
                } else if (0x40..=0x7e).contains(&b) {
                    0
                } else {
                    escape
                };
                continue;
            }
            match b {
                b'\r' | b'\n' => {
                    self.write("\r\n");
                    return Input::Line(line);
                }
                0x03 => {
                    self.write("^C\r\n");
                    return Input::Interrupted;
                }
                0x04 if line.is_empty() => {
                    self.write("\r\n");
                    return Input::Eof;
                }
                0x7f | 0x08 => {
                    if line.pop().is_some() {
                        self.write("\x08 \x08");
                    }
                }
                0x1b => escape = 1,
                b if b < 0x20 => {}
                b => {
                    pending_utf8.push(b);
                    if let Ok(s) = std::str::from_utf8(&pending_utf8) {
                        let s = s.to_string();
                        pending_utf8.clear();
                        if line.len() < 256 {
                            self.write(&s);
                            line.push_str(&s);
                        }
                    } else if pending_utf8.len() >= 4 {
                        pending_utf8.clear();
                    }
                }
            }
        }
    }
}

/// Puts the terminal mode back when reading ends, whatever way it ends.
struct Restore {
    file: File,
    saved: Termios,
}

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = termios::tcsetattr(self.file.as_fd(), SetArg::TCSAFLUSH, &self.saved);
    }
}

/// The signal caught while a prompt waits (0: none).
static CAUGHT: AtomicI32 = AtomicI32::new(0);

extern "C" fn note_signal(signal: nix::libc::c_int) {
    CAUGHT.store(signal, Ordering::SeqCst);
}

fn caught() -> Option<Signal> {
    Signal::try_from(CAUGHT.load(Ordering::SeqCst)).ok()
}

/// The signals that would end shellgate with the terminal still in raw mode.
const ENDING: [Signal; 5] = [
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGINT,
    Signal::SIGQUIT,
    Signal::SIGALRM,
];

/// While a prompt reads, the ending signals are noted instead of killing the process at once
/// (signals the process ignores stay ignored); their previous handling comes back on drop.
struct CatchSignals {
    previous: Vec<(Signal, SigAction)>,
}

impl CatchSignals {
    fn install() -> CatchSignals {
        CAUGHT.store(0, Ordering::SeqCst);
        let note = SigAction::new(
            SigHandler::Handler(note_signal),
            SaFlags::empty(),
            SigSet::empty(),
        );
        let mut previous = Vec::new();
        for signal in ENDING {
            // SAFETY: the handler only stores into an atomic, which is async-signal-safe.
            if let Ok(old) = unsafe { sigaction(signal, &note) } {
                if old.handler() == SigHandler::SigIgn {
                    // SAFETY: puts back the handling the process had a moment ago.
                    let _ = unsafe { sigaction(signal, &old) };
                } else {
                    previous.push((signal, old));
                }
            }
        }
        CatchSignals { previous }
    }
}

impl Drop for CatchSignals {
    fn drop(&mut self) {
        for (signal, old) in &self.previous {
            // SAFETY: puts back the handling the process had before the prompt.
            let _ = unsafe { sigaction(*signal, old) };
        }
    }
}

/// End the process by `signal`, as it would have ended had the signal not been held back for
/// the prompt (call after the terminal mode is restored). Returns only if the signal is now
/// handled or ignored.
pub fn die_of(signal: Signal) {
    let _ = nix::sys::signal::raise(signal);
}
