//! The documentation says what the code does: every exit status in `src/error.rs` appears, with
//! its value, in `docs/exit-codes.md` and in the README's table.

use regex::Regex;

fn read(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// `(name, value)` of every `pub const EXIT_*: i32 = N;` in `src/error.rs`.
fn exit_codes() -> Vec<(String, i32)> {
    let source = read("src/error.rs");
    let constant = Regex::new(r"pub const (EXIT_[A-Z_]+): i32 = (\d+);").unwrap();
    let codes: Vec<(String, i32)> = constant
        .captures_iter(&source)
        .map(|c| (c[1].to_string(), c[2].parse().unwrap()))
        .collect();
    assert!(codes.len() >= 4, "found only {codes:?} in src/error.rs");
    codes
}

#[track_caller]
fn documents_every_exit_code(path: &str) {
    let doc = read(path);
    for (name, value) in exit_codes() {
        let row = doc
            .lines()
            .find(|line| line.starts_with('|') && line.contains(&format!("`{name}`")))
            .unwrap_or_else(|| panic!("{path} has no table row for `{name}`"));
        assert!(
            row.contains(&format!("| {value} |")),
            "{path}: the row for `{name}` does not give its value {value}: {row}"
        );
    }
}

#[test]
fn exit_codes_doc_matches_the_code() {
    documents_every_exit_code("docs/exit-codes.md");
}

#[test]
fn readme_exit_code_table_matches_the_code() {
    documents_every_exit_code("README.md");
}
