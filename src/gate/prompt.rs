//! The confirmation prompt a person sees on their terminal: what would run, where it came
//! from, which rule, why it is dangerous, the safer alternative; default answer no.
//!
//! `medium`/`high` findings accept only `y`/`yes`; a `critical` finding asks the person to type
//! the target's name. Enter, EOF, Ctrl-C, a timeout and any error mean no. Prompts from
//! parallel commands are serialized with a lock so they never interleave.

use super::sanitize;
use super::terminal::{Input, Terminal};
use crate::rules::{Finding, Severity};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// What the person decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Approved,
    /// Said no, pressed Enter, Ctrl-C, Ctrl-D, or typed the wrong name.
    Refused,
    TimedOut,
    /// No terminal in the foreground to ask on.
    NoTerminal,
}

/// The word a person must type to approve a critical finding: the command's last operand
/// (the database, branch, bucket, namespace or path it destroys).
pub fn challenge_word(finding: &Finding) -> String {
    let words = shell_words(&finding.command);
    words
        .iter()
        .rev()
        .find(|w| !w.starts_with('-') && !w.is_empty())
        .cloned()
        .unwrap_or_else(|| words.first().cloned().unwrap_or_default())
}

/// Split a shell-quoted display string back into words (it was produced by `shell_quote`).
fn shell_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                in_word = true;
            }
            '\\' if !quoted => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ' ' if !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                }
                in_word = false;
            }
            c => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// Where the values of the prompt's fields start (`  command:  `).
const VALUE_COLUMN: usize = 12;

/// `text` folded at spaces to fit `width` columns, continuation lines indented to the value
/// column; unchanged when the width is unknown or too small to help.
fn wrap(text: &str, width: Option<usize>) -> String {
    let Some(room) = width
        .and_then(|w| w.checked_sub(VALUE_COLUMN + 1))
        .filter(|room| *room >= 20)
    else {
        return text.to_string();
    };
    let mut out = String::new();
    let mut used = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if used > 0 && used + 1 + len > room {
            out.push_str("\r\n");
            out.push_str(&" ".repeat(VALUE_COLUMN));
            used = 0;
        } else if used > 0 {
            out.push(' ');
            used += 1;
        }
        out.push_str(word);
        used += len;
    }
    out
}

/// The text of the prompt (without the question line), folded to `width` columns when known.
pub fn render(findings: &[Finding], line: &str, styled: bool, width: Option<usize>) -> String {
    let bold = |s: &str| {
        if styled {
            console::style(s).bold().to_string()
        } else {
            s.to_string()
        }
    };
    let red = |s: &str| {
        if styled {
            console::style(s).red().bold().to_string()
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\r\n{}",
        red("shellgate: this command needs your approval")
    );
    for f in findings {
        let _ = writeln!(out, "  {} {}\r", bold("command: "), sanitize(&f.command));
        if f.origin.contains('→') {
            let _ = writeln!(out, "  {} {}\r", bold("inside:  "), sanitize(&f.origin));
        }
        let _ = writeln!(
            out,
            "  {} {} ({})\r",
            bold("rule:    "),
            f.rule_id,
            f.severity.as_str()
        );
        let _ = writeln!(
            out,
            "  {} {}\r",
            bold("why:     "),
            wrap(&sanitize(&f.why), width)
        );
        let _ = writeln!(
            out,
            "  {} {}\r",
            bold("safer:   "),
            wrap(&sanitize(&f.safer), width)
        );
    }
    // The line as typed, when it says more than the one command shown above.
    if findings.len() != 1 || findings[0].command != line.trim() {
        let _ = writeln!(out, "  {} {}\r", bold("line:    "), sanitize(line));
    }
    out
}

/// Ask the person at the terminal; `lock` serializes prompts of parallel commands.
pub fn confirm(findings: &[Finding], line: &str, timeout: Duration) -> Decision {
    confirm_then(findings, line, timeout, "approved: running it.")
}

/// [`confirm`], saying `on_yes` when approved (`shellgate approve` runs nothing itself).
pub fn confirm_then(findings: &[Finding], line: &str, timeout: Duration, on_yes: &str) -> Decision {
    let Some(mut tty) = Terminal::open() else {
        return Decision::NoTerminal;
    };
    // Waiting for another command's prompt is bounded by the timeout too; the person then gets
    // the whole timeout to answer this one, as the question says.
    let Some(_lock) = super::lock::PromptLock::acquire(Instant::now() + timeout) else {
        return Decision::TimedOut;
    };
    let styled = std::env::var_os("NO_COLOR").is_none() && console::colors_enabled_stderr();
    let mut text = render(findings, line, styled, tty.width());
    let critical = findings.iter().find(|f| f.severity == Severity::Critical);
    let secs = timeout.as_secs();
    let question = match critical {
        Some(f) => format!(
            "  This is critical. Type {} to run it, anything else refuses ({secs}s): ",
            sanitize(&challenge_word(f))
        ),
        None => format!("  Run it? [y/N] ({secs}s) "),
    };
    text.push_str(&question);
    let decision = match tty.read_line(&text, timeout) {
        Input::Line(answer) => {
            let answer = answer.trim();
            let approved = match critical {
                Some(f) => answer == challenge_word(f),
                None => answer.eq_ignore_ascii_case("y") || answer.eq_ignore_ascii_case("yes"),
            };
            if approved {
                Decision::Approved
            } else {
                Decision::Refused
            }
        }
        Input::Interrupted | Input::Eof => Decision::Refused,
        Input::TimedOut => Decision::TimedOut,
        Input::Signalled(signal) => {
            tty.write("\r\n");
            super::terminal::die_of(signal);
            Decision::Refused
        }
    };
    let verdict = match decision {
        Decision::Approved => on_yes,
        Decision::TimedOut => "no answer in time: not running it.",
        _ => "refused: not running it.",
    };
    tty.write(&format!("  {verdict}\r\n"));
    decision
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(command: &str) -> Finding {
        Finding {
            rule_id: "x".into(),
            pack: "p".into(),
            severity: Severity::Critical,
            why: "w".into(),
            safer: "s".into(),
            command: command.into(),
            origin: "x".into(),
        }
    }

    #[test]
    fn challenge_is_the_last_operand() {
        assert_eq!(challenge_word(&finding("kubectl delete ns prod")), "prod");
        assert_eq!(challenge_word(&finding("rm -rf /home/user")), "/home/user");
        assert_eq!(
            challenge_word(&finding("dropdb 'my db' --if-exists")),
            "my db"
        );
        assert_eq!(challenge_word(&finding("reboot")), "reboot");
    }

    #[test]
    fn long_explanations_fold_under_their_value_column() {
        let why = "one two three four five six seven eight nine ten eleven twelve";
        let folded = wrap(why, Some(40));
        let lines: Vec<&str> = folded.split("\r\n").collect();
        assert!(lines.len() > 1, "{folded:?}");
        for (i, l) in lines.iter().enumerate() {
            let indent = if i == 0 { 0 } else { VALUE_COLUMN };
            let shown = if i == 0 { VALUE_COLUMN } else { 0 } + l.chars().count();
            assert!(shown < 40, "{l:?} does not fit 40 columns");
            assert_eq!(l.len() - l.trim_start().len(), indent, "{l:?}");
        }
        assert_eq!(folded.split_whitespace().collect::<Vec<_>>().join(" "), why);
        assert_eq!(wrap(why, None), why);
        assert_eq!(wrap(why, Some(20)), why, "too narrow to help");
    }

    #[test]
    fn rendering_makes_escapes_visible() {
        let text = render(&[finding("echo \x1b[2J")], "echo \x1b[2J", false, None);
        assert!(text.contains("echo \\e[2J"));
        assert!(!text.contains('\x1b'));
    }
}
