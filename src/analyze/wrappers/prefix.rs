//! Wrappers that run their operands as a command after some options: `env`, `nice`, `timeout`, `watch`,
//! `flock`, `chroot`, `command`, `exec`, `systemd-run`, `script -c`, ...; and `trap CODE SIGNAL...`,
//! `alias NAME=CODE`, `at`/`batch` and `crontab -`, whose code runs later.

use super::super::command::{Arg, Command};
use super::shells::commands_from_stdin;
use super::{
    Inner, Spec, argv, opaque, parse_opts, parse_opts_anywhere, shell_source, shell_words,
    split_words, stdin_text,
};

/// A wrapper whose first operand after its options is the command: `nohup`, `nice -n 5`, `stdbuf -oL`, ...
pub fn simple(cmd: &Command, label: &str, spec: &Spec) -> Vec<Inner> {
    argv(label, parse_opts(&cmd.args, spec).rest, stdin_text(cmd))
}

/// `trap [--] CODE SIGNAL...`: CODE runs when the signal (or EXIT) arrives, so it is analysed now.
/// `trap -p`, `trap -l`, `trap - SIG` and a lone argument set nothing to run.
pub fn trap(args: &[Arg]) -> Vec<Inner> {
    let args = match args.first() {
        Some(a) if a.text == "--" => &args[1..],
        _ => args,
    };
    match args {
        [code, _, ..] if !matches!(code.text.as_str(), "-" | "-p" | "-l" | "-P") => {
            shell_source("trap", &code.text, code.dynamic)
        }
        _ => Vec::new(),
    }
}

/// `alias NAME=CODE...`: CODE runs wherever NAME is used later (a script with
/// `shopt -s expand_aliases`, a sourced rc file), so it is analysed where it is defined.
pub fn alias(args: &[Arg]) -> Vec<Inner> {
    args.iter()
        .filter_map(|a| {
            let (name, code) = a.text.split_once('=')?;
            Some(shell_source(&format!("alias {name}"), code, a.dynamic))
        })
        .flatten()
        .collect()
}

/// `at TIME` and `batch` schedule the commands on their stdin; `-l`, `-r`, `-d`, `-c` only list,
/// remove or show jobs, and `-f FILE` schedules a file shellgate did not read.
pub fn at(cmd: &Command) -> Vec<Inner> {
    let label = cmd.program.clone();
    let mut words = cmd.arg_texts();
    if words.any(|w| matches!(w, "-l" | "-r" | "-d" | "-c" | "-V")) {
        return Vec::new();
    }
    if cmd.arg_texts().any(|w| w.starts_with("-f")) {
        return vec![opaque(
            &label,
            "schedules commands from a file shellgate did not read",
        )];
    }
    commands_from_stdin(cmd, &label)
}

/// `crontab -` (or `crontab` reading a pipe) installs the crontab on stdin, whose entries run
/// later; `crontab FILE` installs a file shellgate did not read; `-l`, `-e`, `-r` install nothing.
pub fn crontab(cmd: &Command) -> Vec<Inner> {
    let opts = parse_opts(&cmd.args, &Spec::new("u", &[]));
    if opts
        .flags
        .iter()
        .any(|f| matches!(f, 'l' | 'e' | 'r' | 'i' | 'T'))
    {
        return Vec::new();
    }
    match opts.rest.first().map(|a| a.text.as_str()) {
        Some("-") | None => {}
        Some(_) => {
            return vec![opaque(
                "crontab",
                "installs a crontab file shellgate did not read",
            )];
        }
    }
    let Some(text) = stdin_text(cmd) else {
        return match &cmd.piped_from {
            Some(from) => vec![opaque(
                "crontab",
                &format!("installs a crontab from a pipe (from {from})"),
            )],
            None => Vec::new(),
        };
    };
    text.lines()
        .filter_map(cron_command)
        .flat_map(|code| shell_source("crontab", code, false))
        .collect()
}

/// The command of one crontab line: after five time fields, or after an `@reboot`-style word;
/// `None` for blank lines, comments and variable settings.
fn cron_command(line: &str) -> Option<&str> {
    let line = line.trim_start();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let first = line.split_whitespace().next()?;
    if first.contains('=') {
        return None;
    }
    let fields = if first.starts_with('@') { 1 } else { 5 };
    let mut rest = line;
    for _ in 0..fields {
        rest = rest.trim_start();
        let end = rest.find(char::is_whitespace)?;
        rest = &rest[end..];
    }
    let command = rest.trim();
    (!command.is_empty()).then_some(command)
}

/// `env [-i] [-u NAME] [-C DIR] [-S STRING] [NAME=value...] [command...]`.
pub fn env(cmd: &Command) -> Vec<Inner> {
    let mut words: Vec<Arg> = cmd.args.clone();
    let mut i = 0;
    // Each `-S` replaces its string by the words it splits into, so the loop ends.
    while i < words.len() {
        let word = words[i].text.clone();
        if word == "--" {
            i += 1;
            break;
        }
        if word == "-" {
            i += 1;
            continue;
        }
        if let Some(long) = word.strip_prefix("--") {
            let (name, value, used) = match long.split_once('=') {
                Some((name, value)) => (name.to_string(), Some(value.to_string()), 1),
                None if matches!(long, "unset" | "chdir" | "split-string" | "argv0") => (
                    long.to_string(),
                    words.get(i + 1).map(|w| w.text.clone()),
                    2,
                ),
                None => (long.to_string(), None, 1),
            };
            if name == "split-string" {
                splice_split(&mut words, i, used, value.as_deref().unwrap_or(""));
            } else {
                i += used;
            }
            continue;
        }
        if !word.starts_with('-') {
            break;
        }
        let mut used = 1;
        let mut split = None;
        for (at, c) in word.char_indices().skip(1) {
            if "uCSPa".contains(c) {
                let attached = &word[at + c.len_utf8()..];
                let value = if attached.is_empty() {
                    used = 2;
                    words.get(i + 1).map(|w| w.text.clone()).unwrap_or_default()
                } else {
                    attached.to_string()
                };
                if c == 'S' {
                    split = Some(value);
                }
                break;
            }
        }
        match split {
            Some(text) => splice_split(&mut words, i, used, &text),
            None => i += used,
        }
    }
    let rest = &words[i.min(words.len())..];
    let start = rest
        .iter()
        .position(|w| !w.text.contains('='))
        .unwrap_or(rest.len());
    argv("env", &rest[start..], stdin_text(cmd))
}

/// Replace `used` words at `at` by the words `text` splits into (as dynamic as the replaced ones).
fn splice_split(words: &mut Vec<Arg>, at: usize, used: usize, text: &str) {
    let end = (at + used).min(words.len());
    let dynamic = words[at..end].iter().any(|w| w.dynamic);
    let split = split_words(text)
        .into_iter()
        .map(|text| Arg { text, dynamic });
    words.splice(at..end, split);
}

/// `timeout [-s SIG] [-k DUR] DURATION command...`.
pub fn timeout(cmd: &Command) -> Vec<Inner> {
    let opts = parse_opts(&cmd.args, &Spec::new("sk", &["signal", "kill-after"]));
    argv(
        "timeout",
        opts.rest.get(1..).unwrap_or(&[]),
        stdin_text(cmd),
    )
}

/// `watch [-n SECS] words...` runs the words joined with spaces through `sh -c` (`-x`: directly).
pub fn watch(args: &[Arg]) -> Vec<Inner> {
    let opts = parse_opts(args, &Spec::new("nq", &["interval", "equexit"]));
    if opts.has('x', "exec") {
        return argv("watch", opts.rest, None);
    }
    shell_words("watch", opts.rest)
}

/// `ionice [-c CLASS] [-n LEVEL] command...`; with `-p`/`-P`/`-u` it changes running processes.
pub fn ionice(cmd: &Command) -> Vec<Inner> {
    let opts = parse_opts(
        &cmd.args,
        &Spec::new("cnpPu", &["class", "classdata", "pid", "pgid", "uid"]),
    );
    let targets_processes = ["p", "P", "u"].iter().any(|o| opts.value(o, "").is_some())
        || ["pid", "pgid", "uid"]
            .iter()
            .any(|o| opts.value("", o).is_some());
    if targets_processes {
        return Vec::new();
    }
    argv("ionice", opts.rest, stdin_text(cmd))
}

/// `chroot [--userspec=U:G] NEWROOT [command...]` (no command: an interactive shell).
pub fn chroot(cmd: &Command) -> Vec<Inner> {
    let opts = parse_opts(&cmd.args, &Spec::new("", &["userspec", "groups"]));
    argv("chroot", opts.rest.get(1..).unwrap_or(&[]), stdin_text(cmd))
}

/// `flock [opts] FILE command...`, `flock [opts] FILE -c STRING`, `flock -c STRING FILE`.
pub fn flock(cmd: &Command) -> Vec<Inner> {
    let opts = parse_opts(
        &cmd.args,
        &Spec::new("wEc", &["timeout", "wait", "conflict-exit-code", "command"]),
    );
    if let Some(code) = opts.value("c", "command") {
        return shell_source("flock", &code.text, code.dynamic);
    }
    let after_file = opts.rest.get(1..).unwrap_or(&[]);
    match after_file.first().map(|w| w.text.as_str()) {
        Some("-c" | "--command") => match after_file.get(1) {
            Some(code) => shell_source("flock", &code.text, code.dynamic),
            None => Vec::new(),
        },
        _ => argv("flock", after_file, stdin_text(cmd)),
    }
}

/// `command [-p] X args` runs X; `command -v X` and `command -V X` only look it up.
pub fn command(cmd: &Command) -> Vec<Inner> {
    let opts = parse_opts(&cmd.args, &Spec::NONE);
    if opts.has('v', "") || opts.has('V', "") {
        return Vec::new();
    }
    argv("command", opts.rest, stdin_text(cmd))
}

/// `busybox APPLET args`.
pub fn busybox(cmd: &Command) -> Vec<Inner> {
    match cmd.args.first() {
        Some(applet) if !applet.text.starts_with('-') => {
            argv("busybox", &cmd.args, stdin_text(cmd))
        }
        _ => Vec::new(),
    }
}

/// `systemd-run [options] command...`.
pub fn systemd_run(cmd: &Command) -> Vec<Inner> {
    const LONG: &[&str] = &[
        "unit",
        "property",
        "description",
        "slice",
        "uid",
        "gid",
        "nice",
        "working-directory",
        "setenv",
        "host",
        "machine",
        "service-type",
        "on-active",
        "on-boot",
        "on-startup",
        "on-unit-active",
        "on-unit-inactive",
        "on-calendar",
        "timer-property",
        "path-property",
        "socket-property",
    ];
    let opts = parse_opts(&cmd.args, &Spec::new("upEHM", LONG));
    argv("systemd-run", opts.rest, stdin_text(cmd))
}

/// `script [-q] [file] -c STRING`, or BSD `script [-q] FILE command...` (with neither, an
/// interactive shell).
pub fn script(args: &[Arg]) -> Vec<Inner> {
    const LONG: &[&str] = &[
        "command",
        "echo",
        "log-in",
        "log-out",
        "log-io",
        "log-timing",
        "logging-format",
        "output-limit",
    ];
    let spec = Spec::new("cEIOBTmo", LONG);
    let (opts, _) = parse_opts_anywhere(args, &spec);
    if let Some(code) = opts.value("c", "command") {
        return shell_source("script", &code.text, code.dynamic);
    }
    // BSD: `script [-q] FILE command...`.
    argv(
        "script",
        parse_opts(args, &spec).rest.get(1..).unwrap_or(&[]),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::super::super::command::{Arg, Command, Context};
    use super::super::test_support::*;
    use super::super::{Inner, opaque};

    #[test]
    fn env_forms() {
        check_table(&[
            (
                &["env", "FOO=1", "rm", "-rf", "/"],
                vec![run("env", &["rm", "-rf", "/"])],
            ),
            (
                &["env", "-i", "-u", "X", "PATH=/bin", "ls"],
                vec![run("env", &["ls"])],
            ),
            (
                &["env", "-i", "-u", "X", "-C", "/", "ls"],
                vec![run("env", &["ls"])],
            ),
            (
                &["env", "--unset=X", "--chdir", "/tmp", "--", "rm", "x"],
                vec![run("env", &["rm", "x"])],
            ),
            (
                &["env", "-S", "rm -rf '/a b'", "/c"],
                vec![run("env", &["rm", "-rf", "/a b", "/c"])],
            ),
            (
                &["env", "-S", "-i FOO=1 rm -rf", "/"],
                vec![run("env", &["rm", "-rf", "/"])],
            ),
            (
                &["env", "--split-string=rm -f x"],
                vec![run("env", &["rm", "-f", "x"])],
            ),
            (&["env", "-vSrm x"], vec![run("env", &["rm", "x"])]),
            (&["env", "-", "A=b", "id"], vec![run("env", &["id"])]),
            (&["env"], vec![]),
            (&["env", "A=1"], vec![]),
        ]);
    }

    #[test]
    fn env_split_of_a_dynamic_string_stays_dynamic() {
        let cmd = Command::new(
            "env",
            vec![
                Arg::lit("-S"),
                Arg {
                    text: "rm x".into(),
                    dynamic: true,
                },
            ],
        );
        let dynamic = |t: &str| Arg {
            text: t.into(),
            dynamic: true,
        };
        assert_eq!(
            super::super::unwrap(&cmd, &Context::example()),
            vec![Inner::Argv {
                label: "env".into(),
                words: vec![dynamic("rm"), dynamic("x")],
                stdin: None
            }]
        );
    }

    #[test]
    fn prefix_wrappers() {
        check_table(&[
            (
                &["nice", "-n", "10", "rm", "x"],
                vec![run("nice", &["rm", "x"])],
            ),
            (&["nice", "-10", "rm", "x"], vec![run("nice", &["rm", "x"])]),
            (
                &["nice", "--adjustment=5", "rm"],
                vec![run("nice", &["rm"])],
            ),
            (
                &["nohup", "rm", "-rf", "/"],
                vec![run("nohup", &["rm", "-rf", "/"])],
            ),
            (
                &["timeout", "5", "rm", "x"],
                vec![run("timeout", &["rm", "x"])],
            ),
            (
                &["timeout", "-s", "KILL", "-k", "10s", "5m", "rm", "x"],
                vec![run("timeout", &["rm", "x"])],
            ),
            (
                &["timeout", "--preserve-status", "--signal=HUP", "1", "ls"],
                vec![run("timeout", &["ls"])],
            ),
            (&["timeout", "5"], vec![]),
            (&["time", "-p", "rm", "x"], vec![run("time", &["rm", "x"])]),
            (
                &["time", "-f", "%e", "-o", "t.txt", "rm", "x"],
                vec![run("time", &["rm", "x"])],
            ),
            (
                &["stdbuf", "-oL", "-e", "0", "rm", "x"],
                vec![run("stdbuf", &["rm", "x"])],
            ),
            (
                &["stdbuf", "--output=L", "rm"],
                vec![run("stdbuf", &["rm"])],
            ),
            (
                &["ionice", "-c", "3", "-n7", "rm", "x"],
                vec![run("ionice", &["rm", "x"])],
            ),
            (&["ionice", "-c", "3", "-p", "123"], vec![]),
            (
                &["chroot", "/mnt", "rm", "-rf", "/"],
                vec![run("chroot", &["rm", "-rf", "/"])],
            ),
            (
                &["chroot", "--userspec=a:b", "/mnt", "ls"],
                vec![run("chroot", &["ls"])],
            ),
            (&["chroot", "/mnt"], vec![]),
            (
                &["setsid", "-f", "-w", "rm", "x"],
                vec![run("setsid", &["rm", "x"])],
            ),
            (
                &["command", "rm", "-rf", "/"],
                vec![run("command", &["rm", "-rf", "/"])],
            ),
            (
                &["command", "-p", "rm", "x"],
                vec![run("command", &["rm", "x"])],
            ),
            (&["command", "-v", "rm"], vec![]),
            (&["command", "-V", "rm"], vec![]),
            (&["builtin", "cd", "/"], vec![run("builtin", &["cd", "/"])]),
            (&["exec", "rm", "x"], vec![run("exec", &["rm", "x"])]),
            (
                &["exec", "-a", "name", "-cl", "rm", "x"],
                vec![run("exec", &["rm", "x"])],
            ),
            (&["exec"], vec![]),
            (
                &["busybox", "rm", "-rf", "/"],
                vec![run("busybox", &["rm", "-rf", "/"])],
            ),
            (&["busybox", "--list"], vec![]),
            (
                &["unbuffer", "-p", "rm", "x"],
                vec![run("unbuffer", &["rm", "x"])],
            ),
            (
                &["proxychains", "-q", "-f", "p.conf", "curl", "x"],
                vec![run("proxychains", &["curl", "x"])],
            ),
            (
                &["torsocks", "-i", "-P", "9050", "ssh", "h"],
                vec![run("torsocks", &["ssh", "h"])],
            ),
            (
                &["firejail", "--noprofile", "--private=/tmp", "rm", "x"],
                vec![run("firejail", &["rm", "x"])],
            ),
            (
                &["caffeinate", "-i", "-t", "60", "rm", "x"],
                vec![run("caffeinate", &["rm", "x"])],
            ),
            (
                &[
                    "systemd-run",
                    "--user",
                    "-p",
                    "MemoryMax=1G",
                    "--unit=x",
                    "--",
                    "rm",
                    "-rf",
                    "/",
                ],
                vec![run("systemd-run", &["rm", "-rf", "/"])],
            ),
            (
                &["systemd-run", "-u", "name", "-t", "rm", "x"],
                vec![run("systemd-run", &["rm", "x"])],
            ),
        ]);
    }

    #[test]
    fn watch_flock_script() {
        check_table(&[
            (
                &["watch", "-n", "5", "rm", "-rf", "x"],
                vec![sh("watch", "rm -rf x")],
            ),
            (
                &["watch", "-d", "-n1", "ls | wc -l"],
                vec![sh("watch", "ls | wc -l")],
            ),
            (
                &["watch", "-x", "rm", "x"],
                vec![run("watch", &["rm", "x"])],
            ),
            (
                &["flock", "/tmp/l", "rm", "x"],
                vec![run("flock", &["rm", "x"])],
            ),
            (
                &["flock", "-w", "5", "-E", "3", "/tmp/l", "rm", "x"],
                vec![run("flock", &["rm", "x"])],
            ),
            (
                &["flock", "/tmp/l", "-c", "rm -rf x"],
                vec![sh("flock", "rm -rf x")],
            ),
            (
                &["flock", "-c", "rm -rf x", "/tmp/l"],
                vec![sh("flock", "rm -rf x")],
            ),
            (&["flock", "-n", "9"], vec![]),
            (
                &["script", "-c", "rm -rf x", "/dev/null"],
                vec![sh("script", "rm -rf x")],
            ),
            (
                &["script", "-qc", "rm -rf x"],
                vec![sh("script", "rm -rf x")],
            ),
            (&["script", "--command=id"], vec![sh("script", "id")]),
            (&["script", "out.log"], vec![]),
            (
                &["script", "-q", "/dev/null", "-c", "rm x"],
                vec![sh("script", "rm x")],
            ),
            (
                &["script", "-q", "/dev/null", "rm", "-rf", "x"],
                vec![run("script", &["rm", "-rf", "x"])],
            ),
        ]);
        let dynamic = Command::new(
            "script",
            vec![
                Arg::lit("-c"),
                Arg {
                    text: "rm ".into(),
                    dynamic: true,
                },
            ],
        );
        assert_eq!(
            super::super::unwrap(&dynamic, &Context::example()),
            vec![
                sh("script", "rm "),
                opaque(
                    "script",
                    "part of the code it runs is only known at run time"
                )
            ]
        );
    }
}
