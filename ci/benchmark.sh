#!/usr/bin/env bash
# Times the whole host suite: N runs (default 5) of `ipcconf run` from the build
# tree, printing each wall time and the minimum, median and maximum.
# usage: ci/benchmark.sh [N] [BUILD_DIR] [-- ipcconf run options]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-5}
build=${2:-$top/build}
shift $(( $# > 2 ? 2 : $# )); [ "${1:-}" = "--" ] && shift
[ -x "$build/runner/ipcconf" ] || { echo "benchmark: build first (cmake --build $build)" >&2; exit 2; }
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
times=()
for i in $(seq "$n"); do
  t0=$(date +%s.%N)
  "$build/runner/ipcconf" run --out "$out/o" "$@" >"$out/log" 2>&1 || { cat "$out/log"; echo "benchmark: run $i failed" >&2; exit 1; }
  t1=$(date +%s.%N)
  t=$(awk "BEGIN{print $t1-$t0}")
  times+=("$t")
  printf 'run %d: %.2f s (%s)\n' "$i" "$t" "$(tail -n1 "$out/log")"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "cases: see above; runs: %d; min %.2f s, median %.2f s, max %.2f s\n", NR, a[1], a[int((NR+1)/2)], a[NR]}'
echo "machine: $(nproc) cores, $(uname -r), jobs: ipcconf default (one per core)"
