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
# (`source /dev/null` would be refused: not a regular file; an empty snapshot is.)
: > "$tmp/empty.sh"
claude_line="source $tmp/empty.sh 2>/dev/null || true && eval 'echo hi' < /dev/null && pwd -P >| $tmp/cwd"

# Quote one word for hyperfine's POSIX-style command splitting.
quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# A realistic Claude Code snapshot (~30 KB): the real file's shape (tests/fixtures/agents), plus
# the functions of a user's shell as Claude stores them (`declare -f NAME | base64` lines).
snapshot=$tmp/snapshot-bash-bench.sh
here=$(cd "$(dirname "$0")/.." && pwd)
{
  sed -n '1,/^# Shell Options/p' "$here/tests/fixtures/agents/claude-snapshot-bash.sh" | sed '$d'
  for i in $(seq 1 48); do
    eval "proj_helper_$i () { local dir=\"\${1:-.}\" mode=\"\${2:-fast}\"; case \"\$mode\" in fast) command ls -- \"\$dir\" ;; full) command ls -la -- \"\$dir\" | command head -n \"\${3:-20}\" ;; *) printf '%s: unknown mode %s\\n' \"\$FUNCNAME\" \"\$mode\" >&2; return 2 ;; esac; }"
    printf 'eval "$(echo '"'"'%s'"'"' | base64 -d)" > /dev/null 2>&1\n' "$(declare -f "proj_helper_$i" | base64)"
  done
  sed -n '/^# Shell Options/,$p' "$here/tests/fixtures/agents/claude-snapshot-bash.sh" | sed "s#@HOME@#$tmp#g"
} > "$snapshot"
# Claude Code's wrapper around `npm test` (analysed only), and around `echo hi` (also run).
wrap() { echo "source $snapshot 2>/dev/null || true && shopt -u extglob 2>/dev/null || true && eval '$1' < /dev/null && pwd -P >| $tmp/cwd"; }
snapshot_line=$(wrap 'npm test')
echo "snapshot: $(wc -c < "$snapshot") bytes; analysis alone (shellgate check, no shell):"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --shell=none --warmup 5 --min-runs 50 --style basic -i \
    --export-markdown "$tmp/check.md" \
    -n 'check: echo hi' "$shellgate check $(quote 'echo hi')" \
    -n 'check: snapshot line' "$shellgate check $(quote "$snapshot_line")" >/dev/null
  cat "$tmp/check.md"; echo
fi
lines=(
  'true'
  'echo hi'
  "$claude_line"
  "$(wrap 'echo hi')"
  'cd /tmp && ls -d . | wc -l && git --version >/dev/null 2>&1; printf "%s\n" a b c | sort -r | head -n 1'
)


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
