//! Wrappers that run a command once per input: `xargs` (stdin words), `find -exec` (found paths),
//! `parallel` (`:::` arguments or stdin lines).

use super::super::command::{Arg, Command, shell_quote};
use super::{Inner, Spec, parse_opts, split_words, stdin_text, with_text};

/// At most this many commands are produced per wrapper; inputs past it add nothing new to check
/// that the first ones did not (the command words are the same).
const MAX_ITEMS: usize = 1000;

/// How `xargs` cuts its input into items.
enum Delimiter {
    /// Blanks and newlines, with quotes and backslashes (the default).
    Blank,
    /// One item per line (`-I`, `-L`).
    Line,
    /// `-0` or `-d C`.
    Char(char),
}

/// `xargs [options] [command [initial-args]]`: the command (default `echo`) with the stdin items
/// appended, or once per line with `-I R` replaced. Unknown stdin gives one dynamic empty word.
pub fn xargs(cmd: &Command) -> Vec<Inner> {
    let args = &cmd.args;
    let mut replace: Option<String> = None;
    let mut delimiter = Delimiter::Blank;
    let mut from_file = false;
    let mut i = 0;
    while i < args.len() {
        let word = args[i].text.as_str();
        if word == "--" {
            i += 1;
            break;
        }
        if let Some(long) = word.strip_prefix("--") {
            let (name, attached) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (long, None),
            };
            match name {
                "replace" => replace = Some(attached.unwrap_or_else(|| "{}".to_string())),
                "null" => delimiter = Delimiter::Char('\0'),
                "delimiter" | "max-args" | "max-procs" | "max-chars" | "arg-file"
                | "process-slot-var" => {
                    let value = match attached {
                        Some(value) => value,
                        None => {
                            i += 1;
                            args.get(i).map(|a| a.text.clone()).unwrap_or_default()
                        }
                    };
                    match name {
                        "delimiter" => delimiter = Delimiter::Char(delimiter_char(&value)),
                        "arg-file" => from_file = true,
                        _ => {}
                    }
                }
                "max-lines" => delimiter = Delimiter::Line,
                _ => {}
            }
            i += 1;
            continue;
        }
        if !word.starts_with('-') || word == "-" {
            break;
        }
        for (at, c) in word.char_indices().skip(1) {
            let attached = &word[at + c.len_utf8()..];
            match c {
                '0' => delimiter = Delimiter::Char('\0'),
                'i' => {
                    replace = Some(if attached.is_empty() { "{}" } else { attached }.to_string());
                    break;
                }
                'l' => {
                    delimiter = Delimiter::Line;
                    break;
                }
                'e' => break,
                'I' | 'E' | 'd' | 'L' | 'n' | 'P' | 's' | 'a' => {
                    let value = if attached.is_empty() {
                        i += 1;
                        args.get(i).map(|a| a.text.clone()).unwrap_or_default()
                    } else {
                        attached.to_string()
                    };
                    match c {
                        'I' => replace = Some(value),
                        'd' => delimiter = Delimiter::Char(delimiter_char(&value)),
                        'L' => delimiter = Delimiter::Line,
                        'a' => from_file = true,
                        _ => {}
                    }
                    break;
                }
                _ => {}
            }
        }
        i += 1;
    }
    let command = match args.get(i..) {
        Some(rest) if !rest.is_empty() => rest.to_vec(),
        _ => vec![Arg::lit("echo")],
    };
    let stdin = if from_file { None } else { stdin_text(cmd) };
    if replace.is_some() && matches!(delimiter, Delimiter::Blank) {
        delimiter = Delimiter::Line;
    }
    let items = stdin.map(|text| items(&text, &delimiter));
    match (replace, items) {
        (Some(r), Some(items)) => items
            .iter()
            .take(MAX_ITEMS)
            .map(|item| {
                xargs_argv(
                    command
                        .iter()
                        .map(|w| with_text(w, &w.text.replace(&r, item)))
                        .collect(),
                )
            })
            .collect(),
        (Some(r), None) => {
            let words = command
                .iter()
                .map(|w| Arg {
                    text: w.text.replace(&r, ""),
                    dynamic: w.dynamic || w.text.contains(&r),
                })
                .collect();
            vec![xargs_argv(words)]
        }
        (None, Some(items)) => {
            let mut words = command;
            words.extend(items.into_iter().map(Arg::lit));
            vec![xargs_argv(words)]
        }
        (None, None) => {
            let mut words = command;
            words.push(Arg {
                text: String::new(),
                dynamic: true,
            });
            vec![xargs_argv(words)]
        }
    }
}

fn xargs_argv(words: Vec<Arg>) -> Inner {
    Inner::Argv {
        label: "xargs".to_string(),
        words,
        stdin: None,
    }
}

/// The character of `-d`: a literal, or an escape such as `\n`, `\t`, `\0`.
fn delimiter_char(value: &str) -> char {
    match value {
        "\\n" => '\n',
        "\\t" => '\t',
        "\\0" => '\0',
        _ => value.chars().next().unwrap_or('\n'),
    }
}

/// Cut `text` into input items.
fn items(text: &str, delimiter: &Delimiter) -> Vec<String> {
    match delimiter {
        Delimiter::Blank => split_words(text),
        Delimiter::Line => text
            .lines()
            .map(|l| l.trim_start().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
        Delimiter::Char(c) => {
            let mut items: Vec<String> = text.split(*c).map(str::to_string).collect();
            if items.last().is_some_and(String::is_empty) {
                items.pop();
            }
            items
        }
    }
}

/// `find PATHS... EXPR -exec CMD {} ;` (also `+`, `-execdir`, `-ok`, `-okdir`): CMD with `{}` replaced
/// by the start paths (`find / -exec rm -rf {} ;` → `rm -rf /`).
pub fn find(args: &[Arg]) -> Vec<Inner> {
    let mut i = 0;
    while let Some(word) = args.get(i).map(|a| a.text.as_str()) {
        match word {
            "-H" | "-L" | "-P" => i += 1,
            "-D" => i += 2,
            _ if word.starts_with("-O") => i += 1,
            _ => break,
        }
    }
    let mut paths: Vec<Arg> = Vec::new();
    while let Some(arg) = args.get(i) {
        if arg.text.starts_with('-') || matches!(arg.text.as_str(), "(" | ")" | "!" | ",") {
            break;
        }
        paths.push(arg.clone());
        i += 1;
    }
    if paths.is_empty() {
        paths.push(Arg::lit("."));
    }
    let paths = found_paths(&paths, args.get(i..).unwrap_or(&[]));
    let mut inner = Vec::new();
    while i < args.len() {
        let action = args[i].text.as_str();
        if !matches!(action, "-exec" | "-execdir" | "-ok" | "-okdir") {
            i += 1;
            continue;
        }
        let label = format!("find {action}");
        let start = i + 1;
        let mut end = start;
        let mut batch = false;
        while end < args.len() {
            let word = args[end].text.as_str();
            if word == ";" {
                break;
            }
            if word == "+" && end > start && args[end - 1].text == "{}" {
                batch = true;
                break;
            }
            end += 1;
        }
        if end >= args.len() {
            // Unterminated: find refuses to run at all.
            return Vec::new();
        }
        let words = &args[start..end];
        if batch {
            let mut all = words[..words.len() - 1].to_vec();
            all.extend(paths.iter().cloned());
            inner.push(Inner::Argv {
                label,
                words: all,
                stdin: None,
            });
        } else {
            for path in &paths {
                let words = words
                    .iter()
                    .map(|w| match w.text.contains("{}") {
                        true => Arg {
                            text: w.text.replace("{}", &path.text),
                            dynamic: w.dynamic || path.dynamic,
                        },
                        false => w.clone(),
                    })
                    .collect();
                inner.push(Inner::Argv {
                    label: label.clone(),
                    words,
                    stdin: None,
                });
            }
        }
        i = end + 1;
    }
    inner
}

/// What `{}` stands for: the start paths, or, when the tests before the first action keep only
/// entries whose name or path matches a pattern, a path of that shape under each start path
/// (`find . -name __pycache__ -exec rm -rf {} +` → `rm -rf ./__pycache__`, while `-name '*'`
/// still gives `./*`). A negation or an `-o` leaves the start paths: the match could be anything.
fn found_paths(paths: &[Arg], expr: &[Arg]) -> Vec<Arg> {
    let mut pattern: Option<(&Arg, bool)> = None;
    for (n, word) in expr.iter().enumerate() {
        match word.text.as_str() {
            "-exec" | "-execdir" | "-ok" | "-okdir" | "-delete" => break,
            "!" | "-not" | "-o" | "-or" | "," => return paths.to_vec(),
            test @ ("-name" | "-iname" | "-path" | "-ipath" | "-wholename" | "-iwholename") => {
                if let (None, Some(value)) = (pattern, expr.get(n + 1)) {
                    pattern = Some((value, test.ends_with("name") && !test.contains("whole")));
                }
            }
            _ => {}
        }
    }
    let Some((value, under)) = pattern else {
        return paths.to_vec();
    };
    if !under {
        return vec![value.clone()];
    }
    paths
        .iter()
        .map(|path| Arg {
            text: format!("{}/{}", path.text.trim_end_matches('/'), value.text),
            dynamic: path.dynamic || value.dynamic,
        })
        .collect()
}

/// `parallel [options] COMMAND ::: ARGS...`: each argument quoted into the command (at `{}` or
/// at the end), the line run by a shell. Without `:::`, the arguments are stdin lines.
pub fn parallel(cmd: &Command) -> Vec<Inner> {
    const LONG: &[&str] = &[
        "jobs",
        "sshlogin",
        "max-args",
        "max-replace-args",
        "max-lines",
        "delimiter",
        "arg-file",
        "eof",
        "max-chars",
        "colsep",
        "delay",
        "timeout",
        "results",
        "joblog",
        "tmpdir",
        "workdir",
        "wd",
        "halt",
        "memfree",
        "load",
        "retries",
        "tagstring",
        "tag-string",
        "env",
        "basefile",
        "return",
        "sshloginfile",
        "slf",
        "block",
        "recstart",
        "recend",
    ];
    let opts = parse_opts(&cmd.args, &Spec::new("jSNnLdaIEsC", LONG));
    let replace = opts
        .value("I", "")
        .map(|a| a.text.clone())
        .unwrap_or_else(|| "{}".to_string());
    let separator = |w: &Arg| w.text.starts_with(":::");
    let split = opts
        .rest
        .iter()
        .position(separator)
        .unwrap_or(opts.rest.len());
    let command = &opts.rest[..split];
    let mut items: Vec<Option<String>> = Vec::new();
    let mut in_files = false;
    for word in &opts.rest[split..] {
        if separator(word) {
            in_files = word.text.starts_with("::::");
            continue;
        }
        items.push(if in_files || word.dynamic {
            None
        } else {
            Some(word.text.clone())
        });
    }
    if split == opts.rest.len() && opts.value("a", "arg-file").is_none() {
        match stdin_text(cmd) {
            Some(text) => items.extend(
                text.lines()
                    .filter(|l| !l.is_empty())
                    .map(|l| Some(l.to_string())),
            ),
            None => items.push(None),
        }
    } else if opts.value("a", "arg-file").is_some() {
        items.push(None);
    }
    let template: Vec<&str> = command.iter().map(|w| w.text.as_str()).collect();
    let template = template.join(" ");
    let dynamic = command.iter().any(|w| w.dynamic);
    let mut inner = Vec::new();
    for item in items.iter().take(MAX_ITEMS) {
        let Some(item) = item else {
            inner.extend(unknown_parallel_input(&template, &replace));
            continue;
        };
        let quoted = shell_quote(item);
        let source = if template.is_empty() {
            item.clone()
        } else if template.contains(&replace) {
            template.replace(&replace, &quoted)
        } else {
            format!("{template} {quoted}")
        };
        inner.extend(super::shell_source("parallel", &source, dynamic));
    }
    inner
}

/// `parallel` with arguments only known at run time: a plain command gets one dynamic empty word
/// (like `xargs`); shell code around unknown words cannot be seen through.
fn unknown_parallel_input(template: &str, replace: &str) -> Vec<Inner> {
    let plain = !template.is_empty() && !template.contains(|c| ";&|<>()$`\\\n".contains(c));
    if !plain {
        let reason = "it runs shell code built from arguments only known at run time";
        return vec![super::opaque("parallel", reason)];
    }
    let unknown = || Arg {
        text: String::new(),
        dynamic: true,
    };
    let mut words: Vec<Arg> = split_words(template)
        .into_iter()
        .map(|w| match w.contains(replace) {
            true => unknown(),
            false => Arg::lit(w),
        })
        .collect();
    if !template.contains(replace) {
        words.push(unknown());
    }
    vec![Inner::Argv {
        label: "parallel".to_string(),
        words,
        stdin: None,
    }]
}

#[cfg(test)]
mod tests {
    use super::super::super::command::{Arg, Command, Payload, PayloadSource};
    use super::super::Inner;
    use super::super::test_support::*;

    fn with_stdin(words: &[&str], stdin: &str) -> Command {
        let mut c = cmd(words);
        c.payloads.push(Payload {
            source: PayloadSource::Stdin,
            text: stdin.to_string(),
        });
        c
    }

    fn unknown() -> Arg {
        Arg {
            text: String::new(),
            dynamic: true,
        }
    }

    fn xargs_words(words: Vec<Arg>) -> Inner {
        Inner::Argv {
            label: "xargs".into(),
            words,
            stdin: None,
        }
    }

    #[test]
    fn xargs_appends_stdin_words() {
        let rows: &[(&[&str], &str, Vec<Inner>)] = &[
            (
                &["xargs", "rm", "-rf"],
                "/ /home\n'a b'\n",
                vec![run("xargs", &["rm", "-rf", "/", "/home", "a b"])],
            ),
            (&["xargs"], "x y", vec![run("xargs", &["echo", "x", "y"])]),
            (
                &["xargs", "-0", "rm"],
                "a b\0c\0",
                vec![run("xargs", &["rm", "a b", "c"])],
            ),
            (
                &["xargs", "-d", "\\n", "rm"],
                "a b\nc\n",
                vec![run("xargs", &["rm", "a b", "c"])],
            ),
            (
                &["xargs", "-n", "1", "-P", "4", "-r", "rm"],
                "a b",
                vec![run("xargs", &["rm", "a", "b"])],
            ),
            (
                &["xargs", "--max-args=1", "--null", "rm"],
                "a\0",
                vec![run("xargs", &["rm", "a"])],
            ),
            (
                &["xargs", "-L", "1", "-s", "100", "-E", "END", "rm"],
                "a b\n",
                vec![run("xargs", &["rm", "a b"])],
            ),
            (
                &["xargs", "-I", "{}", "mv", "{}", "/tmp/{}.bak"],
                "a\n  b\n",
                vec![
                    run("xargs", &["mv", "a", "/tmp/a.bak"]),
                    run("xargs", &["mv", "b", "/tmp/b.bak"]),
                ],
            ),
            (
                &["xargs", "-IX", "rm", "X"],
                "a\n",
                vec![run("xargs", &["rm", "a"])],
            ),
            (
                &["xargs", "-i", "rm", "{}"],
                "a\n",
                vec![run("xargs", &["rm", "a"])],
            ),
            (
                &["xargs", "--replace=F", "rm", "F"],
                "a\n",
                vec![run("xargs", &["rm", "a"])],
            ),
            (&["xargs", "rm"], "", vec![run("xargs", &["rm"])]),
        ];
        for (words, stdin, want) in rows {
            assert_eq!(
                &super::xargs(&with_stdin(words, stdin)),
                want,
                "{words:?} <<< {stdin:?}"
            );
        }
    }

    #[test]
    fn xargs_with_unknown_input_marks_operands_dynamic() {
        let mut words = lits(&["rm", "-rf"]);
        words.push(unknown());
        assert_eq!(
            super::xargs(&cmd(&["xargs", "rm", "-rf"])),
            vec![xargs_words(words)]
        );
        let mut words = lits(&["rm"]);
        words.push(unknown());
        assert_eq!(
            super::xargs(&with_stdin(&["xargs", "-a", "list", "rm"], "x")),
            vec![xargs_words(words)]
        );
        let words = vec![
            Arg::lit("rm"),
            Arg::lit("-f"),
            Arg {
                text: "/tmp/".into(),
                dynamic: true,
            },
        ];
        assert_eq!(
            super::xargs(&cmd(&["xargs", "-I", "%", "rm", "-f", "/tmp/%"])),
            vec![xargs_words(words)]
        );
    }

    #[test]
    fn find_exec_gets_the_start_paths() {
        check_table(&[
            (
                &["find", "/", "-exec", "rm", "-rf", "{}", ";"],
                vec![run("find -exec", &["rm", "-rf", "/"])],
            ),
            (
                &[
                    "find", "-L", "/a", "/b", "-name", "x", "-exec", "rm", "{}", "+",
                ],
                vec![run("find -exec", &["rm", "/a/x", "/b/x"])],
            ),
            (
                &[
                    "find",
                    ".",
                    "-type",
                    "d",
                    "-name",
                    "__pycache__",
                    "-exec",
                    "rm",
                    "-rf",
                    "{}",
                    "+",
                ],
                vec![run("find -exec", &["rm", "-rf", "./__pycache__"])],
            ),
            (
                &["find", "/", "-name", "*", "-exec", "rm", "-rf", "{}", ";"],
                vec![run("find -exec", &["rm", "-rf", "/*"])],
            ),
            (
                &["find", ".", "-path", "./build/*", "-exec", "rm", "{}", "+"],
                vec![run("find -exec", &["rm", "./build/*"])],
            ),
            (
                &[
                    "find", ".", "!", "-name", "keep", "-exec", "rm", "-rf", "{}", "+",
                ],
                vec![run("find -exec", &["rm", "-rf", "."])],
            ),
            (
                &["find", "-type", "f", "-execdir", "shred", "-u", "{}", ";"],
                vec![run("find -execdir", &["shred", "-u", "."])],
            ),
            (
                &["find", "x", "-ok", "rm", "{}", ";"],
                vec![run("find -ok", &["rm", "x"])],
            ),
            (
                &["find", "x", "-okdir", "rm", "{}", ";"],
                vec![run("find -okdir", &["rm", "x"])],
            ),
            (
                &["find", "a", "b", "-exec", "cp", "{}", "{}.bak", ";"],
                vec![
                    run("find -exec", &["cp", "a", "a.bak"]),
                    run("find -exec", &["cp", "b", "b.bak"]),
                ],
            ),
            (
                &[
                    "find", "d", "-exec", "chmod", "+x", "{}", ";", "-exec", "rm", "{}", "+",
                ],
                vec![
                    run("find -exec", &["chmod", "+x", "d"]),
                    run("find -exec", &["rm", "d"]),
                ],
            ),
            (&["find", ".", "-name", "*.log"], vec![]),
            (&["find", ".", "-exec", "rm", "{}"], vec![]),
        ]);
    }

    #[test]
    fn parallel_quotes_each_argument_into_the_command() {
        check_table(&[
            (
                &["parallel", "rm", "-rf", ":::", "a", "b c"],
                vec![sh("parallel", "rm -rf a"), sh("parallel", "rm -rf 'b c'")],
            ),
            (
                &["parallel", "-j4", "mv {} {}.bak", ":::", "x"],
                vec![sh("parallel", "mv x x.bak")],
            ),
            (
                &["parallel", "-I", "@", "rm @", ":::", "x"],
                vec![sh("parallel", "rm x")],
            ),
            (
                &["parallel", ":::", "rm -rf /", "ls"],
                vec![sh("parallel", "rm -rf /"), sh("parallel", "ls")],
            ),
        ]);
        let unknown = Arg {
            text: String::new(),
            dynamic: true,
        };
        let argv = |words: Vec<Arg>| Inner::Argv {
            label: "parallel".into(),
            words,
            stdin: None,
        };
        let mut rm_unknown = lits(&["rm", "-rf"]);
        rm_unknown.push(unknown.clone());
        let rows: &[(&[&str], Vec<Inner>)] = &[
            (
                &["parallel", "rm", "-rf", "::::", "list"],
                vec![argv(rm_unknown.clone())],
            ),
            (&["parallel", "rm -rf {}"], vec![argv(rm_unknown)]),
            (
                &["parallel", "-a", "list", "mv {} /tmp"],
                vec![argv(vec![Arg::lit("mv"), unknown, Arg::lit("/tmp")])],
            ),
            (
                &["parallel", "cd {} && rm -rf x"],
                vec![super::super::opaque(
                    "parallel",
                    "it runs shell code built from arguments only known at run time",
                )],
            ),
        ];
        for (words, want) in rows {
            assert_eq!(&super::parallel(&cmd(words)), want, "{words:?}");
        }
        assert_eq!(
            super::parallel(&with_stdin(&["parallel", "rm", "{}"], "a\nb\n")),
            vec![sh("parallel", "rm a"), sh("parallel", "rm b")]
        );
    }
}
