//! The policy stage: from findings to one verdict (deny > confirm > warn > allow).

mod readonly;

use crate::analyze::Analysis;
use crate::error::{Error, Result};
use crate::rules::{Finding, Severity};
use std::time::Duration;

/// How shellgate treats findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A human at the terminal decides (falls back to `Deny` when nobody can be asked).
    Confirm,
    /// Never run a finding of medium severity or more.
    Deny,
}

/// What happens to the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing found: run.
    Allow,
    /// Only low-severity findings: warn on stderr and run.
    Warn(Vec<Finding>),
    /// Needs a human's yes.
    Confirm(Vec<Finding>),
    /// Refused.
    Deny(Vec<Finding>),
}

/// How much needs a human: the destructive rules only, or every command that is not known to
/// only read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Default,
    Strict,
}

/// The rule id of a strict-level finding.
pub const STRICT_RULE: &str = "strict-not-read-only";

/// `SHELLGATE_LEVEL=strict` (tightening, so the environment may choose it).
pub fn level_from_env() -> Result<Level> {
    match std::env::var("SHELLGATE_LEVEL").ok().as_deref() {
        None | Some("") | Some("default") => Ok(Level::Default),
        Some("strict") => Ok(Level::Strict),
        Some(other) => Err(Error::Config {
            setting: format!("SHELLGATE_LEVEL={other}"),
            problem: "is neither `default` nor `strict`".to_string(),
            fix: "set SHELLGATE_LEVEL=strict or unset it".to_string(),
        }),
    }
}

/// At the strict level, one finding for every command that is not known to only read.
pub fn strict_findings(analysis: &Analysis) -> Vec<Finding> {
    analysis
        .commands
        .iter()
        .filter(|c| !readonly::is_read_only(c))
        .map(|c| Finding {
            rule_id: STRICT_RULE.to_string(),
            pack: "strict".to_string(),
            severity: Severity::Medium,
            why: "the strict level asks before any command that is not known to only read"
                .to_string(),
            safer:
                "read-only commands (ls, cat, git status/log/diff, grep, ...) run without asking"
                    .to_string(),
            command: c.display(),
            origin: c.origin_display(),
        })
        .collect()
}

/// How long a prompt waits for an answer unless `SHELLGATE_TIMEOUT` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The mode in force: `SHELLGATE_MODE` may only tighten (`deny`), and `CI` means deny.
/// Loosening (`audit`) will be a config-file setting, never an environment variable, because
/// the agent controls its own environment.
pub fn mode_from_env() -> Result<Mode> {
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    let requested = match std::env::var("SHELLGATE_MODE").ok().as_deref() {
        None | Some("") | Some("confirm") => Mode::Confirm,
        Some("deny") => Mode::Deny,
        Some(other) => {
            return Err(Error::Config {
                setting: format!("SHELLGATE_MODE={other}"),
                problem: "the environment may only choose `confirm` or `deny`".to_string(),
                fix: "unset it, or set SHELLGATE_MODE=deny".to_string(),
            });
        }
    };
    Ok(if ci { Mode::Deny } else { requested })
}

/// How long the prompt waits: `SHELLGATE_TIMEOUT` seconds (1 to 3600), else 60.
pub fn prompt_timeout() -> Result<Duration> {
    match std::env::var("SHELLGATE_TIMEOUT") {
        Err(_) => Ok(DEFAULT_TIMEOUT),
        Ok(v) => match v.parse::<u64>() {
            Ok(n @ 1..=3600) => Ok(Duration::from_secs(n)),
            _ => Err(Error::Config {
                setting: format!("SHELLGATE_TIMEOUT={v}"),
                problem: "is not a number of seconds from 1 to 3600".to_string(),
                fix: "set it to e.g. 60, or unset it".to_string(),
            }),
        },
    }
}

/// The rule id given to anything the analyzer could not see through.
pub const OPAQUE_RULE: &str = "analysis-opaque";

/// Turn the analysis and the rule findings into one verdict under `mode`.
pub fn decide(analysis: &Analysis, mut findings: Vec<Finding>, mode: Mode) -> Verdict {
    for opaque in &analysis.opaque {
        let mut origin = opaque.origin.join(" → ");
        if origin.is_empty() {
            origin = "top level".to_string();
        }
        findings.push(Finding {
            rule_id: OPAQUE_RULE.to_string(),
            pack: "analysis".to_string(),
            severity: Severity::High,
            why: format!("shellgate cannot see what this runs: {}", opaque.reason),
            safer: "write the command out literally so it can be checked".to_string(),
            command: opaque.snippet.clone(),
            origin,
        });
    }
    let worst = findings.iter().map(|f| f.severity).max();
    match worst {
        None => Verdict::Allow,
        Some(Severity::Low) => Verdict::Warn(findings),
        Some(_) if mode == Mode::Deny => Verdict::Deny(findings),
        Some(_) => Verdict::Confirm(findings),
    }
}
