//! The rules stage: compiled rule packs matched against analysed commands.
//!
//! Built-in packs (`rules/*.yaml`) are checked and embedded by `build.rs`; a command only meets
//! the rules indexed under its program (plus the few that could match any program), and each
//! rule is compiled on first use. User rule files use the same schema and the same checks.

pub mod docs;
pub mod examples;
mod load;
mod matcher;
mod payload;
pub mod schema;
pub mod target;
pub mod validate;
mod words;

use crate::analyze::{Command, Context};
use crate::error::Result;
use matcher::Matcher;
use schema::RawRule;
pub use schema::Severity;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;
use words::Words;

/// The tables `build.rs` generates from `rules/*.yaml`.
mod generated {
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
}
pub use generated::{PACKS, SCHEMA_FIELDS, SCHEMA_STRUCTS};

/// One rule that matched one command.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    pub rule_id: String,
    pub pack: String,
    pub severity: Severity,
    /// What goes wrong if it runs by mistake.
    pub why: String,
    /// What to do instead.
    pub safer: String,
    /// The command as parsed, shell-quoted.
    pub command: String,
    /// How the command was reached: `ssh prod → bash -c → psql`.
    pub origin: String,
}

/// A rule ready to match: what the pack said, and its compiled condition.
#[derive(Debug)]
pub struct Rule {
    pub pack: String,
    pub raw: RawRule,
    matcher: Matcher,
}

impl Rule {
    fn new(pack: &str, raw: RawRule) -> std::result::Result<Rule, String> {
        let matcher = matcher::compile(&raw.matcher)?;
        Ok(Rule {
            pack: pack.to_string(),
            raw,
            matcher,
        })
    }

    fn finding(&self, cmd: &Command) -> Finding {
        Finding {
            rule_id: self.raw.id.clone(),
            pack: self.pack.clone(),
            severity: self.raw.severity,
            why: self.raw.why.clone(),
            safer: self.raw.safer.clone(),
            command: cmd.display(),
            origin: cmd.origin_display(),
        }
    }
}

/// The built-in rules, each compiled the first time a command meets it, without its examples
/// (matching never reads them, and shellgate starts afresh for every line). Boxed: an unset
/// `OnceLock<Rule>` is not all zeroes, so the array would fill ~0.5 MB of the binary's data.
static BUILTIN: [OnceLock<Box<Rule>>; generated::RULE_COUNT] =
    [const { OnceLock::new() }; generated::RULE_COUNT];
/// The same rules with their examples, for listings, docs and example runs.
static BUILTIN_LISTED: [OnceLock<Box<Rule>>; generated::RULE_COUNT] =
    [const { OnceLock::new() }; generated::RULE_COUNT];

fn builtin_rule(i: usize) -> &'static Rule {
    BUILTIN[i].get_or_init(|| Box::new(load_builtin(i, false)))
}

fn listed_builtin_rule(i: usize) -> &'static Rule {
    BUILTIN_LISTED[i].get_or_init(|| Box::new(load_builtin(i, true)))
}

fn load_builtin(i: usize, with_examples: bool) -> Rule {
    let (pack, id, json, examples) = generated::RULES[i];
    let mut raw: RawRule = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("built-in rule {id} does not round-trip: {e}"));
    if with_examples {
        raw.examples = serde_json::from_str(examples)
            .unwrap_or_else(|e| panic!("built-in rule {id}: examples do not round-trip: {e}"));
    }
    Rule::new(pack, raw)
        .unwrap_or_else(|e| panic!("built-in rule {id} was checked at build time: {e}"))
}

/// Rules loaded from files, indexed by program like the built-in ones.
#[derive(Debug, Default)]
struct Loaded {
    rules: Vec<Rule>,
    index: BTreeMap<String, Vec<usize>>,
    wildcard: Vec<usize>,
    specs: BTreeMap<String, Vec<String>>,
}

/// The compiled rules shellgate matches with.
#[derive(Debug, Default)]
pub struct RuleSet {
    builtin: bool,
    loaded: Loaded,
}

impl RuleSet {
    /// The rule packs built into the binary. Costs nothing: rules compile on first use.
    pub fn builtin() -> RuleSet {
        RuleSet {
            builtin: true,
            loaded: Loaded::default(),
        }
    }

    /// Only the rules of these user rule files (same schema and checks as the built-in packs;
    /// errors name the file, the line and the fix).
    pub fn from_files(paths: &[impl AsRef<Path>]) -> Result<RuleSet> {
        Ok(RuleSet {
            builtin: false,
            loaded: load::load(paths, &[])?,
        })
    }

    /// The built-in rules plus these user rule files (whose ids must not clash with built-in ones).
    pub fn builtin_and_files(paths: &[impl AsRef<Path>]) -> Result<RuleSet> {
        let taken: Vec<&str> = generated::RULES.iter().map(|r| r.1).collect();
        Ok(RuleSet {
            builtin: true,
            loaded: load::load(paths, &taken)?,
        })
    }

    /// Every rule of the set, built-in first, in pack file order.
    pub fn all_rules(&self) -> Vec<&Rule> {
        let count = if self.builtin {
            generated::RULE_COUNT
        } else {
            0
        };
        let mut out: Vec<&Rule> = (0..count).map(listed_builtin_rule).collect();
        out.extend(&self.loaded.rules);
        out
    }

    /// Every rule that matches `cmd`, in rule order.
    pub fn check(&self, cmd: &Command, ctx: &Context) -> Vec<Finding> {
        let builtin: Vec<u32> = if self.builtin {
            let indexed = generated::INDEX
                .binary_search_by(|(p, _)| (*p).cmp(cmd.program.as_str()))
                .map(|at| generated::INDEX[at].1)
                .unwrap_or_default();
            merge(indexed, generated::WILDCARD)
        } else {
            Vec::new()
        };
        let loaded = &self.loaded;
        let indexed = loaded
            .index
            .get(&cmd.program)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let loaded_candidates = merge(indexed, &loaded.wildcard);
        if builtin.is_empty() && loaded_candidates.is_empty() {
            return Vec::new();
        }
        let words = Words::new(cmd, self.value_options(&cmd.program));
        let candidates = builtin
            .into_iter()
            .map(|i| builtin_rule(i as usize))
            .chain(loaded_candidates.into_iter().map(|i| &loaded.rules[i]));
        candidates
            .filter(|rule| rule.matcher.matches(&words, ctx))
            .map(|rule| rule.finding(cmd))
            .collect()
    }

    /// The options of `program` that take a value, from every pack of the set.
    fn value_options(&self, program: &str) -> Vec<&str> {
        let mut out: Vec<&str> = generated::PROGRAM_SPECS
            .binary_search_by(|(p, _)| (*p).cmp(program))
            .map(|at| generated::PROGRAM_SPECS[at].1.to_vec())
            .unwrap_or_default();
        if let Some(more) = self.loaded.specs.get(program) {
            out.extend(more.iter().map(String::as_str));
        }
        out
    }
}

/// Two ascending index lists merged into one, without duplicates.
fn merge<T: Copy + Ord>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out: Vec<T> = a.iter().chain(b).copied().collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
