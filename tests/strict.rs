//! The strict level (`SHELLGATE_LEVEL=strict`): every command not known to only read needs a
//! human, while reading commands still run without asking.

use crate::test::{SHELLGATE, Test};
use shellgate::error::{EXIT_CONFIG, EXIT_NEEDS_APPROVAL};

fn strict() -> Test {
    Test::new().env("SHELLGATE_LEVEL", "strict")
}

#[test]
fn reading_commands_run_without_asking() {
    for line in [
        "ls -la && git status",
        "grep -rn TODO . | head -5",
        "git log --oneline -3",
    ] {
        let out = strict().args(["-c", line]).run();
        assert_eq!(
            out.recorded().argv,
            [SHELLGATE, "-c", line],
            "{line}: {}",
            out.stderr
        );
    }
}

#[test]
fn any_change_of_state_needs_a_human() {
    for line in [
        "touch notes.txt",
        "echo hi > notes.txt",
        "ls && mkdir build",
        "git commit -am wip",
    ] {
        let out = strict().args(["-c", line]).run();
        out.assert_not_run();
        assert_eq!(out.status, EXIT_NEEDS_APPROVAL, "{line}: {}", out.stderr);
        assert!(
            out.stderr.contains("strict-not-read-only"),
            "{line}: {}",
            out.stderr
        );
    }
}

#[test]
fn the_default_level_lets_ordinary_writes_run() {
    let out = Test::new().args(["-c", "touch notes.txt"]).run();
    assert_eq!(out.recorded().argv, [SHELLGATE, "-c", "touch notes.txt"]);
}

#[test]
fn an_unknown_level_is_a_one_line_error() {
    let out = Test::new()
        .env("SHELLGATE_LEVEL", "paranoid")
        .args(["-c", "ls"])
        .run();
    out.assert_not_run();
    assert_eq!(out.status, EXIT_CONFIG);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("SHELLGATE_LEVEL=paranoid"),
        "{}",
        out.stderr
    );
}
