//! Wrappers that run a command on another machine or in a container: `ssh host CMD`,
//! `docker|podman exec|run`, `docker compose exec|run`, `kubectl exec POD -- CMD`.

use super::super::command::{Arg, Command};
use super::shells::commands_from_stdin;
use super::{Inner, Spec, argv, opaque, parse_opts, shell_source, shell_words, stdin_text};

/// One-letter ssh options that take a value.
const SSH: Spec = Spec::new("BbcDEeFIiJLlmOoPpQRSWw", &[]);

/// `ssh [options] HOST [options] [command...]`: the remote shell runs the words joined with spaces;
/// without a command it reads its commands from stdin (`ssh prod <<EOF`), unless `-N`.
pub fn ssh(cmd: &Command) -> Vec<Inner> {
    let before = parse_opts(&cmd.args, &SSH);
    let Some(host) = before.rest.first() else {
        return Vec::new();
    };
    let after = parse_opts(&before.rest[1..], &SSH);
    let label = format!("ssh {}", host.text);
    let options = before.values.iter().chain(&after.values);
    let remote_command = options.filter(|(o, _)| o == "o").find_map(|(_, v)| {
        let (key, value) = v.text.trim().split_once(['=', ' ', '\t'])?;
        key.eq_ignore_ascii_case("RemoteCommand")
            .then(|| (value.trim(), v.dynamic))
    });
    if let Some((code, dynamic)) = remote_command {
        return shell_source(&label, code, dynamic);
    }
    if after.rest.is_empty() && !before.has('N', "") && !after.has('N', "") {
        return commands_from_stdin(cmd, &label);
    }
    let inner = shell_words(&label, after.rest);
    match stdin_text(cmd) {
        Some(text) => remote_stdin(inner, &label, &text),
        None => inner,
    }
}

/// The line that ends the here-document [`remote_stdin`] writes.
const STDIN_END: &str = "SHELLGATE_REMOTE_STDIN";

/// ssh's standard input is the remote command's (`ssh prod bash <<EOF`): the remote source gets it
/// back as a quoted here-document, so the shell that reads it is analysed with it.
fn remote_stdin(inner: Vec<Inner>, label: &str, text: &str) -> Vec<Inner> {
    if text.lines().any(|l| l == STDIN_END) {
        let mut inner = inner;
        inner.push(opaque(label, "its standard input cannot be passed on"));
        return inner;
    }
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    inner
        .into_iter()
        .map(|i| match i {
            Inner::Shell { label, source } => Inner::Shell {
                label,
                source: format!("{source} <<'{STDIN_END}'\n{text}{newline}{STDIN_END}\n"),
            },
            other => other,
        })
        .collect()
}

/// `gcloud compute ssh VM --command CMD` (and `gcloud cloud-shell ssh`, `... tpu-vm ssh`): CMD
/// runs in the remote shell.
pub fn gcloud(cmd: &Command) -> Vec<Inner> {
    if !cmd.arg_texts().any(|w| w == "ssh") {
        return Vec::new();
    }
    for (n, word) in cmd.args.iter().enumerate() {
        if let Some(code) = word.text.strip_prefix("--command=") {
            return shell_source("gcloud ssh", code, word.dynamic);
        }
        if word.text == "--command"
            && let Some(code) = cmd.args.get(n + 1)
        {
            return shell_source("gcloud ssh", &code.text, code.dynamic);
        }
    }
    Vec::new()
}

const DOCKER_GLOBAL: Spec = Spec::new(
    "cHl",
    &[
        "config",
        "context",
        "host",
        "log-level",
        "tlscacert",
        "tlscert",
        "tlskey",
    ],
);
const DOCKER_EXEC: Spec = Spec::new(
    "euw",
    &["env", "env-file", "user", "workdir", "detach-keys", "index"],
);
const DOCKER_RUN: Spec = Spec::new(
    "acehlmpuvw",
    &[
        "attach",
        "cpu-shares",
        "env",
        "env-file",
        "hostname",
        "label",
        "label-file",
        "memory",
        "publish",
        "user",
        "volume",
        "workdir",
        "name",
        "entrypoint",
        "network",
        "net",
        "network-alias",
        "mount",
        "add-host",
        "cap-add",
        "cap-drop",
        "device",
        "dns",
        "dns-search",
        "dns-option",
        "platform",
        "restart",
        "runtime",
        "shm-size",
        "ulimit",
        "pull",
        "cidfile",
        "log-driver",
        "log-opt",
        "security-opt",
        "tmpfs",
        "gpus",
        "ipc",
        "pid",
        "stop-signal",
        "stop-timeout",
        "health-cmd",
        "health-interval",
        "health-retries",
        "health-timeout",
        "expose",
        "link",
        "volumes-from",
        "group-add",
        "memory-swap",
        "memory-reservation",
        "sysctl",
        "isolation",
        "cgroupns",
        "userns",
        "uts",
        "mac-address",
        "ip",
        "ip6",
        "cpus",
        "cpuset-cpus",
        "cpu-period",
        "cpu-quota",
        "blkio-weight",
        "device-read-bps",
        "device-write-bps",
        "kernel-memory",
        "oom-score-adj",
        "pids-limit",
        "storage-opt",
        "annotation",
        "cgroup-parent",
        "domainname",
        "detach-keys",
        "volume-driver",
        "service-ports",
        "use-aliases",
    ],
);
const COMPOSE_GLOBAL: Spec = Spec::new(
    "fp",
    &[
        "file",
        "project-name",
        "profile",
        "env-file",
        "project-directory",
        "ansi",
        "progress",
        "parallel",
    ],
);

/// `docker exec CONTAINER cmd...`, `docker run IMAGE cmd...` (with `--entrypoint`), `docker compose
/// exec|run SERVICE cmd...`, and the same for podman and `docker-compose`.
pub fn docker(cmd: &Command) -> Vec<Inner> {
    let tool = cmd.program.as_str();
    let opts = parse_opts(&cmd.args, &DOCKER_GLOBAL);
    let (sub, rest) = match opts.rest.split_first() {
        Some((sub, rest)) => (sub.text.as_str(), rest),
        None => return Vec::new(),
    };
    match sub {
        "container" => match rest.split_first() {
            Some((sub, rest)) => container(cmd, tool, &sub.text, rest),
            None => Vec::new(),
        },
        "compose" => compose(cmd, &format!("{tool} compose"), rest),
        _ if tool == "docker-compose" => compose(cmd, tool, opts.rest),
        _ => container(cmd, tool, sub, rest),
    }
}

fn compose(cmd: &Command, tool: &str, args: &[Arg]) -> Vec<Inner> {
    let opts = parse_opts(args, &COMPOSE_GLOBAL);
    match opts.rest.split_first() {
        Some((sub, rest)) => container(cmd, tool, &sub.text, rest),
        None => Vec::new(),
    }
}

/// `exec`/`run` of one container or service: its name, then the command.
fn container(cmd: &Command, tool: &str, sub: &str, args: &[Arg]) -> Vec<Inner> {
    let spec = match sub {
        "exec" => &DOCKER_EXEC,
        "run" | "create" => &DOCKER_RUN,
        _ => return Vec::new(),
    };
    let opts = parse_opts(args, spec);
    let Some((name, command)) = opts.rest.split_first() else {
        return Vec::new();
    };
    let label = format!("{tool} {sub} {}", name.text);
    let mut words: Vec<Arg> = Vec::new();
    if sub != "exec"
        && let Some(entrypoint) = opts.value("", "entrypoint")
        && !entrypoint.text.is_empty()
    {
        words.push(entrypoint.clone());
    }
    words.extend(command.iter().cloned());
    argv(&label, &words, stdin_text(cmd))
}

const KUBECTL_SHORT: &str = "ncfs";
const KUBECTL_LONG: &[&str] = &[
    "namespace",
    "context",
    "kubeconfig",
    "server",
    "cluster",
    "user",
    "token",
    "as",
    "as-group",
    "request-timeout",
    "cache-dir",
    "container",
    "filename",
    "pod-running-timeout",
    "image",
    "overrides",
    "env",
    "port",
    "labels",
    "restart",
];

/// `kubectl exec [options] POD [options] -- cmd...` (also the old form without `--`, `kubectl run NAME
/// ... -- cmd` and `oc`). kubectl accepts options anywhere before `--`.
pub fn kubectl(cmd: &Command) -> Vec<Inner> {
    let args = &cmd.args;
    let dash = args.iter().position(|a| a.text == "--");
    let before = &args[..dash.unwrap_or(args.len())];
    let operands = kubectl_operands(before);
    let (sub, name) = match (operands.first(), operands.get(1)) {
        (Some(sub), Some(name)) if matches!(sub.text.as_str(), "exec" | "run") => (sub, name),
        _ => return Vec::new(),
    };
    let label = format!("{} {} {}", cmd.program, sub.text, name.text);
    let command: Vec<Arg> = match dash {
        Some(at) => args[at + 1..].to_vec(),
        None if sub.text == "exec" => operands[2..].to_vec(),
        None => Vec::new(),
    };
    argv(&label, &command, stdin_text(cmd))
}

/// The words of a kubectl command line that are not options or option values.
fn kubectl_operands(args: &[Arg]) -> Vec<Arg> {
    let mut operands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let word = args[i].text.as_str();
        if let Some(long) = word.strip_prefix("--") {
            if !long.contains('=') && KUBECTL_LONG.contains(&long) {
                i += 1;
            }
        } else if word.len() > 1 && word.starts_with('-') {
            let last = word.chars().last().unwrap_or('-');
            if word.len() == 2 && KUBECTL_SHORT.contains(last) {
                i += 1;
            }
        } else {
            operands.push(args[i].clone());
        }
        i += 1;
    }
    operands
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;

    #[test]
    fn ssh_runs_the_joined_words_remotely() {
        check_table(&[
            (
                &["ssh", "prod", "rm", "-rf", "/var/www"],
                vec![sh("ssh prod", "rm -rf /var/www")],
            ),
            (
                &[
                    "ssh",
                    "-p",
                    "2222",
                    "-i",
                    "key",
                    "-o",
                    "BatchMode=yes",
                    "u@prod",
                    "psql -c 'DROP TABLE t'",
                ],
                vec![sh("ssh u@prod", "psql -c 'DROP TABLE t'")],
            ),
            (
                &[
                    "ssh", "-tt", "-J", "bastion", "prod", "--", "sudo", "reboot",
                ],
                vec![sh("ssh prod", "sudo reboot")],
            ),
            (
                &["ssh", "prod", "-l", "root", "uptime"],
                vec![sh("ssh prod", "uptime")],
            ),
            (&["ssh", "-L8080:localhost:80", "prod"], vec![]),
            (&["ssh", "-N", "prod"], vec![]),
            (
                &["ssh", "-o", "RemoteCommand=rm -rf /srv", "prod"],
                vec![sh("ssh prod", "rm -rf /srv")],
            ),
            (
                &["ssh", "prod", "-oremotecommand rm x"],
                vec![sh("ssh prod", "rm x")],
            ),
        ]);
    }

    #[test]
    fn ssh_gives_its_stdin_to_the_remote_command() {
        use super::super::super::command::{Payload, PayloadSource};
        let mut c = cmd(&["ssh", "prod", "bash"]);
        c.payloads.push(Payload {
            source: PayloadSource::Stdin,
            text: "rm -rf /srv".into(),
        });
        assert_eq!(
            super::ssh(&c),
            vec![sh(
                "ssh prod",
                "bash <<'SHELLGATE_REMOTE_STDIN'\nrm -rf /srv\nSHELLGATE_REMOTE_STDIN\n"
            )]
        );
    }

    #[test]
    fn gcloud_ssh_runs_its_command() {
        check_table(&[
            (
                &["gcloud", "compute", "ssh", "vm", "--command", "rm -rf /srv"],
                vec![sh("gcloud ssh", "rm -rf /srv")],
            ),
            (
                &["gcloud", "compute", "ssh", "vm", "--zone=z", "--command=ls"],
                vec![sh("gcloud ssh", "ls")],
            ),
            (&["gcloud", "compute", "instances", "list"], vec![]),
        ]);
    }

    #[test]
    fn ssh_without_a_command_runs_its_stdin() {
        use super::super::super::command::{Payload, PayloadSource};
        use super::super::opaque;
        let mut c = cmd(&["ssh", "-T", "prod"]);
        c.payloads.push(Payload {
            source: PayloadSource::Stdin,
            text: "rm -rf /srv\n".into(),
        });
        assert_eq!(super::ssh(&c), vec![sh("ssh prod", "rm -rf /srv\n")]);
        let mut c = cmd(&["ssh", "prod"]);
        c.piped_from = Some("cat".into());
        assert_eq!(
            super::ssh(&c),
            vec![opaque("ssh prod", "reads commands from a pipe (from cat)")]
        );
        c.args = lits(&["-N", "prod"]);
        assert_eq!(super::ssh(&c), vec![]);
    }

    #[test]
    fn containers() {
        check_table(&[
            (
                &["docker", "exec", "-it", "db", "psql", "-c", "x"],
                vec![run("docker exec db", &["psql", "-c", "x"])],
            ),
            (
                &[
                    "docker",
                    "exec",
                    "-e",
                    "A=1",
                    "-u",
                    "root",
                    "-w",
                    "/",
                    "--env=B=2",
                    "web",
                    "rm",
                    "-rf",
                    "/",
                ],
                vec![run("docker exec web", &["rm", "-rf", "/"])],
            ),
            (
                &["podman", "exec", "--user", "0", "web", "ls"],
                vec![run("podman exec web", &["ls"])],
            ),
            (
                &["docker", "container", "exec", "web", "ls"],
                vec![run("docker exec web", &["ls"])],
            ),
            (
                &["docker", "-H", "tcp://x", "exec", "web", "ls"],
                vec![run("docker exec web", &["ls"])],
            ),
            (
                &[
                    "docker", "run", "--rm", "-v", "/:/host", "--name", "x", "-it", "alpine", "rm",
                    "-rf", "/host",
                ],
                vec![run("docker run alpine", &["rm", "-rf", "/host"])],
            ),
            (
                &[
                    "docker",
                    "run",
                    "--entrypoint",
                    "sh",
                    "alpine",
                    "-c",
                    "rm -rf /",
                ],
                vec![run("docker run alpine", &["sh", "-c", "rm -rf /"])],
            ),
            (&["docker", "run", "-d", "nginx"], vec![]),
            (
                &["docker", "compose", "exec", "-T", "db", "psql"],
                vec![run("docker compose exec db", &["psql"])],
            ),
            (
                &[
                    "docker", "compose", "-f", "x.yml", "run", "--rm", "web", "rake", "db:drop",
                ],
                vec![run("docker compose run web", &["rake", "db:drop"])],
            ),
            (
                &["docker-compose", "exec", "db", "psql"],
                vec![run("docker-compose exec db", &["psql"])],
            ),
            (&["docker", "ps"], vec![]),
            (&["docker", "rm", "-f", "x"], vec![]),
        ]);
    }

    #[test]
    fn kubectl_exec() {
        check_table(&[
            (
                &[
                    "kubectl", "exec", "-it", "api-0", "--", "rm", "-rf", "/data",
                ],
                vec![run("kubectl exec api-0", &["rm", "-rf", "/data"])],
            ),
            (
                &[
                    "kubectl", "-n", "prod", "exec", "api-0", "-c", "app", "--", "sh", "-c", "x",
                ],
                vec![run("kubectl exec api-0", &["sh", "-c", "x"])],
            ),
            (
                &[
                    "kubectl",
                    "exec",
                    "--namespace",
                    "prod",
                    "deploy/api",
                    "-i",
                    "--",
                    "psql",
                ],
                vec![run("kubectl exec deploy/api", &["psql"])],
            ),
            (
                &["kubectl", "exec", "api-0", "ls"],
                vec![run("kubectl exec api-0", &["ls"])],
            ),
            (
                &["kubectl", "run", "t", "--image=busybox", "--", "rm", "x"],
                vec![run("kubectl run t", &["rm", "x"])],
            ),
            (&["kubectl", "get", "pods"], vec![]),
            (&["kubectl", "exec", "api-0"], vec![]),
        ]);
    }
}
