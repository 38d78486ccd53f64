//! Misconfiguration: a real shell that cannot be used, or that leads back to shellgate, gives one
//! line naming `SHELLGATE_SHELL` and the fix, exits with `EXIT_CONFIG`, and runs nothing.
//!
//! Not tested here: a shim whose name resolves, in the fixed system directories, to shellgate
//! itself (e.g. shellgate installed as `/usr/bin/bash`). Arranging that would mean replacing a
//! system shell on the test machine. The same identity check (device and inode, symlinks
//! followed) is exercised through `SHELLGATE_SHELL` below.

use crate::test::{SHELLGATE, Shell, Test, recorder, system_shell};
use shellgate::error::EXIT_CONFIG;
use shellgate::exec::{DEPTH_VAR, MAX_DEPTH, SHELL_VAR};

/// Assert a clear refusal: `EXIT_CONFIG`, one line that names the setting, what is wrong
/// (`problem`) and a fix, and the recorder never called.
#[track_caller]
fn refused(test: Test, problem: &str) {
    let out = test.args(["-c", "echo ran"]).run();
    out.assert_not_run();
    assert_eq!(out.status, EXIT_CONFIG, "stderr: {}", out.stderr);
    assert_eq!(out.stdout, "");
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "want one line, got: {}", out.stderr);
    let line = lines[0];
    assert!(line.starts_with("shellgate: "), "{line}");
    assert!(
        line.contains(SHELL_VAR),
        "the line does not name {SHELL_VAR}: {line}"
    );
    assert!(
        line.contains(problem),
        "the line does not say {problem:?}: {line}"
    );
    assert!(
        line.contains("/bin/bash"),
        "the line gives no example fix: {line}"
    );
}

#[test]
fn shell_is_shellgate_itself() {
    refused(Test::new().env(SHELL_VAR, SHELLGATE), "shellgate itself");
}

#[test]
fn shell_is_a_symlink_to_shellgate() {
    let test = Test::new();
    let link = test.dirs().work.join("bash");
    std::os::unix::fs::symlink(SHELLGATE, &link).unwrap();
    refused(test.env(SHELL_VAR, &link), "shellgate itself");
}

#[test]
fn shell_is_a_copy_of_shellgate() {
    let test = Test::new();
    let copy = test.dirs().work.join("bash");
    std::fs::copy(SHELLGATE, &copy).unwrap();
    refused(test.env(SHELL_VAR, &copy), "loop");
}

#[test]
fn shell_is_a_script_that_runs_shellgate_again() {
    let script = format!("#!/bin/sh\nexec '{SHELLGATE}' \"$@\"\n");
    let test = Test::new().write_executable("wrapper", script);
    let wrapper = test.dirs().work.join("wrapper");
    refused(test.env(SHELL_VAR, &wrapper), "loop");
}

#[test]
fn loop_that_changes_argv_each_round_stops_at_the_depth_limit() {
    let script = format!("#!/bin/sh\nexec '{SHELLGATE}' \"$@\" again\n");
    let test = Test::new().write_executable("wrapper", script);
    let wrapper = test.dirs().work.join("wrapper");
    refused(test.env(SHELL_VAR, &wrapper), &format!("depth {MAX_DEPTH}"));
}

#[test]
fn depth_marker_at_the_limit() {
    refused(Test::new().env(DEPTH_VAR, MAX_DEPTH.to_string()), "loop");
}

#[test]
fn shim_for_a_shell_that_is_not_installed() {
    let Some(name) = ["ksh", "mksh"]
        .into_iter()
        .find(|n| system_shell(n).is_none())
    else {
        eprintln!("skipped: ksh and mksh are both installed");
        return;
    };
    // No SHELLGATE_SHELL: the shim's name alone picks the shell (`echo ran` is harmless anyway).
    let out = Test::new()
        .shell(Shell::RealBash)
        .shim(name)
        .args(["-c", "echo ran"])
        .run();
    assert_eq!(out.stdout, "");
    assert_eq!(out.status, EXIT_CONFIG, "stderr: {}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "want one line, got: {}", out.stderr);
    assert!(lines[0].contains(&format!("no `{name}`")), "{}", lines[0]);
    assert!(lines[0].contains(SHELL_VAR), "{}", lines[0]);
}

#[test]
fn shell_does_not_exist() {
    refused(
        Test::new().env(SHELL_VAR, "/no/such/shell"),
        "does not exist",
    );
}

#[test]
fn shell_is_a_directory() {
    refused(Test::new().env(SHELL_VAR, "/tmp"), "directory");
}

#[test]
fn shell_is_not_executable() {
    let test = Test::new().write("not-a-shell", "#!/bin/sh\n");
    let path = test.dirs().work.join("not-a-shell");
    refused(test.env(SHELL_VAR, &path), "not executable");
}

#[test]
fn shell_is_a_relative_path() {
    let test = Test::new();
    std::fs::copy(recorder(), test.dirs().work.join("recorder")).unwrap();
    refused(test.env(SHELL_VAR, "recorder"), "absolute");
    let test = Test::new();
    std::fs::copy(recorder(), test.dirs().work.join("recorder")).unwrap();
    refused(test.env(SHELL_VAR, "./recorder"), "absolute");
}
