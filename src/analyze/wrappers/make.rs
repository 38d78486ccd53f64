//! `make [TARGET...]`, best effort: the recipe lines of the targets (and of their prerequisites)
//! in the Makefile, with the variables the Makefile sets expanded, each run as shell code.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::super::command::{Arg, Command, Context};
use super::files::{self, FileText};
use super::{Inner, opaque};

/// How many recipe lines one `make` may contribute, and how deep prerequisites and variables nest.
const MAX_LINES: usize = 500;
const MAX_DEPTH: usize = 16;

/// One rule of a Makefile: `targets: prerequisites` and its recipe lines.
#[derive(Debug, Default)]
struct Rule {
    targets: Vec<String>,
    prereqs: Vec<String>,
    recipe: Vec<String>,
}

/// The parts of a Makefile this module understands.
#[derive(Debug, Default)]
struct Makefile {
    rules: Vec<Rule>,
    vars: HashMap<String, String>,
    includes: bool,
}

/// What the command line of `make` asks for.
#[derive(Default)]
struct Request {
    dir: Option<PathBuf>,
    file: Option<String>,
    targets: Vec<String>,
    vars: HashMap<String, String>,
    dynamic: bool,
    /// `-n`, `-q`, `-t`: recipes are not run, except lines marked `+` or using `$(MAKE)`.
    dry_run: bool,
}

/// `make [-C dir] [-f file] [VAR=value...] [TARGET...]`.
pub fn make(cmd: &Command, ctx: &Context) -> Vec<Inner> {
    let request = parse_request(&cmd.args, ctx);
    let first = request.targets.first().cloned().unwrap_or_default();
    let label = if first.is_empty() {
        "make".to_string()
    } else {
        format!("make {first}")
    };
    if request.dynamic {
        return vec![opaque(
            &label,
            "its targets or Makefile are only known at run time",
        )];
    }
    // `make SHELL='rm -rf ~'` runs every recipe line as `$SHELL -c LINE`.
    if let Some(shell) = cmd.args.iter().find_map(|a| a.text.strip_prefix("SHELL=")) {
        let program = shell.rsplit('/').next().unwrap_or(shell);
        if !super::shells::is_shell(program) || shell.contains(char::is_whitespace) {
            return vec![opaque(
                &label,
                &format!("its recipes run through SHELL={shell}, not a shell"),
            )];
        }
    }
    let dir = request.dir.clone().unwrap_or_else(|| ctx.cwd.clone());
    let path = match &request.file {
        Some(file) => dir.join(file),
        None => ["GNUmakefile", "makefile", "Makefile"]
            .iter()
            .map(|name| dir.join(name))
            .find(|p| p.exists())
            .unwrap_or_else(|| dir.join("Makefile")),
    };
    let text = match files::read(ctx, &path) {
        FileText::Text(text) => text,
        FileText::Missing => return Vec::new(),
        FileText::Unreadable(why) => {
            return vec![opaque(&label, &format!("the Makefile was not read: {why}"))];
        }
    };
    let mut makefile = parse_makefile(&text, &ctx.env);
    makefile.vars.extend(request.vars.clone());
    makefile
        .vars
        .entry("CURDIR".into())
        .or_insert_with(|| dir.display().to_string());
    // Targets and prerequisites may be written with variables: `$(BUILD)/app: $(SRCS)`.
    let words = |list: &[String]| -> Vec<String> {
        let joined = expand(&list.join(" "), &makefile, "", &[], 0);
        joined.split_whitespace().map(str::to_string).collect()
    };
    let expanded: Vec<(Vec<String>, Vec<String>)> = makefile
        .rules
        .iter()
        .map(|r| (words(&r.targets), words(&r.prereqs)))
        .collect();
    for (rule, (targets, prereqs)) in makefile.rules.iter_mut().zip(expanded) {
        rule.targets = targets;
        rule.prereqs = prereqs;
    }
    let targets = if request.targets.is_empty() {
        match default_target(&makefile) {
            Some(target) => vec![target],
            None => return Vec::new(),
        }
    } else {
        request.targets.clone()
    };
    let mut walk = Walk {
        makefile: &makefile,
        seen: HashSet::new(),
        inner: Vec::new(),
        lines: 0,
        dry_run: request.dry_run,
    };
    for target in &targets {
        if !walk
            .makefile
            .rules
            .iter()
            .any(|r| r.targets.contains(target))
        {
            if makefile.includes {
                walk.inner.push(opaque(
                    &format!("make {target}"),
                    "the target is not in the Makefile (it may come from an included file)",
                ));
            }
            continue;
        }
        walk.target(target, 0);
    }
    if walk.lines >= MAX_LINES {
        walk.inner.push(opaque(
            &label,
            "the recipes are longer than shellgate reads",
        ));
    }
    walk.inner
}

/// Collecting the recipe lines of targets and their prerequisites.
struct Walk<'a> {
    makefile: &'a Makefile,
    seen: HashSet<String>,
    inner: Vec<Inner>,
    lines: usize,
    dry_run: bool,
}

impl Walk<'_> {
    fn target(&mut self, target: &str, depth: usize) {
        if depth > MAX_DEPTH || !self.seen.insert(target.to_string()) {
            return;
        }
        let rules: Vec<&Rule> = self
            .makefile
            .rules
            .iter()
            .filter(|r| r.targets.iter().any(|t| t == target))
            .collect();
        let prereqs: Vec<String> = rules
            .iter()
            .flat_map(|r| r.prereqs.iter().cloned())
            .collect();
        for prereq in &prereqs {
            self.target(prereq, depth + 1);
        }
        for rule in rules {
            for line in &rule.recipe {
                if self.lines >= MAX_LINES {
                    return;
                }
                let command = recipe_line(line);
                let prefix = &line[..line.len() - command.len()];
                let runs_anyway =
                    prefix.contains('+') || line.contains("$(MAKE)") || line.contains("${MAKE}");
                if self.dry_run && !runs_anyway {
                    continue;
                }
                self.lines += 1;
                let source = expand(&command, self.makefile, target, &rule.prereqs, 0);
                self.inner.push(Inner::Shell {
                    label: format!("make {target}"),
                    source,
                });
            }
        }
    }
}

/// Options, variables and targets of a make command line (options may come anywhere).
fn parse_request(args: &[Arg], ctx: &Context) -> Request {
    let mut request = Request::default();
    let mut i = 0;
    let mut only_targets = false;
    let numeric = |a: Option<&Arg>| {
        a.is_some_and(|a| !a.text.is_empty() && a.text.bytes().all(|b| b.is_ascii_digit()))
    };
    while i < args.len() {
        let arg = &args[i];
        let word = arg.text.as_str();
        let mut value: Option<(char, String)> = None;
        if only_targets || !word.starts_with('-') || word == "-" {
            request.dynamic |= arg.dynamic;
            match word.split_once('=') {
                Some((name, v)) if !only_targets && !name.is_empty() => {
                    request.vars.insert(
                        name.trim_end_matches([':', '+', '?']).to_string(),
                        v.to_string(),
                    );
                }
                _ => request.targets.push(word.to_string()),
            }
        } else if word == "--" {
            only_targets = true;
        } else if let Some(long) = word.strip_prefix("--") {
            let (name, attached) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let short = match name {
                "directory" => Some('C'),
                "file" | "makefile" => Some('f'),
                "include-dir" | "old-file" | "assume-old" | "what-if" | "new-file"
                | "assume-new" | "eval" => Some('I'),
                _ => None,
            };
            request.dry_run |= matches!(
                name,
                "dry-run" | "just-print" | "recon" | "question" | "touch"
            );
            if let Some(short) = short {
                let v = attached.or_else(|| {
                    i += 1;
                    args.get(i).map(|a| a.text.clone())
                });
                value = v.map(|v| (short, v));
            }
        } else {
            for (at, c) in word.char_indices().skip(1) {
                let attached = &word[at + c.len_utf8()..];
                match c {
                    'C' | 'f' | 'I' | 'o' | 'W' | 'E' => {
                        let v = if attached.is_empty() {
                            i += 1;
                            args.get(i).map(|a| a.text.clone())
                        } else {
                            Some(attached.to_string())
                        };
                        value = v.map(|v| (c, v));
                        break;
                    }
                    'n' | 'q' | 't' => request.dry_run = true,
                    'j' | 'l' | 'O' => {
                        if attached.is_empty() && c != 'O' && numeric(args.get(i + 1)) {
                            i += 1;
                        }
                        break;
                    }
                    _ => {}
                }
            }
        }
        match value {
            Some(('C', dir)) => {
                let base = request.dir.clone().unwrap_or_else(|| ctx.cwd.clone());
                request.dir = Some(base.join(dir));
            }
            Some(('f', file)) => request.file = Some(file),
            _ => {}
        }
        i += 1;
    }
    request
}

/// The first target that does not start with `.` and is not a pattern.
fn default_target(makefile: &Makefile) -> Option<String> {
    makefile
        .rules
        .iter()
        .filter_map(|r| r.targets.first())
        .find(|t| !t.starts_with('.') && !t.contains('%'))
        .cloned()
}

/// Rules, variables and whether the Makefile includes others. Variables start from the
/// environment, as in make.
fn parse_makefile(text: &str, env: &HashMap<String, String>) -> Makefile {
    let mut makefile = Makefile {
        vars: env.clone(),
        ..Makefile::default()
    };
    let mut lines = text.lines();
    let mut in_rule = false;
    let mut in_define = false;
    while let Some(line) = lines.next() {
        let mut line = line.to_string();
        while line.ends_with('\\') {
            match lines.next() {
                Some(next) if line.starts_with('\t') => {
                    line.push('\n');
                    line.push_str(next.strip_prefix('\t').unwrap_or(next));
                }
                Some(next) => {
                    line.pop();
                    line.push(' ');
                    line.push_str(next.trim_start());
                }
                None => break,
            }
        }
        if in_define {
            in_define = line.trim() != "endef";
            continue;
        }
        if let Some(recipe) = line.strip_prefix('\t') {
            if in_rule && let Some(rule) = makefile.rules.last_mut() {
                rule.recipe.push(recipe.to_string());
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let first_word = trimmed.split_whitespace().next().unwrap_or("");
        match first_word {
            "define" => {
                in_define = true;
                in_rule = false;
                continue;
            }
            "include" | "-include" | "sinclude" => {
                makefile.includes = true;
                in_rule = false;
                continue;
            }
            "ifeq" | "ifneq" | "ifdef" | "ifndef" | "else" | "endif" => continue,
            _ => {}
        }
        let statement = trimmed
            .strip_prefix("export ")
            .or(trimmed.strip_prefix("override "))
            .unwrap_or(trimmed);
        if let Some((name, op, value)) = assignment(statement) {
            let entry = makefile.vars.entry(name.to_string()).or_default();
            match op {
                "+=" if !entry.is_empty() => {
                    entry.push(' ');
                    entry.push_str(value);
                }
                "?=" if !entry.is_empty() => {}
                _ => *entry = value.to_string(),
            }
            in_rule = false;
            continue;
        }
        in_rule = false;
        let Some(colon) = trimmed.find(':') else {
            continue;
        };
        let targets = &trimmed[..colon];
        let after = trimmed[colon + 1..].trim_start_matches(':');
        let (prereqs, inline) = match after.split_once(';') {
            Some((p, r)) => (p, Some(r)),
            None => (after, None),
        };
        // Target-specific variables (`t: VAR = x`) are not rules with recipes.
        if assignment(prereqs.trim()).is_some() {
            continue;
        }
        let prereqs = prereqs
            .split('|')
            .flat_map(str::split_whitespace)
            .map(str::to_string)
            .collect();
        let mut rule = Rule {
            targets: targets.split_whitespace().map(str::to_string).collect(),
            prereqs,
            recipe: Vec::new(),
        };
        if let Some(recipe) = inline.filter(|r| !r.trim().is_empty()) {
            rule.recipe.push(recipe.to_string());
        }
        makefile.rules.push(rule);
        in_rule = true;
    }
    makefile
}

/// `NAME = value`, `NAME := value`, `NAME ?= value`, `NAME += value`, `NAME != value`.
fn assignment(statement: &str) -> Option<(&str, &str, &str)> {
    let eq = statement.find('=')?;
    let before = &statement[..eq];
    let (name, op) = ["::", ":", "+", "?", "!"]
        .iter()
        .find_map(|p| {
            before
                .strip_suffix(p)
                .map(|n| (n, &statement[eq - p.len()..=eq]))
        })
        .unwrap_or((before, "="));
    let name = name.trim();
    let valid = !name.is_empty() && !name.contains(char::is_whitespace) && !name.contains(':');
    valid.then(|| (name, op, statement[eq + 1..].trim()))
}

/// A recipe line as the shell gets it: without the prefixes `@` (silent), `-` (ignore errors), `+`.
fn recipe_line(line: &str) -> String {
    line.trim_start()
        .trim_start_matches(['@', '-', '+', ' ', '\t'])
        .to_string()
}

/// Expand make variables in a recipe line: `$$` → `$`, `$@`, `$<`, `$^`, `$(VAR)`, `${VAR}`,
/// `$(shell cmd)` → `$(cmd)`. Unknown variables and other functions expand to nothing.
fn expand(
    text: &str,
    makefile: &Makefile,
    target: &str,
    prereqs: &[String],
    depth: usize,
) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let Some(c) = rest.chars().next() else {
            out.push('$');
            break;
        };
        match c {
            '$' => out.push('$'),
            '@' => out.push_str(target),
            '<' => out.push_str(prereqs.first().map(String::as_str).unwrap_or("")),
            '^' | '+' | '?' => out.push_str(&prereqs.join(" ")),
            '(' | '{' => {
                let close = if c == '(' { ')' } else { '}' };
                let end = matching(rest, c, close).unwrap_or(rest.len());
                let inside = &rest[1..end.max(1)];
                out.push_str(&reference(inside, makefile, target, prereqs, depth));
                rest = &rest[(end + 1).min(rest.len())..];
                continue;
            }
            c => out.push_str(&variable(&c.to_string(), makefile, target, prereqs, depth)),
        }
        rest = &rest[c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The byte index of the bracket closing the one at the start of `text`.
fn matching(text: &str, open: char, close: char) -> Option<usize> {
    let mut level = 0;
    for (at, c) in text.char_indices() {
        if c == open {
            level += 1;
        } else if c == close {
            level -= 1;
            if level == 0 {
                return Some(at);
            }
        }
    }
    None
}

/// The expansion of `$(inside)`.
fn reference(
    inside: &str,
    makefile: &Makefile,
    target: &str,
    prereqs: &[String],
    depth: usize,
) -> String {
    if let Some(command) = inside.strip_prefix("shell ") {
        return format!(
            "$({})",
            expand(command, makefile, target, prereqs, depth + 1)
        );
    }
    if inside.contains(char::is_whitespace) || inside.contains(',') {
        return String::new();
    }
    let name = inside.split(':').next().unwrap_or(inside);
    variable(name, makefile, target, prereqs, depth)
}

fn variable(
    name: &str,
    makefile: &Makefile,
    target: &str,
    prereqs: &[String],
    depth: usize,
) -> String {
    if depth >= MAX_DEPTH {
        return String::new();
    }
    let value = match makefile.vars.get(name) {
        Some(value) => value.as_str(),
        None => match name {
            "RM" => "rm -f",
            "MAKE" => "make",
            "CC" => "cc",
            "CXX" => "g++",
            "SHELL" => "/bin/sh",
            _ => "",
        },
    };
    expand(value, makefile, target, prereqs, depth + 1)
}

#[cfg(test)]
mod tests {
    use super::super::super::command::Context;
    use super::super::test_support::*;
    use super::super::{Inner, opaque, unwrap};

    const MAKEFILE: &str = "\
BUILD := build
DEST ?= /srv/app
TARGETS = $(BUILD)/app

.PHONY: all clean deploy

all: $(TARGETS)

$(BUILD)/app: main.c
\t@mkdir -p $(BUILD)
\t$(CC) -o $@ $<

clean:
\t-$(RM) -r $(BUILD)
\t@echo cleaned $$HOME $(HOME)

deploy: clean
\trsync -a --delete $(BUILD)/ $(DEST) \\
\t  && echo ok
\t+ssh prod 'systemctl restart app'

define HELP
\trm -rf /
endef

quick: ; echo quick
";

    fn project() -> (tempfile::TempDir, Context) {
        project_with("Makefile", MAKEFILE)
    }

    #[test]
    fn recipes_of_targets_and_prerequisites() {
        let (dir, ctx) = project();
        let got = |words: &[&str]| unwrap(&cmd(words), &ctx);
        let clean = vec![
            sh("make clean", "rm -f -r build"),
            sh("make clean", "echo cleaned $HOME /home/user"),
        ];
        assert_eq!(got(&["make", "clean"]), clean);
        let mut deploy = clean.clone();
        deploy.push(sh(
            "make deploy",
            "rsync -a --delete build/ /srv/app \\\n  && echo ok",
        ));
        deploy.push(sh("make deploy", "ssh prod 'systemctl restart app'"));
        assert_eq!(got(&["make", "deploy"]), deploy);
        assert_eq!(
            got(&["make", "-j", "4", "DEST=/", "deploy"])[2],
            sh("make deploy", "rsync -a --delete build/ / \\\n  && echo ok")
        );
        assert_eq!(
            got(&["make", "quick"]),
            vec![sh("make quick", "echo quick")]
        );
        assert_eq!(
            got(&["make"]),
            vec![
                sh("make build/app", "mkdir -p build"),
                sh("make build/app", "cc -o build/app main.c")
            ]
        );
        assert_eq!(got(&["make", "nosuch"]), vec![]);
        assert_eq!(
            got(&["make", "-n", "deploy"]),
            vec![sh("make deploy", "ssh prod 'systemctl restart app'")]
        );
        assert_eq!(got(&["make", "--dry-run", "clean"]), vec![]);
        let parent = dir.path().parent().unwrap();
        let ctx_up = Context {
            cwd: parent.to_path_buf(),
            ..ctx.clone()
        };
        let name = dir.path().file_name().unwrap().to_str().unwrap();
        assert_eq!(unwrap(&cmd(&["make", "-C", name, "clean"]), &ctx_up), clean);
        assert_eq!(
            unwrap(&cmd(&["make", "--directory", name, "quick"]), &ctx_up),
            vec![sh("make quick", "echo quick")]
        );
    }

    #[test]
    fn other_makefiles_and_what_cannot_be_read() {
        let (dir, ctx) = project();
        std::fs::write(
            dir.path().join("other.mk"),
            "include common.mk\nx:\n\techo $(shell rm -rf /tmp/x)\n",
        )
        .unwrap();
        let got = |words: &[&str]| unwrap(&cmd(words), &ctx);
        assert_eq!(
            got(&["make", "-f", "other.mk", "x"]),
            vec![sh("make x", "echo $(rm -rf /tmp/x)")]
        );
        assert_eq!(
            got(&["make", "-f", "other.mk", "y"]),
            vec![opaque(
                "make y",
                "the target is not in the Makefile (it may come from an included file)"
            )]
        );
        assert_eq!(
            example(&["make", "deploy"]),
            vec![opaque(
                "make deploy",
                "the Makefile was not read: reading files is turned off"
            )]
        );
        let empty = tempfile::TempDir::new().unwrap();
        let ctx = Context {
            cwd: empty.path().to_path_buf(),
            ..ctx
        };
        assert_eq!(unwrap(&cmd(&["make"]), &ctx), Vec::<Inner>::new());
    }
}
