//! JavaScript package managers: `npm run X` (and `npm test`, `pnpm X`, `yarn X`, `bun run X`) run the
//! package.json script X with its `preX`/`postX`; `npx X`, `pnpm dlx X`, `yarn dlx X`, `bunx X` run X.

use std::path::Path;

use super::super::command::{Arg, Command, Context};
use super::files::{self, FileText};
use super::{Inner, Spec, argv, opaque, parse_opts, quote_join, shell_source, stdin_text};

/// Commands of each tool that are not package.json scripts (`pnpm X` runs script X otherwise).
const PNPM_BUILTINS: &[&str] = &[
    "add",
    "install",
    "i",
    "update",
    "up",
    "upgrade",
    "remove",
    "rm",
    "uninstall",
    "un",
    "link",
    "ln",
    "unlink",
    "import",
    "rebuild",
    "rb",
    "prune",
    "fetch",
    "patch",
    "patch-commit",
    "audit",
    "list",
    "ls",
    "outdated",
    "why",
    "licenses",
    "create",
    "init",
    "publish",
    "pack",
    "store",
    "server",
    "setup",
    "env",
    "root",
    "bin",
    "config",
    "c",
    "deploy",
    "doctor",
    "help",
    "recursive",
    "cache",
    "self-update",
];
const YARN_BUILTINS: &[&str] = &[
    "add",
    "install",
    "remove",
    "upgrade",
    "up",
    "info",
    "init",
    "pack",
    "publish",
    "why",
    "workspace",
    "workspaces",
    "config",
    "cache",
    "bin",
    "link",
    "unlink",
    "set",
    "plugin",
    "constraints",
    "dedupe",
    "explain",
    "npm",
    "patch",
    "patch-commit",
    "rebuild",
    "stage",
    "version",
    "search",
    "autoclean",
    "check",
    "create",
    "global",
    "import",
    "licenses",
    "list",
    "login",
    "logout",
    "outdated",
    "owner",
    "policies",
    "tag",
    "team",
    "unplug",
    "upgrade-interactive",
    "help",
];
const BUN_BUILTINS: &[&str] = &[
    "add", "a", "install", "i", "remove", "rm", "update", "link", "unlink", "pm", "build", "init",
    "create", "upgrade", "repl", "outdated", "publish", "patch", "audit", "info", "why", "test",
    "help",
];

/// `npm|pnpm|yarn|bun [options] SUBCOMMAND ...`.
pub fn package_manager(cmd: &Command, ctx: &Context) -> Vec<Inner> {
    let tool = cmd.program.as_str();
    let opts = parse_opts(
        &cmd.args,
        &Spec::new("wCF", &["workspace", "prefix", "cwd", "filter", "dir"]),
    );
    let Some((sub, rest)) = opts.rest.split_first() else {
        return Vec::new();
    };
    let dir = ["C", "prefix", "cwd", "dir"]
        .iter()
        .find_map(|o| opts.value(o, o))
        .map(|d| files::resolve(ctx, &d.text))
        .unwrap_or_else(|| ctx.cwd.clone());
    let scripts = |name: &Arg, args: &[Arg]| run_script(ctx, &dir, tool, name, args);
    let builtins = match tool {
        "pnpm" => PNPM_BUILTINS,
        "yarn" => YARN_BUILTINS,
        "bun" => BUN_BUILTINS,
        _ => &[],
    };
    match (tool, sub.text.as_str()) {
        (_, "run" | "run-script" | "rum" | "urn") => {
            let run = parse_opts(rest, &Spec::NONE);
            match run.rest.split_first() {
                Some((name, args)) => scripts(name, args),
                None => Vec::new(),
            }
        }
        ("npm", "test" | "tst" | "t") => scripts(&Arg::lit("test"), rest),
        ("npm", "start" | "stop") => scripts(sub, rest),
        ("npm", "restart") => {
            let mut inner = scripts(&Arg::lit("stop"), &[]);
            inner.extend(scripts(&Arg::lit("start"), rest));
            inner
        }
        ("npm", "exec" | "x") | (_, "exec" | "dlx") | ("bun", "x") => {
            exec(&format!("{tool} {}", sub.text), cmd, rest)
        }
        ("npm", _) => Vec::new(),
        (_, name) if name.starts_with('-') || builtins.contains(&name) => Vec::new(),
        _ => match scripts(sub, rest) {
            none if none.is_empty() && tool != "bun" => {
                let mut words = vec![sub.clone()];
                words.extend(rest.iter().cloned());
                argv(&format!("{tool} {}", sub.text), &words, stdin_text(cmd))
            }
            found => found,
        },
    }
}

/// `npx [options] X args` and `bunx X args`.
pub fn npx(cmd: &Command) -> Vec<Inner> {
    exec(&cmd.program, cmd, &cmd.args)
}

/// Run a package's binary: `[options] [--] X args` (`-c STRING`/`--call` runs a shell string).
fn exec(label: &str, cmd: &Command, args: &[Arg]) -> Vec<Inner> {
    let opts = parse_opts(args, &Spec::new("pc", &["package", "call"]));
    if let Some(code) = opts.value("c", "call") {
        return shell_source(label, &code.text, code.dynamic);
    }
    let Some((program, rest)) = opts.rest.split_first() else {
        return Vec::new();
    };
    let mut words = vec![Arg {
        text: without_version(&program.text).to_string(),
        dynamic: program.dynamic,
    }];
    words.extend(rest.iter().cloned());
    argv(label, &words, stdin_text(cmd))
}

/// `rimraf@5` → `rimraf`, `@scope/pkg@1` → `@scope/pkg`.
fn without_version(spec: &str) -> &str {
    let from = usize::from(spec.starts_with('@'));
    match spec[from..].find('@') {
        Some(at) => &spec[..from + at],
        None => spec,
    }
}

/// The package.json script `name` in `dir` with its pre- and post-scripts, `args` appended to it.
fn run_script(ctx: &Context, dir: &Path, tool: &str, name: &Arg, args: &[Arg]) -> Vec<Inner> {
    let label = |script: &str| format!("{tool} run {script}");
    if name.dynamic {
        return vec![opaque(
            &label(&name.text),
            "the script name is only known at run time",
        )];
    }
    let text = match files::read(ctx, &dir.join("package.json")) {
        FileText::Text(text) => text,
        FileText::Missing => return Vec::new(),
        FileText::Unreadable(why) => {
            return vec![opaque(
                &label(&name.text),
                &format!("package.json was not read: {why}"),
            )];
        }
    };
    let json: serde_json::Value = match serde_json::from_str(&text) {
        Ok(json) => json,
        Err(e) => {
            return vec![opaque(
                &label(&name.text),
                &format!("package.json is not valid JSON: {e}"),
            )];
        }
    };
    let script = |key: &str| {
        json.get("scripts")
            .and_then(|s| s.get(key))
            .and_then(|s| s.as_str())
    };
    let Some(main) = script(&name.text) else {
        return Vec::new();
    };
    let args = script_args(tool, args);
    let mut inner = Vec::new();
    let pre = format!("pre{}", name.text);
    if let Some(code) = script(&pre) {
        inner.push(Inner::Shell {
            label: label(&pre),
            source: code.to_string(),
        });
    }
    let args = args.as_slice();
    let main = if args.is_empty() {
        main.to_string()
    } else {
        format!("{main} {}", quote_join(args))
    };
    inner.extend(shell_source(
        &label(&name.text),
        &main,
        args.iter().any(|a| a.dynamic),
    ));
    let post = format!("post{}", name.text);
    if let Some(code) = script(&post) {
        inner.push(Inner::Shell {
            label: label(&post),
            source: code.to_string(),
        });
    }
    inner
}

/// The words a script gets appended: npm keeps options before `--` for itself; the others pass
/// everything after the script name (a leading `--` dropped).
fn script_args(tool: &str, args: &[Arg]) -> Vec<Arg> {
    let dashes = args.iter().position(|a| a.text == "--");
    if tool != "npm" {
        let skip = usize::from(dashes == Some(0));
        return args[skip..].to_vec();
    }
    let (before, after) = match dashes {
        Some(at) => (&args[..at], &args[at + 1..]),
        None => (args, &args[args.len()..]),
    };
    let positional = before.iter().filter(|a| !a.text.starts_with('-'));
    positional.chain(after).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::super::super::command::Context;
    use super::super::test_support::*;
    use super::super::{opaque, unwrap};

    const PACKAGE: &str = r#"{
        "name": "app",
        "scripts": {
            "prebuild": "rm -rf dist",
            "build": "tsc",
            "postbuild": "cp -r static dist",
            "test": "jest",
            "start": "node server.js",
            "stop": "pkill -F app.pid",
            "db:reset": "prisma migrate reset --force"
        }
    }"#;

    fn project() -> (tempfile::TempDir, Context) {
        project_with("package.json", PACKAGE)
    }

    #[test]
    fn scripts_with_their_hooks() {
        let (_dir, ctx) = project();
        let build = vec![
            sh("npm run prebuild", "rm -rf dist"),
            sh("npm run build", "tsc"),
            sh("npm run postbuild", "cp -r static dist"),
        ];
        let rows: &[(&[&str], Vec<super::Inner>)] = &[
            (&["npm", "run", "build"], build.clone()),
            (
                &["npm", "--silent", "run-script", "--if-present", "build"],
                build,
            ),
            (
                &["npm", "run", "db:reset", "--", "--skip-seed"],
                vec![sh(
                    "npm run db:reset",
                    "prisma migrate reset --force --skip-seed",
                )],
            ),
            (&["npm", "test"], vec![sh("npm run test", "jest")]),
            (
                &["npm", "test", "--silent", "unit", "--", "-u"],
                vec![sh("npm run test", "jest unit -u")],
            ),
            (
                &["pnpm", "test", "--watch"],
                vec![sh("pnpm run test", "jest --watch")],
            ),
            (
                &["npm", "t", "--", "a b"],
                vec![sh("npm run test", "jest 'a b'")],
            ),
            (
                &["npm", "start"],
                vec![sh("npm run start", "node server.js")],
            ),
            (
                &["npm", "restart"],
                vec![
                    sh("npm run stop", "pkill -F app.pid"),
                    sh("npm run start", "node server.js"),
                ],
            ),
            (
                &["pnpm", "db:reset"],
                vec![sh("pnpm run db:reset", "prisma migrate reset --force")],
            ),
            (&["pnpm", "run", "test"], vec![sh("pnpm run test", "jest")]),
            (&["yarn", "test"], vec![sh("yarn run test", "jest")]),
            (&["yarn", "run", "test"], vec![sh("yarn run test", "jest")]),
            (&["bun", "run", "test"], vec![sh("bun run test", "jest")]),
            (&["npm", "run", "missing"], vec![]),
            (&["npm", "install"], vec![]),
            (&["pnpm", "install"], vec![]),
            (&["bun", "test"], vec![]),
            (
                &["pnpm", "eslint", "."],
                vec![run("pnpm eslint", &["eslint", "."])],
            ),
        ];
        for (words, want) in rows {
            assert_eq!(&unwrap(&cmd(words), &ctx), want, "{words:?}");
        }
    }

    #[test]
    fn scripts_that_cannot_be_read_need_a_human() {
        assert_eq!(
            example(&["npm", "run", "build"]),
            vec![opaque(
                "npm run build",
                "package.json was not read: reading files is turned off"
            )]
        );
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::write(dir.path().join("package.json"), "{ nope").unwrap();
        let ctx = Context {
            cwd: dir.path().to_path_buf(),
            read_files: true,
            ..Context::example()
        };
        assert!(matches!(
            unwrap(&cmd(&["npm", "test"]), &ctx).as_slice(),
            [super::Inner::Opaque { .. }]
        ));
        let empty = tempfile::TempDir::new().unwrap();
        let ctx = Context {
            cwd: empty.path().to_path_buf(),
            read_files: true,
            ..Context::example()
        };
        assert_eq!(unwrap(&cmd(&["npm", "run", "build"]), &ctx), vec![]);
    }

    #[test]
    fn package_binaries() {
        check_table(&[
            (&["npx", "rimraf", "/"], vec![run("npx", &["rimraf", "/"])]),
            (
                &["npx", "-y", "rimraf@5", "dist"],
                vec![run("npx", &["rimraf", "dist"])],
            ),
            (
                &["npx", "--package=@scope/x@1", "--", "@scope/x@2", "a"],
                vec![run("npx", &["@scope/x", "a"])],
            ),
            (
                &["npx", "-c", "rm -rf dist"],
                vec![sh("npx", "rm -rf dist")],
            ),
            (
                &["bunx", "prisma", "db", "push"],
                vec![run("bunx", &["prisma", "db", "push"])],
            ),
            (
                &["pnpm", "dlx", "prisma", "migrate", "reset"],
                vec![run("pnpm dlx", &["prisma", "migrate", "reset"])],
            ),
            (
                &["yarn", "dlx", "-p", "x", "rimraf", "a"],
                vec![run("yarn dlx", &["rimraf", "a"])],
            ),
            (
                &["npm", "exec", "--", "rimraf", "a"],
                vec![run("npm exec", &["rimraf", "a"])],
            ),
            (
                &["bun", "x", "rimraf", "a"],
                vec![run("bun x", &["rimraf", "a"])],
            ),
            (&["npx"], vec![]),
        ]);
    }
}
