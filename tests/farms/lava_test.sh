#!/usr/bin/env bash
# LAVA: ci/lava/ipcconf.yaml passes the test-definition schema of Debian's
# lava-common and its run steps, executed as LAVA's test shell would (its
# parameters as shell variables), run a filtered suite whose signals match
# the bundle it wrote: one test set per family, case ids without whitespace
# and unique, results mapped as reports/FARMS.md says. `report --format
# lava` of the same bundle, of the sample suite and of a three-target bundle
# keep the same rules.
# usage: lava_test.sh IPCCONF BUILD_DIR WORK_DIR
set -u
ipcconf=$1 build=$2
here=$(cd "$(dirname "$0")" && pwd)
def=$here/../../ci/lava/ipcconf.yaml
. "$here/../lib/tap.sh"

same() { [ "$1" = "$2" ] || { echo "  expected:"; echo "$2" | head -5; echo "  got:"; echo "$1" | head -5; return 1; }; }
# signals FILE: "SET ID RESULT" per test case, sorted; "OUTSIDE ID RESULT" for one outside a set
# (ipcconf-run is left out); "NESTED", "UNCLOSED" or "STRAY-STOP" when the sets are not well formed.
signals() {
  awk '
    /^<LAVA_SIGNAL_TESTSET START [^ >]+>$/ { if (set != "") print "NESTED"; set = $3; sub(/>$/, "", set); next }
    /^<LAVA_SIGNAL_TESTSET STOP>$/ { if (set == "") print "STRAY-STOP"; set = ""; next }
    /^<LAVA_SIGNAL_TESTCASE / {
      id = ""; res = ""
      for (i = 2; i <= NF; i++) { f = $i; sub(/>$/, "", f)
        if (f ~ /^TEST_CASE_ID=/) id = substr(f, 14); if (f ~ /^RESULT=/) res = substr(f, 8) }
      if (id == "ipcconf-run") next
      print (set == "" ? "OUTSIDE" : set), id, res }
    END { if (set != "") print "UNCLOSED" }' "$1" | sort
}
# expected BUNDLE [PREFIXED]: the same lines from the bundle's results.
expected() {
  jq -r --arg p "${2:-}" '(.targets | map(.id)) as $t | .cases[] as $c | $c.results | to_entries[] |
    (.key | gsub("[^A-Za-z0-9_.-]"; "_")) as $tc |
    def clean: gsub("[^A-Za-z0-9_.-]"; "_");
    "\(if $p != "" then $tc + "." else "" end)\($c.family | clean) \(if $p != "" then $tc + "." else "" end)\($c.name | clean) \(
      {"passed":"pass","expected_failure":"pass","failed":"fail","skipped":"skip","broken":"unknown","timed_out":"unknown"}[.value.outcome])"' "$1" | sort
}
well_formed_ids() {
  ! grep '^<LAVA_SIGNAL_TESTCASE' "$1" | sed 's/.*TEST_CASE_ID=\([^ >]*\).*/\1/' | grep -Ev '^[A-Za-z0-9_.-]+$' &&
    [ -z "$(grep '^<LAVA_SIGNAL_TESTCASE' "$1" | sed 's/.*TEST_CASE_ID=\([^ >]*\).*/\1/' | sort | uniq -d)" ]
}

# The definition against lava-common's schema (ci/install-deps.sh --test installs lava-common).
if /usr/bin/python3 -c 'import lava_common.schemas.test.testdef' 2>/dev/null; then
  check "ci/lava/ipcconf.yaml is a valid Lava-Test Test Definition 1.0" /usr/bin/python3 -c '
import sys, yaml
from lava_common.schemas.test.testdef import validate
validate(yaml.safe_load(open(sys.argv[1])))' "$def"
else
  echo "ok - ci/lava/ipcconf.yaml against lava-common's schema # SKIP lava-common is not installed"
fi
check "  ...with parameters for the filter, the timeout multiplier and the shard" /usr/bin/python3 -c '
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
assert d["metadata"]["format"] == "Lava-Test Test Definition 1.0"
assert {"FILTER", "TIME_SCALE", "SHARD"} <= set(d["params"])
assert any("ipcconf run --lava" in s for s in d["run"]["steps"])' "$def"

# Its run steps as LAVA's test shell runs them: parameters as variables, then the steps in one shell.
/usr/bin/python3 - "$def" "$tmp/run.sh" "$tmp/lava-out" <<'EOF'
import shlex, sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
params = dict(d["params"], FILTER="sysv_msg fifo_open_test", OUT=sys.argv[3])
with open(sys.argv[2], "w") as f:
    for k, v in params.items():
        f.write(f"{k}={shlex.quote(str(v))}\n")
    f.write("\n".join(d["run"]["steps"]) + "\n")
EOF
PATH="$(dirname "$ipcconf"):$PATH" sh "$tmp/run.sh" >"$tmp/run.out" 2>"$tmp/run.err"
check "the definition's steps run the suite" test -s "$tmp/lava-out/bundle.json"
check "  ...printing only signals and reason lines on standard output" test -z "$(grep -Ev '^(<LAVA_SIGNAL_[A-Z]+ [^>]*>|ipcconf: .*)$' "$tmp/run.out")"
check "  ...test sets that are well formed" test -z "$(signals "$tmp/run.out" | grep -E '^(NESTED|UNCLOSED|STRAY-STOP|OUTSIDE)')"
check "  ...one test set per family" same "$(grep -c '^<LAVA_SIGNAL_TESTSET START' "$tmp/run.out")" "$(jq '[.cases[].family] | unique | length' "$tmp/lava-out/bundle.json")"
check "  ...case ids without whitespace, unique in the run" well_formed_ids "$tmp/run.out"
check "  ...the bundle's results, mapped" same "$(signals "$tmp/run.out")" "$(expected "$tmp/lava-out/bundle.json")"
check "  ...and the run's own result last" test "$(tail -1 "$tmp/run.out")" = "<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=ipcconf-run RESULT=pass>"
"$ipcconf" report "$tmp/lava-out" --format lava >"$tmp/report.out"
check "report --format lava of that bundle gives the same signals" same "$(signals "$tmp/report.out")" "$(signals "$tmp/run.out")"

# The sample suite: a failure, a crash, a timeout.
"$ipcconf" run --lava --suite "$build/tests/runner" --out "$tmp/sample" >"$tmp/sample.out" 2>/dev/null
check "run --lava with failures: the failed case fails" grep -q '^<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=sample__fails RESULT=fail MEASUREMENT=[0-9.]* UNITS=seconds>$' "$tmp/sample.out"
check "  ...after its reason" grep -q '^ipcconf: sample__fails: .*expected -1 with errno EAGAIN' "$tmp/sample.out"
check "  ...a crash and a timeout are unknown" test "$(grep -Ec 'TEST_CASE_ID=sample__(crashes|times_out) RESULT=unknown' "$tmp/sample.out")" = 2
check "  ...the run's own result fails" grep -q '^<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=ipcconf-run RESULT=fail>$' "$tmp/sample.out"
check "  ...and the signals are the bundle's" same "$(signals "$tmp/sample.out")" "$(expected "$tmp/sample/bundle.json")"

# Several targets: sets TARGET.FAMILY, ids TARGET.CASE.
hostile=$here/../reports/three-targets
"$ipcconf" report "$hostile" --format lava >"$tmp/three.out"
check "a three-target bundle: well-formed test sets" test -z "$(signals "$tmp/three.out" | grep -E '^(NESTED|UNCLOSED|STRAY-STOP|OUTSIDE)')"
check "  ...ids unique in the run" well_formed_ids "$tmp/three.out"
check "  ...the bundle's results, mapped" same "$(signals "$tmp/three.out")" "$(expected "$hostile/bundle.json" prefixed)"
finish
