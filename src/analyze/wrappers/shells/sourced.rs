//! Files that agents `source` before every command: their exact shapes, made readable.
//!
//! - Claude Code's shell snapshot stores each function of the user's shell as
//!   `eval "$(echo 'BASE64' | base64 -d)" > /dev/null 2>&1`. The text is a literal, so the code
//!   is known statically: the line is rewritten to `eval 'CODE' > /dev/null 2>&1` (CODE quoted,
//!   so it cannot reach outside its own eval, whatever it holds: an unterminated here-document or
//!   quote stays inside), which a shell runs the same way, and `eval` of a literal is analysed
//!   like any code. A line that does not decode to text exactly as `base64 -d` would is left as
//!   it was (and stays opaque).
//! - The user's own shell startup files (`~/.bashrc`, `~/.zshrc`, ...): opencode sources
//!   `~/.bashrc` in front of every command, and Claude Code does when it takes its snapshot.
//!   `bash -l`/`bash -i` read the same files without shellgate seeing them, so a startup file
//!   whose only problem is code shellgate cannot see (`eval "$(pyenv init -)"`) is trusted as the
//!   shell's own startup. One that contains a command a rule objects to is analysed as usual,
//!   so it is still stopped.

use std::borrow::Cow;
use std::path::Path;

use super::super::super::command::{Context, shell_quote};

/// Startup files a shell reads by itself, relative to the home directory.
const HOME_STARTUP_FILES: &[&str] = &[
    ".bashrc",
    ".bash_profile",
    ".bash_login",
    ".profile",
    ".zshrc",
    ".zshenv",
    ".zprofile",
    ".zlogin",
];

/// System-wide startup files a shell reads by itself.
const SYSTEM_STARTUP_FILES: &[&str] = &[
    "/etc/profile",
    "/etc/bash.bashrc",
    "/etc/bashrc",
    "/etc/zsh/zshrc",
    "/etc/zsh/zshenv",
    "/etc/zshrc",
    "/etc/zshenv",
];

/// Whether `path` (absolute) is one of the shell startup files of this user or of the system.
pub fn is_startup_file(ctx: &Context, path: &Path) -> bool {
    if SYSTEM_STARTUP_FILES.iter().any(|f| path == Path::new(f)) {
        return true;
    }
    let home = Path::new(&ctx.home);
    home.is_absolute()
        && home != Path::new("/")
        && path
            .strip_prefix(home)
            .is_ok_and(|rest| HOME_STARTUP_FILES.iter().any(|f| rest == Path::new(f)))
}

/// Whether a startup file may be trusted as the shell's own startup: it has no command a rule
/// objects to (only code shellgate cannot see, which `bash -l` would run unseen as well).
pub fn startup_file_is_trusted(ctx: &Context, text: &str) -> bool {
    thread_local! {
        static CHECKING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    // A startup file that sources itself (or another one that sources it back) would recurse
    // without end: inside a check, a startup file is not trusted, only analysed with the
    // walker's depth cap.
    if CHECKING.with(|c| c.replace(true)) {
        return false;
    }
    let analysis = crate::analyze::analyze(text, ctx);
    CHECKING.with(|c| c.set(false));
    let rules = crate::rules::RuleSet::builtin();
    analysis
        .commands
        .iter()
        .all(|c| rules.check(c, ctx).is_empty())
}

const EVAL_START: &str = "eval \"$(echo '";
const EVAL_END: &str = "' | base64 -d)\" > /dev/null 2>&1";

/// `text` with every Claude Code base64 function line replaced by the code it evaluates.
pub fn decode_function_lines(text: &str) -> Cow<'_, str> {
    if !text.contains(EVAL_START) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(EVAL_START) {
        let at_line_start = start == 0 || rest[..start].ends_with('\n');
        let body = &rest[start + EVAL_START.len()..];
        let decoded = body.find(EVAL_END).and_then(|end| {
            let encoded = &body[..end];
            let after = &body[end + EVAL_END.len()..];
            let line_ends = after.is_empty() || after.starts_with('\n');
            (at_line_start && line_ends)
                .then(|| decode_base64(encoded))
                .flatten()
                .map(|code| (code, end + EVAL_END.len()))
        });
        match decoded {
            Some((code, used)) => {
                out.push_str(&rest[..start]);
                // `$(...)` drops the trailing newlines of the output.
                out.push_str("eval ");
                out.push_str(&shell_quote(code.trim_end_matches('\n')));
                out.push_str(" > /dev/null 2>&1");
                rest = &body[used..];
            }
            None => {
                out.push_str(&rest[..start + EVAL_START.len()]);
                rest = body;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// What GNU `base64 -d` prints for `encoded` (newlines ignored), when it is text with no NUL.
/// `None` for anything it would reject or that is not text: the line then stays opaque.
fn decode_base64(encoded: &str) -> Option<String> {
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut bytes = Vec::with_capacity(encoded.len() / 4 * 3);
    let mut padding = 0;
    let mut count = 0;
    for c in encoded.bytes() {
        if c == b'\n' {
            continue;
        }
        count += 1;
        if c == b'=' {
            padding += 1;
            continue;
        }
        if padding > 0 {
            return None;
        }
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            bytes.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    if count % 4 != 0 || padding > 2 {
        return None;
    }
    let text = String::from_utf8(bytes).ok()?;
    (!text.contains('\0')).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_like_gnu_base64() {
        assert_eq!(decode_base64("aGk=").as_deref(), Some("hi"));
        assert_eq!(decode_base64("aGVs\nbG8K").as_deref(), Some("hello\n"));
        assert_eq!(decode_base64("aGk"), None);
        assert_eq!(decode_base64("a$k="), None);
        assert_eq!(decode_base64("AA=="), None);
    }

    #[test]
    fn function_lines_are_decoded_in_place() {
        // `f () { ls; }` in base64.
        let text = "echo a\neval \"$(echo 'ZiAoKSB7IGxzOyB9Cg==' | base64 -d)\" > /dev/null 2>&1\necho b\n";
        assert_eq!(
            decode_function_lines(text),
            "echo a\neval 'f () { ls; }' > /dev/null 2>&1\necho b\n"
        );
        // Not the exact shape: left alone.
        let other = "x; eval \"$(echo 'ZiAoKSB7IGxzOyB9Cg==' | base64 -d)\" > /dev/null 2>&1\n";
        assert_eq!(decode_function_lines(other), other);
        let bad = "eval \"$(echo 'not base64!' | base64 -d)\" > /dev/null 2>&1\n";
        assert_eq!(decode_function_lines(bad), bad);
    }

    #[test]
    fn a_startup_file_that_sources_itself_does_not_recurse_forever() {
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::write(dir.path().join(".bashrc"), "source ~/.bashrc\necho hi\n").unwrap();
        let home = dir.path().display().to_string();
        let mut ctx = Context {
            home: home.clone(),
            cwd: dir.path().to_path_buf(),
            read_files: true,
            ..Context::example()
        };
        ctx.env.insert("HOME".into(), home);
        // Overflowed the stack before: each trust check analysed the file, which sourced it.
        let analysis = crate::analyze::analyze("source ~/.bashrc && ls", &ctx);
        assert!(analysis.commands.iter().any(|c| c.program == "ls"));
    }

    #[test]
    fn startup_files_are_the_shells_own() {
        let ctx = Context {
            home: "/home/u".into(),
            ..Context::example()
        };
        assert!(is_startup_file(&ctx, Path::new("/home/u/.bashrc")));
        assert!(is_startup_file(&ctx, Path::new("/etc/profile")));
        assert!(!is_startup_file(&ctx, Path::new("/home/u/x/.bashrc")));
        assert!(!is_startup_file(&ctx, Path::new("/tmp/.bashrc")));
        let rootless = Context {
            home: "/".into(),
            ..Context::example()
        };
        assert!(!is_startup_file(&rootless, Path::new("/.bashrc")));
    }
}
