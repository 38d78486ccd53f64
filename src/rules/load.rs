//! Loading user rule files: the same schema and checks as the built-in packs, with errors that
//! name the file, the line and the fix.

use super::validate::{self, Problem};
use super::{Loaded, Rule, schema::PackFile};
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Load and compile `paths`; `taken` are ids already in use (the built-in ones).
pub(super) fn load(paths: &[impl AsRef<Path>], taken: &[&str]) -> Result<Loaded> {
    let mut loaded = Loaded::default();
    let mut ids: BTreeMap<String, PathBuf> = taken
        .iter()
        .map(|id| (id.to_string(), PathBuf::from("the built-in packs")))
        .collect();
    for path in paths {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let pack: PackFile = serde_yaml_ng::from_str(&text).map_err(|e| {
            let (line, problem) = validate::yaml_error(&e);
            Error::Rule {
                file: path.to_path_buf(),
                line,
                problem,
            }
        })?;
        if let Some(p) = validate::check_pack(&pack, &text).into_iter().next() {
            return Err(rule_error(path, p));
        }
        for (program, spec) in &pack.programs {
            loaded
                .specs
                .entry(program.clone())
                .or_default()
                .extend(spec.value_options.iter().cloned());
        }
        for raw in pack.rules {
            let line = validate::rule_line(&text, &raw.id);
            if let Some(other) = ids.get(&raw.id) {
                return Err(rule_error(
                    path,
                    Problem {
                        line,
                        problem: format!(
                            "rule id `{}` is already used in {}",
                            raw.id,
                            other.display()
                        ),
                        fix: "ids are unique across packs; rename this one".to_string(),
                    },
                ));
            }
            ids.insert(raw.id.clone(), path.to_path_buf());
            let programs = validate::programs(&raw.matcher);
            let rule = Rule::new(&pack.pack, raw).map_err(|problem| {
                rule_error(
                    path,
                    Problem {
                        line,
                        problem,
                        fix: "fix the rule".to_string(),
                    },
                )
            })?;
            let at = loaded.rules.len();
            match programs {
                Some(programs) => {
                    for p in programs {
                        loaded.index.entry(p).or_default().push(at);
                    }
                }
                None => loaded.wildcard.push(at),
            }
            loaded.rules.push(rule);
        }
    }
    Ok(loaded)
}

fn rule_error(path: &Path, p: Problem) -> Error {
    Error::Rule {
        file: path.to_path_buf(),
        line: p.line,
        problem: format!("{}; {}", p.problem, p.fix),
    }
}
