//! The call table: which calls of each language run commands or delete files, and how their
//! arguments are read (see [`super::code`] for the scan that finds them).

use std::sync::LazyLock;

use regex::Regex;

use super::lexer::Lang;

/// What a recognised call does.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// Its first argument is a shell command line (a list is an argument vector).
    Shell,
    /// One argument is a shell line; several are an argument vector (Perl/Ruby `system`).
    Exec,
    /// `spawn(file, [args], {shell})`, `execFile`, `new Deno.Command(file, {args})`, `system2`.
    Spawn,
    /// The argument vector is a list among the arguments (`Bun.spawn([...])`, `os.execvp`).
    ArgvList,
    /// The argument vector is the arguments after the first (`os.execl(path, 'rm', ...)`).
    ArgvAfterFirst,
    /// A file API that deletes its target(s).
    Remove(Remove),
    /// `Path(p)` / `Pathname.new(p)`: deletes when followed by `.unlink()`, `.rmtree`, ...
    PathObject,
    /// Evaluates code given as a string.
    Eval,
    /// Perl `open` with a pipe mode.
    PerlOpen,
    /// Runs a command in a form shellgate does not read.
    Unreadable,
}

#[derive(Clone, Copy, Debug)]
pub struct Remove {
    pub program: &'static str,
    pub flags: &'static str,
    /// Becomes `rm -rf` when the options say `recursive: true`.
    pub recursive_option: bool,
    /// Every argument is a target (Perl `unlink`, Ruby `FileUtils.rm_rf a, b`).
    pub all_args: bool,
}

pub const fn rm(flags: &'static str) -> Kind {
    Kind::Remove(Remove {
        program: "rm",
        flags,
        recursive_option: false,
        all_args: false,
    })
}

const fn rm_all(program: &'static str, flags: &'static str) -> Kind {
    Kind::Remove(Remove {
        program,
        flags,
        recursive_option: false,
        all_args: true,
    })
}

const fn rm_opt(program: &'static str) -> Kind {
    Kind::Remove(Remove {
        program,
        flags: "",
        recursive_option: true,
        all_args: false,
    })
}

/// What the whole code says once, so each call site is looked up in constant time.
pub struct Facts {
    child_process: bool,
    fs: bool,
    rimraf: bool,
    /// `from subprocess import ...`: bare `run(`/`call(` are subprocess's.
    subprocess_names: bool,
    /// `import subprocess as sp`.
    subprocess_aliases: Vec<String>,
    /// `from os import system as s`: (alias, module, original name).
    python_renames: Vec<(String, String, String)>,
}

impl Facts {
    pub fn of(code: &str) -> Self {
        static ALIAS: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"import\s+subprocess\s+as\s+(\w+)").expect("alias regex"));
        Facts {
            child_process: code.contains("child_process"),
            fs: code.contains("fs"),
            rimraf: code.contains("rimraf"),
            subprocess_names: code.contains("from subprocess import"),
            subprocess_aliases: ALIAS
                .captures_iter(code)
                .map(|c| c[1].to_string())
                .collect(),
            python_renames: python_renames(code),
        }
    }
}

/// The call table: what `prefix.name(...)` does in `lang`, if it is one shellgate reads.
pub fn lookup(lang: Lang, prefix: &str, name: &str, facts: &Facts) -> Option<Kind> {
    let last = prefix.rsplit(['.', ':', '>']).next().unwrap_or("");
    if lang == Lang::Python
        && prefix.is_empty()
        && let Some((_, module, original)) = facts.python_renames.iter().find(|r| r.0 == name)
    {
        return lookup(lang, module, original, facts);
    }
    Some(match lang {
        Lang::Python => match name {
            "system" | "popen" => Kind::Shell,
            "getoutput" | "getstatusoutput" if matches!(last, "" | "commands" | "subprocess") => {
                Kind::Shell
            }
            "check_call" | "check_output" | "Popen" => Kind::Shell,
            "run" | "call" if python_subprocess(prefix, facts) => Kind::Shell,
            "spawn" if last == "pty" => Kind::Shell,
            "execv" | "execvp" | "execve" | "execvpe" if last == "os" => Kind::ArgvList,
            "execl" | "execlp" | "execle" | "execlpe" if last == "os" => Kind::ArgvAfterFirst,
            n if last == "os" && (n.starts_with("spawn") || n.starts_with("posix_spawn")) => {
                Kind::Unreadable
            }
            "rmtree" if matches!(last, "" | "shutil") => rm("-rf"),
            "removedirs" if last == "os" => rm_all("rmdir", "-p"),
            "remove" | "unlink" if last == "os" => rm(""),
            "rmdir" if last == "os" => rm_all("rmdir", ""),
            "Path" | "PosixPath" | "PurePath" if matches!(last, "" | "pathlib") => Kind::PathObject,
            "exec" | "eval" if matches!(last, "" | "builtins") => Kind::Eval,
            _ => return None,
        },
        Lang::Js => {
            let child_process = facts.child_process;
            let fs =
                last.contains("fs") || last.contains("romises") || (last.is_empty() && facts.fs);
            match name {
                "execSync" | "doShellScript" => Kind::Shell,
                "exec" if child_process && last != "RegExp" => Kind::Shell,
                "spawnSync" | "execFileSync" if last != "Bun" => Kind::Spawn,
                "spawn" | "execFile" if child_process => Kind::Spawn,
                "spawn" | "spawnSync" | "run" if matches!(last, "Bun" | "Deno") => Kind::ArgvList,
                "Command" if last == "Deno" => Kind::Spawn,
                "remove" | "removeSync" if last == "Deno" => rm_opt("rm"),
                "rmSync" => rm_opt("rm"),
                "rm" if fs => rm_opt("rm"),
                "rmdirSync" => rm_opt("rmdir"),
                "rmdir" if fs => rm_opt("rmdir"),
                "unlinkSync" => rm(""),
                "unlink" if fs => rm(""),
                "rimraf" | "rimrafSync" | "deleteSync" => rm("-rf"),
                "sync" if last == "rimraf" || facts.rimraf => rm("-rf"),
                "remove" | "removeSync" if matches!(last, "fse" | "fsExtra" | "fs") => rm("-rf"),
                "eval" if last.is_empty() => Kind::Eval,
                "runInThisContext" | "runInNewContext" | "runInContext" => Kind::Eval,
                _ => return None,
            }
        }
        Lang::Perl => match name {
            "system" | "exec" if matches!(last, "" | "CORE") => Kind::Exec,
            "rmtree" | "remove_tree" => rm_all("rm", "-rf"),
            "unlink" if last.is_empty() => rm_all("rm", ""),
            "rmdir" if last.is_empty() => rm_all("rmdir", ""),
            "eval" if last.is_empty() => Kind::Eval,
            "open" if last.is_empty() => Kind::PerlOpen,
            _ => return None,
        },
        Lang::Ruby => match name {
            "system" | "exec" | "spawn" if matches!(last, "" | "Kernel" | "Process") => Kind::Exec,
            "popen" if last == "IO" => Kind::Exec,
            n if last == "Open3"
                && (n.starts_with("capture")
                    || n.starts_with("popen")
                    || n.starts_with("pipeline")) =>
            {
                Kind::Exec
            }
            "rm_rf" | "rm_r" | "remove_dir" | "remove_entry" | "remove_entry_secure" | "rmtree"
                if matches!(last, "" | "FileUtils") =>
            {
                rm_all("rm", "-rf")
            }
            "rm" | "rm_f" | "remove" | "safe_unlink" if last == "FileUtils" => rm_all("rm", ""),
            "delete" | "unlink" if last == "File" => rm_all("rm", ""),
            "rmdir" | "delete" | "unlink" if matches!(last, "Dir" | "FileUtils") => {
                rm_all("rmdir", "")
            }
            "Pathname" => Kind::PathObject,
            "new" if last == "Pathname" => Kind::PathObject,
            "eval" | "instance_eval" | "class_eval" | "module_eval" => Kind::Eval,
            _ => return None,
        },
        Lang::Php => match name {
            "system" | "exec" | "shell_exec" | "passthru" | "popen" | "proc_open"
                if last.is_empty() =>
            {
                Kind::Shell
            }
            "pcntl_exec" => Kind::Spawn,
            "unlink" if last.is_empty() => rm(""),
            "rmdir" if last.is_empty() => rm_all("rmdir", ""),
            "eval" if last.is_empty() => Kind::Eval,
            _ => return None,
        },
        Lang::Lua => match (last, name) {
            ("os", "execute") | ("io", "popen") => Kind::Shell,
            ("os", "remove") => rm(""),
            ("", "load" | "loadstring") => Kind::Eval,
            _ => return None,
        },
        Lang::R => match (last, name) {
            ("", "system" | "shell") => Kind::Shell,
            ("", "system2") => Kind::Spawn,
            ("", "unlink") => rm_opt("rm"),
            ("file", "remove") => rm(""),
            _ => return None,
        },
        Lang::AppleScript => return None,
    })
}

/// The names `from MODULE import NAME as ALIAS` binds, so that `ALIAS(...)` is looked up as
/// `MODULE.NAME(...)` (`from os import system as s; s('rm -rf ~')`).
fn python_renames(code: &str) -> Vec<(String, String, String)> {
    static FROM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"from[ \t]+([\w.]+)[ \t]+import[ \t]*(?:\(([^)]*)\)|([\w \t,]+))")
            .expect("from-import regex")
    });
    static AS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(\w+)\s+as\s+(\w+)$").expect("as regex"));
    let mut renames = Vec::new();
    for c in FROM.captures_iter(code) {
        let names = c.get(2).or_else(|| c.get(3)).map_or("", |m| m.as_str());
        for part in names.split(',') {
            if let Some(m) = AS.captures(part.trim())
                && m[1] != m[2]
            {
                renames.push((m[2].to_string(), c[1].to_string(), m[1].to_string()));
            }
        }
    }
    renames
}

/// Whether a Python `run(`/`call(` with this prefix is `subprocess`'s.
fn python_subprocess(prefix: &str, facts: &Facts) -> bool {
    prefix == "subprocess"
        || (prefix.is_empty() && facts.subprocess_names)
        || facts.subprocess_aliases.iter().any(|alias| alias == prefix)
}
