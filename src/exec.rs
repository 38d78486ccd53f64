//! The last stage: find the real shell and `execv` it with the original argv and environment.
//!
//! After `execv` the exit status, signals, terminal and job control belong to the real shell.

use crate::error::{Error, Result};
use std::ffi::{CString, OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The environment variable that names the real shell (absolute path).
pub const SHELL_VAR: &str = "SHELLGATE_SHELL";
/// Counts nested shellgate processes; a misconfiguration that loops stops at [`MAX_DEPTH`].
pub const DEPTH_VAR: &str = "SHELLGATE_DEPTH";
/// `pid:hash-of-argv` of the last exec, to catch a real shell that is shellgate itself at once.
const EXEC_MARK_VAR: &str = "SHELLGATE_EXEC";
/// More nested shellgates than this is a loop, not a script.
pub const MAX_DEPTH: u32 = 40;

/// Shell names we resolve by invoked name, and the directories searched for them (in order).
const KNOWN_SHELLS: &[&str] = &["bash", "zsh", "sh", "dash", "ksh", "mksh"];
pub const SYSTEM_DIRS: &[&str] = &["/usr/local/bin", "/usr/bin", "/bin", "/opt/homebrew/bin"];

/// Find the real shell: `SHELLGATE_SHELL`, else the name we were invoked under, else bash.
pub fn resolve_shell(argv0: &OsStr) -> Result<PathBuf> {
    let me = own_identity();
    if let Some(value) = std::env::var_os(SHELL_VAR).filter(|v| !v.is_empty()) {
        let path = PathBuf::from(&value);
        return match check_candidate(&path, me) {
            Ok(()) => Ok(path),
            Err(problem) => Err(Error::Config {
                setting: format!("{SHELL_VAR}={}", path.display()),
                problem,
                fix: "point it at the real shell, e.g. SHELLGATE_SHELL=/bin/bash".to_string(),
            }),
        };
    }
    let name = crate::invocation::basename(argv0);
    let name = name.trim_start_matches('-');
    let wanted = if KNOWN_SHELLS.contains(&name) {
        name
    } else {
        "bash"
    };
    for dir in SYSTEM_DIRS {
        let path = Path::new(dir).join(wanted);
        if check_candidate(&path, me).is_ok() {
            return Ok(path);
        }
    }
    Err(Error::Config {
        setting: "the real shell".to_string(),
        problem: format!(
            "no `{wanted}` other than shellgate in {}",
            SYSTEM_DIRS.join(", ")
        ),
        fix: "install it or set SHELLGATE_SHELL to its absolute path".to_string(),
    })
}

/// `(device, inode)` of the running binary.
fn own_identity() -> Option<(u64, u64)> {
    std::fs::metadata("/proc/self/exe")
        .ok()
        .map(|m| (m.dev(), m.ino()))
}

/// Why `path` cannot serve as the real shell, if it cannot.
fn check_candidate(path: &Path, me: Option<(u64, u64)>) -> std::result::Result<(), String> {
    if !path.is_absolute() {
        return Err("is not an absolute path".to_string());
    }
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".to_string(),
        _ => format!("cannot be read ({e})"),
    })?;
    if meta.is_dir() {
        return Err("is a directory, not a shell".to_string());
    }
    if meta.mode() & 0o111 == 0 {
        return Err("is not executable".to_string());
    }
    if me == Some((meta.dev(), meta.ino())) {
        return Err("is shellgate itself, which would loop".to_string());
    }
    Ok(())
}

/// Refuse to go on when shellgate is nested deeper than any script would nest shells, or when
/// the "real shell" just exec'd was this very binary with this very argv (a loop).
pub fn check_loop(argv: &[OsString]) -> Result<()> {
    let depth: u32 = std::env::var(DEPTH_VAR)
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    let looped = std::env::var(EXEC_MARK_VAR).ok().as_deref() == Some(exec_mark(argv).as_str());
    if depth >= MAX_DEPTH || looped {
        return Err(Error::Config {
            setting: SHELL_VAR.to_string(),
            problem: format!(
                "shellgate is calling itself in a loop (nesting depth {depth}); the real shell resolves back to shellgate"
            ),
            fix:
                "set SHELLGATE_SHELL to the real shell, e.g. /bin/bash, not to shellgate or a shim"
                    .to_string(),
        });
    }
    Ok(())
}

fn exec_mark(argv: &[OsString]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    argv.hash(&mut h);
    format!("{}:{:x}", std::process::id(), h.finish())
}

/// Replace this process with the real shell, passing `argv` (argv[0] included) unchanged.
pub fn exec_shell(shell: &Path, argv: &[OsString]) -> Error {
    let depth: u32 = std::env::var(DEPTH_VAR)
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    // SAFETY: shellgate is single-threaded at this point; nothing else reads the environment.
    unsafe {
        std::env::set_var(DEPTH_VAR, (depth + 1).to_string());
        std::env::set_var(EXEC_MARK_VAR, exec_mark(argv));
    }
    let c_args: std::result::Result<Vec<CString>, _> = argv
        .iter()
        .map(|a| CString::new(a.clone().into_vec()))
        .collect();
    let Ok(c_args) = c_args else {
        return Error::Internal("an argument contains a NUL byte".to_string());
    };
    let Ok(c_path) = CString::new(shell.as_os_str().as_bytes()) else {
        return Error::Internal("the shell path contains a NUL byte".to_string());
    };
    // The Rust runtime ignores SIGPIPE, and an ignored signal stays ignored across exec: the real
    // shell would then see `yes | head` fail with "Broken pipe" instead of ending quietly. Give it
    // the default back, as std's `Command` does for every child.
    // SAFETY: no handler is installed, only the default disposition restored.
    unsafe {
        use nix::sys::signal::{SigHandler, Signal, signal};
        let _ = signal(Signal::SIGPIPE, SigHandler::SigDfl);
    }
    match nix::unistd::execv(&c_path, &c_args) {
        Ok(never) => match never {},
        Err(source) => Error::Exec {
            shell: shell.to_path_buf(),
            source,
        },
    }
}

/// Put `bytes` back on standard input so the real shell reads exactly what shellgate analysed,
/// through the same kind of file it would have read: a pipe when stdin was a pipe, socket or
/// terminal, an in-memory file when it was a seekable file. The kind matters: a command in the
/// script that reads stdin (`head -n 1`) seeks back on a file but swallows a block of a pipe.
pub fn replace_stdin(bytes: &[u8]) -> Result<()> {
    let seekable = nix::unistd::lseek(std::io::stdin(), 0, nix::unistd::Whence::SeekCur).is_ok();
    if seekable {
        replace_stdin_with_file(bytes)
    } else {
        replace_stdin_with_pipe(bytes)
    }
}

fn replace_stdin_with_file(bytes: &[u8]) -> Result<()> {
    use nix::sys::memfd::{MFdFlags, memfd_create};
    use std::io::{Seek, Write};
    let fd = memfd_create(c"shellgate-stdin", MFdFlags::empty())
        .map_err(|e| Error::Internal(format!("memfd_create: {e}")))?;
    let mut file = std::fs::File::from(fd);
    file.write_all(bytes)
        .and_then(|_| file.seek(std::io::SeekFrom::Start(0)).map(|_| ()))
        .map_err(|e| Error::Internal(format!("buffering stdin: {e}")))?;
    nix::unistd::dup2_stdin(&file).map_err(|e| Error::Internal(format!("dup2: {e}")))?;
    Ok(())
}

/// A pipe holding `bytes`: filled at once when its buffer can take them all, else by a detached
/// writer process (forked twice, so the real shell never sees it as its child).
fn replace_stdin_with_pipe(bytes: &[u8]) -> Result<()> {
    use nix::fcntl::{FcntlArg, fcntl};
    use nix::unistd::{ForkResult, fork};
    use std::io::Write;
    let internal = |what: &str, e: nix::Error| Error::Internal(format!("{what}: {e}"));
    let (read, write) = nix::unistd::pipe().map_err(|e| internal("pipe", e))?;
    let wanted = i32::try_from(bytes.len()).unwrap_or(i32::MAX);
    let _ = fcntl(&write, FcntlArg::F_SETPIPE_SZ(wanted));
    let capacity = fcntl(&write, FcntlArg::F_GETPIPE_SZ).unwrap_or(0);
    let mut writer = std::fs::File::from(write);
    if usize::try_from(capacity).is_ok_and(|c| c >= bytes.len()) {
        writer
            .write_all(bytes)
            .map_err(|e| Error::Internal(format!("buffering stdin: {e}")))?;
    } else {
        // SAFETY: shellgate is single-threaded; the children only write, close and `_exit`.
        match unsafe { fork() }.map_err(|e| internal("fork", e))? {
            ForkResult::Child => {
                drop(read);
                if let Ok(ForkResult::Child) = unsafe { fork() } {
                    let _ = writer.write_all(bytes);
                }
                unsafe { nix::libc::_exit(0) }
            }
            ForkResult::Parent { child } => {
                let _ = nix::sys::wait::waitpid(child, None);
            }
        }
    }
    drop(writer);
    nix::unistd::dup2_stdin(&read).map_err(|e| internal("dup2", e))?;
    Ok(())
}
