//! Finding what inline code runs: shell-outs (`os.system`, `child_process.exec`, `system`,
//! backticks), argument-list launches (`subprocess.run([...])`, `spawn('rm', [...])`) and file
//! deletions (`shutil.rmtree`, `fs.rmSync`, `FileUtils.rm_rf`, ...), as [`Inner`] items.
//!
//! Call sites are found with one regex over the raw code (`name(` or, in Perl and Ruby,
//! `name "arg"`), looked up in a per-language table, and their arguments read by the
//! [`Lexer`]. Limits, by design:
//! - text inside string literals and comments is searched too, so code that only *prints*
//!   `os.system('x')` is read as running `x` (a false alarm, never a miss);
//! - aliases and indirection (`f = os.system; f(x)`, `getattr(os, 'system')`) are not followed:
//!   code that mentions a process-launching module without a call shellgate can read is opaque;
//! - an argument that is not a literal (a variable, a call, a formatted string) makes the
//!   call opaque for shell-outs, and a run-time target (`Arg::dynamic`) for deletions.

use std::sync::LazyLock;

use regex::Regex;

use super::lexer::{Lang, Lexer, Value};
use super::table::{Facts, Kind, Remove, lookup, rm};
use crate::analyze::command::Arg;
use crate::analyze::wrappers::Inner;

/// Inline code larger than this is not read (it is reported as opaque).
pub const MAX_CODE: usize = 256 * 1024;

/// The most items one piece of code yields; beyond it the rest is one opaque item.
const MAX_FOUND: usize = 256;

/// How deep `eval("...")` of literal code is followed.
const MAX_EVAL_DEPTH: usize = 4;

/// What inline code of `lang` runs. `label` names the interpreter and how it got the code
/// (`python3 -c`), `home` is the home directory the path expressions evaluate to.
pub fn scan(lang: Lang, label: &str, code: &str, home: &str) -> Vec<Inner> {
    if code.len() > MAX_CODE {
        return vec![opaque(
            label,
            format!("{label} code is larger than 256 KiB"),
        )];
    }
    let mut scanner = Scanner {
        lex: Lexer { lang, home },
        label,
        found: Vec::new(),
        facts: Facts::of(code),
        budget: 4 * code.len() + 64 * 1024,
    };
    scanner.code(code, 0);
    let mut found = scanner.found;
    found.sort_by_key(|(at, _)| *at);
    let mut inner: Vec<Inner> = Vec::new();
    for (_, item) in found {
        // `exec("os.system('x')")` is seen both in the raw text and in the evaluated string.
        if !inner.contains(&item) {
            inner.push(item);
        }
    }
    if inner.is_empty()
        && let Some(mention) = LAUNCHER.find(code)
    {
        let reason = format!(
            "{label} mentions `{}` but shellgate found no call it could read",
            mention.as_str()
        );
        inner.push(opaque(label, reason));
    }
    inner
}

/// Modules and idioms that launch processes: mentioning one without a readable call is opaque.
static LAUNCHER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"subprocess|child_process|\bpty\.spawn|\bos\.(?:exec|spawn|posix_spawn)\w*",
        r"|Deno\.(?:Command|run)|Bun\.(?:spawn|\$)|Open3|IO\.popen|proc_open|pcntl_exec",
        r#"|__import__\s*\(\s*[^'"\s]|importlib\.import_module|getattr\s*\(\s*os\b"#,
    ))
    .expect("launcher regex")
});

/// A call: a dotted name followed by `(`, or by blanks (Perl and Ruby calls without parentheses).
static CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<path>(?:[A-Za-z_$][\w$]*\s*(?:\.|::|->)\s*)*[A-Za-z_$][\w$]*)(?:(?P<paren>\s*\()|[ \t]+)",
    )
    .expect("call regex")
});

static BUN_SHELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\bBun\s*\.\s*\$|(?:^|[^\w$.])\$)\s*`").expect("bun shell regex")
});

static QX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\w$])(?:qx\s*[^\w\s]|%x[^\w\s])").expect("qx regex"));

static APPLESCRIPT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bdo\s+shell\s+script\s+").expect("applescript regex"));

static RECURSIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"recursive\s*[:=]\s*(?:true|True|TRUE|T\b)|:recursive\s*=>\s*true")
        .expect("recursive regex")
});

static SHELL_OPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"shell\s*[:=]\s*(?:true|True|['"/])"#).expect("shell option regex")
});

struct Scanner<'a> {
    lex: Lexer<'a>,
    label: &'a str,
    found: Vec<(usize, Inner)>,
    facts: Facts,
    /// Bytes the argument reader may still scan: keeps many calls on a huge line linear.
    budget: usize,
}

impl Scanner<'_> {
    /// Scan `code`: the inline code, or (at `depth` > 0) a string literal it evaluates.
    fn code(&mut self, code: &str, depth: usize) {
        let lang = self.lex.lang;
        for call in CALL.captures_iter(code) {
            if self.budget == 0 {
                return;
            }
            let whole = call.get(0).expect("match");
            let start = whole.start();
            if start > 0 && is_ident(code.as_bytes()[start - 1]) {
                continue;
            }
            let path: String = call["path"]
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let (prefix, name) = split_path(&path);
            let paren = call.name("paren").is_some();
            let rest = &code[whole.end()..];
            if !paren && !self.starts_argument(lang, rest) {
                continue;
            }
            let Some(kind) = lookup(lang, prefix, name, &self.facts) else {
                continue;
            };
            let (args, used, closed) = self.lex.split_args(rest, paren.then_some(b')'));
            self.budget = self.budget.saturating_sub(used.max(1));
            if self.budget == 0 {
                let reason = format!("{} has more calls than shellgate reads", self.label);
                self.push(start, opaque(self.label, reason));
                return;
            }
            if !closed {
                self.push(
                    start,
                    opaque(
                        self.label,
                        format!(
                            "{} has a call to `{path}` shellgate cannot read",
                            self.label
                        ),
                    ),
                );
                continue;
            }
            let after = &rest[used..];
            self.call(start, kind, &path, &args, after, depth);
        }
        self.command_literals(code);
    }

    /// Whether a call without parentheses has an argument here (`system "x"`, `rm_rf $d`).
    fn starts_argument(&self, lang: Lang, rest: &str) -> bool {
        if !matches!(lang, Lang::Perl | Lang::Ruby) {
            return false;
        }
        match rest.as_bytes().first() {
            Some(b'"' | b'\'' | b'$' | b'@' | b'[' | b'`') => true,
            Some(b'q' | b'%') => self.lex.string_len(rest).is_some(),
            Some(b) => lang == Lang::Ruby && b.is_ascii_uppercase(),
            None => false,
        }
    }

    fn push(&mut self, at: usize, inner: Inner) {
        if self.found.len() < MAX_FOUND {
            self.found.push((at, inner));
        } else if self.budget > 0 {
            let reason = format!("{} runs more commands than shellgate reads", self.label);
            self.found.push((at, opaque(self.label, reason)));
            self.budget = 0;
        }
    }

    fn label(&self, api: &str) -> String {
        format!("{}: {api}", self.label)
    }

    fn built_at_run_time(&self, api: &str) -> Inner {
        opaque(
            &self.label(api),
            format!("{} runs a command built at run time", self.label),
        )
    }

    fn call(&mut self, at: usize, kind: Kind, api: &str, args: &[&str], after: &str, depth: usize) {
        let label = self.label(api);
        match kind {
            Kind::Shell => {
                if let Some(first) = args.first() {
                    let inner = self.shell_or_argv(api, self.lex.eval(first));
                    let inner = self.with_input(inner, &args[1..]);
                    self.push(at, inner);
                }
            }
            Kind::Exec => {
                let args: Vec<&str> = args
                    .iter()
                    .copied()
                    .skip_while(|a| a.starts_with('{'))
                    .collect();
                let inner = match args.as_slice() {
                    [] => return,
                    [one] => self.shell_or_argv(api, self.lex.eval(one)),
                    many => self.argv(api, many),
                };
                self.push(at, inner);
            }
            Kind::ArgvAfterFirst if args.len() > 1 => {
                let inner = self.argv(api, &args[1..]);
                self.push(at, inner);
            }
            Kind::ArgvAfterFirst => {}
            Kind::Spawn => {
                let inner = self.spawn(api, args);
                let inner = self.with_input(inner, args.get(1..).unwrap_or_default());
                self.push(at, inner);
            }
            Kind::ArgvList => {
                let list = args.iter().find_map(|arg| self.list_in(arg, "cmd"));
                let inner = match list {
                    Some(words) => self.words_to_argv(api, words),
                    None => self.built_at_run_time(api),
                };
                self.push(at, inner);
            }
            Kind::Remove(remove) => self.remove(at, &label, remove, args),
            Kind::PathObject => {
                static METHOD: LazyLock<Regex> = LazyLock::new(|| {
                    Regex::new(r"^\s*\.\s*(unlink|rmdir|rmtree|delete)\s*[(\s;]")
                        .expect("path method regex")
                });
                let Some(method) = METHOD.captures(after) else {
                    return;
                };
                let kind = match &method[1] {
                    "rmdir" => Kind::Remove(Remove {
                        program: "rmdir",
                        flags: "",
                        recursive_option: false,
                        all_args: false,
                    }),
                    "rmtree" => rm("-rf"),
                    _ => rm(""),
                };
                let Kind::Remove(remove) = kind else { return };
                let mut target = Value::Other;
                if !args.is_empty() {
                    target = self.lex.eval(&format!("os.path.join({})", args.join(", ")));
                }
                let label = self.label(&format!("{api}.{}", &method[1]));
                self.remove_targets(at, &label, remove.program, remove.flags, vec![target]);
            }
            Kind::Eval => {
                let Some(first) = args.first() else { return };
                if first.starts_with('{') {
                    return;
                }
                match self.lex.eval(first) {
                    Value::Str(code) if depth < MAX_EVAL_DEPTH => self.code(&code, depth + 1),
                    _ => {
                        let reason = format!("{} evaluates code built at run time", self.label);
                        self.push(at, opaque(&label, reason));
                    }
                }
            }
            Kind::PerlOpen => {
                let inner = match args {
                    [_, target] => match self.lex.eval(target) {
                        Value::Str(spec) if spec.trim().ends_with('|') => {
                            shell(&label, spec.trim().trim_end_matches('|'))
                        }
                        Value::Str(spec) if spec.trim().starts_with('|') => {
                            shell(&label, spec.trim().trim_start_matches('|'))
                        }
                        _ => return,
                    },
                    [_, mode, command @ ..] => match self.lex.eval(mode).as_str() {
                        Some("-|" | "|-") if command.len() == 1 => {
                            self.shell_or_argv(api, self.lex.eval(command[0]))
                        }
                        Some("-|" | "|-") => self.argv(api, command),
                        _ => return,
                    },
                    _ => return,
                };
                self.push(at, inner);
            }
            Kind::Unreadable => {
                let reason = format!(
                    "{} runs a command through `{api}`, which shellgate does not read",
                    self.label
                );
                self.push(at, opaque(&label, reason));
            }
        }
    }

    /// An argument vector with the text given to its stdin (`input=`, `{input: ...}`,
    /// `stdin_data:`), when the text is known: `subprocess.run(['psql'], input='DROP ...')`.
    fn with_input(&self, inner: Inner, args: &[&str]) -> Inner {
        static INPUT: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?:^|[{,\s])(?:input|stdin_data)\s*[:=]\s*").expect("input regex")
        });
        let Inner::Argv {
            label,
            words,
            stdin: None,
        } = inner
        else {
            return inner;
        };
        let stdin = args.iter().find_map(|arg| {
            let found = INPUT.find(arg)?;
            let (value, _, _) = self.lex.split_args(&arg[found.end()..], Some(b'}'));
            self.lex.eval(value.first()?).as_str().map(String::from)
        });
        Inner::Argv {
            label,
            words,
            stdin,
        }
    }

    /// A shell line (string) or an argument vector (list); opaque when not known.
    fn shell_or_argv(&self, api: &str, value: Value) -> Inner {
        match value {
            Value::Str(source) => shell(&self.label(api), &source),
            Value::List(words) => self.words_to_argv(api, words),
            Value::Other => self.built_at_run_time(api),
        }
    }

    /// An argument vector from several argument expressions (lists are spliced in).
    fn argv(&self, api: &str, args: &[&str]) -> Inner {
        let mut words = Vec::new();
        for arg in args {
            match self.lex.eval(arg) {
                Value::Str(word) => words.push(Some(word)),
                Value::List(list) => words.extend(list),
                Value::Other => words.push(None),
            }
        }
        self.words_to_argv(api, words)
    }

    fn words_to_argv(&self, api: &str, words: Vec<Option<String>>) -> Inner {
        if !matches!(words.first(), Some(Some(_))) {
            return self.built_at_run_time(api);
        }
        Inner::Argv {
            label: self.label(api),
            words: words.into_iter().map(arg).collect(),
            stdin: None,
        }
    }

    /// The list given as an argument or as the value of `key` in an options object.
    fn list_in(&self, arg: &str, key: &str) -> Option<Vec<Option<String>>> {
        if let Value::List(words) = self.lex.eval(arg) {
            return Some(words);
        }
        let at = arg.find(key)?;
        let value = arg[at + key.len()..]
            .trim_start()
            .strip_prefix([':', '='])?
            .trim_start();
        let (items, _, closed) = if let Some(inner) = value.strip_prefix('[') {
            self.lex.split_args(inner, Some(b']'))
        } else {
            self.lex.split_args(value.strip_prefix("c(")?, Some(b')'))
        };
        closed.then(|| {
            items
                .iter()
                .map(|item| self.lex.eval(item).as_str().map(String::from))
                .collect()
        })
    }

    fn spawn(&self, api: &str, args: &[&str]) -> Inner {
        let Some(Value::Str(file)) = args.first().map(|a| self.lex.eval(a)) else {
            return self.built_at_run_time(api);
        };
        let rest = &args[1..];
        let list = rest
            .iter()
            .find_map(|arg| self.list_in(arg, "args"))
            .unwrap_or_default();
        if rest.iter().any(|arg| SHELL_OPTION.is_match(arg)) {
            if list.iter().any(Option::is_none) {
                return self.built_at_run_time(api);
            }
            let mut line = file;
            for word in list.into_iter().flatten() {
                line.push(' ');
                line.push_str(&word);
            }
            return shell(&self.label(api), &line);
        }
        let mut words = vec![Some(file)];
        words.extend(list);
        self.words_to_argv(api, words)
    }

    fn remove(&mut self, at: usize, label: &str, remove: Remove, args: &[&str]) {
        let (mut program, mut flags) = (remove.program, remove.flags);
        if remove.recursive_option && args.iter().skip(1).any(|a| RECURSIVE.is_match(a)) {
            (program, flags) = ("rm", "-rf");
        }
        let targets: Vec<Value> = if remove.all_args {
            args.iter()
                .filter(|a| !is_option_arg(a))
                .map(|a| self.lex.eval(a))
                .collect()
        } else {
            args.first().map(|a| self.lex.eval(a)).into_iter().collect()
        };
        self.remove_targets(at, label, program, flags, targets);
    }

    fn remove_targets(
        &mut self,
        at: usize,
        label: &str,
        program: &str,
        flags: &str,
        targets: Vec<Value>,
    ) {
        let mut words = vec![Arg::lit(program)];
        words.extend(flags.split_whitespace().map(Arg::lit));
        let before = words.len();
        for target in targets {
            match target {
                Value::Str(path) => words.push(Arg::lit(path)),
                Value::List(paths) => words.extend(paths.into_iter().map(arg)),
                Value::Other => words.push(arg(None)),
            }
        }
        if words.len() > before {
            self.push(
                at,
                Inner::Argv {
                    label: label.to_string(),
                    words,
                    stdin: None,
                },
            );
        }
    }

    /// Backticks and `qx{}` / `%x()` (Perl, Ruby, PHP), Bun's `$` template, AppleScript's
    /// `do shell script`.
    fn command_literals(&mut self, code: &str) {
        let lang = self.lex.lang;
        let mut starts: Vec<(usize, &str)> = Vec::new();
        match lang {
            Lang::Perl | Lang::Ruby | Lang::Php => {
                starts.extend(code.match_indices('`').map(|(at, _)| (at, "backticks")));
                for found in QX.find_iter(code) {
                    let at = found.start() + found.as_str().find(['q', '%']).unwrap_or(0);
                    starts.push((at, if lang == Lang::Perl { "qx" } else { "%x" }));
                }
            }
            Lang::Js => {
                starts.extend(BUN_SHELL.find_iter(code).map(|m| (m.end() - 1, "Bun.$")));
            }
            Lang::AppleScript => {
                for found in APPLESCRIPT.find_iter(code) {
                    let (args, _, _) = self.lex.split_args(&code[found.end()..], None);
                    if let Some(first) = args.first() {
                        let inner = self.shell_or_argv("do shell script", self.lex.eval(first));
                        self.push(found.start(), inner);
                    }
                }
            }
            _ => {}
        }
        starts.sort_unstable();
        let mut next_free = 0;
        for (at, api) in starts {
            if at < next_free {
                continue;
            }
            if self.budget == 0 {
                return;
            }
            let found = self.lex.string_len(&code[at..]);
            let scanned = found.unwrap_or((code.len() - at).min(super::lexer::WINDOW));
            self.budget = self.budget.saturating_sub(scanned.max(1));
            if self.budget == 0 {
                let reason = format!("{} has more code than shellgate reads", self.label);
                self.push(at, opaque(self.label, reason));
            }
            let Some(len) = found else {
                continue;
            };
            next_free = at + len;
            let inner = self.shell_or_argv(api, self.lex.eval(&code[at..at + len]));
            self.push(at, inner);
        }
    }
}

/// `a.b.c` → (`a.b`, `c`); `File::Path::rmtree` → (`File::Path`, `rmtree`).
fn split_path(path: &str) -> (&str, &str) {
    match path.rfind(['.', ':', '>']) {
        Some(at) => {
            let prefix = path[..at].trim_end_matches([':', '-', '.']);
            (prefix, &path[at + 1..])
        }
        None => ("", path),
    }
}

/// Keyword options among deletion arguments (`verbose: true`, `:force => true`, `{...}`).
fn is_option_arg(arg: &str) -> bool {
    static OPTION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:\{|:?\w+\s*(?::\s|=>|=[^=]))").expect("option regex"));
    OPTION.is_match(arg)
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

fn arg(word: Option<String>) -> Arg {
    match word {
        Some(text) => Arg::lit(text),
        None => Arg {
            text: String::new(),
            dynamic: true,
        },
    }
}

fn shell(label: &str, source: &str) -> Inner {
    Inner::Shell {
        label: label.to_string(),
        source: source.trim().to_string(),
    }
}

fn opaque(label: &str, reason: String) -> Inner {
    Inner::Opaque {
        label: label.to_string(),
        reason,
    }
}
