//! shellgate: a drop-in shell that stops destructive commands before the real shell runs them.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`invocation`] → [`parse`] → [`analyze`] → [`rules`] → [`policy`] → [`gate`] → [`exec`].
//! [`guard`] drives it for shell-style calls; [`cli`] serves shellgate's own subcommands.

pub mod analyze;
pub mod cli;
pub mod error;
pub mod exec;
pub mod gate;
pub mod guard;
pub mod invocation;
pub mod parse;
pub mod policy;
pub mod rules;

use std::ffi::OsString;

/// Run shellgate with `argv` (argv[0] included) and return the exit status.
pub fn run(argv: Vec<OsString>) -> i32 {
    quiet_panics();
    let outcome = match invocation::parse(argv) {
        invocation::Invocation::Own(args) => cli::run(args),
        invocation::Invocation::Shell(inv) => guard::run(inv),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            if !error.is_silent() {
                eprintln!("shellgate: {error}");
            }
            error.code()
        }
    }
}

/// A panic is reported as one line (the line did not run), not a backtrace over the agent's
/// output. Panics inside the parser are caught and refused (see `parse`), so they stay silent.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        if !parse::in_parser() {
            eprintln!("shellgate: internal error: {info}; nothing was run, please report it");
        }
    }));
}
