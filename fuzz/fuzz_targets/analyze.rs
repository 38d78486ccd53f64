//! Fuzz target: parsing and analysing any input must not panic, hang or overflow the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shellgate::analyze::{Context, analyze};

fuzz_target!(|data: &[u8]| {
    let line = String::from_utf8_lossy(data);
    let _ = analyze(&line, &Context::example());
});
