//! Property tests: quoting words, spelling the program as a path, and wrapping the command in
//! any chain of wrappers and nested shells never hides it from the analyzer.

use super::{Context, analyze};
use proptest::prelude::*;

/// Commands the properties hide and look for again: program and arguments.
const COMMANDS: &[&[&str]] = &[
    &["rm", "-rf", "/"],
    &["git", "push", "--force", "origin", "main"],
    &["kubectl", "delete", "namespace", "prod"],
    &["terraform", "destroy", "-auto-approve"],
    &["psql", "-c", "DROP TABLE users"],
    &["aws", "s3", "rb", "s3://bucket", "--force"],
];

/// One of the ways bash lets a word be written.
fn quote(word: &str, how: u8) -> String {
    match how % 6 {
        0 if !word.is_empty()
            && word
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./:".contains(&b)) =>
        {
            word.to_string()
        }
        1 => format!(
            "\"{}\"",
            word.replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('$', "\\$")
                .replace('`', "\\`")
        ),
        2 => format!(
            "$'{}'",
            word.bytes()
                .map(|b| format!("\\x{b:02x}"))
                .collect::<String>()
        ),
        3 if !word.is_empty() => word
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    format!("\\{c}")
                } else {
                    format!("'{c}'")
                }
            })
            .collect(),
        4 if word.len() > 1 => {
            let (a, b) = word.split_at(word.len() / 2);
            format!("{}{}", quote(a, 1), quote(b, 5))
        }
        _ => format!("'{}'", word.replace('\'', r"'\''")),
    }
}

/// Wrap a command line in something that runs it.
fn wrap(line: &str, how: u8) -> String {
    let q = quote(line, 5);
    match how % 16 {
        0 => format!("sudo {line}"),
        1 => format!("sudo -u root -- {line}"),
        2 => format!("env FOO=1 {line}"),
        3 => format!("nice -n 5 {line}"),
        4 => format!("timeout 10 {line}"),
        5 => format!("bash -c {q}"),
        6 => format!("sh -c {q}"),
        7 => format!("eval {q}"),
        8 => format!("X=1 {line}"),
        9 => format!("{{ {line}; }}"),
        10 => format!("( {line} )"),
        11 => format!("true && {line}"),
        12 => format!("false || {line}"),
        13 => format!("echo \"$({line})\""),
        14 => format!("if true; then {line}; fi"),
        _ => format!("nohup {line} &"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn wrapping_and_quoting_never_hide_a_command(
        which in 0..COMMANDS.len(),
        quotes in proptest::collection::vec(any::<u8>(), 8),
        full_path in any::<bool>(),
        wrappers in proptest::collection::vec(any::<u8>(), 0..4),
    ) {
        let words = COMMANDS[which];
        let mut line = String::new();
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                line.push(' ');
            }
            let w = if i == 0 && full_path { format!("/usr/bin/{w}") } else { w.to_string() };
            line.push_str(&quote(&w, quotes[i % quotes.len()]));
        }
        for how in &wrappers {
            line = wrap(&line, *how);
        }
        let analysis = analyze(&line, &Context::example());
        let found = analysis.commands.iter().any(|c| {
            c.program == words[0] && c.args.iter().map(|a| a.text.as_str()).eq(words[1..].iter().copied())
        });
        prop_assert!(found, "hidden: {line}\nfound: {:?}\nopaque: {:?}", analysis.commands.iter().map(|c| c.display()).collect::<Vec<_>>(), analysis.opaque);
    }

    #[test]
    fn any_input_is_analysed_without_panic(line in "\\PC{0,200}") {
        let _ = analyze(&line, &Context::example());
    }

    #[test]
    fn shell_like_input_is_analysed_without_panic(line in "[a-z $'\"`(){};|&<>\\\\=*~/-]{0,120}") {
        let _ = analyze(&line, &Context::example());
    }
}
