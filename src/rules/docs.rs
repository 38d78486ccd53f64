//! `docs/rules.md`, generated: the rule format (from the doc comments of `schema.rs`), the
//! matching semantics, and every built-in rule with its examples. A test fails when the
//! checked-in copy is stale; `shellgate rules docs > docs/rules.md` refreshes it.

use super::{PACKS, RuleSet, SCHEMA_FIELDS, SCHEMA_STRUCTS};
use std::fmt::Write as _;

/// The schema types in the order the reference presents them, with their YAML names.
const SECTIONS: &[(&str, &str)] = &[
    ("PackFile", "Pack file"),
    ("ProgramSpec", "`programs.<name>`"),
    ("RawRule", "Rule (`rules[]`)"),
    ("Examples", "`examples`"),
    (
        "Condition",
        "Condition (`match`, and inside `all`, `any`, `not`)",
    ),
    ("OptionCondition", "`option`"),
    ("RedirectCondition", "`redirect`"),
    ("EnvCondition", "`env`"),
];

/// How conditions match, in words. Keep in step with `words.rs`, `matcher.rs`, `target.rs`,
/// `payload.rs` (their unit tests check each sentence).
const SEMANTICS: &str = r#"## How conditions match

Rules match the commands the analysis finds in a line (after unwrapping `sudo`, `env`, `xargs`,
`bash -c`, `ssh`, ...), never the raw text. Every key of one condition object must hold.

- **program**: the command's basename (`/usr/bin/rm` → `rm`) equals one of the names.
- **operands**: the words after the program that are not flags (a flag is a word that starts
  with `-` and is longer than `-`). The word after one of the program's `value_options` is its
  value, not an operand (`kubectl -n prod delete ns` has operands `delete ns`); `--namespace=prod`
  is one word. Everything after `--` is an operand.
- **subcommand**: the first operands, one per level, in order; `|` separates alternatives
  (`[stack, rm|remove]`). Missing levels do not match.
- **arg** and **target** look at the operands after the subcommand levels (of the same
  condition, or of the nearest enclosing condition with a `subcommand`).
- **flag** / **no_flag**, by spelling:
  - `-f` (one letter or digit) matches any single-dash word containing that letter: `-f`, `-rf`,
    `-fr`, `-xvf`; never `--f...`. Scanning a cluster stops at a letter that is one of the
    program's `value_options` (in `git -Cf`, `f` is the value of `-C`).
  - `-delete` (one dash, several letters) matches exactly `-delete` or `-delete=...`.
  - `--force` matches `--force` and `--force=...`, not `--force-with-lease`.
  - Abbreviated long options (`--forc`, which git and GNU tools accept) are not matched
    implicitly: list them in the rule when the tool accepts them.
  - Flags after `--` do not count.
- **option**: `{names: [-X, --request], value: re}` matches `-X DELETE`, `-XDELETE`, `-sX DELETE`
  (one-letter names inside a cluster), `--request=DELETE` and `--request DELETE`, before `--`.
  Without `value`, the option only has to be present.
- **payload**: each payload text (SQL of `psql -c`, a here-document, a request body, ...) is split
  into statements on `;` outside single, double and back quotes; SQL comments (`-- ...` to the end
  of the line, `/* ... */`) are removed first. A JSON document (starts with `{` or `[`) or a GraphQL
  operation (starts with `query`, `mutation` or `subscription`) is also checked as one whole
  text. A plain regex matches when any statement matches; `{match: re, unless: re}` needs one
  statement that matches `match` and not `unless`. PostgreSQL `$$` quoting is not understood.
- **redirect**: some redirection (not `>&2`-style duplication) has one of the `kind`s (`read`
  `<`, `write` `>`, `append` `>>`, `clobber` `>|`, `readwrite` `<>`), a target of one of the
  `target` kinds, and a target text matching `path`; absent keys match anything.
- **env**: an assignment before the command (`RAILS_ENV=production rails db:drop`) has exactly
  this `name`, and its value matches `value` when given.
- **piped_from**: the program whose output is piped into this command (`curl` in `curl x | sh`)
  is one of the names.
- **all** / **any** / **not**: every nested condition holds / at least one does / it does not.

### Target kinds

Each operand is normalised first: `~` becomes the home directory, a relative path is joined to
the directory the command runs in (where a `cd` earlier on the line moved to, else the directory
the line starts in), `.` and `..` are resolved lexically (no file system access), and trailing
`/` and `/.` are dropped. An empty word is never a path. After a `cd` to a directory known only
at run time, `.` and `..` still count as `cwd`/`parent` and `*`, `../*` as `glob_all`; other
relative words match no path kind (`backup` and `dynamic` look at the word itself).

| kind | matches |
|---|---|
| `root` | `/` |
| `home` | the home directory itself |
| `cwd` | the directory the line starts in (the project), or any of its ancestors |
| `system` | `/etc` `/usr` `/bin` `/sbin` `/lib` `/lib32` `/lib64` `/boot` `/var` `/opt` `/srv` `/sys` `/proc` `/dev` `/root` `/home` themselves, and anything under `/etc` `/usr` `/boot` `/bin` `/sbin` `/lib` `/lib32` `/lib64` |
| `parent` | the word contains `..` and names the starting directory or one of its ancestors |
| `glob_all` | a last component of `*`, `**`, `.*`, `{*,.*}`, `.[!.]*` or `.??*` in root, home, the starting directory or an ancestor: `*`, `./*`, `~/*`, `/*`, `../*`, `"$DIR"/*` |
| `device` | a block device: `/dev/sd*` `/dev/nvme*` `/dev/vd*` `/dev/xvd*` `/dev/hd*` `/dev/mmcblk*` `/dev/disk*` `/dev/mapper/*` `/dev/md*` `/dev/loop*` `/dev/dm-*` |
| `backup` | a path component with a token (split on anything but letters and digits) `backup`, `backups`, `bak`, `bkp`, `bkup`, `dump`, `dumps`, `snapshot`, `snapshots`, or starting with `backup`/`snapshot`, or `bak` plus digits; a name ending `.sql.gz` `.sql.bz2` `.sql.xz` `.sql.zst` `.sql.zip` `.dump` `.bak` `.pgdump`; a `.sql` file with a date stamp (six digits in a row). `schema.sql` and `bakery` are not backups |
| `dynamic` | a word partly known only at run time whose known text is empty, `/`, or ends with `/` (`"$DIR"/` may be `/`) |
| `dangerous` | `root`, `home`, `cwd`, `system`, `parent` or `glob_all` |

Rule examples run in a fixed context: `HOME=/home/user`, working directory `/home/user/project`.
"#;

/// The whole of `docs/rules.md` for `set`.
pub fn render(set: &RuleSet) -> String {
    let mut out = String::new();
    out.push_str("# shellgate rules\n\n");
    out.push_str("<!-- Generated by `shellgate rules docs`; do not edit. -->\n\n");
    out.push_str(
        "Rules are data: YAML packs in `rules/`, checked and compiled into the binary at build \
         time. User rule files use the same format; `shellgate rules test FILE` runs their \
         examples.\n\n",
    );
    out.push_str("## Rule format\n\n");
    for (ty, title) in SECTIONS {
        let _ = writeln!(out, "### {title}\n");
        if let Some((_, doc)) = SCHEMA_STRUCTS.iter().find(|(name, _)| name == ty)
            && !doc.is_empty()
            && !doc.starts_with("See [")
        {
            let _ = writeln!(out, "{doc}\n");
        }
        out.push_str("| key | type | required | meaning |\n|---|---|---|---|\n");
        for (_, key, field_ty, required, doc) in SCHEMA_FIELDS.iter().filter(|f| f.0 == *ty) {
            let _ = writeln!(
                out,
                "| `{key}` | {} | {} | {} |",
                type_name(field_ty),
                if *required { "yes" } else { "no" },
                cell(doc)
            );
        }
        out.push('\n');
    }
    out.push_str(
        "`severity` is one of `low` (warns, runs), `medium` and `high` (ask a human), `critical` \
         (asks a human to type the target's name). A rule needs at least two `match` and two \
         `no_match` examples; ids are kebab-case and unique across packs; every regex must \
         compile (Rust `regex` syntax).\n\n",
    );
    out.push_str(SEMANTICS);
    out.push_str("\n## Built-in rules\n\n");
    let rules = set.all_rules();
    for (pack, description) in PACKS {
        let in_pack: Vec<_> = rules.iter().filter(|r| r.pack == *pack).collect();
        let _ = writeln!(out, "### Pack `{pack}` ({} rules)\n", in_pack.len());
        if !description.is_empty() {
            let _ = writeln!(out, "{description}\n");
        }
        for rule in in_pack {
            let raw = &rule.raw;
            let _ = writeln!(out, "#### `{}`\n", raw.id);
            let _ = writeln!(out, "- severity: {}", raw.severity.as_str());
            let _ = writeln!(out, "- why: {}", raw.why.trim());
            let _ = writeln!(out, "- safer: {}", raw.safer.trim());
            out.push_str("- caught:\n");
            for e in &raw.examples.matches {
                let _ = writeln!(out, "  - `{}`", code(e));
            }
            out.push_str("- passes:\n");
            for e in &raw.examples.no_match {
                let _ = writeln!(out, "  - `{}`", code(e));
            }
            out.push('\n');
        }
    }
    out
}

/// A Rust field type as readers of YAML name it.
fn type_name(ty: &str) -> String {
    let ty = ty.trim();
    if let Some(inner) = ty.strip_prefix("Option<").and_then(|t| t.strip_suffix('>')) {
        return type_name(inner);
    }
    if let Some(inner) = ty.strip_prefix("Box<").and_then(|t| t.strip_suffix('>')) {
        return type_name(inner);
    }
    if let Some(inner) = ty.strip_prefix("Vec<").and_then(|t| t.strip_suffix('>')) {
        return format!("list of {}", type_name(inner));
    }
    if ty.starts_with("BTreeMap<String, ") {
        return "map of program name → program spec".to_string();
    }
    match ty {
        "String" => "string",
        "OneOrMany" => "string or list",
        "Severity" => "severity",
        "Condition" => "condition",
        "RawRule" => "rule",
        "Examples" => "examples",
        "OptionCondition" => "option",
        "PayloadCondition" => "regex or `{match, unless}`",
        "RedirectCondition" => "redirect",
        "EnvCondition" => "env",
        other => other,
    }
    .to_string()
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// An example shown as inline code: backticks cannot be nested, so they are shown as `ˋ`.
fn code(text: &str) -> String {
    text.replace('`', "ˋ").replace('\n', "⏎ ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checked_in_docs_are_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
        let current = std::fs::read_to_string(path).unwrap_or_default();
        let generated = render(&RuleSet::builtin());
        assert!(
            current == generated,
            "docs/rules.md is stale; regenerate it: cargo run -- rules docs > docs/rules.md"
        );
    }

    #[test]
    fn the_reference_covers_every_condition_key() {
        let generated = render(&RuleSet::builtin());
        for key in [
            "program",
            "subcommand",
            "flag",
            "no_flag",
            "option",
            "arg",
            "target",
            "payload",
        ] {
            assert!(generated.contains(&format!("| `{key}` |")), "{key}");
        }
        assert!(generated.contains("| `match` | condition | yes |"));
    }
}
