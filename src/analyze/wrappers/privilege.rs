//! Wrappers that run a command as another user: `sudo`, `doas`, `su -c`, `runuser`.

use super::super::command::{Arg, Command};
use super::shells::commands_from_stdin;
use super::{
    Inner, Spec, argv, parse_opts, parse_opts_anywhere, quote_join, shell_source, shell_words,
    stdin_text,
};

const SUDO: Spec = Spec::new(
    "ugCDhprtUTRac",
    &[
        "user",
        "group",
        "close-from",
        "chdir",
        "host",
        "prompt",
        "role",
        "type",
        "other-user",
        "command-timeout",
        "chroot",
    ],
);

/// `sudo [options] [NAME=value...] command...`; `sudo -s|-i command` runs it through a shell;
/// `sudo -e`, `sudoedit` and `sudo -l` run nothing.
pub fn sudo(cmd: &Command) -> Vec<Inner> {
    let opts = parse_opts(&cmd.args, &SUDO);
    if opts.has('e', "edit") || opts.has('l', "list") {
        return Vec::new();
    }
    if opts.has('s', "shell") || opts.has('i', "login") {
        if opts.rest.is_empty() {
            return commands_from_stdin(cmd, "sudo");
        }
        // sudo escapes each word before handing the line to the shell, so the words stay words:
        // `sudo -i bash -c "rm -rf /"` runs `bash -c 'rm -rf /'`. Versions and configurations
        // that pass the words unescaped would run them joined by spaces, so that is read too.
        let dynamic = opts.rest.iter().any(|w| w.dynamic);
        let mut inner = shell_source("sudo", &quote_join(opts.rest), dynamic);
        let joined = shell_words("sudo", opts.rest);
        for item in joined {
            if !inner.contains(&item) {
                inner.push(item);
            }
        }
        return inner;
    }
    argv("sudo", skip_assignments(opts.rest), stdin_text(cmd))
}

/// `doas [-Lns] [-u user] command...`; `doas -C config command` only checks the config.
pub fn doas(cmd: &Command) -> Vec<Inner> {
    let opts = parse_opts(&cmd.args, &Spec::new("uC", &[]));
    if opts.value("C", "").is_some() {
        return Vec::new();
    }
    argv("doas", opts.rest, stdin_text(cmd))
}

/// `su [options] [-] [user [args]]`: runs the string of `-c`/`--command` (options may come anywhere).
/// Without `-c`, the user's shell reads its commands from stdin.
pub fn su(cmd: &Command) -> Vec<Inner> {
    match command_option(&cmd.args) {
        Some(code) => shell_source("su", &code.text, code.dynamic),
        None => commands_from_stdin(cmd, "su"),
    }
}

/// `runuser -u user [--] command...` runs the command; `runuser [-l] user -c STRING` runs the string.
pub fn runuser(cmd: &Command) -> Vec<Inner> {
    if let Some(code) = command_option(&cmd.args) {
        return shell_source("runuser", &code.text, code.dynamic);
    }
    let opts = parse_opts(&cmd.args, &Spec::new("ugGcCsw", SU_LONG_WITH_VALUE));
    if opts.value("u", "user").is_some() {
        return argv("runuser", opts.rest, stdin_text(cmd));
    }
    Vec::new()
}

const SU_LONG_WITH_VALUE: &[&str] = &[
    "user",
    "group",
    "supp-group",
    "command",
    "session-command",
    "shell",
    "whitelist-environment",
];

/// The value of `-c`/`-C`/`--command`/`--session-command` anywhere in su-style arguments.
fn command_option(args: &[Arg]) -> Option<Arg> {
    let (opts, _) = parse_opts_anywhere(args, &Spec::new("ugGcCsw", SU_LONG_WITH_VALUE));
    let names = ["c", "C", "command", "session-command"];
    let value = opts
        .values
        .iter()
        .rev()
        .find(|(name, _)| names.contains(&name.as_str()));
    value.map(|(_, v)| v.clone())
}

/// The words after leading `NAME=value` assignments.
fn skip_assignments(words: &[Arg]) -> &[Arg] {
    let start = words
        .iter()
        .position(|w| !is_assignment(&w.text))
        .unwrap_or(words.len());
    &words[start..]
}

/// `NAME=value` with a valid variable name.
pub(super) fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn sudo_and_doas() {
        check_table(&[
            (
                &["sudo", "rm", "-rf", "/"],
                vec![run("sudo", &["rm", "-rf", "/"])],
            ),
            (
                &["sudo", "-u", "postgres", "-H", "psql"],
                vec![run("sudo", &["psql"])],
            ),
            (
                &[
                    "sudo",
                    "-upostgres",
                    "-g",
                    "wheel",
                    "-C",
                    "5",
                    "-D",
                    "/",
                    "id",
                ],
                vec![run("sudo", &["id"])],
            ),
            (
                &["sudo", "--user=bob", "-E", "--", "rm", "x"],
                vec![run("sudo", &["rm", "x"])],
            ),
            (
                &[
                    "sudo", "-h", "host", "-p", "pw:", "-r", "r", "-t", "t", "-U", "u", "ls",
                ],
                vec![run("sudo", &["ls"])],
            ),
            (
                &["sudo", "FOO=1", "BAR=2", "rm", "a"],
                vec![run("sudo", &["rm", "a"])],
            ),
            (
                &["/usr/bin/sudo", "-n", "true"],
                vec![run("sudo", &["true"])],
            ),
            (
                &["sudo", "-s", "rm", "-rf", "/tmp/x"],
                vec![sh("sudo", "rm -rf /tmp/x")],
            ),
            (
                &["sudo", "-i", "rm -rf /"],
                vec![sh("sudo", "'rm -rf /'"), sh("sudo", "rm -rf /")],
            ),
            (
                &["sudo", "-i", "--", "bash", "-c", "rm -rf /"],
                vec![
                    sh("sudo", "bash -c 'rm -rf /'"),
                    sh("sudo", "bash -c rm -rf /"),
                ],
            ),
            (&["sudo", "-s", "ls"], vec![sh("sudo", "ls")]),
            (&["sudo", "-i"], vec![]),
            (&["sudo", "-e", "/etc/hosts"], vec![]),
            (&["sudoedit", "/etc/hosts"], vec![]),
            (&["sudo", "-l", "rm"], vec![]),
            (&["sudo", "-v"], vec![]),
            (
                &["doas", "-u", "root", "rm", "-rf", "/"],
                vec![run("doas", &["rm", "-rf", "/"])],
            ),
            (&["doas", "-n", "reboot"], vec![run("doas", &["reboot"])]),
            (&["doas", "-C", "/etc/doas.conf", "rm"], vec![]),
        ]);
    }

    #[test]
    fn sudo_passes_stdin_on() {
        let mut c = cmd(&["sudo", "psql"]);
        c.payloads.push(super::super::super::command::Payload {
            source: super::super::super::command::PayloadSource::Stdin,
            text: "DROP TABLE t;".into(),
        });
        let got = super::sudo(&c);
        assert_eq!(
            got,
            vec![super::Inner::Argv {
                label: "sudo".into(),
                words: lits(&["psql"]),
                stdin: Some("DROP TABLE t;".into())
            }]
        );
    }

    #[test]
    fn root_shells_reading_stdin() {
        use super::super::super::command::{Payload, PayloadSource};
        for words in [
            &["sudo", "-s"][..],
            &["sudo", "-i", "-u", "bob"],
            &["su", "-"],
            &["su"],
        ] {
            let mut c = cmd(words);
            c.payloads.push(Payload {
                source: PayloadSource::Stdin,
                text: "rm -rf /".into(),
            });
            let label = words[0];
            assert_eq!(
                super::super::unwrap(&c, &super::super::super::command::Context::example()),
                vec![sh(label, "rm -rf /")],
                "{words:?}"
            );
        }
    }

    #[test]
    fn su_and_runuser() {
        check_table(&[
            (&["su", "-c", "rm -rf /"], vec![sh("su", "rm -rf /")]),
            (
                &["su", "-", "postgres", "-c", "dropdb x"],
                vec![sh("su", "dropdb x")],
            ),
            (
                &["su", "-l", "bob", "--command=make clean"],
                vec![sh("su", "make clean")],
            ),
            (
                &["su", "-s", "/bin/sh", "bob", "--command", "id"],
                vec![sh("su", "id")],
            ),
            (&["su", "-mc", "id"], vec![sh("su", "id")]),
            (&["su", "-", "bob"], vec![]),
            (
                &["runuser", "-u", "bob", "--", "rm", "-rf", "/srv"],
                vec![run("runuser", &["rm", "-rf", "/srv"])],
            ),
            (
                &["runuser", "-l", "bob", "-c", "rm -rf ~"],
                vec![sh("runuser", "rm -rf ~")],
            ),
            (&["runuser", "bob"], vec![]),
        ]);
    }
}
