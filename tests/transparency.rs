//! Transparency: for lines no rule objects to, shellgate in front of bash, zsh or dash must give
//! exactly the shell's own stdout, stderr and exit status, byte for byte.
//!
//! Every case runs twice per shell: with `SHELLGATE_SHELL` naming the shell, and through a shim
//! (a symlink called `bash`, `zsh` or `sh` to shellgate, found first on `PATH`), so resolution by
//! invoked name is exercised too. Each run is compared with the same argv given to the shell
//! directly. A shell that is not installed is skipped with a message; `.ci/run` installs them all.

use crate::test::{Shell, Test, system_shell};
use std::os::unix::ffi::OsStrExt;

/// `transparent!(case: bash, zsh, dash)` runs `fn case(Test)` against each listed shell, once
/// through `SHELLGATE_SHELL` (`transparency::case::bash`) and once through a shim
/// (`transparency::case::shim::bash`).
macro_rules! transparent {
    ($case:ident: $($shell:ident),+ $(,)?) => {
        mod $case {
            $(
                #[test]
                fn $shell() {
                    super::check(super::$case, stringify!($shell), false);
                }
            )+
            mod shim {
                $(
                    #[test]
                    fn $shell() {
                        super::super::check(super::super::$case, stringify!($shell), true);
                    }
                )+
            }
        }
    };
}

fn check(case: fn(Test), name: &str, shim: bool) {
    let shell = match name {
        "bash" => Shell::RealBash,
        "zsh" => Shell::RealZsh,
        "dash" => Shell::RealDash,
        other => panic!("no such shell in the harness: {other}"),
    };
    if shell.path().is_none() {
        eprintln!("skipped: {name} is not installed (.ci/run installs it)");
        return;
    }
    let mut test = Test::new().shell(shell);
    if shim {
        if system_shell(shell.shim_name()).is_none() {
            eprintln!("skipped: no system `{}` for the shim", shell.shim_name());
            return;
        }
        test = test.shim(shell.shim_name());
    }
    case(test);
}

transparent!(positional_parameters_after_c: bash, zsh, dash);
fn positional_parameters_after_c(t: Test) {
    let out = t
        .args(["-c", r#"echo "$0 $1 $#""#, "a", "b", "c"])
        .assert_transparent();
    assert_eq!(out.stdout, "a b 2\n");
}

transparent!(login_flag_combined_with_c: bash, zsh, dash);
fn login_flag_combined_with_c(t: Test) {
    let out = t.args(["-lc", "cd /tmp && pwd"]).assert_transparent();
    assert_eq!(out.stdout, "/tmp\n");
}

transparent!(errexit_nounset_pipefail: bash, zsh);
fn errexit_nounset_pipefail(t: Test) {
    let out = t
        .args(["-euo", "pipefail", "-c", "false | true"])
        .assert_transparent();
    assert_eq!(out.status, 1);
}

transparent!(pipeline_status_without_pipefail: bash, zsh, dash);
fn pipeline_status_without_pipefail(t: Test) {
    let out = t.args(["-c", "false | true"]).assert_transparent();
    assert_eq!(out.status, 0);
}

transparent!(script_on_stdin: bash, zsh, dash);
fn script_on_stdin(t: Test) {
    let out = t.stdin("echo hi\n").assert_transparent();
    assert_eq!(out.stdout, "hi\n");
}

transparent!(script_on_stdin_with_s_and_arguments: bash, zsh, dash);
fn script_on_stdin_with_s_and_arguments(t: Test) {
    let out = t
        .args(["-s", "a", "b"])
        .stdin("echo \"$1 $2\"\n")
        .assert_transparent();
    assert_eq!(out.stdout, "a b\n");
}

transparent!(script_on_stdin_shares_stdin_with_its_commands: bash, zsh, dash);
fn script_on_stdin_shares_stdin_with_its_commands(t: Test) {
    // The shell and the commands it runs read the same stdin: shellgate's copy must behave like
    // the original pipe, line for line.
    let script = "read -r x\nhello\necho \"got $x\"\nhead -n 1\nfrom head\necho end\n";
    t.stdin(script).assert_transparent();
}

transparent!(nested_shell_through_the_shim: bash, zsh, dash);
fn nested_shell_through_the_shim(t: Test) {
    let line = format!("{} -c 'echo \"nested $0\"' inner", t.invoked_name());
    let out = t.args(["-c", &line]).assert_transparent();
    assert_eq!(out.stdout, "nested inner\n");
}

transparent!(long_script_on_stdin: bash, zsh, dash);
fn long_script_on_stdin(t: Test) {
    // Larger than a pipe's buffer: the shell must still get every byte, in order.
    let mut script = String::from("i=0\n");
    for n in 0..3000 {
        script.push_str(&format!(
            "# padding line {n} to make the script longer than a pipe\n"
        ));
        if n % 30 == 0 {
            script.push_str("i=$((i + 1))\n");
        }
    }
    script.push_str("echo \"$i\"\n");
    let out = t.stdin(script).assert_transparent();
    assert_eq!(out.stdout, "100\n");
}

transparent!(exit_42: bash, zsh, dash);
fn exit_42(t: Test) {
    let out = t.args(["-c", "exit 42"]).assert_transparent();
    assert_eq!(out.status, 42);
}

transparent!(exit_1: bash, zsh, dash);
fn exit_1(t: Test) {
    let out = t.args(["-c", "exit 1"]).assert_transparent();
    assert_eq!(out.status, 1);
}

transparent!(set_e_stops_at_the_first_failure: bash, zsh, dash);
fn set_e_stops_at_the_first_failure(t: Test) {
    let out = t
        .args(["-c", "set -e; echo before; false; echo after"])
        .assert_transparent();
    assert_eq!((out.status, out.stdout.as_str()), (1, "before\n"));
}

transparent!(errexit_flag_in_a_cluster: bash, zsh, dash);
fn errexit_flag_in_a_cluster(t: Test) {
    let out = t.args(["-ec", "false; echo after"]).assert_transparent();
    assert_eq!((out.status, out.stdout.as_str()), (1, ""));
}

transparent!(pipes: bash, zsh, dash);
fn pipes(t: Test) {
    let out = t
        .args(["-c", r#"printf 'b\na\n' | sort | tr a-z A-Z"#])
        .assert_transparent();
    assert_eq!(out.stdout, "A\nB\n");
}

transparent!(stdin_reaches_the_command: bash, zsh, dash);
fn stdin_reaches_the_command(t: Test) {
    let out = t
        .args(["-c", "cat"])
        .stdin("one\ntwo\n")
        .assert_transparent();
    assert_eq!(out.stdout, "one\ntwo\n");
}

transparent!(stdin_is_read_line_by_line: bash, zsh, dash);
fn stdin_is_read_line_by_line(t: Test) {
    let line = r#"read -r first; echo "got $first"; cat"#;
    let out = t.args(["-c", line]).stdin("x\nrest\n").assert_transparent();
    assert_eq!(out.stdout, "got x\nrest\n");
}

transparent!(script_file_with_arguments: bash, zsh, dash);
fn script_file_with_arguments(t: Test) {
    let out = t
        .write("script.sh", "echo \"$0 $1 $2\"\nexit 3\n")
        .args(["script.sh", "x", "y"])
        .assert_transparent();
    assert_eq!((out.status, out.stdout.as_str()), (3, "script.sh x y\n"));
}

transparent!(missing_script_file: bash, zsh, dash);
fn missing_script_file(t: Test) {
    let out = t.args(["no-such-script.sh", "x"]).assert_transparent();
    assert_ne!(out.status, 0);
    assert!(out.stderr.contains("no-such-script.sh"), "{}", out.stderr);
}

transparent!(c_without_a_string: bash, zsh, dash);
fn c_without_a_string(t: Test) {
    let out = t.args(["-c"]).assert_transparent();
    assert_ne!(out.status, 0);
    assert!(!out.stderr.is_empty());
}

transparent!(version: bash, zsh, dash);
fn version(t: Test) {
    let out = t.args(["--version"]).assert_transparent();
    // dash has no --version: its own error is what must come through.
    assert!(!(out.stdout.is_empty() && out.stderr.is_empty()));
}

transparent!(unknown_option: bash, zsh, dash);
fn unknown_option(t: Test) {
    let out = t
        .args(["--no-such-option", "-c", "echo ran"])
        .assert_transparent();
    assert_ne!(out.status, 0);
    assert_eq!(out.stdout, "");
}

transparent!(command_not_found: bash, zsh, dash);
fn command_not_found(t: Test) {
    let out = t
        .args(["-c", "no-such-command-shellgate-test"])
        .assert_transparent();
    assert_eq!(out.status, 127);
}

transparent!(login_shell_by_argv0: bash, zsh, dash);
fn login_shell_by_argv0(t: Test) {
    let kind = t.shell_kind();
    // `-bash` through a shim named `bash`, `-bash` with SHELLGATE_SHELL=/usr/bin/bash, and so on.
    let name = t.invoked_name();
    let arg0 = format!("-{name}");
    let line = match kind {
        Shell::RealBash => r#"echo "$0"; shopt -q login_shell && echo login"#,
        Shell::RealZsh => r#"echo "$0"; [[ -o login ]] && echo login"#,
        _ => r#"echo "$0""#,
    };
    let out = t.arg0(&arg0).args(["-c", line]).assert_transparent();
    assert!(
        out.stdout.starts_with(&format!("{arg0}\n")),
        "{}",
        out.stdout
    );
    if kind != Shell::RealDash {
        assert!(out.stdout.ends_with("login\n"), "{}", out.stdout);
    }
}

transparent!(non_utf8_argument_bytes: bash, zsh, dash);
fn non_utf8_argument_bytes(t: Test) {
    let out = t
        .args(["-c", r#"printf %s "$1" | od -An -tx1"#, "name"])
        .arg_bytes(b"\xff\xfeA\x80")
        .assert_transparent();
    assert_eq!(
        out.stdout.split_whitespace().collect::<Vec<_>>(),
        ["ff", "fe", "41", "80"]
    );
}

transparent!(non_utf8_command_string: bash, zsh, dash);
fn non_utf8_command_string(t: Test) {
    let out = t
        .arg("-c")
        .arg_bytes(b"printf '%s' '\xff\xfe'")
        .assert_transparent();
    assert_eq!(out.stdout_bytes, b"\xff\xfe");
}

transparent!(non_utf8_environment: bash, zsh, dash);
fn non_utf8_environment(t: Test) {
    let value = std::ffi::OsStr::from_bytes(b"\xff\xfe");
    let out = t
        .env("SHELLGATE_TEST_BYTES", value)
        .args(["-c", r#"printf %s "$SHELLGATE_TEST_BYTES""#])
        .assert_transparent();
    assert_eq!(out.stdout_bytes, b"\xff\xfe");
}

transparent!(killed_by_sigint_is_130: bash, zsh, dash);
fn killed_by_sigint_is_130(t: Test) {
    let out = t.args(["-c", "kill -INT $$"]).assert_transparent();
    assert_eq!(out.status, 130);
}

transparent!(pipe_into_head_ends_quietly: bash, zsh, dash);
fn pipe_into_head_ends_quietly(t: Test) {
    // `yes` must die of SIGPIPE, as under the shell alone, not print "Broken pipe".
    let out = t.args(["-c", "yes | head -n 1"]).assert_transparent();
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("y\n", ""));
}

transparent!(pipe_status_of_a_writer_killed_by_sigpipe: bash);
fn pipe_status_of_a_writer_killed_by_sigpipe(t: Test) {
    let line = r#"yes | head -n 1 >/dev/null; echo "${PIPESTATUS[@]}""#;
    let out = t.args(["-c", line]).assert_transparent();
    assert_eq!(out.stdout, "141 0\n");
}

transparent!(interactive_flag_with_a_command: bash, zsh, dash);
fn interactive_flag_with_a_command(t: Test) {
    // aider's shape with a terminal: `$SHELL -i -c CMD` (here without one: the shells' own
    // warnings about job control must come through unchanged too).
    let out = t.args(["-i", "-c", "echo hi"]).assert_transparent();
    assert_eq!(out.stdout, "hi\n");
}

transparent!(interactive_shell_reading_stdin: bash, zsh, dash);
fn interactive_shell_reading_stdin(t: Test) {
    let out = t
        .args(["-i"])
        .stdin("echo hi\nexit 3\n")
        .assert_transparent();
    assert_eq!((out.status, out.stdout.as_str()), (3, "hi\n"));
}
