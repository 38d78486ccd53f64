//! Unwrapping: what a command hands on to be run (`sudo X`, `xargs X`, `bash -c S`, `eval S`, ...).

use super::command::{Arg, Command, Context};

/// Something a command runs in turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inner {
    /// Another command given as words: `sudo rm -rf /` → `rm -rf /`; `xargs rm` + stdin words.
    /// `label` names the wrapper for the origin path (`sudo`, `xargs`, `find -exec`).
    Argv {
        label: String,
        words: Vec<Arg>,
        stdin: Option<String>,
    },
    /// Shell source to parse and analyse in turn: `bash -c S`, `eval S`, `ssh host S`, a script.
    Shell { label: String, source: String },
    /// Something that runs code shellgate cannot see (`sh` reading a pipe from `curl`).
    Opaque { label: String, reason: String },
}

/// Everything `cmd` runs in turn (not recursively: the walker analyses each inner one again).
pub fn unwrap(cmd: &Command, ctx: &Context) -> Vec<Inner> {
    let _ = (cmd, ctx);
    Vec::new()
}
