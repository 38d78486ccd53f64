//! How shellgate was called: shell-style argv (`-c STRING`, a script, stdin) or one of its own subcommands.
//!
//! The shell flags are parsed the way bash parses them (not with clap), only far enough to find
//! the text the real shell would run. The argv itself is never rewritten: it goes to the real
//! shell byte for byte.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

/// What the real shell would do with this argv.
#[derive(Debug, PartialEq, Eq)]
pub enum Run {
    /// `-c STRING [NAME [ARGS...]]`: run STRING.
    Command(OsString),
    /// `shell FILE [ARGS...]`: run the script FILE (looked up like the shell does).
    Script(OsString),
    /// No `-c` and no operand (or `-s`): commands come from standard input.
    Stdin,
    /// `shell +s FILE` or zsh's `-o shinstdin FILE`: bash reads standard input where zsh and dash
    /// run FILE (or the reverse), so both are analysed.
    StdinOrScript(OsString),
    /// `--version`, `--help`, or a shape the real shell rejects: nothing of ours to analyse.
    PassThrough,
}

/// A shell-style invocation.
#[derive(Debug, PartialEq, Eq)]
pub struct ShellInvocation {
    /// The whole argv, argv[0] included, exactly as received.
    pub argv: Vec<OsString>,
    pub run: Run,
    /// `-i` was given.
    pub interactive: bool,
    /// argv[0] starts with `-` or `-l`/`--login` was given.
    pub login: bool,
    /// Index in `argv` of the first word after the options: the command string with `-c`
    /// (`$0`, `$1`, ... follow it), else the script or the first positional parameter.
    pub operand: Option<usize>,
}

/// How shellgate was called.
#[derive(Debug, PartialEq, Eq)]
pub enum Invocation {
    /// As a shell: guard what it would run, then hand over to the real shell.
    Shell(ShellInvocation),
    /// `shellgate SUBCOMMAND ...`: one of shellgate's own commands (arguments after the name).
    Own(Vec<OsString>),
}

/// shellgate's own subcommands. Recognised only as the first argument, and only when the binary
/// runs under its own name (a `bash`/`sh`/`zsh` shim never has subcommands).
pub const SUBCOMMANDS: &[&str] = &[
    "check", "explain", "rules", "pending", "approve", "deny", "help",
];

/// Long options that take the next word as their value (bash's `--rcfile`, zsh's `--emulate`).
const LONG_WITH_VALUE: &[&str] = &["--rcfile", "--init-file", "--emulate"];

/// zsh's option that makes it read commands from standard input even with a FILE operand
/// (`-o shinstdin`, `--shin-stdin`, any case, `_`/`-` ignored, as zsh itself spells options).
const ZSH_STDIN_OPTION: &str = "shinstdin";

/// Whether a zsh option name (value of `-o`/`+o`, or a `--long` option) is [`ZSH_STDIN_OPTION`],
/// set or unset: either way the source depends on it, so both sources are analysed.
fn names_zsh_stdin_option(name: &[u8]) -> bool {
    let name: String = String::from_utf8_lossy(name)
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase();
    name.strip_prefix("no").unwrap_or(&name) == ZSH_STDIN_OPTION
}

/// Parse argv (argv[0] included).
pub fn parse(argv: Vec<OsString>) -> Invocation {
    let name = argv.first().map(|a| basename(a)).unwrap_or_default();
    let first = argv.get(1).and_then(|a| a.to_str());
    if name.trim_start_matches('-') == "shellgate"
        && first.is_some_and(|f| SUBCOMMANDS.contains(&f))
    {
        return Invocation::Own(argv[1..].to_vec());
    }
    Invocation::Shell(parse_shell(argv))
}

/// The basename of argv[0] as text (lossy).
pub fn basename(arg0: &OsStr) -> String {
    let bytes = arg0.as_bytes();
    let base = bytes.rsplit(|b| *b == b'/').next().unwrap_or(bytes);
    String::from_utf8_lossy(base).into_owned()
}

fn parse_shell(argv: Vec<OsString>) -> ShellInvocation {
    let mut command_mode = false;
    let mut stdin_mode = false;
    let mut maybe_stdin = false;
    let mut interactive = false;
    let mut login = argv.first().is_some_and(|a| a.as_bytes().starts_with(b"-"));
    let mut pass_through = false;
    let mut operand: Option<usize> = None;

    let mut i = 1;
    while i < argv.len() {
        let arg = argv[i].as_bytes();
        if arg == b"--" || arg == b"-" {
            i += 1;
            break;
        }
        if arg.starts_with(b"--") {
            let long = String::from_utf8_lossy(arg);
            match long.as_ref() {
                "--login" => login = true,
                "--version" | "--help" => pass_through = true,
                _ if LONG_WITH_VALUE.contains(&long.as_ref()) => i += 1,
                _ if names_zsh_stdin_option(&arg[2..]) => maybe_stdin = true,
                _ => {}
            }
            i += 1;
            continue;
        }
        if (arg.starts_with(b"-") || arg.starts_with(b"+")) && arg.len() > 1 {
            // A cluster of one-letter options: `-euxc`, `-lc`, `+O`; `o` and `O` take a value.
            // `c` selects the command string whatever its sign: bash, zsh and dash all run
            // STRING for `+c STRING`. `+s` reads stdin in bash but not in zsh or dash.
            let minus = arg[0] == b'-';
            let mut takes = 0;
            for &c in &arg[1..] {
                match c {
                    b'c' => command_mode = true,
                    b's' if minus => stdin_mode = true,
                    b's' => maybe_stdin = true,
                    b'i' if minus => interactive = true,
                    b'l' if minus => login = true,
                    b'o' | b'O' => takes += 1,
                    _ => {}
                }
            }
            let values = argv
                .get(i + 1..(i + 1 + takes).min(argv.len()))
                .unwrap_or_default();
            if values.iter().any(|v| names_zsh_stdin_option(v.as_bytes())) {
                maybe_stdin = true;
            }
            i += 1 + takes;
            continue;
        }
        break;
    }
    if i < argv.len() {
        operand = Some(i);
    }

    let run = if pass_through {
        Run::PassThrough
    } else if command_mode {
        match operand {
            Some(at) => Run::Command(argv[at].clone()),
            // `bash -c` without a string: the real shell prints its own error and runs nothing.
            None => Run::PassThrough,
        }
    } else if stdin_mode {
        Run::Stdin
    } else {
        match operand {
            Some(at) if maybe_stdin => Run::StdinOrScript(argv[at].clone()),
            Some(at) => Run::Script(argv[at].clone()),
            None => Run::Stdin,
        }
    };
    ShellInvocation {
        argv,
        run,
        interactive,
        login,
        operand,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(args: &[&str]) -> ShellInvocation {
        let argv = args.iter().map(OsString::from).collect();
        match parse(argv) {
            Invocation::Shell(s) => s,
            Invocation::Own(_) => panic!("parsed as own subcommand: {args:?}"),
        }
    }

    fn run(args: &[&str]) -> Run {
        shell(args).run
    }

    #[test]
    fn command_string_is_the_first_operand() {
        assert_eq!(
            run(&["shellgate", "-c", "echo hi", "a", "b"]),
            Run::Command("echo hi".into())
        );
        assert_eq!(run(&["bash", "-lc", "pwd"]), Run::Command("pwd".into()));
        assert_eq!(run(&["bash", "-euxc", "true"]), Run::Command("true".into()));
        assert_eq!(run(&["bash", "-c", "-l", "x"]), Run::Command("x".into()));
        assert_eq!(
            run(&["bash", "-euo", "pipefail", "-c", "y"]),
            Run::Command("y".into())
        );
        assert_eq!(
            run(&["bash", "-o", "pipefail", "-c", "y"]),
            Run::Command("y".into())
        );
        assert_eq!(
            run(&["bash", "+O", "extglob", "-c", "z"]),
            Run::Command("z".into())
        );
        assert_eq!(
            run(&["bash", "-O", "extglob", "-c", "z"]),
            Run::Command("z".into())
        );
        assert_eq!(
            run(&["bash", "--norc", "--noprofile", "-c", "z"]),
            Run::Command("z".into())
        );
        assert_eq!(
            run(&["bash", "--rcfile", "-c", "-c", "z"]),
            Run::Command("z".into())
        );
        assert_eq!(run(&["bash", "-c", "--", "-x"]), Run::Command("-x".into()));
    }

    #[test]
    fn scripts_stdin_and_pass_through() {
        assert_eq!(run(&["bash", "x.sh", "a"]), Run::Script("x.sh".into()));
        assert_eq!(run(&["bash", "--", "x.sh"]), Run::Script("x.sh".into()));
        assert_eq!(run(&["bash"]), Run::Stdin);
        assert_eq!(run(&["bash", "-s", "a", "b"]), Run::Stdin);
        assert_eq!(run(&["bash", "-e"]), Run::Stdin);
        assert_eq!(run(&["bash", "--version"]), Run::PassThrough);
        assert_eq!(run(&["bash", "-c"]), Run::PassThrough);
    }

    #[test]
    fn operand_is_found_by_position_not_by_value() {
        // The rcfile is spelled like the command string: `$0` is still the word after `-c X`.
        let inv = shell(&["bash", "--rcfile", "X", "-c", "X", "zero"]);
        assert_eq!(inv.operand, Some(4));
        assert_eq!(shell(&["bash", "-c", "x"]).operand, Some(2));
        assert_eq!(shell(&["bash", "-c"]).operand, None);
    }

    #[test]
    fn plus_c_is_a_command_string_too() {
        // `bash +c STRING` runs STRING in bash, zsh and dash: it must be analysed.
        assert_eq!(run(&["bash", "+c", "x"]), Run::Command("x".into()));
        assert_eq!(run(&["bash", "+ec", "x"]), Run::Command("x".into()));
        assert_eq!(run(&["bash", "+s", "-c", "x"]), Run::Command("x".into()));
    }

    #[test]
    fn sources_that_depend_on_the_shell_are_both_analysed() {
        let both = Run::StdinOrScript("f".into());
        assert_eq!(run(&["bash", "+s", "f", "a"]), both);
        assert_eq!(run(&["zsh", "-o", "shinstdin", "f"]), both);
        assert_eq!(run(&["zsh", "+o", "SHIN_STDIN", "f"]), both);
        assert_eq!(run(&["zsh", "-eo", "no_shin_stdin", "f"]), both);
        assert_eq!(run(&["zsh", "--shin-stdin", "f"]), both);
        assert_eq!(run(&["zsh", "-o", "errexit", "f"]), Run::Script("f".into()));
        assert_eq!(run(&["bash", "+s"]), Run::Stdin);
    }

    #[test]
    fn zsh_emulate_takes_a_value() {
        assert_eq!(
            run(&["zsh", "--emulate", "ksh", "-c", "x"]),
            Run::Command("x".into())
        );
    }

    #[test]
    fn login_and_interactive() {
        assert!(shell(&["-bash"]).login);
        assert!(shell(&["bash", "-l"]).login);
        assert!(shell(&["bash", "--login", "-c", "x"]).login);
        assert!(shell(&["bash", "-ic", "x"]).interactive);
        assert!(!shell(&["bash", "-c", "x"]).interactive);
    }

    #[test]
    fn own_subcommands_only_first_and_only_under_own_name() {
        let own = |args: &[&str]| parse(args.iter().map(OsString::from).collect());
        assert!(matches!(
            own(&["shellgate", "check", "ls"]),
            Invocation::Own(_)
        ));
        assert!(matches!(
            own(&["/usr/bin/shellgate", "rules", "list"]),
            Invocation::Own(_)
        ));
        assert!(matches!(own(&["bash", "check"]), Invocation::Shell(_)));
        assert!(matches!(
            own(&["shellgate", "-c", "check"]),
            Invocation::Shell(_)
        ));
    }
}
