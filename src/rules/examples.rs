//! Rule tests: every example of every rule run through the full pipeline (analysis in the fixed
//! example context, then the whole rule set), as `shellgate rules test` and the test suite do.

use super::RuleSet;
use crate::analyze::{self, Context};
use std::fmt;

/// How an example failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// A `match` example the rule did not catch.
    Missed,
    /// A `no_match` example the rule caught.
    Noisy,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Failure::Missed => "missed",
            Failure::Noisy => "noisy",
        })
    }
}

/// One failed example.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failed {
    pub rule_id: String,
    pub pack: String,
    pub failure: Failure,
    pub example: String,
}

/// The outcome of running every example of a rule set.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub rules: usize,
    pub examples: usize,
    pub failed: Vec<Failed>,
}

impl Report {
    pub fn passed(&self) -> usize {
        self.examples - self.failed.len()
    }

    /// `N rules, N examples: N passed, N failed`.
    pub fn summary(&self) -> String {
        format!(
            "{} rules, {} examples: {} passed, {} failed",
            self.rules,
            self.examples,
            self.passed(),
            self.failed.len()
        )
    }
}

/// Run every example of every rule in `set`.
pub fn run(set: &RuleSet) -> Report {
    let ctx = Context::example();
    let mut report = Report::default();
    for rule in set.all_rules() {
        report.rules += 1;
        let cases = rule.raw.examples.matches.iter().map(|e| (e, true));
        let cases = cases.chain(rule.raw.examples.no_match.iter().map(|e| (e, false)));
        for (example, should_match) in cases {
            report.examples += 1;
            let analysis = analyze::analyze(example, &ctx);
            let caught = analysis.commands.iter().any(|cmd| {
                set.check(cmd, &ctx)
                    .iter()
                    .any(|f| f.rule_id == rule.raw.id)
            });
            if caught != should_match {
                report.failed.push(Failed {
                    rule_id: rule.raw.id.clone(),
                    pack: rule.pack.clone(),
                    failure: if should_match {
                        Failure::Missed
                    } else {
                        Failure::Noisy
                    },
                    example: example.clone(),
                });
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_of_every_builtin_rule_passes() {
        let report = run(&RuleSet::builtin());
        let failures: Vec<String> = report
            .failed
            .iter()
            .map(|f| format!("{}: {} ({}): {}", f.failure, f.rule_id, f.pack, f.example))
            .collect();
        assert!(
            failures.is_empty(),
            "{}\n{}",
            failures.join("\n"),
            report.summary()
        );
        assert!(report.examples >= 4 * report.rules);
    }
}
