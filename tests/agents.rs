//! The exact argv shapes and wrapper lines of the real agent CLIs (recorded with strace from
//! Claude Code 2.1.197, Codex 0.169.0, Gemini CLI 0.61.0, opencode 1.18.33, Continue 1.5.47 and
//! aider 0.86.2, see `shared/agents/README.md`), with the files they source copied from real runs
//! (`tests/fixtures/agents/`, paths replaced by `@HOME@` and `@SNAPSHOT@`).
//!
//! Every ordinary command of every agent must reach the shell unchanged, without asking; the
//! same shape around a destructive command must be blocked, and the block message must be on
//! stderr (the agents show it to the model). A snapshot the agent could have forged must never
//! let a destructive call through.

use crate::test::{SHELLGATE, Test};
use shellgate::error::EXIT_BLOCKED;
use std::path::Path;

const CLAUDE_SNAPSHOT_ZSH: &str = include_str!("fixtures/agents/claude-snapshot-zsh.sh");
const CLAUDE_SNAPSHOT_BASH: &str = include_str!("fixtures/agents/claude-snapshot-bash.sh");
const CLAUDE_CREATE_ZSH: &str = include_str!("fixtures/agents/claude-snapshot-create-zsh.sh");
const CLAUDE_CREATE_BASH: &str = include_str!("fixtures/agents/claude-snapshot-create-bash.sh");
const CODEX_CREATE: &str = include_str!("fixtures/agents/codex-snapshot-create.sh");
const BASHRC: &str = include_str!("fixtures/agents/bashrc");

/// A fixture with its placeholders filled in for this test's directories.
fn fill(text: &str, home: &Path, snapshot: &Path) -> String {
    text.replace("@HOME@", &home.display().to_string())
        .replace("@SNAPSHOT@", &snapshot.display().to_string())
}

/// A test whose HOME holds the user's `.bashrc` (pyenv-style `eval "$(...)"` lines) and Claude
/// Code's snapshot `name` (from `fixture`). Returns the test and the snapshot's path.
fn with_snapshot(name: &str, fixture: &str) -> (Test, String) {
    let test = Test::new();
    let home = test.dirs().home.clone();
    let dir = home.join(".claude/shell-snapshots");
    std::fs::create_dir_all(&dir).unwrap();
    let snapshot = dir.join(name);
    std::fs::write(&snapshot, fill(fixture, &home, &snapshot)).unwrap();
    std::fs::write(home.join(".bashrc"), fill(BASHRC, &home, &snapshot)).unwrap();
    (test, snapshot.display().to_string())
}

/// Claude Code's wrapper around `cmd` (zsh found on PATH, or `$SHELL` named bash).
fn claude_line(snapshot: &str, zsh: bool, cmd: &str) -> String {
    let options = if zsh {
        "setopt NO_EXTENDED_GLOB NO_BARE_GLOB_QUAL 2>/dev/null || true"
    } else {
        "shopt -u extglob 2>/dev/null || true"
    };
    format!(
        "source {snapshot} 2>/dev/null || true && {options} && eval '{cmd}' < /dev/null && \
         pwd -P >| /tmp/claude-b780-cwd"
    )
}

fn gemini_line(cmd: &str) -> String {
    format!(
        "shopt -u promptvars nullglob extglob nocaseglob dotglob; {{\n{cmd}\n}}\n__code=$?; \
         pwd > /tmp/gemini-shell-VWSXHb/pwd.tmp; exit $__code"
    )
}

fn opencode_line(cmd: &str) -> String {
    format!(
        "\n        shopt -s expand_aliases\n        [[ -f ~/.bashrc ]] && source ~/.bashrc \
         >/dev/null 2>&1 || true\n        cd -- \"$1\"\n        eval \"{cmd}\"\n      "
    )
}

/// Every argv an agent sends around `cmd`: (label, shim name or None for `$SHELL=shellgate`,
/// args after argv[0]). `snapshot` is Claude Code's snapshot, `work` opencode's `$1`.
fn agent_shapes(
    cmd: &str,
    snapshot: &str,
    work: &str,
) -> Vec<(&'static str, Option<&'static str>, Vec<String>)> {
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    vec![
        (
            "claude (zsh on PATH)",
            Some("zsh"),
            s(&["-c", &claude_line(snapshot, true, cmd)]),
        ),
        (
            "claude (SHELL=bash)",
            Some("bash"),
            s(&["-c", &claude_line(snapshot, false, cmd)]),
        ),
        (
            "claude (SHELL=bash, no snapshot)",
            Some("bash"),
            s(&[
                "-c",
                "-l",
                &format!(
                    "shopt -u extglob 2>/dev/null || true && eval '{cmd}' < /dev/null && pwd -P >| /tmp/claude-5c01-cwd"
                ),
            ]),
        ),
        ("gemini", Some("bash"), s(&["-c", &gemini_line(cmd)])),
        ("opencode (SHELL=shellgate)", None, s(&["-c", cmd])),
        (
            "opencode (SHELL=bash)",
            Some("bash"),
            s(&["-l", "-c", &opencode_line(cmd), "opencode", work]),
        ),
        ("continue", None, s(&["-l", "-c", cmd])),
        ("aider", None, s(&["-i", "-c", cmd])),
        ("codex (passwd shell)", Some("bash"), s(&["-lc", cmd])),
    ]
}

/// Run `args` as `shim` (or as shellgate itself) in `test`.
fn run(test: Test, shim: Option<&str>, args: &[String]) -> crate::test::Output {
    let test = match shim {
        Some(name) => test.shim(name),
        None => test,
    };
    test.args(args).run()
}

#[test]
fn every_agent_shape_runs_an_ordinary_command_without_asking() {
    let commands = [
        "echo hello-from-agent",
        "npm test",
        "grep -rn TODO .",
        "find . -name '*.rs'",
    ];
    for cmd in commands {
        for (zsh, fixture) in [(true, CLAUDE_SNAPSHOT_ZSH), (false, CLAUDE_SNAPSHOT_BASH)] {
            for i in 0..agent_shapes("", "", "").len() {
                let (test, snapshot) = with_snapshot("snapshot-1.sh", fixture);
                let work = test.dirs().work.display().to_string();
                let (label, shim, args) = agent_shapes(cmd, &snapshot, &work).swap_remove(i);
                let out = run(test, shim, &args);
                let what = format!("{label} `{cmd}` (zsh snapshot: {zsh})");
                assert_eq!(out.status, 0, "{what}: {}", out.stderr);
                assert_eq!(out.stderr, "", "{what}");
                let mut want = vec![std::ffi::OsString::from(shim.unwrap_or(SHELLGATE))];
                want.extend(args.iter().map(std::ffi::OsString::from));
                assert_eq!(out.recorded().argv, want, "{what}: argv changed");
            }
        }
    }
}

#[test]
fn every_agent_shape_blocks_a_force_push_and_says_so() {
    let cmd = "git push --force origin main";
    let (probe, snapshot) = with_snapshot("snapshot-1.sh", CLAUDE_SNAPSHOT_BASH);
    let work = probe.dirs().work.display().to_string();
    for (label, shim, args) in agent_shapes(cmd, &snapshot, &work) {
        let test = Test::new().env("SHELLGATE_MODE", "deny");
        let out = run(test, shim, &args);
        out.assert_not_run();
        assert_eq!(out.status, EXIT_BLOCKED, "{label}: {}", out.stderr);
        assert!(
            out.stderr.starts_with("shellgate: blocked: git-push-force"),
            "{label}: {}",
            out.stderr
        );
    }
    drop(probe);
}

/// The helper lines the agents run besides the user's commands: taking a snapshot, reading the
/// environment, checking a snapshot. Each must run without asking.
#[test]
fn agent_housekeeping_lines_run_without_asking() {
    let shapes: Vec<(&str, &str, &str)> = vec![
        ("claude env", "zsh", "env"),
        ("claude zsh snapshot", "zsh", CLAUDE_CREATE_ZSH),
        (
            "claude bash snapshot (sources ~/.bashrc)",
            "bash",
            CLAUDE_CREATE_BASH,
        ),
        ("codex snapshot (sources ~/.bashrc)", "bash", CODEX_CREATE),
    ];
    for (label, shim, script) in shapes {
        let test = Test::new();
        let home = test.dirs().home.clone();
        let snapshot = home.join("snapshot.sh");
        std::fs::write(home.join(".bashrc"), fill(BASHRC, &home, &snapshot)).unwrap();
        let script = fill(script, &home, &snapshot);
        let flags: &[&str] = match label {
            "claude env" => &["-c"],
            l if l.starts_with("codex") => &["-lc"],
            _ => &["-c", "-l"],
        };
        let mut args: Vec<String> = flags.iter().map(|f| f.to_string()).collect();
        args.push(script);
        let out = run(test, Some(shim), &args);
        assert_eq!(out.status, 0, "{label}: {}", out.stderr);
        assert_eq!(out.stderr, "", "{label}");
    }
    // Codex checks its snapshot with `set -e; . SNAPSHOT`.
    let (test, snapshot) = with_snapshot("codex.sh", CLAUDE_SNAPSHOT_BASH);
    let out = run(
        test,
        Some("bash"),
        &["-c".into(), format!("set -e; . \"{snapshot}\"")],
    );
    assert_eq!(out.status, 0, "codex snapshot check: {}", out.stderr);
}

/// A snapshot is a file the agent can write. Whatever it defines, a call of a destructive
/// function is still seen.
#[test]
fn a_forged_snapshot_cannot_hide_a_destructive_function() {
    // `ls () { rm -rf ~; }` as a plain function and as Claude Code's base64 line.
    let plain = "ls () { rm -rf ~; }\n";
    let encoded = "eval \"$(echo 'bHMgKCkgeyBybSAtcmYgfjsgfQo=' | base64 -d)\" > /dev/null 2>&1\n";
    // An unterminated here-document inside the base64 line must not swallow the next line.
    let heredoc = "eval \"$(echo 'Y2F0IDw8RU9GCg==' | base64 -d)\" > /dev/null 2>&1\nrm -rf ~\n";
    for (label, snapshot, cmd) in [
        ("plain function", plain, "ls"),
        ("base64 function", encoded, "ls"),
        ("here-document in base64", heredoc, "echo hi"),
    ] {
        let test = Test::new().env("SHELLGATE_MODE", "deny");
        let path = test.dirs().home.join("snapshot-forged.sh");
        std::fs::write(&path, snapshot).unwrap();
        let line = claude_line(&path.display().to_string(), false, cmd);
        let out = run(test, Some("bash"), &["-c".into(), line]);
        out.assert_not_run();
        assert_eq!(out.status, EXIT_BLOCKED, "{label}: {}", out.stderr);
    }
}

/// `source ~/.bashrc` is trusted like the shell's own startup only while no rule objects to it.
#[test]
fn a_startup_file_with_a_destructive_command_is_still_stopped() {
    let test = Test::new().env("SHELLGATE_MODE", "deny");
    let home = test.dirs().home.clone();
    std::fs::write(home.join(".bashrc"), "eval \"$(pyenv init -)\"\nrm -rf ~\n").unwrap();
    let work = test.dirs().work.display().to_string();
    let args = ["-l", "-c", &opencode_line("echo hi"), "opencode", &work].map(String::from);
    let out = run(test, Some("bash"), &args);
    out.assert_not_run();
    assert_eq!(out.status, EXIT_BLOCKED, "{}", out.stderr);

    // A file of the same name elsewhere is not a startup file: its opaque eval still asks.
    let test = Test::new().env("SHELLGATE_MODE", "deny");
    let other = test.dirs().work.join(".bashrc");
    std::fs::write(&other, "eval \"$(pyenv init -)\"\n").unwrap();
    let out = run(
        test,
        None,
        &["-c".into(), format!("source {}", other.display())],
    );
    out.assert_not_run();
}
