//! Inline code for interpreters (`python -c`, `node -e`, `perl -e`, `ruby -e`, or their stdin):
//! the shell-outs and file deletions it contains, as commands shellgate can check.

use super::command::{Command, Context};
use super::wrappers::Inner;

/// What the inline code of an interpreter command runs: `None` when `cmd` is not an interpreter
/// running inline code (a script file or REPL is left to the caller).
pub fn unwrap(cmd: &Command, ctx: &Context) -> Option<Vec<Inner>> {
    let _ = (cmd, ctx);
    None
}
