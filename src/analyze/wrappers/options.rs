//! The options and words of wrapper command lines: getopt-style option parsing driven by a table
//! of which options take a value, and `env -S`-style splitting of a string into words.

use super::super::command::Arg;

/// Which options of a wrapper take a value: one-letter ones (`-u root`, `-uroot`) and long ones
/// (`--user root`, `--user=root`; names without the dashes).
pub(super) struct Spec {
    short_val: &'static str,
    long_val: &'static [&'static str],
}

impl Spec {
    pub(super) const NONE: Spec = Spec {
        short_val: "",
        long_val: &[],
    };

    pub(super) const fn new(short_val: &'static str, long_val: &'static [&'static str]) -> Self {
        Spec {
            short_val,
            long_val,
        }
    }
}

/// The options before a wrapper's first operand, as getopt with `+` (stop at the first operand) sees them.
pub(super) struct Opts<'a> {
    /// One-letter options given without a value (`-s` in `sudo -s`), in order.
    pub flags: Vec<char>,
    /// Long options given without a value (`--login`), names without the dashes.
    pub longs: Vec<&'a str>,
    /// Options given with a value: (`u` or `user`, the value).
    pub values: Vec<(String, Arg)>,
    /// The words after the options (and after a `--`).
    pub rest: &'a [Arg],
}

impl Opts<'_> {
    /// Whether the one-letter flag `short` or the long option `long` was given.
    pub fn has(&self, short: char, long: &str) -> bool {
        self.flags.contains(&short) || self.longs.contains(&long)
    }

    /// The last value given to option `short` or `long`.
    pub fn value(&self, short: &str, long: &str) -> Option<&Arg> {
        self.values
            .iter()
            .rev()
            .find(|(name, _)| name == short || name == long)
            .map(|(_, v)| v)
    }
}

/// Parse the options at the start of `args`.
pub(super) fn parse_opts<'a>(args: &'a [Arg], spec: &Spec) -> Opts<'a> {
    let mut opts = Opts {
        flags: Vec::new(),
        longs: Vec::new(),
        values: Vec::new(),
        rest: &[],
    };
    let mut i = 0;
    while i < args.len() {
        let word = args[i].text.as_str();
        if word == "--" {
            i += 1;
            break;
        }
        if let Some(long) = word.strip_prefix("--") {
            match long.split_once('=') {
                Some((name, value)) => opts
                    .values
                    .push((name.to_string(), with_text(&args[i], value))),
                None if spec.long_val.contains(&long) => {
                    if let Some(value) = args.get(i + 1) {
                        opts.values.push((long.to_string(), value.clone()));
                    }
                    i += 1;
                }
                None => opts.longs.push(long),
            }
            i += 1;
            continue;
        }
        if !word.starts_with('-') || word == "-" {
            break;
        }
        for (at, c) in word.char_indices().skip(1) {
            if spec.short_val.contains(c) {
                let attached = &word[at + c.len_utf8()..];
                if attached.is_empty() {
                    if let Some(value) = args.get(i + 1) {
                        opts.values.push((c.to_string(), value.clone()));
                    }
                    i += 1;
                } else {
                    opts.values
                        .push((c.to_string(), with_text(&args[i], attached)));
                }
                break;
            }
            opts.flags.push(c);
        }
        i += 1;
    }
    opts.rest = args.get(i..).unwrap_or(&[]);
    opts
}

/// Options anywhere among the operands, as GNU getopt permutes them (`su - bob -c CMD`):
/// the options, and the operands in order. A `--` ends the options.
pub(super) fn parse_opts_anywhere<'a>(args: &'a [Arg], spec: &Spec) -> (Opts<'a>, Vec<Arg>) {
    let mut all = Opts {
        flags: Vec::new(),
        longs: Vec::new(),
        values: Vec::new(),
        rest: &[],
    };
    let mut operands = Vec::new();
    let mut rest = args;
    loop {
        let opts = parse_opts(rest, spec);
        all.flags.extend(opts.flags);
        all.longs.extend(opts.longs);
        all.values.extend(opts.values);
        let consumed = rest.len() - opts.rest.len();
        if consumed > 0 && rest[consumed - 1].text == "--" {
            operands.extend(opts.rest.iter().cloned());
            break;
        }
        match opts.rest.split_first() {
            Some((first, more)) => {
                operands.push(first.clone());
                rest = more;
            }
            None => break,
        }
    }
    (all, operands)
}

/// A word with the text `text`, as dynamic as `from`.
pub(super) fn with_text(from: &Arg, text: &str) -> Arg {
    Arg {
        text: text.to_string(),
        dynamic: from.dynamic,
    }
}

/// Split a string into words the way `env -S` and git aliases do: blanks separate words;
/// single and double quotes and backslashes group them.
pub(super) fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"') | None, '\\') => {
                if let Some(next) = chars.next() {
                    word.push(next);
                }
                in_word = true;
            }
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lits;
    use super::*;

    #[test]
    fn options_stop_at_the_first_operand_and_take_values() {
        let args = lits(&[
            "-u",
            "root",
            "-Hn",
            "--user=bob",
            "--group",
            "g",
            "-gwheel",
            "rm",
            "-x",
        ]);
        let opts = parse_opts(&args, &Spec::new("ug", &["user", "group"]));
        assert_eq!(opts.flags, vec!['H', 'n']);
        assert_eq!(
            opts.value("u", "user").map(|a| a.text.as_str()),
            Some("bob")
        );
        assert_eq!(
            opts.value("g", "group").map(|a| a.text.as_str()),
            Some("wheel")
        );
        assert_eq!(opts.rest, lits(&["rm", "-x"]).as_slice());
        let args = lits(&["-s", "--", "-rm"]);
        assert_eq!(
            parse_opts(&args, &Spec::NONE).rest,
            lits(&["-rm"]).as_slice()
        );
        let args = lits(&["-", "bob", "-c", "id", "x", "--", "-l"]);
        let (opts, operands) = parse_opts_anywhere(&args, &Spec::new("c", &[]));
        assert_eq!(opts.value("c", "").map(|a| a.text.as_str()), Some("id"));
        assert_eq!(operands, lits(&["-", "bob", "x", "-l"]));
    }

    #[test]
    fn words_split_like_env_s() {
        assert_eq!(
            split_words(r#" rm  -rf 'a b' "c\"d" e\ f "#),
            vec!["rm", "-rf", "a b", "c\"d", "e f"]
        );
        assert_eq!(split_words("''"), vec![""]);
        assert!(split_words("   ").is_empty());
    }
}
