#!/usr/bin/env bash
# `just bench`: how much time shellgate adds to a line, as `shellgate -c LINE` against `bash -c LINE`
# on this machine, for a few harmless lines shaped like what agents send. Prints mean times and the
# ratio per line. Uses hyperfine when installed (`apt-get install -y hyperfine`), else a timing loop.
#
# usage: scripts/bench.sh [path/to/shellgate]   (default: target/release/shellgate)
set -euo pipefail

shellgate=${1:-target/release/shellgate}
if [ ! -x "$shellgate" ]; then
  echo "bench: $shellgate is missing; build it first: cargo build --release" >&2
  exit 1
fi
shellgate=$(realpath "$shellgate")
bash=/bin/bash
export SHELLGATE_SHELL=$bash
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Claude Code's wrapper shape, with a harmless command inside.
claude_line="source /dev/null 2>/dev/null || true && eval 'echo hi' < /dev/null && pwd -P >| $tmp/cwd"
lines=(
  'true'
  'echo hi'
  "$claude_line"
  'cd /tmp && ls -d . | wc -l && git --version >/dev/null 2>&1; printf "%s\n" a b c | sort -r | head -n 1'
)

# Quote one word for hyperfine's POSIX-style command splitting.
quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

if command -v hyperfine >/dev/null 2>&1; then
  for line in "${lines[@]}"; do
    echo "== $line"
    hyperfine --shell=none --warmup 20 --min-runs 200 --style basic \
      --export-markdown "$tmp/table.md" \
      -n 'bash -c' "$bash -c $(quote "$line")" \
      -n 'shellgate -c' "$shellgate -c $(quote "$line")" >/dev/null
    cat "$tmp/table.md"
    echo
  done
  exit 0
fi

echo "(hyperfine is not installed: timing loop of 300 runs each; apt-get install -y hyperfine for better figures)"
runs=300
mean_us() {
  local start end
  start=$(date +%s%N)
  for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  echo $(((end - start) / runs / 1000))
}
printf '%-12s %-12s %-7s %s\n' 'bash -c' 'shellgate -c' 'ratio' 'line'
for line in "${lines[@]}"; do
  plain=$(mean_us "$bash" -c "$line")
  gated=$(mean_us "$shellgate" -c "$line")
  ratio=$(awk -v a="$gated" -v b="$plain" 'BEGIN { printf "%.2f", a / b }')
  printf '%-12s %-12s %-7s %s\n' "${plain}us" "${gated}us" "${ratio}x" "$line"
done
