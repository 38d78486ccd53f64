//! Files a line writes and then runs (`printf 'rm -rf ~' > x.sh; sh x.sh`): the script does not
//! exist yet when the line is analysed, so reading it from disk would miss it. The walker records
//! what each command writes (with the text, when it is known statically) and, when a later command
//! runs one of those files, analyses that text instead or reports it as opaque.

use super::command::{Command, Context, RedirectKind, WorkDir};
use std::path::{Component, Path, PathBuf};

/// Programs that run a file given as an operand (`bash x.sh`, `source x.sh`, `python x.py`).
const RUNNERS: &[&str] = &[
    "sh", "bash", "zsh", "dash", "ksh", "mksh", "fish", "source", ".", "python", "python3", "node",
    "perl", "ruby", "php", "deno", "bun",
];

/// Shells, whose scripts shellgate can analyse as shell code.
const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "mksh", "source", "."];

/// How a command runs a file written earlier on the line.
#[derive(Debug, PartialEq, Eq)]
pub enum Runs {
    /// As shell code (a shell, `source`, or `./x.sh`).
    Shell(PathBuf),
    /// Some other way (an interpreter, a binary).
    Other(PathBuf),
}

/// The directory relative paths of `cmd` are taken from, when known.
fn base(cmd: &Command, ctx: &Context) -> Option<PathBuf> {
    match &cmd.workdir {
        WorkDir::Start => Some(ctx.cwd.clone()),
        WorkDir::At(dir) => Some(dir.clone()),
        WorkDir::Unknown => None,
    }
}

/// `path` made absolute against `base` and without `.` or `..` parts.
fn resolve(path: &str, base: Option<&Path>) -> Option<PathBuf> {
    let path = Path::new(path);
    let full = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base?.join(path)
    };
    let mut out = PathBuf::new();
    for part in full.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Some(out)
}

/// The files `cmd` writes, with their new text when it is known (`stdout` is the command's
/// output when known statically; `known` gives the text already recorded for a file).
pub fn written_by(
    cmd: &Command,
    ctx: &Context,
    stdout: Option<&str>,
    known: impl Fn(&Path) -> Option<String>,
) -> Vec<(PathBuf, Option<String>)> {
    let base = base(cmd, ctx);
    let mut out = Vec::new();
    for r in &cmd.redirects {
        if r.target.dynamic || !matches!(r.fd, None | Some(1) | Some(2)) {
            continue;
        }
        let Some(path) = resolve(&r.target.text, base.as_deref()) else {
            continue;
        };
        let text = match r.kind {
            RedirectKind::Write | RedirectKind::Clobber if r.fd != Some(2) => {
                stdout.map(str::to_string)
            }
            RedirectKind::Append if r.fd != Some(2) => {
                known(&path).and_then(|old| stdout.map(|new| old + new))
            }
            RedirectKind::Write | RedirectKind::Clobber | RedirectKind::Append => None,
            RedirectKind::ReadWrite => None,
            RedirectKind::Read | RedirectKind::Duplicate => continue,
        };
        out.push((path, text));
    }
    let args: Vec<&str> = cmd.arg_texts().collect();
    let outputs: Vec<&str> = match cmd.program.as_str() {
        "tee" => args
            .iter()
            .copied()
            .filter(|a| !a.starts_with('-'))
            .collect(),
        "cp" | "mv" | "install" | "ln" => args
            .iter()
            .copied()
            .rfind(|a| !a.starts_with('-'))
            .into_iter()
            .collect(),
        "curl" | "wget" => args
            .windows(2)
            .filter(|w| matches!(w[0], "-o" | "--output" | "-O" | "--output-document"))
            .map(|w| w[1])
            .collect(),
        _ => Vec::new(),
    };
    for file in outputs {
        if let Some(path) = resolve(file, base.as_deref()) {
            out.push((path, None));
        }
    }
    out
}

/// The files `cmd` runs, among those `was_written` says the line wrote before it.
pub fn runs(cmd: &Command, ctx: &Context, was_written: impl Fn(&Path) -> bool) -> Vec<Runs> {
    let base = base(cmd, ctx);
    let mut out = Vec::new();
    if cmd.path.contains('/')
        && let Some(path) = resolve(&cmd.path, base.as_deref()).filter(|p| was_written(p))
    {
        out.push(Runs::Shell(path));
    }
    if RUNNERS.contains(&cmd.program.as_str()) {
        let shell = SHELLS.contains(&cmd.program.as_str());
        for arg in cmd
            .args
            .iter()
            .filter(|a| !a.dynamic && !a.text.starts_with('-'))
        {
            if let Some(path) = resolve(&arg.text, base.as_deref()).filter(|p| was_written(p)) {
                out.push(if shell {
                    Runs::Shell(path)
                } else {
                    Runs::Other(path)
                });
            }
        }
    }
    out
}
