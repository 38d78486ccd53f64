//! The guard: runs the pipeline for a shell-style invocation and hands over to the real shell.
//!
//! invocation → parse/analyze → rules → policy → gate → exec. Anything that goes wrong on the way
//! stops the line: shellgate never fails open.

use crate::analyze::{self, Analysis, Context};
use crate::error::{Error, Result};
use crate::exec;
use crate::gate::{self, Approval, approvals::Store, prompt::Decision};
use crate::invocation::{Run, ShellInvocation};
use crate::policy::{self, Verdict};
use crate::rules::RuleSet;
use std::ffi::OsStr;
use std::io::{IsTerminal, Read};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// Guard one shell invocation. Returns only when the line was not handed to the real shell.
pub fn run(inv: ShellInvocation) -> Result<i32> {
    exec::check_loop(&inv.argv)?;
    let shell = exec::resolve_shell(&inv.argv[0])?;
    // Each source with the positional parameters (`$0`, `$1`, ...) it runs with.
    let script = |operand: &OsStr| -> Result<Option<(String, Vec<String>)>> {
        let text = read_script(operand)?;
        Ok(text.map(|text| (text, words(&inv.argv, inv.operand))))
    };
    let stdin = || -> Result<Option<(String, Vec<String>)>> {
        let text = read_stdin()?;
        let mut positional = words(&inv.argv[..1], Some(0));
        if let Some(at) = inv.operand {
            positional.extend(words(&inv.argv, Some(at)));
        }
        Ok(text.map(|text| (text, positional)))
    };
    let sources: Vec<(String, Vec<String>)> = match &inv.run {
        Run::Command(line) => {
            let line = String::from_utf8_lossy(line.as_bytes()).into_owned();
            let after = inv.operand.map(|at| at + 1);
            vec![(line, words(&inv.argv, after))]
        }
        Run::Script(operand) => script(operand)?.into_iter().collect(),
        Run::Stdin => stdin()?.into_iter().collect(),
        Run::StdinOrScript(operand) => {
            let from_stdin = stdin()?;
            from_stdin.into_iter().chain(script(operand)?).collect()
        }
        Run::PassThrough => Vec::new(),
    };
    if !sources.is_empty() {
        analyze::deadline::arm(analyze::deadline::TIME_LIMIT);
        let mut ctx = Context::from_process();
        let mut analysis = Analysis::default();
        for (source, positional) in &sources {
            // Each source with its own positional parameters; rules then see none, as before.
            ctx.positional.clone_from(positional);
            let found = analyze::analyze(source, &ctx);
            analysis.commands.extend(found.commands);
            analysis.opaque.extend(found.opaque);
        }
        ctx.positional = Vec::new();
        let source: Vec<&str> = sources.iter().map(|(text, _)| text.as_str()).collect();
        let source = source.join("\n");
        let rules = RuleSet::builtin();
        let mut findings: Vec<_> = analysis
            .commands
            .iter()
            .flat_map(|c| rules.check(c, &ctx))
            .collect();
        if policy::level_from_env()? == policy::Level::Strict {
            findings.extend(policy::strict_findings(&analysis));
        }
        analyze::deadline::disarm();
        match policy::decide(&analysis, findings, policy::mode_from_env()?) {
            Verdict::Allow => {}
            Verdict::Warn(findings) => eprint!("{}", gate::warning_message(&findings)),
            Verdict::Deny(findings) => {
                eprint!("{}", gate::denial_message(&findings, Approval::Never));
                return Err(Error::Blocked);
            }
            Verdict::Confirm(findings) => ask_human(&findings, &source, &ctx)?,
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

/// A human decides: a stored out-of-band approval, else the terminal prompt, else a pending
/// request for `shellgate approve`. Returns only when the line may run.
fn ask_human(findings: &[crate::rules::Finding], line: &str, ctx: &Context) -> Result<()> {
    let store = Store::open();
    if let Some(id) = store.take_approval(findings, &ctx.cwd) {
        eprintln!("shellgate: running with approval {id} (used up now)");
        return Ok(());
    }
    match gate::prompt::confirm(findings, line, policy::prompt_timeout()?) {
        Decision::Approved => Ok(()),
        Decision::Refused => {
            eprint!("{}", gate::denial_message(findings, Approval::Refused));
            Err(Error::Stopped(crate::error::EXIT_REFUSED))
        }
        Decision::TimedOut => {
            eprint!("{}", gate::denial_message(findings, Approval::Refused));
            Err(Error::Stopped(crate::error::EXIT_TIMED_OUT))
        }
        Decision::NoTerminal => {
            let id = store.record_pending(findings, line, &ctx.cwd)?;
            eprint!("{}", gate::denial_message(findings, Approval::Pending(&id)));
            Err(Error::Stopped(crate::error::EXIT_NEEDS_APPROVAL))
        }
    }
}

/// `argv[from..]` as text: the positional parameters (`$0` first) a source runs with.
fn words(argv: &[std::ffi::OsString], from: Option<usize>) -> Vec<String> {
    let Some(from) = from.filter(|at| *at <= argv.len()) else {
        return Vec::new();
    };
    argv[from..]
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}
