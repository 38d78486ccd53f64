//! A small option scanner shared by the client tables: splits a command's words into options
//! (with their values) and operands the way getopt-style and single-dash tools read them.

use crate::analyze::command::Arg;

/// How one tool reads its options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Spec {
    /// Options that take a value, spelled exactly and separated by spaces (`"-c --command -cmd"`).
    pub valued: &'static str,
    /// Options whose value can only be attached (`mysql -pSECRET`): they end a short cluster.
    pub attached: &'static str,
    /// `-abc` is a cluster of one-letter options and `-cVALUE` attaches a value (getopt).
    pub clusters: bool,
    /// Without clusters, a listed two-letter option may still carry an attached value (`-Q"..."`).
    pub attach_short: bool,
    /// The first operand ends the options (redis-cli): everything after it is an operand.
    pub options_first: bool,
}

/// One option or operand, in command-line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// An option as spelled (`-c`, `--command`), with its value when it takes one.
    Opt(String, Option<String>),
    Operand(String),
}

/// Split `args` into options and operands according to `spec`.
pub fn scan(args: &[Arg], spec: &Spec) -> Vec<Item> {
    let mut items = Vec::new();
    let mut i = 0;
    let mut operands_only = false;
    while i < args.len() {
        let word = args[i].text.as_str();
        let next = args.get(i + 1).map(|a| a.text.clone());
        i += 1;
        if operands_only || word == "-" || !word.starts_with('-') {
            items.push(Item::Operand(word.to_string()));
            operands_only |= spec.options_first;
            continue;
        }
        if word == "--" {
            operands_only = true;
            continue;
        }
        if has(spec.valued, word) {
            if next.is_some() {
                i += 1;
            }
            items.push(Item::Opt(word.to_string(), next));
            continue;
        }
        if let Some((name, value)) = word.split_once('=')
            && (name.starts_with("--") || has(spec.valued, name))
        {
            items.push(Item::Opt(name.to_string(), Some(value.to_string())));
            continue;
        }
        if word.starts_with("--") || !(spec.clusters || spec.attach_short) {
            items.push(Item::Opt(word.to_string(), None));
            continue;
        }
        if !spec.clusters {
            let name = &word[..word.char_indices().nth(2).map_or(word.len(), |(at, _)| at)];
            let known = has(spec.valued, name) || has(spec.attached, name);
            let value = known.then(|| word[name.len()..].to_string());
            items.push(Item::Opt(
                if known { name } else { word }.to_string(),
                value,
            ));
            continue;
        }
        for (at, c) in word.char_indices().skip(1) {
            let name = format!("-{c}");
            let rest = &word[at + c.len_utf8()..];
            if has(spec.valued, &name) {
                if rest.is_empty() {
                    if next.is_some() {
                        i += 1;
                    }
                    items.push(Item::Opt(name, next));
                } else {
                    items.push(Item::Opt(name, Some(rest.to_string())));
                }
                break;
            }
            if has(spec.attached, &name) {
                items.push(Item::Opt(name, Some(rest.to_string())));
                break;
            }
            items.push(Item::Opt(name, None));
        }
    }
    items
}

/// Whether the space-separated `list` names `word`.
pub fn has(list: &str, word: &str) -> bool {
    list.split_ascii_whitespace().any(|name| name == word)
}

/// The operands among `items`.
pub fn operands(items: &[Item]) -> Vec<&str> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Operand(word) => Some(word.as_str()),
            Item::Opt(..) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &[&str]) -> Vec<Arg> {
        line.iter().map(|w| Arg::lit(*w)).collect()
    }

    fn opt(name: &str, value: Option<&str>) -> Item {
        Item::Opt(name.into(), value.map(Into::into))
    }

    #[test]
    fn getopt_clusters_attach_values_and_end_at_attached_only_options() {
        let spec = Spec {
            valued: "-e -u --execute",
            attached: "-p",
            clusters: true,
            ..Spec::default()
        };
        let items = scan(
            &words(&["-uroot", "-psecret", "-ve", "SQL", "--execute=X", "db"]),
            &spec,
        );
        assert_eq!(
            items,
            vec![
                opt("-u", Some("root")),
                opt("-p", Some("secret")),
                opt("-v", None),
                opt("-e", Some("SQL")),
                opt("--execute", Some("X")),
                Item::Operand("db".into()),
            ]
        );
    }

    #[test]
    fn single_dash_long_options_and_options_first() {
        let spec = Spec {
            valued: "-cmd -n",
            options_first: true,
            ..Spec::default()
        };
        let items = scan(
            &words(&["-bail", "-cmd", "X", "-n", "0", "del", "-x"]),
            &spec,
        );
        assert_eq!(
            items,
            vec![
                opt("-bail", None),
                opt("-cmd", Some("X")),
                opt("-n", Some("0")),
                Item::Operand("del".into()),
                Item::Operand("-x".into()),
            ]
        );
    }

    #[test]
    fn attach_short_without_clusters_and_double_dash() {
        let spec = Spec {
            valued: "-Q",
            attach_short: true,
            ..Spec::default()
        };
        let items = scan(&words(&["-QSELECT 1", "-W", "--", "-Q"]), &spec);
        assert_eq!(
            items,
            vec![
                opt("-Q", Some("SELECT 1")),
                opt("-W", None),
                Item::Operand("-Q".into())
            ]
        );
    }
}
