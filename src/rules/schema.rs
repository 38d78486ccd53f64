//! The rule file format: plain serde types, exactly what a YAML pack says (see `docs/rules.md`).
//!
//! This file is also compiled into `build.rs` (via `#[path]`), so the built-in packs are checked
//! against the very same types at build time. Keep it free of crate-internal imports.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How bad it is when a rule's command runs by mistake. Ordered: `Low < Medium < High < Critical`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a warning; runs.
    Low,
    /// Asks a human.
    Medium,
    /// Asks a human.
    High,
    /// Asks a human to type the target's name.
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// One rule file: `rules/<pack>.yaml`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    /// The pack name, e.g. `git`. Must match the file name for built-in packs.
    pub pack: String,
    /// One sentence on what the pack covers.
    #[serde(default)]
    pub description: String,
    /// Facts about the programs the pack's rules match, keyed by program basename.
    #[serde(default)]
    pub programs: BTreeMap<String, ProgramSpec>,
    /// The rules, one entry each.
    pub rules: Vec<RawRule>,
}

/// What the matcher must know about a program's command line to find its operands.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramSpec {
    /// Options that take the next word as their value (`git -C dir`, `kubectl -n ns`), so the
    /// value is not mistaken for a subcommand or an operand.
    #[serde(default)]
    pub value_options: Vec<String>,
}

/// One rule as written in a pack.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    /// Kebab-case, unique across all packs: `git-push-force`.
    pub id: String,
    /// `low`, `medium`, `high` or `critical`: how bad it is when the command runs by mistake.
    pub severity: Severity,
    /// One sentence a developer understands: what goes wrong if this runs by mistake.
    pub why: String,
    /// The safer alternative to suggest.
    pub safer: String,
    /// When the rule fires.
    #[serde(rename = "match")]
    pub matcher: Condition,
    /// Command lines the rule must catch and must let pass; the test suite runs them all.
    pub examples: Examples,
}

/// `examples: {match: [...], no_match: [...]}`: at least two of each.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Command lines the rule must catch.
    #[serde(rename = "match")]
    pub matches: Vec<String>,
    /// Command lines the rule must let pass (mentions of danger, dry runs, everyday cleanups).
    pub no_match: Vec<String>,
}

/// One string or a list of strings.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn as_slice(&self) -> &[String] {
        match self {
            OneOrMany::One(s) => std::slice::from_ref(s),
            OneOrMany::Many(v) => v,
        }
    }
}

/// A condition on one analysed command. Every key that is present must hold (logical AND);
/// `all`, `any` and `not` combine nested conditions.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The program's basename is one of these (`[terraform, terragrunt, tofu]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<OneOrMany>,
    /// The first operands, in order, one entry per level; `|` separates alternatives:
    /// `[stack, rm|remove]`. Values of the program's `value_options` are skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subcommand: Option<Vec<String>>,
    /// At least one of these flags is present. `-f` also matches inside `-rf`; `--force` also
    /// matches `--force=...`; `-delete` (one dash, several letters) matches that exact word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<OneOrMany>,
    /// None of these flags is present (same spelling rules as `flag`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_flag: Option<OneOrMany>,
    /// An option with a value: `{names: [-X, --request], value: '(?i)^delete$'}`; matches
    /// `-X DELETE`, `-XDELETE`, `--request=DELETE`, `--request DELETE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<OptionCondition>,
    /// A regex that at least one operand after the subcommand matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arg: Option<String>,
    /// At least one operand after the subcommand is a target of one of these kinds:
    /// `root`, `home`, `cwd`, `system`, `parent`, `glob_all`, `device`, `backup`, `dynamic`,
    /// `dangerous` (root, home, cwd, system, parent or glob_all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<OneOrMany>,
    /// A regex that some payload (SQL, request body, code) matches; `{match: re, unless: re}`
    /// requires one payload statement that matches `match` and not `unless`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<PayloadCondition>,
    /// A redirection of the command: `{kind: [write, clobber], target: [home, system]}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect: Option<RedirectCondition>,
    /// An assignment before the command: `{name: RAILS_ENV, value: '^production$'}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<EnvCondition>,
    /// The program piped into this command's stdin is one of these (`curl` in `curl x | sh`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub piped_from: Option<OneOrMany>,
    /// Every nested condition holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<Condition>>,
    /// At least one nested condition holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<Condition>>,
    /// The nested condition does not hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Condition>>,
}

/// See [`Condition::option`].
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionCondition {
    /// The option's spellings: `[-X, --request]`.
    pub names: OneOrMany,
    /// A regex the option's value must match; absent: any value.
    #[serde(default)]
    pub value: Option<String>,
}

/// See [`Condition::payload`].
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PayloadCondition {
    Regex(String),
    Filtered {
        #[serde(rename = "match")]
        matches: String,
        #[serde(default)]
        unless: Option<String>,
    },
}

/// See [`Condition::redirect`].
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedirectCondition {
    /// `read`, `write`, `append`, `clobber`, `readwrite`; absent: any.
    #[serde(default)]
    pub kind: Option<OneOrMany>,
    /// Target kinds as in [`Condition::target`].
    #[serde(default)]
    pub target: Option<OneOrMany>,
    /// A regex the redirection target must match.
    #[serde(default)]
    pub path: Option<String>,
}

/// See [`Condition::env`].
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvCondition {
    /// The variable's exact name.
    pub name: String,
    /// A regex its value must match; absent: any value.
    #[serde(default)]
    pub value: Option<String>,
}
