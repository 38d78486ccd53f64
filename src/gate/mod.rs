//! The gate stage: ask a human on their terminal, or tell the caller plainly on stderr what was
//! refused, why, and how a human approves it.

pub mod approvals;
mod lock;
pub mod prompt;
pub mod terminal;

use crate::rules::Finding;
use std::fmt::Write as _;

/// The longest command text shown in a message; longer text is cut with `…`.
const MAX_SHOWN: usize = 400;

/// Make text safe to show on a terminal: control characters and escape sequences become
/// visible escapes (`\e`, `\n`, `\x07`), never interpreted; long text is shortened.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_SHOWN) + 8);
    for (count, c) in text.chars().enumerate() {
        if count >= MAX_SHOWN {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x1b' => out.push_str("\\e"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            // Bidirectional overrides can make a command read differently from what runs.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// How a refused line can still be approved, for the message.
pub enum Approval<'a> {
    /// Deny mode (CI): nobody approves here.
    Never,
    /// A pending request was recorded under this id.
    Pending(&'a str),
    /// A human at the terminal refused or did not answer.
    Refused,
}

/// The message for a refused line: what, which rule, why, the safer alternative, how to approve.
pub fn denial_message(findings: &[Finding], approval: Approval) -> String {
    let mut out = String::new();
    for f in findings {
        let _ = writeln!(
            out,
            "shellgate: blocked: {}: {}",
            f.rule_id,
            sanitize(&f.why)
        );
        let _ = writeln!(out, "  command:  {}", sanitize(&f.command));
        if f.origin.contains('→') {
            let _ = writeln!(out, "  inside:   {}", sanitize(&f.origin));
        }
        let _ = writeln!(out, "  severity: {}", f.severity.as_str());
        let _ = writeln!(out, "  safer:    {}", sanitize(&f.safer));
    }
    let how = match approval {
        Approval::Never => "nothing was run. shellgate is in deny mode here (CI or SHELLGATE_MODE=deny): nobody can approve it.".to_string(),
        Approval::Pending(id) => format!(
            "nothing was run. To approve, a human runs `shellgate approve {id}` in their own terminal; then run the same command again (valid once, for 10 minutes)."
        ),
        Approval::Refused => "nothing was run: the human at the terminal did not approve it.".to_string(),
    };
    let _ = writeln!(out, "  {how}");
    let _ = writeln!(
        out,
        "  Do not try to run it another way; use the safer alternative or ask the human."
    );
    out
}

/// The warning for low-severity findings, printed before the line runs.
pub fn warning_message(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let _ = writeln!(
            out,
            "shellgate: warning: {}: {} (safer: {})",
            f.rule_id,
            sanitize(&f.why),
            sanitize(&f.safer)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_made_visible() {
        assert_eq!(sanitize("a\x1b[31mb\nc\x07"), "a\\e[31mb\\nc\\x07");
        assert_eq!(sanitize("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(sanitize(&"a".repeat(1000)).chars().count(), MAX_SHOWN + 1);
    }
}
