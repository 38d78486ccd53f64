//! The `shellgate` binary: everything lives in the library; this only maps the outcome to an exit status.

fn main() {
    std::process::exit(shellgate::run(std::env::args_os().collect()));
}
