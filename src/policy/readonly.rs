//! The strict level's curated list: commands known to only read. Under `SHELLGATE_LEVEL=strict`
//! every other command needs a human's go ("a manual go signal for any state change").

use crate::analyze::{Command, RedirectKind};

/// Programs that only read (given no writing redirection and none of their writing flags).
const READ_ONLY: &[&str] = &[
    "ls",
    "ll",
    "la",
    "cat",
    "bat",
    "head",
    "tail",
    "less",
    "more",
    "wc",
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "ag",
    "ack",
    "fd",
    "tree",
    "pwd",
    "echo",
    "printf",
    "true",
    "false",
    "test",
    "[",
    "[[",
    "which",
    "type",
    "whereis",
    "file",
    "stat",
    "du",
    "df",
    "date",
    "cal",
    "whoami",
    "id",
    "groups",
    "uname",
    "hostname",
    "printenv",
    "diff",
    "cmp",
    "comm",
    "uniq",
    "cut",
    "tr",
    "jq",
    "yq",
    "basename",
    "dirname",
    "realpath",
    "readlink",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "md5sum",
    "cksum",
    "nl",
    "column",
    "fold",
    "fmt",
    "rev",
    "tac",
    "od",
    "xxd",
    "hexdump",
    "strings",
    "seq",
    "sleep",
    "ps",
    "pgrep",
    "top",
    "free",
    "uptime",
    "lsof",
    "nproc",
    "locale",
    "tput",
    "cd",
    "pushd",
    "popd",
    ":",
    "set",
    "shopt",
    "export",
    "unset",
    "alias",
    "unalias",
    "declare",
    "typeset",
    "local",
    "read",
    "wait",
    "history",
    "help",
    "man",
    "info",
    "tldr",
    "rustc",
    "cargo-metadata",
];

/// Programs that run other commands, which are analysed and judged on their own.
const WRAPPERS: &[&str] = &[
    "sudo",
    "doas",
    "env",
    "nice",
    "nohup",
    "timeout",
    "time",
    "stdbuf",
    "ionice",
    "setsid",
    "command",
    "builtin",
    "exec",
    "eval",
    "source",
    ".",
    "xargs",
    "bash",
    "sh",
    "zsh",
    "dash",
    "ksh",
    "shellgate",
];

/// Subcommands of version-control and inspection tools that only read.
const READ_ONLY_SUBCOMMANDS: &[(&str, &[&str])] = &[
    (
        "git",
        &[
            "status",
            "log",
            "diff",
            "show",
            "blame",
            "grep",
            "ls-files",
            "ls-tree",
            "rev-parse",
            "describe",
            "shortlog",
            "cat-file",
            "remote",
            "reflog",
        ],
    ),
    (
        "kubectl",
        &[
            "get",
            "describe",
            "logs",
            "explain",
            "version",
            "top",
            "api-resources",
            "config",
        ],
    ),
    (
        "docker",
        &["ps", "images", "logs", "inspect", "version", "info"],
    ),
    (
        "terraform",
        &[
            "plan",
            "show",
            "validate",
            "fmt",
            "version",
            "output",
            "providers",
        ],
    ),
    (
        "cargo",
        &["check", "tree", "metadata", "search", "--version"],
    ),
    (
        "npm",
        &["ls", "list", "view", "outdated", "--version", "-v"],
    ),
];

/// Flags that make an otherwise read-only command write.
const WRITING_FLAGS: &[(&str, &[&str])] = &[
    ("sed", &["-i", "--in-place"]),
    ("sort", &["-o", "--output"]),
    (
        "find",
        &[
            "-delete", "-fprint", "-fprintf", "-fls", "-exec", "-execdir", "-ok", "-okdir",
        ],
    ),
    (
        "git",
        &[
            "--output", "-o", "add", "rename", "remove", "rm", "set-url", "set-head", "prune",
            "expire", "delete",
        ],
    ),
];

/// sed and sort read unless told to write; find reads unless it deletes or runs something.
const READ_ONLY_UNLESS_FLAGGED: &[&str] = &["sed", "sort", "find"];

/// Whether `cmd` is known to only read.
pub fn is_read_only(cmd: &Command) -> bool {
    if writes_through_redirect(cmd) {
        return false;
    }
    let program = cmd.program.as_str();
    if WRAPPERS.contains(&program) {
        return true;
    }
    let has_writing_flag = WRITING_FLAGS
        .iter()
        .find(|(p, _)| *p == program)
        .is_some_and(|(_, flags)| cmd.args.iter().any(|a| flags.contains(&a.text.as_str())));
    if has_writing_flag {
        return false;
    }
    if READ_ONLY.contains(&program) || READ_ONLY_UNLESS_FLAGGED.contains(&program) {
        return true;
    }
    match READ_ONLY_SUBCOMMANDS.iter().find(|(p, _)| *p == program) {
        Some((_, subs)) => {
            let first = cmd.args.iter().find(|a| !a.text.starts_with('-'));
            first.is_some_and(|a| subs.contains(&a.text.as_str()))
                || cmd.args.iter().all(|a| a.text.starts_with('-'))
        }
        None => false,
    }
}

/// An output redirection to anything but the terminal or the bit bucket writes a file.
fn writes_through_redirect(cmd: &Command) -> bool {
    const HARMLESS: &[&str] = &["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"];
    cmd.redirects.iter().any(|r| {
        matches!(
            r.kind,
            RedirectKind::Write
                | RedirectKind::Append
                | RedirectKind::Clobber
                | RedirectKind::ReadWrite
        ) && !HARMLESS.contains(&r.target.text.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::{Context, analyze};

    fn all_read_only(line: &str) -> bool {
        analyze(line, &Context::example())
            .commands
            .iter()
            .all(is_read_only)
    }

    #[test]
    fn reading_passes() {
        for line in [
            "ls -la",
            "git status && git diff HEAD~1",
            "grep -rn foo src | head",
            "sudo cat /etc/hosts",
            "kubectl get pods -n x",
            "terraform plan",
            "sed -n 1,5p f",
            "echo hi > /dev/null",
            "git log --oneline | wc -l",
        ] {
            assert!(all_read_only(line), "{line}");
        }
    }

    #[test]
    fn writing_needs_a_human() {
        for line in [
            "touch x",
            "echo hi > notes.txt",
            "sed -i s/a/b/ f",
            "git commit -m x",
            "git branch -D old",
            "npm install",
            "cargo build",
            "find . -delete",
            "git stash",
            "git tag v1",
            "git config user.name x",
            "git remote add o u",
            "kubectl apply -f x.yaml",
            "mkdir build",
            "sort -o out in",
            "curl https://example.com",
            "python3 script.py",
            "git stash drop",
        ] {
            assert!(!all_read_only(line), "{line}");
        }
    }
}
