//! The parse stage: shell source → bash syntax tree (brush-parser), with caps on size and nesting.
//!
//! brush-parser is a maintained bash grammar (it matched `bash -n` on the constructs agents
//! emit); its PEG parser recurses, so input is pre-scanned and refused before it could exhaust
//! the stack or take long. Refusal is never "allow": the analyzer turns it into an opaque finding.

use brush_parser::ast::Program;
use brush_parser::{Parser, ParserOptions};

/// Longest source analysed; longer input needs a human.
pub const MAX_SOURCE_BYTES: usize = 256 * 1024;
/// Deepest bracket / substitution nesting analysed.
pub const MAX_NESTING: usize = 48;

/// Why a source could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseFailure {
    TooLong(usize),
    TooDeep(usize),
    Syntax(String),
}

impl std::fmt::Display for ParseFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseFailure::TooLong(n) => {
                write!(
                    f,
                    "it is {n} bytes long, more than the {MAX_SOURCE_BYTES} shellgate analyses"
                )
            }
            ParseFailure::TooDeep(n) => {
                write!(
                    f,
                    "it nests {n} levels deep, more than the {MAX_NESTING} shellgate analyses"
                )
            }
            ParseFailure::Syntax(e) => write!(f, "bash would not parse it ({e})"),
        }
    }
}

/// The parser options shellgate uses: bash, with extglob on (agents' wrappers switch it off
/// at run time, but a line parsed with it on is a superset).
pub fn options() -> ParserOptions {
    ParserOptions::default()
}

/// Parse `source` as bash.
pub fn parse(source: &str) -> Result<Program, ParseFailure> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(ParseFailure::TooLong(source.len()));
    }
    let depth = nesting_depth(source);
    if depth > MAX_NESTING {
        return Err(ParseFailure::TooDeep(depth));
    }
    // brush-parser has panicked on some inputs (an io-number too large for an fd, found by
    // fuzzing); a panic there is a refusal, never a crash of the guard.
    let parsed = std::panic::catch_unwind(|| {
        let mut parser = Parser::new(std::io::Cursor::new(source.as_bytes()), &options());
        parser
            .parse_program()
            .map_err(|e| ParseFailure::Syntax(first_line(&e.to_string())))
    });
    parsed.unwrap_or_else(|_| {
        Err(ParseFailure::Syntax(
            "the parser could not read it".to_string(),
        ))
    })
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("syntax error");
    line.chars().take(160).collect()
}

/// An upper bound of how deeply brackets, braces and backquotes nest, outside single quotes.
/// Linear in the input; over-counts rather than under-counts.
pub fn nesting_depth(source: &str) -> usize {
    let mut depth: usize = 0;
    let mut max = 0;
    let mut in_single = false;
    let mut in_backquote = false;
    let mut escaped = false;
    for b in source.bytes() {
        if escaped {
            escaped = false;
            continue;
        }
        if in_single {
            in_single = b != b'\'';
            continue;
        }
        match b {
            b'\\' => escaped = true,
            b'\'' => in_single = true,
            b'(' | b'{' | b'[' => depth += 1,
            b')' | b'}' | b']' => depth = depth.saturating_sub(1),
            b'`' => {
                in_backquote = !in_backquote;
                if in_backquote {
                    depth += 1;
                } else {
                    depth = depth.saturating_sub(1);
                }
            }
            _ => {}
        }
        max = max.max(depth);
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_huge_and_deep_input_quickly() {
        let long = "a".repeat(MAX_SOURCE_BYTES + 1);
        assert!(matches!(parse(&long), Err(ParseFailure::TooLong(_))));
        let deep = format!("{}x{}", "$(".repeat(10_000), ")".repeat(10_000));
        assert!(matches!(parse(&deep), Err(ParseFailure::TooDeep(_))));
    }

    #[test]
    fn syntax_errors_are_failures() {
        assert!(matches!(
            parse("echo 'unterminated"),
            Err(ParseFailure::Syntax(_))
        ));
        assert!(matches!(
            parse("if true; then"),
            Err(ParseFailure::Syntax(_))
        ));
        assert!(parse("echo ok && ls | wc -l").is_ok());
    }

    #[test]
    fn parser_panics_become_failures() {
        let line = format!("set {}<x", "1".repeat(40));
        assert!(matches!(parse(&line), Err(ParseFailure::Syntax(_))));
    }

    #[test]
    fn quoted_brackets_do_not_count() {
        assert_eq!(nesting_depth("echo '((((((((((('"), 0);
        assert_eq!(nesting_depth("a $(b $(c))"), 2);
    }
}
