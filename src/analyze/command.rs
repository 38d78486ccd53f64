//! The typed output of the analysis stage: every command a line would run, as the shell would see it.

use std::collections::HashMap;
use std::path::PathBuf;

/// One word after the shell's static expansion (quote removal, `$'..'`, escapes, tilde, known variables).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arg {
    /// The word as bash would pass it, with every part that is only known at run time
    /// (`$(...)`, an unset `$VAR`) expanded to the empty string.
    pub text: String,
    /// True when some part of the word is only known at run time.
    pub dynamic: bool,
}

impl Arg {
    /// A word whose value is fully known.
    pub fn lit(text: impl Into<String>) -> Self {
        Arg {
            text: text.into(),
            dynamic: false,
        }
    }
}

/// The kind of a redirection, as far as rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirectKind {
    /// `< file`
    Read,
    /// `> file` (truncates)
    Write,
    /// `>> file`
    Append,
    /// `>| file` (truncates even with noclobber)
    Clobber,
    /// `<> file`
    ReadWrite,
    /// `>&2`, `<&0`, ...
    Duplicate,
}

/// One redirection of a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    pub fd: Option<u32>,
    pub kind: RedirectKind,
    pub target: Arg,
}

/// Where a payload (code or data a command consumes) came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PayloadSource {
    /// Standard input: a here-document, here-string, `< file` or a pipe from `echo`/`printf`/`cat`.
    Stdin,
    /// The value of an option such as `psql -c`, `mysql -e`, `curl -d`.
    Option(String),
    /// An operand, e.g. the SQL of `sqlite3 db "DROP TABLE t"` or the words of `redis-cli FLUSHALL`.
    Operand,
    /// A file that was read, e.g. `psql -f x.sql` or `curl -d @body.json`.
    File(PathBuf),
}

/// Code or data a command consumes: SQL for a database client, a request body for curl, ...
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    pub source: PayloadSource,
    pub text: String,
}

/// One simple command that the line would run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// The program as the shell finds it: the basename of the first word (`/usr/bin/rm` → `rm`).
    pub program: String,
    /// The first word as written after expansion (`/usr/bin/rm`, `./node_modules/.bin/prisma`).
    pub path: String,
    /// The arguments after the program (argv[1..]), quote-removed.
    pub args: Vec<Arg>,
    /// `NAME=value` assignments placed before the command.
    pub assignments: Vec<(String, String)>,
    pub redirects: Vec<Redirect>,
    /// Code or data this command consumes (stdin text, `-c` SQL, request bodies).
    pub payloads: Vec<Payload>,
    /// How the command was reached, outermost first: `["ssh prod", "bash -c"]`. Empty at top level.
    pub origin: Vec<String>,
    /// The program whose output is piped into this command's stdin (`curl` in `curl x | sh`).
    pub piped_from: Option<String>,
    /// The directory the command runs in, as far as the line tells (`cd / && rm -rf *`).
    pub workdir: WorkDir,
}

/// Where a command runs, as far as the analyzer can tell.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum WorkDir {
    /// The directory the line starts in ([`Context::cwd`]).
    #[default]
    Start,
    /// A directory a `cd` on the line moved to.
    At(PathBuf),
    /// A `cd` to a directory only known at run time.
    Unknown,
}

impl Command {
    /// A command with the given program word and arguments and nothing else.
    pub fn new(path: impl Into<String>, args: Vec<Arg>) -> Self {
        let path = path.into();
        Command {
            program: program_name(&path),
            path,
            args,
            assignments: Vec::new(),
            redirects: Vec::new(),
            payloads: Vec::new(),
            origin: Vec::new(),
            piped_from: None,
            workdir: WorkDir::Start,
        }
    }

    /// The argument texts, for matching.
    pub fn arg_texts(&self) -> impl Iterator<Item = &str> {
        self.args.iter().map(|a| a.text.as_str())
    }

    /// The command as a shell-quoted line (program word first), for messages.
    pub fn display(&self) -> String {
        let mut out = shell_quote(&self.path);
        for arg in &self.args {
            out.push(' ');
            out.push_str(&shell_quote(&arg.text));
        }
        out
    }

    /// The origin path as people read it: `ssh prod → bash -c → psql`.
    pub fn origin_display(&self) -> String {
        let mut parts: Vec<&str> = self.origin.iter().map(String::as_str).collect();
        parts.push(&self.program);
        parts.join(" → ")
    }
}

/// The basename the shell would look the program up by.
pub fn program_name(word: &str) -> String {
    word.rsplit('/').next().unwrap_or(word).to_string()
}

/// Quote a word so that it reads back as the same word in bash.
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@%+,~^".contains(&b));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Something the analyzer could not see through. The policy treats it as "needs a human".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opaque {
    /// Why it cannot be analysed, in plain words ("the program name is only known at run time").
    pub reason: String,
    /// The text in question, shortened for display.
    pub snippet: String,
    pub origin: Vec<String>,
}

/// The result of analysing one line or script.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Analysis {
    pub commands: Vec<Command>,
    pub opaque: Vec<Opaque>,
}

/// What the analyzer may know about the world: environment, home, working directory.
#[derive(Clone, Debug)]
pub struct Context {
    /// The user's home directory (what `~` and `$HOME` expand to).
    pub home: String,
    /// The working directory the line will start in.
    pub cwd: PathBuf,
    /// The environment the real shell would start with.
    pub env: HashMap<String, String>,
    /// Whether the analyzer may read files (scripts, `source`d files, package.json, SQL files).
    pub read_files: bool,
    /// `$0`, `$1`, ...: the words after the `-c` string (empty for a script or stdin).
    pub positional: Vec<String>,
}

impl Context {
    /// The context of this process: its environment, home and working directory.
    pub fn from_process() -> Self {
        // `vars()` panics on a variable that is not UTF-8; such a value is kept lossily.
        // (A valid one is moved, not copied: this runs for every line.)
        let text = |s: std::ffi::OsString| {
            s.into_string()
                .unwrap_or_else(|s| s.to_string_lossy().into_owned())
        };
        let env: HashMap<String, String> = std::env::vars_os()
            .map(|(k, v)| (text(k), text(v)))
            .collect();
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        let home = env.get("HOME").cloned().unwrap_or_else(|| "/".to_string());
        Context {
            home,
            cwd,
            env,
            read_files: true,
            positional: Vec::new(),
        }
    }

    /// The fixed context rule examples and table tests run in: HOME=/home/user, cwd=/home/user/project.
    pub fn example() -> Self {
        let mut env = HashMap::new();
        env.insert("HOME".to_string(), "/home/user".to_string());
        env.insert("USER".to_string(), "user".to_string());
        env.insert(
            "PATH".to_string(),
            "/usr/local/bin:/usr/bin:/bin".to_string(),
        );
        Context {
            home: "/home/user".to_string(),
            cwd: PathBuf::from("/home/user/project"),
            env,
            read_files: false,
            positional: Vec::new(),
        }
    }
}
