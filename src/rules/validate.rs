//! What a rule pack must satisfy beyond its serde shape: kebab-case ids, enough examples,
//! regexes that compile, known target kinds, sane flag spellings, a program index.
//!
//! Shared by `build.rs` (built-in packs, via `#[path]`) and by [`super::RuleSet::from_files`]
//! (user packs), so both are held to the same rules. Keep it free of crate-internal imports
//! other than `super::schema`.

use super::schema::{Condition, OneOrMany, PackFile, PayloadCondition, RawRule};
use std::collections::BTreeSet;

/// The target kinds a `target:` (or `redirect.target:`) may name.
pub const TARGET_KINDS: &[&str] = &[
    "root",
    "home",
    "cwd",
    "system",
    "parent",
    "glob_all",
    "device",
    "backup",
    "dynamic",
    "dangerous",
];

/// The redirection kinds a `redirect.kind:` may name.
pub const REDIRECT_KINDS: &[&str] = &["read", "write", "append", "clobber", "readwrite"];

/// The fewest `match` and `no_match` examples a rule may have.
pub const MIN_EXAMPLES: usize = 2;

/// One thing wrong with a pack, located where possible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the pack file.
    pub line: Option<usize>,
    pub problem: String,
    pub fix: String,
}

/// Every problem in `pack` (parsed from `text`), in file order.
pub fn check_pack(pack: &PackFile, text: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    let pack_line = find_line(text, |l| l.starts_with("pack:"));
    if !is_kebab(&pack.pack) {
        out.push(Problem {
            line: pack_line,
            problem: format!("pack name `{}` is not kebab-case", pack.pack),
            fix: "use lowercase letters, digits and single dashes".to_string(),
        });
    }
    for (program, spec) in &pack.programs {
        for option in &spec.value_options {
            if !is_flag_spelling(option) {
                out.push(Problem {
                    line: find_line(text, |l| l.contains(option.as_str())),
                    problem: format!("value option `{option}` of `{program}` is not a flag"),
                    fix: "write it as `-x`, `-word` or `--word`".to_string(),
                });
            }
        }
    }
    let mut seen = BTreeSet::new();
    for rule in &pack.rules {
        let line = rule_line(text, &rule.id);
        if !seen.insert(rule.id.as_str()) {
            out.push(Problem {
                line,
                problem: format!("rule id `{}` appears twice", rule.id),
                fix: "give each rule its own id".to_string(),
            });
        }
        for (problem, fix) in check_rule(rule) {
            out.push(Problem {
                line,
                problem: format!("rule `{}`: {problem}", rule.id),
                fix,
            });
        }
    }
    out
}

/// Problems of one rule, as `(problem, fix)`.
pub fn check_rule(rule: &RawRule) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if !is_kebab(&rule.id) {
        out.push((
            "id is not kebab-case".to_string(),
            "use lowercase letters, digits and single dashes: `git-push-force`".to_string(),
        ));
    }
    if rule.why.trim().is_empty() {
        out.push((
            "`why` is empty".to_string(),
            "say in one sentence what goes wrong if it runs by mistake".to_string(),
        ));
    }
    if rule.safer.trim().is_empty() {
        out.push((
            "`safer` is empty".to_string(),
            "name the safer alternative".to_string(),
        ));
    }
    let examples = &rule.examples;
    if examples.matches.len() < MIN_EXAMPLES || examples.no_match.len() < MIN_EXAMPLES {
        out.push((
            format!(
                "has {} `match` and {} `no_match` examples",
                examples.matches.len(),
                examples.no_match.len()
            ),
            format!("give at least {MIN_EXAMPLES} of each"),
        ));
    }
    for example in examples.matches.iter().chain(&examples.no_match) {
        if example.trim().is_empty() {
            out.push((
                "an example is empty".to_string(),
                "write a command line".to_string(),
            ));
        }
    }
    check_condition(&rule.matcher, "match", &mut out);
    out
}

fn check_condition(cond: &Condition, at: &str, out: &mut Vec<(String, String)>) {
    if is_empty(cond) {
        out.push((
            format!("`{at}` has no keys, so it would match every command"),
            "add `program`, `flag`, `arg`, ... or remove it".to_string(),
        ));
    }
    if let Some(levels) = &cond.subcommand
        && (levels.is_empty()
            || levels
                .iter()
                .any(|l| l.split('|').any(|a| a.trim().is_empty())))
    {
        out.push((
            format!("`{at}.subcommand` has an empty level or alternative"),
            "write one word per level, alternatives as `rm|remove`".to_string(),
        ));
    }
    for (key, flags) in [("flag", &cond.flag), ("no_flag", &cond.no_flag)] {
        for flag in flags.iter().flat_map(OneOrMany::as_slice) {
            if !is_flag_spelling(flag) {
                out.push((
                    format!("`{at}.{key}` `{flag}` is not a flag spelling"),
                    "write `-f` (one letter), `-delete` (one dash, a word) or `--force`"
                        .to_string(),
                ));
            }
        }
    }
    if let Some(option) = &cond.option {
        for name in option.names.as_slice() {
            if !is_flag_spelling(name) {
                out.push((
                    format!("`{at}.option.names` `{name}` is not a flag spelling"),
                    "write `-X` or `--request`".to_string(),
                ));
            }
        }
        check_regex(option.value.as_deref(), &format!("{at}.option.value"), out);
    }
    check_regex(cond.arg.as_deref(), &format!("{at}.arg"), out);
    check_kinds(
        cond.target.as_ref(),
        TARGET_KINDS,
        &format!("{at}.target"),
        out,
    );
    match &cond.payload {
        Some(PayloadCondition::Regex(re)) => check_regex(Some(re), &format!("{at}.payload"), out),
        Some(PayloadCondition::Filtered { matches, unless }) => {
            check_regex(Some(matches), &format!("{at}.payload.match"), out);
            check_regex(unless.as_deref(), &format!("{at}.payload.unless"), out);
        }
        None => {}
    }
    if let Some(redirect) = &cond.redirect {
        check_kinds(
            redirect.kind.as_ref(),
            REDIRECT_KINDS,
            &format!("{at}.redirect.kind"),
            out,
        );
        check_kinds(
            redirect.target.as_ref(),
            TARGET_KINDS,
            &format!("{at}.redirect.target"),
            out,
        );
        check_regex(
            redirect.path.as_deref(),
            &format!("{at}.redirect.path"),
            out,
        );
    }
    if let Some(env) = &cond.env {
        if env.name.is_empty() {
            out.push((
                format!("`{at}.env.name` is empty"),
                "name the variable".to_string(),
            ));
        }
        check_regex(env.value.as_deref(), &format!("{at}.env.value"), out);
    }
    for (i, nested) in cond.all.iter().flatten().enumerate() {
        check_condition(nested, &format!("{at}.all[{i}]"), out);
    }
    for (i, nested) in cond.any.iter().flatten().enumerate() {
        check_condition(nested, &format!("{at}.any[{i}]"), out);
    }
    if let Some(nested) = &cond.not {
        check_condition(nested, &format!("{at}.not"), out);
    }
}

fn check_regex(re: Option<&str>, at: &str, out: &mut Vec<(String, String)>) {
    if let Some(re) = re
        && let Err(e) = regex::Regex::new(re)
    {
        let first = e
            .to_string()
            .lines()
            .last()
            .unwrap_or_default()
            .trim()
            .to_string();
        out.push((
            format!("`{at}` is not a valid regex ({first})"),
            "fix the pattern (Rust `regex` syntax; no look-around or backreferences)".to_string(),
        ));
    }
}

fn check_kinds(
    kinds: Option<&OneOrMany>,
    known: &[&str],
    at: &str,
    out: &mut Vec<(String, String)>,
) {
    for kind in kinds.iter().flat_map(|k| k.as_slice()) {
        if !known.contains(&kind.as_str()) {
            out.push((
                format!("`{at}` has unknown kind `{kind}`"),
                format!("use one of: {}", known.join(", ")),
            ));
        }
    }
}

/// Whether `cond` has no key at all.
fn is_empty(cond: &Condition) -> bool {
    cond.program.is_none()
        && cond.subcommand.is_none()
        && cond.flag.is_none()
        && cond.no_flag.is_none()
        && cond.option.is_none()
        && cond.arg.is_none()
        && cond.target.is_none()
        && cond.payload.is_none()
        && cond.redirect.is_none()
        && cond.env.is_none()
        && cond.piped_from.is_none()
        && cond.all.is_none()
        && cond.any.is_none()
        && cond.not.is_none()
}

/// `git-push-force`: lowercase letters and digits in dash-separated words.
pub fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `-x` (one letter or digit, or `-?`), `-word` (one dash, a word) or `--word` (words joined
/// by dashes).
pub fn is_flag_spelling(s: &str) -> bool {
    let word_ok = |w: &str| {
        w.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
            && w.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && !w.ends_with('-')
    };
    if s == "-?" {
        return true;
    }
    if let Some(long) = s.strip_prefix("--") {
        word_ok(long)
    } else if let Some(short) = s.strip_prefix('-') {
        word_ok(short)
    } else {
        false
    }
}

/// The program basenames a condition can only match, or `None` when it could match any program.
/// A rule's set is its top-level `program`; else the union over its `any` branches; nested `all`
/// items narrow it.
pub fn programs(cond: &Condition) -> Option<BTreeSet<String>> {
    let mut known: Vec<BTreeSet<String>> = Vec::new();
    if let Some(program) = &cond.program {
        known.push(program.as_slice().iter().cloned().collect());
    }
    for nested in cond.all.iter().flatten() {
        if let Some(set) = programs(nested) {
            known.push(set);
        }
    }
    if let Some(branches) = &cond.any {
        let sets: Option<Vec<BTreeSet<String>>> = branches.iter().map(programs).collect();
        if let Some(sets) = sets {
            known.push(sets.into_iter().flatten().collect());
        }
    }
    let mut sets = known.into_iter();
    let first = sets.next()?;
    Some(sets.fold(first, |acc, s| acc.intersection(&s).cloned().collect()))
}

/// The 1-based line of the rule with this id (`id: <id>`, plain or quoted).
pub fn rule_line(text: &str, id: &str) -> Option<usize> {
    find_line(text, |l| {
        let l = l.trim_start_matches("- ").trim();
        l.strip_prefix("id:")
            .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\'') == id)
            .unwrap_or(false)
    })
}

/// The 1-based number of the first line whose trimmed text satisfies `pred`.
pub fn find_line(text: &str, pred: impl Fn(&str) -> bool) -> Option<usize> {
    text.lines().position(|l| pred(l.trim())).map(|i| i + 1)
}

/// A serde_yaml_ng error as `(line, message)`, with the location taken out of the message and a
/// did-you-mean added for unknown keys.
pub fn yaml_error(e: &serde_yaml_ng::Error) -> (Option<usize>, String) {
    let line = e.location().map(|l| l.line());
    let mut message = e.to_string();
    if let Some(at) = message.find(" at line ") {
        message.truncate(at);
    }
    if let Some(hint) = unknown_key_hint(&message) {
        message.push_str("; ");
        message.push_str(&hint);
    } else {
        message.push_str("; see docs/rules.md for the format");
    }
    (line, message)
}

/// `unknown field `progam`, expected one of `program`, ...` → "did you mean `program`?".
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (key, expected) = rest.split_once('`')?;
    let best = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|cand| (edit_distance(key, cand), cand))
        .min()?;
    if best.0 <= key.len().max(2) / 2 + 1 {
        Some(format!("did you mean `{}`?", best.1))
    } else {
        Some("remove the key or fix its spelling".to_string())
    }
}

/// Edit distance with adjacent transpositions counted as one edit (optimal string alignment),
/// for did-you-mean hints: `gti` is one edit from `git`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        assert!(is_kebab("git-push-force") && is_kebab("rm2"));
        assert!(!is_kebab("Git-push") && !is_kebab("a--b") && !is_kebab("-a") && !is_kebab(""));
        for ok in [
            "-f",
            "-1",
            "-delete",
            "--force",
            "--force-with-lease",
            "--no_verify",
        ] {
            assert!(is_flag_spelling(ok), "{ok}");
        }
        for bad in ["f", "-", "--", "---x", "--x-", "-f ", "--a=b"] {
            assert!(!is_flag_spelling(bad), "{bad}");
        }
    }

    #[test]
    fn did_you_mean_for_unknown_keys() {
        let e = serde_yaml_ng::from_str::<Condition>("progam: git").unwrap_err();
        let (line, message) = yaml_error(&e);
        assert_eq!(line, Some(1));
        assert!(message.contains("did you mean `program`?"), "{message}");
    }

    #[test]
    fn program_sets() {
        let cond: Condition =
            serde_yaml_ng::from_str("any: [{program: git}, {program: [gh, hub]}]").unwrap();
        let set = programs(&cond).unwrap();
        assert_eq!(set.into_iter().collect::<Vec<_>>(), ["gh", "git", "hub"]);
        let cond: Condition = serde_yaml_ng::from_str("any: [{program: git}, {arg: x}]").unwrap();
        assert!(programs(&cond).is_none());
        let cond: Condition =
            serde_yaml_ng::from_str("all: [{program: [a, b]}, {program: b}]").unwrap();
        assert_eq!(programs(&cond).unwrap().len(), 1);
    }
}
