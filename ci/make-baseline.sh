#!/usr/bin/env bash
# ci/make-baseline.sh BUNDLE [TARGET-GLOB]
#
# Prints a baseline (`ipcconf run --expect FILE`) naming every result of
# BUNDLE that is failed, broken or timed out (and every declared expected
# failure), on the targets whose id matches TARGET-GLOB (a shell pattern,
# default every target): one line "TARGET  PROGRAM:CASE  OUTCOME  REASON"
# each, the reason being the case's own. Edit the reasons to say why the
# deviation is known (a QEMU bug, a C library's choice) and widen the target
# patterns where the cause is common, then keep the file beside the CI that
# runs it: a new failure then fails the run, a fixed one is reported stale.
set -euo pipefail
[ $# -ge 1 ] && [ $# -le 2 ] || { sed -n '2,/^set /s/^# \{0,1\}//p' "$0" | sed '$d' >&2; exit 2; }
bundle=$1 glob=${2:-*}
[ -d "$bundle" ] && bundle=$bundle/bundle.json
[ -r "$bundle" ] || { echo "make-baseline: no bundle at $1" >&2; exit 2; }
command -v jq >/dev/null || { echo "make-baseline: needs jq (apt-get install jq)" >&2; exit 2; }
echo "# made by ci/make-baseline.sh from $1 on $(date -u +%Y-%m-%d): edit the reasons"
jq -r '.cases[] as $c | $c.results | to_entries[] |
  select(.value.outcome | IN("failed", "broken", "timed_out", "expected_failure")) |
  [.key, ($c.id | sub("^.*/"; "")), .value.outcome,
   (.value.reason | gsub("[\n\r\t]"; " ") | sub("^[^ ]*\\.c:[0-9]+: "; "") | .[0:160])] | @tsv' "$bundle" |
while IFS=$'\t' read -r target case outcome reason; do
  # shellcheck disable=SC2254
  case $target in $glob) printf '%-16s %-58s %-16s %s\n' "$target" "$case" "$outcome" "$reason" ;; esac
done
