//! Matching semantics on hand-built commands (independent of the analyzer), the built-in index,
//! and the loading of user rule files.

use super::*;
use crate::analyze::{Arg, Payload, PayloadSource, Redirect, RedirectKind};

/// A command from literal words (program first).
fn cmd(words: &[&str]) -> Command {
    Command::new(words[0], words[1..].iter().map(|w| Arg::lit(*w)).collect())
}

/// Whether the condition (YAML) matches `c`, with these value options for its program.
fn matches_with(cond: &str, c: &Command, value_options: &[&str]) -> bool {
    let cond: schema::Condition = serde_yaml_ng::from_str(cond).expect("condition parses");
    let m = matcher::compile(&cond).expect("condition compiles");
    m.matches(&Words::new(c, value_options.to_vec()), &Context::example())
}

fn matches(cond: &str, c: &Command) -> bool {
    matches_with(cond, c, &[])
}

#[test]
fn program_is_the_basename() {
    assert!(matches("program: rm", &cmd(&["/usr/bin/rm", "x"])));
    assert!(matches(
        "program: [tofu, terraform]",
        &cmd(&["terraform", "destroy"])
    ));
    assert!(!matches("program: rm", &cmd(&["rmdir", "x"])));
}

#[test]
fn subcommand_levels_alternatives_and_value_options() {
    let c = cmd(&["pulumi", "stack", "remove", "dev"]);
    assert!(matches("subcommand: [stack, rm|remove]", &c));
    assert!(!matches("subcommand: [stack, ls]", &c));
    assert!(
        !matches("subcommand: [remove]", &c),
        "levels start at the first operand"
    );
    assert!(
        !matches("subcommand: [stack, remove, dev, x]", &c),
        "missing levels do not match"
    );
    let c = cmd(&["git", "-C", "push", "push", "-f"]);
    assert!(matches_with("subcommand: [push]", &c, &["-C"]));
    assert!(!matches_with(
        "{subcommand: [push], arg: '^-f$'}",
        &c,
        &["-C"]
    ));
    let c = cmd(&["git", "-C", "repo", "status"]);
    assert!(
        !matches("subcommand: [status]", &c),
        "without the spec, `repo` is the first operand"
    );
    assert!(matches_with("subcommand: [status]", &c, &["-C"]));
    assert!(matches_with(
        "subcommand: [status]",
        &cmd(&["git", "--git-dir=x", "status"]),
        &["--git-dir"]
    ));
}

#[test]
fn arg_and_target_look_after_the_subcommand_even_when_nested() {
    let c = cmd(&["git", "push", "origin", "+main"]);
    assert!(matches(
        "{program: git, subcommand: [push], any: [{flag: -f}, {arg: '^\\+'}]}",
        &c
    ));
    let c = cmd(&["git", "push", "origin", "main"]);
    assert!(!matches(
        "{subcommand: [push], any: [{flag: -f}, {arg: '^\\+'}]}",
        &c
    ));
    let c = cmd(&["x", "/", "safe"]);
    assert!(
        !matches("{subcommand: ['/'], target: root}", &c),
        "the subcommand word is not a target"
    );
    assert!(matches("{target: root}", &c));
}

#[test]
fn flags_in_every_spelling_and_not_after_dashdash() {
    for words in [
        &["rm", "-rf", "x"][..],
        &["rm", "-fr", "x"],
        &["rm", "-R", "x"],
        &["rm", "--recursive", "x"],
    ] {
        assert!(
            matches("flag: [-r, -R, --recursive]", &cmd(words)),
            "{words:?}"
        );
    }
    assert!(!matches(
        "flag: [-r, --recursive]",
        &cmd(&["rm", "-f", "--", "-r"])
    ));
    assert!(!matches(
        "flag: -f",
        &cmd(&["git", "push", "--follow-tags"])
    ));
    assert!(matches("flag: -delete", &cmd(&["find", ".", "-delete"])));
    assert!(!matches(
        "flag: -delete",
        &cmd(&["find", ".", "-name", "delete"])
    ));
    assert!(matches("flag: --force", &cmd(&["x", "--force=true"])));
    assert!(!matches(
        "flag: --force",
        &cmd(&["x", "--force-with-lease"])
    ));
    assert!(matches(
        "no_flag: [-n, --dry-run]",
        &cmd(&["git", "clean", "-fd"])
    ));
    assert!(!matches(
        "no_flag: [-n, --dry-run]",
        &cmd(&["git", "clean", "-fdn"])
    ));
    assert!(!matches(
        "no_flag: --dry-run",
        &cmd(&["x", "--dry-run=client"])
    ));
}

#[test]
fn option_values() {
    let cond = "option: {names: [-X, --request], value: '(?i)^delete$'}";
    for words in [
        &["curl", "-X", "DELETE", "u"][..],
        &["curl", "-XDELETE", "u"],
        &["curl", "--request=delete", "u"],
        &["curl", "--request", "Delete", "u"],
    ] {
        assert!(matches(cond, &cmd(words)), "{words:?}");
    }
    assert!(!matches(cond, &cmd(&["curl", "-X", "GET", "u"])));
    assert!(!matches(cond, &cmd(&["curl", "u", "DELETE"])));
    assert!(
        matches("option: {names: -o}", &cmd(&["curl", "-o", "f", "u"])),
        "no value: any"
    );
    assert!(!matches("option: {names: -o}", &cmd(&["curl", "u"])));
}

fn with_payload(text: &str) -> Command {
    let mut c = cmd(&["psql"]);
    c.payloads.push(Payload {
        source: PayloadSource::Stdin,
        text: text.to_string(),
    });
    c
}

#[test]
fn payload_statements() {
    let cond = "payload: {match: '(?i)^delete\\s+from', unless: '(?i)\\bwhere\\b'}";
    assert!(matches(cond, &with_payload("DELETE FROM users")));
    assert!(matches(
        cond,
        &with_payload("DELETE FROM users; SELECT 1 WHERE true")
    ));
    assert!(!matches(
        cond,
        &with_payload("DELETE FROM users WHERE id = 1")
    ));
    assert!(!matches(cond, &with_payload("SELECT 'DELETE FROM users'")));
    assert!(!matches(cond, &cmd(&["psql"])), "no payload");
    assert!(matches(
        "payload: '(?i)drop\\s+table'",
        &with_payload("select 1;\nDROP TABLE t")
    ));
    assert!(!matches(
        "payload: '(?i)drop\\s+table'",
        &with_payload("select 1 -- drop table t")
    ));
    let body = r#"{"query":"mutation { volumeDelete(volumeId: \"v\") }"}"#;
    let gql = "payload: {match: '(?i)mutation\\b[^}]*(delete|destroy)', unless: '(?i)^\\s*query'}";
    assert!(matches(gql, &with_payload(body)));
    assert!(!matches(
        gql,
        &with_payload(r#"{"query":"query { volume(id: \"v\") { name } }"}"#)
    ));
}

#[test]
fn redirects() {
    let mut c = cmd(&["echo", "x"]);
    let lit = Arg::lit;
    c.redirects.push(Redirect {
        fd: None,
        kind: RedirectKind::Write,
        target: lit("/etc/passwd"),
    });
    c.redirects.push(Redirect {
        fd: Some(2),
        kind: RedirectKind::Duplicate,
        target: lit("1"),
    });
    assert!(matches(
        "redirect: {kind: [write, clobber], target: system}",
        &c
    ));
    assert!(!matches("redirect: {kind: append}", &c));
    assert!(!matches("redirect: {target: home}", &c));
    assert!(matches("redirect: {path: '^/etc/'}", &c));
    assert!(
        !matches("redirect: {path: '^1$'}", &c),
        "duplications are not files"
    );
}

#[test]
fn env_and_piped_from() {
    let mut c = cmd(&["rails", "db:drop"]);
    c.assignments
        .push(("RAILS_ENV".to_string(), "production".to_string()));
    assert!(matches("env: {name: RAILS_ENV, value: '^prod'}", &c));
    assert!(matches("env: {name: RAILS_ENV}", &c));
    assert!(!matches("env: {name: RAILS_ENV, value: '^dev'}", &c));
    assert!(!matches("env: {name: RAILS}", &c));
    let mut c = cmd(&["sh"]);
    assert!(!matches("piped_from: [curl, wget]", &c));
    c.piped_from = Some("curl".to_string());
    assert!(matches("piped_from: [curl, wget]", &c));
    assert!(!matches("piped_from: wget", &c));
}

#[test]
fn all_any_not_and_keys_are_anded() {
    let c = cmd(&["rm", "-rf", "/"]);
    assert!(matches("{program: rm, flag: -r, target: root}", &c));
    assert!(
        !matches("{program: rm, flag: -r, target: home}", &c),
        "every key must hold"
    );
    assert!(matches("all: [{flag: -r}, {flag: -f}]", &c));
    assert!(!matches("all: [{flag: -r}, {flag: -i}]", &c));
    assert!(matches("any: [{flag: -i}, {flag: -f}]", &c));
    assert!(!matches("any: [{flag: -i}, {flag: -v}]", &c));
    assert!(matches("not: {flag: -i}", &c));
    assert!(!matches("not: {flag: -f}", &c));
}

#[test]
fn targets_use_operands_and_dynamic_words() {
    let mut c = cmd(&["rm", "-rf"]);
    c.args.push(Arg {
        text: "/".to_string(),
        dynamic: true,
    });
    assert!(matches("target: dynamic", &c), "\"$DIR\"/ may be /");
    assert!(!matches("target: dynamic", &cmd(&["rm", "-rf", "/"])));
    assert!(matches(
        "target: dangerous",
        &cmd(&["rm", "-rf", "node_modules", "~"])
    ));
    assert!(!matches(
        "target: dangerous",
        &cmd(&["rm", "-rf", "node_modules", "dist"])
    ));
}

#[test]
fn builtin_findings_are_complete_and_indexed_by_program() {
    let set = RuleSet::builtin();
    let ctx = Context::example();
    let mut c = cmd(&["git", "push", "--force", "origin", "main"]);
    c.origin = vec!["ssh prod".to_string(), "bash -c".to_string()];
    let findings = set.check(&c, &ctx);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(
        (f.rule_id.as_str(), f.pack.as_str()),
        ("git-push-force", "git")
    );
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.command, "git push --force origin main");
    assert_eq!(f.origin, "ssh prod → bash -c → git");
    assert!(!f.why.is_empty() && !f.safer.is_empty());
    assert!(
        set.check(&cmd(&["echo", "git", "push", "--force"]), &ctx)
            .is_empty()
    );
    assert!(
        set.check(&cmd(&["rm", "-rf", "node_modules"]), &ctx)
            .is_empty()
    );
    assert_eq!(
        set.check(&cmd(&["rm", "-rf", "/"]), &ctx)[0].rule_id,
        "rm-rf-dangerous-target"
    );
}

#[test]
fn program_index_is_sorted_for_binary_search() {
    assert!(generated::INDEX.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(generated::PROGRAM_SPECS.windows(2).all(|w| w[0].0 < w[1].0));
    for (_, ids) in generated::INDEX {
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
    }
    assert!(RuleSet::builtin().all_rules().len() == generated::RULE_COUNT);
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const USER_RULE: &str = "pack: mine
programs:
  deploy:
    value_options: [--env]
rules:
  - id: deploy-prod
    severity: high
    why: Deploys to production.
    safer: Deploy to staging first.
    match:
      program: deploy
      subcommand: [prod]
    examples:
      match: [deploy prod, deploy --env x prod]
      no_match: [deploy staging, echo deploy prod]
";

#[test]
fn user_files_load_index_and_match() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "mine.yaml", USER_RULE);
    let set = RuleSet::from_files(&[&path]).unwrap();
    assert_eq!(set.all_rules().len(), 1);
    let ctx = Context::example();
    assert_eq!(
        set.check(&cmd(&["deploy", "--env", "x", "prod"]), &ctx)
            .len(),
        1
    );
    assert!(set.check(&cmd(&["deploy", "staging"]), &ctx).is_empty());
    assert!(
        set.check(&cmd(&["git", "push", "-f"]), &ctx).is_empty(),
        "built-in rules not included"
    );
    let both = RuleSet::builtin_and_files(&[&path]).unwrap();
    assert_eq!(both.all_rules().len(), generated::RULE_COUNT + 1);
}

#[test]
fn user_file_errors_name_file_line_and_fix() {
    let dir = tempfile::tempdir().unwrap();
    let bad_key = write(
        &dir,
        "a.yaml",
        &USER_RULE.replace("      subcommand:", "      subcomand:"),
    );
    let e = RuleSet::from_files(&[&bad_key]).unwrap_err().to_string();
    assert!(
        e.contains("a.yaml:") && e.contains("did you mean `subcommand`?"),
        "{e}"
    );

    let bad_regex = write(
        &dir,
        "b.yaml",
        &USER_RULE.replace("subcommand: [prod]", "arg: '(unclosed'"),
    );
    let e = RuleSet::from_files(&[&bad_regex]).unwrap_err().to_string();
    assert!(
        e.contains("b.yaml:6: rule `deploy-prod`: `match.arg` is not a valid regex"),
        "{e}"
    );

    let few = write(&dir, "c.yaml", &USER_RULE.replace("deploy staging, ", ""));
    let e = RuleSet::from_files(&[&few]).unwrap_err().to_string();
    assert!(
        e.contains("c.yaml:6:") && e.contains("give at least 2 of each"),
        "{e}"
    );

    let kind = write(
        &dir,
        "d.yaml",
        &USER_RULE.replace("subcommand: [prod]", "target: [rooot]"),
    );
    let e = RuleSet::from_files(&[&kind]).unwrap_err().to_string();
    assert!(
        e.contains("unknown kind `rooot`") && e.contains("use one of: root"),
        "{e}"
    );

    let flag = write(
        &dir,
        "e.yaml",
        &USER_RULE.replace("subcommand: [prod]", "flag: force"),
    );
    let e = RuleSet::from_files(&[&flag]).unwrap_err().to_string();
    assert!(e.contains("not a flag spelling"), "{e}");

    let clash = write(
        &dir,
        "f.yaml",
        &USER_RULE.replace("deploy-prod", "git-push-force"),
    );
    let e = RuleSet::builtin_and_files(&[&clash])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("f.yaml:6: rule id `git-push-force` is already used"),
        "{e}"
    );

    let twice = write(&dir, "g.yaml", USER_RULE);
    let e = RuleSet::from_files(&[&twice, &path_of(&dir, "g.yaml")])
        .unwrap_err()
        .to_string();
    assert!(e.contains("already used"), "{e}");
}

fn path_of(dir: &tempfile::TempDir, name: &str) -> std::path::PathBuf {
    dir.path().join(name)
}

#[test]
fn relative_targets_follow_a_cd_on_the_line() {
    let set = RuleSet::builtin();
    let ctx = Context::example();
    let mut c = cmd(&["rm", "-rf", "*"]);
    assert!(
        !set.check(&c, &ctx).is_empty(),
        "`*` in the project is every file of it"
    );
    c.workdir = crate::analyze::WorkDir::At("/tmp/build".into());
    assert!(set.check(&c, &ctx).is_empty(), "`*` in a scratch directory");
    c.workdir = crate::analyze::WorkDir::At("/".into());
    assert_eq!(set.check(&c, &ctx)[0].rule_id, "rm-rf-dangerous-target");
}

/// The rules over the real analyzer: what a user of `shellgate check` sees.
fn line_findings(line: &str) -> Vec<String> {
    let ctx = Context::example();
    let set = RuleSet::builtin();
    let analysis = crate::analyze::analyze(line, &ctx);
    analysis
        .commands
        .iter()
        .flat_map(|c| set.check(c, &ctx))
        .map(|f| f.rule_id)
        .collect()
}

#[test]
fn end_to_end_through_the_analyzer() {
    assert_eq!(
        line_findings("cd / && rm -rf *"),
        ["rm-rf-dangerous-target"]
    );
    assert_eq!(
        line_findings("cd /tmp/build && rm -rf *"),
        Vec::<String>::new()
    );
    assert_eq!(
        line_findings("rm -rf \"$HOME\""),
        ["rm-rf-dangerous-target"]
    );
    assert_eq!(
        line_findings("echo 'git push --force'"),
        Vec::<String>::new()
    );
    assert_eq!(
        line_findings("git status; git push origin +main"),
        ["git-push-force"]
    );
    assert_eq!(
        line_findings("git -C /srv/repo reset --hard HEAD~1"),
        ["git-reset-hard"]
    );
}
