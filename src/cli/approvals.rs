//! `shellgate pending`, `approve ID`, `deny ID`: a human answers requests left by agents that
//! had no terminal. Refused from inside a guarded shell and without a real terminal, so an
//! agent cannot approve its own commands.

use crate::error::{Error, Result};
use crate::gate::approvals::{APPROVAL_TTL, Request, Store};
use crate::gate::prompt::{self, Decision};
use crate::gate::sanitize;
use crate::rules::Finding;
use std::io::Write;

/// `shellgate pending`: the table of requests waiting for a human.
pub fn pending(out: &mut impl Write) -> Result<i32> {
    let requests = Store::open().pending();
    if requests.is_empty() {
        let _ = writeln!(out, "no pending requests");
        return Ok(0);
    }
    let _ = writeln!(
        out,
        "{:<8} {:>6}  {:<28} {:<24} COMMAND",
        "ID", "AGE", "DIRECTORY", "RULE"
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    for r in &requests {
        let age = now.saturating_sub(r.created);
        let age = if age < 120 {
            format!("{age}s")
        } else {
            format!("{}m", age / 60)
        };
        for (i, f) in r.findings.iter().enumerate() {
            let (id, age, dir) = if i == 0 {
                (r.id.as_str(), age.as_str(), r.cwd.as_str())
            } else {
                ("", "", "")
            };
            let _ = writeln!(
                out,
                "{:<8} {:>6}  {:<28} {:<24} {}",
                id,
                age,
                shorten(&sanitize(dir), 28),
                f.rule_id,
                shorten(&sanitize(&f.command), 80)
            );
        }
    }
    let _ = writeln!(
        out,
        "approve one with `shellgate approve ID`, refuse it with `shellgate deny ID`"
    );
    Ok(0)
}

/// `shellgate approve ID`: the same prompt (and challenge) as at the terminal, then a one-time
/// approval for the agent's retry.
pub fn approve(id: &str, out: &mut impl Write) -> Result<i32> {
    refuse_inside_guarded_shell("approve")?;
    let store = Store::open();
    let request = find(&store, id)?;
    let findings: Vec<Finding> = request.findings.clone();
    let timeout = crate::policy::prompt_timeout()?;
    match prompt::confirm_then(&findings, &request.line, timeout, "approved.") {
        Decision::Approved => {
            store.approve(request)?;
            let _ = writeln!(
                out,
                "approved {id}: the agent may run the same command once, in the same directory, within {} minutes",
                APPROVAL_TTL.as_secs() / 60
            );
            Ok(0)
        }
        Decision::NoTerminal => Err(Error::Usage(
            "approve needs a terminal: run it in your own terminal, not from a script or an agent"
                .to_string(),
        )),
        Decision::Refused | Decision::TimedOut => {
            store.remove_pending(id);
            let _ = writeln!(out, "not approved: request {id} is refused and removed");
            Ok(crate::error::EXIT_REFUSED)
        }
    }
}

/// `shellgate deny ID`: drop the request.
pub fn deny(id: &str, out: &mut impl Write) -> Result<i32> {
    refuse_inside_guarded_shell("deny")?;
    let store = Store::open();
    let request = find(&store, id)?;
    store.remove_pending(&request.id);
    let _ = writeln!(out, "refused and removed request {id}");
    Ok(0)
}

fn find(store: &Store, id: &str) -> Result<Request> {
    store.find_pending(id).ok_or_else(|| {
        let ids: Vec<String> = store.pending().into_iter().map(|r| r.id).collect();
        let known = if ids.is_empty() {
            "there are none".to_string()
        } else {
            format!("pending: {}", ids.join(", "))
        };
        Error::Usage(format!(
            "no pending request `{}` ({known}); see `shellgate pending`",
            sanitize(id)
        ))
    })
}

/// Approving from a shell that shellgate guards would let an agent approve itself.
fn refuse_inside_guarded_shell(what: &str) -> Result<()> {
    let depth: u32 = std::env::var(crate::exec::DEPTH_VAR)
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    if depth > 0 {
        return Err(Error::Usage(format!(
            "`shellgate {what}` is refused inside a shell that shellgate guards; run it in your own terminal"
        )));
    }
    Ok(())
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}
