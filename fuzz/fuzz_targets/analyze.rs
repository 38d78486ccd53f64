//! Fuzz target: parsing, analysing and rule matching of any input must not panic, hang or
//! overflow the stack.
//!
//! Panics inside brush-parser calls are caught by shellgate (`parse::catch_parser_panic`) and
//! turned into a refusal, so the hook lets those unwind; any other panic aborts as a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shellgate::analyze::{Context, analyze};

fn parser_panics_unwind() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            if !shellgate::parse::in_parser() {
                eprintln!("{info}");
                std::process::abort();
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    parser_panics_unwind();
    let line = String::from_utf8_lossy(data);
    let ctx = Context::example();
    let analysis = analyze(&line, &ctx);
    let rules = shellgate::rules::RuleSet::builtin();
    for command in &analysis.commands {
        let _ = rules.check(command, &ctx);
    }
});
