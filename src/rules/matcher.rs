//! A rule's `match` condition compiled once (kinds resolved, regexes built on first use) and
//! evaluated against one analysed command. Every key of one condition object must hold.

use super::schema::{Condition, OneOrMany, PayloadCondition};
use super::target::{self, Kind};
use super::words::Words;
use crate::analyze::{Context, RedirectKind};
use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use std::sync::OnceLock;

/// A regex built the first time a command gets as far as it. Building one costs 10-100 µs and
/// most are never reached (`echo hi` meets the wildcard rules, whose regexes look at redirect
/// paths and assignments it does not have), and shellgate starts afresh for every line.
/// Every pattern was checked when its pack was (`validate::check_regex`: at build time for the
/// built-in packs, at load time for rule files), so building cannot fail here.
pub struct Regex {
    source: String,
    /// For texts up to [`SHORT_TEXT`] bytes (paths, arguments, values: nearly every match).
    short: OnceLock<meta::Regex>,
    /// For longer texts (SQL, request bodies, long arguments), with the lazy DFA.
    long: OnceLock<meta::Regex>,
}

/// Texts up to this long are matched without the lazy DFA, whose reverse automaton doubles the
/// cost of building a regex; the backtracker and PikeVM match a short text as fast.
const SHORT_TEXT: usize = 4096;

impl Regex {
    fn new(source: &str) -> Regex {
        Regex {
            source: source.to_string(),
            short: OnceLock::new(),
            long: OnceLock::new(),
        }
    }

    fn is_match(&self, text: &str) -> bool {
        let (slot, lazy_dfa) = if text.len() <= SHORT_TEXT {
            (&self.short, false)
        } else {
            (&self.long, true)
        };
        slot.get_or_init(|| {
            meta::Builder::new()
                .configure(build_config().hybrid(lazy_dfa))
                .build(&self.source)
                .unwrap_or_else(|e| {
                    panic!("regex `{}` was checked with its pack: {e}", self.source)
                })
        })
        .is_match(text)
    }
}

/// How a rule regex is built: the same engine and syntax as `regex::Regex::new` (what the pack
/// checks use), so it matches exactly the same texts, without what only pays off on long texts
/// searched many times: literal prefilters, the one-pass DFA and capture slots (rules only ask
/// whether a text matches). Every engine it picks from searches in linear time.
fn build_config() -> meta::Config {
    meta::Config::new()
        .which_captures(WhichCaptures::None)
        .auto_prefilter(false)
        .onepass(false)
}

impl std::fmt::Debug for Regex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.source)
    }
}

/// A compiled condition.
#[derive(Debug)]
pub struct Matcher {
    program: Option<Vec<String>>,
    /// One entry per level, each a list of alternatives.
    subcommand: Option<Vec<Vec<String>>>,
    flag: Option<Vec<String>>,
    no_flag: Option<Vec<String>>,
    option: Option<(Vec<String>, Option<Regex>)>,
    arg: Option<Regex>,
    target: Option<Vec<Kind>>,
    payload: Option<(Regex, Option<Regex>)>,
    redirect: Option<RedirectMatcher>,
    env: Option<(String, Option<Regex>)>,
    piped_from: Option<Vec<String>>,
    all: Vec<Matcher>,
    any: Option<Vec<Matcher>>,
    not: Option<Box<Matcher>>,
}

#[derive(Debug)]
struct RedirectMatcher {
    kinds: Option<Vec<RedirectKind>>,
    targets: Option<Vec<Kind>>,
    path: Option<Regex>,
}

/// Compile a condition; the error names the bad kind.
pub fn compile(cond: &Condition) -> Result<Matcher, String> {
    let list = |v: &Option<OneOrMany>| v.as_ref().map(|v| v.as_slice().to_vec());
    let kinds = |v: &Option<OneOrMany>| -> Result<Option<Vec<Kind>>, String> {
        v.as_ref()
            .map(|v| {
                v.as_slice()
                    .iter()
                    .map(|k| Kind::parse(k).ok_or_else(|| format!("unknown target kind `{k}`")))
                    .collect()
            })
            .transpose()
    };
    let redirect = match &cond.redirect {
        None => None,
        Some(r) => Some(RedirectMatcher {
            kinds: r
                .kind
                .as_ref()
                .map(|k| {
                    k.as_slice()
                        .iter()
                        .map(|k| redirect_kind(k))
                        .collect::<Result<_, _>>()
                })
                .transpose()?,
            targets: kinds(&r.target)?,
            path: regex(r.path.as_deref()),
        }),
    };
    Ok(Matcher {
        program: list(&cond.program),
        subcommand: cond.subcommand.as_ref().map(|levels| {
            levels
                .iter()
                .map(|l| l.split('|').map(|a| a.trim().to_string()).collect())
                .collect()
        }),
        flag: list(&cond.flag),
        no_flag: list(&cond.no_flag),
        option: cond
            .option
            .as_ref()
            .map(|o| (o.names.as_slice().to_vec(), regex(o.value.as_deref()))),
        arg: regex(cond.arg.as_deref()),
        target: kinds(&cond.target)?,
        payload: match &cond.payload {
            None => None,
            Some(PayloadCondition::Regex(re)) => Some((Regex::new(re), None)),
            Some(PayloadCondition::Filtered { matches, unless }) => {
                Some((Regex::new(matches), regex(unless.as_deref())))
            }
        },
        redirect,
        env: cond
            .env
            .as_ref()
            .map(|e| (e.name.clone(), regex(e.value.as_deref()))),
        piped_from: list(&cond.piped_from),
        all: cond
            .all
            .iter()
            .flatten()
            .map(compile)
            .collect::<Result<_, _>>()?,
        any: cond
            .any
            .as_ref()
            .map(|v| v.iter().map(compile).collect::<Result<_, _>>())
            .transpose()?,
        not: cond
            .not
            .as_ref()
            .map(|n| compile(n).map(Box::new))
            .transpose()?,
    })
}

/// Regexes are checked with their pack, not here (see [`Regex`]); they are built on first use.
fn regex(re: Option<&str>) -> Option<Regex> {
    re.map(Regex::new)
}

fn redirect_kind(name: &str) -> Result<RedirectKind, String> {
    Ok(match name {
        "read" => RedirectKind::Read,
        "write" => RedirectKind::Write,
        "append" => RedirectKind::Append,
        "clobber" => RedirectKind::Clobber,
        "readwrite" => RedirectKind::ReadWrite,
        _ => return Err(format!("unknown redirect kind `{name}`")),
    })
}

impl Matcher {
    /// Whether the command behind `words` satisfies this condition in `ctx`.
    pub fn matches(&self, words: &Words, ctx: &Context) -> bool {
        self.eval(words, ctx, 0)
    }

    /// `skip`: how many operands the nearest enclosing `subcommand` consumed, so nested `arg`
    /// and `target` keys look after it too.
    fn eval(&self, words: &Words, ctx: &Context, skip: usize) -> bool {
        let cmd = words.cmd;
        if let Some(programs) = &self.program
            && !programs.contains(&cmd.program)
        {
            return false;
        }
        let mut skip = skip;
        if let Some(levels) = &self.subcommand {
            if words.operands.len() < levels.len() {
                return false;
            }
            let all_levels = levels
                .iter()
                .zip(&words.operands)
                .all(|(alternatives, operand)| alternatives.contains(&operand.text));
            if !all_levels {
                return false;
            }
            skip = levels.len();
        }
        if let Some(flags) = &self.flag
            && !flags.iter().any(|f| words.has_flag(f))
        {
            return false;
        }
        if let Some(flags) = &self.no_flag
            && flags.iter().any(|f| words.has_flag(f))
        {
            return false;
        }
        if let Some((names, value)) = &self.option {
            let values = words.option_values(names);
            let ok = match value {
                Some(re) => values.iter().any(|v| re.is_match(v)),
                None => !values.is_empty(),
            };
            if !ok {
                return false;
            }
        }
        let operands = words.operands.get(skip..).unwrap_or_default();
        if let Some(re) = &self.arg
            && !operands.iter().any(|a| re.is_match(&a.text))
        {
            return false;
        }
        if let Some(kinds) = &self.target
            && !operands.iter().any(|a| {
                kinds
                    .iter()
                    .any(|k| target::is_kind(a, *k, ctx, &cmd.workdir))
            })
        {
            return false;
        }
        if let Some((re, unless)) = &self.payload {
            let hit = words
                .statements()
                .iter()
                .any(|s| re.is_match(s) && !unless.as_ref().is_some_and(|u| u.is_match(s)));
            if !hit {
                return false;
            }
        }
        if let Some(r) = &self.redirect {
            let hit = cmd.redirects.iter().any(|red| {
                red.kind != RedirectKind::Duplicate
                    && r.kinds.as_ref().is_none_or(|k| k.contains(&red.kind))
                    && r.targets.as_ref().is_none_or(|k| {
                        k.iter()
                            .any(|k| target::is_kind(&red.target, *k, ctx, &cmd.workdir))
                    })
                    && r.path
                        .as_ref()
                        .is_none_or(|re| re.is_match(&red.target.text))
            });
            if !hit {
                return false;
            }
        }
        if let Some((name, value)) = &self.env {
            let hit = cmd
                .assignments
                .iter()
                .any(|(n, v)| n == name && value.as_ref().is_none_or(|re| re.is_match(v)));
            if !hit {
                return false;
            }
        }
        if let Some(names) = &self.piped_from
            && !cmd.piped_from.as_ref().is_some_and(|p| names.contains(p))
        {
            return false;
        }
        if !self.all.iter().all(|m| m.eval(words, ctx, skip)) {
            return false;
        }
        if let Some(any) = &self.any
            && !any.iter().any(|m| m.eval(words, ctx, skip))
        {
            return false;
        }
        if let Some(not) = &self.not
            && not.eval(words, ctx, skip)
        {
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::{Regex, SHORT_TEXT};

    #[test]
    fn short_and_long_texts_match_alike() {
        let re = Regex::new(r"(?i)(^|\s)hello\s+world$");
        let padding = "x ".repeat(SHORT_TEXT);
        assert!(re.is_match("say Hello  world"));
        assert!(re.is_match(&format!("{padding}hello world")));
        assert!(!re.is_match("hello worlds"));
        assert!(!re.is_match(&format!("{padding}hello worlds")));
    }
}
