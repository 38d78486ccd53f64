//! Words as the shell sees them: brace expansion, tilde, quote removal, `$'..'`, escapes,
//! parameters known statically, and field splitting. Command substitutions are collected so
//! the walker analyses them: they run too.

use super::command::Arg;
use brush_parser::word::{
    self, BraceExpressionMember, BraceExpressionOrText, Parameter, ParameterExpr, SpecialParameter,
    TildeExpr, WordPiece, WordPieceWithSource,
};
use std::collections::HashMap;

/// Most words one brace expansion may produce; beyond that the word is kept unexpanded.
const MAX_BRACE_WORDS: usize = 256;
/// Marks a collected substitution that may be plain arithmetic: analyse it as commands if it
/// parses as commands, else only the command substitutions inside it.
pub const MAYBE_COMMANDS: char = '\u{1}';
/// Most `{` in one word that brace expansion is attempted on; more makes the word dynamic.
const MAX_BRACES: usize = 8;

/// Variables known at one point of a line: `Some(value)`, or `None` for "set, but only known at
/// run time". Names absent here fall back to the environment.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    pub line: HashMap<String, Option<String>>,
}

/// What word expansion may look up.
pub struct Lookup<'a> {
    pub vars: &'a Vars,
    pub env: &'a HashMap<String, String>,
    pub home: &'a str,
    pub positional: &'a [Arg],
}

impl Lookup<'_> {
    /// The value of a variable: `Some(Some(v))` known, `Some(None)` set but unknown, `None` unset.
    fn var(&self, name: &str) -> Option<Option<String>> {
        if let Some(v) = self.vars.line.get(name) {
            return Some(v.clone());
        }
        if name == "HOME" {
            return Some(Some(self.home.to_string()));
        }
        match self.env.get(name) {
            Some(v) => Some(Some(v.clone())),
            // bash sets IFS to space, tab and newline at startup (`rm${IFS}-rf${IFS}/`).
            None if name == "IFS" => Some(Some(DEFAULT_IFS.to_string())),
            None => None,
        }
    }

    /// The field separators: `Some(chars)`, or `None` when IFS is only known at run time.
    fn ifs(&self) -> Option<String> {
        self.var("IFS")
            .unwrap_or_else(|| Some(DEFAULT_IFS.to_string()))
    }
}

/// Marks the placeholder of a `${DIR:?}` whose value is unknown but never empty.
pub const NONEMPTY: &str = ":?";

const DEFAULT_IFS: &str = " \t\n";

/// The result of expanding words: fields and the sources of command substitutions met.
#[derive(Default)]
pub struct Expanded {
    pub fields: Vec<Arg>,
    pub substitutions: Vec<String>,
}

/// Call one of brush-parser's word parsers; a panic inside it (fuzzing found one on a huge
/// `~N`) becomes an error, which callers treat as a word only known at run time.
fn guarded<T, E>(parse: impl FnOnce() -> Result<T, E>) -> Result<T, ()> {
    match crate::parse::catch_parser_panic(parse) {
        Some(Ok(value)) => Ok(value),
        _ => Err(()),
    }
}

/// Expand one raw word into the fields bash would pass (0, 1 or more).
pub fn expand(raw: &str, look: &Lookup, out: &mut Expanded) {
    let Some(words) = brace_expand(raw) else {
        substitutions_in(raw, &mut out.substitutions);
        out.fields.push(Arg {
            text: String::new(),
            dynamic: true,
        });
        return;
    };
    let ifs = look.ifs();
    for word in words {
        let mut fields = Fields {
            ifs_unknown: ifs.is_none(),
            ifs: ifs.clone().filter(|i| i != DEFAULT_IFS),
            ..Fields::default()
        };
        match guarded(|| word::parse(&word, &crate::parse::options())) {
            Ok(pieces) => pieces_into(
                &pieces,
                false,
                &word,
                look,
                &mut fields,
                &mut out.substitutions,
            ),
            // A word brush-parser cannot read: its raw text, but not trusted as known.
            Err(_) => {
                fields.text(&word, true);
                fields.cur_dynamic = true;
            }
        }
        fields.finish_into(&mut out.fields);
    }
}

/// Expand a word as one string, as in an assignment value or a here-string (no field splitting).
/// `None` when some part is only known at run time.
pub fn expand_joined(raw: &str, look: &Lookup, subs: &mut Vec<String>) -> (String, bool) {
    let mut fields = Fields {
        no_split: true,
        ..Fields::default()
    };
    match guarded(|| word::parse(raw, &crate::parse::options())) {
        Ok(pieces) => pieces_into(&pieces, true, raw, look, &mut fields, subs),
        Err(_) => {
            fields.text(raw, true);
            fields.cur_dynamic = true;
        }
    }
    let mut out = Vec::new();
    fields.finish_into(&mut out);
    let dynamic = out.iter().any(|a| a.dynamic);
    let text = out
        .into_iter()
        .map(|a| a.text)
        .collect::<Vec<_>>()
        .join(" ");
    (text, dynamic)
}

/// Expand a here-document body (quotes are literal; `$` and backquotes expand when the
/// delimiter was unquoted).
pub fn expand_heredoc(body: &str, expand: bool, look: &Lookup, subs: &mut Vec<String>) -> String {
    if !expand {
        return body.to_string();
    }
    let mut fields = Fields {
        no_split: true,
        ..Fields::default()
    };
    match guarded(|| word::parse_heredoc(body, &crate::parse::options())) {
        Ok(pieces) => pieces_into(&pieces, true, body, look, &mut fields, subs),
        Err(_) => fields.text(body, true),
    }
    let mut out = Vec::new();
    fields.finish_into(&mut out);
    out.into_iter()
        .map(|a| a.text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Find the command substitutions inside arbitrary word-like text (arithmetic, test operands,
/// parameter operations shellgate does not evaluate).
pub fn substitutions_in(text: &str, subs: &mut Vec<String>) {
    if !(text.contains("$(") || text.contains('`') || text.contains("<(") || text.contains(">(")) {
        return;
    }
    if let Ok(pieces) = guarded(|| word::parse(text, &crate::parse::options())) {
        collect_subs(&pieces, subs);
    } else {
        // Could not parse it as a word: hand the whole text to the walker as shell source,
        // which refuses it if it does not parse either.
        subs.push(text.to_string());
    }
}

fn collect_subs(pieces: &[WordPieceWithSource], subs: &mut Vec<String>) {
    for p in pieces {
        match &p.piece {
            WordPiece::CommandSubstitution(s) | WordPiece::BackquotedCommandSubstitution(s) => {
                subs.push(s.clone())
            }
            WordPiece::DoubleQuotedSequence(inner)
            | WordPiece::GettextDoubleQuotedSequence(inner) => collect_subs(inner, subs),
            WordPiece::ArithmeticExpression(e) => substitutions_in(&e.value, subs),
            WordPiece::ParameterExpansion(_) => {}
            _ => {}
        }
    }
}

/// Builds fields the way bash's field splitting does: unquoted expansion results split on
/// blanks; quoted text and literal text never split.
#[derive(Default)]
struct Fields {
    fields: Vec<Arg>,
    cur: String,
    cur_dynamic: bool,
    started: bool,
    no_split: bool,
    /// Separators other than bash's default (`IFS=,`); `None` = space, tab, newline.
    ifs: Option<String>,
    /// IFS was set to a value only known at run time: split results are unknown too.
    ifs_unknown: bool,
}

impl Fields {
    fn text(&mut self, s: &str, quoted: bool) {
        self.cur.push_str(s);
        if quoted || !s.is_empty() {
            self.started = true;
        }
    }

    /// An expansion's value; `None` = only known at run time.
    fn value(&mut self, value: Option<&str>, quoted: bool) {
        match value {
            None => {
                self.cur_dynamic = true;
                self.started = true;
            }
            Some(v) if quoted || self.no_split => self.text(v, true),
            Some(v) if self.ifs_unknown => {
                self.text(v, false);
                self.cur_dynamic = true;
                self.started = true;
            }
            Some(v) => {
                let default: &[char] = &[' ', '\t', '\n'];
                let custom: Vec<char> = self.ifs.as_deref().unwrap_or("").chars().collect();
                let seps: &[char] = if self.ifs.is_some() { &custom } else { default };
                let mut parts = v.split(seps).peekable();
                let mut first = true;
                while let Some(part) = parts.next() {
                    if !first {
                        self.end_field();
                    }
                    first = false;
                    if !part.is_empty() {
                        self.text(part, false);
                    }
                    let _ = parts.peek();
                }
            }
        }
    }

    fn end_field(&mut self) {
        if self.started {
            let text = std::mem::take(&mut self.cur);
            self.fields.push(Arg {
                text,
                dynamic: self.cur_dynamic,
            });
        }
        self.cur.clear();
        self.cur_dynamic = false;
        self.started = false;
    }

    fn finish_into(mut self, out: &mut Vec<Arg>) {
        self.end_field();
        out.append(&mut self.fields);
    }
}

fn pieces_into(
    pieces: &[WordPieceWithSource],
    quoted: bool,
    raw: &str,
    look: &Lookup,
    f: &mut Fields,
    subs: &mut Vec<String>,
) {
    for p in pieces {
        match &p.piece {
            WordPiece::Text(s) => f.text(s, quoted),
            WordPiece::SingleQuotedText(s) => f.text(s, true),
            WordPiece::AnsiCQuotedText(s) => f.text(&ansi_c(s), true),
            WordPiece::DoubleQuotedSequence(inner)
            | WordPiece::GettextDoubleQuotedSequence(inner) => {
                f.text("", true);
                pieces_into(inner, true, raw, look, f, subs);
            }
            WordPiece::EscapeSequence(s) => {
                let unescaped = s.strip_prefix('\\').unwrap_or(s);
                // Inside double quotes a backslash only escapes $ ` " \ and newline.
                if quoted && !matches!(unescaped, "$" | "`" | "\"" | "\\" | "\n") {
                    f.text(s, true);
                } else if unescaped == "\n" {
                    f.text("", true);
                } else {
                    f.text(unescaped, true);
                }
            }
            WordPiece::TildeExpansion(t) => {
                let home = match t {
                    TildeExpr::Home => Some(look.home.to_string()),
                    TildeExpr::UserHome(user) if user == "root" => Some("/root".to_string()),
                    TildeExpr::UserHome(user) => Some(format!("/home/{user}")),
                    TildeExpr::WorkingDir => look.var("PWD").flatten(),
                    _ => None,
                };
                f.value(home.as_deref(), true);
            }
            WordPiece::ParameterExpansion(expr) => {
                let source = raw.get(p.start_index..p.end_index).unwrap_or(raw);
                parameter(expr, quoted, source, look, f, subs);
            }
            WordPiece::CommandSubstitution(s) | WordPiece::BackquotedCommandSubstitution(s) => {
                subs.push(s.clone());
                f.value(None, quoted);
            }
            WordPiece::ArithmeticExpression(e) => {
                // `$((cmd) )` is a command substitution in bash, which brush-parser may read
                // as arithmetic: the walker analyses the text as commands if it parses as such,
                // else the command substitutions inside it.
                subs.push(format!("{MAYBE_COMMANDS}{}", e.value));
                f.value(None, quoted);
            }
        }
    }
}

fn parameter(
    expr: &ParameterExpr,
    quoted: bool,
    source: &str,
    look: &Lookup,
    f: &mut Fields,
    subs: &mut Vec<String>,
) {
    match expr {
        ParameterExpr::Parameter {
            parameter,
            indirect: false,
        } => {
            if let Parameter::Special(SpecialParameter::AllPositionalParameters { concatenate }) =
                parameter
            {
                let args = look.positional.get(1..).unwrap_or(&[]);
                if quoted && !concatenate {
                    // "$@": one field per argument.
                    for (i, a) in args.iter().enumerate() {
                        if i > 0 {
                            f.end_field();
                        }
                        f.text(&a.text, true);
                        f.cur_dynamic |= a.dynamic;
                    }
                    return;
                }
                let joined: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
                f.value(Some(&joined.join(" ")), quoted);
                f.cur_dynamic |= args.iter().any(|a| a.dynamic);
                return;
            }
            match param_value(parameter, look) {
                Some(Some(v)) => f.value(Some(&v), quoted),
                // Unset here may still be set by a sourced file or the snapshot an agent's
                // wrapper loads: unknown, not empty (an empty word would shift operands).
                Some(None) | None => f.value(None, quoted),
            }
        }
        ParameterExpr::UseDefaultValues {
            parameter,
            indirect: false,
            default_value,
            ..
        }
        | ParameterExpr::AssignDefaultValues {
            parameter,
            indirect: false,
            default_value,
            ..
        } => match param_value(parameter, look) {
            Some(Some(v)) if !v.is_empty() => f.value(Some(&v), quoted),
            Some(None) => {
                if let Some(d) = default_value {
                    substitutions_in(d, subs);
                }
                f.value(None, quoted)
            }
            found => {
                // Set-but-empty takes the default; unset may be set at run time, so the
                // default's text is used but the word stays dynamic.
                let d = default_value.as_deref().unwrap_or("");
                let (text, dynamic) = expand_joined(d, look, subs);
                if dynamic {
                    f.value(None, quoted);
                } else {
                    f.value(Some(&text), quoted);
                    f.cur_dynamic |= found.is_none();
                }
            }
        },
        // `${DIR:?}` stops the command when DIR is unset or empty, so an unknown value is
        // not "": the word keeps a placeholder (`${DIR:?}`) that names no dangerous path.
        ParameterExpr::IndicateErrorIfNullOrUnset {
            parameter,
            indirect: false,
            ..
        } => match param_value(parameter, look) {
            Some(Some(v)) => f.value(Some(&v), quoted),
            // After other text (`/${DIR:?}`, `~/${DIR:?}`) it is any entry there: unknown.
            Some(None) | None if !f.cur.is_empty() => f.value(None, quoted),
            Some(None) | None => {
                let name: String = source
                    .trim_start_matches("${")
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                f.text(&format!("${{{name}{NONEMPTY}}}"), true);
                f.cur_dynamic = true;
            }
        },
        ParameterExpr::UseAlternativeValue {
            parameter,
            indirect: false,
            alternative_value,
            ..
        } => match param_value(parameter, look) {
            Some(Some(v)) if !v.is_empty() => {
                let d = alternative_value.as_deref().unwrap_or("");
                let (text, dynamic) = expand_joined(d, look, subs);
                f.value(if dynamic { None } else { Some(&text) }, quoted);
            }
            Some(Some(_)) | None => f.value(Some(""), quoted),
            Some(None) => {
                if let Some(d) = alternative_value {
                    substitutions_in(d, subs);
                }
                f.value(None, quoted)
            }
        },
        other => {
            // Pattern removal, substrings, case changes, indirection: not evaluated. Their
            // operands may still hide command substitutions, which run.
            let _ = other;
            let inner = source.strip_prefix("${").and_then(|s| s.strip_suffix('}'));
            substitutions_in(inner.unwrap_or(source), subs);
            f.value(None, quoted);
        }
    }
}

fn param_value(parameter: &Parameter, look: &Lookup) -> Option<Option<String>> {
    match parameter {
        Parameter::Named(name) => look.var(name),
        Parameter::Positional(n) => match look.positional.get(*n as usize) {
            Some(v) if v.dynamic => Some(None),
            Some(v) => Some(Some(v.text.clone())),
            None if look.positional.is_empty() => Some(None),
            None => None,
        },
        Parameter::Special(SpecialParameter::ShellName) => Some(
            look.positional
                .first()
                .map(|a| a.text.clone())
                .or(Some("bash".to_string())),
        ),
        _ => Some(None),
    }
}

/// Decode the body of `$'...'`.
pub fn ansi_c(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'e' | 'E' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            '\\' | '\'' | '"' | '?' => out.push(e),
            'x' | 'u' | 'U' => {
                let max = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut code = String::new();
                while code.len() < max && chars.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                    code.push(chars.next().unwrap_or('0'));
                }
                match u32::from_str_radix(&code, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push('\\');
                        out.push(e);
                        out.push_str(&code);
                    }
                }
            }
            '0'..='7' => {
                let mut code = String::from(e);
                while code.len() < 3 && chars.peek().is_some_and(|c| ('0'..='7').contains(c)) {
                    code.push(chars.next().unwrap_or('0'));
                }
                let n = u32::from_str_radix(&code, 8).unwrap_or(0);
                out.push(char::from_u32(n).unwrap_or('\u{fffd}'));
            }
            'c' => {
                if let Some(x) = chars.next() {
                    out.push(char::from_u32((x as u32) & 0x1f).unwrap_or('?'));
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

/// Static brace expansion of a raw word: `/{etc,usr}` → `/etc`, `/usr`. `None` when the word
/// has more braces than shellgate expands (brush-parser's brace parser is exponential in them).
fn brace_expand(raw: &str) -> Option<Vec<String>> {
    let braces = raw.bytes().filter(|b| *b == b'{').count();
    if braces == 0
        || !raw.contains('}')
        || !(raw.contains(',') || raw.contains(".."))
        || !has_unquoted_brace(raw)
    {
        return Some(vec![raw.to_string()]);
    }
    if braces > MAX_BRACES {
        return None;
    }
    Some(brace_expand_parsed(raw))
}

/// Whether a `{` stands outside quotes: only those start a brace expansion (`eval 'f () { .. }'`
/// of a long function has many braces and none to expand).
fn has_unquoted_brace(raw: &str) -> bool {
    let mut chars = raw.chars().peekable();
    // `'...'`, `$'...'` (backslash escapes a quote there) and `"..."`.
    let (mut single, mut ansi, mut double) = (false, false, false);
    while let Some(c) = chars.next() {
        match c {
            '\\' if !single => {
                chars.next();
            }
            '\'' if single => single = false,
            '\'' if ansi => ansi = false,
            '\'' if !double => single = true,
            '$' if !single && !ansi && !double && chars.peek() == Some(&'\'') => {
                chars.next();
                ansi = true;
            }
            '"' if !single && !ansi => double = !double,
            '{' if !single && !ansi && !double => return true,
            _ => {}
        }
    }
    false
}

fn brace_expand_parsed(raw: &str) -> Vec<String> {
    match guarded(|| word::parse_brace_expansions(raw, &crate::parse::options())) {
        Ok(Some(parts)) => {
            let mut out = vec![String::new()];
            if !expand_parts(&parts, &mut out) {
                return vec![raw.to_string()];
            }
            out
        }
        _ => vec![raw.to_string()],
    }
}

fn expand_parts(parts: &[BraceExpressionOrText], out: &mut Vec<String>) -> bool {
    for part in parts {
        match part {
            BraceExpressionOrText::Text(t) => out.iter_mut().for_each(|w| w.push_str(t)),
            BraceExpressionOrText::Expr(members) => {
                let mut alternatives: Vec<String> = Vec::new();
                for m in members {
                    match m {
                        BraceExpressionMember::Child(inner) => {
                            let mut sub = vec![String::new()];
                            if !expand_parts(inner, &mut sub) {
                                return false;
                            }
                            alternatives.extend(sub);
                        }
                        BraceExpressionMember::NumberSequence {
                            start,
                            end,
                            increment,
                        } => {
                            let step = increment.unsigned_abs().max(1) as usize;
                            let (lo, hi) = ((*start).min(*end), (*start).max(*end));
                            if (hi - lo) as usize / step > MAX_BRACE_WORDS {
                                return false;
                            }
                            alternatives.extend((lo..=hi).step_by(step).map(|n| n.to_string()));
                        }
                        BraceExpressionMember::CharSequence { start, end, .. } => {
                            let (lo, hi) = ((*start).min(*end), (*start).max(*end));
                            alternatives.extend((lo..=hi).map(String::from));
                        }
                    }
                }
                if out.len() * alternatives.len() > MAX_BRACE_WORDS {
                    return false;
                }
                *out = out
                    .iter()
                    .flat_map(|w| alternatives.iter().map(move |a| format!("{w}{a}")))
                    .collect();
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(raw: &str, vars: &[(&str, Option<&str>)]) -> Vec<(String, bool)> {
        let mut v = Vars::default();
        for (k, val) in vars {
            v.line.insert(k.to_string(), val.map(str::to_string));
        }
        let env = HashMap::from([("USER".to_string(), "user".to_string())]);
        let positional = vec![Arg::lit("bash"), Arg::lit("first"), Arg::lit("two words")];
        let look = Lookup {
            vars: &v,
            env: &env,
            home: "/home/user",
            positional: &positional,
        };
        let mut out = Expanded::default();
        expand(raw, &look, &mut out);
        out.fields
            .into_iter()
            .map(|a| (a.text, a.dynamic))
            .collect()
    }

    fn texts(raw: &str) -> Vec<String> {
        words(raw, &[]).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn quote_removal_and_escapes() {
        assert_eq!(texts(r#""--force""#), ["--force"]);
        assert_eq!(texts(r#"'-'"r"f"#), ["-rf"]);
        assert_eq!(texts(r"\rm"), ["rm"]);
        assert_eq!(texts(r"$'\x2d\x2dforce'"), ["--force"]);
        assert_eq!(texts(r#""a\$b""#), ["a$b"]);
        assert_eq!(texts(r#""a\qb""#), [r"a\qb"]);
        assert_eq!(texts("''"), [""]);
    }

    #[test]
    fn tilde_home_and_variables() {
        assert_eq!(texts("~"), ["/home/user"]);
        assert_eq!(texts("~/x"), ["/home/user/x"]);
        assert_eq!(texts("$HOME/"), ["/home/user/"]);
        assert_eq!(texts("\"${HOME}\""), ["/home/user"]);
        assert_eq!(texts("'~'"), ["~"]);
        assert_eq!(texts("/home/$USER"), ["/home/user"]);
        assert_eq!(words("$X", &[("X", Some("/"))]), [("/".to_string(), false)]);
        assert_eq!(words("${NOPE:-/}", &[]), [("/".to_string(), true)]);
        assert_eq!(
            words("${X:-/}", &[("X", Some(""))]),
            [("/".to_string(), false)]
        );
    }

    #[test]
    fn unknown_parts_are_dynamic_and_empty() {
        assert_eq!(words("\"$NOPE_UNSET\"/", &[]), [("/".to_string(), true)]);
        assert_eq!(words("\"$X\"/", &[("X", None)]), [("/".to_string(), true)]);
        assert_eq!(words("$(pwd)/x", &[]), [("/x".to_string(), true)]);
    }

    #[test]
    fn field_splitting_of_unquoted_expansions() {
        assert_eq!(texts_with("$CMD", "rm -rf /"), ["rm", "-rf", "/"]);
        assert_eq!(texts_with("\"$CMD\"", "rm -rf /"), ["rm -rf /"]);
        assert_eq!(words("$EMPTY_UNSET", &[]), [(String::new(), true)]);
        assert_eq!(
            words("$E", &[("E", Some(""))]),
            Vec::<(String, bool)>::new()
        );
        assert_eq!(texts("\"$@\""), ["first", "two words"]);
        assert_eq!(texts("$1"), ["first"]);
    }

    fn texts_with(raw: &str, value: &str) -> Vec<String> {
        words(raw, &[("CMD", Some(value))])
            .into_iter()
            .map(|(t, _)| t)
            .collect()
    }

    #[test]
    fn brace_expansion() {
        assert_eq!(texts("/{etc,usr}"), ["/etc", "/usr"]);
        assert_eq!(texts("a{1..3}"), ["a1", "a2", "a3"]);
        assert_eq!(texts("'{a,b}'"), ["{a,b}"]);
        // Too many braces to expand (the brace parser is exponential): unknown, not skipped.
        let many = format!("x{}a,b{}", "{".repeat(30), "}".repeat(30));
        assert_eq!(words(&many, &[]), [(String::new(), true)]);
        assert_eq!(texts("{{{{{{{{{{{{{{{{{{{{x"), ["{{{{{{{{{{{{{{{{{{{{x"]);
        // Quoted braces do not count: a long quoted function body stays a known word.
        let body = format!("'f () {{ {} }}'", "${a:-x}, ".repeat(20));
        assert_eq!(words(&body, &[]).len(), 1);
        assert!(!words(&body, &[])[0].1, "a quoted body is known");
        // `$'...'` ends at an unescaped quote; the braces after it expand.
        assert_eq!(texts(r"$'a\'b'{c,d}"), ["a'bc", "a'bd"]);
    }

    #[test]
    fn substitutions_are_collected() {
        let mut out = Expanded::default();
        let v = Vars::default();
        let env = HashMap::new();
        let look = Lookup {
            vars: &v,
            env: &env,
            home: "/h",
            positional: &[],
        };
        expand("a$(echo x)`uname`\"$(id)\"", &look, &mut out);
        assert_eq!(out.substitutions, ["echo x", "uname", "id"]);
        let mut subs = Vec::new();
        substitutions_in("1 + $(date +%s)", &mut subs);
        assert_eq!(subs, ["date +%s"]);
    }

    #[test]
    fn words_the_parser_cannot_read_are_dynamic() {
        // brush-parser panicked on this (a directory-stack index too large for usize).
        let raw = "${X/~000030000000000000000000}";
        let got = words(raw, &[]);
        assert!(got.iter().all(|(_, dynamic)| *dynamic), "{got:?}");
    }

    #[test]
    fn ansi_c_decoding() {
        assert_eq!(ansi_c(r"a\nb\x41\101\u00e9\e"), "a\nbAA\u{e9}\x1b");
    }
}
