//! End to end: a destructive line never reaches the real shell, whichever way it arrives (`-c`,
//! a shim, stdin, a script file), and the caller is told which rule stopped what; ordinary lines
//! that look alike still run.
//!
//! The real shell is the recorder and `HOME` is a temporary directory, so a failure here means a
//! recorded argv, never a deleted file.

use crate::test::{SHELLGATE, Test};
use shellgate::error::{EXIT_BLOCKED, EXIT_NEEDS_APPROVAL};

/// shellgate in deny mode (as in CI): a finding is refused outright with `EXIT_BLOCKED`. The
/// default mode asks a human instead (see `without_a_terminal_a_pending_approval_is_left`).
fn deny_mode() -> Test {
    Test::new().env("SHELLGATE_MODE", "deny")
}

/// Assert that `test` was refused: `EXIT_BLOCKED`, the recorder never called, and stderr naming
/// the rule, the blocked command (`shown`, as text that must appear) and a safer alternative.
#[track_caller]
fn blocked(test: Test, shown: &str) {
    let out = test.run();
    out.assert_not_run();
    assert_eq!(out.status, EXIT_BLOCKED, "stderr: {}", out.stderr);
    assert_eq!(out.stdout, "");
    let first = out.stderr.lines().next().unwrap_or_default();
    let rule = first
        .strip_prefix("shellgate: blocked: ")
        .unwrap_or_else(|| {
            panic!(
                "stderr does not start with `shellgate: blocked: <rule>`: {}",
                out.stderr
            )
        });
    let rule_id = rule.split(':').next().unwrap_or_default();
    assert!(
        !rule_id.is_empty()
            && rule_id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "no kebab-case rule id in: {first}"
    );
    assert!(
        out.stderr.contains(shown),
        "stderr does not show {shown:?}: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("safer"),
        "stderr gives no safer alternative: {}",
        out.stderr
    );
}

/// Assert that `args` reached the recorder unchanged.
#[track_caller]
fn allowed(args: &[&str]) {
    let out = Test::new().args(args).run();
    let mut want = vec![SHELLGATE];
    want.extend(args);
    assert_eq!(out.recorded().argv, want, "stderr: {}", out.stderr);
    assert_eq!(out.status, 0);
}

#[test]
fn force_push_is_blocked() {
    blocked(
        deny_mode().args(["-c", "git push --force origin main"]),
        "git push",
    );
}

#[test]
fn without_a_terminal_a_pending_approval_is_left() {
    // The default mode asks a human; the test has no terminal, so nothing runs and the message
    // says how a human approves.
    let out = Test::new()
        .args(["-c", "git push --force origin main"])
        .run();
    out.assert_not_run();
    assert_eq!(out.status, EXIT_NEEDS_APPROVAL, "stderr: {}", out.stderr);
    assert!(
        out.stderr
            .starts_with("shellgate: blocked: git-push-force: "),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("shellgate approve "), "{}", out.stderr);
}

#[test]
fn ci_means_deny_mode() {
    let out = Test::new()
        .env("CI", "true")
        .args(["-c", "git push --force origin main"])
        .run();
    out.assert_not_run();
    assert_eq!(out.status, EXIT_BLOCKED, "stderr: {}", out.stderr);
}

#[test]
fn positional_parameters_are_seen_in_every_source() {
    // `$1` (the test's own HOME) of a -c line, of a script file, of a script on stdin (-s).
    let with_home = |test: Test, before: &[&str]| {
        let home = test.dirs().home.clone();
        test.args(before).arg(home)
    };
    let test = with_home(deny_mode(), &["-c", "rm -rf \"$1\"", "name"]);
    blocked(test, "rm -rf");
    let test = deny_mode().write("clean.sh", "rm -rf \"$1\"\n");
    blocked(with_home(test, &["clean.sh"]), "rm -rf");
    let test = deny_mode().stdin("rm -rf \"$1\"\n");
    blocked(with_home(test, &["-s"]), "rm -rf");
}

#[test]
fn dollar_zero_is_found_by_position_even_when_an_option_value_spells_the_line() {
    let line = "\"$0\" -rf ~";
    let test = deny_mode().args(["--rcfile", line, "-c", line, "rm"]);
    blocked(test, "rm -rf");
}

#[test]
fn force_push_short_flag_and_plus_refspec_are_blocked() {
    blocked(
        deny_mode().args(["-c", "git push -f origin main"]),
        "git push",
    );
    blocked(
        deny_mode().args(["-c", "git push origin +main"]),
        "git push",
    );
}

#[test]
fn recursive_delete_of_home_is_blocked() {
    blocked(deny_mode().args(["-c", "cd / && rm -rf ~"]), "rm -rf");
}

#[test]
fn recursive_delete_of_root_home_var_and_cwd_is_blocked() {
    blocked(deny_mode().args(["-c", "rm -rf /"]), "rm -rf");
    blocked(deny_mode().args(["-c", "rm -rf $HOME"]), "rm -rf");
    blocked(deny_mode().args(["-c", "rm -rf ."]), "rm -rf");
}

#[test]
fn blocked_through_a_shim_with_flags() {
    let test = deny_mode()
        .shim("bash")
        .args(["-lc", "git push --force origin main"]);
    blocked(test, "git push");
}

#[test]
fn blocked_with_a_login_argv0() {
    let test = deny_mode().arg0("-bash").args(["-c", "cd / && rm -rf ~"]);
    blocked(test, "rm -rf");
}

#[test]
fn blocked_in_a_script_on_stdin() {
    blocked(
        deny_mode().stdin("echo start\ngit push --force origin main\n"),
        "git push",
    );
}

#[test]
fn blocked_in_a_script_file() {
    let test = deny_mode()
        .write("deploy.sh", "cd /\nrm -rf ~\n")
        .args(["deploy.sh"]);
    blocked(test, "rm -rf");
}

/// A line whose program is only known at run time: refused by the analyzer alone, whatever the
/// rules say, so it shows that a source was analysed at all.
const UNSEEABLE: &str = "$(cat /nonexistent-shellgate-test) arg";

/// Assert that `test` was refused without running, whatever the reason.
#[track_caller]
fn refused(test: Test) {
    let out = test.run();
    out.assert_not_run();
    assert_eq!(out.status, EXIT_BLOCKED, "stderr: {}", out.stderr);
}

#[test]
fn plus_c_runs_a_command_string_too_so_it_is_analysed() {
    refused(deny_mode().args(["+c", UNSEEABLE]));
    refused(deny_mode().args(["+ec", UNSEEABLE]));
}

#[test]
fn plus_s_reads_stdin_in_bash_so_it_is_analysed() {
    refused(deny_mode().args(["+s", "no-such-file"]).stdin(UNSEEABLE));
}

#[test]
fn force_push_through_plus_c_or_plus_s_is_blocked() {
    let test = deny_mode().args(["+c", "git push --force origin main"]);
    blocked(test, "git push");
    let test = deny_mode()
        .args(["+s", "x"])
        .stdin("git push --force origin main\n");
    blocked(test, "git push");
}

#[test]
fn zsh_shinstdin_option_analyses_stdin_and_the_script() {
    let script = format!("{UNSEEABLE}\n");
    refused(
        deny_mode()
            .args(["-o", "shinstdin", "no-such-file"])
            .stdin(&script),
    );
    let test = deny_mode().write("f.sh", &script);
    refused(test.args(["--shin-stdin", "f.sh"]).stdin("echo fine\n"));
}

#[test]
fn zsh_emulate_value_is_not_taken_for_a_script() {
    refused(deny_mode().args(["--emulate", "ksh", "-c", UNSEEABLE]));
}

#[test]
fn ordinary_push_and_cleanup_run() {
    allowed(&["-c", "git push origin feature"]);
    allowed(&["-c", "rm -rf node_modules"]);
}

#[test]
fn source_too_large_to_analyse_is_refused_not_run() {
    let limit = shellgate::parse::MAX_SOURCE_BYTES;
    let mut script = b"echo start\n".to_vec();
    while script.len() <= limit {
        script.extend(b"# padding past the size shellgate analyses\n");
    }
    let out = deny_mode().stdin(&script).run();
    out.assert_not_run();
    assert_eq!(out.status, EXIT_BLOCKED, "stderr: {}", out.stderr);

    let out = deny_mode().write("big.sh", &script).args(["big.sh"]).run();
    out.assert_not_run();
    assert_eq!(out.status, EXIT_BLOCKED, "stderr: {}", out.stderr);
}

#[test]
fn endless_stdin_is_refused_not_read_forever() {
    let out = deny_mode().stdin_endless("echo more\n").run();
    out.assert_not_run();
    assert_eq!(out.status, EXIT_BLOCKED, "stderr: {}", out.stderr);
}
