//! Payloads a command carries in its own options, operands or files: the SQL of `psql -c`,
//! the request body of `curl -d @body.json`, the words of `redis-cli FLUSHALL`.
//!
//! Each client is described by an option table ([`opts::Spec`]) and the names of the options
//! that carry code or data; values are returned whole (SQL is not split into statements here:
//! the rule matcher does that). Files named by `-f`, `--file`, `@file`, ... are read only when
//! [`Context::read_files`] allows it, capped at [`MAX_FILE`] bytes; a missing file gives nothing.

mod db;
mod http;
pub mod opts;

use std::io::Read;
use std::path::{Path, PathBuf};

use super::command::{Command, Context, Payload, PayloadSource, WorkDir};
use opts::Item;

/// The most bytes read from one payload file.
pub const MAX_FILE: u64 = 1 << 20;

/// The payloads `cmd` consumes from its options, operands and files (stdin is added by the walker).
pub fn payloads(cmd: &Command, ctx: &Context) -> Vec<Payload> {
    let dir = match &cmd.workdir {
        WorkDir::Start => Some(ctx.cwd.clone()),
        WorkDir::At(dir) => Some(ctx.cwd.join(dir)),
        WorkDir::Unknown => None,
    };
    let mut out = Out {
        ctx,
        dir,
        payloads: Vec::new(),
    };
    if !db::payloads(cmd, &mut out) {
        http::payloads(cmd, &mut out);
    }
    out.payloads
}

/// Where the client tables put what they find.
struct Out<'a> {
    ctx: &'a Context,
    /// The directory relative paths are read from; `None` after a `cd` to an unknown place.
    dir: Option<PathBuf>,
    payloads: Vec<Payload>,
}

impl Out<'_> {
    fn option(&mut self, name: &str, text: impl Into<String>) {
        self.payloads.push(Payload {
            source: PayloadSource::Option(name.into()),
            text: text.into(),
        });
    }

    fn operand(&mut self, text: impl Into<String>) {
        self.payloads.push(Payload {
            source: PayloadSource::Operand,
            text: text.into(),
        });
    }

    /// Read `path` (relative to the command's working directory) when files may be read;
    /// `-` is stdin.
    fn file(&mut self, path: &str) {
        if let Some(payload) = read_file(path, self.ctx, self.dir.as_deref()) {
            self.payloads.push(payload);
        }
    }

    /// Options named in `texts` become payloads; options named in `files` are read (space-separated).
    fn options(&mut self, items: &[Item], texts: &str, files: &str) {
        for item in items {
            if let Item::Opt(name, Some(value)) = item {
                if opts::has(texts, name) {
                    self.option(name, value.clone());
                } else if opts::has(files, name) {
                    self.file(value);
                }
            }
        }
    }
}

/// The text of the file at `path` (relative to `dir`), when the context allows reading and the
/// file exists.
fn read_file(path: &str, ctx: &Context, dir: Option<&Path>) -> Option<Payload> {
    if !ctx.read_files || path.is_empty() || path == "-" {
        return None;
    }
    let full: PathBuf = if Path::new(path).is_absolute() {
        path.into()
    } else {
        dir?.join(path)
    };
    let file = std::fs::File::open(&full).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE).read_to_end(&mut bytes).ok()?;
    Some(Payload {
        source: PayloadSource::File(PathBuf::from(path)),
        text: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for the table tests of the client modules.

    use super::*;
    use crate::analyze::command::Arg;

    /// A command from its words, with the example context.
    pub fn run(line: &[&str]) -> Vec<Payload> {
        run_in(line, &Context::example())
    }

    pub fn run_in(line: &[&str], ctx: &Context) -> Vec<Payload> {
        let cmd = Command::new(line[0], line[1..].iter().map(|w| Arg::lit(*w)).collect());
        payloads(&cmd, ctx)
    }

    pub fn opt(name: &str, text: &str) -> Payload {
        Payload {
            source: PayloadSource::Option(name.into()),
            text: text.into(),
        }
    }

    pub fn operand(text: &str) -> Payload {
        Payload {
            source: PayloadSource::Operand,
            text: text.into(),
        }
    }

    pub fn file(path: &str, text: &str) -> Payload {
        Payload {
            source: PayloadSource::File(path.into()),
            text: text.into(),
        }
    }

    /// Run each case and report every mismatch at once.
    pub fn check(cases: &[(&[&str], Vec<Payload>)]) {
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|(line, want)| {
                let got = run(line);
                (&got != want).then(|| format!("{line:?}\n   got: {got:?}\n  want: {want:?}"))
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::analyze::command::Arg;

    #[test]
    fn files_are_read_only_when_allowed_and_present() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.sql"), "DROP TABLE users;").unwrap();
        let mut ctx = Context::example();
        ctx.cwd = dir.path().to_path_buf();
        let line: &[&str] = &["psql", "-f", "x.sql"];
        assert_eq!(run_in(line, &ctx), vec![]);
        ctx.read_files = true;
        assert_eq!(run_in(line, &ctx), vec![file("x.sql", "DROP TABLE users;")]);
        assert_eq!(run_in(&["psql", "-f", "missing.sql"], &ctx), vec![]);
        assert_eq!(run_in(&["psql", "-f", "-"], &ctx), vec![]);
    }

    #[test]
    fn relative_files_are_read_from_the_commands_working_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("db")).unwrap();
        std::fs::write(dir.path().join("db/x.sql"), "TRUNCATE t;").unwrap();
        let mut ctx = Context::example();
        ctx.cwd = dir.path().to_path_buf();
        ctx.read_files = true;
        let mut cmd = Command::new("psql", vec![Arg::lit("-f"), Arg::lit("x.sql")]);
        cmd.workdir = WorkDir::At("db".into());
        assert_eq!(payloads(&cmd, &ctx), vec![file("x.sql", "TRUNCATE t;")]);
        cmd.workdir = WorkDir::Unknown;
        assert_eq!(payloads(&cmd, &ctx), vec![]);
    }

    #[test]
    fn other_programs_carry_nothing() {
        check(&[
            (&["ls", "-la"], vec![]),
            (&["echo", "DROP TABLE users"], vec![]),
            (&["grep", "-e", "DROP TABLE", "x.sql"], vec![]),
        ]);
    }
}
