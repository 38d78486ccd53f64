//! A command's arguments split the way rules see them: flags, option values and operands.
//!
//! Operands are the words after the program that are not flags, skipping the value of each of
//! the program's `value_options` (`-n ns`; `--namespace=ns` is one word). Everything after `--`
//! is an operand, and flags after `--` do not count.

use crate::analyze::{Arg, Command};

/// The arguments of one command, classified once and shared by every rule that looks at it.
pub struct Words<'a> {
    pub cmd: &'a Command,
    /// Options of this program that take the next word as their value.
    pub value_options: Vec<&'a str>,
    /// Flag words before `--`.
    pub flags: Vec<&'a str>,
    /// Arguments before `--`, in order (for `option:`).
    pub before_dashdash: &'a [Arg],
    pub operands: Vec<&'a Arg>,
    /// The statements of every payload, split on first use (see [`super::payload`]).
    statements: std::cell::OnceCell<Vec<String>>,
}

impl<'a> Words<'a> {
    pub fn new(cmd: &'a Command, value_options: Vec<&'a str>) -> Words<'a> {
        let mut flags = Vec::new();
        let mut operands = Vec::new();
        let mut end = cmd.args.len();
        let mut i = 0;
        while i < cmd.args.len() {
            let text = cmd.args[i].text.as_str();
            if text == "--" {
                end = i;
                operands.extend(cmd.args[i + 1..].iter());
                break;
            }
            if is_flag_word(text) {
                flags.push(text);
                if value_options.contains(&text) {
                    i += 1;
                }
            } else {
                operands.push(&cmd.args[i]);
            }
            i += 1;
        }
        Words {
            cmd,
            value_options,
            flags,
            before_dashdash: &cmd.args[..end],
            operands,
            statements: std::cell::OnceCell::new(),
        }
    }

    /// The statements of all of the command's payloads.
    pub fn statements(&self) -> &[String] {
        self.statements.get_or_init(|| {
            self.cmd
                .payloads
                .iter()
                .flat_map(|p| super::payload::statements(&p.text))
                .collect()
        })
    }

    /// Whether a flag of this spelling is present (see [`flag_matches`]).
    pub fn has_flag(&self, spelling: &str) -> bool {
        self.flags
            .iter()
            .any(|w| flag_matches(spelling, w, &self.value_options))
    }

    /// The values given to any of the options `names` (`-X V`, `-XV`, `--request=V`, `--request V`).
    pub fn option_values(&self, names: &[String]) -> Vec<&'a str> {
        let args = self.before_dashdash;
        let mut out = Vec::new();
        for (i, arg) in args.iter().enumerate() {
            let word = arg.text.as_str();
            if !is_flag_word(word) {
                continue;
            }
            let next = args.get(i + 1).map(|a| a.text.as_str());
            for name in names {
                if word == name {
                    out.extend(next);
                } else if let Some(value) = word
                    .strip_prefix(name.as_str())
                    .and_then(|r| r.strip_prefix('='))
                {
                    out.push(value);
                } else if let Some(letter) = short_letter(name) {
                    // A one-letter option inside a cluster: `-XDELETE`, `-sX DELETE`.
                    if let Some(cluster) = word.strip_prefix('-').filter(|c| !c.starts_with('-'))
                        && let Some(at) = cluster.find(letter)
                    {
                        let rest = &cluster[at + letter.len_utf8()..];
                        if rest.is_empty() {
                            out.extend(next);
                        } else {
                            out.push(rest);
                        }
                    }
                }
            }
        }
        out
    }
}

/// A word that is a flag: starts with `-` and is more than `-` alone.
pub fn is_flag_word(word: &str) -> bool {
    word.len() > 1 && word.starts_with('-')
}

fn short_letter(name: &str) -> Option<char> {
    let rest = name.strip_prefix('-')?;
    let mut chars = rest.chars();
    let c = chars.next()?;
    (chars.next().is_none() && c != '-').then_some(c)
}

/// Whether flag word `word` (from a command line) is spelled `spelling` (from a rule):
/// `-f` matches any single-dash cluster containing `f` (`-rf`, `-xvf`) up to a letter that
/// takes a value (`-C` in `-Cdir`); `-delete` matches `-delete` and `-delete=...`; `--force`
/// matches `--force` and `--force=...`.
pub fn flag_matches(spelling: &str, word: &str, value_options: &[&str]) -> bool {
    if let Some(letter) = short_letter(spelling) {
        let Some(cluster) = word.strip_prefix('-').filter(|c| !c.starts_with('-')) else {
            return false;
        };
        for c in cluster.chars() {
            if c == letter {
                return true;
            }
            let mut buf = [0u8; 5];
            buf[0] = b'-';
            let len = 1 + c.encode_utf8(&mut buf[1..]).len();
            let as_option = std::str::from_utf8(&buf[..len]).unwrap_or_default();
            if value_options.contains(&as_option) {
                return false;
            }
        }
        false
    } else {
        word == spelling
            || word
                .strip_prefix(spelling)
                .is_some_and(|r| r.starts_with('='))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(words: &[&str]) -> Command {
        Command::new(words[0], words[1..].iter().map(|w| Arg::lit(*w)).collect())
    }

    fn operands<'a>(w: &'a Words) -> Vec<&'a str> {
        w.operands.iter().map(|a| a.text.as_str()).collect()
    }

    #[test]
    fn operands_skip_flags_and_option_values() {
        let c = cmd(&[
            "kubectl",
            "-n",
            "prod",
            "delete",
            "--context=x",
            "ns",
            "-o",
            "y",
        ]);
        let w = Words::new(&c, vec!["-n", "--namespace"]);
        assert_eq!(
            operands(&w),
            ["delete", "ns", "y"],
            "-o is not a value option here"
        );
        let c = cmd(&["kubectl", "--namespace=prod", "delete", "ns"]);
        assert_eq!(
            operands(&Words::new(&c, vec!["--namespace"])),
            ["delete", "ns"]
        );
    }

    #[test]
    fn everything_after_dashdash_is_an_operand() {
        let c = cmd(&["rm", "-f", "--", "-rf", "x"]);
        let w = Words::new(&c, vec![]);
        assert_eq!(operands(&w), ["-rf", "x"]);
        assert!(
            w.has_flag("-f") && !w.has_flag("-r"),
            "flags after -- do not count"
        );
    }

    #[test]
    fn short_flags_match_inside_clusters() {
        for word in ["-f", "-rf", "-fr", "-xvf"] {
            assert!(flag_matches("-f", word, &[]), "{word}");
        }
        for word in ["--f", "--force", "-r", "f"] {
            assert!(!flag_matches("-f", word, &[]), "{word}");
        }
        assert!(
            !flag_matches("-f", "-Cf", &["-C"]),
            "`f` is the value of -C"
        );
        assert!(flag_matches("-f", "-fC", &["-C"]));
    }

    #[test]
    fn word_flags_match_exactly() {
        assert!(flag_matches("-delete", "-delete", &[]));
        assert!(flag_matches("-delete", "-delete=x", &[]));
        assert!(!flag_matches("-delete", "-deleted", &[]));
        assert!(flag_matches("--force", "--force", &[]));
        assert!(flag_matches("--force", "--force=true", &[]));
        assert!(!flag_matches("--force", "--force-with-lease", &[]));
        assert!(!flag_matches("--force", "-force", &[]));
    }

    #[test]
    fn option_values_in_every_spelling() {
        let names = vec!["-X".to_string(), "--request".to_string()];
        for words in [
            &["curl", "-X", "DELETE", "u"][..],
            &["curl", "-XDELETE", "u"],
            &["curl", "-sX", "DELETE", "u"],
            &["curl", "--request=DELETE", "u"],
            &["curl", "--request", "DELETE", "u"],
        ] {
            let c = cmd(words);
            assert_eq!(
                Words::new(&c, vec![]).option_values(&names),
                ["DELETE"],
                "{words:?}"
            );
        }
        let c = cmd(&["curl", "u", "--", "-X", "DELETE"]);
        assert!(Words::new(&c, vec![]).option_values(&names).is_empty());
        let c = cmd(&["curl", "--requests", "DELETE"]);
        assert!(Words::new(&c, vec![]).option_values(&names).is_empty());
    }
}
