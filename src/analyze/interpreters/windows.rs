//! Windows launchers: `powershell -Command`, `cmd /c` and `wsl`. Their deletions are turned into
//! the `rm` commands the filesystem rules know (`Remove-Item -Recurse -Force X`, `rd /s /q X`,
//! `del /f /s /q X` → `rm -rf X`); other statements are passed on as argument vectors.
//!
//! Paths are translated for the rules: the home directory in any spelling (`~`, `$HOME`,
//! `$env:USERPROFILE`, `%USERPROFILE%`) becomes the context home, a drive root (`C:\`) becomes
//! `/`, backslashes become slashes, and other variables are run-time parts (`Arg::dynamic`).
//! Statements are split on `;`, `|`, `&`, `&&`, `||` and newlines outside quotes; script blocks,
//! subexpressions and `-EncodedCommand` are not read.

use crate::analyze::command::{Arg, Command, Context, PayloadSource};
use crate::analyze::wrappers::Inner;

/// What a Windows launcher runs; `None` when `cmd` is not one (or runs a script file).
pub fn unwrap(cmd: &Command, ctx: &Context) -> Option<Vec<Inner>> {
    const LAUNCHERS: [&str; 8] = [
        "powershell",
        "powershell.exe",
        "pwsh",
        "pwsh.exe",
        "cmd",
        "cmd.exe",
        "wsl",
        "wsl.exe",
    ];
    if !LAUNCHERS
        .iter()
        .any(|name| cmd.program.eq_ignore_ascii_case(name))
    {
        return None;
    }
    let program = cmd.program.to_ascii_lowercase();
    let program = program.strip_suffix(".exe").unwrap_or(&program);
    let words: Vec<&str> = cmd.args.iter().map(|a| a.text.as_str()).collect();
    match program {
        "powershell" | "pwsh" => powershell(cmd, &words, ctx),
        "cmd" => {
            let at = words
                .iter()
                .position(|w| w.eq_ignore_ascii_case("/c") || w.eq_ignore_ascii_case("/k"))?;
            Some(cmd_line(&words[at + 1..].join(" "), ctx))
        }
        "wsl" => wsl(&words),
        _ => None,
    }
}

fn powershell(cmd: &Command, words: &[&str], ctx: &Context) -> Option<Vec<Inner>> {
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        let Some(param) = word.strip_prefix(['-', '/']).map(str::to_ascii_lowercase) else {
            // powershell.exe treats the first operand as the command; pwsh as a script file.
            if cmd.program.to_ascii_lowercase().starts_with("pwsh") {
                return None;
            }
            return Some(powershell_code(&words[i..].join(" "), ctx));
        };
        let is = |full: &str, min: usize| param.len() >= min && full.starts_with(param.as_str());
        if is("command", 1) {
            let rest = words[i + 1..].join(" ");
            if rest == "-" {
                let stdin: Vec<&str> = cmd
                    .payloads
                    .iter()
                    .filter(|p| p.source == PayloadSource::Stdin)
                    .map(|p| p.text.as_str())
                    .collect();
                return Some(powershell_code(&stdin.join("\n"), ctx));
            }
            return Some(powershell_code(&rest, ctx));
        }
        if is("encodedcommand", 1) || param == "ec" || param == "enc" {
            return Some(vec![Inner::Opaque {
                label: "powershell -EncodedCommand".into(),
                reason: "powershell -EncodedCommand hides the code it runs".into(),
            }]);
        }
        if is("file", 1) {
            return None;
        }
        let valued = [
            ("executionpolicy", 2),
            ("windowstyle", 1),
            ("version", 1),
            ("configurationname", 3),
            ("workingdirectory", 2),
            ("inputformat", 2),
            ("outputformat", 1),
            ("psconsolefile", 2),
            ("settingsfile", 2),
            ("custompipename", 2),
        ];
        let takes_value =
            valued.iter().any(|(full, min)| is(full, *min)) || param == "ep" || param == "wd";
        i += if takes_value { 2 } else { 1 };
    }
    None
}

/// The statements of a PowerShell command line.
fn powershell_code(source: &str, ctx: &Context) -> Vec<Inner> {
    let label = "powershell -Command";
    let mut found = Vec::new();
    for statement in statements(source, true) {
        let mut words = split_words(&statement, true);
        if matches!(words.first().map(String::as_str), Some("&" | ".")) {
            words.remove(0);
        }
        let Some(first) = words.first() else { continue };
        let name = first.to_ascii_lowercase();
        match name.as_str() {
            "remove-item" | "rm" | "del" | "erase" | "rd" | "rmdir" | "ri" => {
                found.push(powershell_remove(&words[1..], ctx));
            }
            "iex" | "invoke-expression" => found.push(Inner::Opaque {
                label: label.into(),
                reason: "powershell Invoke-Expression runs code built at run time".into(),
            }),
            "cmd" | "cmd.exe" => {
                if let Some(at) = words.iter().position(|w| w.eq_ignore_ascii_case("/c")) {
                    found.extend(cmd_line(&words[at + 1..].join(" "), ctx));
                }
            }
            _ => found.push(Inner::Argv {
                label: label.into(),
                words: words.iter().map(|w| Arg::lit(w.as_str())).collect(),
                stdin: None,
            }),
        }
    }
    found
}

/// `Remove-Item [-Path] X[,Y] [-Recurse] [-Force] ...` → `rm [-rf] X Y`.
fn powershell_remove(args: &[String], ctx: &Context) -> Inner {
    let (mut recurse, mut force, mut targets) = (false, false, Vec::new());
    let mut i = 0;
    while i < args.len() {
        let word = &args[i];
        i += 1;
        let Some(param) = word.strip_prefix('-').map(str::to_ascii_lowercase) else {
            targets.extend(
                word.split(',')
                    .filter(|p| !p.is_empty())
                    .map(|p| path_arg(p, ctx)),
            );
            continue;
        };
        let param = param.trim_end_matches(":$true");
        let is = |full: &str, min: usize| param.len() >= min && full.starts_with(param);
        if is("recurse", 1) {
            recurse = true;
        } else if is("force", 1) {
            force = true;
        } else if is("path", 1) || is("literalpath", 1) || param == "lp" {
            if let Some(value) = args.get(i) {
                targets.extend(
                    value
                        .split(',')
                        .filter(|p| !p.is_empty())
                        .map(|p| path_arg(p, ctx)),
                );
                i += 1;
            }
        } else if ["include", "exclude", "filter", "credential", "stream"]
            .iter()
            .any(|f| is(f, 2))
        {
            i += 1;
        }
    }
    if targets.is_empty() {
        // The paths come from the pipeline (`Get-ChildItem x | Remove-Item -Recurse`).
        targets.push(Arg {
            text: String::new(),
            dynamic: true,
        });
    }
    let flags = match (recurse, force) {
        (true, true) => "-rf",
        (true, false) => "-r",
        (false, true) => "-f",
        (false, false) => "",
    };
    rm_argv("powershell -Command: Remove-Item", flags, targets)
}

/// The statements of a `cmd /c` line: `rd /s /q X`, `del /f /s /q X` → `rm -rf X`.
fn cmd_line(line: &str, ctx: &Context) -> Vec<Inner> {
    let label = "cmd /c";
    let mut found = Vec::new();
    for statement in statements(&line.replace('^', ""), false) {
        let words = split_words(&statement, false);
        let Some(first) = words.first() else { continue };
        let name = first.to_ascii_lowercase();
        let switch = |s: &str| words.iter().any(|w| w.eq_ignore_ascii_case(s));
        let targets = || -> Vec<Arg> {
            words[1..]
                .iter()
                .filter(|w| !is_switch(w))
                .map(|w| path_arg(w, ctx))
                .collect()
        };
        match name.as_str() {
            "rd" | "rmdir" => {
                let (program, flags) = if switch("/s") {
                    ("rm", "-rf")
                } else {
                    ("rmdir", "")
                };
                let mut item = rm_argv(&format!("{label}: {name}"), flags, targets());
                if let Inner::Argv { words, .. } = &mut item {
                    words[0] = Arg::lit(program);
                }
                found.push(item);
            }
            "del" | "erase" => {
                let flags = match (switch("/s"), switch("/f")) {
                    (true, _) => "-rf",
                    (false, true) => "-f",
                    (false, false) => "",
                };
                found.push(rm_argv(&format!("{label}: {name}"), flags, targets()));
            }
            "powershell" | "powershell.exe" | "pwsh" | "pwsh.exe" => {
                let inner = Command::new(
                    first.as_str(),
                    words[1..].iter().map(|w| Arg::lit(w.as_str())).collect(),
                );
                found.extend(
                    powershell(
                        &inner,
                        &words[1..].iter().map(String::as_str).collect::<Vec<_>>(),
                        ctx,
                    )
                    .unwrap_or_default(),
                );
            }
            _ => found.push(Inner::Argv {
                label: label.into(),
                words: words.iter().map(|w| Arg::lit(w.as_str())).collect(),
                stdin: None,
            }),
        }
    }
    found
}

/// `wsl [OPTIONS] CMD...` (through the Linux shell), `wsl -e CMD...` (directly), `wsl -- CMD...`.
fn wsl(words: &[&str]) -> Option<Vec<Inner>> {
    let mut i = 0;
    while i < words.len() {
        match words[i] {
            "-d" | "--distribution" | "-u" | "--user" | "--cd" | "--distribution-id" => i += 2,
            "-e" | "--exec" => {
                let rest = &words[i + 1..];
                return (!rest.is_empty()).then(|| {
                    vec![Inner::Argv {
                        label: "wsl -e".into(),
                        words: rest.iter().map(|w| Arg::lit(*w)).collect(),
                        stdin: None,
                    }]
                });
            }
            "--" => return shell_rest(&words[i + 1..]),
            word if word.starts_with('-') => {
                if i == 0 || word.starts_with("--") {
                    // Management commands (`--shutdown`, `--unregister X`) are checked as `wsl` itself.
                    return None;
                }
                i += 1;
            }
            _ => return shell_rest(&words[i..]),
        }
    }
    None
}

fn shell_rest(words: &[&str]) -> Option<Vec<Inner>> {
    (!words.is_empty()).then(|| {
        vec![Inner::Shell {
            label: "wsl".into(),
            source: words.join(" "),
        }]
    })
}

fn rm_argv(label: &str, flags: &str, targets: Vec<Arg>) -> Inner {
    let mut words = vec![Arg::lit("rm")];
    words.extend(flags.split_whitespace().map(Arg::lit));
    words.extend(targets);
    Inner::Argv {
        label: label.into(),
        words,
        stdin: None,
    }
}

fn is_switch(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() >= 2
        && bytes[0] == b'/'
        && bytes[1].is_ascii_alphabetic()
        && (bytes.len() == 2 || bytes[2] == b':')
}

/// A Windows path as the filesystem rules read it.
fn path_arg(word: &str, ctx: &Context) -> Arg {
    let mut text = word.to_string();
    for home in [
        "$env:USERPROFILE",
        "$env:HOME",
        "$HOME",
        "%USERPROFILE%",
        "%HOMEDRIVE%%HOMEPATH%",
        "~",
    ] {
        if text
            .get(..home.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(home))
        {
            text = format!("{}{}", ctx.home, &text[home.len()..]);
            break;
        }
    }
    let mut text = text.replace('\\', "/");
    let bytes = text.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        let rest = text[2..].trim_start_matches('/').to_string();
        text = format!("/{rest}");
    }
    let mut dynamic = false;
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$'
            && chars
                .peek()
                .is_some_and(|n| n.is_alphanumeric() || *n == '{' || *n == '_')
        {
            dynamic = true;
            while chars
                .peek()
                .is_some_and(|n| n.is_alphanumeric() || matches!(n, '_' | ':' | '{' | '}'))
            {
                chars.next();
            }
        } else if c == '%' && text.matches('%').count() >= 2 {
            dynamic = true;
            for n in chars.by_ref() {
                if n == '%' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    if out.len() > 1 {
        out = out.trim_end_matches(['/', '*']).to_string();
        if out.is_empty() {
            out.push('/');
        }
    }
    Arg { text: out, dynamic }
}

/// Split a line into statements at `;` (PowerShell), `&`, `|` and newlines outside quotes.
fn statements(line: &str, powershell: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                current.push(c);
            }
            (Some(_), c) => current.push(c),
            (None, '"') | (None, '\'') if powershell || c == '"' => {
                quote = Some(c);
                current.push(c);
            }
            (None, ';' | '{' | '}') if powershell => out.push(std::mem::take(&mut current)),
            (None, '&' | '|' | '\n') => out.push(std::mem::take(&mut current)),
            (None, c) => current.push(c),
        }
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Split a statement into words at blanks outside quotes, removing the quotes.
fn split_words(statement: &str, powershell: bool) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in statement.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"') | (None, '\'') if powershell || c == '"' => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started || !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
                started = false;
            }
            (None, c) => current.push(c),
        }
    }
    if started || !current.is_empty() {
        words.push(current);
    }
    words
}
