//! Tools that run the rest of their line as a command, beyond the classic prefixes: secret and
//! env loaders (`dotenv --`, `op run --`, `doppler run --`, `aws-vault exec P --`), toolchain
//! runners (`poetry run`, `uv run`, `pipenv run`, `bundle exec`, `mise exec --`, `asdf exec`,
//! `direnv exec DIR`, `nix develop -c`, `nix-shell --run`, `devbox run`), container init shims
//! (`tini`, `dumb-init`, `gosu USER`, `su-exec USER`), process tools (`chrt`, `taskset`,
//! `cpulimit`, `trickle`, `eatmydata`, `fakeroot`, `unshare`, `nsenter`, `pkexec`, `valgrind`,
//! `xvfb-run`, `chronic`, `retry`, `entr`, `toybox`, `rtk`) and tools that take shell strings
//! (`gdb -ex 'shell ..'`, `hyperfine`), or on other hosts and terminals (`ansible -a`, `salt
//! cmd.run`, `pssh`, `pdsh`, `tmux send-keys`, `screen -X stuff`). A guard that does not know a wrapper reads the wrapper's
//! name as the program and misses the command under it (reported against Claude Code's deny rules).

use std::sync::LazyLock;

use regex::Regex;

use super::super::command::{Arg, Command};
use super::{Inner, Spec, argv, parse_opts, parse_opts_anywhere, shell_source, stdin_text};

/// A `$(` or backquote inside `[...]`: an array subscript that runs a command.
static SUBSCRIPT_SUB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[[^\]]*(\$\(|`)").expect("subscript regex"));

/// What `cmd` runs when it is one of these runners; `None` when it is not one.
pub fn unwrap(cmd: &Command) -> Option<Vec<Inner>> {
    let program = cmd.program.as_str();
    let args = cmd.args.as_slice();
    let run = |label: &str, words: &[Arg]| argv(label, words, stdin_text(cmd));
    let simple = |spec: &Spec| run(program, parse_opts(args, spec).rest);
    Some(match program {
        "chronic" | "eatmydata" | "toybox" | "rtk" | "ifne" | "noglob" | "nocorrect" => {
            simple(&Spec::new("", &[]))
        }
        // zsh's `repeat N CMD`.
        "repeat" => run(program, args.get(1..).unwrap_or(&[])),
        // Builtins that evaluate an array subscript as arithmetic, where `$(...)` runs:
        // `test -v 'a[$(rm -rf ~)]'`, `declare -i n='a[$(..)]'`, `let`, `printf -v`, `read`.
        "test" | "[" | "let" | "declare" | "typeset" | "local" | "export" | "readonly"
        | "printf" | "read" | "mapfile" | "readarray" | "unset" => {
            let mut found = Vec::new();
            for a in args.iter().filter(|a| SUBSCRIPT_SUB.is_match(&a.text)) {
                let mut subs = Vec::new();
                crate::analyze::words::substitutions_in(&a.text, &mut subs);
                if subs.is_empty() {
                    found.push(super::opaque(program, "an array subscript runs a command"));
                }
                for sub in subs {
                    found.extend(shell_source(&format!("{program} a[...]"), &sub, false));
                }
            }
            found
        }
        "fakeroot" => simple(&Spec::new("sil", &["lib", "faked"])),
        "pkexec" => simple(&Spec::new("", &["user"])),
        "valgrind" => simple(&Spec::new("", &[])),
        "xvfb-run" => simple(&Spec::new(
            "nsfepw",
            &[
                "server-num",
                "server-args",
                "auth-file",
                "error-file",
                "xauth-protocol",
                "wait",
            ],
        )),
        "tini" => simple(&Spec::new("pe", &[])),
        "dumb-init" => simple(&Spec::new("r", &["rewrite"])),
        "cpulimit" => simple(&Spec::new("lpe", &["limit", "pid", "exe", "path"])),
        "trickle" => simple(&Spec::new("udwtln", &[])),
        "unshare" => simple(&Spec::new(
            "SGRw",
            &[
                "setuid",
                "setgid",
                "root",
                "wd",
                "map-user",
                "map-group",
                "propagation",
                "setgroups",
            ],
        )),
        "nsenter" => simple(&Spec::new("tSG", &["target", "setuid", "setgid"])),
        "retry" => simple(&Spec::new("tdmx", &["tries", "delay", "min", "max"])),
        "entr" => {
            let opts = parse_opts(args, &Spec::new("", &[]));
            if opts.flags.contains(&'s') {
                return Some(joined(program, opts.rest));
            }
            run(program, opts.rest)
        }
        // `chrt [opts] PRIORITY cmd`, `taskset [opts] MASK cmd`; `-p` works on a running pid.
        "chrt" | "taskset" => {
            let opts = parse_opts(args, &Spec::new("", &[]));
            if opts.flags.contains(&'p') || opts.longs.contains(&"pid") {
                return Some(Vec::new());
            }
            run(program, opts.rest.get(1..).unwrap_or(&[]))
        }
        // `gosu USER cmd`, `su-exec USER:GROUP cmd`.
        "gosu" | "su-exec" => run(program, args.get(1..).unwrap_or(&[])),
        "dotenv" | "dotenvx" => after_dashes(cmd, program),
        "op" | "doppler" | "infisical" | "teller" | "chamber" | "envchain" | "sops" => {
            if doppler_command(cmd).is_some() {
                return doppler_command(cmd);
            }
            match args.first().map(|a| a.text.as_str()) {
                Some("run" | "exec") => after_dashes(cmd, program),
                _ => return None,
            }
        }
        "aws-vault" => match args.first().map(|a| a.text.as_str()) {
            Some("exec") => after_dashes(cmd, program),
            _ => return None,
        },
        "poetry" | "pipenv" | "pdm" | "hatch" | "rye" | "devbox" | "asdf" | "rbenv" | "pyenv"
        | "nodenv" | "conda" | "micromamba" | "pixi" => {
            match args.first().map(|a| a.text.as_str()) {
                Some("run" | "exec") => {
                    let spec = Spec::new("nep", &["name", "prefix", "environment", "env"]);
                    run(program, parse_opts(&args[1..], &spec).rest)
                }
                _ => return None,
            }
        }
        "bundle" | "bundler" => match args.first().map(|a| a.text.as_str()) {
            Some("exec") => run(program, parse_opts(&args[1..], &Spec::new("", &[])).rest),
            _ => return None,
        },
        "uv" => match args.first().map(|a| a.text.as_str()) {
            Some("run") => {
                const LONG: &[&str] = &[
                    "with",
                    "with-requirements",
                    "with-editable",
                    "python",
                    "package",
                    "extra",
                    "group",
                    "only-group",
                    "env-file",
                    "directory",
                    "project",
                    "index",
                    "default-index",
                    "index-url",
                    "extra-index-url",
                    "find-links",
                    "config-file",
                    "cache-dir",
                ];
                let opts = parse_opts(&args[1..], &Spec::new("pw", LONG));
                if opts.flags.contains(&'m') || opts.longs.contains(&"module") {
                    return Some(Vec::new());
                }
                run(program, opts.rest)
            }
            _ => return None,
        },
        "mise" | "rtx" => match args.first().map(|a| a.text.as_str()) {
            Some("exec" | "x") => match args.iter().position(|a| a.text == "--") {
                Some(at) => run(program, &args[at + 1..]),
                None => Vec::new(),
            },
            _ => return None,
        },
        "direnv" => match args.first().map(|a| a.text.as_str()) {
            Some("exec") => run(program, args.get(2..).unwrap_or(&[])),
            _ => return None,
        },
        "nix" => match args
            .iter()
            .position(|a| a.text == "-c" || a.text == "--command")
        {
            Some(at)
                if matches!(
                    args.first().map(|a| a.text.as_str()),
                    Some("develop" | "shell")
                ) =>
            {
                run(program, &args[at + 1..])
            }
            _ => return None,
        },
        "nix-shell" => {
            let (opts, _) = parse_opts_anywhere(
                args,
                &Spec::new(
                    "pIA",
                    &["run", "command", "arg", "argstr", "attr", "packages"],
                ),
            );
            let mut found = Vec::new();
            for name in ["run", "command"] {
                if let Some(code) = opts.value("", name) {
                    found.extend(shell_source("nix-shell", &code.text, code.dynamic));
                }
            }
            found
        }
        "gdb" => {
            let mut found = Vec::new();
            let mut words = args.iter();
            while let Some(w) = words.next() {
                let ex = match w.text.as_str() {
                    "-ex" | "--ex" | "-eval-command" | "--eval-command" | "-iex" => words.next(),
                    t if t.starts_with("--eval-command=") => Some(w),
                    _ => None,
                };
                let Some(ex) = ex else { continue };
                let text = ex.text.trim_start_matches("--eval-command=").trim_start();
                let code = text
                    .strip_prefix("shell ")
                    .or_else(|| text.strip_prefix('!'))
                    .or_else(|| text.strip_prefix("pipe "));
                if let Some(code) = code {
                    found.extend(shell_source("gdb -ex", code, ex.dynamic));
                }
            }
            found
        }
        "hyperfine" => {
            const LONG: &[&str] = &[
                "warmup",
                "runs",
                "min-runs",
                "max-runs",
                "prepare",
                "cleanup",
                "setup",
                "conclude",
                "parameter-scan",
                "parameter-step-size",
                "parameter-list",
                "shell",
                "style",
                "sort",
                "time-unit",
                "export-asciidoc",
                "export-csv",
                "export-json",
                "export-markdown",
                "export-orgmode",
                "command-name",
                "output",
                "input",
            ];
            let (opts, operands) = parse_opts_anywhere(args, &Spec::new("wrmMpcsPDLSunoi", LONG));
            let mut found = Vec::new();
            for (name, value) in &opts.values {
                if matches!(
                    name.as_str(),
                    "p" | "c" | "s" | "prepare" | "cleanup" | "setup" | "conclude"
                ) {
                    found.extend(shell_source("hyperfine", &value.text, value.dynamic));
                }
            }
            for op in &operands {
                found.extend(shell_source("hyperfine", &op.text, op.dynamic));
            }
            found
        }
        "ansible" => ansible(args),
        "salt" | "salt-ssh" => {
            let at = args.iter().position(|a| {
                matches!(
                    a.text.as_str(),
                    "cmd.run" | "cmd.shell" | "cmd.run_all" | "cmd.exec_code"
                )
            })?;
            let code = args.get(at + 1)?;
            shell_source("salt cmd.run", &code.text, code.dynamic)
        }
        // `pssh -h hosts CMD`, `pdsh -w hosts CMD...`, `clush -w hosts CMD...`: run on every host.
        "pssh" | "parallel-ssh" | "pdsh" | "clush" => {
            let spec = Spec::new(
                "hHlpoetxXOwgRfu",
                &[
                    "hosts",
                    "host",
                    "user",
                    "par",
                    "outdir",
                    "errdir",
                    "timeout",
                    "extra-args",
                    "option",
                ],
            );
            super::shell_words(program, parse_opts(args, &spec).rest)
        }
        // `tmux send-keys 'rm -rf ~' Enter` types into the shell of another pane.
        "tmux" => {
            // `tmux new -d 'CMD'`, `split-window CMD`, `run-shell CMD`: a shell command.
            let runs = args.iter().position(|a| {
                matches!(
                    a.text.as_str(),
                    "new-session"
                        | "new"
                        | "new-window"
                        | "neww"
                        | "split-window"
                        | "splitw"
                        | "respawn-pane"
                        | "respawnp"
                        | "respawn-window"
                        | "respawnw"
                        | "run-shell"
                        | "run"
                        | "display-popup"
                        | "popup"
                )
            });
            if let Some(at) = runs {
                let spec = Spec::new("cefnstxylF", &[]);
                return Some(super::shell_words(
                    "tmux",
                    parse_opts(&args[at + 1..], &spec).rest,
                ));
            }
            let at = args
                .iter()
                .position(|a| matches!(a.text.as_str(), "send-keys" | "send"))?;
            let keys: Vec<&Arg> = args[at + 1..]
                .iter()
                .scan(false, |skip, a| {
                    let this = *skip;
                    *skip = matches!(a.text.as_str(), "-t" | "-N");
                    Some((this, a))
                })
                .filter(|(skipped, a)| !skipped && !a.text.starts_with('-'))
                .map(|(_, a)| a)
                .filter(|a| !matches!(a.text.as_str(), "Enter" | "C-m" | "KPEnter" | "C-j"))
                .collect();
            let text: Vec<&str> = keys.iter().map(|a| a.text.as_str()).collect();
            shell_source(
                "tmux send-keys",
                &text.join(" "),
                keys.iter().any(|a| a.dynamic),
            )
        }
        // `screen -X stuff 'rm -rf ~\n'` types into a window's shell.
        "screen" => {
            let Some(at) = args.iter().position(|a| a.text == "stuff") else {
                // `screen -dmS NAME CMD...` runs CMD in a new window.
                let spec = Spec::new("ScehpTtX", &[]);
                let opts = parse_opts(args, &spec);
                if opts
                    .flags
                    .iter()
                    .any(|f| matches!(f, 'r' | 'R' | 'x' | 'l' | 'v'))
                {
                    return Some(Vec::new());
                }
                return Some(run(program, opts.rest));
            };
            let code = args.get(at + 1)?;
            let text = code.text.replace("\\n", "\n").replace("\\r", "\n");
            shell_source("screen stuff", &text, code.dynamic)
        }
        "expect" | "emacs" => {
            let code: String = args
                .iter()
                .map(|a| a.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let runs = [
                "spawn ",
                "exec ",
                "system ",
                "shell-command",
                "call-process",
                "start-process",
                "delete-directory",
                "delete-file",
            ];
            if runs.iter().any(|r| code.contains(r)) {
                return Some(vec![super::opaque(
                    program,
                    "runs commands from a script shellgate does not read",
                )]);
            }
            return None;
        }
        _ => return None,
    })
}

/// `ansible HOSTS -m shell|command|raw -a 'CMD'` (the command module is the default).
fn ansible(args: &[Arg]) -> Vec<Inner> {
    let spec = Spec::new(
        "maiuefMtTcB",
        &[
            "module-name",
            "args",
            "inventory",
            "user",
            "become-user",
            "extra-vars",
            "forks",
            "module-path",
            "tree",
            "timeout",
            "connection",
            "limit",
        ],
    );
    let (opts, _) = parse_opts_anywhere(args, &spec);
    let module = opts
        .value("m", "module-name")
        .map_or("command", |m| m.text.as_str());
    let module = module.rsplit('.').next().unwrap_or(module);
    match (module, opts.value("a", "args")) {
        ("shell" | "command" | "raw" | "script", Some(code)) => {
            shell_source("ansible -a", &code.text, code.dynamic)
        }
        _ => Vec::new(),
    }
}

/// The words after the first `--` (`op run -- cmd`, `dotenv -e .env -- cmd`); without one,
/// the operands after the options of the subcommand.
fn after_dashes(cmd: &Command, label: &str) -> Vec<Inner> {
    const LONG: &[&str] = &[
        "env-file", "env", "config", "project", "token", "path", "account",
    ];
    let args = cmd.args.as_slice();
    let words = match args.iter().position(|a| a.text == "--") {
        Some(at) => &args[at + 1..],
        None => {
            // `dotenv -e .env cmd`, `aws-vault exec PROFILE cmd`, `op run cmd`.
            let skip = usize::from(cmd.program != "dotenv" && cmd.program != "dotenvx");
            let rest = parse_opts(&args[skip..], &Spec::new("evcpf", LONG)).rest;
            let profile = usize::from(cmd.program == "aws-vault");
            rest.get(profile..).unwrap_or(&[])
        }
    };
    argv(label, words, stdin_text(cmd))
}

/// `doppler run --command "CMD"`: a shell string.
fn doppler_command(cmd: &Command) -> Option<Vec<Inner>> {
    let args = cmd.args.as_slice();
    let before = args
        .iter()
        .position(|a| a.text == "--")
        .unwrap_or(args.len());
    let mut found = Vec::new();
    let mut words = args[..before].iter();
    while let Some(w) = words.next() {
        let code = match w.text.as_str() {
            "--command" => words.next().cloned(),
            t => t.strip_prefix("--command=").map(|v| Arg {
                text: v.to_string(),
                dynamic: w.dynamic,
            }),
        };
        if let Some(code) = code {
            found.extend(shell_source(&cmd.program, &code.text, code.dynamic));
        }
    }
    (!found.is_empty()).then_some(found)
}

fn joined(label: &str, words: &[Arg]) -> Vec<Inner> {
    super::shell_words(label, words)
}
