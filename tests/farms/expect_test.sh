#!/usr/bin/env bash
# Baselines (--expect FILE): the sample suite's failure, crash and timeout
# named in a baseline are known deviations (run exits 0, listed apart, the
# bundle keeps what happened); a failure the baseline does not name fails the
# run; a line whose case now passes is stale and fails it; a line for another
# target does not apply; diff and report judge by the same file; run --ktap
# streams known deviations as XFAIL; malformed files are refused with their
# line; the baselines shipped in ci/baselines/ parse.
# usage: expect_test.sh IPCCONF BUILD_DIR WORK_DIR
set -u
ipcconf=$1 build=$2
here=$(cd "$(dirname "$0")" && pwd)
sample=$build/tests/runner
. "$here/../lib/tap.sh"

cat >"$tmp/known.txt" <<'EOF'
# The sample suite's planted deviations.
host          sample_test:sample__fails   failed     writes to descriptor -1 on purpose
host          *:sample__crashes           broken     aborts on purpose
h*            sample__times_out           timed_out  hangs on purpose
docker:*      sample__may_flake           failed     a line for another target
EOF
check "run --expect: planted failures all known exits 0" status_is 0 "$ipcconf" run --suite "$sample" --expect "$tmp/known.txt" --out "$tmp/k"
check "  ...they are listed apart as known deviations" says "^Baseline .*known.txt: 3 known deviation\(s\), 0 stale expectation\(s\)$"
check "  ...each with the baseline's reason" says "^  known  \[host\] sample_test:sample__fails  failed: writes to descriptor -1 on purpose$"
check "  ...counted as expected failures" says "^3 passed, 0 failed, 0 skipped, 3 expected failures, 0 broken, 0 timed out$"
check "  ...the bundle keeps what happened" jq_is "$tmp/k/bundle.json" '[.cases[].results.host.outcome] | sort | join(",")' "broken,failed,passed,passed,passed,timed_out"
check "  ...the JUnit report beside it is green" grep -q 'failures="0" errors="0"' "$tmp/k/report.xml"

head -3 "$tmp/known.txt" >"$tmp/part1.txt" && tail -n +4 "$tmp/known.txt" >"$tmp/part2.txt"
check "two --expect files make one baseline" status_is 0 "$ipcconf" run --suite "$sample" --expect "$tmp/part1.txt" --expect "$tmp/part2.txt" --out "$tmp/k2"
check "  ...naming both" says "^Baseline .*part1.txt, .*part2.txt: 3 known deviation"

IPCCONF_SAMPLE_BREAK=1 "$ipcconf" run --suite "$sample" --expect "$tmp/known.txt" --out "$tmp/new" >"$tmp/out" 2>&1
check "a failure the baseline does not name fails the run" test $? = 1
check "  ...and is reported as a failure" says "sample__passes  failed: .*IPCCONF_SAMPLE_BREAK"

{ cat "$tmp/known.txt"; echo "host  sample__may_flake  failed  flaked once, long ago"; } >"$tmp/stale.txt"
check "a line whose case now passes fails the run" status_is 1 "$ipcconf" run --suite "$sample" --expect "$tmp/stale.txt" --out "$tmp/s"
check "  ...reported as stale" says "^  STALE  \[host\] sample_test:sample__may_flake  passed: stale expectation \(.*stale.txt:6\)"

{ cat "$tmp/known.txt"; echo "host  sample__may_flake  flaky  fails every other run"; } >"$tmp/flaky.txt"
check "a flaky line: its passing case is known, not stale" status_is 0 "$ipcconf" run --suite "$sample" --expect "$tmp/flaky.txt" --out "$tmp/f"
check "  ...and listed as known" says "^  known  \[host\] sample_test:sample__may_flake  passed: fails every other run$"

"$ipcconf" report "$tmp/k" --format ktap --expect "$tmp/known.txt" >"$tmp/k.ktap"
check "report --expect: the known deviations are XFAIL in KTAP" test "$(grep -c ' # XFAIL ' "$tmp/k.ktap")" = 3
check "  ...and the family passes" grep -q '^ok 1 sample_test$' "$tmp/k.ktap"
check "  ...the reason names the baseline's line" grep -q '^  # sample__fails: known deviation (.*known.txt:2): writes to descriptor -1 on purpose; the case: ' "$tmp/k.ktap"
check "  ...without --expect the same bundle fails" grep -q '^not ok 1 sample_test$' <("$ipcconf" report "$tmp/k" --format ktap)

"$ipcconf" run --ktap --suite "$sample" --expect "$tmp/known.txt" --out "$tmp/kt" >"$tmp/kt.ktap" 2>/dev/null
check "run --ktap --expect exits 0" test $? = 0
check "  ...streaming the known deviations as XFAIL" test "$(grep -c ' # XFAIL ' "$tmp/kt.ktap")" = 3

check "diff: a planted regression exits 1" status_is 1 "$ipcconf" diff "$tmp/k" "$tmp/new"
echo "host  sample__passes  failed  broken on purpose in this test" >>"$tmp/known.txt"
check "diff --expect: the same change named in the baseline is no regression" status_is 0 "$ipcconf" diff "$tmp/k" "$tmp/new" --expect "$tmp/known.txt"

printf 'host sample__fails flunked why\n' >"$tmp/bad1.txt"
check "an unknown outcome is refused" status_is 2 "$ipcconf" report "$tmp/k" --format json --expect "$tmp/bad1.txt"
check "  ...naming the line" says "bad1.txt:1: 'flunked' is not an outcome"
printf '# fine\nhost sample__fails failed\n' >"$tmp/bad2.txt"
check "a line without a reason is refused" status_is 2 "$ipcconf" report "$tmp/k" --format json --expect "$tmp/bad2.txt"
check "  ...naming the line" says "bad2.txt:2: say why"
check "a missing baseline is refused" status_is 2 "$ipcconf" run --suite "$sample" --expect "$tmp/none.txt" --out "$tmp/x"

for f in "$here"/../../ci/baselines/*.txt; do
  check "ci/baselines/$(basename "$f") parses" status_is 0 "$ipcconf" report "$here/../reports/three-targets" --format json --expect "$f" --out "$tmp/parse.json"
done
finish
