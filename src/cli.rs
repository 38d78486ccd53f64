//! shellgate's own subcommands (`check`, `explain`, `rules`), parsed with clap.
//!
//! Usage errors come back as one line (`shellgate: ...`) with the fix and clap's did-you-mean;
//! exit statuses are those of `error.rs`.

mod approvals;
mod check;
mod rules;

use crate::error::{Error, Result};
use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "shellgate",
    version,
    about = "A drop-in shell that stops destructive commands before the real shell runs them",
    disable_colored_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Say whether LINE would run: exit 0 (runs), 10 (would ask a human), 11 (would be refused).
    Check {
        /// Print the verdict and findings as JSON.
        #[arg(long)]
        json: bool,
        /// The command line, as one argument (quote it).
        line: String,
    },
    /// Show every command LINE would run, how it was reached, and the rules each one meets.
    Explain {
        /// The command line, as one argument (quote it).
        line: String,
    },
    /// List the requests agents left for a human to approve.
    Pending,
    /// Approve a pending request (asks on your terminal; the agent then re-runs the command once).
    Approve {
        /// The request id shown in the agent's message or by `shellgate pending`.
        id: String,
    },
    /// Refuse and remove a pending request.
    Deny {
        /// The request id.
        id: String,
    },
    /// List, show, test and document the rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// List the built-in rules: id, severity, pack, why.
    List {
        /// Only this pack.
        #[arg(long, value_name = "PACK")]
        pack: Option<String>,
    },
    /// Show one rule as YAML, with its examples.
    Show {
        /// The rule id, e.g. git-push-force.
        id: String,
    },
    /// Run every example of the built-in packs, or of these rule files, and report missed and noisy ones.
    Test {
        /// User rule files (YAML, same format as the built-in packs).
        files: Vec<PathBuf>,
    },
    /// Print the Markdown of docs/rules.md.
    Docs,
}

/// Run `shellgate SUBCOMMAND ...` (`args` starts at the subcommand name).
pub fn run(args: Vec<OsString>) -> Result<i32> {
    let argv = std::iter::once(OsString::from("shellgate")).chain(args);
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => return clap_outcome(e),
    };
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Check { json, line } => {
            check::check(&line, json, check::Settings::from_env(), &mut out)
        }
        Command::Explain { line } => check::explain(&line, check::Settings::from_env(), &mut out),
        Command::Pending => approvals::pending(&mut out),
        Command::Approve { id } => approvals::approve(&id, &mut out),
        Command::Deny { id } => approvals::deny(&id, &mut out),
        Command::Rules { command } => match command {
            RulesCommand::List { pack } => rules::list(pack.as_deref(), &mut out),
            RulesCommand::Show { id } => rules::show(&id, &mut out),
            RulesCommand::Test { files } => rules::test(&files, &mut out),
            RulesCommand::Docs => rules::docs(&mut out),
        },
    }
}

/// Help and version go to stdout with status 0; anything else is a one-line usage error.
fn clap_outcome(e: clap::Error) -> Result<i32> {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        let code = if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            64
        } else {
            0
        };
        return Ok(code);
    }
    Err(Error::Usage(one_line(&e.render().to_string())))
}

/// clap's multi-line error as one line: the problem, its tips, and where to read more.
fn one_line(rendered: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for line in rendered.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with("Usage:") {
            parts.push(format!(
                "usage: {}",
                line.trim_start_matches("Usage:").trim()
            ));
        } else if line.starts_with("For more information") {
            continue;
        } else {
            parts.push(line.trim_start_matches("error:").trim().to_string());
        }
    }
    parts.push("see `shellgate help`".to_string());
    parts.join("; ")
}

/// "did you mean `x`?" for the closest of `candidates`, if any is close.
fn did_you_mean<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let best = candidates
        .into_iter()
        .map(|c| (crate::rules::validate::edit_distance(wanted, c), c))
        .min();
    match best {
        Some((d, c)) if d <= wanted.len().max(3) / 3 + 1 => format!("; did you mean `{c}`?"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_args(args: &[&str]) -> Result<i32> {
        run(args.iter().map(OsString::from).collect())
    }

    #[test]
    fn unknown_flags_are_one_line_usage_errors_with_a_suggestion() {
        let err = run_args(&["check", "--jsn", "ls"]).unwrap_err();
        assert_eq!(err.code(), crate::error::EXIT_USAGE);
        let message = err.to_string();
        assert!(!message.contains('\n'), "{message}");
        assert!(message.contains("--json"), "{message}");
    }

    #[test]
    fn unknown_rule_ids_suggest_the_closest() {
        let err = run_args(&["rules", "show", "git-push-forse"]).unwrap_err();
        assert_eq!(err.code(), crate::error::EXIT_USAGE);
        assert!(
            err.to_string().contains("did you mean `git-push-force`?"),
            "{err}"
        );
        let err = run_args(&["rules", "list", "--pack", "gti"]).unwrap_err();
        assert!(err.to_string().contains("did you mean `git`?"), "{err}");
    }
}

#[cfg(test)]
mod check_tests {
    //! `check` through the real analyzer (these fail until the analysis engine is merged).
    use super::check;

    fn check_line(line: &str, json: bool) -> (i32, String) {
        let mut out = Vec::new();
        let code =
            check::check(line, json, check::Settings::default(), &mut out).expect("check runs");
        (code, String::from_utf8(out).unwrap())
    }

    #[test]
    fn check_exit_status_says_whether_the_line_would_run() {
        assert_eq!(check_line("git push -u origin feature", false).0, 0);
        assert_eq!(check_line("rm -rf node_modules target dist", false).0, 0);
        let (code, out) = check_line("git push --force origin main", false);
        assert_eq!(code, crate::error::EXIT_CHECK_ASK, "{out}");
        assert!(
            out.starts_with("ask\n") && out.contains("git-push-force"),
            "{out}"
        );
    }

    #[test]
    fn check_json_lists_every_finding_field() {
        let (code, out) = check_line("git reset --hard", true);
        assert_eq!(code, crate::error::EXIT_CHECK_ASK, "{out}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["verdict"], "ask");
        let f = &v["findings"][0];
        assert_eq!(f["rule_id"], "git-reset-hard");
        for key in ["pack", "severity", "command", "origin", "why", "safer"] {
            assert!(
                f[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key}: {out}"
            );
        }
        let (code, out) = check_line("ls -la", true);
        assert_eq!(
            (code, out.as_str()),
            (0, "{\"findings\":[],\"verdict\":\"allow\"}\n")
        );
    }
}

#[cfg(test)]
mod rules_tests {
    //! `rules test` and `explain` through the real analyzer.
    use super::{check, rules};

    const GOOD: &str = "pack: mine
rules:
  - id: deploy-prod
    severity: high
    why: Deploys to production.
    safer: Deploy to staging first.
    match: {program: deploy, subcommand: [prod]}
    examples:
      match: [deploy prod, 'cd app && deploy prod']
      no_match: [deploy staging, echo deploy prod]
";

    fn test_file(text: &str) -> (i32, String) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.yaml");
        std::fs::write(&path, text).unwrap();
        let mut out = Vec::new();
        let code = rules::test(&[path], &mut out).unwrap();
        (code, String::from_utf8(out).unwrap())
    }

    #[test]
    fn rules_test_reports_missed_and_noisy_examples() {
        assert_eq!(
            test_file(GOOD),
            (0, "1 rules, 4 examples: 4 passed, 0 failed\n".to_string())
        );
        let bad = GOOD
            .replace("deploy staging,", "deploy prod --now,")
            .replace("'cd app && deploy prod'", "deploy-prod");
        let (code, out) = test_file(&bad);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("missed: deploy-prod (mine): deploy-prod\n"),
            "{out}"
        );
        assert!(
            out.contains("noisy: deploy-prod (mine): deploy prod --now\n"),
            "{out}"
        );
        assert!(
            out.ends_with("1 rules, 4 examples: 2 passed, 2 failed\n"),
            "{out}"
        );
    }

    #[test]
    fn explain_lists_commands_origins_and_matches() {
        let mut out = Vec::new();
        check::explain(
            "ls -la | grep x; git push --force origin main",
            check::Settings::default(),
            &mut out,
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("command 1: ls -la\n"), "{out}");
        assert!(out.contains("  no rule matched\n"), "{out}");
        assert!(
            out.contains("command 3: git push --force origin main\n"),
            "{out}"
        );
        assert!(
            out.contains("  args:        [push] [--force] [origin] [main]\n"),
            "{out}"
        );
        assert!(
            out.contains("  matched: git-push-force (high, git): "),
            "{out}"
        );
        assert!(out.ends_with("verdict: ask\n"), "{out}");
    }
}
