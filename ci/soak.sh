#!/usr/bin/env bash
# Flake soak: runs the suite N times (default 50) while stress-ng loads the
# machine (IPCCONF_SOAK_LOAD, default "--cpu <cores> --io 1"), and stops at the
# first run that fails or leaks, printing its summary.
# usage: ci/soak.sh [N] [BUILD_DIR] [-- ipcconf run options]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-50}
build=${2:-$top/build}
shift $(( $# > 2 ? 2 : $# )); [ "${1:-}" = "--" ] && shift
command -v stress-ng >/dev/null || { echo "soak: stress-ng is missing (ci/install-deps.sh --test)" >&2; exit 2; }
out=$(mktemp -d)
load=${IPCCONF_SOAK_LOAD:---cpu $(nproc) --io 1}
# shellcheck disable=SC2086 # the load is a list of stress-ng options
stress-ng $load --timeout 7200s --quiet &
loadpid=$!
trap 'kill $loadpid 2>/dev/null; wait $loadpid 2>/dev/null; rm -rf "$out"' EXIT
t0=$(date +%s)
for i in $(seq "$n"); do
  if ! "$build/runner/ipcconf" run --out "$out/o" "$@" >"$out/log" 2>&1; then
    cat "$out/log"; echo "soak: run $i of $n failed under load" >&2; exit 1
  fi
  printf 'run %d/%d: %s\n' "$i" "$n" "$(grep -E "^[0-9]+ passed," "$out/log")"
done
echo "soak: $n runs, no failure and no leak, under stress-ng $load, $(( $(date +%s) - t0 )) s"
