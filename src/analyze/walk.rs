//! The walker: visits every simple command a bash syntax tree would run (lists, pipelines,
//! compound commands, function bodies, substitutions, redirections) and builds a [`Command`]
//! for each, then follows what each command runs in turn (wrappers, `bash -c`, inline code).

use super::command::{
    Analysis, Arg, Command, Context, Opaque, Payload, PayloadSource, Redirect, RedirectKind,
    WorkDir,
};
use super::words::{self, Expanded, Lookup, Vars};
use super::written::{self, Runs};
use super::{inline, interpreters, wrappers};
use brush_parser::ast;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Deepest chain of wrappers and nested shells followed (`ssh` → `bash -c` → `sudo` → ...).
pub const MAX_DEPTH: usize = 12;
/// Most commands analysed for one line; more needs a human.
pub const MAX_COMMANDS: usize = 4000;
/// Largest file read for a payload (`< dump.sql`, `cat x | psql`).
const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Most values a `for` loop body is analysed with, one by one.
const MAX_LOOP_VALUES: usize = 16;

/// State that flows along a list: variables, working directory, origin, nesting.
#[derive(Clone)]
struct Scope {
    vars: Vars,
    workdir: WorkDir,
    origin: Vec<String>,
    depth: usize,
    positional: Vec<Arg>,
    /// Functions defined in nested sources (`source snapshot`, `bash -c`), analysed when called.
    functions: HashMap<String, Rc<ast::FunctionBody>>,
    /// Functions being expanded right now (recursion stops here).
    calling: Vec<String>,
}

pub struct Walker<'a> {
    ctx: &'a Context,
    out: Analysis,
    commands_seen: usize,
    /// Files the line has written so far, with their text when it is known statically.
    written: HashMap<PathBuf, Option<String>>,
    /// Functions defined on the line itself, whose bodies were analysed where defined: a call
    /// without arguments adds nothing.
    line_functions: std::collections::HashSet<String>,
}

/// What a command writes to stdout, when statically known, and who it is (for pipes).
struct Produced {
    program: Option<String>,
    stdout: Option<String>,
}

impl Produced {
    const NOTHING: Produced = Produced {
        program: None,
        stdout: None,
    };
}

impl<'a> Walker<'a> {
    pub fn new(ctx: &'a Context) -> Self {
        Walker {
            ctx,
            out: Analysis::default(),
            commands_seen: 0,
            written: HashMap::new(),
            line_functions: std::collections::HashSet::new(),
        }
    }

    pub fn finish(self) -> Analysis {
        self.out
    }

    /// Analyse top-level shell source.
    pub fn top(&mut self, source: &str) {
        let scope = Scope {
            vars: Vars::default(),
            workdir: WorkDir::Start,
            origin: Vec::new(),
            depth: 0,
            positional: self.ctx.positional.iter().cloned().map(Arg::lit).collect(),
            functions: HashMap::new(),
            calling: Vec::new(),
        };
        self.source(source, scope);
    }

    fn opaque(&mut self, scope: &Scope, reason: impl Into<String>, snippet: &str) {
        let snippet: String = snippet.chars().take(200).collect();
        self.out.opaque.push(Opaque {
            reason: reason.into(),
            snippet,
            origin: scope.origin.clone(),
        });
    }

    /// Parse and analyse shell source in `scope` (a nested shell: changes do not leak out).
    /// Returns the functions known at its end, which a caller that `source`s or `eval`s it keeps.
    fn source(&mut self, source: &str, mut scope: Scope) -> HashMap<String, Rc<ast::FunctionBody>> {
        if scope.depth > MAX_DEPTH {
            self.opaque(&scope, "commands nested too deeply to follow", source);
            return scope.functions;
        }
        match crate::parse::parse(source) {
            Ok(program) => {
                for list in &program.complete_commands {
                    self.compound_list(list, &mut scope);
                }
            }
            Err(failure) => self.opaque(&scope, failure.to_string(), source),
        }
        scope.functions
    }

    fn compound_list(&mut self, list: &ast::CompoundList, scope: &mut Scope) {
        for item in &list.0 {
            self.and_or(&item.0, scope);
        }
    }

    fn and_or(&mut self, list: &ast::AndOrList, scope: &mut Scope) {
        self.pipeline(&list.first, scope);
        for next in &list.additional {
            match next {
                ast::AndOr::And(p) | ast::AndOr::Or(p) => self.pipeline(p, scope),
            }
        }
    }

    fn pipeline(&mut self, pipeline: &ast::Pipeline, scope: &mut Scope) {
        let mut previous: Option<Produced> = None;
        let single = pipeline.seq.len() == 1;
        for cmd in &pipeline.seq {
            // Every part of a multi-command pipeline runs in a subshell.
            let produced = if single {
                self.command(cmd, scope, previous.take())
            } else {
                let mut sub = scope.clone();
                self.command(cmd, &mut sub, previous.take())
            };
            previous = Some(produced);
        }
    }

    fn command(
        &mut self,
        cmd: &ast::Command,
        scope: &mut Scope,
        stdin: Option<Produced>,
    ) -> Produced {
        match cmd {
            ast::Command::Simple(simple) => self.simple(simple, scope, stdin),
            ast::Command::Compound(compound, redirects) => {
                if let Some(r) = redirects {
                    let mut redirs = Vec::new();
                    let mut payloads = Vec::new();
                    self.redirects(&r.0, scope, &mut redirs, &mut payloads);
                }
                self.compound(compound, scope);
                // Its output is not known, but whoever reads it must know it comes from a pipe:
                // `{ echo "rm -rf ~"; } | bash` is as opaque as `cat x | bash`.
                Produced {
                    program: Some("a compound command".to_string()),
                    stdout: None,
                }
            }
            ast::Command::Function(def) => {
                if scope.origin.is_empty() {
                    // On the line itself a function body counts whether or not it is called,
                    // and again where it is called, with the call's arguments as `$@`
                    // (`f() { "$@"; }; f rm -rf ~`).
                    let mut body_scope = scope.clone();
                    self.compound(&def.body.0, &mut body_scope);
                    self.line_functions.insert(def.fname.value.clone());
                    scope
                        .functions
                        .insert(def.fname.value.clone(), Rc::new(def.body.clone()));
                } else {
                    // In a sourced file or nested shell, only when called: shell snapshots
                    // define many functions that never run.
                    self.line_functions.remove(&def.fname.value);
                    scope
                        .functions
                        .insert(def.fname.value.clone(), Rc::new(def.body.clone()));
                }
                Produced::NOTHING
            }
            ast::Command::ExtendedTest(test, _) => {
                let mut subs = Vec::new();
                extended_test_subs(&test.expr, &mut subs);
                self.substitutions(subs, scope);
                Produced::NOTHING
            }
        }
    }

    fn compound(&mut self, compound: &ast::CompoundCommand, scope: &mut Scope) {
        use ast::CompoundCommand as C;
        match compound {
            C::Arithmetic(a) => {
                // brush-parser reads `( ( cmd ) )` as arithmetic; bash runs nested subshells
                // when `((` is not an arithmetic command. When the text parses as commands,
                // analyse them (a plain expression such as `i++` names no real program).
                self.lenient_source(&a.expr.value, scope.clone());
            }
            C::ArithmeticForClause(f) => {
                let mut subs = Vec::new();
                for e in [&f.initializer, &f.condition, &f.updater]
                    .into_iter()
                    .flatten()
                {
                    words::substitutions_in(&e.value, &mut subs);
                }
                self.substitutions(subs, scope);
                self.compound_list(&f.body.list, scope);
            }
            C::BraceGroup(g) => self.compound_list(&g.list, scope),
            C::Subshell(s) => {
                let mut sub = scope.clone();
                self.compound_list(&s.list, &mut sub);
            }
            C::ForClause(f) => {
                let mut values: Vec<Arg> = Vec::new();
                let mut subs = Vec::new();
                match &f.values {
                    Some(ws) => {
                        for w in ws {
                            let mut ex = Expanded::default();
                            words::expand(&w.value, &self.lookup(scope), &mut ex);
                            values.extend(ex.fields);
                            subs.extend(ex.substitutions);
                        }
                    }
                    None => values.extend(scope.positional.iter().skip(1).cloned()),
                }
                self.substitutions(subs, scope);
                let known = values.len() <= MAX_LOOP_VALUES && values.iter().all(|v| !v.dynamic);
                if known && !values.is_empty() {
                    for v in values {
                        scope
                            .vars
                            .line
                            .insert(f.variable_name.clone(), Some(v.text));
                        self.compound_list(&f.body.list, scope);
                    }
                } else {
                    scope.vars.line.insert(f.variable_name.clone(), None);
                    self.compound_list(&f.body.list, scope);
                }
            }
            C::CaseClause(c) => {
                let mut ex = Expanded::default();
                words::expand(&c.value.value, &self.lookup(scope), &mut ex);
                self.substitutions(ex.substitutions, scope);
                for item in &c.cases {
                    if let Some(list) = &item.cmd {
                        let mut branch = scope.clone();
                        self.compound_list(list, &mut branch);
                    }
                }
            }
            C::IfClause(i) => {
                self.compound_list(&i.condition, scope);
                self.compound_list(&i.then, &mut scope.clone());
                for e in i.elses.iter().flatten() {
                    if let Some(c) = &e.condition {
                        self.compound_list(c, scope);
                    }
                    self.compound_list(&e.body, &mut scope.clone());
                }
            }
            C::WhileClause(w) | C::UntilClause(w) => {
                self.compound_list(&w.0, scope);
                self.compound_list(&w.1.list, scope);
            }
            C::Coprocess(c) => {
                let mut sub = scope.clone();
                self.command(&c.body, &mut sub, None);
            }
        }
    }

    fn lookup<'s>(&'s self, scope: &'s Scope) -> Lookup<'s> {
        Lookup {
            vars: &scope.vars,
            env: &self.ctx.env,
            home: &self.ctx.home,
            positional: &scope.positional,
        }
    }

    /// Analyse the command substitutions met while expanding words: they run first.
    fn substitutions(&mut self, subs: Vec<String>, scope: &Scope) {
        for s in subs {
            let mut sub = scope.clone();
            sub.origin.push("$(...)".to_string());
            sub.depth += 1;
            match s.strip_prefix(words::MAYBE_COMMANDS) {
                Some(text) => self.lenient_source(text, sub),
                None => {
                    self.source(&s, sub);
                }
            }
        }
    }

    /// Analyse `text` as commands if it parses as such; otherwise it is arithmetic, not code.
    /// Each text is analysed once, either way: analysing it both as commands and for its
    /// substitutions doubled the work per nesting level (exponential, found by fuzzing).
    fn lenient_source(&mut self, text: &str, mut scope: Scope) {
        if scope.depth > MAX_DEPTH {
            self.opaque(&scope, "commands nested too deeply to follow", text);
            return;
        }
        match crate::parse::parse(text) {
            Ok(program) => {
                let opaque_before = self.out.opaque.len();
                for list in &program.complete_commands {
                    self.compound_list(list, &mut scope);
                }
                // What cannot be seen through at the guessed level itself is no finding (bash
                // reads it as arithmetic); what is inside a real substitution deeper still is.
                let level = scope.origin.len();
                let mut i = opaque_before;
                while i < self.out.opaque.len() {
                    if self.out.opaque[i].origin.len() <= level {
                        self.out.opaque.remove(i);
                    } else {
                        i += 1;
                    }
                }
            }
            Err(_) => {
                let mut subs = Vec::new();
                words::substitutions_in(text, &mut subs);
                self.substitutions(subs, &scope);
            }
        }
    }

    fn redirects(
        &mut self,
        items: &[ast::IoRedirect],
        scope: &mut Scope,
        out: &mut Vec<Redirect>,
        payloads: &mut Vec<Payload>,
    ) {
        for r in items {
            let mut subs = Vec::new();
            match r {
                ast::IoRedirect::File(fd, kind, target) => {
                    let kind = match kind {
                        ast::IoFileRedirectKind::Read => RedirectKind::Read,
                        ast::IoFileRedirectKind::Write => RedirectKind::Write,
                        ast::IoFileRedirectKind::Append => RedirectKind::Append,
                        ast::IoFileRedirectKind::ReadAndWrite => RedirectKind::ReadWrite,
                        ast::IoFileRedirectKind::Clobber => RedirectKind::Clobber,
                        ast::IoFileRedirectKind::DuplicateInput
                        | ast::IoFileRedirectKind::DuplicateOutput => RedirectKind::Duplicate,
                    };
                    let target = match target {
                        ast::IoFileRedirectTarget::Filename(w)
                        | ast::IoFileRedirectTarget::Duplicate(w) => {
                            let (text, dynamic) =
                                words::expand_joined(&w.value, &self.lookup(scope), &mut subs);
                            Arg { text, dynamic }
                        }
                        ast::IoFileRedirectTarget::Fd(n) => Arg::lit(n.to_string()),
                        ast::IoFileRedirectTarget::ProcessSubstitution(_, sub) => {
                            self.process_substitution(sub, scope);
                            Arg {
                                text: "/dev/fd/63".to_string(),
                                dynamic: true,
                            }
                        }
                    };
                    // `>& FILE` (csh style) writes stdout and stderr to FILE: not a duplicate.
                    let is_fd =
                        |t: &str| t == "-" || t.trim_end_matches('-').parse::<u32>().is_ok();
                    let kind = match kind {
                        RedirectKind::Duplicate
                            if matches!(
                                r,
                                ast::IoRedirect::File(
                                    _,
                                    ast::IoFileRedirectKind::DuplicateOutput,
                                    _
                                )
                            ) && !target.dynamic
                                && !is_fd(&target.text) =>
                        {
                            RedirectKind::Write
                        }
                        other => other,
                    };
                    let readable = kind == RedirectKind::Read && !target.dynamic;
                    if let Some(text) = readable
                        .then(|| self.read_file(&target.text, &scope.workdir))
                        .flatten()
                    {
                        payloads.push(Payload {
                            source: PayloadSource::File(PathBuf::from(&target.text)),
                            text,
                        });
                    }
                    // `>&2` duplicates onto stdout: fd 1, never stdin.
                    let output_dup = matches!(
                        r,
                        ast::IoRedirect::File(_, ast::IoFileRedirectKind::DuplicateOutput, _)
                    );
                    out.push(Redirect {
                        fd: fd.map(|n| n as u32).or(output_dup.then_some(1)),
                        kind,
                        target,
                    });
                }
                ast::IoRedirect::HereDocument(_, doc) => {
                    let text = words::expand_heredoc(
                        &doc.doc.value,
                        doc.requires_expansion,
                        &self.lookup(scope),
                        &mut subs,
                    );
                    payloads.push(Payload {
                        source: PayloadSource::Stdin,
                        text,
                    });
                }
                ast::IoRedirect::HereString(_, w) => {
                    let (mut text, _) =
                        words::expand_joined(&w.value, &self.lookup(scope), &mut subs);
                    text.push('\n');
                    payloads.push(Payload {
                        source: PayloadSource::Stdin,
                        text,
                    });
                }
                ast::IoRedirect::OutputAndError(w, append) => {
                    let (text, dynamic) =
                        words::expand_joined(&w.value, &self.lookup(scope), &mut subs);
                    let kind = if *append {
                        RedirectKind::Append
                    } else {
                        RedirectKind::Write
                    };
                    out.push(Redirect {
                        fd: None,
                        kind,
                        target: Arg { text, dynamic },
                    });
                }
            }
            self.substitutions(subs, scope);
        }
    }

    fn process_substitution(&mut self, sub: &ast::SubshellCommand, scope: &Scope) {
        let mut inner = scope.clone();
        inner.origin.push("<(...)".to_string());
        inner.depth += 1;
        self.compound_list(&sub.list, &mut inner);
    }

    fn simple(
        &mut self,
        simple: &ast::SimpleCommand,
        scope: &mut Scope,
        stdin: Option<Produced>,
    ) -> Produced {
        let mut parts = Parts::default();
        for item in simple.prefix.iter().flat_map(|p| p.0.iter()) {
            self.simple_item(item, true, scope, &mut parts);
        }
        if let Some(w) = &simple.word_or_name {
            self.expand_into(&w.value, scope, &mut parts);
        }
        for item in simple.suffix.iter().flat_map(|s| s.0.iter()) {
            self.simple_item(item, false, scope, &mut parts);
        }
        let Parts {
            assignments,
            mut fields,
            redirects,
            payloads,
            subs,
        } = parts;
        self.substitutions(subs, scope);

        if fields.is_empty() {
            // Assignments only: they change the shell's variables for what follows.
            for (name, value) in assignments {
                scope.vars.line.insert(name, value);
            }
            if redirects.is_empty() {
                return Produced::NOTHING;
            }
            // `> file` alone: bash performs the redirections for a null command, like `: > file`.
            fields.push(Arg::lit(":"));
            return self.bare_redirect(fields, redirects, scope);
        }

        let program_word = fields.remove(0);
        if program_word.dynamic {
            let raw = simple
                .word_or_name
                .as_ref()
                .map(|w| w.value.as_str())
                .unwrap_or("");
            self.opaque(
                scope,
                "the program name is only known at run time",
                &format!("{raw} {}", join_args(&fields)),
            );
            return Produced::NOTHING;
        }

        let mut cmd = Command::new(program_word.text, fields);
        cmd.assignments = assignments
            .into_iter()
            .map(|(n, v)| (n, v.unwrap_or_default()))
            .collect();
        cmd.redirects = redirects;
        cmd.origin = scope.origin.clone();
        cmd.workdir = scope.workdir.clone();
        if let Some(prev) = stdin {
            cmd.piped_from = prev.program;
            if let Some(text) = prev.stdout {
                cmd.payloads.push(Payload {
                    source: PayloadSource::Stdin,
                    text,
                });
            }
        }
        cmd.payloads.extend(payloads);
        self.run_command(cmd, scope)
    }

    fn expand_into(&mut self, raw: &str, scope: &Scope, parts: &mut Parts) {
        let mut ex = Expanded::default();
        words::expand(raw, &self.lookup(scope), &mut ex);
        parts.fields.extend(ex.fields);
        parts.subs.extend(ex.substitutions);
    }

    fn simple_item(
        &mut self,
        item: &ast::CommandPrefixOrSuffixItem,
        in_prefix: bool,
        scope: &mut Scope,
        parts: &mut Parts,
    ) {
        use ast::CommandPrefixOrSuffixItem as I;
        match item {
            I::IoRedirect(r) => self.redirects(
                std::slice::from_ref(r),
                scope,
                &mut parts.redirects,
                &mut parts.payloads,
            ),
            I::Word(w) => self.expand_into(&w.value, scope, parts),
            I::AssignmentWord(assignment, _) if in_prefix => {
                let value = self.assignment_value(assignment, scope, &mut parts.subs);
                parts.assignments.push((assignment_name(assignment), value));
            }
            // `export X=~/a`, `declare X=1`: one word for the command, the value expanded
            // like an assignment (tilde after `=`, no field splitting).
            I::AssignmentWord(assignment, _) => {
                let (name, append) = (assignment_name(assignment), assignment.append);
                let value = self.assignment_value(assignment, scope, &mut parts.subs);
                let op = if append { "+=" } else { "=" };
                parts.fields.push(Arg {
                    text: format!("{name}{op}{}", value.as_deref().unwrap_or("")),
                    dynamic: value.is_none(),
                });
            }
            I::ProcessSubstitution(_, sub) => {
                self.process_substitution(sub, scope);
                parts.fields.push(Arg {
                    text: "/dev/fd/63".to_string(),
                    dynamic: true,
                });
            }
        }
    }

    fn bare_redirect(
        &mut self,
        fields: Vec<Arg>,
        redirects: Vec<Redirect>,
        scope: &mut Scope,
    ) -> Produced {
        let mut cmd = Command::new(":", fields.into_iter().skip(1).collect());
        cmd.redirects = redirects;
        cmd.origin = scope.origin.clone();
        cmd.workdir = scope.workdir.clone();
        self.run_command(cmd, scope)
    }

    fn assignment_value(
        &mut self,
        a: &ast::Assignment,
        scope: &Scope,
        subs: &mut Vec<String>,
    ) -> Option<String> {
        match &a.value {
            ast::AssignmentValue::Scalar(w) => {
                let (text, dynamic) = words::expand_joined(&w.value, &self.lookup(scope), subs);
                (!dynamic).then_some(text)
            }
            ast::AssignmentValue::Array(items) => {
                for (k, v) in items {
                    if let Some(k) = k {
                        words::substitutions_in(&k.value, subs);
                    }
                    let _ = words::expand_joined(&v.value, &self.lookup(scope), subs);
                }
                None
            }
        }
    }

    /// Record a command, apply what it changes in the shell, and follow what it runs in turn.
    fn run_command(&mut self, mut cmd: Command, scope: &mut Scope) -> Produced {
        self.commands_seen += 1;
        if self.commands_seen > MAX_COMMANDS {
            if self.commands_seen == MAX_COMMANDS + 1 {
                self.opaque(
                    scope,
                    "the line runs more commands than shellgate analyses",
                    &cmd.display(),
                );
            }
            return Produced::NOTHING;
        }
        self.builtin_effects(&cmd, scope);
        let extra = inline::payloads(&cmd, self.ctx);
        cmd.payloads.extend(extra);
        let stdout = static_stdout(&cmd, self);
        let program = Some(cmd.program.clone());
        self.written_files(&cmd, stdout.as_deref(), scope);

        let mut inner = wrappers::unwrap(&cmd, self.ctx);
        if let Some(more) = interpreters::unwrap(&cmd, self.ctx) {
            inner.extend(more);
        }
        let origin = cmd.origin.clone();
        let workdir = cmd.workdir.clone();
        let function = scope.functions.get(&cmd.program).cloned();
        let name = cmd.program.clone();
        let args = cmd.args.clone();
        self.out.commands.push(cmd);

        let seen = args.is_empty() && self.line_functions.contains(&name);
        if let Some(body) = function.filter(|_| !scope.calling.contains(&name) && !seen) {
            let mut call = scope.clone();
            call.calling.push(name.clone());
            call.origin.push(format!("{name}()"));
            call.depth += 1;
            call.positional = std::iter::once(Arg::lit(name)).chain(args).collect();
            if call.depth <= MAX_DEPTH {
                self.compound(&body.0, &mut call);
            }
        }

        for item in inner {
            let mut sub = scope.clone();
            sub.depth += 1;
            match item {
                wrappers::Inner::Argv {
                    label,
                    words,
                    stdin,
                } => {
                    if sub.depth > MAX_DEPTH {
                        self.opaque(
                            &sub,
                            "commands nested too deeply to follow",
                            &join_args(&words),
                        );
                        continue;
                    }
                    let mut words = words.into_iter();
                    let Some(first) = words.next() else { continue };
                    sub.origin.push(label);
                    if first.dynamic {
                        self.opaque(
                            &sub,
                            "the program name is only known at run time",
                            &first.text,
                        );
                        continue;
                    }
                    let mut next = Command::new(first.text, words.collect());
                    next.origin = origin.clone();
                    next.origin
                        .push(sub.origin.last().cloned().unwrap_or_default());
                    next.workdir = workdir.clone();
                    if let Some(text) = stdin {
                        next.payloads.push(Payload {
                            source: PayloadSource::Stdin,
                            text,
                        });
                    }
                    self.run_command(next, &mut sub);
                }
                wrappers::Inner::Shell { label, source } => {
                    sub.origin.push(label);
                    // Functions defined by `source FILE` or `eval` are called later on the line.
                    // Kept for `bash -c` too: a call then analyses a body that would not run,
                    // which can only ask more, never less.
                    let defined = self.source(&source, sub);
                    scope.functions.extend(defined);
                }
                wrappers::Inner::Opaque { label, reason } => {
                    sub.origin.push(label);
                    self.opaque(&sub, reason, &join_args(&[]));
                }
            }
        }
        Produced { program, stdout }
    }

    /// Scripts this line wrote earlier and `cmd` now runs are analysed from the text written (or
    /// are opaque when it is not known); then what `cmd` itself writes is recorded.
    fn written_files(&mut self, cmd: &Command, stdout: Option<&str>, scope: &Scope) {
        if !self.written.is_empty() {
            let runs = written::runs(cmd, self.ctx, |p| self.written.contains_key(p));
            for run in runs {
                let (path, text, shell) = match run {
                    Runs::Shell(path) => {
                        let text = self.written.get(&path).cloned().flatten();
                        (path, text, true)
                    }
                    Runs::Other(path) => (path, None, false),
                };
                let shown = path.display().to_string();
                match text {
                    Some(text) if shell => {
                        let mut sub = scope.clone();
                        sub.depth += 1;
                        sub.origin.push(format!("{shown} (written on this line)"));
                        self.source(&text, sub);
                    }
                    _ => self.opaque(
                        scope,
                        "it runs a file written earlier on the line, whose contents are only known at run time",
                        &shown,
                    ),
                }
            }
        }
        let known = |p: &Path| self.written.get(p).cloned().flatten();
        let now = written::written_by(cmd, self.ctx, stdout, known);
        for (path, text) in now {
            self.written.insert(path, text);
        }
    }

    /// Builtins that change what later commands on the line see: `cd`, `export`, `unset`.
    fn builtin_effects(&mut self, cmd: &Command, scope: &mut Scope) {
        match cmd.program.as_str() {
            "cd" | "pushd" => {
                let target = cmd
                    .args
                    .iter()
                    .find(|a| !a.text.starts_with('-') || a.text == "-");
                scope.workdir = match target {
                    None => WorkDir::At(PathBuf::from(&self.ctx.home)),
                    Some(a) if a.dynamic || a.text == "-" => WorkDir::Unknown,
                    Some(a) => match &scope.workdir {
                        WorkDir::Unknown if !a.text.starts_with('/') => WorkDir::Unknown,
                        current => {
                            WorkDir::At(normalize(&join_dir(current, &self.ctx.cwd, &a.text)))
                        }
                    },
                };
            }
            "export" | "declare" | "typeset" | "local" | "readonly" => {
                // `declare -n r=x` makes `$r` read `$x` whenever it is expanded: its value
                // is not the text after `=`, so it is unknown.
                let nameref = cmd.program != "export"
                    && cmd.args.iter().any(|a| {
                        a.text.len() > 1
                            && a.text.starts_with('-')
                            && !a.text.starts_with("--")
                            && a.text.contains('n')
                    });
                for a in &cmd.args {
                    if nameref && !a.text.starts_with('-') {
                        let name = a.text.split_once('=').map_or(a.text.as_str(), |(n, _)| n);
                        scope.vars.line.insert(name.to_string(), None);
                        continue;
                    }
                    if let Some((name, value)) = a.text.split_once('=') {
                        let value = (!a.dynamic).then(|| value.to_string());
                        scope
                            .vars
                            .line
                            .insert(name.trim_end_matches('+').to_string(), value);
                    }
                }
            }
            "unset" => {
                for a in cmd.args.iter().filter(|a| !a.text.starts_with('-')) {
                    scope.vars.line.insert(a.text.clone(), Some(String::new()));
                }
            }
            "set" => {
                if let Some(pos) = cmd.args.iter().position(|a| a.text == "--") {
                    let mut positional =
                        vec![scope.positional.first().cloned().unwrap_or(Arg::lit(""))];
                    positional.extend(cmd.args[pos + 1..].iter().cloned());
                    scope.positional = positional;
                }
            }
            _ => {}
        }
    }

    fn read_file(&self, path: &str, workdir: &WorkDir) -> Option<String> {
        if !self.ctx.read_files {
            return None;
        }
        let full = match workdir {
            WorkDir::Unknown if !path.starts_with('/') => return None,
            w => join_dir(w, &self.ctx.cwd, path),
        };
        let meta = std::fs::metadata(&full).ok()?;
        if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
            return None;
        }
        std::fs::read(&full)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }
}

/// The pieces of a simple command while it is being expanded.
#[derive(Default)]
struct Parts {
    assignments: Vec<(String, Option<String>)>,
    fields: Vec<Arg>,
    redirects: Vec<Redirect>,
    payloads: Vec<Payload>,
    subs: Vec<String>,
}

fn assignment_name(a: &ast::Assignment) -> String {
    match &a.name {
        ast::AssignmentName::VariableName(n) => n.clone(),
        ast::AssignmentName::ArrayElementName(n, _) => n.clone(),
    }
}

fn join_args(args: &[Arg]) -> String {
    args.iter()
        .map(|a| a.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What `echo`, `printf` and `cat` write, when it is known without running them.
fn static_stdout(cmd: &Command, walker: &Walker) -> Option<String> {
    if cmd.args.iter().any(|a| a.dynamic) {
        return None;
    }
    match cmd.program.as_str() {
        "echo" => {
            let mut args = cmd.args.iter().map(|a| a.text.as_str()).peekable();
            let mut newline = true;
            let mut escapes = false;
            while let Some(flag) = args.peek() {
                match *flag {
                    "-n" => newline = false,
                    "-e" => escapes = true,
                    "-E" | "-ne" | "-en" => escapes |= flag.contains('e') && *flag != "-E",
                    _ => break,
                }
                args.next();
            }
            let mut text = args.collect::<Vec<_>>().join(" ");
            if escapes {
                text = words::ansi_c(&text);
            }
            if newline {
                text.push('\n');
            }
            Some(text)
        }
        "printf" => {
            let mut args = cmd.args.iter().map(|a| a.text.as_str());
            let mut format = args.next()?;
            if format == "--" {
                format = args.next()?;
            }
            let mut rest: Vec<&str> = args.collect();
            let format = words::ansi_c(format);
            let mut out = String::new();
            loop {
                let mut used = 0;
                let mut chars = format.chars().peekable();
                while let Some(c) = chars.next() {
                    if c == '%' {
                        match chars.next() {
                            Some('%') => out.push('%'),
                            Some(_) => {
                                out.push_str(rest.get(used).copied().unwrap_or(""));
                                used += 1;
                            }
                            None => out.push('%'),
                        }
                    } else {
                        out.push(c);
                    }
                }
                if used == 0 || used >= rest.len() {
                    break;
                }
                rest.drain(..used);
            }
            Some(out)
        }
        "cat" => {
            let files: Vec<&Arg> = cmd
                .args
                .iter()
                .filter(|a| !a.text.starts_with('-'))
                .collect();
            if files.is_empty() {
                return cmd
                    .payloads
                    .iter()
                    .find(|p| p.source == PayloadSource::Stdin)
                    .map(|p| p.text.clone());
            }
            let mut out = String::new();
            for f in files {
                out.push_str(&walker.read_file(&f.text, &cmd.workdir)?);
            }
            Some(out)
        }
        _ => None,
    }
}

/// `dir` joined onto the directory a command runs in.
fn join_dir(workdir: &WorkDir, start: &Path, dir: &str) -> PathBuf {
    let base = match workdir {
        WorkDir::At(p) => p.as_path(),
        _ => start,
    };
    base.join(dir)
}

/// Resolve `.` and `..` without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::from("/");
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::Normal(p) => out.push(p),
            _ => {}
        }
    }
    out
}

fn extended_test_subs(expr: &ast::ExtendedTestExpr, subs: &mut Vec<String>) {
    use ast::ExtendedTestExpr as E;
    match expr {
        E::And(a, b) | E::Or(a, b) => {
            extended_test_subs(a, subs);
            extended_test_subs(b, subs);
        }
        E::Not(a) | E::Parenthesized(a) => extended_test_subs(a, subs),
        E::UnaryTest(_, w) => words::substitutions_in(&w.value, subs),
        E::BinaryTest(_, a, b) => {
            words::substitutions_in(&a.value, subs);
            words::substitutions_in(&b.value, subs);
        }
    }
}
