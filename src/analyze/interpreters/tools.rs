//! Text and archive tools that run shell commands from their own arguments: awk's `system()`,
//! `"CMD" | getline` and `print | "CMD"`; GNU sed's `e` command and `s///e` flag; an editor's
//! `-c '!CMD'`; tar's `--checkpoint-action=exec=`, `--to-command`, `-I`; zip's `-TT`. A literal
//! command is analysed as shell source; one built at run time is opaque.

use std::sync::LazyLock;

use regex::Regex;

use super::super::command::Command;
use super::super::inline::opts::{Item, Spec, operands, scan};
use super::super::wrappers::Inner;

/// The commands `cmd`'s arguments make it run, or `None` when it is not such a tool or they
/// run nothing.
pub fn unwrap(cmd: &Command) -> Option<Vec<Inner>> {
    let program = cmd.program.as_str();
    let found = match program {
        "awk" | "gawk" | "mawk" | "nawk" | "busybox-awk" => awk(cmd),
        "sed" | "gsed" => sed(cmd),
        "vim" | "vi" | "nvim" | "ex" | "view" | "gvim" | "vimdiff" => editor(cmd),
        "tar" | "gtar" | "bsdtar" => tar(cmd),
        "zip" => zip(cmd),
        _ => return None,
    };
    (!found.is_empty()).then_some(found)
}

fn shell(label: String, source: &str) -> Inner {
    Inner::Shell {
        label,
        source: source.to_string(),
    }
}

fn opaque(label: String, what: &str) -> Inner {
    let reason = format!("{label} runs {what} that shellgate cannot read");
    Inner::Opaque { label, reason }
}

fn spec(valued: &'static str) -> Spec {
    Spec {
        valued,
        attached: "",
        clusters: true,
        attach_short: false,
        options_first: false,
    }
}

/// A double-quoted awk string, unescaped.
fn awk_string(body: &str) -> String {
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn awk(cmd: &Command) -> Vec<Inner> {
    static STR: &str = r#""((?:[^"\\]|\\.)*)""#;
    static SYSTEM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(r"\bsystem\s*\(\s*{STR}\s*\)")).expect("awk system regex")
    });
    static GETLINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(r"{STR}\s*\|&?\s*getline")).expect("awk getline regex")
    });
    static PRINT_PIPE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!(r"\|&?\s*{STR}")).expect("awk pipe regex"));
    static ANY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\bsystem\s*\(|\|&?\s*getline|\bprintf?\b[^;}\n]*[^|]\|&?\s*[^|\s=]")
            .expect("awk any regex")
    });
    let items = scan(&cmd.args, &spec("-F -v -f --file -e --source -i --include"));
    let programs = program_texts(&items, &["-e", "--source"]);
    let label = format!("{} program", cmd.program);
    let mut found = Vec::new();
    for code in programs {
        let mut literal = 0;
        for (i, re) in [&*SYSTEM, &*GETLINE, &*PRINT_PIPE].into_iter().enumerate() {
            for c in re.captures_iter(code) {
                literal += 1;
                let command = awk_string(&c[1]);
                // `print | "sh"`: the lines printed are the commands.
                if i == 2 && reads_commands(&command) {
                    found.push(opaque(label.clone(), "the commands it prints"));
                } else {
                    found.push(shell(label.clone(), &command));
                }
            }
        }
        if ANY.find_iter(code).count() > literal {
            found.push(opaque(label.clone(), "a command"));
        }
    }
    found
}

/// Whether a command run with a pipe on its stdin takes the piped text as commands.
fn reads_commands(command: &str) -> bool {
    let first = command.split_whitespace().next().unwrap_or("");
    let program = first.rsplit('/').next().unwrap_or(first);
    matches!(
        program,
        "sh" | "bash"
            | "zsh"
            | "dash"
            | "ksh"
            | "fish"
            | "csh"
            | "tcsh"
            | "xargs"
            | "parallel"
            | "python"
            | "python3"
            | "perl"
            | "ruby"
            | "node"
            | "php"
            | "env"
            | "sudo"
    )
}

fn sed(cmd: &Command) -> Vec<Inner> {
    let items = scan(
        &cmd.args,
        &spec("-e --expression -f --file -l --line-length"),
    );
    let scripts = program_texts(&items, &["-e", "--expression"]);
    let label = format!("{} script", cmd.program);
    let mut found = Vec::new();
    for script in scripts {
        for piece in script.split([';', '\n']) {
            match sed_exec(piece) {
                Some(SedExec::Command(c)) => found.push(shell(label.clone(), c)),
                Some(SedExec::PatternSpace) => found.push(opaque(label.clone(), "a command")),
                None => {}
            }
        }
    }
    found
}

enum SedExec<'a> {
    /// `e CMD`
    Command(&'a str),
    /// `e` alone or `s///e`: the pattern space is run.
    PatternSpace,
}

/// Whether one sed command (after its address) runs a shell command.
fn sed_exec(piece: &str) -> Option<SedExec<'_>> {
    static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:(?:[0-9]+|\$|/(?:[^/\\]|\\.)*/[IM]*)(?:\s*[,~]\s*(?:[0-9]+|\$|/(?:[^/\\]|\\.)*/[IM]*|\+[0-9]+))?)?\s*!?\s*\{?\s*")
            .expect("sed address regex")
    });
    let rest = &piece[ADDRESS.find(piece).map_or(0, |m| m.end())..];
    if let Some(after) = rest.strip_prefix('e') {
        if after.trim().is_empty() {
            return Some(SedExec::PatternSpace);
        }
        if after.starts_with([' ', '\t']) {
            return Some(SedExec::Command(after.trim()));
        }
        return None;
    }
    let after = rest.strip_prefix('s')?;
    let delim = after
        .chars()
        .next()
        .filter(|c| !c.is_alphanumeric() && *c != '\\' && *c != '\n')?;
    let mut seen = 0;
    let mut escaped = false;
    for (i, c) in after[delim.len_utf8()..].char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == delim {
            seen += 1;
            if seen == 2 {
                let flags = &after[delim.len_utf8() + i + c.len_utf8()..];
                let flags = flags.split('w').next().unwrap_or("");
                return flags.contains('e').then_some(SedExec::PatternSpace);
            }
        }
    }
    None
}

fn editor(cmd: &Command) -> Vec<Inner> {
    // `:r !CMD`, `:w !CMD`, `:%!CMD`, `:set x | !CMD` (not `q!` or `wq!`).
    static BANG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|\|)\s*[%.$,0-9]*\s*(?:r(?:ead?)?|w(?:rite?)?)?\s*!\s*\S")
            .expect("ex bang regex")
    });
    let label = format!("{} -c", cmd.program);
    let mut found = Vec::new();
    let mut args = cmd.args.iter().map(|a| a.text.as_str());
    while let Some(word) = args.next() {
        let ex = match word {
            "-c" | "--cmd" => args.next().unwrap_or(""),
            _ if word.starts_with('+') => &word[1..],
            _ => continue,
        };
        let ex = ex.trim_start_matches([':', ' ']);
        if let Some(command) = ex.strip_prefix('!') {
            found.push(shell(label.clone(), command));
        } else if BANG.is_match(ex) || ex.contains("system(") || ex.starts_with("term") {
            found.push(opaque(label.clone(), "an Ex command"));
        }
    }
    found
}

fn tar(cmd: &Command) -> Vec<Inner> {
    let mut found = Vec::new();
    let mut args = cmd.args.iter().map(|a| a.text.as_str());
    while let Some(word) = args.next() {
        let (name, value) = match word.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ => (word, None),
        };
        let runs = matches!(
            name,
            "--to-command"
                | "--use-compress-program"
                | "-I"
                | "--info-script"
                | "--new-volume-script"
                | "-F"
                | "--checkpoint-action"
                | "--rsh-command"
        );
        if !runs {
            continue;
        }
        let value = match value {
            Some(v) => v,
            None => args.next().unwrap_or(""),
        };
        let command = if name == "--checkpoint-action" {
            match value.strip_prefix("exec=") {
                Some(c) => c,
                None => continue,
            }
        } else {
            value
        };
        found.push(shell(format!("tar {name}"), command));
    }
    found
}

fn zip(cmd: &Command) -> Vec<Inner> {
    let mut found = Vec::new();
    let mut args = cmd.args.iter().map(|a| a.text.as_str());
    while let Some(word) = args.next() {
        let command = match word.split_once('=') {
            Some(("--unzip-command", value)) => value,
            _ if word == "-TT" || word == "--unzip-command" => args.next().unwrap_or(""),
            _ => continue,
        };
        found.push(shell(format!("zip {word}"), command));
    }
    found
}

/// The program texts of an awk- or sed-style command: the values of `code_options`, else its
/// first operand, unless the program is read from a file (`-f`/`--file`).
fn program_texts<'a>(items: &'a [Item], code_options: &[&str]) -> Vec<&'a str> {
    let mut texts: Vec<&str> = items
        .iter()
        .filter_map(|item| match item {
            Item::Opt(name, Some(code)) if code_options.contains(&name.as_str()) => {
                Some(code.as_str())
            }
            _ => None,
        })
        .collect();
    let from_file = items
        .iter()
        .any(|i| matches!(i, Item::Opt(n, _) if n == "-f" || n == "--file"));
    if texts.is_empty() && !from_file {
        texts.extend(operands(items).first());
    }
    texts
}
