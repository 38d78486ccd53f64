//! HTTP clients: the request bodies of `curl -d`, `wget --post-data`, httpie/xh items and
//! `gh api -f`, so rules can read GraphQL mutations and JSON bodies.
//!
//! httpie/xh items and `gh api` fields are returned as the JSON object they send
//! (`query='mutation {..}'` → `{"query":"mutation {..}"}`), the same shape a curl body has.

use serde_json::{Map, Value};

use super::Out;
use super::opts::{Item, Spec, has, operands, scan};
use crate::analyze::command::{Arg, Command};

/// Add the request bodies of `cmd` when it is an HTTP client.
pub(super) fn payloads(cmd: &Command, out: &mut Out) {
    match cmd.program.as_str() {
        "curl" => curl(&cmd.args, out),
        "wget" => wget(&cmd.args, out),
        "http" | "https" | "xh" | "xhs" => httpie(&cmd.args, out),
        "gh" if cmd.args.first().is_some_and(|a| a.text == "api") => gh_api(&cmd.args[1..], out),
        _ => {}
    }
}

const CURL_DATA: &str = "-d --data --data-raw --data-binary --data-ascii --data-urlencode --json -F --form --form-string";

fn curl(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "\
            -d --data --data-raw --data-binary --data-ascii --data-urlencode --json -F \
            --form --form-string -X --request -H --header -o --output -u --user -A \
            --user-agent -e --referer -b --cookie -c --cookie-jar -x --proxy -T \
            --upload-file -w --write-out -m --max-time --connect-timeout -K --config -E \
            --cert --key --cacert -r --range -C --continue-at -U --proxy-user -z --time-cond \
            --retry --url -Y --speed-limit -y --speed-time --limit-rate --resolve \
            --connect-to --unix-socket --interface --dns-servers --oauth2-bearer --aws-sigv4 \
            --variable --expand-data --url-query -Q --quote --max-filesize --retry-delay \
            --retry-max-time --output-dir --cert-type --key-type --ciphers",
        clusters: true,
        ..Spec::default()
    };
    for item in scan(args, &spec) {
        let Item::Opt(name, Some(value)) = item else {
            continue;
        };
        if !has(CURL_DATA, &name) {
            continue;
        }
        match name.as_str() {
            "--data-raw" | "--form-string" => out.option(&name, value),
            "-F" | "--form" => {
                out.option(&name, value.clone());
                if let Some((_, file)) = value.split_once(['@', '<']) {
                    out.file(file.split(';').next().unwrap_or(file));
                }
            }
            "--data-urlencode" => match value.split_once('@') {
                Some((field, file)) if !field.contains('=') => out.file(file),
                _ => out.option(&name, value),
            },
            _ => match value.strip_prefix('@') {
                Some(file) => out.file(file),
                None => out.option(&name, value),
            },
        }
    }
}

fn wget(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "\
            --post-data --body-data --post-file --body-file -O --output-document -o \
            --output-file -U --user-agent --header --method -e --execute -P \
            --directory-prefix -t --tries -T --timeout -i --input-file --user --password",
        clusters: true,
        ..Spec::default()
    };
    out.options(
        &scan(args, &spec),
        "--post-data --body-data",
        "--post-file --body-file",
    );
}

/// httpie / xh: `http [FLAGS] [METHOD] URL [ITEM]...`; `--raw BODY`; `@file` as the body.
fn httpie(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "\
            --raw -a --auth -A --auth-type --bearer -o --output --session \
            --session-read-only --verify --cert --cert-key --proxy --timeout --max-redirects \
            --print -p --pretty --style -s --format-options --boundary --default-scheme \
            --ssl --ciphers --response-charset --response-mime --unix-socket --interface \
            --resolve --http-version",
        clusters: true,
        ..Spec::default()
    };
    let items = scan(args, &spec);
    out.options(&items, "--raw", "");
    let words = operands(&items);
    let method = words
        .first()
        .is_some_and(|w| w.len() <= 10 && w.chars().all(|c| c.is_ascii_alphabetic()))
        && words.len() > 1
        && words[0].chars().all(|c| c.is_ascii_uppercase());
    let mut body = Map::new();
    for item in words.iter().skip(1 + usize::from(method)) {
        if let Some(file) = item.strip_prefix('@') {
            out.file(file);
            continue;
        }
        match split_item(item) {
            Some((key, "=", value)) => {
                body.insert(key.into(), Value::String(value.into()));
            }
            Some((key, ":=", value)) => {
                let json =
                    serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.into()));
                body.insert(key.into(), json);
            }
            Some((_, "=@" | ":=@" | "@", file)) => out.file(file),
            _ => {}
        }
    }
    if !body.is_empty() {
        out.operand(Value::Object(body).to_string());
    }
}

/// An httpie request item split at its separator: the earliest one, the longest at that place.
fn split_item(item: &str) -> Option<(&str, &str, &str)> {
    const SEPARATORS: &[&str] = &[":=@", "==@", "==", "=@", ":=", "@", "=", ":"];
    for (at, _) in item.char_indices() {
        if let Some(sep) = SEPARATORS.iter().find(|sep| item[at..].starts_with(**sep)) {
            return Some((&item[..at], sep, &item[at + sep.len()..]));
        }
    }
    None
}

/// `gh api ENDPOINT -f key=value -F key=value --input FILE`.
fn gh_api(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "\
            -f --raw-field -F --field --input -X --method -H --header -q --jq -t --template \
            --hostname --cache -p --preview",
        clusters: true,
        ..Spec::default()
    };
    let items = scan(args, &spec);
    let mut body = Map::new();
    for item in &items {
        let Item::Opt(name, Some(value)) = item else {
            continue;
        };
        match name.as_str() {
            "--input" => out.file(value),
            "-f" | "--raw-field" | "-F" | "--field" => {
                let (key, text) = value.split_once('=').unwrap_or((value, ""));
                match text
                    .strip_prefix('@')
                    .filter(|_| name.contains('F') || name == "--field")
                {
                    Some(file) => out.file(file),
                    None => {
                        body.insert(key.into(), Value::String(text.into()));
                    }
                }
            }
            _ => {}
        }
    }
    if !body.is_empty() {
        out.option("--field", Value::Object(body).to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::analyze::command::Context;

    const MUTATION: &str = r#"{"query":"mutation { volumeDelete(volumeId: \"v\") }"}"#;

    #[test]
    fn curl_bodies_in_every_spelling() {
        check(&[
            (
                &["curl", "-X", "POST", "https://x/graphql", "-d", MUTATION],
                vec![opt("-d", MUTATION)],
            ),
            (
                &["curl", "-sSd", "a=1", "https://x"],
                vec![opt("-d", "a=1")],
            ),
            (
                &["curl", "-d{\"a\":1}", "https://x"],
                vec![opt("-d", "{\"a\":1}")],
            ),
            (&["curl", "--data=x", "https://x"], vec![opt("--data", "x")]),
            (
                &["curl", "--json", "{}", "https://x"],
                vec![opt("--json", "{}")],
            ),
            (
                &["curl", "--data-raw", "@not-a-file", "u"],
                vec![opt("--data-raw", "@not-a-file")],
            ),
            (
                &["curl", "-F", "q=mutation", "u"],
                vec![opt("-F", "q=mutation")],
            ),
            (
                &["curl", "--data-urlencode", "q=drop", "u"],
                vec![opt("--data-urlencode", "q=drop")],
            ),
            (&["curl", "-d", "@body.json", "u"], vec![]),
        ]);
    }

    #[test]
    fn requests_without_a_body_carry_nothing() {
        check(&[
            (&["curl", "https://x"], vec![]),
            (
                &[
                    "curl",
                    "-fsSL",
                    "-H",
                    "Authorization: x",
                    "-o",
                    "out",
                    "https://x",
                ],
                vec![],
            ),
            (&["curl", "-T", "dump.sql", "https://x"], vec![]),
            (&["curl", "-H", "-d", "https://x"], vec![]),
            (&["wget", "https://x"], vec![]),
            (
                &["http", "GET", "https://x", "Accept:json", "q==drop"],
                vec![],
            ),
            (&["gh", "api", "repos/o/r"], vec![]),
            (&["gh", "pr", "list", "-F", "x=y"], vec![]),
        ]);
    }

    #[test]
    fn other_clients_bodies() {
        check(&[
            (
                &["wget", "--post-data=a=1", "u"],
                vec![opt("--post-data", "a=1")],
            ),
            (
                &["wget", "--body-data", "{}", "--method=DELETE", "u"],
                vec![opt("--body-data", "{}")],
            ),
            (
                &[
                    "http",
                    "POST",
                    "https://x",
                    "query=mutation { volumeDelete }",
                    "Auth:t",
                ],
                vec![operand(r#"{"query":"mutation { volumeDelete }"}"#)],
            ),
            (
                &["xh", "https://x", "n:=1", "a=b:c"],
                vec![operand(r#"{"a":"b:c","n":1}"#)],
            ),
            (
                &["http", "--raw", "DROP", "POST", "u"],
                vec![opt("--raw", "DROP")],
            ),
            (
                &[
                    "gh",
                    "api",
                    "graphql",
                    "-f",
                    "query=mutation { deleteRepository }",
                ],
                vec![opt(
                    "--field",
                    r#"{"query":"mutation { deleteRepository }"}"#,
                )],
            ),
        ]);
    }

    #[test]
    fn bodies_from_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("body.json"), MUTATION).unwrap();
        let mut ctx = Context::example();
        ctx.cwd = dir.path().to_path_buf();
        ctx.read_files = true;
        let want = vec![file("body.json", MUTATION)];
        assert_eq!(run_in(&["curl", "-d", "@body.json", "u"], &ctx), want);
        assert_eq!(
            run_in(&["curl", "--data-binary", "@missing.json", "u"], &ctx),
            vec![]
        );
        assert_eq!(run_in(&["wget", "--post-file=body.json", "u"], &ctx), want);
        assert_eq!(run_in(&["http", "POST", "u", "@body.json"], &ctx), want);
        assert_eq!(
            run_in(&["gh", "api", "graphql", "--input", "body.json"], &ctx),
            want
        );
    }
}
