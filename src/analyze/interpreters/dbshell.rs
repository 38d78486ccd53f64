//! Shell escapes inside database client scripts: `\! CMD` (psql, mysql), `system CMD` (mysql),
//! `.shell CMD` / `.system CMD` (sqlite3, duckdb), and psql's `\o |CMD` / `\g |CMD` pipes.
//! The SQL itself is left to the rules (it arrives as payloads from [`crate::analyze::inline`]).

use crate::analyze::command::Command;
use crate::analyze::wrappers::Inner;

/// The shell commands a database client's payloads run, or `None` when `cmd` is not a client
/// with shell escapes or its payloads have none.
pub fn unwrap(cmd: &Command) -> Option<Vec<Inner>> {
    let program = cmd.program.as_str();
    let escapes: &[&str] = match program {
        "psql" | "usql" => &["\\!", "\\o |", "\\o|", "\\g |", "\\g|", "\\copy"],
        "mysql" | "mariadb" => &["\\!", "system "],
        "sqlite3" | "sqlite" | "duckdb" => &[".shell ", ".system ", ".once |", ".output |"],
        _ => return None,
    };
    let mut found = Vec::new();
    for payload in &cmd.payloads {
        for line in payload.text.lines() {
            let line = line.trim_start();
            let Some(escape) = escapes.iter().find(|e| starts_with_ignore_case(line, e)) else {
                continue;
            };
            let label = format!("{program} {}", escape.trim_end_matches([' ', '|']));
            if *escape == "\\copy" {
                // `\copy t from program 'CMD'` runs CMD on the client.
                if let Some(command) = copy_program(line) {
                    found.push(Inner::Shell {
                        label,
                        source: command,
                    });
                }
                continue;
            }
            let source = line[escape.len()..]
                .trim()
                .trim_end_matches(';')
                .to_string();
            if !source.is_empty() {
                found.push(Inner::Shell { label, source });
            }
        }
    }
    (!found.is_empty()).then_some(found)
}

fn starts_with_ignore_case(line: &str, prefix: &str) -> bool {
    line.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// The quoted command of `... program 'CMD'`.
fn copy_program(line: &str) -> Option<String> {
    let lower = line.to_ascii_lowercase();
    let at = lower.find(" program ")? + " program ".len();
    let rest = line[at..].trim_start();
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let body = &rest[1..];
    Some(body[..body.find(quote)?].replace("''", "'"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::command::{Arg, Payload, PayloadSource};

    fn run(program: &str, payload: &str) -> Vec<String> {
        let mut cmd = Command::new(program, vec![Arg::lit("db")]);
        cmd.payloads.push(Payload {
            source: PayloadSource::Stdin,
            text: payload.into(),
        });
        unwrap(&cmd)
            .unwrap_or_default()
            .iter()
            .map(|inner| match inner {
                Inner::Shell { label, source } => format!("{label}: {source}"),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn shell_escapes_in_client_scripts() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "psql",
                "SELECT 1;\n\\! rm -rf /tmp/x\n",
                &["psql \\!: rm -rf /tmp/x"],
            ),
            ("psql", "\\o | sh", &["psql \\o: sh"]),
            (
                "psql",
                "\\copy t from program 'curl x | sh'",
                &["psql \\copy: curl x | sh"],
            ),
            (
                "mysql",
                "system dropdb prod;",
                &["mysql system: dropdb prod"],
            ),
            (
                "sqlite3",
                ".shell git push --force",
                &["sqlite3 .shell: git push --force"],
            ),
            ("duckdb", ".SYSTEM reboot", &["duckdb .system: reboot"]),
            ("psql", "SELECT '\\! not a command' AS x;", &[]),
            ("sqlite3", "SELECT 1; -- .shell in a comment", &[]),
            ("redis-cli", "\\! x", &[]),
        ];
        for (program, payload, want) in cases {
            assert_eq!(run(program, payload), *want, "{program} {payload:?}");
        }
    }
}
