//! Out-of-band approval, for agents with no terminal: the refused line leaves a pending request;
//! a human lists it (`shellgate pending`) and approves it in their own terminal
//! (`shellgate approve ID`); the agent's retry of the same line, in the same directory, runs once.
//! Everything else is refused: a second retry, another directory, a changed argument, an expired
//! approval, an approval attempted from inside a guarded shell or without a terminal.
//!
//! The real shell is the recorder and `HOME` (which holds the approval store) is a temporary
//! directory.

use crate::test::{Dirs, Output, SHELLGATE, Test};
use shellgate::error::{EXIT_BLOCKED, EXIT_NEEDS_APPROVAL, EXIT_REFUSED, EXIT_USAGE};

const LINE: &str = "git push --force origin main";

/// Run `line` with no terminal (as agents do) in `dirs`.
fn agent(dirs: Dirs, line: &str) -> Output {
    Test::with_dirs(dirs).args(["-c", line]).run()
}

/// The agent's line is refused for want of a terminal; returns the request id it was told.
#[track_caller]
fn needs_approval(out: &Output) -> String {
    out.assert_not_run();
    assert_eq!(out.status, EXIT_NEEDS_APPROVAL, "stderr: {}", out.stderr);
    let at = out
        .stderr
        .find("`shellgate approve ")
        .unwrap_or_else(|| panic!("no `shellgate approve ID` in: {}", out.stderr));
    let id: String = out.stderr[at + "`shellgate approve ".len()..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    assert!(!id.is_empty(), "no id in: {}", out.stderr);
    id
}

/// A pending request for [`LINE`]: its directories and id.
fn pending_request() -> (Dirs, String) {
    let out = Test::new().args(["-c", LINE]).run();
    let id = needs_approval(&out);
    (out.into_dirs(), id)
}

/// `shellgate approve ID` in a terminal, answered with `keys`; returns the directories, the
/// status and what the terminal showed.
fn approve(dirs: Dirs, id: &str, keys: &str) -> (Dirs, i32, String) {
    let mut pty = Test::with_dirs(dirs).args(["approve", id]).spawn_pty();
    pty.expect("Run it? [y/N]");
    pty.send(keys);
    let out = pty.finish();
    (out.dirs, out.status, out.transcript)
}

/// An approved request for [`LINE`].
fn approved_request() -> (Dirs, String) {
    let (dirs, id) = pending_request();
    let (dirs, status, shown) = approve(dirs, &id, "y\r");
    assert_eq!(status, 0, "{shown:?}");
    (dirs, id)
}

/// The retry ran: the recorder got the line, and the agent was told an approval was used.
#[track_caller]
fn ran_with_approval(out: &Output, id: &str) {
    assert_eq!(
        out.recorded().argv,
        [SHELLGATE, "-c", LINE],
        "stderr: {}",
        out.stderr
    );
    assert_eq!(out.status, 0);
    assert!(
        out.stderr.contains(&format!("running with approval {id}")),
        "stderr: {}",
        out.stderr
    );
}

fn pending_list(dirs: Dirs) -> (Dirs, String) {
    let out = Test::with_dirs(dirs).arg("pending").run();
    assert_eq!(out.status, 0, "stderr: {}", out.stderr);
    let stdout = out.stdout.clone();
    (out.into_dirs(), stdout)
}

#[test]
fn without_a_terminal_the_line_waits_for_approval() {
    let out = Test::new().args(["-c", LINE]).run();
    let id = needs_approval(&out);
    assert!(
        out.stderr.contains("shellgate: blocked: git-push-force: "),
        "stderr: {}",
        out.stderr
    );
    let (_, list) = pending_list(out.into_dirs());
    let row = list
        .lines()
        .find(|row| row.starts_with(&id))
        .unwrap_or_else(|| panic!("`pending` does not list {id}: {list}"));
    assert!(row.contains("git-push-force"), "{row}");
    assert!(row.contains(LINE), "{row}");
}

/// The agent's own standard input is not the human's terminal: a `y` there approves nothing.
#[test]
fn a_yes_on_standard_input_is_not_an_answer() {
    let out = Test::new().args(["-c", LINE]).stdin("y\ny\n").run();
    needs_approval(&out);
    assert!(!out.stderr.contains("Run it?"), "{}", out.stderr);
}

#[test]
fn the_same_line_asked_again_is_one_request() {
    let (dirs, id) = pending_request();
    let again = needs_approval(&agent(dirs, LINE));
    assert_eq!(again, id);
}

#[test]
fn an_approved_line_runs_once() {
    let (dirs, id) = pending_request();
    let (dirs, status, shown) = approve(dirs, &id, "y\r");
    assert_eq!(status, 0, "{shown:?}");
    // The human sees the same details as at the prompt.
    assert!(
        shown.contains("command:  git push --force origin main"),
        "{shown:?}"
    );
    assert!(shown.contains("git-push-force (high)"), "{shown:?}");
    assert!(shown.contains(&format!("approved {id}")), "{shown:?}");
    assert!(
        !shown.contains("running it"),
        "approve runs nothing: {shown:?}"
    );
    let (dirs, list) = pending_list(dirs);
    assert!(!list.contains(&id), "still pending after approval: {list}");

    let first = agent(dirs, LINE);
    ran_with_approval(&first, &id);
    let second = agent(first.into_dirs(), LINE);
    needs_approval(&second);
}

#[test]
fn refusing_at_approve_removes_the_request() {
    let (dirs, id) = pending_request();
    let (dirs, status, shown) = approve(dirs, &id, "\r");
    assert_eq!(status, EXIT_REFUSED, "{shown:?}");
    let (dirs, list) = pending_list(dirs);
    assert!(!list.contains(&id), "{list}");
    needs_approval(&agent(dirs, LINE));
}

#[test]
fn an_approval_is_bound_to_the_directory() {
    let (dirs, id) = approved_request();
    let elsewhere = Test::with_dirs(dirs)
        .args(["-c", LINE])
        .current_dir("sub")
        .run();
    needs_approval(&elsewhere);
    // Refused elsewhere, the approval is still there for the directory it was given for.
    ran_with_approval(&agent(elsewhere.into_dirs(), LINE), &id);
}

#[test]
fn an_approval_is_bound_to_the_arguments() {
    let (dirs, id) = approved_request();
    let changed = agent(dirs, "git push --force origin dev");
    needs_approval(&changed);
    let added = agent(
        changed.into_dirs(),
        "git push --force origin main; git push --force",
    );
    needs_approval(&added);
    ran_with_approval(&agent(added.into_dirs(), LINE), &id);
}

#[test]
fn an_expired_approval_is_refused() {
    let (dirs, id) = approved_request();
    let path = dirs.state().join("approved").join(format!("{id}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut stored: serde_json::Value = serde_json::from_str(&text).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(stored["expires"].as_u64().unwrap() > now);
    stored["expires"] = serde_json::json!(now - 1);
    std::fs::write(&path, stored.to_string()).unwrap();
    needs_approval(&agent(dirs, LINE));
}

#[test]
fn approve_inside_a_guarded_shell_is_refused() {
    let (dirs, id) = pending_request();
    let mut pty = Test::with_dirs(dirs)
        .args(["approve", &id])
        .env("SHELLGATE_DEPTH", "1")
        .spawn_pty();
    pty.expect("is refused inside a shell that shellgate guards");
    let out = pty.finish();
    assert_eq!(out.status, EXIT_USAGE, "{:?}", out.transcript);
    assert!(!out.transcript.contains("Run it?"), "{:?}", out.transcript);
    let (dirs, list) = pending_list(out.dirs);
    assert!(list.contains(&id), "the request should still wait: {list}");
    needs_approval(&agent(dirs, LINE));

    let (_, id) = pending_request();
    let deny = Test::new()
        .args(["deny", &id])
        .env("SHELLGATE_DEPTH", "1")
        .run();
    assert_eq!(deny.status, EXIT_USAGE);
    assert!(
        deny.stderr.contains("refused inside a shell"),
        "{}",
        deny.stderr
    );
}

#[test]
fn approve_without_a_terminal_is_refused() {
    let (dirs, id) = pending_request();
    let out = Test::with_dirs(dirs).args(["approve", &id]).run();
    assert_eq!(out.status, EXIT_USAGE, "stderr: {}", out.stderr);
    assert!(
        out.stderr.contains("approve needs a terminal"),
        "{}",
        out.stderr
    );
    let (dirs, list) = pending_list(out.into_dirs());
    assert!(list.contains(&id), "{list}");
    needs_approval(&agent(dirs, LINE));
}

#[test]
fn deny_removes_the_request() {
    let (dirs, id) = pending_request();
    let out = Test::with_dirs(dirs).args(["deny", &id]).run();
    assert_eq!(out.status, 0, "stderr: {}", out.stderr);
    assert!(out.stdout.contains(&id), "{}", out.stdout);
    let (dirs, list) = pending_list(out.into_dirs());
    assert_eq!(list, "no pending requests\n");
    let retry = agent(dirs, LINE);
    let new_id = needs_approval(&retry);
    assert_ne!(
        new_id, id,
        "a denied request must not come back under its id"
    );
}

#[test]
fn an_unknown_id_lists_the_pending_ones() {
    let (dirs, id) = pending_request();
    for sub in ["approve", "deny"] {
        let out = Test::new().args([sub, "zzzzzz"]).run();
        assert_eq!(out.status, EXIT_USAGE);
        assert!(out.stderr.contains("there are none"), "{}", out.stderr);
    }
    let out = Test::with_dirs(dirs).args(["approve", "zzzzzz"]).run();
    assert_eq!(out.status, EXIT_USAGE);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("zzzzzz"), "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("pending: {id}")),
        "{}",
        out.stderr
    );
}

#[test]
fn deny_mode_leaves_no_request() {
    for (key, value) in [("CI", "true"), ("SHELLGATE_MODE", "deny")] {
        let out = Test::new().args(["-c", LINE]).env(key, value).run();
        out.assert_not_run();
        assert_eq!(out.status, EXIT_BLOCKED, "{key}={value}: {}", out.stderr);
        assert!(!out.stderr.contains("shellgate approve"), "{}", out.stderr);
        let dirs = out.into_dirs();
        let pending = dirs.state().join("pending");
        let left = std::fs::read_dir(&pending).map_or(0, |d| d.count());
        assert_eq!(left, 0, "{key}={value} left a pending request");
        let (_, list) = pending_list(dirs);
        assert_eq!(list, "no pending requests\n");
    }
}

/// Approving a critical line asks for the typed name, as at the terminal: `y` is not enough.
#[test]
fn approving_a_critical_line_needs_the_typed_name() {
    const CRITICAL: &str = "rm -rf ~";
    for (answer, approved) in [("y", false), ("HOME", true)] {
        let out = Test::new().args(["-c", CRITICAL]).run();
        let id = needs_approval(&out);
        let dirs = out.into_dirs();
        let home = dirs.home.display().to_string();
        let mut pty = Test::with_dirs(dirs).args(["approve", &id]).spawn_pty();
        pty.expect(&format!("Type {home} to run it"));
        pty.send(&format!("{}\r", answer.replace("HOME", &home)));
        let out = pty.finish();
        let retry = agent(out.dirs, CRITICAL);
        if approved {
            assert_eq!(out.status, 0, "{:?}", out.transcript);
            assert_eq!(
                retry.recorded().argv,
                [SHELLGATE, "-c", CRITICAL],
                "stderr: {}",
                retry.stderr
            );
        } else {
            assert_eq!(out.status, EXIT_REFUSED, "{:?}", out.transcript);
            needs_approval(&retry);
        }
    }
}

/// Agents wrap each line in a snapshot and a temporary file whose name changes on every run: the
/// approval is for the flagged command in this directory, so the wrapped retry still uses it.
#[test]
fn an_approval_survives_the_agents_changing_wrapper() {
    let wrapped = |n: u32| {
        format!("eval 'git push --force origin main' < /dev/null && pwd -P >| /tmp/agent-{n}-cwd")
    };
    let out = Test::new().args(["-c", &wrapped(1)]).run();
    let id = needs_approval(&out);
    let (dirs, status, shown) = approve(out.into_dirs(), &id, "y\r");
    assert_eq!(status, 0, "{shown:?}");
    let retry = agent(dirs, &wrapped(2));
    assert_eq!(
        retry.recorded().argv,
        [SHELLGATE, "-c", wrapped(2).as_str()],
        "stderr: {}",
        retry.stderr
    );
    assert!(
        retry
            .stderr
            .contains(&format!("running with approval {id}"))
    );
    needs_approval(&agent(retry.into_dirs(), &wrapped(3)));
}
