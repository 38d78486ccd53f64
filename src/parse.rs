//! The parse stage: shell source → bash syntax tree (brush-parser), with caps on size and nesting.
//!
//! brush-parser is a maintained bash grammar (it matched `bash -n` on the constructs agents
//! emit); its PEG parser recurses, so input is pre-scanned and refused before it could exhaust
//! the stack or take long. Refusal is never "allow": the analyzer turns it into an opaque finding.

use brush_parser::ast::Program;
use brush_parser::{Parser, ParserOptions};

/// Longest source analysed; longer input needs a human.
pub const MAX_SOURCE_BYTES: usize = 256 * 1024;
/// Deepest `${...${...}...}` nesting analysed: brush-parser's word parser takes ~20 times
/// longer per level (found by fuzzing), and agents' lines rarely nest two.
pub const MAX_PARAMETER_NESTING: usize = 3;
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
    let scan = scan(source);
    if scan.max_depth > MAX_NESTING {
        return Err(ParseFailure::TooDeep(scan.max_depth));
    }
    // An unclosed `(` is always a syntax error in bash, and brush-parser backtracks
    // exponentially over such input (found by fuzzing): refuse it before parsing.
    if scan.max_param_depth > MAX_PARAMETER_NESTING {
        return Err(ParseFailure::TooDeep(scan.max_param_depth));
    }
    if scan.control_delimiter {
        return Err(ParseFailure::Syntax(
            "a here-document delimiter is missing or has a control character".to_string(),
        ));
    }
    if scan.unclosed_parens > 0 {
        return Err(ParseFailure::Syntax("a `(` is never closed".to_string()));
    }
    // brush-parser has panicked on some inputs (an io-number too large for an fd, found by
    // fuzzing); a panic there is a refusal, never a crash of the guard.
    let parsed = catch_parser_panic(|| {
        let mut parser = Parser::new(std::io::Cursor::new(source.as_bytes()), &options());
        parser
            .parse_program()
            .map_err(|e| ParseFailure::Syntax(first_line(&e.to_string())))
    });
    parsed.unwrap_or_else(|| {
        Err(ParseFailure::Syntax(
            "the parser could not read it".to_string(),
        ))
    })
}

thread_local! {
    static IN_PARSER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run a brush-parser call; `None` if it panicked. The panic hook stays quiet for these.
pub fn catch_parser_panic<T>(call: impl FnOnce() -> T) -> Option<T> {
    let outer = IN_PARSER.with(|f| f.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)).ok();
    IN_PARSER.with(|f| f.set(outer));
    result
}

/// Whether the current thread is inside [`catch_parser_panic`] (a panic there is handled).
pub fn in_parser() -> bool {
    IN_PARSER.with(|f| f.get())
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("syntax error");
    line.chars().take(160).collect()
}

/// An upper bound of how deeply brackets, braces and backquotes nest, outside quotes.
/// Linear in the input; over-counts rather than under-counts.
pub fn nesting_depth(source: &str) -> usize {
    scan(source).max_depth
}

/// What a linear pre-scan tells about a source before the parser sees it.
struct Scan {
    /// A here-document delimiter that starts with a control character (`<<\r`), on which
    /// brush-parser's tokenizer loops forever (found by fuzzing).
    control_delimiter: bool,
    /// Deepest nesting of `${...}` (brush-parser's word parser is exponential in it).
    max_param_depth: usize,
    max_depth: usize,
    /// `(` that no `)` closes, outside quotes and comments.
    unclosed_parens: usize,
}

/// One pass over the source tracking quotes, comments and `$(` inside double quotes.
fn scan(source: &str) -> Scan {
    #[derive(PartialEq)]
    enum Ctx {
        Code,
        Double,
    }
    let bytes = source.as_bytes();
    let mut stack: Vec<Ctx> = vec![Ctx::Code];
    let mut depth: usize = 0;
    // One entry per open paren: whether it is a `$(` opened inside double quotes.
    let mut parens: Vec<bool> = Vec::new();
    let mut max = 0;
    let mut in_backquote = false;
    let mut control_delimiter = false;
    let mut param_depth: usize = 0;
    let mut max_param_depth: usize = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let in_double = stack.last() == Some(&Ctx::Double);
        match b {
            b'\\' => i += 1,
            b'\'' if !in_double => {
                while i + 1 < bytes.len() && bytes[i + 1] != b'\'' {
                    i += 1;
                }
                i += 1;
            }
            b'"' if in_double => {
                stack.pop();
            }
            b'"' => stack.push(Ctx::Double),
            b'#' if !in_double
                && (i == 0 || bytes[i - 1].is_ascii_whitespace() || bytes[i - 1] == b';') =>
            {
                while i + 1 < bytes.len() && bytes[i + 1] != b'\n' {
                    i += 1;
                }
            }
            b'$' if in_double && bytes.get(i + 1) == Some(&b'(') => {
                stack.push(Ctx::Code);
                parens.push(true);
                depth += 1;
                i += 1;
            }
            b'(' if !in_double => {
                parens.push(false);
                depth += 1;
            }
            b')' if !in_double => {
                // The `)` closing a `$(` opened inside double quotes returns to them.
                if parens.pop() == Some(true) {
                    stack.pop();
                }
                depth = depth.saturating_sub(1);
            }
            b'<' if !in_double
                && bytes.get(i + 1) == Some(&b'<')
                && bytes.get(i + 2) != Some(&b'<') =>
            {
                let mut j = i + 2;
                if bytes.get(j) == Some(&b'-') {
                    j += 1;
                }
                while matches!(bytes.get(j), Some(b' ' | b'\t')) {
                    j += 1;
                }
                // The delimiter word, up to a blank or an operator.
                let end = bytes[j..]
                    .iter()
                    .position(|c| b" \t\n;&|<>()".contains(c))
                    .map_or(bytes.len(), |n| j + n);
                let word = &bytes[j.min(end)..end];
                let control = |c: &u8| *c < 0x20 && *c != b'\t';
                // An empty delimiter (`<< )`) is a syntax error in bash; the tokenizer can
                // loop on it too (`$(<< )() `, found by fuzzing).
                control_delimiter |= word.is_empty()
                    || word.first().is_some_and(control)
                    || (word.contains(&b'$') && word.iter().any(control));
                i += 1;
            }
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                param_depth += 1;
                max_param_depth = max_param_depth.max(param_depth);
                depth += 1;
                i += 1;
            }
            b'}' if param_depth > 0 => {
                param_depth -= 1;
                depth = depth.saturating_sub(1);
            }
            b'{' | b'[' if !in_double => depth += 1,
            b'}' | b']' if !in_double => depth = depth.saturating_sub(1),
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
        i += 1;
    }
    Scan {
        control_delimiter,
        max_param_depth,
        max_depth: max,
        unclosed_parens: parens.len(),
    }
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
    fn unclosed_parentheses_are_refused_without_parsing() {
        let line = format!("{}a(((((n((a=$ pr(d((((", "(".repeat(30));
        assert!(matches!(parse(&line), Err(ParseFailure::Syntax(_))));
        // Parentheses in quotes and comments are text, not syntax.
        assert!(parse("git commit -m 'oops :(' && echo \"(see below\" # (todo").is_ok());
        assert!(parse("echo \"$(date) :(\"").is_ok());
        assert!(parse("echo \"$( (date) ) :(\" '('").is_ok());
        assert!(matches!(
            parse("echo \"$( (date) \" )"),
            Err(ParseFailure::Syntax(_))
        ));
        assert!(parse("case x in a) echo a;; esac").is_ok());
    }

    #[test]
    fn control_characters_after_heredoc_operators_are_refused() {
        // brush-parser's tokenizer loops forever on these (found by fuzzing).
        assert!(matches!(parse("cat <<-\r "), Err(ParseFailure::Syntax(_))));
        assert!(matches!(parse("<<\x0c "), Err(ParseFailure::Syntax(_))));
        assert!(matches!(parse("<<x${\r "), Err(ParseFailure::Syntax(_))));
        assert!(parse("cat <<EOF\r\nhi\r\nEOF\r\n").is_ok());
        assert!(matches!(parse("$(<< )() "), Err(ParseFailure::Syntax(_))));
        assert!(parse("echo $((1 << 2)) && cat <<'X'\nx\nX\n").is_ok());
        assert!(parse("cat <<EOF\nhi\nEOF\n").is_ok());
        assert!(parse("cat <<< 'x'").is_ok());
    }

    #[test]
    fn deeply_nested_parameter_expansions_are_refused() {
        let line = format!("echo {}x{}", "${o[".repeat(6), "]}".repeat(6));
        assert!(matches!(parse(&line), Err(ParseFailure::TooDeep(_))));
        assert!(parse("echo ${a:-${b:-${c}}} '${${${${'").is_ok());
    }

    #[test]
    fn quoted_brackets_do_not_count() {
        assert_eq!(nesting_depth("echo '((((((((((('"), 0);
        assert_eq!(nesting_depth("a $(b $(c))"), 2);
    }
}
