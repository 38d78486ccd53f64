//! The guard: runs the pipeline for a shell-style invocation and hands over to the real shell.
//!
//! invocation → parse/analyze → rules → policy → gate → exec. Anything that goes wrong on the way
//! stops the line: shellgate never fails open.

use crate::analyze::{self, Analysis, Context};
use crate::error::{Error, Result};
use crate::exec;
use crate::gate;
use crate::invocation::{Run, ShellInvocation};
use crate::policy::{self, Mode, Verdict};
use crate::rules::RuleSet;
use std::ffi::OsStr;
use std::io::{IsTerminal, Read};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// Guard one shell invocation. Returns only when the line was not handed to the real shell.
pub fn run(inv: ShellInvocation) -> Result<i32> {
    exec::check_loop(&inv.argv)?;
    let shell = exec::resolve_shell(&inv.argv[0])?;
    let sources: Vec<String> = match &inv.run {
        Run::Command(line) => vec![String::from_utf8_lossy(line.as_bytes()).into_owned()],
        Run::Script(operand) => read_script(operand)?.into_iter().collect(),
        Run::Stdin => read_stdin()?.into_iter().collect(),
        Run::StdinOrScript(operand) => {
            let stdin = read_stdin()?;
            stdin.into_iter().chain(read_script(operand)?).collect()
        }
        Run::PassThrough => Vec::new(),
    };
    if !sources.is_empty() {
        let ctx = Context::from_process();
        let mut analysis = Analysis::default();
        for source in &sources {
            let found = analyze::analyze(source, &ctx);
            analysis.commands.extend(found.commands);
            analysis.opaque.extend(found.opaque);
        }
        let rules = RuleSet::builtin();
        let findings = analysis
            .commands
            .iter()
            .flat_map(|c| rules.check(c, &ctx))
            .collect();
        match policy::decide(&analysis, findings, Mode::Confirm) {
            Verdict::Allow => {}
            Verdict::Warn(findings) => eprint!("{}", gate::warning_message(&findings)),
            Verdict::Confirm(findings) | Verdict::Deny(findings) => {
                eprint!("{}", gate::denial_message(&findings));
                return Err(Error::Blocked);
            }
        }
    }
    Err(exec::exec_shell(&shell, &inv.argv))
}

/// The script on standard input, which is then put back for the real shell byte for byte.
/// `None` on a terminal: an interactive start is the real shell's.
fn read_stdin() -> Result<Option<String>> {
    if std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let bytes = read_bounded(std::io::stdin()).map_err(|source| Error::Io {
        path: PathBuf::from("<stdin>"),
        source,
    })?;
    exec::replace_stdin(&bytes)?;
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// The text of a script operand, looked up the way bash does (as given, else on `PATH`).
/// `None` when the shell would fail to open it itself: then it runs nothing and prints its own error.
fn read_script(operand: &OsStr) -> Result<Option<String>> {
    let path = Path::new(operand);
    let found = if path.exists() || operand.as_bytes().contains(&b'/') {
        Some(path.to_path_buf())
    } else {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(path))
                .find(|p| p.is_file())
        })
    };
    let Some(found) = found else { return Ok(None) };
    match std::fs::File::open(&found).and_then(read_bounded) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) if found.is_dir() => {
            let _ = e;
            Ok(None)
        }
        Err(source) => Err(Error::Io {
            path: found,
            source,
        }),
    }
}

/// Everything `reader` holds, but no more than one byte past what the analyzer accepts: an endless
/// stream (`yes | shellgate`, `shellgate /dev/zero`) is refused as too large instead of filling
/// memory. A truncated source is always over the limit, so it is never allowed.
fn read_bounded(reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(crate::parse::MAX_SOURCE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}
