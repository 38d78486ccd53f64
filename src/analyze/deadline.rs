//! A hard time limit on analysis: if parsing or analysing a line ever takes longer than
//! [`TIME_LIMIT`] (an input that makes the parser backtrack), the process stops with a one-line
//! refusal before anything ran, instead of hanging the agent. One `alarm(2)`: no thread, no cost.

use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
use std::time::Duration;

/// How long one invocation may spend analysing before the line is refused.
pub const TIME_LIMIT: Duration = Duration::from_secs(3);

const MESSAGE: &[u8] = b"shellgate: blocked: the line takes too long to analyse; nothing was run. Simplify it or run it yourself.\n";

extern "C" fn on_alarm(_: nix::libc::c_int) {
    // Only async-signal-safe calls here.
    unsafe {
        nix::libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
        nix::libc::_exit(crate::error::EXIT_BLOCKED);
    }
}

/// Start the clock (replaces any earlier one).
pub fn arm(limit: Duration) {
    let action = SigAction::new(
        SigHandler::Handler(on_alarm),
        SaFlags::empty(),
        SigSet::empty(),
    );
    // SAFETY: the handler only calls write(2) and _exit(2).
    if unsafe { sigaction(Signal::SIGALRM, &action) }.is_ok() {
        nix::unistd::alarm::set(limit.as_secs().max(1) as u32);
    }
}

/// Stop the clock and restore the default action, so the real shell inherits no alarm.
pub fn disarm() {
    nix::unistd::alarm::cancel();
    let default = SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty());
    // SAFETY: restoring the default disposition.
    let _ = unsafe { sigaction(Signal::SIGALRM, &default) };
}
