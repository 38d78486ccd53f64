//! Unwrapping: what a command hands on to be run (`sudo X`, `xargs X`, `bash -c S`, `eval S`, ...).
//!
//! [`unwrap`] looks one level deep; the walker analyses each [`Inner`] again, so `sudo env xargs rm`
//! unwraps one wrapper per call. Each family of wrappers lives in its own file:
//! [`privilege`] (sudo, su, ...), [`prefix`] (env, nice, timeout, ...), [`fanout`] (xargs, find, parallel),
//! [`remote`] (ssh, docker, kubectl), [`shells`] (bash -c, eval, source, scripts),
//! [`git`] (aliases), [`packages`] (package.json scripts, npx), [`make`] (recipes),
//! [`runners`] (`uv run`, `op run --`, `tini`, `gosu`, ... which other guards miss);
//! [`files`] reads what they need, within a size cap; [`options`] parses wrapper options.

mod fanout;
mod files;
mod git;
mod make;
mod options;
mod packages;
mod prefix;
mod privilege;
mod remote;
mod runners;
mod shells;

use std::path::PathBuf;

use super::command::{Arg, Command, Context, PayloadSource, WorkDir, shell_quote};
use options::{Spec, parse_opts, parse_opts_anywhere, split_words, with_text};

/// Something a command runs in turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inner {
    /// Another command given as words: `sudo rm -rf /` → `rm -rf /`; `xargs rm` + stdin words.
    /// `label` names the wrapper for the origin path (`sudo`, `xargs`, `find -exec`).
    Argv {
        label: String,
        words: Vec<Arg>,
        stdin: Option<String>,
    },
    /// Shell source to parse and analyse in turn: `bash -c S`, `eval S`, `ssh host S`, a script.
    Shell { label: String, source: String },
    /// Something that runs code shellgate cannot see (`sh` reading a pipe from `curl`).
    Opaque { label: String, reason: String },
}

/// Everything `cmd` runs in turn (not recursively: the walker analyses each inner one again).
/// Files (scripts, package.json, Makefiles) are looked up in the directory the command runs in.
pub fn unwrap(cmd: &Command, ctx: &Context) -> Vec<Inner> {
    let reads_files = cmd.path.contains('/')
        || shells::is_shell(&cmd.program)
        || matches!(
            cmd.program.as_str(),
            "source" | "." | "git" | "npm" | "pnpm" | "yarn" | "bun" | "make" | "gmake"
        );
    match &cmd.workdir {
        // Only commands that read files need the context moved to their directory.
        _ if !reads_files => unwrap_in(cmd, ctx),
        WorkDir::Start => unwrap_in(cmd, ctx),
        WorkDir::At(dir) => unwrap_in(
            cmd,
            &Context {
                cwd: dir.clone(),
                ..ctx.clone()
            },
        ),
        // An empty directory: files::read refuses relative paths it cannot place.
        WorkDir::Unknown => unwrap_in(
            cmd,
            &Context {
                cwd: PathBuf::new(),
                ..ctx.clone()
            },
        ),
    }
}

fn unwrap_in(cmd: &Command, ctx: &Context) -> Vec<Inner> {
    if let Some(inner) = shells::executed_script(cmd, ctx) {
        return inner;
    }
    let args = cmd.args.as_slice();
    match cmd.program.as_str() {
        "sudo" => privilege::sudo(cmd),
        "doas" => privilege::doas(cmd),
        "su" => privilege::su(cmd),
        "runuser" => privilege::runuser(cmd),
        "env" => prefix::env(cmd),
        "nice" => prefix::simple(cmd, "nice", &Spec::new("n", &["adjustment"])),
        "nohup" => prefix::simple(cmd, "nohup", &Spec::NONE),
        "timeout" => prefix::timeout(cmd),
        "time" => prefix::simple(cmd, "time", &Spec::new("fo", &["format", "output"])),
        "watch" => prefix::watch(args),
        "stdbuf" => prefix::simple(
            cmd,
            "stdbuf",
            &Spec::new("ioe", &["input", "output", "error"]),
        ),
        "ionice" => prefix::ionice(cmd),
        "chroot" => prefix::chroot(cmd),
        "setsid" => prefix::simple(cmd, "setsid", &Spec::NONE),
        "strace" => prefix::simple(
            cmd,
            "strace",
            &Spec::new(
                "abeEIoOpPsSuUX",
                &[
                    "output",
                    "trace",
                    "signal",
                    "user",
                    "env",
                    "string-limit",
                    "attach",
                    "trace-path",
                ],
            ),
        ),
        "ltrace" => prefix::simple(
            cmd,
            "ltrace",
            &Spec::new("aAeEFnopsuxX", &["output", "library", "config"]),
        ),
        "flock" => prefix::flock(cmd),
        "command" => prefix::command(cmd),
        "builtin" => argv("builtin", args, stdin_text(cmd)),
        "exec" => prefix::simple(cmd, "exec", &Spec::new("a", &[])),
        "busybox" => prefix::busybox(cmd),
        "unbuffer" => prefix::simple(cmd, "unbuffer", &Spec::NONE),
        "proxychains" | "proxychains4" => prefix::simple(cmd, "proxychains", &Spec::new("f", &[])),
        "torsocks" => prefix::simple(
            cmd,
            "torsocks",
            &Spec::new("upaP", &["user", "pass", "address", "port"]),
        ),
        "firejail" => prefix::simple(cmd, "firejail", &Spec::NONE),
        "caffeinate" => prefix::simple(cmd, "caffeinate", &Spec::new("tw", &[])),
        "systemd-run" => prefix::systemd_run(cmd),
        "script" => prefix::script(args),
        "xargs" => fanout::xargs(cmd),
        "find" => fanout::find(args),
        "parallel" => fanout::parallel(cmd),
        "ssh" => remote::ssh(cmd),
        "gcloud" => remote::gcloud(cmd),
        "docker" | "podman" | "docker-compose" => remote::docker(cmd),
        "kubectl" | "oc" => remote::kubectl(cmd),
        "eval" => shell_words("eval", args),
        "trap" => prefix::trap(args),
        "alias" => prefix::alias(args),
        "at" | "batch" => prefix::at(cmd),
        "crontab" => prefix::crontab(cmd),
        "source" | "." => shells::source(cmd, ctx),
        "git" => git::git(cmd, ctx),
        "npm" | "pnpm" | "yarn" | "bun" => packages::package_manager(cmd, ctx),
        "npx" | "bunx" => packages::npx(cmd),
        "make" | "gmake" => make::make(cmd, ctx),
        name if shells::is_shell(name) => shells::shell(cmd, ctx),
        _ => runners::unwrap(cmd).unwrap_or_default(),
    }
}

/// The text of the command's standard input, when it is known statically.
pub(super) fn stdin_text(cmd: &Command) -> Option<String> {
    cmd.payloads
        .iter()
        .find(|p| p.source == PayloadSource::Stdin)
        .map(|p| p.text.clone())
}

/// Run `words` as a command (nothing when there are none).
pub(super) fn argv(label: &str, words: &[Arg], stdin: Option<String>) -> Vec<Inner> {
    if words.is_empty() {
        return Vec::new();
    }
    vec![Inner::Argv {
        label: label.to_string(),
        words: words.to_vec(),
        stdin,
    }]
}

/// Run the words joined with spaces as shell source (`eval`, `ssh host ...`, `watch ...`).
pub(super) fn shell_words(label: &str, words: &[Arg]) -> Vec<Inner> {
    if words.is_empty() {
        return Vec::new();
    }
    let source: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    shell_source(label, &source.join(" "), words.iter().any(|w| w.dynamic))
}

/// Run `source` as shell code. When part of it is only known at run time, what is known is still
/// analysed and the rest is reported as opaque.
pub(super) fn shell_source(label: &str, source: &str, dynamic: bool) -> Vec<Inner> {
    let mut inner = vec![Inner::Shell {
        label: label.to_string(),
        source: source.to_string(),
    }];
    if dynamic {
        inner.push(opaque(
            label,
            "part of the code it runs is only known at run time",
        ));
    }
    inner
}

/// Something shellgate cannot see through.
pub(super) fn opaque(label: &str, reason: &str) -> Inner {
    Inner::Opaque {
        label: label.to_string(),
        reason: reason.to_string(),
    }
}

/// Words quoted and joined so that a shell reads them back as the same words.
pub(super) fn quote_join(words: &[Arg]) -> String {
    words
        .iter()
        .map(|w| shell_quote(&w.text))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
pub(super) mod test_support {
    //! Building commands and expected results for the wrapper tests.

    use super::*;

    /// A command from its words, all known statically.
    pub fn cmd(words: &[&str]) -> Command {
        Command::new(words[0], words[1..].iter().map(|w| Arg::lit(*w)).collect())
    }

    pub fn lits(words: &[&str]) -> Vec<Arg> {
        words.iter().map(|w| Arg::lit(*w)).collect()
    }

    pub fn run(label: &str, words: &[&str]) -> Inner {
        Inner::Argv {
            label: label.to_string(),
            words: lits(words),
            stdin: None,
        }
    }

    pub fn sh(label: &str, source: &str) -> Inner {
        Inner::Shell {
            label: label.to_string(),
            source: source.to_string(),
        }
    }

    pub fn example(words: &[&str]) -> Vec<Inner> {
        unwrap(&cmd(words), &Context::example())
    }

    /// A temporary project directory holding one file, and a context that runs in it and may
    /// read files.
    pub fn project_with(file: &str, text: &str) -> (tempfile::TempDir, Context) {
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::write(dir.path().join(file), text).unwrap();
        let ctx = Context {
            cwd: dir.path().to_path_buf(),
            read_files: true,
            ..Context::example()
        };
        (dir, ctx)
    }

    /// Check each (command words, expected inner) row in the example context.
    pub fn check_table(rows: &[(&[&str], Vec<Inner>)]) {
        for (words, want) in rows {
            assert_eq!(&example(words), want, "unwrapping {words:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn plain_programs_run_nothing() {
        assert_eq!(example(&["ls", "-la"]), vec![]);
        assert_eq!(example(&["rm", "-rf", "/"]), vec![]);
    }

    #[test]
    fn dynamic_shell_code_is_analysed_and_reported() {
        let cmd = Command::new(
            "eval",
            vec![
                Arg::lit("rm"),
                Arg {
                    text: String::new(),
                    dynamic: true,
                },
            ],
        );
        assert_eq!(
            unwrap(&cmd, &Context::example()),
            vec![
                sh("eval", "rm "),
                opaque("eval", "part of the code it runs is only known at run time")
            ]
        );
    }

    /// Odd words (multi-byte option letters, dangling options, lone separators) never panic.
    #[test]
    fn odd_words_never_panic() {
        const PROGRAMS: &[&str] = &[
            "sudo",
            "doas",
            "su",
            "runuser",
            "env",
            "nice",
            "nohup",
            "timeout",
            "time",
            "watch",
            "stdbuf",
            "ionice",
            "chroot",
            "setsid",
            "strace",
            "ltrace",
            "trap",
            "alias",
            "at",
            "batch",
            "crontab",
            "gcloud",
            "flock",
            "command",
            "builtin",
            "exec",
            "busybox",
            "unbuffer",
            "proxychains",
            "torsocks",
            "firejail",
            "caffeinate",
            "systemd-run",
            "script",
            "xargs",
            "find",
            "parallel",
            "ssh",
            "docker",
            "podman",
            "docker-compose",
            "kubectl",
            "eval",
            "source",
            ".",
            "git",
            "npm",
            "pnpm",
            "yarn",
            "bun",
            "npx",
            "bunx",
            "make",
            "bash",
            "sh",
            "./x",
            "uv",
            "op",
            "doppler",
            "aws-vault",
            "dotenv",
            "mise",
            "nix",
            "nix-shell",
            "direnv",
            "chrt",
            "taskset",
            "gosu",
            "entr",
            "gdb",
            "hyperfine",
            "poetry",
            "bundle",
        ];
        const WORDS: &[&str] = &[
            "-é",
            "-xé",
            "--ü=é",
            "-Sé",
            "-Ié",
            "-Cé",
            "-d",
            "--",
            "-",
            ":::",
            "::::",
            "{}",
            ";",
            "+",
            "=",
            "exec",
            "run",
            "compose",
            "container",
            "-c",
            "-u",
            "é",
            "$(",
            "-j",
            "alias.é=!x",
            "-D",
        ];
        let dir = tempfile::TempDir::new().unwrap();
        let ctx = Context {
            cwd: dir.path().to_path_buf(),
            read_files: true,
            ..Context::example()
        };
        for program in PROGRAMS {
            for (i, _) in WORDS.iter().enumerate() {
                for len in 0..WORDS.len() {
                    let args: Vec<Arg> = WORDS
                        .iter()
                        .cycle()
                        .skip(i)
                        .take(len)
                        .map(|w| Arg::lit(*w))
                        .collect();
                    let mut cmd = Command::new(*program, args);
                    let _ = unwrap(&cmd, &ctx);
                    cmd.payloads.push(super::super::command::Payload {
                        source: PayloadSource::Stdin,
                        text: "é\0x\n'".into(),
                    });
                    let _ = unwrap(&cmd, &ctx);
                }
            }
        }
    }

    /// Through the walker: each wrapper peeled one level per call, the origin path recorded.
    #[test]
    fn nested_wrappers_through_the_analyzer() {
        let rows: &[(&str, &str)] = &[
            (
                "sudo env FOO=1 xargs rm -rf < list",
                "sudo → env → xargs → rm -rf ''",
            ),
            (
                r#"ssh prod "bash -c 'psql -c \"DROP TABLE users\"'""#,
                "ssh prod → bash -c → psql -c 'DROP TABLE users'",
            ),
            ("echo / | xargs rm -rf", "xargs → rm -rf /"),
            ("find / -exec rm -rf {} \\;", "find -exec → rm -rf /"),
            (
                "timeout 5 nice -n 3 nohup stdbuf -oL rm -rf /",
                "timeout → nice → nohup → stdbuf → rm -rf /",
            ),
            (
                "kubectl exec -it api -- sh -c 'rm -rf /data'",
                "kubectl exec api → sh -c → rm -rf /data",
            ),
            ("echo 'rm -rf /' | bash", "bash stdin → rm -rf /"),
            ("git -c alias.x='!rm -rf /' x", "git x → rm -rf /"),
            (
                "find /srv -exec sh -c 'rm -rf \"$1\"' _ {} \\;",
                "find -exec → sh -c → rm -rf /srv",
            ),
            ("xargs sh -c 'rm -rf \"$@\"' _", "xargs → sh -c → rm -rf ''"),
            (
                "su - root -c \"eval 'git push --force'\"",
                "su → eval → git push --force",
            ),
        ];
        for (line, want) in rows {
            let analysis = super::super::analyze(line, &Context::example());
            let got: Vec<String> = analysis
                .commands
                .iter()
                .map(|c| {
                    let mut path = c.origin.clone();
                    path.push(c.display());
                    path.join(" → ")
                })
                .collect();
            assert!(
                got.iter().any(|g| g == want),
                "{line}\n  want {want}\n  got {got:?}"
            );
        }
    }
}
