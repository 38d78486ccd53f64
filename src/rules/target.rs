//! Target kinds: what a path operand or redirection target points at (`/`, home, the working
//! tree, a system directory, a disk, a backup, ...), decided on the lexically normalised path.

use crate::analyze::{Arg, Context, WorkDir};
use std::path::{Component, Path, PathBuf};

/// A kind a `target:` condition can name (see `docs/rules.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Root,
    Home,
    Cwd,
    System,
    Parent,
    GlobAll,
    Device,
    Backup,
    Dynamic,
    Dangerous,
}

impl Kind {
    /// The kind named in a rule file; `None` for unknown names (rejected by validation).
    pub fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "root" => Kind::Root,
            "home" => Kind::Home,
            "cwd" => Kind::Cwd,
            "system" => Kind::System,
            "parent" => Kind::Parent,
            "glob_all" => Kind::GlobAll,
            "device" => Kind::Device,
            "backup" => Kind::Backup,
            "dynamic" => Kind::Dynamic,
            "dangerous" => Kind::Dangerous,
            _ => return None,
        })
    }
}

/// Top-level directories that are system directories themselves.
const SYSTEM_TOP: &[&str] = &[
    "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/boot", "/var", "/opt", "/srv",
    "/sys", "/proc", "/dev", "/root", "/home",
];
/// Directories whose every descendant is a system path.
const SYSTEM_TREES: &[&str] = &[
    "/etc", "/usr", "/boot", "/bin", "/sbin", "/lib", "/lib32", "/lib64",
];
/// Last path components that name every entry of a directory.
const GLOB_ALL: &[&str] = &["*", "**", ".*", "{*,.*}", ".[!.]*", ".??*"];
/// Prefixes of block devices (disks, partitions, volumes).
const DEVICES: &[&str] = &[
    "/dev/sd",
    "/dev/nvme",
    "/dev/vd",
    "/dev/xvd",
    "/dev/hd",
    "/dev/mmcblk",
    "/dev/disk",
    "/dev/mapper/",
    "/dev/md",
    "/dev/loop",
    "/dev/dm-",
];
/// Name tokens that mark a backup (`db-backup-2024.tar.gz`, `backups/`, `x.bak`, `dump.rdb`).
const BACKUP_TOKENS: &[&str] = &[
    "backup",
    "backups",
    "bak",
    "bkp",
    "bkup",
    "dump",
    "dumps",
    "snapshot",
    "snapshots",
];
/// Endings that are a database dump whatever the name.
const DUMP_ENDINGS: &[&str] = &[
    ".sql.gz", ".sql.bz2", ".sql.xz", ".sql.zst", ".sql.zip", ".dump", ".bak", ".pgdump",
];

/// Whether `arg`, a word of a command running in `workdir`, is a target of `kind` in `ctx`.
/// Relative words resolve against `workdir` (`cd / && rm -rf *`); the `cwd` kind is always
/// the directory the line started in (the project the agent works on) and its ancestors.
pub fn is_kind(arg: &Arg, kind: Kind, ctx: &Context, workdir: &WorkDir) -> bool {
    if kind == Kind::Dynamic {
        return is_dynamic_target(arg);
    }
    if kind == Kind::Backup {
        return is_backup(&arg.text);
    }
    if kind == Kind::Dangerous {
        return [
            Kind::Root,
            Kind::Home,
            Kind::Cwd,
            Kind::System,
            Kind::Parent,
            Kind::GlobAll,
        ]
        .into_iter()
        .any(|k| is_kind(arg, k, ctx, workdir));
    }
    // An empty word names no path (`rm ""` fails; an unquoted empty expansion disappears).
    if arg.text.is_empty() {
        return false;
    }
    let Some(base) = base_dir(&arg.text, ctx, workdir) else {
        return unknown_dir_kind(&arg.text, kind);
    };
    let path = normalize_in(&arg.text, &ctx.home, &base);
    let home = normalize(&ctx.home, ctx);
    let cwd = normalize(&ctx.cwd.to_string_lossy(), ctx);
    match kind {
        Kind::Root => path == "/",
        Kind::Home => path == home,
        Kind::Cwd => is_ancestor_or_self(&path, &cwd),
        Kind::System => {
            SYSTEM_TOP.contains(&path.as_str())
                || SYSTEM_TREES
                    .iter()
                    .any(|t| path.strip_prefix(t).is_some_and(|r| r.starts_with('/')))
        }
        Kind::Parent => arg.text.contains("..") && is_ancestor_or_self(&path, &cwd),
        Kind::GlobAll => is_glob_all(&arg.text, ctx, &base, &home, &cwd),
        Kind::Device => DEVICES
            .iter()
            .any(|d| path.starts_with(d) && path.len() > d.len()),
        Kind::Backup | Kind::Dynamic | Kind::Dangerous => unreachable!("handled above"),
    }
}

/// The directory a word is relative to: `None` for a relative word after a `cd` to a
/// directory only known at run time.
fn base_dir(text: &str, ctx: &Context, workdir: &WorkDir) -> Option<PathBuf> {
    if text.starts_with('/') || text == "~" || text.starts_with("~/") {
        return Some(ctx.cwd.clone());
    }
    match workdir {
        WorkDir::Start => Some(ctx.cwd.clone()),
        WorkDir::At(dir) => Some(ctx.cwd.join(dir)),
        WorkDir::Unknown => None,
    }
}

/// A relative word in an unknown directory: `.`, `..`, `*`, `../*` still name the whole of
/// some working directory or its parent, so they count as `cwd`, `parent` and `glob_all`.
fn unknown_dir_kind(text: &str, kind: Kind) -> bool {
    let only_dots = |t: &str| t.split('/').all(|c| matches!(c, "" | "." | ".."));
    match kind {
        Kind::Cwd => only_dots(text),
        Kind::Parent => text.contains("..") && only_dots(text),
        Kind::GlobAll => {
            let (dir, last) = text.rsplit_once('/').unwrap_or((".", text));
            GLOB_ALL.contains(&last) && only_dots(dir)
        }
        _ => false,
    }
}

/// A word partly known only at run time that could name `/` or a directory's whole content:
/// its static text is empty, `/`, or ends with `/` (`"$DIR"/`, `$(pwd)/`).
fn is_dynamic_target(arg: &Arg) -> bool {
    // `"${DIR:?}"/` cannot become `/`: bash stops the command when DIR is unset or empty.
    let guarded = arg.text.starts_with("${")
        && arg
            .text
            .contains(&format!("{}}}", crate::analyze::words::NONEMPTY));
    arg.dynamic && !guarded && (arg.text.is_empty() || arg.text.ends_with('/'))
}

/// The absolute, lexically normalised form of `text`: `~` → home, relative → under cwd,
/// `.`/`..` resolved without touching the file system, no trailing `/` (except for `/` itself).
pub fn normalize(text: &str, ctx: &Context) -> String {
    normalize_in(text, &ctx.home, &ctx.cwd)
}

/// [`normalize`] with relative words taken relative to `base`.
fn normalize_in(text: &str, home: &str, base: &Path) -> String {
    let expanded: PathBuf = if text == "~" {
        PathBuf::from(home)
    } else if let Some(rest) = text.strip_prefix("~/") {
        Path::new(home).join(rest)
    } else if text.starts_with('/') {
        PathBuf::from(text)
    } else {
        base.join(text)
    };
    let mut parts: Vec<String> = Vec::new();
    for c in expanded.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop();
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    format!("/{}", parts.join("/"))
}

/// Whether normalised `a` is `b` or one of its ancestors.
fn is_ancestor_or_self(a: &str, b: &str) -> bool {
    a == "/" || a == b || b.strip_prefix(a).is_some_and(|rest| rest.starts_with('/'))
}

/// `*`, `.*`, `/*`, `~/*`, `./*`, `../*`: every entry of root, home, the working directory or
/// one of its ancestors.
fn is_glob_all(text: &str, ctx: &Context, base: &Path, home: &str, cwd: &str) -> bool {
    // `*/` is every directory there.
    let trimmed = text.trim_end_matches('/');
    let text = if trimmed.is_empty() { text } else { trimmed };
    let (dir, last) = match text.rsplit_once('/') {
        Some(("", last)) => ("/", last),
        Some((dir, last)) => (dir, last),
        None => (".", text),
    };
    if !GLOB_ALL.contains(&last) {
        return false;
    }
    let dir = normalize_in(dir, &ctx.home, base);
    dir == home || is_ancestor_or_self(&dir, cwd)
}

/// A name that says "backup": a path component with a backup token (`backup`, `backups`, `bak`,
/// `bkp`, `dump`, `snapshot`, ..., alone or as a dash/dot/underscore-separated part, or a word
/// starting with `backup`/`snapshot`), a dump ending (`.sql.gz`, `.dump`, `.bak`, ...), or a
/// plain `.sql` file whose name carries a date stamp (six or more digits in a row).
pub fn is_backup(text: &str) -> bool {
    text.split('/')
        .filter(|c| !c.is_empty() && *c != "~")
        .any(|component| {
            let lower = component.to_ascii_lowercase();
            let tokens = lower
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|t| !t.is_empty());
            let tokened = tokens.clone().any(|t| {
                BACKUP_TOKENS.contains(&t)
                    || t.starts_with("backup")
                    || t.starts_with("snapshot")
                    || t.trim_end_matches(|c: char| c.is_ascii_digit()) == "bak"
            });
            let dated_sql = lower.ends_with(".sql") && has_date_stamp(&lower);
            tokened || dated_sql || DUMP_ENDINGS.iter().any(|e| lower.ends_with(e))
        })
}

fn has_date_stamp(name: &str) -> bool {
    let mut run = 0;
    for c in name.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 6 {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str, k: &str) -> bool {
        is_kind(
            &Arg::lit(text),
            Kind::parse(k).unwrap(),
            &Context::example(),
            &WorkDir::Start,
        )
    }

    fn kind_in(workdir: WorkDir, text: &str, k: &str) -> bool {
        is_kind(
            &Arg::lit(text),
            Kind::parse(k).unwrap(),
            &Context::example(),
            &workdir,
        )
    }

    fn dynamic(text: &str, k: &str) -> bool {
        let arg = Arg {
            text: text.to_string(),
            dynamic: true,
        };
        is_kind(
            &arg,
            Kind::parse(k).unwrap(),
            &Context::example(),
            &WorkDir::Start,
        )
    }

    #[test]
    fn normalises_lexically() {
        let ctx = Context::example();
        assert_eq!(normalize("~", &ctx), "/home/user");
        assert_eq!(normalize("~/a/../b/", &ctx), "/home/user/b");
        assert_eq!(normalize(".", &ctx), "/home/user/project");
        assert_eq!(normalize("../..", &ctx), "/home");
        assert_eq!(normalize("/etc/.", &ctx), "/etc");
        assert_eq!(normalize("//", &ctx), "/");
        assert_eq!(normalize("/../..", &ctx), "/");
    }

    #[test]
    fn root_home_cwd() {
        for t in ["/", "//", "/.", "/tmp/..", "../../.."] {
            assert!(kind(t, "root"), "{t}");
        }
        assert!(!kind("/tmp", "root"));
        assert!(kind("~", "home") && kind("/home/user/", "home") && kind("..", "home"));
        assert!(!kind("~/project", "home"));
        for t in [".", "./", "/home/user/project", "..", "/", "/home"] {
            assert!(kind(t, "cwd"), "{t}");
        }
        for t in ["build", "./src", "/home/user/projectx", "/tmp"] {
            assert!(!kind(t, "cwd"), "{t}");
        }
    }

    #[test]
    fn system_and_parent() {
        for t in [
            "/etc",
            "/usr/lib/x",
            "/var",
            "/home",
            "/boot/grub",
            "/lib64",
            "/root",
        ] {
            assert!(kind(t, "system"), "{t}");
        }
        for t in [
            "/var/tmp/build",
            "/home/user/x",
            "/tmp",
            "/opt/app/cache",
            "etc",
        ] {
            assert!(!kind(t, "system"), "{t}");
        }
        assert!(kind("..", "parent") && kind("../", "parent") && kind("../../", "parent"));
        assert!(
            !kind("../sibling", "parent"),
            "a sibling is not an ancestor"
        );
        assert!(!kind("/home/user", "parent"), "no `..` written");
    }

    #[test]
    fn glob_all() {
        for t in ["*", ".*", "/*", "~/*", "./*", "../*", "/home/user/*", "**"] {
            assert!(kind(t, "glob_all"), "{t}");
        }
        for t in ["*.log", "build/*", "/tmp/*", "src/**", "foo*"] {
            assert!(!kind(t, "glob_all"), "{t}");
        }
        assert!(
            dynamic("/*", "glob_all"),
            "`$DIR/*` with DIR unknown could be `/*`"
        );
    }

    #[test]
    fn devices() {
        for t in [
            "/dev/sda",
            "/dev/sdb1",
            "/dev/nvme0n1p2",
            "/dev/mapper/vg-root",
            "/dev/disk2",
            "/dev/mmcblk0",
        ] {
            assert!(kind(t, "device"), "{t}");
        }
        for t in [
            "/dev/null",
            "/dev/zero",
            "/dev/stdout",
            "/dev/tty",
            "./dev/sda",
            "/dev/mapper/",
        ] {
            assert!(!kind(t, "device"), "{t}");
        }
    }

    #[test]
    fn backups() {
        for t in [
            "backup",
            "backups/",
            "/var/backups",
            "db-backup-2024.tar.gz",
            "site.bak",
            "dump.rdb",
            "prod.dump",
            "prod.sql.gz",
            "db_20240101.sql",
            "snapshots/old",
            "backup2024",
            "x.bak2",
            "~/Backups",
        ] {
            assert!(kind(t, "backup"), "{t}");
        }
        for t in [
            "schema.sql",
            "migrations/001_init.sql",
            "build",
            "bakery",
            "dumpling.txt",
            "src/snap.rs",
        ] {
            assert!(!kind(t, "backup"), "{t}");
        }
    }

    #[test]
    fn dynamic_targets() {
        assert!(dynamic("", "dynamic") && dynamic("/", "dynamic") && dynamic("/srv/", "dynamic"));
        assert!(!dynamic("/build", "dynamic") && !kind("/", "dynamic"));
        assert!(!dynamic("", "cwd"), "an empty word is no path");
    }

    #[test]
    fn relative_words_follow_the_commands_workdir() {
        let root = || WorkDir::At(PathBuf::from("/"));
        assert!(kind_in(root(), "*", "glob_all") && kind_in(root(), "etc", "system"));
        assert!(kind_in(root(), ".", "root") && kind_in(root(), "home/user", "home"));
        let tmp = || WorkDir::At(PathBuf::from("/tmp/build"));
        assert!(!kind_in(tmp(), "*", "glob_all") && !kind_in(tmp(), ".", "cwd"));
        assert!(
            kind_in(tmp(), "/", "root"),
            "absolute words ignore the workdir"
        );
        assert!(kind_in(WorkDir::Unknown, "*", "glob_all"));
        assert!(
            kind_in(WorkDir::Unknown, ".", "cwd") && kind_in(WorkDir::Unknown, "../", "parent")
        );
        assert!(!kind_in(WorkDir::Unknown, "build", "dangerous"));
        assert!(!kind_in(WorkDir::Unknown, "build/*", "glob_all"));
        assert!(kind_in(WorkDir::Unknown, "backups", "backup"));
    }

    #[test]
    fn dangerous_is_the_union() {
        for t in ["/", "~", ".", "/etc", "..", "*"] {
            assert!(kind(t, "dangerous"), "{t}");
        }
        for t in ["node_modules", "./target", "/tmp/x", "/dev/sda"] {
            assert!(!kind(t, "dangerous"), "{t}");
        }
    }
}
