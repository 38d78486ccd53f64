//! The confirmation prompt, in a real pseudo-terminal: only `y`/`yes` (or, for a critical finding,
//! the typed name of the target) runs the line; Enter, `n`, Ctrl-C, Ctrl-D, a timeout and type-ahead
//! do not. The prompt shows what would run and why, renders escapes from the line inert, leaves
//! the terminal mode as it found it, and parallel prompts wait for each other.
//!
//! The real shell is the recorder and `HOME` is a temporary directory: "approved" means the
//! recorder was handed the line, never that anything was deleted.

use crate::test::{PtyOutput, SHELLGATE, Test};
use shellgate::error::{EXIT_REFUSED, EXIT_TIMED_OUT};

/// A high-severity line (`git-push-force`): the prompt asks `[y/N]`.
const FORCE_PUSH: &str = "git push --force origin main";
/// What the `[y/N]` question starts with.
const QUESTION: &str = "Run it? [y/N]";

/// Run `line` under shellgate in a terminal, wait for the question, type `keys`, and wait for the end.
fn answer(line: &str, keys: &str) -> PtyOutput {
    let mut pty = Test::new().args(["-c", line]).spawn_pty();
    pty.expect(QUESTION);
    pty.send(keys);
    pty.finish()
}

/// The line reached the recorder exactly as given, and shellgate said it runs it.
#[track_caller]
fn assert_ran(out: &PtyOutput, line: &str) {
    assert_eq!(
        out.recorded().argv,
        [SHELLGATE, "-c", line],
        "transcript: {:?}",
        out.transcript
    );
    assert_eq!(out.status, 0, "transcript: {:?}", out.transcript);
    assert!(
        out.transcript.contains("approved: running it."),
        "{:?}",
        out.transcript
    );
}

/// Nothing ran, the status is `status`, and the person was told so on the terminal.
#[track_caller]
fn assert_refused(out: &PtyOutput, status: i32) {
    out.assert_not_run();
    assert_eq!(out.status, status, "transcript: {:?}", out.transcript);
    assert!(
        out.transcript.contains("not running it."),
        "{:?}",
        out.transcript
    );
    assert!(
        out.transcript.contains("shellgate: blocked: "),
        "no denial message on stderr: {:?}",
        out.transcript
    );
}

#[test]
fn y_approves() {
    assert_ran(&answer(FORCE_PUSH, "y\r"), FORCE_PUSH);
}

#[test]
fn yes_approves() {
    assert_ran(&answer(FORCE_PUSH, "yes\r"), FORCE_PUSH);
}

#[test]
fn enter_refuses() {
    assert_refused(&answer(FORCE_PUSH, "\r"), EXIT_REFUSED);
}

#[test]
fn n_refuses() {
    assert_refused(&answer(FORCE_PUSH, "n\r"), EXIT_REFUSED);
}

#[test]
fn anything_but_y_refuses() {
    assert_refused(&answer(FORCE_PUSH, "yess\r"), EXIT_REFUSED);
    assert_refused(&answer(FORCE_PUSH, "ok\r"), EXIT_REFUSED);
}

#[test]
fn ctrl_c_refuses() {
    let mut pty = Test::new().args(["-c", FORCE_PUSH]).spawn_pty();
    pty.expect(QUESTION);
    pty.send("y");
    pty.send_control('c');
    let out = pty.finish();
    assert_refused(&out, EXIT_REFUSED);
    assert!(out.transcript.contains("^C"), "{:?}", out.transcript);
}

#[test]
fn ctrl_d_refuses() {
    let mut pty = Test::new().args(["-c", FORCE_PUSH]).spawn_pty();
    pty.expect(QUESTION);
    pty.send_control('d');
    assert_refused(&pty.finish(), EXIT_REFUSED);
}

#[test]
fn no_answer_times_out() {
    let mut pty = Test::new()
        .args(["-c", FORCE_PUSH])
        .env("SHELLGATE_TIMEOUT", "1")
        .spawn_pty();
    pty.expect("Run it? [y/N] (1s)");
    let out = pty.finish();
    assert_refused(&out, EXIT_TIMED_OUT);
    assert!(
        out.transcript.contains("no answer in time"),
        "{:?}",
        out.transcript
    );
}

#[test]
fn prompt_shows_command_rule_why_and_safer() {
    let mut pty = Test::new()
        .args(["-c", FORCE_PUSH])
        .env("NO_COLOR", "1")
        .spawn_pty();
    let shown = pty.expect(QUESTION);
    pty.send("n\r");
    pty.finish();
    for want in [
        "shellgate: this command needs your approval",
        "command:  git push --force origin main",
        "rule:     git-push-force (high)",
        "why:      Force-pushing replaces the remote branch",
        "safer:    git push --force-with-lease",
    ] {
        assert!(shown.contains(want), "prompt lacks {want:?}: {shown:?}");
    }
}

/// `rm -rf ~` is critical: the person types the target (the home directory), not `y`.
mod critical {
    use super::*;

    const LINE: &str = "rm -rf ~";

    fn answer(keys: &str) -> PtyOutput {
        let test = Test::new().args(["-c", LINE]);
        let home = test.dirs().home.display().to_string();
        let mut pty = test.spawn_pty();
        let shown = pty.expect("to run it, anything else refuses");
        assert!(
            shown.contains(&format!("This is critical. Type {home} ")),
            "the challenge does not name the home directory: {shown:?}"
        );
        assert!(
            shown.contains("rm-rf-dangerous-target (critical)"),
            "{shown:?}"
        );
        assert!(
            shown.contains(&format!("command:  rm -rf {home}")),
            "{shown:?}"
        );
        assert!(shown.contains("line:     rm -rf ~"), "{shown:?}");
        pty.send(&keys.replace("HOME", &home));
        pty.finish()
    }

    #[test]
    fn y_is_not_enough() {
        assert_refused(&answer("y\r"), EXIT_REFUSED);
    }

    #[test]
    fn the_wrong_name_refuses() {
        assert_refused(&answer("/tmp\r"), EXIT_REFUSED);
        assert_refused(&answer("HOME/\r"), EXIT_REFUSED);
    }

    #[test]
    fn the_right_name_approves() {
        assert_ran(&answer("HOME\r"), LINE);
    }
}

/// An escape sequence in the line is shown as `\e[2J`; the raw sequence never reaches the terminal.
#[test]
fn escape_sequences_are_shown_inert() {
    for (line, colour) in [
        ("git push --force origin \"\x1b[2Jx\"", false),
        ("git push --force origin \"\x1b[2Jx\"", true),
        (
            "git push --force origin $'\\e[2J'main\x1b]0;owned\x07",
            false,
        ),
    ] {
        let mut test = Test::new().args(["-c", line]);
        test = if colour {
            test.env("TERM", "xterm-256color")
        } else {
            test.env("NO_COLOR", "1")
        };
        let mut pty = test.spawn_pty();
        let shown = pty.expect(QUESTION);
        pty.send("n\r");
        let out = pty.finish();
        assert_refused(&out, EXIT_REFUSED);
        assert!(shown.contains("\\e[2J"), "not made visible: {shown:?}");
        assert!(
            !out.transcript.contains("\x1b[2J") && !out.transcript.contains("\x1b]0"),
            "a raw escape sequence reached the terminal: {:?}",
            out.transcript
        );
        if !colour {
            assert!(
                !out.transcript.contains('\x1b'),
                "ESC on the terminal without colour: {:?}",
                out.transcript
            );
        }
    }
}

/// The terminal mode (`stty -g`) is the same before and after a prompt, however it ends.
#[test]
fn terminal_mode_is_restored() {
    for (keys, status) in [("ye\x03", EXIT_REFUSED), ("y\r", 0), ("\x04", EXIT_REFUSED)] {
        let test = Test::new().write("line", FORCE_PUSH);
        let mut pty = test.spawn_pty_sh(
            "stty -g > before; \"$SHELLGATE\" -c \"$(cat line)\" < /dev/null; \
             echo \"status=$?\"; stty -g > after; echo finished",
        );
        pty.expect(QUESTION);
        pty.send(keys);
        pty.expect(&format!("status={status}"));
        pty.expect("finished");
        let out = pty.finish();
        let work = &out.dirs.work;
        let before = std::fs::read_to_string(work.join("before")).unwrap();
        let after = std::fs::read_to_string(work.join("after")).unwrap();
        assert!(!before.trim().is_empty());
        assert_eq!(
            before, after,
            "terminal mode changed after {keys:?}: {:?}",
            out.transcript
        );
    }
}

/// Two force pushes started together in the terminal's foreground group (a non-interactive sh
/// runs `&` jobs there), each recording into its own directory; their statuses are printed.
const TWO_AT_ONCE: &str = "\
    SHELLGATE_RECORDER_DIR=\"$PWD/rec-alpha\" \"$SHELLGATE\" -c \"$(cat a.line)\" < /dev/null & a=$!; \
    SHELLGATE_RECORDER_DIR=\"$PWD/rec-beta\" \"$SHELLGATE\" -c \"$(cat b.line)\" < /dev/null & b=$!; \
    wait $a; echo \"alpha-status=$?\"; wait $b; echo \"beta-status=$?\"";

/// Two lines from parallel commands: one prompt at a time, each answered on its own.
#[test]
fn concurrent_prompts_are_serialized() {
    let test = Test::new()
        .write("a.line", "git push --force origin alpha")
        .write("b.line", "git push --force origin beta")
        .write("rec-alpha/.keep", "")
        .write("rec-beta/.keep", "");
    let work = test.dirs().work.clone();
    let mut pty = test.spawn_pty_sh(TWO_AT_ONCE);
    let first = pty.expect(QUESTION);
    let (yes, no) = match (
        first.contains("origin alpha"),
        first.contains("origin beta"),
    ) {
        (true, false) => ("alpha", "beta"),
        (false, true) => ("beta", "alpha"),
        _ => panic!("the first prompt should show exactly one of the lines: {first:?}"),
    };
    // The other process is waiting for the lock: nothing of its prompt may show meanwhile.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let meanwhile = pty.read_available();
    assert!(
        !meanwhile.contains("needs your approval") && !meanwhile.contains(no),
        "a second prompt appeared before the first was answered: {meanwhile:?}"
    );
    pty.send("y\r");
    let second = pty.expect(QUESTION);
    assert!(
        second.contains(&format!("origin {no}")),
        "the second prompt should show the other line: {second:?}"
    );
    pty.send("n\r");
    let out = pty.finish();
    assert!(
        out.transcript.contains(&format!("{yes}-status=0")),
        "{:?}",
        out.transcript
    );
    assert!(
        out.transcript
            .contains(&format!("{no}-status={EXIT_REFUSED}")),
        "{:?}",
        out.transcript
    );
    let ran = |name: &str| work.join(format!("rec-{name}")).join("argv").exists();
    assert!(ran(yes), "the approved line did not run");
    assert!(!ran(no), "the refused line ran");
}

/// Keys typed before the prompt appears do not answer it.
#[test]
fn type_ahead_is_discarded() {
    let test = Test::new()
        .write("line", FORCE_PUSH)
        .env("SHELLGATE_TIMEOUT", "2");
    let mut pty = test.spawn_pty_sh("sleep 1; exec \"$SHELLGATE\" -c \"$(cat line)\" < /dev/null");
    // Typed while shellgate is not even started yet: waiting in the terminal's input queue.
    pty.send("y\r");
    pty.expect(QUESTION);
    let out = pty.finish();
    assert_refused(&out, EXIT_TIMED_OUT);
}

/// A background job of the terminal must not read it (it would be stopped, and the agent hang):
/// it is treated as having no terminal, and the line waits for an out-of-band approval.
#[test]
fn a_background_job_is_not_prompted() {
    let test = Test::new().write("line", FORCE_PUSH);
    let mut pty = test.spawn_pty_sh(
        "set -m; \"$SHELLGATE\" -c \"$(cat line)\" < /dev/null & wait $!; echo \"status=$?\"",
    );
    pty.expect(&format!("status={}", shellgate::error::EXIT_NEEDS_APPROVAL));
    let out = pty.finish();
    out.assert_not_run();
    assert!(!out.transcript.contains(QUESTION), "{:?}", out.transcript);
    assert!(
        out.transcript.contains("shellgate approve "),
        "{:?}",
        out.transcript
    );
}

/// In a narrow terminal the explanation folds under its column instead of breaking mid-word.
#[test]
fn long_explanations_fold_to_the_terminal_width() {
    let test = Test::new().write("line", FORCE_PUSH).env("NO_COLOR", "1");
    let mut pty = test
        .spawn_pty_sh("stty rows 24 cols 60; exec \"$SHELLGATE\" -c \"$(cat line)\" < /dev/null");
    let shown = pty.expect(QUESTION).replace('\r', "");
    pty.send("n\r");
    pty.finish();
    assert!(
        shown.contains(
            "why:      Force-pushing replaces the remote branch and\n            can erase"
        ),
        "{shown:?}"
    );
    for line in shown.lines() {
        assert!(
            line.chars().count() <= 60,
            "wider than the terminal: {line:?}"
        );
    }
}

/// The second of two parallel prompts gets the whole timeout once it is shown, not what the first
/// one left of it.
#[test]
fn a_waiting_prompt_gets_the_whole_timeout() {
    let test = Test::new()
        .write("a.line", "git push --force origin alpha")
        .write("b.line", "git push --force origin beta")
        .write("rec-alpha/.keep", "")
        .write("rec-beta/.keep", "")
        .env("SHELLGATE_TIMEOUT", "3");
    let work = test.dirs().work.clone();
    let mut pty = test.spawn_pty_sh(TWO_AT_ONCE);
    let pause = std::time::Duration::from_millis(2000);
    pty.expect("Run it? [y/N] (3s)");
    std::thread::sleep(pause);
    pty.send("y\r");
    pty.expect("Run it? [y/N] (3s)");
    // More than 3 s after both started, but within 3 s of the question.
    std::thread::sleep(pause);
    pty.send("y\r");
    let out = pty.finish();
    for name in ["alpha", "beta"] {
        assert!(
            out.transcript.contains(&format!("{name}-status=0")),
            "{:?}",
            out.transcript
        );
        assert!(
            work.join(format!("rec-{name}/argv")).exists(),
            "{name} did not run"
        );
    }
}

/// Killed while it waits for an answer (an agent giving up on the command), shellgate puts the
/// terminal mode back and still dies of the signal, as the killer expects.
#[test]
fn a_signal_during_the_prompt_restores_the_terminal() {
    for signal in [nix::sys::signal::SIGTERM, nix::sys::signal::SIGHUP] {
        let test = Test::new().write("line", FORCE_PUSH);
        let mut pty = test.spawn_pty_sh(
            "stty -g > before; \"$SHELLGATE\" -c \"$(cat line)\" < /dev/null & pid=$!; \
             echo \"pid=$pid.\"; wait $pid; echo \"status=$?.\"; stty -g > after; echo finished",
        );
        pty.expect("pid=");
        let pid: i32 = pty.expect(".").trim().parse().unwrap();
        pty.expect(QUESTION);
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal).unwrap();
        pty.expect("status=");
        let status = pty.expect(".");
        pty.expect("finished");
        let out = pty.finish();
        out.assert_not_run();
        assert_eq!(status, (128 + signal as i32).to_string(), "{signal}");
        let before = std::fs::read_to_string(out.dirs.work.join("before")).unwrap();
        let after = std::fs::read_to_string(out.dirs.work.join("after")).unwrap();
        assert_eq!(
            before, after,
            "terminal mode changed by {signal}: {:?}",
            out.transcript
        );
    }
}
