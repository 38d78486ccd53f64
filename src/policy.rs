//! The policy stage: from findings to one verdict (deny > confirm > warn > allow).

use crate::analyze::Analysis;
use crate::rules::{Finding, Severity};

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
