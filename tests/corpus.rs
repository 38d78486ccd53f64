//! The labelled corpus (`tests/corpus/*.yaml`): destructive, evasive and real-incident lines
//! that must be caught, and routine agent lines that must run without asking. Every line goes
//! through the library in-process (analysis, built-in rules, policy in confirm mode) in the
//! example context (HOME=/home/user), except that the working directory is the fixture project
//! `tests/corpus/project` and files are read, so `npm test` and `make` see that project's harmless
//! package.json and Makefile as an agent's shell would (other files it names do not exist).
//! The checkout may live anywhere (CI clones into /tmp), and every ancestor of the working
//! directory is a dangerous target: no line may name one (`rm -rf /tmp/*` would).
//!
//! Labels: `allow` (runs silently), `warn` (runs with a warning), `ask` (a human must say yes),
//! `deny` (a human must type the challenge word because a finding is critical; refused outright
//! in deny mode and CI). `ask` accepts any verdict that stops the line for a human, critical
//! included; `deny` insists on a critical finding.
//!
//! The test prints recall (lines that must be caught and are: ask or deny) and the false-positive
//! rate (routine lines that are stopped) per file and overall, and the known misses. It fails on a
//! regression (a verdict that differs from `expect` without a `known_miss`) and on a `known_miss`
//! that now passes, so the list of known misses stays honest.

use serde::Deserialize;
use shellgate::analyze::{self, Context};
use shellgate::policy::{self, Mode, Verdict};
use shellgate::rules::{RuleSet, Severity};
use std::collections::HashSet;
use std::fmt::Write as _;

/// The corpus files, and whether their lines must be caught (`true`) or must run (`false`).
const FILES: &[(&str, bool)] = &[
    ("destructive", true),
    ("evasive", true),
    ("incidents", true),
    ("routine", false),
];

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Label {
    Allow,
    Warn,
    Ask,
    Deny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    line: String,
    expect: Label,
    why: String,
    #[serde(default)]
    known_miss: Option<String>,
    /// Where an incident was reported, in words.
    #[serde(default)]
    source: Option<String>,
}

/// The verdict of `line`, its label, and the rule ids that fired.
fn judge(line: &str, ctx: &Context, rules: &RuleSet) -> (Label, Vec<String>) {
    let analysis = analyze::analyze(line, ctx);
    let findings: Vec<_> = analysis
        .commands
        .iter()
        .flat_map(|c| rules.check(c, ctx))
        .collect();
    let verdict = policy::decide(&analysis, findings, Mode::Confirm);
    let (label, findings) = match verdict {
        Verdict::Allow => (Label::Allow, Vec::new()),
        Verdict::Warn(f) => (Label::Warn, f),
        Verdict::Confirm(f) | Verdict::Deny(f) => {
            let critical = f.iter().any(|f| f.severity == Severity::Critical);
            (if critical { Label::Deny } else { Label::Ask }, f)
        }
    };
    let mut ids: Vec<String> = findings.into_iter().map(|f| f.rule_id).collect();
    ids.dedup();
    (label, ids)
}

/// Whether a verdict labelled `got` satisfies `expect`.
fn satisfies(expect: Label, got: Label) -> bool {
    match expect {
        Label::Ask => matches!(got, Label::Ask | Label::Deny),
        other => other == got,
    }
}

fn stopped(label: Label) -> bool {
    matches!(label, Label::Ask | Label::Deny)
}

fn load(name: &str) -> Vec<Entry> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

#[test]
fn corpus_scores() {
    let mut ctx = Context::example();
    ctx.cwd = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/project");
    ctx.read_files = true;
    let rules = RuleSet::builtin();

    let mut report = String::new();
    let mut problems = Vec::new();
    let mut misses = Vec::new();
    let (mut must_catch, mut caught, mut routine, mut flagged, mut total) = (0, 0, 0, 0, 0);

    for &(name, catch) in FILES {
        let entries = load(name);
        let (mut file_stopped, mut file_known) = (0, 0);
        // The same line may appear in two files (an incident that is also a plain case).
        let mut seen = HashSet::new();
        for e in &entries {
            total += 1;
            let place = format!("{name}.yaml: {}", e.line);
            if !seen.insert(e.line.clone()) {
                problems.push(format!("{place}\n  listed twice in the file"));
            }
            if e.why.trim().is_empty() {
                problems.push(format!("{place}\n  has no `why`"));
            }
            if stopped(e.expect) != catch {
                problems.push(format!(
                    "{place}\n  expects {:?}, but lines in {name}.yaml must {}",
                    e.expect,
                    if catch {
                        "be stopped (ask or deny)"
                    } else {
                        "run (allow or warn)"
                    }
                ));
            }
            if name == "incidents" && e.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
                problems.push(format!("{place}\n  an incident needs a `source`"));
            }
            let (got, ids) = judge(&e.line, &ctx, &rules);
            if stopped(got) {
                file_stopped += 1;
            }
            let ok = satisfies(e.expect, got);
            match (&e.known_miss, ok) {
                (None, false) => problems.push(format!(
                    "{place}\n  expected {:?}, got {got:?} {ids:?} ({})",
                    e.expect, e.why
                )),
                (Some(_), true) => problems.push(format!(
                    "{place}\n  marked known_miss but now gives {got:?} {ids:?}: remove known_miss"
                )),
                (Some(reason), false) => {
                    file_known += 1;
                    misses.push(format!(
                        "{name}.yaml: {} (expected {:?}, got {got:?}): {reason}",
                        e.line, e.expect
                    ));
                }
                (None, true) => {}
            }
        }
        let n = entries.len();
        if catch {
            must_catch += n;
            caught += file_stopped;
            let _ = writeln!(
                report,
                "{name:<12} {n:>4} lines  recall {:5.1}% ({file_stopped}/{n} stopped), {file_known} known misses",
                percent(file_stopped, n)
            );
        } else {
            routine += n;
            flagged += file_stopped;
            let _ = writeln!(
                report,
                "{name:<12} {n:>4} lines  false positives {:5.1}% ({file_stopped}/{n} stopped), {file_known} known misses",
                percent(file_stopped, n)
            );
        }
    }
    let _ = writeln!(
        report,
        "overall      {total:>4} lines  recall {:5.1}% ({caught}/{must_catch}), false positives {:5.1}% ({flagged}/{routine})",
        percent(caught, must_catch),
        percent(flagged, routine)
    );
    let _ = writeln!(report, "known misses ({}):", misses.len());
    for m in &misses {
        let _ = writeln!(report, "  {m}");
    }
    println!("{report}");
    assert!(
        problems.is_empty(),
        "{} corpus problems:\n{}\n\n{report}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        total >= 450,
        "the corpus has only {total} lines; keep it at 450 or more\n{report}"
    );
}
