//! `shellgate rules list|show|test|docs`: the rule packs as a person reads and tests them.

use super::check::write_out;
use super::did_you_mean;
use crate::error::{Error, Result};
use crate::gate::sanitize;
use crate::rules::{PACKS, RuleSet, docs, examples};
use std::io::Write;
use std::path::PathBuf;

/// `rules list [--pack P]`: an aligned table of id, severity, pack, why.
pub fn list(pack: Option<&str>, out: &mut impl Write) -> Result<i32> {
    if let Some(pack) = pack
        && !PACKS.iter().any(|(name, _)| *name == pack)
    {
        let names: Vec<&str> = PACKS.iter().map(|p| p.0).collect();
        return Err(Error::Usage(format!(
            "no pack `{pack}`{}; packs: {}",
            did_you_mean(pack, names.iter().copied()),
            names.join(", ")
        )));
    }
    let set = RuleSet::builtin();
    let rules: Vec<_> = set
        .all_rules()
        .into_iter()
        .filter(|r| pack.is_none_or(|p| r.pack == p))
        .collect();
    let id_width = rules
        .iter()
        .map(|r| r.raw.id.len())
        .max()
        .unwrap_or(2)
        .max(2);
    let pack_width = rules.iter().map(|r| r.pack.len()).max().unwrap_or(4).max(4);
    let mut text = format!(
        "{:id_width$}  {:8}  {:pack_width$}  WHY\n",
        "ID", "SEVERITY", "PACK"
    );
    for r in rules {
        text.push_str(&format!(
            "{:id_width$}  {:8}  {:pack_width$}  {}\n",
            r.raw.id,
            r.raw.severity.as_str(),
            r.pack,
            r.raw.why.trim()
        ));
    }
    write_out(out, &text)?;
    Ok(0)
}

/// `rules show ID`: the rule as YAML, examples included.
pub fn show(id: &str, out: &mut impl Write) -> Result<i32> {
    let set = RuleSet::builtin();
    let rules = set.all_rules();
    let Some(rule) = rules.iter().find(|r| r.raw.id == id) else {
        return Err(Error::Usage(format!(
            "no rule `{}`{}; `shellgate rules list` shows them all",
            sanitize(id),
            did_you_mean(id, rules.iter().map(|r| r.raw.id.as_str()))
        )));
    };
    let yaml = serde_yaml_ng::to_string(&rule.raw)
        .map_err(|e| Error::Internal(format!("cannot print rule {id}: {e}")))?;
    write_out(out, &format!("# pack: {}\n{yaml}", rule.pack))?;
    Ok(0)
}

/// `rules test [FILE...]`: every example through the full pipeline; non-zero on any failure.
pub fn test(files: &[PathBuf], out: &mut impl Write) -> Result<i32> {
    let set = if files.is_empty() {
        RuleSet::builtin()
    } else {
        RuleSet::from_files(files)?
    };
    let report = examples::run(&set);
    let mut text = String::new();
    for f in &report.failed {
        text.push_str(&format!(
            "{}: {} ({}): {}\n",
            f.failure,
            f.rule_id,
            f.pack,
            sanitize(&f.example)
        ));
    }
    text.push_str(&report.summary());
    text.push('\n');
    write_out(out, &text)?;
    Ok(if report.failed.is_empty() { 0 } else { 1 })
}

/// `rules docs`: the Markdown of `docs/rules.md`.
pub fn docs(out: &mut impl Write) -> Result<i32> {
    write_out(out, &docs::render(&RuleSet::builtin()))?;
    Ok(0)
}
