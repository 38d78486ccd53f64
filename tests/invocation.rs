//! Every invocation shape bash, zsh and sh accept reaches the real shell unchanged: the same argv
//! (argv[0] included, byte for byte), the same working directory, the same stdin.
//!
//! The real shell here is the recorder, so these tests see exactly what would have run.

use crate::test::{SHELLGATE, Test, show};
use shellgate::exec::{DEPTH_VAR, MAX_DEPTH};
use std::ffi::OsString;

/// Run shellgate with `args` (after argv[0]) and assert the recorder got exactly that argv.
#[track_caller]
fn reaches_shell_unchanged(args: &[&str]) {
    let out = Test::new().args(args).run();
    let mut want = vec![OsString::from(SHELLGATE)];
    want.extend(args.iter().map(OsString::from));
    let got = &out.recorded().argv;
    assert_eq!(
        got,
        &want,
        "argv changed: sent {}, got {}",
        show(&want),
        show(got)
    );
    assert_eq!(out.status, 0, "stderr: {}", out.stderr);
    assert_eq!(out.stderr, "");
}

#[test]
fn command_string_with_name_and_arguments() {
    reaches_shell_unchanged(&["-c", "echo \"$0 $1\"", "a", "b"]);
    reaches_shell_unchanged(&["-c", "echo hi"]);
    reaches_shell_unchanged(&["-c", "", "name"]);
}

#[test]
fn combined_short_options() {
    reaches_shell_unchanged(&["-lc", "pwd"]);
    reaches_shell_unchanged(&["-ic", "pwd"]);
    reaches_shell_unchanged(&["-ec", "pwd"]);
    reaches_shell_unchanged(&["-euxc", "pwd"]);
    reaches_shell_unchanged(&["-euo", "pipefail", "-c", "pwd"]);
    reaches_shell_unchanged(&["-o", "pipefail", "-c", "pwd"]);
    reaches_shell_unchanged(&["+O", "extglob", "-c", "pwd"]);
    reaches_shell_unchanged(&["-O", "extglob", "-c", "pwd"]);
    reaches_shell_unchanged(&["-c", "-l", "pwd"]);
}

#[test]
fn long_options() {
    reaches_shell_unchanged(&["--login", "-c", "pwd"]);
    reaches_shell_unchanged(&["--norc", "--noprofile", "-c", "pwd"]);
    reaches_shell_unchanged(&["--rcfile", "rc", "-c", "pwd"]);
    reaches_shell_unchanged(&["--init-file", "rc", "-c", "pwd"]);
    reaches_shell_unchanged(&["--posix", "-c", "pwd"]);
    reaches_shell_unchanged(&["-c", "--", "pwd"]);
}

#[test]
fn version_help_and_shapes_the_shell_rejects() {
    reaches_shell_unchanged(&["--version"]);
    reaches_shell_unchanged(&["--help"]);
    reaches_shell_unchanged(&["-c"]);
    reaches_shell_unchanged(&["--no-such-option"]);
}

#[test]
fn login_shell_by_argv0() {
    for arg0 in ["-bash", "-sh", "-zsh", "-shellgate"] {
        let out = Test::new().arg0(arg0).args(["-c", "pwd"]).run();
        assert_eq!(out.recorded().argv, [arg0, "-c", "pwd"], "argv0 {arg0}");
    }
}

#[test]
fn shim_names_pass_argv0_through() {
    for name in ["bash", "sh", "zsh", "dash"] {
        let out = Test::new().shim(name).args(["-lc", "pwd"]).run();
        assert_eq!(out.recorded().argv, [name, "-lc", "pwd"], "shim {name}");
    }
}

#[test]
fn subcommand_names_are_shell_operands_under_a_shim_or_after_a_flag() {
    let out = Test::new().shim("bash").args(["check", "x"]).run();
    assert_eq!(out.recorded().argv, ["bash", "check", "x"]);
    reaches_shell_unchanged(&["-c", "check"]);
    reaches_shell_unchanged(&["-l", "rules"]);
}

/// The exact shapes real agents use (observed in `shared/agents/README.md`), with a harmless
/// command inside: every one must reach the shell unchanged, or that agent breaks.
#[test]
fn agent_invocation_shapes() {
    let snapshot = "/tmp/shellgate-test-snapshot.sh";
    let claude = format!(
        "source {snapshot} 2>/dev/null || true && shopt -u extglob 2>/dev/null || true && \
         eval 'echo hello-from-agent' < /dev/null && pwd -P >| /tmp/claude-test-cwd"
    );
    let gemini = "shopt -u promptvars nullglob extglob nocaseglob dotglob; {\n\
                  echo hello-from-agent\n}\n__code=$?; pwd > /tmp/gemini-shell-test/pwd.tmp; exit $__code";
    let opencode = "cd -- \"$1\"; eval \"echo hello-from-agent\"";
    let codex_snapshot = format!("set -e; . {snapshot}");
    let shapes: Vec<Vec<&str>> = vec![
        vec!["-c", &claude],
        vec!["-c", "-l", snapshot],
        vec!["-c", gemini],
        vec!["-l", "-c", opencode, "opencode", "/tmp"],
        vec!["-lc", "echo hello-from-agent"],
        vec!["-c", &codex_snapshot],
        vec!["-i", "-c", "echo hello-from-agent"],
    ];
    for shape in shapes {
        reaches_shell_unchanged(&shape);
    }
}

#[test]
fn script_file_operand() {
    let out = Test::new()
        .write("script.sh", "echo hi\n")
        .args(["script.sh", "a", "b"])
        .run();
    assert_eq!(out.recorded().argv, [SHELLGATE, "script.sh", "a", "b"]);
    reaches_shell_unchanged(&["--", "no-such-script.sh"]);
    reaches_shell_unchanged(&["no-such-script.sh", "a"]);
}

#[test]
fn script_on_stdin_reaches_the_shell_byte_for_byte() {
    // Larger than a pipe's buffer, not valid UTF-8, and only two commands.
    let mut script = b"echo start\n# ".to_vec();
    script.extend(b"x\xff".repeat(50_000));
    script.extend(b"\necho end\n");
    let out = Test::new().stdin(&script).run();
    assert_eq!(out.recorded().argv, [SHELLGATE]);
    assert!(out.recorded().stdin == script, "stdin changed on the way");

    let out = Test::new().args(["-s", "a"]).stdin("echo \"$1\"\n").run();
    assert_eq!(out.recorded().argv, [SHELLGATE, "-s", "a"]);
    assert_eq!(out.recorded().stdin, b"echo \"$1\"\n");
}

#[test]
fn stdin_of_a_command_string_is_left_to_the_command() {
    let out = Test::new().args(["-c", "cat"]).stdin("data\n").run();
    assert_eq!(out.recorded().stdin, b"data\n");
}

#[test]
fn working_directory_is_unchanged() {
    let out = Test::new().args(["-c", "pwd"]).run();
    let work = &out.dirs.as_ref().unwrap().work;
    assert_eq!(&out.recorded().cwd, work);
}

#[test]
fn non_utf8_arguments_pass_byte_for_byte() {
    let out = Test::new()
        .arg("-c")
        .arg_bytes(b"echo \xff\xfe")
        .arg_bytes(b"\x80name")
        .run();
    let want: Vec<OsString> = [&b"-c"[..], b"echo \xff\xfe", b"\x80name"]
        .iter()
        .map(|b| std::os::unix::ffi::OsStringExt::from_vec(b.to_vec()))
        .collect();
    assert_eq!(out.recorded().argv[1..], want[..]);
}

#[test]
fn environment_reaches_the_shell_with_the_depth_marker() {
    let out = Test::new()
        .env("SOME_SETTING", "kept")
        .args(["-c", "pwd"])
        .run();
    let env = &out.recorded().env;
    assert_eq!(
        env.get(&OsString::from("SOME_SETTING")),
        Some(&OsString::from("kept"))
    );
    assert_eq!(
        env.get(&OsString::from(DEPTH_VAR)),
        Some(&OsString::from("1"))
    );
}

#[test]
fn depth_below_the_limit_runs_and_counts_one_more() {
    let below = (MAX_DEPTH - 1).to_string();
    let out = Test::new().env(DEPTH_VAR, &below).args(["-c", "pwd"]).run();
    let depth = out.recorded().env.get(&OsString::from(DEPTH_VAR)).cloned();
    assert_eq!(depth, Some(OsString::from(MAX_DEPTH.to_string())));
}
