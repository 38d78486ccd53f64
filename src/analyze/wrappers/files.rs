//! Reading the files a wrapper runs (scripts, `source`d files, package.json, Makefiles, git config),
//! only when the context allows it and only up to a size cap.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::super::command::Context;

/// Files larger than this are not read: the command needs a human instead.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// What reading a file gave.
#[derive(Debug, PartialEq, Eq)]
pub enum FileText {
    Text(String),
    /// The file does not exist (the command fails, or runs nothing from it).
    Missing,
    /// The file exists but shellgate cannot or may not read it; the reason in plain words.
    Unreadable(String),
}

/// `path` resolved against the working directory of the line.
pub fn resolve(ctx: &Context, path: &str) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        ctx.cwd.join(path)
    }
}

/// Read the file at `path` (relative to `ctx.cwd`) as text, within the size cap.
pub fn read(ctx: &Context, path: &Path) -> FileText {
    if !ctx.read_files {
        return FileText::Unreadable("reading files is turned off".to_string());
    }
    if path.is_relative() {
        return FileText::Unreadable(
            "the directory it runs in is only known at run time".to_string(),
        );
    }
    let Ok(meta) = std::fs::metadata(path) else {
        return FileText::Missing;
    };
    if !meta.is_file() {
        return FileText::Unreadable(format!("{} is not a regular file", path.display()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return FileText::Unreadable(format!("{} is larger than 1 MiB", path.display()));
    }
    let mut bytes = Vec::new();
    let read =
        std::fs::File::open(path).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes));
    match read {
        Err(e) => FileText::Unreadable(format!("{} cannot be read: {e}", path.display())),
        Ok(_) if bytes.len() as u64 > MAX_FILE_BYTES => {
            FileText::Unreadable(format!("{} is larger than 1 MiB", path.display()))
        }
        Ok(_) => match String::from_utf8(bytes) {
            Ok(text) if !text.contains('\0') => FileText::Text(text),
            _ => FileText::Unreadable(format!("{} is not text", path.display())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(dir: &Path, read_files: bool) -> Context {
        Context {
            cwd: dir.to_path_buf(),
            read_files,
            ..Context::example()
        }
    }

    #[test]
    fn reads_text_and_refuses_what_it_should_not() {
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::write(dir.path().join("a.sh"), "echo hi\n").unwrap();
        std::fs::write(dir.path().join("bin"), b"\x7fELF\0\0").unwrap();
        std::fs::write(
            dir.path().join("big"),
            vec![b'x'; MAX_FILE_BYTES as usize + 1],
        )
        .unwrap();
        let on = ctx(dir.path(), true);
        assert_eq!(
            read(&on, &resolve(&on, "a.sh")),
            FileText::Text("echo hi\n".into())
        );
        assert_eq!(read(&on, &resolve(&on, "nope")), FileText::Missing);
        assert!(matches!(
            read(&on, &resolve(&on, "bin")),
            FileText::Unreadable(_)
        ));
        assert!(matches!(
            read(&on, &resolve(&on, "big")),
            FileText::Unreadable(_)
        ));
        assert!(matches!(read(&on, dir.path()), FileText::Unreadable(_)));
        let off = ctx(dir.path(), false);
        assert!(matches!(
            read(&off, &resolve(&off, "a.sh")),
            FileText::Unreadable(_)
        ));
    }
}
