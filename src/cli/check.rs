//! `shellgate check` (would this line run?) and `shellgate explain` (what would it run, and why
//! is it stopped?). Both run the same pipeline as the guard, minus the gate and exec.

use crate::analyze::{self, Analysis, Context, RedirectKind};
use crate::error::{EXIT_CHECK_ASK, EXIT_CHECK_DENY, Error, Result};
use crate::gate::sanitize;
use crate::policy::{self, Mode, Verdict};
use crate::rules::{Finding, RuleSet};
use serde_json::json;
use std::io::Write;

/// How much of a payload `explain` shows.
const PAYLOAD_SHOWN: usize = 120;

/// The mode and level a verdict is given under.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub mode: Mode,
    pub level: policy::Level,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: Mode::Confirm,
            level: policy::Level::Default,
        }
    }
}

impl Settings {
    /// The same mode and level as the guard in this environment; a bad setting counts as the
    /// strictest reading of it.
    pub fn from_env() -> Settings {
        Settings {
            mode: policy::mode_from_env().unwrap_or(Mode::Deny),
            level: policy::level_from_env().unwrap_or(policy::Level::Strict),
        }
    }
}

/// The analysis of `line` in this process's context, the findings, and the verdict.
fn evaluate(line: &str, settings: Settings) -> (Analysis, Vec<Vec<Finding>>, Verdict) {
    let ctx = Context::from_process();
    let analysis = analyze::analyze(line, &ctx);
    let rules = RuleSet::builtin();
    let per_command: Vec<Vec<Finding>> = analysis
        .commands
        .iter()
        .map(|c| rules.check(c, &ctx))
        .collect();
    let mut findings: Vec<Finding> = per_command.iter().flatten().cloned().collect();
    if settings.level == policy::Level::Strict {
        findings.extend(policy::strict_findings(&analysis));
    }
    let verdict = policy::decide(&analysis, findings, settings.mode);
    (analysis, per_command, verdict)
}

/// The verdict's name and `check`'s exit status for it.
fn verdict_name(verdict: &Verdict) -> (&'static str, i32, &[Finding]) {
    match verdict {
        Verdict::Allow => ("allow", 0, &[]),
        Verdict::Warn(f) => ("warn", 0, f),
        Verdict::Confirm(f) => ("ask", EXIT_CHECK_ASK, f),
        Verdict::Deny(f) => ("deny", EXIT_CHECK_DENY, f),
    }
}

/// `shellgate check [--json] LINE`.
pub fn check(line: &str, json: bool, settings: Settings, out: &mut impl Write) -> Result<i32> {
    let (_, _, verdict) = evaluate(line, settings);
    let (name, code, findings) = verdict_name(&verdict);
    let text = if json {
        let findings: Vec<_> = findings
            .iter()
            .map(|f| {
                json!({
                    "rule_id": f.rule_id,
                    "pack": f.pack,
                    "severity": f.severity.as_str(),
                    "command": f.command,
                    "origin": f.origin,
                    "why": f.why,
                    "safer": f.safer,
                })
            })
            .collect();
        format!("{}\n", json!({ "verdict": name, "findings": findings }))
    } else {
        let mut text = format!("{name}\n");
        for f in findings {
            text.push_str(&finding_lines(f, "  "));
        }
        text
    };
    write_out(out, &text)?;
    Ok(code)
}

fn finding_lines(f: &Finding, indent: &str) -> String {
    format!(
        "{indent}{} ({}, {}): {}\n{indent}  command: {}\n{indent}  origin:  {}\n{indent}  safer:   {}\n",
        f.rule_id,
        f.severity.as_str(),
        f.pack,
        sanitize(&f.why),
        sanitize(&f.command),
        sanitize(&f.origin),
        sanitize(&f.safer)
    )
}

/// `shellgate explain LINE`.
pub fn explain(line: &str, settings: Settings, out: &mut impl Write) -> Result<i32> {
    let (analysis, per_command, verdict) = evaluate(line, settings);
    let mut text = String::new();
    if analysis.commands.is_empty() && analysis.opaque.is_empty() {
        text.push_str("no commands found\n");
    }
    for (n, (cmd, findings)) in analysis.commands.iter().zip(&per_command).enumerate() {
        text.push_str(&format!(
            "command {}: {}\n",
            n + 1,
            sanitize(&cmd.display())
        ));
        if !cmd.origin.is_empty() {
            text.push_str(&format!(
                "  reached via: {}\n",
                sanitize(&cmd.origin_display())
            ));
        }
        if cmd.path != cmd.program {
            text.push_str(&format!(
                "  program:     {} ({})\n",
                sanitize(&cmd.program),
                sanitize(&cmd.path)
            ));
        }
        let args: Vec<String> = cmd
            .args
            .iter()
            .map(|a| {
                let shown = format!("[{}]", sanitize(&a.text));
                if a.dynamic {
                    format!("{shown}(dynamic)")
                } else {
                    shown
                }
            })
            .collect();
        text.push_str(&format!(
            "  args:        {}\n",
            if args.is_empty() {
                "none".to_string()
            } else {
                args.join(" ")
            }
        ));
        for (name, value) in &cmd.assignments {
            text.push_str(&format!(
                "  env:         {}={}\n",
                sanitize(name),
                sanitize(value)
            ));
        }
        for r in &cmd.redirects {
            let fd = r.fd.map(|fd| fd.to_string()).unwrap_or_default();
            let op = match r.kind {
                RedirectKind::Read => "<",
                RedirectKind::Write => ">",
                RedirectKind::Append => ">>",
                RedirectKind::Clobber => ">|",
                RedirectKind::ReadWrite => "<>",
                RedirectKind::Duplicate => ">&",
            };
            text.push_str(&format!(
                "  redirect:    {fd}{op} {}\n",
                sanitize(&r.target.text)
            ));
        }
        if let Some(from) = &cmd.piped_from {
            text.push_str(&format!("  stdin from:  {}\n", sanitize(from)));
        }
        for p in &cmd.payloads {
            let from = match &p.source {
                analyze::PayloadSource::Stdin => "stdin".to_string(),
                analyze::PayloadSource::Option(name) => name.clone(),
                analyze::PayloadSource::Operand => "operand".to_string(),
                analyze::PayloadSource::File(path) => path.display().to_string(),
            };
            text.push_str(&format!(
                "  payload ({}): {}\n",
                sanitize(&from),
                shorten(&p.text)
            ));
        }
        if findings.is_empty() {
            text.push_str("  no rule matched\n");
        }
        for f in findings {
            text.push_str(&format!(
                "  matched: {} ({}, {}): {}\n    safer: {}\n",
                f.rule_id,
                f.severity.as_str(),
                f.pack,
                sanitize(&f.why),
                sanitize(&f.safer)
            ));
        }
    }
    for o in &analysis.opaque {
        let origin = if o.origin.is_empty() {
            "top level".to_string()
        } else {
            o.origin.join(" → ")
        };
        text.push_str(&format!(
            "cannot see through: {}\n  reason: {}\n  reached via: {}\n",
            sanitize(&o.snippet),
            sanitize(&o.reason),
            sanitize(&origin)
        ));
    }
    let (name, _, _) = verdict_name(&verdict);
    text.push_str(&format!("verdict: {name}\n"));
    write_out(out, &text)?;
    Ok(0)
}

/// A payload on one line, cut to [`PAYLOAD_SHOWN`] characters.
fn shorten(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = flat.chars().take(PAYLOAD_SHOWN).collect();
    let cut = if cut.len() < flat.len() {
        format!("{cut}…")
    } else {
        cut
    };
    sanitize(&cut)
}

pub(super) fn write_out(out: &mut impl Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes()).map_err(|source| Error::Io {
        path: "<stdout>".into(),
        source,
    })
}
