#!/usr/bin/env bash
# The last job of a CI matrix: merges every bundle found under IN (one
# directory per job, as artifact downloads lay them out) into OUT and writes
# the reports there: report.xml (JUnit), report.html, report.md.
# usage: ci/merge-job.sh IN OUT
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
in=${1:?usage: ci/merge-job.sh IN OUT}
out=${2:?usage: ci/merge-job.sh IN OUT}
"$top/ci/install-deps.sh"
cmake -S "$top" -B "$top/build" >/dev/null
cmake --build "$top/build" -j "$(nproc)" --target ipcconf >/dev/null
mapfile -t bundles < <(find "$in" -name bundle.json -not -path '*/targets/*' | sort)
[ ${#bundles[@]} -gt 0 ] || { echo "merge-job: no bundle.json under $in" >&2; exit 2; }
"$top/build/runner/ipcconf" merge "${bundles[@]}" --out "$out"
for f in junit:report.xml html:report.html markdown:report.md; do
  "$top/build/runner/ipcconf" report "$out" --format "${f%%:*}" --out "$out/${f#*:}"
done
