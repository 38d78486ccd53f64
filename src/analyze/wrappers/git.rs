//! git aliases: `git -c alias.x='!cmd' x` and aliases from the repository's or the user's git config.
//! A `!` alias runs shell code; any other alias runs git with the alias words. Also the commands
//! git's own subcommands run (`submodule foreach`, `rebase --exec`, `bisect run`, `filter-branch`).

use std::path::{Path, PathBuf};

use super::super::command::{Arg, Command, Context};
use super::files::{self, FileText};
use super::options::Opts;
use super::{
    Inner, Spec, argv, opaque, parse_opts, parse_opts_anywhere, quote_join, shell_source,
    shell_words, split_words, stdin_text,
};

const GLOBAL: Spec = Spec::new(
    "Cc",
    &[
        "git-dir",
        "work-tree",
        "namespace",
        "super-prefix",
        "config-env",
        "list-cmds",
    ],
);

/// git's own commands: an alias with one of these names is ignored by git.
const BUILTINS: &[&str] = &[
    "add",
    "am",
    "annotate",
    "apply",
    "archive",
    "bisect",
    "blame",
    "branch",
    "bundle",
    "cat-file",
    "check-attr",
    "check-ignore",
    "check-ref-format",
    "checkout",
    "cherry",
    "cherry-pick",
    "clean",
    "clone",
    "commit",
    "commit-tree",
    "config",
    "count-objects",
    "describe",
    "diff",
    "diff-files",
    "diff-index",
    "diff-tree",
    "difftool",
    "fetch",
    "filter-branch",
    "for-each-ref",
    "format-patch",
    "fsck",
    "gc",
    "grep",
    "gui",
    "hash-object",
    "help",
    "init",
    "log",
    "ls-files",
    "ls-remote",
    "ls-tree",
    "maintenance",
    "merge",
    "merge-base",
    "mergetool",
    "mv",
    "notes",
    "pull",
    "push",
    "range-diff",
    "rebase",
    "reflog",
    "remote",
    "repack",
    "replace",
    "reset",
    "restore",
    "rev-list",
    "rev-parse",
    "revert",
    "rm",
    "shortlog",
    "show",
    "show-branch",
    "show-ref",
    "sparse-checkout",
    "stash",
    "status",
    "submodule",
    "switch",
    "symbolic-ref",
    "tag",
    "update-index",
    "update-ref",
    "var",
    "verify-commit",
    "verify-tag",
    "version",
    "whatchanged",
    "worktree",
    "prune",
    "read-tree",
    "write-tree",
    "mktag",
    "mktree",
    "name-rev",
    "pack-objects",
    "unpack-objects",
    "init-db",
    "stage",
    "send-email",
    "request-pull",
    "instaweb",
    "credential",
    "fast-export",
    "fast-import",
    "bugreport",
    "diagnose",
    "scalar",
    "verify-pack",
    "index-pack",
    "fmt-merge-msg",
    "interpret-trailers",
    "mailinfo",
    "mailsplit",
    "merge-file",
    "merge-tree",
    "multi-pack-index",
    "pack-refs",
    "patch-id",
    "rerere",
    "show-index",
    "stripspace",
    "unpack-file",
    "upload-pack",
    "receive-pack",
    "send-pack",
    "fetch-pack",
    "column",
    "check-mailmap",
    "get-tar-commit-id",
    "hook",
    "for-each-repo",
    "checkout-index",
    "citool",
    "commit-graph",
    "credential-cache",
    "credential-store",
    "cvsimport",
    "svn",
    "p4",
    "archimport",
    "quiltimport",
    "shell",
    "upload-archive",
    "replay",
    "backfill",
    "refs",
    "last-modified",
    "repo",
];

/// How deep to look for `.git` above the working directory.
const MAX_PARENTS: usize = 64;

/// Config keys whose value git runs as a shell command (`credential.helper` only with `!`).
const COMMAND_KEYS: &[&str] = &[
    "core.sshcommand",
    "core.pager",
    "core.editor",
    "core.askpass",
    "core.fsmonitor",
    "sequence.editor",
    "diff.external",
    "gpg.program",
    "gpg.ssh.program",
    "uploadpack.packobjectshook",
];

/// Environment variables whose value git runs as a shell command.
const COMMAND_VARS: &[&str] = &[
    "GIT_SSH_COMMAND",
    "GIT_PAGER",
    "PAGER",
    "GIT_EDITOR",
    "EDITOR",
    "VISUAL",
    "GIT_SEQUENCE_EDITOR",
    "GIT_EXTERNAL_DIFF",
    "GIT_ASKPASS",
];

/// Shell commands given to git through `-c KEY=CMD` or `VAR=CMD git ...` (`core.sshCommand`,
/// `core.pager`, `GIT_SSH_COMMAND`, ...): git may run each of them.
fn configured_commands(cmd: &Command, opts: &Opts) -> Vec<Inner> {
    let mut inner = Vec::new();
    for (option, value) in &opts.values {
        let Some((key, code)) = value.text.split_once('=').filter(|_| option == "c") else {
            continue;
        };
        let key = key.to_lowercase();
        let code = match key.as_str() {
            "credential.helper" => code.strip_prefix('!'),
            k if COMMAND_KEYS.contains(&k) || k.starts_with("pager.") => Some(code),
            _ => None,
        };
        if let Some(code) = code {
            inner.extend(shell_source(&format!("git -c {key}"), code, value.dynamic));
        }
    }
    for (name, code) in &cmd.assignments {
        if COMMAND_VARS.contains(&name.as_str()) {
            inner.extend(shell_source(&format!("git {name}"), code, false));
        }
    }
    inner
}

/// `git [options] NAME args` where NAME is an alias, and the commands git is configured to run.
pub fn git(cmd: &Command, ctx: &Context) -> Vec<Inner> {
    let opts = parse_opts(&cmd.args, &GLOBAL);
    let mut configured = configured_commands(cmd, &opts);
    configured.extend(alias(cmd, ctx, &opts));
    configured
}

/// What `git [options] NAME args` runs when NAME is an alias.
fn alias(cmd: &Command, ctx: &Context, opts: &Opts) -> Vec<Inner> {
    let Some((name, rest)) = opts.rest.split_first() else {
        return Vec::new();
    };
    if let Some(inner) = builtin_commands(&name.text, rest) {
        return inner;
    }
    if name.dynamic || name.text.starts_with('-') || BUILTINS.contains(&name.text.as_str()) {
        return Vec::new();
    }
    let label = format!("git {}", name.text);
    let key = format!("alias.{}", name.text.to_lowercase());
    let from_option = opts
        .values
        .iter()
        .filter(|(option, _)| option == "c")
        .filter_map(|(_, value)| value.text.split_once('='))
        .filter(|(k, _)| k.to_lowercase() == key)
        .map(|(_, v)| v.to_string())
        .next_back();
    let alias = match from_option {
        Some(alias) => alias,
        None if !ctx.read_files => {
            return vec![opaque(
                &label,
                "it may be a git alias, and the git config was not read",
            )];
        }
        None => {
            let dir = opts
                .value("C", "")
                .map(|d| files::resolve(ctx, &d.text))
                .unwrap_or_else(|| ctx.cwd.clone());
            match lookup(ctx, &dir, &key) {
                Some(alias) => alias,
                None => return Vec::new(),
            }
        }
    };
    match alias.strip_prefix('!') {
        Some(code) if rest.is_empty() => shell_source(&label, code, false),
        Some(code) => shell_source(&label, &format!("{code} {}", quote_join(rest)), false),
        None => {
            let mut words = vec![Arg::lit("git")];
            words.extend(split_words(&alias).into_iter().map(Arg::lit));
            words.extend(rest.iter().cloned());
            vec![Inner::Argv {
                label,
                words,
                stdin: stdin_text(cmd),
            }]
        }
    }
}

/// Commands git's own subcommands run: `submodule foreach CMD`, `rebase --exec CMD`,
/// `bisect run CMD...`, `filter-branch --tree-filter CMD`, `difftool -x CMD`. `None` for other
/// subcommands.
fn builtin_commands(name: &str, rest: &[Arg]) -> Option<Vec<Inner>> {
    const FILTERS: &[&str] = &[
        "tree-filter",
        "index-filter",
        "msg-filter",
        "commit-filter",
        "env-filter",
        "parent-filter",
        "tag-name-filter",
    ];
    match (name, rest.first().map(|a| a.text.as_str())) {
        ("submodule", Some("foreach")) => {
            let opts = parse_opts(&rest[1..], &Spec::NONE);
            Some(shell_words("git submodule foreach", opts.rest))
        }
        ("bisect", Some("run")) => Some(argv("git bisect run", &rest[1..], None)),
        ("rebase", _) => {
            let opts = parse_opts_anywhere(
                rest,
                &Spec::new("xsXS", &["exec", "strategy", "strategy-option", "onto"]),
            )
            .0;
            let execs = opts.values.iter().filter(|(o, _)| o == "x" || o == "exec");
            Some(
                execs
                    .flat_map(|(_, code)| {
                        shell_source("git rebase --exec", &code.text, code.dynamic)
                    })
                    .collect(),
            )
        }
        // `git difftool -x CMD` / `--extcmd=CMD` runs CMD on every changed file.
        ("difftool", _) => {
            let opts = parse_opts_anywhere(
                rest,
                &Spec::new("xtO", &["extcmd", "tool", "rotate-to", "skip-to"]),
            )
            .0;
            let cmds = opts
                .values
                .iter()
                .filter(|(o, _)| o == "x" || o == "extcmd");
            Some(
                cmds.flat_map(|(_, code)| {
                    shell_source("git difftool --extcmd", &code.text, code.dynamic)
                })
                .collect(),
            )
        }
        ("filter-branch", _) => {
            let opts = parse_opts_anywhere(rest, &Spec::new("d", FILTERS)).0;
            let filters = opts
                .values
                .iter()
                .filter(|(o, _)| FILTERS.contains(&o.as_str()));
            let inner = filters.flat_map(|(o, code)| {
                shell_source(
                    &format!("git filter-branch --{o}"),
                    &code.text,
                    code.dynamic,
                )
            });
            Some(inner.collect())
        }
        _ => None,
    }
}

/// The value of `key` in the repository config (found from `dir` upwards), else in the user's config.
fn lookup(ctx: &Context, dir: &Path, key: &str) -> Option<String> {
    let home = Path::new(&ctx.home);
    let mut configs: Vec<PathBuf> = repo_config(ctx, dir).into_iter().collect();
    configs.push(home.join(".gitconfig"));
    configs.push(home.join(".config/git/config"));
    configs
        .iter()
        .find_map(|path| match files::read(ctx, path) {
            FileText::Text(text) => config_value(&text, key),
            _ => None,
        })
}

/// The config file of the repository containing `dir` (worktrees included).
fn repo_config(ctx: &Context, dir: &Path) -> Option<PathBuf> {
    if dir.is_relative() {
        return None;
    }
    let mut dir = dir.to_path_buf();
    for _ in 0..MAX_PARENTS {
        let dot_git = dir.join(".git");
        if dot_git.is_dir() {
            return Some(dot_git.join("config"));
        }
        if let FileText::Text(text) = files::read(ctx, &dot_git) {
            let git_dir = dir.join(text.trim().strip_prefix("gitdir:")?.trim());
            let common = match files::read(ctx, &git_dir.join("commondir")) {
                FileText::Text(common) => git_dir.join(common.trim()),
                _ => git_dir,
            };
            return Some(common.join("config"));
        }
        if !dir.pop() {
            break;
        }
    }
    None
}

/// The last value of `section.name` in git config text (section and name compared without case).
fn config_value(text: &str, key: &str) -> Option<String> {
    let mut section = String::new();
    let mut found = None;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let mut line = line.trim().to_string();
        // A value continued on the next line ends with an odd number of backslashes.
        while (line.len() - line.trim_end_matches('\\').len()) % 2 == 1 {
            line.pop();
            match lines.next() {
                Some(next) => line.push_str(next),
                None => break,
            }
        }
        let mut rest = line.as_str();
        if rest.starts_with('[') {
            let Some(end) = rest.find(']') else { continue };
            let header = &rest[1..end];
            section = match header.split_once(char::is_whitespace) {
                Some((name, sub)) => {
                    format!("{}.{}", name.to_lowercase(), sub.trim().trim_matches('"'))
                }
                None => header.to_lowercase(),
            };
            rest = rest[end + 1..].trim();
        }
        if rest.is_empty() || rest.starts_with('#') || rest.starts_with(';') {
            continue;
        }
        let (name, value) = match rest.split_once('=') {
            Some((name, value)) => (name.trim(), parse_value(value)),
            None => (rest, "true".to_string()),
        };
        if format!("{section}.{}", name.to_lowercase()) == key {
            found = Some(value);
        }
    }
    found
}

/// A config value: quotes removed, escapes resolved, comments and surrounding blanks dropped.
fn parse_value(raw: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    let mut chars = raw.trim().chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '#' | ';' if !quoted => break,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            },
            c => out.push(c),
        }
    }
    if quoted {
        out
    } else {
        out.trim_end().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::command::Context;
    use super::super::test_support::*;
    use super::super::{Inner, opaque, unwrap};

    const CONFIG: &str = "[core]\n\tbare = false\n[alias]\n\tlg = log --oneline\n\
        \tnuke = \"!git reset --hard && git clean -fdx\"\n\tDel = !rm -rf \\\n  build ; comment\n\
        \tpush = !echo shadowed\n";

    fn repo() -> (tempfile::TempDir, Context) {
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::create_dir_all(dir.path().join("repo/.git")).unwrap();
        std::fs::create_dir_all(dir.path().join("repo/src")).unwrap();
        std::fs::write(dir.path().join("repo/.git/config"), CONFIG).unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        std::fs::write(
            dir.path().join("home/.gitconfig"),
            "[alias]\n  wipe = !rm -rf ~\n  lg = ignored\n",
        )
        .unwrap();
        let ctx = Context {
            cwd: dir.path().join("repo/src"),
            home: dir.path().join("home").display().to_string(),
            read_files: true,
            ..Context::example()
        };
        (dir, ctx)
    }

    #[test]
    fn aliases_from_the_repo_and_user_config() {
        let (_dir, ctx) = repo();
        let got = |words: &[&str]| unwrap(&cmd(words), &ctx);
        assert_eq!(
            got(&["git", "lg", "-3"]),
            vec![run("git lg", &["git", "log", "--oneline", "-3"])]
        );
        assert_eq!(
            got(&["git", "nuke"]),
            vec![sh("git nuke", "git reset --hard && git clean -fdx")]
        );
        assert_eq!(
            got(&["git", "del", "x y"]),
            vec![sh("git del", "rm -rf   build 'x y'")]
        );
        assert_eq!(got(&["git", "wipe"]), vec![sh("git wipe", "rm -rf ~")]);
        assert_eq!(got(&["git", "push", "--force"]), vec![]);
        assert_eq!(got(&["git", "unknown"]), vec![]);
        assert_eq!(
            got(&["git", "--no-pager", "-C", "..", "lg"]),
            vec![run("git lg", &["git", "log", "--oneline"])]
        );
    }

    #[test]
    fn aliases_given_on_the_command_line() {
        check_table(&[
            (
                &["git", "-c", "alias.x=!rm -rf /", "x"],
                vec![sh("git x", "rm -rf /")],
            ),
            (
                &["git", "-c", "alias.up=push --force", "up", "origin"],
                vec![run("git up", &["git", "push", "--force", "origin"])],
            ),
            (&["git", "-c", "alias.status=!rm -rf /", "status"], vec![]),
            (&["git", "status"], vec![]),
            (&["git"], vec![]),
        ]);
        assert_eq!(
            example(&["git", "lg"]),
            vec![opaque(
                "git lg",
                "it may be a git alias, and the git config was not read"
            )]
        );
    }

    #[test]
    fn subcommands_that_run_commands() {
        check_table(&[
            (
                &[
                    "git",
                    "submodule",
                    "foreach",
                    "--recursive",
                    "git clean -fdx",
                ],
                vec![sh("git submodule foreach", "git clean -fdx")],
            ),
            (
                &["git", "submodule", "foreach", "rm", "-rf", "x"],
                vec![sh("git submodule foreach", "rm -rf x")],
            ),
            (
                &["git", "rebase", "-i", "--exec", "make test", "main"],
                vec![sh("git rebase --exec", "make test")],
            ),
            (
                &["git", "rebase", "main", "-x", "rm -rf x", "--exec=ls"],
                vec![
                    sh("git rebase --exec", "rm -rf x"),
                    sh("git rebase --exec", "ls"),
                ],
            ),
            (&["git", "rebase", "main"], vec![]),
            (
                &["git", "bisect", "run", "rm", "-rf", "x"],
                vec![run("git bisect run", &["rm", "-rf", "x"])],
            ),
            (&["git", "bisect", "good"], vec![]),
            (
                &[
                    "git",
                    "filter-branch",
                    "-f",
                    "--tree-filter",
                    "rm -rf secrets",
                    "HEAD",
                ],
                vec![sh("git filter-branch --tree-filter", "rm -rf secrets")],
            ),
            (&["git", "submodule", "update"], vec![]),
        ]);
    }

    #[test]
    fn worktrees_use_the_common_config() {
        let (dir, _) = repo();
        let wt = dir.path().join("wt");
        std::fs::create_dir_all(dir.path().join("repo/.git/worktrees/wt")).unwrap();
        std::fs::write(
            dir.path().join("repo/.git/worktrees/wt/commondir"),
            "../..\n",
        )
        .unwrap();
        std::fs::create_dir_all(&wt).unwrap();
        let git_dir = dir.path().join("repo/.git/worktrees/wt");
        std::fs::write(wt.join(".git"), format!("gitdir: {}\n", git_dir.display())).unwrap();
        let ctx = Context {
            cwd: wt,
            read_files: true,
            ..Context::example()
        };
        assert_eq!(
            unwrap(&cmd(&["git", "nuke"]), &ctx),
            vec![Inner::Shell {
                label: "git nuke".into(),
                source: "git reset --hard && git clean -fdx".into()
            }]
        );
    }
}
