//! Shells given code to run: `bash -c STRING`, `sh script.sh`, `sh` reading stdin, `source FILE`,
//! and a shell script executed by its path (`./deploy.sh`).

use std::ffi::OsString;
use std::io::Read;

use super::super::command::{Arg, Command, Context, RedirectKind, shell_quote};
use super::files::{self, FileText};
use super::{Inner, opaque, shell_source, stdin_text};
use crate::invocation::{self, Invocation, Run};

mod sourced;

/// Programs that take bash-style `-c STRING`, a script operand, or commands on stdin.
const SHELLS: &[&str] = &[
    "bash",
    "sh",
    "zsh",
    "dash",
    "ksh",
    "mksh",
    "fish",
    "shellgate",
    "ash",
    "rbash",
    "yash",
    "posh",
    "ksh93",
    "oksh",
    "loksh",
    "pdksh",
];

/// Executables under these directories are system programs, not scripts of the project.
const SYSTEM_DIRS: &[&str] = &[
    "/usr/",
    "/bin/",
    "/sbin/",
    "/lib",
    "/nix/store/",
    "/opt/homebrew/",
    "/snap/",
];

/// Whether `name` is a shell this module unwraps.
pub fn is_shell(name: &str) -> bool {
    SHELLS.contains(&name)
}

/// A shell invocation: `-c STRING`, a script file, or its stdin (flags parsed as the shell does).
pub fn shell(cmd: &Command, ctx: &Context) -> Vec<Inner> {
    let mut argv = vec![OsString::from(&cmd.program)];
    argv.extend(cmd.args.iter().map(|a| OsString::from(&a.text)));
    let Invocation::Shell(inv) = invocation::parse(argv) else {
        return Vec::new();
    };
    let program = &cmd.program;
    match inv.run {
        Run::Command(code) => {
            let code = code.to_string_lossy();
            let at = cmd.args.iter().position(|a| a.text == code);
            let dynamic = at.is_some_and(|at| cmd.args[at].dynamic);
            // `bash -c CODE NAME ARGS...`: ARGS become "$1"..., as `set --` would make them.
            let params = at.and_then(|at| cmd.args.get(at + 2..)).unwrap_or(&[]);
            let source = with_params(code.into_owned(), params);
            shell_source(&format!("{program} -c"), &source, dynamic)
        }
        Run::Script(path) => {
            let path = path.to_string_lossy();
            let at = cmd.args.iter().position(|a| a.text == path);
            let arg = at.map_or_else(|| Arg::lit(path), |at| cmd.args[at].clone());
            let params = at.and_then(|at| cmd.args.get(at + 1..)).unwrap_or(&[]);
            script_file(ctx, &format!("{program} {}", arg.text), &arg, params)
        }
        Run::Stdin => commands_from_stdin(cmd, &format!("{program} stdin")),
        Run::StdinOrScript(path) => {
            // Which one runs depends on the shell: both are followed.
            let path = path.to_string_lossy();
            let at = cmd.args.iter().position(|a| a.text == path);
            let arg = at.map_or_else(|| Arg::lit(path), |at| cmd.args[at].clone());
            let params = at.and_then(|at| cmd.args.get(at + 1..)).unwrap_or(&[]);
            let mut inner = script_file(ctx, &format!("{program} {}", arg.text), &arg, params);
            inner.extend(commands_from_stdin(cmd, &format!("{program} stdin")));
            inner
        }
        Run::PassThrough => Vec::new(),
    }
}

/// `source` preceded by a `set --` giving it the positional parameters `params` (none: unchanged).
/// A word only known at run time becomes an unset variable, which the walker reads as unknown.
fn with_params(source: String, params: &[Arg]) -> String {
    if params.is_empty() {
        return source;
    }
    let words: Vec<String> = params
        .iter()
        .map(|p| match p.dynamic {
            true => "\"$SHELLGATE_UNKNOWN_ARGUMENT\"".to_string(),
            false => shell_quote(&p.text),
        })
        .collect();
    format!("set -- {}\n{source}", words.join(" "))
}

/// A shell that reads its commands from standard input (`sh`, `sudo -s`, `su`, `ssh host`):
/// the stdin text when it is known; opaque when it comes from a pipe or a file not read.
pub fn commands_from_stdin(cmd: &Command, label: &str) -> Vec<Inner> {
    if let Some(text) = stdin_text(cmd) {
        return shell_source(label, &text, false);
    }
    if let Some(source) = &cmd.piped_from {
        let reason = format!("reads commands from a pipe (from {source})");
        return vec![opaque(label, &reason)];
    }
    // `< FILE`, `<> FILE`, or `<&3` (stdin duplicated from an fd opened earlier, e.g. on a socket).
    let reads_file = cmd.redirects.iter().any(|r| {
        r.fd.unwrap_or(0) == 0
            && match r.kind {
                RedirectKind::Read | RedirectKind::ReadWrite => true,
                RedirectKind::Duplicate => r.target.text != "0" && r.target.text != "-",
                _ => false,
            }
    });
    if reads_file {
        return vec![opaque(
            label,
            "reads commands from a file shellgate did not read",
        )];
    }
    Vec::new()
}

/// `source FILE` / `. FILE`: the file's code, when it exists (a missing file runs nothing).
pub fn source(cmd: &Command, ctx: &Context) -> Vec<Inner> {
    let args = match cmd.args.first() {
        Some(dashes) if dashes.text == "--" => &cmd.args[1..],
        _ => &cmd.args[..],
    };
    match args.split_first() {
        Some((file, params)) => script_file(ctx, &format!("source {}", file.text), file, params),
        None => Vec::new(),
    }
}

/// The code of a script file as shell source. A missing file runs nothing; one that cannot (or
/// may not) be read is opaque.
fn script_file(ctx: &Context, label: &str, path: &Arg, params: &[Arg]) -> Vec<Inner> {
    if path.dynamic {
        return vec![opaque(label, "the script path is only known at run time")];
    }
    let full = files::resolve(ctx, &path.text);
    match files::read(ctx, &full) {
        FileText::Text(text) => {
            if sourced::is_startup_file(ctx, &full) && sourced::startup_file_is_trusted(ctx, &text)
            {
                return Vec::new();
            }
            let text = sourced::decode_function_lines(&text).into_owned();
            vec![Inner::Shell {
                label: label.to_string(),
                source: with_params(text, params),
            }]
        }
        FileText::Missing => Vec::new(),
        FileText::Unreadable(why) => vec![opaque(
            label,
            &format!("the script was not analysed: {why}"),
        )],
    }
}

/// A script run by its path (`./x.sh`, `scripts/deploy`, `/srv/app/run.sh`): its code, when it is
/// a text file with no shebang or a shell shebang. `None` when the command is not such a script.
pub fn executed_script(cmd: &Command, ctx: &Context) -> Option<Vec<Inner>> {
    let path = cmd.path.as_str();
    if !path.contains('/') || !ctx.read_files || SYSTEM_DIRS.iter().any(|d| path.starts_with(d)) {
        return None;
    }
    let full = files::resolve(ctx, path);
    if full.is_relative() {
        let why = "the directory it runs in is only known at run time";
        return Some(vec![opaque(path, why)]);
    }
    let mut head = [0u8; 512];
    let len = std::fs::File::open(&full)
        .and_then(|mut f| f.read(&mut head))
        .ok()?;
    let head = &head[..len];
    // A character cut at the end of the sample is fine; invalid bytes elsewhere mean a binary.
    let invalid = std::str::from_utf8(head).is_err_and(|e| e.error_len().is_some());
    if head.contains(&0) || invalid {
        return None;
    }
    if head.starts_with(b"#!") {
        let line = String::from_utf8_lossy(head);
        let line = line[2..].lines().next().unwrap_or("");
        if !is_shell(&shebang_program(line)) {
            return None;
        }
    }
    match files::read(ctx, &full) {
        FileText::Text(text) => Some(vec![Inner::Shell {
            label: path.to_string(),
            source: with_params(text, &cmd.args),
        }]),
        FileText::Missing => None,
        FileText::Unreadable(why) => Some(vec![opaque(
            path,
            &format!("the script was not analysed: {why}"),
        )]),
    }
}

/// The program a shebang line runs: `/bin/bash -e` → `bash`; `/usr/bin/env -S bash -e` → `bash`.
fn shebang_program(line: &str) -> String {
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or("");
    let name = first.rsplit('/').next().unwrap_or(first);
    if name != "env" {
        return name.to_string();
    }
    let program = words
        .find(|w| !w.starts_with('-') && !w.contains('='))
        .unwrap_or("");
    program.rsplit('/').next().unwrap_or(program).to_string()
}

#[cfg(test)]
mod tests {
    use super::super::super::command::{
        Arg, Command, Context, Payload, PayloadSource, Redirect, RedirectKind, WorkDir,
    };
    use super::super::test_support::*;
    use super::super::{opaque, unwrap};

    fn in_dir(dir: &tempfile::TempDir) -> Context {
        Context {
            cwd: dir.path().to_path_buf(),
            read_files: true,
            ..Context::example()
        }
    }

    #[test]
    fn shells_with_a_command_string() {
        check_table(&[
            (&["bash", "-c", "rm -rf /"], vec![sh("bash -c", "rm -rf /")]),
            (
                &["sh", "-euc", "rm x", "name", "arg"],
                vec![sh("sh -c", "set -- arg\nrm x")],
            ),
            (&["/bin/zsh", "-lc", "ls"], vec![sh("zsh -c", "ls")]),
            (
                &["bash", "-o", "pipefail", "-c", "ls"],
                vec![sh("bash -c", "ls")],
            ),
            (&["dash", "-c", "--", "ls"], vec![sh("dash -c", "ls")]),
            (&["fish", "-c", "ls"], vec![sh("fish -c", "ls")]),
            (&["shellgate", "-c", "ls"], vec![sh("shellgate -c", "ls")]),
            (&["shellgate", "check", "rm -rf /"], vec![]),
            (
                &["sh", "-c", "rm -rf \"$1\"", "_", "/", "a b"],
                vec![sh("sh -c", "set -- / 'a b'\nrm -rf \"$1\"")],
            ),
            (&["bash", "-c", "ls", "name"], vec![sh("bash -c", "ls")]),
            (&["bash", "--version"], vec![]),
            (&["bash", "-c"], vec![]),
            (&["bash"], vec![]),
        ]);
    }

    #[test]
    fn shells_reading_stdin() {
        let mut c = cmd(&["bash", "-s"]);
        c.payloads.push(Payload {
            source: PayloadSource::Stdin,
            text: "rm -rf /\n".into(),
        });
        assert_eq!(
            unwrap(&c, &Context::example()),
            vec![sh("bash stdin", "rm -rf /\n")]
        );
        let mut c = cmd(&["sh"]);
        c.piped_from = Some("curl".into());
        assert_eq!(
            unwrap(&c, &Context::example()),
            vec![opaque("sh stdin", "reads commands from a pipe (from curl)")]
        );
        let mut c = cmd(&["sh"]);
        c.redirects.push(Redirect {
            fd: None,
            kind: RedirectKind::Read,
            target: Arg::lit("x.sh"),
        });
        assert_eq!(
            unwrap(&c, &Context::example()),
            vec![opaque(
                "sh stdin",
                "reads commands from a file shellgate did not read"
            )]
        );
    }

    #[test]
    fn script_operands_and_sourced_files() {
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::write(dir.path().join("x.sh"), "rm -rf build\n").unwrap();
        let ctx = in_dir(&dir);
        let got = |words: &[&str]| unwrap(&cmd(words), &ctx);
        assert_eq!(
            got(&["bash", "x.sh", "arg"]),
            vec![sh("bash x.sh", "set -- arg\nrm -rf build\n")]
        );
        assert_eq!(
            got(&["source", "x.sh", "a b"]),
            vec![sh("source x.sh", "set -- 'a b'\nrm -rf build\n")]
        );
        assert_eq!(
            got(&["sh", "-e", "--", "x.sh"]),
            vec![sh("sh x.sh", "rm -rf build\n")]
        );
        assert_eq!(
            got(&["source", "x.sh"]),
            vec![sh("source x.sh", "rm -rf build\n")]
        );
        assert_eq!(
            got(&[".", "./x.sh"]),
            vec![sh("source ./x.sh", "rm -rf build\n")]
        );
        assert_eq!(got(&["source", "missing.sh"]), vec![]);
        assert_eq!(got(&["bash", "missing.sh"]), vec![]);
        assert!(matches!(
            got(&["bash", "."]).as_slice(),
            [super::Inner::Opaque { .. }]
        ));
        // Files are not read when the context forbids it: a script the shell runs needs a human.
        assert_eq!(
            example(&["bash", "x.sh"]),
            vec![opaque(
                "bash x.sh",
                "the script was not analysed: reading files is turned off"
            )]
        );
        assert_eq!(
            example(&["source", "x.sh"]),
            vec![opaque(
                "source x.sh",
                "the script was not analysed: reading files is turned off"
            )]
        );
        let dynamic = Command::new(
            "bash",
            vec![Arg {
                text: "".into(),
                dynamic: true,
            }],
        );
        assert_eq!(
            unwrap(&dynamic, &ctx),
            vec![opaque("bash ", "the script path is only known at run time")]
        );
    }

    #[test]
    fn files_are_found_where_the_command_runs() {
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/x.sh"), "rm -rf build\n").unwrap();
        let ctx = in_dir(&dir);
        let mut c = cmd(&["bash", "x.sh"]);
        assert_eq!(unwrap(&c, &ctx), vec![]);
        c.workdir = WorkDir::At(dir.path().join("sub"));
        assert_eq!(unwrap(&c, &ctx), vec![sh("bash x.sh", "rm -rf build\n")]);
        c.workdir = WorkDir::Unknown;
        let why = "the directory it runs in is only known at run time";
        assert_eq!(
            unwrap(&c, &ctx),
            vec![opaque(
                "bash x.sh",
                &format!("the script was not analysed: {why}")
            )]
        );
        let mut c = Command::new("./x.sh", vec![]);
        c.workdir = WorkDir::Unknown;
        assert_eq!(unwrap(&c, &ctx), vec![opaque("./x.sh", why)]);
        let abs = format!("{}/sub/x.sh", dir.path().display());
        let mut c = cmd(&["source", &abs]);
        c.workdir = WorkDir::Unknown;
        assert_eq!(
            unwrap(&c, &ctx),
            vec![sh(&format!("source {abs}"), "rm -rf build\n")]
        );
    }

    #[test]
    fn scripts_executed_by_path() {
        let dir = tempfile::TempDir::new().unwrap();
        let write = |name: &str, text: &[u8]| std::fs::write(dir.path().join(name), text).unwrap();
        write("plain", b"rm -rf dist\n");
        write("bashy", b"#!/bin/bash -e\nrm -rf dist\n");
        write("envy", b"#!/usr/bin/env -S bash -eu\nrm -rf dist\n");
        write("py", b"#!/usr/bin/env python3\nimport os\n");
        write("bin", b"\x7fELF\x02\x01\x01\0\0\0");
        let ctx = in_dir(&dir);
        let got = |path: &str| unwrap(&Command::new(path, vec![]), &ctx);
        assert_eq!(got("./plain"), vec![sh("./plain", "rm -rf dist\n")]);
        assert_eq!(
            unwrap(&Command::new("./plain", vec![Arg::lit("/")]), &ctx),
            vec![sh("./plain", "set -- /\nrm -rf dist\n")]
        );
        assert_eq!(
            got("./bashy"),
            vec![sh("./bashy", "#!/bin/bash -e\nrm -rf dist\n")]
        );
        assert_eq!(
            got("./envy"),
            vec![sh("./envy", "#!/usr/bin/env -S bash -eu\nrm -rf dist\n")]
        );
        let abs = format!("{}/plain", dir.path().display());
        assert_eq!(got(&abs), vec![sh(&abs, "rm -rf dist\n")]);
        assert_eq!(got("./py"), vec![]);
        assert_eq!(got("./bin"), vec![]);
        assert_eq!(got("./missing"), vec![]);
        assert_eq!(example(&["./plain"]), vec![]);
    }
}
