//! The builder every integration test runs shellgate through, modelled on casey/just's `Test`.
//!
//! `Test::new().args([..]).stdin(..).run()` runs the real `shellgate` binary in a fresh temporary
//! `HOME` and working directory. By default the "real shell" is the recorder (`tests/recorder.c`),
//! which writes down its argv, cwd, stdin and environment and runs nothing, so no test can ever
//! execute the line it checks. `.shell(Shell::RealBash)` and friends hand over to a real shell
//! instead, and `.run_direct()` runs that shell itself on the same argv, for transparency checks.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// The shellgate binary under test.
pub const SHELLGATE: &str = env!("CARGO_BIN_EXE_shellgate");

/// A run that takes longer than this is a hang (a loop, a read from a terminal): it is killed.
const TIMEOUT: Duration = Duration::from_secs(60);

/// What stands behind shellgate as the real shell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    /// The recorder: records what it was given, runs nothing.
    Recorder,
    RealBash,
    RealZsh,
    RealDash,
}

impl Shell {
    /// The shell's program name.
    pub fn name(self) -> &'static str {
        match self {
            Shell::Recorder => "recorder",
            Shell::RealBash => "bash",
            Shell::RealZsh => "zsh",
            Shell::RealDash => "dash",
        }
    }

    /// The name a shim for this shell is given: `sh` for dash, as on Debian, where `/bin/sh` is dash.
    pub fn shim_name(self) -> &'static str {
        match self {
            Shell::RealDash => "sh",
            other => other.name(),
        }
    }

    /// The shell's absolute path, found the way shellgate finds it by invoked name; `None` when
    /// it is not installed.
    pub fn path(self) -> Option<PathBuf> {
        match self {
            Shell::Recorder => Some(recorder().to_path_buf()),
            real => system_shell(real.name()),
        }
    }
}

/// `name` in the directories shellgate searches, in shellgate's order.
pub fn system_shell(name: &str) -> Option<PathBuf> {
    shellgate::exec::SYSTEM_DIRS
        .iter()
        .map(|dir| Path::new(dir).join(name))
        .find(|path| path.is_file())
}

/// What one run produced.
#[derive(Debug)]
pub struct Output {
    /// The exit status as a shell reports it: the code, or 128 + the signal that killed it.
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
    pub stdout_bytes: Vec<u8>,
    pub stderr_bytes: Vec<u8>,
    /// What the recorder was given; `None` when it was never called.
    pub recorded: Option<Recorded>,
    /// The test's temporary directories, kept alive as long as the output (shellgate runs only).
    pub dirs: Option<Dirs>,
}

/// What reached the recorder.
#[derive(Debug, PartialEq, Eq)]
pub struct Recorded {
    /// argv, argv[0] included, byte for byte.
    pub argv: Vec<OsString>,
    pub cwd: PathBuf,
    pub stdin: Vec<u8>,
    pub env: BTreeMap<OsString, OsString>,
}

/// One test's temporary tree: `home/`, `work/` (the working directory), `bin/` (shims) and
/// `recorded/` (where the recorder writes).
#[derive(Debug)]
pub struct Dirs {
    _root: TempDir,
    pub home: PathBuf,
    pub work: PathBuf,
    pub bin: PathBuf,
    pub recorded: PathBuf,
}

impl Dirs {
    /// What the recorder was given in the last run; `None` when it did not run.
    pub fn recorded_run(&self) -> Option<Recorded> {
        Recorded::read(&self.recorded)
    }

    /// Forget what the recorder wrote, so the next run starts with nothing recorded.
    pub fn clear_recorded(&self) {
        for entry in std::fs::read_dir(&self.recorded).unwrap().flatten() {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }

    /// The out-of-band approval store shellgate uses with this `HOME`.
    pub fn state(&self) -> PathBuf {
        self.home.join(".local/state/shellgate")
    }
}

impl Dirs {
    fn new() -> Dirs {
        let root = tempfile::Builder::new()
            .prefix("shellgate-test-")
            .tempdir()
            .unwrap();
        // Canonical, so the paths compare equal to what `getcwd` reports.
        let base = root.path().canonicalize().unwrap();
        let dirs = Dirs {
            home: base.join("home"),
            work: base.join("work"),
            bin: base.join("bin"),
            recorded: base.join("recorded"),
            _root: root,
        };
        for dir in [&dirs.home, &dirs.work, &dirs.bin, &dirs.recorded] {
            std::fs::create_dir(dir).unwrap();
        }
        dirs
    }
}

/// One run of shellgate, built up step by step.
#[must_use]
pub struct Test {
    dirs: Dirs,
    args: Vec<OsString>,
    arg0: Option<OsString>,
    env: BTreeMap<OsString, OsString>,
    stdin: Vec<u8>,
    stdin_endless: bool,
    shell: Shell,
    shim: Option<String>,
    cwd: Option<PathBuf>,
}

impl Test {
    pub fn new() -> Test {
        Test::with_dirs(Dirs::new())
    }

    /// A run in the directories of an earlier one (same `HOME`, so the same approval store);
    /// what the recorder wrote before is forgotten.
    pub fn with_dirs(dirs: Dirs) -> Test {
        dirs.clear_recorded();
        Test {
            dirs,
            args: Vec::new(),
            arg0: None,
            env: BTreeMap::new(),
            stdin: Vec::new(),
            stdin_endless: false,
            shell: Shell::Recorder,
            shim: None,
            cwd: None,
        }
    }

    /// Run in `sub`, a directory under the working directory (created), instead of in it.
    pub fn current_dir(mut self, sub: impl AsRef<Path>) -> Test {
        let dir = self.dirs.work.join(sub);
        std::fs::create_dir_all(&dir).unwrap();
        self.cwd = Some(dir);
        self
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Test {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for arg in args {
            self = self.arg(arg);
        }
        self
    }

    /// An argument given as raw bytes (not necessarily UTF-8).
    pub fn arg_bytes(self, bytes: &[u8]) -> Test {
        self.arg(OsString::from_vec(bytes.to_vec()))
    }

    /// argv[0] as shellgate receives it (default: the path it was started by).
    pub fn arg0(mut self, arg0: impl AsRef<OsStr>) -> Test {
        self.arg0 = Some(arg0.as_ref().to_owned());
        self
    }

    /// Set an environment variable (applied after the harness's own settings, so it wins).
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Test {
        self.env
            .insert(key.as_ref().to_owned(), value.as_ref().to_owned());
        self
    }

    pub fn stdin(mut self, stdin: impl AsRef<[u8]>) -> Test {
        self.stdin = stdin.as_ref().to_vec();
        self
    }

    /// Feed `chunk` to standard input over and over, until the reader goes away (like `yes`).
    pub fn stdin_endless(mut self, chunk: impl AsRef<[u8]>) -> Test {
        self.stdin = chunk.as_ref().to_vec();
        self.stdin_endless = true;
        self
    }

    /// The real shell behind shellgate. A real shell is named by `SHELLGATE_SHELL`, unless
    /// [`Test::shim`] makes shellgate find it by the name it is invoked under.
    pub fn shell(mut self, shell: Shell) -> Test {
        self.shell = shell;
        self
    }

    /// Invoke shellgate through a symlink called `name` in `bin/` (first on `PATH`), with argv[0]
    /// `name`, as an agent does when the shims directory is first on its `PATH`.
    pub fn shim(mut self, name: &str) -> Test {
        self.shim = Some(name.to_string());
        self
    }

    /// Write `content` to `path` under the working directory.
    pub fn write(self, path: impl AsRef<Path>, content: impl AsRef<[u8]>) -> Test {
        let path = self.dirs.work.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
        self
    }

    /// Write an executable file to `path` under the working directory.
    pub fn write_executable(self, path: impl AsRef<Path>, content: impl AsRef<[u8]>) -> Test {
        let full = self.dirs.work.join(path.as_ref());
        let test = self.write(path, content);
        std::fs::set_permissions(&full, std::fs::Permissions::from_mode(0o755)).unwrap();
        test
    }

    /// The temporary directories (to build paths for arguments and settings).
    pub fn dirs(&self) -> &Dirs {
        &self.dirs
    }

    pub fn shell_kind(&self) -> Shell {
        self.shell
    }

    /// The name shellgate is invoked under: the shim's, or else the shell's.
    pub fn invoked_name(&self) -> String {
        self.shim
            .clone()
            .unwrap_or_else(|| self.shell.name().to_string())
    }

    /// Run shellgate.
    #[track_caller]
    pub fn run(self) -> Output {
        let program = match &self.shim {
            Some(name) => {
                let link = self.dirs.bin.join(name);
                if !link.exists() {
                    std::os::unix::fs::symlink(SHELLGATE, &link).unwrap();
                }
                link
            }
            None => PathBuf::from(SHELLGATE),
        };
        let mut command = self.detached(&program, &self.argv0());
        match (self.shell, &self.shim) {
            (Shell::Recorder, _) => command.env(shellgate::exec::SHELL_VAR, recorder()),
            (real, None) => command.env(shellgate::exec::SHELL_VAR, real.path().unwrap()),
            (_, Some(_)) => command.env_remove(shellgate::exec::SHELL_VAR),
        };
        self.apply_env(&mut command);
        let mut output = execute(command, &self.stdin, self.stdin_endless);
        output.recorded = Recorded::read(&self.dirs.recorded);
        output.dirs = Some(self.dirs);
        output
    }

    /// Run the real shell itself, without shellgate, on the same argv (argv[0] included), in the
    /// same directories and environment: what shellgate must reproduce exactly.
    #[track_caller]
    pub fn run_direct(&self) -> Output {
        assert_ne!(
            self.shell,
            Shell::Recorder,
            "run_direct compares with a real shell"
        );
        let real = match &self.shim {
            Some(name) => system_shell(name),
            None => self.shell.path(),
        };
        let real = real.unwrap_or_else(|| panic!("{} is not installed", self.shell.name()));
        let mut command = self.detached(&real, &self.argv0());
        self.apply_env(&mut command);
        execute(command, &self.stdin, self.stdin_endless)
    }

    /// Run shellgate and the real shell on the same argv and assert that status, stdout and
    /// stderr are identical, byte for byte. Returns shellgate's output.
    #[track_caller]
    pub fn assert_transparent(self) -> Output {
        let direct = self.run_direct();
        let described = self.describe();
        let gated = self.run();
        let same = gated.status == direct.status
            && gated.stdout_bytes == direct.stdout_bytes
            && gated.stderr_bytes == direct.stderr_bytes;
        assert!(
            same,
            "shellgate differs from the real shell for {described}\n\
             shellgate: status {}\n  stdout {:?}\n  stderr {:?}\n\
             real:      status {}\n  stdout {:?}\n  stderr {:?}",
            gated.status, gated.stdout, gated.stderr, direct.status, direct.stdout, direct.stderr,
        );
        gated
    }

    /// The test's own environment settings, applied last so that they win.
    fn apply_env(&self, command: &mut Command) {
        command.envs(&self.env);
    }

    /// argv[0] as shellgate (or the real shell, for a direct run) receives it.
    fn argv0(&self) -> OsString {
        match (&self.arg0, &self.shim) {
            (Some(arg0), _) => arg0.clone(),
            (None, Some(name)) => OsString::from(name),
            (None, None) => OsString::from(SHELLGATE),
        }
    }

    fn describe(&self) -> String {
        format!(
            "{} {}{:?}",
            self.shell.name(),
            self.shim
                .as_ref()
                .map(|s| format!("(shim `{s}`) "))
                .unwrap_or_default(),
            self.args
        )
    }

    /// The command with argv, directories and a hermetic environment, but no real shell chosen.
    fn hermetic(&self, program: &Path, arg0: &OsStr) -> Command {
        let mut command = Command::new(program);
        command
            .arg0(arg0)
            .args(&self.args)
            .current_dir(self.cwd.as_ref().unwrap_or(&self.dirs.work))
            .env_clear();
        let system_path = std::env::var_os("PATH")
            .unwrap_or_else(|| OsString::from("/usr/local/bin:/usr/bin:/bin"));
        let mut path = self.dirs.bin.clone().into_os_string();
        path.push(":");
        path.push(system_path);
        command
            .env("PATH", path)
            .env("HOME", &self.dirs.home)
            .env("LC_ALL", "C")
            .env("SHELLGATE_RECORDER_DIR", &self.dirs.recorded);
        command
    }

    /// [`Test::hermetic`]'s command plus a new session with no controlling terminal.
    fn detached(&self, program: &Path, arg0: &OsStr) -> Command {
        let mut command = self.hermetic(program, arg0);
        // A new session: no controlling terminal, so no test can reach the developer's terminal
        // (shellgate's prompt opens /dev/tty). And SIGINT at its default: a harness may run with
        // it ignored (a background job), and `kill -INT $$` must behave as in a terminal.
        // SAFETY: `setsid` and `signal` are async-signal-safe and touch nothing else.
        unsafe {
            command.pre_exec(|| {
                use nix::sys::signal::{SigHandler, Signal, signal};
                nix::unistd::setsid().map_err(std::io::Error::from)?;
                signal(Signal::SIGINT, SigHandler::SigDfl)
                    .map(|_| ())
                    .map_err(std::io::Error::from)
            });
        }
        command
    }
}

/// Run `command` to the end with `stdin` on its standard input (repeated when `endless`).
#[track_caller]
fn execute(mut command: Command, stdin: &[u8], endless: bool) -> Output {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .expect("cannot start the process under test");
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.to_vec();
    // The child may exit without reading everything: a broken pipe here is not an error.
    let writer = std::thread::spawn(move || while input.write_all(&bytes).is_ok() && endless {});
    let stdout = reader(child.stdout.take().unwrap());
    let stderr = reader(child.stderr.take().unwrap());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("no exit after {TIMEOUT:?}: {command:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    writer.join().unwrap();
    let stdout_bytes = stdout.join().unwrap();
    let stderr_bytes = stderr.join().unwrap();
    Output {
        status: status
            .code()
            .unwrap_or_else(|| 128 + status.signal().unwrap()),
        stdout: String::from_utf8_lossy(&stdout_bytes).into_owned(),
        stderr: String::from_utf8_lossy(&stderr_bytes).into_owned(),
        stdout_bytes,
        stderr_bytes,
        recorded: None,
        dirs: None,
    }
}

impl Default for Test {
    fn default() -> Test {
        Test::new()
    }
}

fn reader(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        pipe.read_to_end(&mut bytes).unwrap();
        bytes
    })
}

impl Recorded {
    /// What the recorder wrote into `dir`; `None` when it did not run (no `argv` file).
    fn read(dir: &Path) -> Option<Recorded> {
        let argv = std::fs::read(dir.join("argv")).ok()?;
        let env = nul_separated(&std::fs::read(dir.join("env")).unwrap())
            .into_iter()
            .map(|entry| {
                let bytes = entry.into_vec();
                let at = bytes.iter().position(|b| *b == b'=').unwrap_or(bytes.len());
                let value = bytes.get(at + 1..).unwrap_or_default().to_vec();
                (
                    OsString::from_vec(bytes[..at].to_vec()),
                    OsString::from_vec(value),
                )
            })
            .collect();
        Some(Recorded {
            argv: nul_separated(&argv),
            cwd: PathBuf::from(OsString::from_vec(std::fs::read(dir.join("cwd")).unwrap())),
            stdin: std::fs::read(dir.join("stdin")).unwrap(),
            env,
        })
    }
}

fn nul_separated(bytes: &[u8]) -> Vec<OsString> {
    let mut items: Vec<OsString> = bytes
        .split(|b| *b == 0)
        .map(|item| OsString::from_vec(item.to_vec()))
        .collect();
    // Every item ends with a NUL, so the split leaves one empty item at the end.
    items.pop();
    items
}

impl Output {
    /// What reached the recorder; fails the test when it was never called.
    #[track_caller]
    pub fn recorded(&self) -> &Recorded {
        match &self.recorded {
            Some(recorded) => recorded,
            None => panic!(
                "the recorder was never called (status {}, stderr {:?})",
                self.status, self.stderr
            ),
        }
    }

    /// Fails the test when the recorder ran: nothing may have reached the real shell.
    #[track_caller]
    pub fn assert_not_run(&self) -> &Output {
        if let Some(recorded) = &self.recorded {
            panic!("the recorder ran with argv {:?}", recorded.argv);
        }
        self
    }
}

/// The recorder binary, compiled once per test run from `tests/recorder.c` with the system `cc`
/// (which Rust's own linker needs anyway).
pub fn recorder() -> &'static Path {
    static RECORDER: OnceLock<PathBuf> = OnceLock::new();
    RECORDER.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("recorder");
        std::fs::create_dir_all(&dir).unwrap();
        let source = dir.join("recorder.c");
        std::fs::write(&source, include_str!("recorder.c")).unwrap();
        let partial = dir.join(format!("recorder.{}", std::process::id()));
        let built = Command::new("cc")
            .arg("-O1")
            .arg("-o")
            .arg(&partial)
            .arg(&source)
            .status()
            .expect("the test suite needs a C compiler (`cc`) to build its recorder");
        assert!(built.success(), "cc failed to build the recorder");
        let binary = dir.join("recorder");
        std::fs::rename(&partial, &binary).unwrap();
        binary
    })
}

/// Argv as text, for messages.
pub fn show(argv: &[OsString]) -> String {
    let shown: Vec<String> = argv
        .iter()
        .map(|a| format!("{:?}", String::from_utf8_lossy(a.as_bytes())))
        .collect();
    shown.join(" ")
}

impl Output {
    /// The test's directories, for a follow-up run in the same `HOME` ([`Test::with_dirs`]).
    pub fn into_dirs(self) -> Dirs {
        self.dirs
            .expect("only shellgate runs keep their directories")
    }
}

/// How long a pseudo-terminal test waits for expected output before it fails.
const PTY_TIMEOUT_MS: u64 = 20_000;

impl Test {
    /// Start shellgate with this test's argv in a new pseudo-terminal, which becomes its
    /// controlling terminal with shellgate in the foreground group, as in a person's terminal.
    /// Standard input is `/dev/null`, so the recorder does not wait on the terminal; the prompt
    /// reads `/dev/tty`. The prompt lock is kept in the test's own directory.
    pub fn spawn_pty(self) -> Pty {
        let mut command = self.hermetic(Path::new(SHELLGATE), &self.argv0());
        command.stdin(Stdio::null());
        self.pty(command)
    }

    /// Run `script` with `/bin/sh -c` in a new pseudo-terminal (stdin, stdout and stderr are the
    /// terminal), with this test's environment and `$SHELLGATE` naming the binary under test.
    pub fn spawn_pty_sh(self, script: &str) -> Pty {
        let mut command = self.hermetic(Path::new("/bin/sh"), OsStr::new("sh"));
        command.args(["-c", script]).env("SHELLGATE", SHELLGATE);
        self.pty(command)
    }

    fn pty(self, mut command: Command) -> Pty {
        assert_eq!(
            self.shell,
            Shell::Recorder,
            "prompts are tested with the recorder"
        );
        let runtime = self.dirs.work.parent().unwrap().join("runtime");
        std::fs::create_dir_all(&runtime).unwrap();
        command
            .env(shellgate::exec::SHELL_VAR, recorder())
            .env("XDG_RUNTIME_DIR", runtime);
        self.apply_env(&mut command);
        let session = rexpect::session::spawn_with_options(
            command,
            rexpect::reader::Options::new().timeout_ms(Some(PTY_TIMEOUT_MS)),
        )
        .expect("cannot start a process in a pseudo-terminal");
        Pty {
            session,
            transcript: String::new(),
            dirs: self.dirs,
        }
    }
}

/// A process running in a pseudo-terminal: what it wrote so far, and keys to send it.
pub struct Pty {
    session: rexpect::session::PtySession,
    /// Everything read from the terminal so far, byte for byte (each byte as one `char`).
    pub transcript: String,
    dirs: Dirs,
}

/// How a process in a pseudo-terminal ended.
#[derive(Debug)]
pub struct PtyOutput {
    pub status: i32,
    /// Everything it wrote to the terminal (each byte as one `char`).
    pub transcript: String,
    pub recorded: Option<Recorded>,
    pub dirs: Dirs,
}

impl Pty {
    /// Wait until `text` appears on the terminal; fails the test after the timeout. Returns what
    /// came before it.
    #[track_caller]
    pub fn expect(&mut self, text: &str) -> String {
        match self.session.exp_string(text) {
            Ok(before) => {
                self.transcript.push_str(&before);
                self.transcript.push_str(text);
                before
            }
            Err(e) => panic!(
                "{text:?} never appeared on the terminal: {e}\ntranscript so far: {:?}",
                self.transcript
            ),
        }
    }

    /// Type `keys` (sent as they are: `"y\r"` is y then Enter).
    pub fn send(&mut self, keys: &str) {
        self.session.send(keys).unwrap();
        self.session.flush().unwrap();
    }

    /// Press Ctrl and `key`.
    pub fn send_control(&mut self, key: char) {
        self.session.send_control(key).unwrap();
    }

    /// Whatever arrived on the terminal by now, without waiting.
    pub fn read_available(&mut self) -> String {
        let mut got = String::new();
        while let Some(c) = self.session.try_read() {
            got.push(c);
        }
        self.transcript.push_str(&got);
        got
    }

    /// Wait for the process to end; its status as a shell reports it.
    #[track_caller]
    pub fn finish(mut self) -> PtyOutput {
        match self.session.exp_eof() {
            Ok(rest) => self.transcript.push_str(&rest),
            Err(e) => panic!(
                "the process did not end: {e}\ntranscript: {:?}",
                self.transcript
            ),
        }
        let status = match self.session.process().wait().unwrap() {
            rexpect::process::WaitStatus::Exited(_, code) => code,
            rexpect::process::WaitStatus::Signaled(_, signal, _) => 128 + signal as i32,
            other => panic!("unexpected wait status {other:?}"),
        };
        PtyOutput {
            status,
            transcript: self.transcript,
            recorded: self.dirs.recorded_run(),
            dirs: self.dirs,
        }
    }
}

impl PtyOutput {
    /// Fails the test when the recorder ran.
    #[track_caller]
    pub fn assert_not_run(&self) -> &PtyOutput {
        if let Some(recorded) = &self.recorded {
            panic!(
                "the recorder ran with argv {:?}\ntranscript: {:?}",
                recorded.argv, self.transcript
            );
        }
        self
    }

    /// Fails the test unless the recorder ran.
    #[track_caller]
    pub fn recorded(&self) -> &Recorded {
        match &self.recorded {
            Some(recorded) => recorded,
            None => panic!(
                "the recorder was never called (status {})\ntranscript: {:?}",
                self.status, self.transcript
            ),
        }
    }
}
