#!/usr/bin/env bash
# `just bench`: how much time shellgate adds to a line, as `shellgate -c LINE` against `bash -c LINE`
# on this machine, for harmless lines shaped like what agents send. For each line it prints the
# mean and the minimum of both, their ratios, and shellgate's analysis alone (`shellgate check
# LINE`: start, parse, analyse, match, no shell). The minimum is the figure to quote on a busy
# machine; the mean shows the noise. Uses hyperfine when installed (`apt-get install -y
# hyperfine`), else a timing loop that gives means only.
#
# usage: scripts/bench.sh [path/to/shellgate]   (default: target/release/shellgate)
set -euo pipefail

shellgate=${1:-target/release/shellgate}
if [ ! -x "$shellgate" ]; then
  echo "bench: $shellgate is missing; build it first: cargo build --release" >&2
  exit 1
fi
# Absolute, but not through symlinks: shellgate serves its own subcommands (`check`) only under
# its own name.
shellgate=$(cd "$(dirname "$shellgate")" && pwd)/$(basename "$shellgate")
here=$(cd "$(dirname "$0")/.." && pwd)
bash=/bin/bash
export SHELLGATE_SHELL=$bash
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Claude Code's wrapper shape, with a harmless command inside.
# (`source /dev/null` would be refused: not a regular file; an empty snapshot is.)
: > "$tmp/empty.sh"
claude_line="source $tmp/empty.sh 2>/dev/null || true && eval 'echo hi' < /dev/null && pwd -P >| $tmp/cwd"

# A realistic Claude Code snapshot (~30 KB): the real file's shape (tests/fixtures/agents), plus
# the functions of a user's shell as Claude stores them (`declare -f NAME | base64` lines).
snapshot=$tmp/snapshot-bash-bench.sh
{
  sed -n '1,/^# Shell Options/p' "$here/tests/fixtures/agents/claude-snapshot-bash.sh" | sed '$d'
  for i in $(seq 1 48); do
    eval "proj_helper_$i () { local dir=\"\${1:-.}\" mode=\"\${2:-fast}\"; case \"\$mode\" in fast) command ls -- \"\$dir\" ;; full) command ls -la -- \"\$dir\" | command head -n \"\${3:-20}\" ;; *) printf '%s: unknown mode %s\\n' \"\$FUNCNAME\" \"\$mode\" >&2; return 2 ;; esac; }"
    printf 'eval "$(echo '"'"'%s'"'"' | base64 -d)" > /dev/null 2>&1\n' "$(declare -f "proj_helper_$i" | base64)"
  done
  sed -n '/^# Shell Options/,$p' "$here/tests/fixtures/agents/claude-snapshot-bash.sh" | sed "s#@HOME@#$tmp#g"
} > "$snapshot"
wrap() { echo "source $snapshot 2>/dev/null || true && shopt -u extglob 2>/dev/null || true && eval '$1' < /dev/null && pwd -P >| $tmp/cwd"; }

# name|line; lines are run by both shells in this repository (git status reads it, changes nothing).
lines=(
  "true|true"
  "echo hi|echo hi"
  "ls|ls"
  "git status|git status"
  "Claude wrapper, empty snapshot, echo hi|$claude_line"
  "Claude wrapper, 30 KB snapshot, echo hi|$(wrap 'echo hi')"
  'pipeline|cd /tmp && ls -d . | wc -l && git --version >/dev/null 2>&1; printf "%s\n" a b c | sort -r | head -n 1'
)
# Analysed only (`shellgate check`): running it would run the project's tests.
check_only=("Claude wrapper, 30 KB snapshot, npm test|$(wrap 'npm test')")
cd "$here"

# Quote one word for hyperfine's POSIX-style command splitting.
quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
ms() { awk -v s="$1" 'BEGIN { printf "%.2f", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "snapshot: $(wc -c < "$snapshot") bytes; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "times in ms as mean (min); ratio = shellgate -c / bash -c; check = analysis alone, no shell"
echo

if command -v hyperfine >/dev/null 2>&1; then
  # mean and min (seconds) of the benchmark named $2 in hyperfine's CSV $1
  field() { awk -F, -v n="$2" -v col="$3" 'NR > 1 && $1 == n { print $col }' "$1"; }
  echo "| line | bash -c | shellgate -c | ratio mean (min) | check |"
  echo "|---|---|---|---|---|"
  # one table row: $1 name, $2 line, $3 "check" when the line is only analysed
  row() {
    local args=(-n check "$shellgate check $(quote "$2")")
    if [ "${3:-}" != check ]; then
      args+=(-n bash "$bash -c $(quote "$2")" -n shellgate "$shellgate -c $(quote "$2")")
    fi
    hyperfine --shell=none --warmup 20 --min-runs 200 --style none -i \
      --export-csv "$tmp/run.csv" "${args[@]}" >/dev/null 2>&1
    local c_mean c_min check
    c_mean=$(field "$tmp/run.csv" check 2) c_min=$(field "$tmp/run.csv" check 7)
    check="$(ms "$c_mean") ($(ms "$c_min"))"
    if [ "${3:-}" = check ]; then
      echo "| $1 | - | - | - | $check |"
      return
    fi
    local b_mean b_min s_mean s_min
    b_mean=$(field "$tmp/run.csv" bash 2) b_min=$(field "$tmp/run.csv" bash 7)
    s_mean=$(field "$tmp/run.csv" shellgate 2) s_min=$(field "$tmp/run.csv" shellgate 7)
    echo "| $1 | $(ms "$b_mean") ($(ms "$b_min")) | $(ms "$s_mean") ($(ms "$s_min")) |" \
      "$(ratio "$s_mean" "$b_mean")x ($(ratio "$s_min" "$b_min")x) | $check |"
  }
  for entry in "${lines[@]}"; do row "${entry%%|*}" "${entry#*|}"; done
  for entry in "${check_only[@]}"; do row "${entry%%|*}" "${entry#*|}" check; done
  exit 0
fi

echo "(hyperfine is not installed: timing loop of 300 runs each, means only;"
echo " apt-get install -y hyperfine for minimums and better figures)"
runs=300
mean_s() {
  local start end
  start=$(date +%s%N)
  for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  awk -v ns=$((end - start)) -v n=$runs 'BEGIN { printf "%.6f", ns / n / 1e9 }'
}
echo "| line | bash -c | shellgate -c | ratio | check |"
echo "|---|---|---|---|---|"
for entry in "${lines[@]}"; do
  name=${entry%%|*}
  line=${entry#*|}
  plain=$(mean_s "$bash" -c "$line")
  gated=$(mean_s "$shellgate" -c "$line")
  check=$(mean_s "$shellgate" check "$line")
  echo "| $name | $(ms "$plain") | $(ms "$gated") | $(ratio "$gated" "$plain")x | $(ms "$check") |"
done
for entry in "${check_only[@]}"; do
  echo "| ${entry%%|*} | - | - | - | $(ms "$(mean_s "$shellgate" check "${entry#*|}")") |"
done
