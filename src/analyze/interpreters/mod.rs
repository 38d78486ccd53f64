//! Inline code for interpreters (`python -c`, `node -e`, `perl -e`, `ruby -e`, `php -r`,
//! `lua -e`, `Rscript -e`, `osascript -e`, or code on their stdin) and the Windows launchers
//! (`powershell -Command`, `cmd /c`, `wsl`), and the shell escapes of database clients
//! (`psql`'s `\!`, sqlite3's `.shell`), and the commands text tools run (awk `system()`, sed `e`,
//! `vim -c '!..'`, `tar --to-command`): the shell-outs and file deletions they contain, as
//! commands shellgate can check.

mod code;
mod dbshell;
mod lexer;
mod table;
mod tools;
mod windows;

use std::sync::LazyLock;

use regex::Regex;

use super::command::{Command, Context, PayloadSource, RedirectKind};
use super::inline::opts::{Item, Spec, operands, scan};
use super::wrappers::Inner;
use lexer::Lang;

pub use code::MAX_CODE;

/// What the inline code of an interpreter command runs: `None` when `cmd` is not an interpreter
/// running inline code (a script file, a module, a REPL: left to the caller); `Some(vec![])`
/// when the code runs nothing shellgate checks; an [`Inner::Opaque`] item for what cannot be
/// read (a command built at run time, code from a pipe whose contents are unknown, huge code).
pub fn unwrap(cmd: &Command, ctx: &Context) -> Option<Vec<Inner>> {
    if let Some(found) = windows::unwrap(cmd, ctx)
        .or_else(|| dbshell::unwrap(cmd))
        .or_else(|| tools::unwrap(cmd))
    {
        return Some(found);
    }
    let (lang, spec, code_options) = interpreter(cmd)?;
    let args = match (cmd.program.as_str(), cmd.args.first()) {
        ("deno", Some(first)) if first.text == "eval" => &cmd.args[1..],
        ("deno", _) => return None,
        _ => &cmd.args[..],
    };
    let items = scan(args, &spec);
    if items
        .iter()
        .any(|item| matches!(item, Item::Opt(name, _) if name == "-m" && lang == Lang::Python))
    {
        return None;
    }
    let lang = match items.iter().find_map(|item| match item {
        Item::Opt(name, Some(value)) if name == "-l" && cmd.program == "osascript" => Some(value),
        _ => None,
    }) {
        Some(language) if language.eq_ignore_ascii_case("javascript") => Lang::Js,
        _ => lang,
    };
    let pieces: Vec<&str> = items
        .iter()
        .filter_map(|item| match item {
            Item::Opt(name, Some(code)) if code_options.split(' ').any(|o| o == name) => {
                Some(code.as_str())
            }
            _ => None,
        })
        .collect();
    let (how, code) = if !pieces.is_empty() {
        let how = items
            .iter()
            .find_map(|item| match item {
                Item::Opt(name, Some(_)) if code_options.split(' ').any(|o| o == name) => {
                    Some(name.as_str())
                }
                _ => None,
            })
            .unwrap_or("-e");
        (how.to_string(), pieces.join("\n"))
    } else if cmd.program == "deno" {
        (String::from("eval"), operands(&items).first()?.to_string())
    } else if operands(&items)
        .first()
        .is_some_and(|script| *script != "-")
    {
        return None;
    } else {
        match stdin_code(cmd) {
            Stdin::Text(text) => ("stdin".to_string(), text),
            Stdin::Unknown => {
                let label = format!("{} stdin", cmd.program);
                let reason = format!("{label} is code only known at run time");
                return Some(vec![Inner::Opaque { label, reason }]);
            }
            Stdin::Terminal => return None,
        }
    };
    let label = format!("{} {how}", cmd.program);
    Some(code::scan(lang, &label, &code, &ctx.home))
}

static PYTHON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:python(?:[23](?:\.\d+)?)?|pypy[23]?(?:\.\d+)?)$").expect("python regex")
});

/// The language of `cmd`'s interpreter, how it reads its options and which carry code.
fn interpreter(cmd: &Command) -> Option<(Lang, Spec, &'static str)> {
    let spec = |valued, attached, clusters| Spec {
        valued,
        attached,
        clusters,
        attach_short: !clusters,
        options_first: true,
    };
    let program = cmd.program.as_str();
    Some(match program {
        _ if program.starts_with('p') && PYTHON.is_match(program) => (
            Lang::Python,
            spec("-c -m -W -X --check-hash-based-pycs", "", true),
            "-c",
        ),
        "node" | "nodejs" | "bun" | "ts-node" | "tsx" | "deno" => (
            Lang::Js,
            Spec {
                valued: "-e --eval -p --print -pe -r --require --import --loader \
                         --experimental-loader -C --conditions --input-type --env-file --title",
                options_first: true,
                ..Spec::default()
            },
            "-e --eval -p --print -pe",
        ),
        "perl" => (
            Lang::Perl,
            spec("-e -E", "-i -I -M -m -l -0 -C -d -D -x -F -V", true),
            "-e -E",
        ),
        "ruby" => (
            Lang::Ruby,
            spec("-e -r -I -C -E --encoding", "-i -W -0 -K -T -x -F", true),
            "-e",
        ),
        "php" => (
            Lang::Php,
            spec("-r -f -d -c -z -B -R -F -E -t", "", true),
            "-r",
        ),
        "lua" | "luajit" => (Lang::Lua, spec("-e -l", "", false), "-e"),
        "Rscript" | "R" => (Lang::R, spec("-e -f --file", "", false), "-e"),
        "osascript" => (Lang::AppleScript, spec("-e -l -s", "", false), "-e"),
        _ => return None,
    })
}

enum Stdin {
    Text(String),
    /// Stdin is a pipe or file whose contents are not known.
    Unknown,
    /// Nothing is fed to stdin: the interpreter would read a terminal.
    Terminal,
}

fn stdin_code(cmd: &Command) -> Stdin {
    let texts: Vec<&str> = cmd
        .payloads
        .iter()
        .filter(|p| p.source == PayloadSource::Stdin)
        .map(|p| p.text.as_str())
        .collect();
    if !texts.is_empty() {
        return Stdin::Text(texts.join("\n"));
    }
    let redirected = cmd.redirects.iter().any(|r| {
        matches!(r.kind, RedirectKind::Read | RedirectKind::ReadWrite) && r.fd.unwrap_or(0) == 0
    });
    if redirected || cmd.piped_from.is_some() {
        Stdin::Unknown
    } else {
        Stdin::Terminal
    }
}

#[cfg(test)]
mod tests;
