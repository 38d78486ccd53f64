//! The gate stage: tell the caller what was refused and why, plainly, on stderr.

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

/// The message for a line that was refused because nobody could approve it.
pub fn denial_message(findings: &[Finding]) -> String {
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
    let _ = writeln!(
        out,
        "  nothing was run. A human can run the line from their own terminal, where shellgate asks before it runs;"
    );
    let _ = writeln!(
        out,
        "  `shellgate explain '<line>'` shows what was found. Do not retry it in another form."
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
