//! Table-driven tests of the analyzer: `tests/data/analysis.yaml` lists lines and the commands
//! (with origin paths) that must be found in them.

use super::{Analysis, Context, analyze};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    line: String,
    commands: Vec<String>,
    #[serde(default)]
    subset: bool,
    #[serde(default)]
    opaque: Vec<String>,
}

/// `origin → ... → program args`, the way the cases write a command.
pub fn describe(analysis: &Analysis) -> Vec<String> {
    analysis
        .commands
        .iter()
        .map(|c| {
            let mut s = String::new();
            for o in &c.origin {
                s.push_str(o);
                s.push_str(" → ");
            }
            s.push_str(&c.display());
            s
        })
        .collect()
}

#[test]
fn analysis_table() {
    let cases: Vec<Case> = serde_yaml_ng::from_str(include_str!("../../tests/data/analysis.yaml"))
        .expect("valid table");
    let ctx = Context::example();
    let mut failures = Vec::new();
    for case in &cases {
        let analysis = analyze(&case.line, &ctx);
        let got = describe(&analysis);
        let commands_ok = if case.subset {
            case.commands.iter().all(|c| got.contains(c))
        } else {
            got == case.commands
        };
        let opaque_ok = analysis.opaque.len() == case.opaque.len()
            && case
                .opaque
                .iter()
                .all(|want| analysis.opaque.iter().any(|o| o.reason.contains(want)));
        if !commands_ok || !opaque_ok {
            failures.push(format!(
                "line: {}\n  want: {:?} opaque {:?}\n  got:  {:?} opaque {:?}",
                case.line,
                case.commands,
                case.opaque,
                got,
                analysis
                    .opaque
                    .iter()
                    .map(|o| &o.reason)
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
