//! Reading the few pieces of inline code shellgate needs: string literals, the arguments of a
//! call, and the path expressions that name a deletion target (the home directory, joins).
//!
//! This is deliberately not a parser for any of the languages: it knows string literals well
//! enough to find where they end and what they hold, and counts brackets to split arguments.
//! Anything it does not recognise evaluates to [`Value::Other`], which callers treat as
//! "only known at run time". Every scan is bounded by [`WINDOW`] bytes, so the cost stays linear.

use std::sync::LazyLock;

use regex::Regex;

/// The languages whose inline code is scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Python,
    Js,
    Perl,
    Ruby,
    Php,
    Lua,
    R,
    AppleScript,
}

/// The most bytes one call's arguments may span; beyond it the call is not read.
pub const WINDOW: usize = 16 * 1024;

/// What an expression evaluates to, as far as shellgate can tell without running it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Str(String),
    /// A list literal: each element known (`Some`) or not.
    List(Vec<Option<String>>),
    Other,
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(text) => Some(text),
            _ => None,
        }
    }
}

/// A string literal found in the code.
struct Lit<'a> {
    body: &'a str,
    /// Bytes from the literal's first byte to just after its closing delimiter.
    end: usize,
    /// Escapes are processed (`"..."`), or only `\\` and the quote (`'...'` in Perl/Ruby/PHP).
    escapes: Escapes,
    interpolation: Interp,
    /// `qw(...)`, `%w[...]`: a list of words.
    words: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Escapes {
    Full,
    QuoteOnly,
    None,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Interp {
    None,
    /// Python f-strings: `{expr}`.
    Braces,
    /// JS templates: `${expr}`.
    DollarBraces,
    /// Ruby: `#{expr}`.
    HashBraces,
    /// Perl / PHP: `$name`, `@name`, `${...}`.
    Sigils,
}

/// Reads code of one language; `home` is what the home directory expressions evaluate to.
pub struct Lexer<'a> {
    pub lang: Lang,
    pub home: &'a str,
}

static HOME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r#"^(?:(?:pathlib\.)?Path\.home\(\)"#,
        r#"|(?:require\(\s*['"](?:node:)?os['"]\s*\)|os)\.homedir\(\)"#,
        r#"|os\.environ\[\s*['"]HOME['"]\s*\]"#,
        r#"|(?:os\.environ\.get|os\.getenv|getenv|Sys\.getenv|Deno\.env\.get)\(\s*['"]HOME['"]\s*\)"#,
        r#"|process\.env(?:\.HOME\b|\[\s*['"]HOME['"]\s*\])"#,
        r#"|Bun\.env\.HOME\b"#,
        r#"|\$ENV\{\s*['"]?HOME['"]?\s*\}"#,
        r#"|ENV\[\s*['"]HOME['"]\s*\]|ENV\.fetch\(\s*['"]HOME['"]\s*\)"#,
        r#"|Dir\.home\b(?:\(\))?"#,
        r#"|\$_SERVER\[\s*['"]HOME['"]\s*\])"#,
    ))
    .expect("home expression regex")
});

/// Calls that stand for their (joined) arguments: `os.path.join(a, b)`, `Path(p)`, `str(p)`.
static WRAPPER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?P<name>os\.path\.join|os\.path\.expanduser|os\.path\.abspath|os\.path\.realpath",
        r"|expanduser|(?:pathlib\.)?(?:Pure|Posix)?Path|Pathname\.new|Pathname|str|String",
        r"|path\.join|path\.resolve|path\.normalize|File\.join|File\.expand_path|file\.path",
        r"|path\.expand|normalizePath|realpath)\s*\(",
    ))
    .expect("wrapper regex")
});

impl Lexer<'_> {
    /// The string literal starting at `s[0]`, if one does.
    fn literal<'s>(&self, s: &'s str) -> Option<Lit<'s>> {
        let bytes = s.as_bytes();
        let first = *bytes.first()?;
        let lit = |open: usize, close: &str, escapes, interpolation| {
            let rest = &s[open..];
            let end = find_close(rest, close, escapes != Escapes::None)?;
            Some(Lit {
                body: &rest[..end],
                end: open + end + close.len(),
                escapes,
                interpolation,
                words: false,
            })
        };
        match self.lang {
            Lang::Python => {
                let prefix = bytes.iter().take_while(|b| b"rRbBuUfF".contains(b)).count();
                if prefix > 2 {
                    return None;
                }
                let mods = &s[..prefix].to_ascii_lowercase();
                let quoted = &s[prefix..];
                let quote = ["\"\"\"", "'''", "\"", "'"]
                    .into_iter()
                    .find(|q| quoted.starts_with(q))?;
                let raw = mods.contains('r');
                let interp = if mods.contains('f') {
                    Interp::Braces
                } else {
                    Interp::None
                };
                let escapes = if raw {
                    Escapes::QuoteOnly
                } else {
                    Escapes::Full
                };
                let mut found = lit(prefix + quote.len(), quote, escapes, interp)?;
                if raw {
                    found.escapes = Escapes::None;
                }
                Some(found)
            }
            _ if first == b'"' => {
                let interp = match self.lang {
                    Lang::Perl | Lang::Php => Interp::Sigils,
                    Lang::Ruby => Interp::HashBraces,
                    _ => Interp::None,
                };
                lit(1, "\"", Escapes::Full, interp)
            }
            _ if first == b'\'' => {
                let escapes = match self.lang {
                    Lang::Perl | Lang::Ruby | Lang::Php => Escapes::QuoteOnly,
                    _ => Escapes::Full,
                };
                lit(1, "'", escapes, Interp::None)
            }
            _ if first == b'`' => {
                let interp = match self.lang {
                    Lang::Js => Interp::DollarBraces,
                    Lang::Ruby => Interp::HashBraces,
                    Lang::Perl | Lang::Php => Interp::Sigils,
                    _ => Interp::None,
                };
                lit(1, "`", Escapes::Full, interp)
            }
            Lang::Perl if first == b'q' => {
                let kind = s[1..]
                    .bytes()
                    .take_while(|b| b"qwx".contains(b))
                    .count()
                    .min(1);
                let tag = &s[1..1 + kind];
                let open = 1 + kind + s[1 + kind..].len() - s[1 + kind..].trim_start().len();
                let delim = s[open..]
                    .chars()
                    .next()
                    .filter(|c| c.is_ascii_punctuation())?;
                let close = closing(delim);
                // `qq` and `qx` interpolate; `q` and `qw` do not.
                let (escapes, interp) = match tag {
                    "q" | "x" => (Escapes::Full, Interp::Sigils),
                    _ => (Escapes::QuoteOnly, Interp::None),
                };
                let mut found = lit(open + 1, close, escapes, interp)?;
                found.words = tag == "w";
                Some(found)
            }
            Lang::Ruby if first == b'%' => {
                let tag = s[1..].chars().next()?;
                let (open, words, escapes, interp) = match tag {
                    'q' => (2, false, Escapes::QuoteOnly, Interp::None),
                    'Q' | 'x' => (2, false, Escapes::Full, Interp::HashBraces),
                    'w' => (2, true, Escapes::QuoteOnly, Interp::None),
                    'W' => (2, true, Escapes::Full, Interp::HashBraces),
                    '(' | '[' | '{' | '<' | '|' | '!' => {
                        (1, false, Escapes::Full, Interp::HashBraces)
                    }
                    _ => return None,
                };
                let delim = s[open..]
                    .chars()
                    .next()
                    .filter(|c| c.is_ascii_punctuation())?;
                let mut found = lit(open + 1, closing(delim), escapes, interp)?;
                found.words = words;
                Some(found)
            }
            Lang::Lua if first == b'[' => {
                let level = s[1..].bytes().take_while(|b| *b == b'=').count();
                if s.as_bytes().get(1 + level) != Some(&b'[') {
                    return None;
                }
                let close = format!("]{}]", "=".repeat(level));
                lit(2 + level, &close, Escapes::None, Interp::None)
            }
            _ => None,
        }
    }

    /// The bytes the string literal at `s[0]` spans, if one starts there.
    pub fn string_len(&self, s: &str) -> Option<usize> {
        self.literal(s).map(|lit| lit.end)
    }

    /// Split a call's (or a list's) arguments. `s` starts just after the opening bracket, whose
    /// closing byte is `close`, or at the first argument of a call without parentheses (Perl,
    /// Ruby: `close` is `None`). Returns the arguments (trimmed), the bytes consumed (past the
    /// closing bracket) and whether the call ended within [`WINDOW`].
    pub fn split_args<'s>(&self, s: &'s str, close: Option<u8>) -> (Vec<&'s str>, usize, bool) {
        let paren = close.is_some();
        let bytes = s.as_bytes();
        let mut limit = s.len().min(WINDOW);
        while !s.is_char_boundary(limit) {
            limit -= 1;
        }
        let mut args = Vec::new();
        let (mut i, mut start, mut depth) = (0, 0, 0usize);
        let push = |from: usize, to: usize, args: &mut Vec<&'s str>| {
            let arg = s[from..to].trim();
            if !arg.is_empty() {
                args.push(arg);
            }
        };
        while i < limit {
            let b = bytes[i];
            if self.starts_literal(s, i)
                && let Some(len) = self.string_len(&s[i..])
            {
                i += len;
                continue;
            }
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth > 0 => depth -= 1,
                _ if depth == 0 && Some(b) == close => {
                    push(start, i, &mut args);
                    return (args, i + 1, true);
                }
                b')' | b']' | b'}' => {
                    push(start, i, &mut args);
                    return (args, i, !paren);
                }
                b',' if depth == 0 => {
                    push(start, i, &mut args);
                    start = i + 1;
                }
                b';' | b'\n' if depth == 0 && !paren => {
                    push(start, i, &mut args);
                    return (args, i, true);
                }
                b' ' if depth == 0 && !paren && ends_statement(&s[i..]) => {
                    push(start, i, &mut args);
                    return (args, i, true);
                }
                _ => {}
            }
            i += 1;
        }
        push(start, limit, &mut args);
        (args, limit, !paren && limit == s.len())
    }

    /// Whether a string literal may start at `s[i]` (a quote, or a prefix/sigil form).
    fn starts_literal(&self, s: &str, i: usize) -> bool {
        let b = s.as_bytes()[i];
        let after_word = i > 0 && is_ident(s.as_bytes()[i - 1]);
        match b {
            b'"' | b'\'' | b'`' => true,
            b'r' | b'R' | b'b' | b'B' | b'u' | b'U' | b'f' | b'F' => {
                self.lang == Lang::Python && !after_word
            }
            b'q' => self.lang == Lang::Perl && !after_word,
            b'%' => self.lang == Lang::Ruby && !after_word,
            b'[' => self.lang == Lang::Lua,
            _ => false,
        }
    }

    /// Evaluate one argument expression.
    pub fn eval(&self, expr: &str) -> Value {
        self.eval_depth(expr.trim(), 0)
    }

    fn eval_depth(&self, expr: &str, depth: usize) -> Value {
        if depth > 8 || expr.is_empty() {
            return Value::Other;
        }
        let (mut value, mut rest) = self.term(expr, depth);
        loop {
            rest = rest.trim_start();
            let trailing_words = self.lang == Lang::AppleScript
                && rest.starts_with(|c: char| c.is_ascii_alphabetic());
            if rest.is_empty() || trailing_words {
                return value;
            }
            if let Some(split) = SPLIT.find(rest) {
                value = match value {
                    Value::Str(text) => Value::List(words(&text)),
                    _ => Value::Other,
                };
                rest = &rest[split.end()..];
                continue;
            }
            let Some((op, after)) = self.concat_op(rest) else {
                return Value::Other;
            };
            let (next, after) = self.term(after.trim_start(), depth);
            value = match (value, next) {
                (Value::Str(a), Value::Str(b)) if op == "/" => Value::Str(join(&a, &b)),
                (Value::Str(a), Value::Str(b)) => Value::Str(a + &b),
                _ => Value::Other,
            };
            rest = after;
        }
    }

    fn concat_op<'s>(&self, s: &'s str) -> Option<(&'static str, &'s str)> {
        let ops: &[&'static str] = match self.lang {
            Lang::Python => &["+", "/"],
            Lang::Js | Lang::Ruby => &["+"],
            Lang::Perl | Lang::Php => &["."],
            Lang::Lua => &[".."],
            Lang::AppleScript => &["&"],
            Lang::R => &[],
        };
        ops.iter()
            .find(|op| s.starts_with(**op))
            .map(|op| (*op, &s[op.len()..]))
    }

    /// One term and what follows it.
    fn term<'s>(&self, s: &'s str, depth: usize) -> (Value, &'s str) {
        if let Some(lit) = self.literal(s) {
            return (self.lit_value(&lit, depth), &s[lit.end..]);
        }
        if let Some(found) = HOME.find(s) {
            return (Value::Str(self.home.to_string()), &s[found.end()..]);
        }
        let list_open = match s.as_bytes().first() {
            Some(b'[') => Some(1),
            Some(b'(') => Some(1),
            _ if self.lang == Lang::R && s.starts_with("c(") => Some(2),
            _ if self.lang == Lang::Php && s.starts_with("array(") => Some(6),
            _ => None,
        };
        if let Some(open) = list_open {
            let close = if s.starts_with('[') { b']' } else { b')' };
            let (items, used, closed) = self.split_args(&s[open..], Some(close));
            let rest = &s[open + used..];
            if !closed {
                return (Value::Other, "");
            }
            let value = match (s.as_bytes()[0], items.as_slice()) {
                (b'(', [one]) => self.eval_depth(one, depth + 1),
                _ => Value::List(
                    items
                        .iter()
                        .map(|item| self.eval_depth(item, depth + 1).as_str().map(String::from))
                        .collect(),
                ),
            };
            return (value, rest);
        }
        if let Some(call) = SHLEX.find(s) {
            let (items, used, closed) = self.split_args(&s[call.end()..], Some(b')'));
            let rest = &s[call.end() + used..];
            let value = match (closed, items.as_slice()) {
                (true, [one]) => match self.eval_depth(one, depth + 1) {
                    Value::Str(text) => Value::List(words(&text)),
                    _ => Value::Other,
                },
                _ => Value::Other,
            };
            return (value, rest);
        }
        if let Some(call) = WRAPPER.captures(s) {
            let name = call.name("name").map_or("", |m| m.as_str());
            let open = call.get(0).map_or(0, |m| m.end());
            let (items, used, closed) = self.split_args(&s[open..], Some(b')'));
            let rest = &s[open + used..];
            if !closed || items.is_empty() {
                return (Value::Other, rest);
            }
            let mut parts = Vec::new();
            for item in &items {
                match self.eval_depth(item, depth + 1) {
                    Value::Str(part) => parts.push(part),
                    _ => return (Value::Other, rest),
                }
            }
            let mut path = parts
                .iter()
                .skip(1)
                .fold(parts[0].clone(), |a, b| join(&a, b));
            if name.contains("expand") {
                path = expand_tilde(&path, self.home);
            }
            return (Value::Str(path), rest);
        }
        (Value::Other, "")
    }

    /// The value of a literal: escapes processed, interpolations evaluated when they can be.
    fn lit_value(&self, lit: &Lit, depth: usize) -> Value {
        let text = match lit.escapes {
            Escapes::Full if lit.interpolation == Interp::None => unescape(lit.body),
            Escapes::QuoteOnly => lit.body.replace("\\\\", "\\").replace("\\'", "'"),
            _ => lit.body.to_string(),
        };
        let text = match self.interpolate(&text, lit.interpolation, depth) {
            Some(text) if lit.interpolation != Interp::None && lit.escapes == Escapes::Full => {
                unescape(&text)
            }
            Some(text) => text,
            None => return Value::Other,
        };
        if lit.words {
            return Value::List(
                text.split_whitespace()
                    .map(|w| Some(w.to_string()))
                    .collect(),
            );
        }
        Value::Str(text)
    }

    /// `text` with its interpolations replaced by their values; `None` when one is not known.
    fn interpolate(&self, text: &str, interp: Interp, depth: usize) -> Option<String> {
        let open = match interp {
            Interp::None => return Some(text.to_string()),
            Interp::Braces => "{",
            Interp::DollarBraces => "${",
            Interp::HashBraces => "#{",
            Interp::Sigils => {
                let mut out = String::new();
                let mut rest = text;
                while let Some(at) = rest.find(['$', '@']) {
                    let escaped = at > 0 && rest.as_bytes()[at - 1] == b'\\';
                    out.push_str(&rest[..at]);
                    rest = &rest[at..];
                    let next = rest.as_bytes().get(1).copied().unwrap_or(b' ');
                    if escaped || !(is_ident(next) || next == b'{') {
                        out.push_str(&rest[..1]);
                        rest = &rest[1..];
                        continue;
                    }
                    let home = HOME.find(rest).filter(|_| rest.starts_with("$ENV"))?;
                    out.push_str(self.home);
                    rest = &rest[home.end()..];
                }
                out.push_str(rest);
                return Some(out);
            }
        };
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find(open) {
            if interp == Interp::Braces && rest[at..].starts_with("{{") {
                out.push_str(&rest[..at + 1]);
                rest = &rest[at + 2..];
                continue;
            }
            out.push_str(&rest[..at]);
            let inner = &rest[at + open.len()..];
            let close = inner.find('}')?;
            out.push_str(self.eval_depth(inner[..close].trim(), depth + 1).as_str()?);
            rest = &inner[close + 1..];
        }
        out.push_str(&rest.replace("}}", "}"));
        Some(out)
    }
}

/// `"rm -rf x".split()` (Python, Ruby, JS with one blank): the string becomes its words.
static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\.\s*split\b(?:\s*\(\s*(?:' '|" ")?\s*\))?"#).expect("split regex")
});

/// `shlex.split("...")`.
static SHLEX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^shlex\.split\s*\(").expect("shlex regex"));

/// The blank-separated words of `text` (quotes inside are not interpreted).
fn words(text: &str) -> Vec<Option<String>> {
    text.split_whitespace()
        .map(|w| Some(w.to_string()))
        .collect()
}

/// Whether the text at a space ends a Perl/Ruby statement (`system "x" if $y`, `... or die`).
fn ends_statement(s: &str) -> bool {
    [
        " if ", " unless ", " or ", " and ", " || ", " && ", " do ", " then ",
    ]
    .iter()
    .any(|word| s.starts_with(word))
}

/// Where `close` first occurs in `s` without a backslash before it.
fn find_close(s: &str, close: &str, backslash: bool) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len().min(WINDOW) {
        if backslash && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i..].starts_with(close.as_bytes()) {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn closing(open: char) -> &'static str {
    match open {
        '(' => ")",
        '[' => "]",
        '{' => "}",
        '<' => ">",
        '/' => "/",
        '|' => "|",
        '!' => "!",
        '#' => "#",
        '\'' => "'",
        '"' => "\"",
        '~' => "~",
        '@' => "@",
        ',' => ",",
        _ => "\u{0}",
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Common backslash escapes; an unknown escape keeps its character.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('\n') => {}
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// `a/b`, with `b` winning when it is absolute.
pub fn join(a: &str, b: &str) -> String {
    if b.starts_with('/') || a.is_empty() {
        b.to_string()
    } else {
        format!("{}/{}", a.trim_end_matches('/'), b)
    }
}

/// `~` and `~/x` with the home directory put in.
pub fn expand_tilde(path: &str, home: &str) -> String {
    match path.strip_prefix('~') {
        Some("") => home.to_string(),
        Some(rest) if rest.starts_with('/') => format!("{}{}", home.trim_end_matches('/'), rest),
        _ => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(lang: Lang, expr: &str) -> Value {
        Lexer {
            lang,
            home: "/home/user",
        }
        .eval(expr)
    }

    fn s(text: &str) -> Value {
        Value::Str(text.into())
    }

    #[test]
    fn literals_and_path_expressions() {
        let cases = [
            (Lang::Python, r#"'rm -rf /'"#, s("rm -rf /")),
            (Lang::Python, r#"r"a\b""#, s(r"a\b")),
            (Lang::Python, r#""""x"y""""#, s(r#"x"y"#)),
            (Lang::Python, r#"f"rm {x}""#, Value::Other),
            (Lang::Python, r#"f"{{x}}""#, s("{x}")),
            (Lang::Python, "os.path.expanduser('~')", s("/home/user")),
            (Lang::Python, "os.path.expanduser('~/x')", s("/home/user/x")),
            (Lang::Python, "Path.home() / 'x'", s("/home/user/x")),
            (
                Lang::Python,
                "os.path.join(os.environ['HOME'], 'x')",
                s("/home/user/x"),
            ),
            (Lang::Python, "'a' + b", Value::Other),
            (Lang::Python, "path", Value::Other),
            (
                Lang::Python,
                "['rm', '-rf', p]",
                Value::List(vec![Some("rm".into()), Some("-rf".into()), None]),
            ),
            (Lang::Js, "`rm -rf ${os.homedir()}`", s("rm -rf /home/user")),
            (Lang::Js, "`rm -rf ${dir}`", Value::Other),
            (
                Lang::Js,
                "require('os').homedir() + '/x'",
                s("/home/user/x"),
            ),
            (
                Lang::Js,
                "path.join(process.env.HOME, 'a')",
                s("/home/user/a"),
            ),
            (Lang::Perl, r#""rm -rf $ENV{HOME}""#, s("rm -rf /home/user")),
            (Lang::Perl, r#""rm -rf $dir""#, Value::Other),
            (Lang::Perl, r#"'rm -rf $dir'"#, s("rm -rf $dir")),
            (
                Lang::Perl,
                "qw(rm -rf /)",
                Value::List(vec![
                    Some("rm".into()),
                    Some("-rf".into()),
                    Some("/".into()),
                ]),
            ),
            (Lang::Perl, "\"a\" . 'b'", s("ab")),
            (Lang::Ruby, "\"rm -rf #{Dir.home}\"", s("rm -rf /home/user")),
            (Lang::Ruby, "File.expand_path('~')", s("/home/user")),
            (Lang::Php, "\"rm $x\"", Value::Other),
            (Lang::Lua, "[[rm -rf /]]", s("rm -rf /")),
            (
                Lang::R,
                "c('a', 'b')",
                Value::List(vec![Some("a".into()), Some("b".into())]),
            ),
        ];
        for (lang, expr, want) in cases {
            assert_eq!(eval(lang, expr), want, "{lang:?} {expr}");
        }
    }

    #[test]
    fn arguments_split_at_top_level_commas_only() {
        let lex = Lexer {
            lang: Lang::Python,
            home: "/h",
        };
        let (args, used, closed) = lex.split_args("'a,)', [1, 2], f(x, y)) + rest", Some(b')'));
        assert_eq!(args, vec!["'a,)'", "[1, 2]", "f(x, y)"]);
        assert!(closed);
        assert_eq!(used, "'a,)', [1, 2], f(x, y))".len());
        let perl = Lexer {
            lang: Lang::Perl,
            home: "/h",
        };
        let (args, _, closed) = perl.split_args("'rm', '-rf', '/' if $x; print 1", None);
        assert_eq!(args, vec!["'rm'", "'-rf'", "'/'"]);
        assert!(closed);
        let (_, _, closed) = lex.split_args("'never closed", Some(b')'));
        assert!(!closed);
    }
}
