#!/usr/bin/env bash
# Times the whole host suite from the build tree: N runs (default 3) at each
# Kyua parallelism (default "1 2"), printing each run's wall time, then per
# parallelism the minimum, median and maximum, cases per second, and the ten
# slowest cases of the last run (from its bundle).
# usage: ci/benchmark.sh [N] [BUILD_DIR] [-- ipcconf run options]
#        IPCCONF_BENCH_JOBS="2" ci/benchmark.sh 5
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-3}
build=${2:-$top/build}
shift $(( $# > 2 ? 2 : $# )); [ "${1:-}" = "--" ] && shift
[ -x "$build/runner/ipcconf" ] || { echo "benchmark: build first (cmake --build $build)" >&2; exit 2; }
command -v jq >/dev/null || { echo "benchmark: jq is missing (ci/install-deps.sh --test)" >&2; exit 2; }
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
echo "machine: $(nproc) cores, kernel $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for jobs in ${IPCCONF_BENCH_JOBS:-1 2}; do
  times=()
  for i in $(seq "$n"); do
    t0=$(date +%s.%N)
    "$build/runner/ipcconf" run --jobs "$jobs" --out "$out/o" "$@" >"$out/log" 2>&1 \
      || { cat "$out/log"; echo "benchmark: run $i failed" >&2; exit 1; }
    t1=$(date +%s.%N)
    t=$(awk "BEGIN{print $t1-$t0}")
    times+=("$t")
    printf 'jobs %s, run %d: %.2f s (%s)\n' "$jobs" "$i" "$t" "$(grep -E '^[0-9]+ passed,' "$out/log")"
  done
  cases=$(jq '.cases | length' "$out/o/bundle.json")
  printf '%s\n' "${times[@]}" | sort -n | awk -v j="$jobs" -v c="$cases" '{a[NR]=$1}
    END {printf "jobs %s: %d cases; min %.2f s, median %.2f s, max %.2f s; %.0f cases/s at the median\n",
         j, c, a[1], a[int((NR+1)/2)], a[NR], c / a[int((NR+1)/2)]}'
  echo "jobs $jobs: the ten slowest cases of the last run:"
  jq -r '[.cases[] | {id, d: ([.results[].duration_s] | max)}] | sort_by(-.d) | .[:10][]
         | "  \(.d * 1000 | round) ms  \(.id)"' "$out/o/bundle.json"
done
