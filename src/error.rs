//! The one error type of the crate, and every exit status shellgate itself can produce.
//!
//! When a line is allowed, shellgate `exec`s the real shell and the status is the real shell's.
//! The statuses below are shellgate's own, chosen outside the ranges scripts already read
//! (0, 1, 2, 126, 127 and 128+signal). They are documented in `docs/exit-codes.md`.

use std::fmt;
use std::path::PathBuf;

/// `shellgate check`: the line would ask a human before running.
pub const EXIT_CHECK_ASK: i32 = 10;
/// `shellgate check`: the line would be refused outright.
pub const EXIT_CHECK_DENY: i32 = 11;
/// Wrong use of one of shellgate's own subcommands (EX_USAGE).
pub const EXIT_USAGE: i32 = 64;
/// A bug in shellgate (EX_SOFTWARE).
pub const EXIT_INTERNAL: i32 = 70;
/// shellgate is misconfigured: real shell not found, a rule or config file is broken (EX_CONFIG).
pub const EXIT_CONFIG: i32 = 78;
/// A guarded command line was refused by a rule where nobody may approve it (deny mode, CI).
pub const EXIT_BLOCKED: i32 = 90;
/// A human at the terminal refused the command (or pressed Enter, Ctrl-C, Ctrl-D).
pub const EXIT_REFUSED: i32 = 91;
/// The confirmation prompt got no answer in time.
pub const EXIT_TIMED_OUT: i32 = 92;
/// The command needs a human and there is no terminal to ask on: a pending request was left
/// for `shellgate approve`.
pub const EXIT_NEEDS_APPROVAL: i32 = 93;

/// Everything that can stop shellgate before it hands the line to the real shell.
#[derive(Debug)]
pub enum Error {
    /// The line was refused by policy; the message has already been printed.
    Blocked,
    /// The line was stopped at the gate with this status; the message has already been printed.
    Stopped(i32),
    /// `check` found the line would ask / deny; not an error for a person, only a status.
    CheckVerdict(i32),
    /// Wrong arguments to one of shellgate's own subcommands.
    Usage(String),
    /// A setting is wrong: `setting` names it, `fix` says what to do.
    Config {
        setting: String,
        problem: String,
        fix: String,
    },
    /// A rule file is broken.
    Rule {
        file: PathBuf,
        line: Option<usize>,
        problem: String,
    },
    /// Reading or writing a file failed.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `execv` of the real shell failed.
    Exec { shell: PathBuf, source: nix::Error },
    /// A bug.
    Internal(String),
}

impl Error {
    /// The process exit status for this error.
    pub fn code(&self) -> i32 {
        match self {
            Error::Blocked => EXIT_BLOCKED,
            Error::Stopped(code) => *code,
            Error::CheckVerdict(code) => *code,
            Error::Usage(_) => EXIT_USAGE,
            Error::Config { .. } | Error::Rule { .. } | Error::Exec { .. } => EXIT_CONFIG,
            Error::Io { .. } => EXIT_CONFIG,
            Error::Internal(_) => EXIT_INTERNAL,
        }
    }

    /// Whether the error carries a message that still has to be printed.
    pub fn is_silent(&self) -> bool {
        matches!(
            self,
            Error::Blocked | Error::Stopped(_) | Error::CheckVerdict(_)
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Blocked => write!(f, "blocked"),
            Error::Stopped(code) => write!(f, "stopped ({code})"),
            Error::CheckVerdict(code) => write!(f, "check verdict {code}"),
            Error::Usage(msg) => write!(f, "{msg}"),
            Error::Config {
                setting,
                problem,
                fix,
            } => write!(f, "{setting}: {problem}; {fix}"),
            Error::Rule {
                file,
                line: Some(line),
                problem,
            } => {
                write!(f, "{}:{line}: {problem}", file.display())
            }
            Error::Rule {
                file,
                line: None,
                problem,
            } => write!(f, "{}: {problem}", file.display()),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Exec { shell, source } => write!(
                f,
                "cannot run the real shell {}: {source}; set SHELLGATE_SHELL to an executable shell",
                shell.display()
            ),
            Error::Internal(msg) => write!(f, "internal error: {msg}; please report it"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
