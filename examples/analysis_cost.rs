//! `just bench`: the in-process cost of analysing Claude Code's wrapper around `npm test` (analysis
//! and rule matching, after the first call), with an empty and with a real-shape snapshot.
fn main() {
    let dir = std::env::temp_dir().join("sg-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let snap = dir.join("snapshot.sh");
    let fixture = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/agents/claude-snapshot-bash.sh"
    ))
    .unwrap();
    std::fs::write(&snap, fixture.replace("@HOME@", &dir.display().to_string())).unwrap();
    let empty = dir.join("empty.sh");
    std::fs::write(&empty, "").unwrap();
    let mut ctx = shellgate::analyze::Context::from_process();
    ctx.cwd =
        std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/project"));
    let rules = shellgate::rules::RuleSet::builtin();
    for (name, s) in [("empty snapshot", &empty), ("real-shape snapshot", &snap)] {
        let line = format!(
            "source {} 2>/dev/null || true && shopt -u extglob 2>/dev/null || true && eval 'npm test' < /dev/null && pwd -P >| /tmp/claude-1a2b-cwd",
            s.display()
        );
        let n = 300;
        let t = std::time::Instant::now();
        let mut found = 0;
        for _ in 0..n {
            let a = shellgate::analyze::analyze(&line, &ctx);
            found += a
                .commands
                .iter()
                .map(|c| rules.check(c, &ctx).len())
                .sum::<usize>()
                + a.opaque.len();
        }
        println!(
            "{name}: {:?} per line (analysis + rules), {} bytes snapshot, findings {}",
            t.elapsed() / n,
            std::fs::metadata(s).unwrap().len(),
            found / n as usize
        );
    }
}
