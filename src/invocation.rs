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
pub const SUBCOMMANDS: &[&str] = &["check", "explain", "rules", "help"];

/// Long options that take the next word as their value (bash).
const LONG_WITH_VALUE: &[&str] = &["--rcfile", "--init-file"];

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
                _ => {}
            }
            i += 1;
            continue;
        }
        if (arg.starts_with(b"-") || arg.starts_with(b"+")) && arg.len() > 1 {
            // A cluster of one-letter options: `-euxc`, `-lc`, `+O`; `o` and `O` take a value.
            let mut takes = 0;
            for &c in &arg[1..] {
                match c {
                    b'c' if arg[0] == b'-' => command_mode = true,
                    b's' if arg[0] == b'-' => stdin_mode = true,
                    b'i' if arg[0] == b'-' => interactive = true,
                    b'l' if arg[0] == b'-' => login = true,
                    b'o' | b'O' => takes += 1,
                    _ => {}
                }
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
            Some(at) => Run::Script(argv[at].clone()),
            None => Run::Stdin,
        }
    };
    ShellInvocation {
        argv,
        run,
        interactive,
        login,
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
