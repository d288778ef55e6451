#!/usr/bin/env bash
# Tests of the ipcconf command: usage errors exit 2 with a message, a run with
# failing, crashing and timed-out cases exits 1, reports each one with its
# reason, and leaves no IPC object behind.
# usage: runner_test.sh IPCCONF_BINARY SAMPLE_SUITE_DIR
set -u
ipcconf=$1 sample=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0 checks=0

check() { # check NAME CONDITION-COMMAND...
  local name=$1; shift
  checks=$((checks + 1))
  if "$@"; then echo "ok - $name"; else echo "not ok - $name"; failures=$((failures + 1)); fi
}
status_is() { # status_is EXPECTED COMMAND... (output to $tmp/out)
  local want=$1; shift
  "$@" >"$tmp/out" 2>&1; local got=$?
  [ "$got" = "$want" ] || { echo "  expected exit $want, got $got from: $*"; sed 's/^/  | /' "$tmp/out"; return 1; }
}
says() { grep -q -- "$1" "$tmp/out" || { echo "  output lacks: $1"; sed 's/^/  | /' "$tmp/out"; return 1; }; }

check "no command is a usage error" status_is 2 "$ipcconf"
check "an unknown command is a usage error" status_is 2 "$ipcconf" frobnicate
check "  ...and names the command" says "unknown command 'frobnicate'"
check "--jobs 0 is refused" status_is 2 "$ipcconf" run --jobs 0 --out "$tmp/o"
check "a missing suite directory is refused" status_is 2 "$ipcconf" run --suite "$tmp/none" --out "$tmp/o"
check "  ...saying there is no Kyuafile" says "no readable Kyuafile"
check "an unknown filter is refused" status_is 2 "$ipcconf" run --suite "$sample" --filter nosuch --out "$tmp/o"
check "  ...naming the filter" says "nosuch"
check "version prints the version" status_is 0 "$ipcconf" version

check "a run with failures exits 1" status_is 1 "$ipcconf" run --suite "$sample" --out "$tmp/o"
check "  ...counts one pass" grep -Eq '^total +1 +1 +0 +0 +2' "$tmp/out"
check "  ...reports the failed check with both errnos" says "sample__fails  failed: .*expected -1 with errno EAGAIN, got -1 with errno EBADF"
check "  ...reports the crash" says "sample__crashes  broken: .*signal 6"
check "  ...reports the timeout" says "sample__times_out  broken: .*timed out"
check "  ...leaves no IPC object behind" says "No IPC objects left behind"
check "  ...writes the results store" test -s "$tmp/o/results.db"
check "  ...writes the HTML report" test -s "$tmp/o/html/index.html"
check "  ...ends with the plain totals line" says "^1 passed, 1 failed, 0 skipped, 0 expected failures, 2 broken$"

echo "runner_test: $((checks - failures)) passed, $failures failed"
[ "$failures" = 0 ]
