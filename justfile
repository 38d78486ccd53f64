# shellgate's everyday commands. `just ci` is exactly what CI runs.

# list the recipes
default:
    @just --list

# build the release binary (target/release/shellgate)
build:
    cargo build --release --locked

# run the whole test suite
test:
    cargo test --locked

# score the labelled corpus (tests/corpus/*.yaml): recall, false positives, known misses
corpus:
    cargo test --locked --test lib corpus -- --nocapture

# what CI runs: install zsh/dash when missing, then fmt check, clippy, tests
ci:
    .ci/run

# format the code
fmt:
    cargo fmt --all

# the README example: a force push in a throwaway repository with no remote, stopped by shellgate
demo: build
    #!/usr/bin/env bash
    set -uo pipefail
    shellgate="$PWD/target/release/shellgate"
    cd "$(mktemp -d)" && git init -q
    SHELLGATE_MODE=deny "$shellgate" -c 'git push --force origin main'
    echo "exit status: $?"

# per line: mean and min of `shellgate -c LINE` and `bash -c LINE`, their ratio, and the analysis alone (`shellgate check`)
bench: build
    scripts/bench.sh target/release/shellgate
    cargo run --quiet --release --example analysis_cost
