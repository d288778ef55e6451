#!/usr/bin/env bash
# KCIDB (schema v5.3) and SQUAD (submit API) documents from a real bundle (a
# filtered run of the suite merged with the sample suite's failure, crash and
# timeout) and from the reports' hostile bundle: each keeps its field rules
# (kcidb-v5.3.jq, squad.jq), maps every outcome as reports/FARMS.md says,
# and carries the options' origin and ids. The rules themselves catch a
# planted violation of each kind.
# usage: kcidb_squad_test.sh IPCCONF BUILD_DIR WORK_DIR
set -u
ipcconf=$1 build=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"

same() { [ "$1" = "$2" ] || { echo "  expected '$2', got '$1'"; return 1; }; }
# valid RULES DOC: the rules print no violation.
valid() { local v; v=$(jq -r -f "$1" "$2" 2>&1); [ -z "$v" ] || { echo "$v" | head -5 | sed 's/^/  | /'; return 1; }; }
# violates RULES DOC JQ_EDIT REGEX: the edited document breaks a rule the checker names.
violates() { jq "$3" "$2" >"$tmp/edited.json" && jq -r -f "$1" "$tmp/edited.json" | grep -Eq "$4"; }

"$ipcconf" run --jobs 2 --filter msgrcv_test --filter msgctl_test --out "$tmp/real" >"$tmp/out" 2>&1
check "a real filtered run exits 0" test $? = 0
"$ipcconf" run --suite "$build/tests/runner" --out "$tmp/sample" >"$tmp/out" 2>&1
"$ipcconf" merge "$tmp/real" "$tmp/sample" --out "$tmp/b" >/dev/null
b=$tmp/b/bundle.json
# outcomes_as MAP: the bundle's results counted under the format's statuses ("STATUS n" lines).
outcomes_as() {
  jq -r --argjson m "$1" '[.cases[].results[].outcome | $m[.]] | group_by(.) | map("\(.[0]) \(length)") | .[]' "$b"
}

# KCIDB
k=$tmp/kcidb.json
check "report --format kcidb writes a submission" status_is 0 "$ipcconf" report "$tmp/b" --format kcidb --out "$k"
check "  ...that keeps the v5.3 field rules" valid "$here/kcidb-v5.3.jq" "$k"
check "  ...version 5.3" jq_is "$k" '"\(.version.major).\(.version.minor)"' 5.3
check "  ...one build per target, on the checkout of its kernel" jq_is "$k" '[.builds[] | .checkout_id] | length' 2
check "  ...one test per result" jq_is "$k" '.tests | length' "$(jq '[.cases[].results[]] | length' "$b")"
check "  ...the case's path" jq_is "$k" '[.tests[] | select(.path == "ipcconf.sysv_msg.msgrcv__noerror_truncates")] | length' 1
check "  ...statuses mapped from the outcomes" same "$(jq -r '[.tests[].status] | group_by(.) | map("\(.[0]) \(length)") | .[]' "$k")" \
  "$(outcomes_as '{"passed":"PASS","expected_failure":"PASS","failed":"FAIL","skipped":"SKIP","broken":"ERROR","timed_out":"ERROR"}')"
check "  ...a failure's reason as its log excerpt" jq_is "$k" '.tests[] | select(.path == "ipcconf.sample_test.sample__fails") | .log_excerpt | test("expected -1 with errno EAGAIN")' true
check "  ...the outcome in misc" jq_is "$k" '.tests[] | select(.path == "ipcconf.sample_test.sample__times_out") | .status + " " + .misc.ipcconf_outcome' "ERROR timed_out"
d=$(jq '.cases[] | select(.id | endswith(":msgrcv__noerror_truncates")) | .results.host.duration_s' "$b")
check "  ...the case's duration" jq_is "$k" ".tests[] | select(.path == \"ipcconf.sysv_msg.msgrcv__noerror_truncates\") | (.duration - $d | fabs) < 1e-6" true
check "  ...its target's start time" jq_is "$k" '[.tests[] | .start_time == .environment.misc.date and .start_time != null] | all' true
check "  ...the provenance in the environment" jq_is "$k" '.tests[0].environment.misc.kernel_release' "$(jq -r '.targets[0].provenance.kernel_release' "$b")"
"$ipcconf" report "$tmp/real" --format kcidb --origin farm_lab --checkout-id linux-abc --build-id job-42 --out "$tmp/opts.json"
check "  ...the origin given" jq_is "$tmp/opts.json" '[.checkouts[], .builds[], .tests[] | .origin] | unique | join(",")' farm_lab
check "  ...the checkout id given" jq_is "$tmp/opts.json" '.checkouts[0].id + " " + .builds[0].checkout_id' "farm_lab:linux-abc farm_lab:linux-abc"
check "  ...the build id given" jq_is "$tmp/opts.json" '.builds[0].id' "farm_lab:job-42"
check "  ...and still keeps the rules" valid "$here/kcidb-v5.3.jq" "$tmp/opts.json"
check "an origin outside [a-z0-9_] is refused" status_is 2 "$ipcconf" report "$tmp/real" --format kcidb --origin "Farm Lab"
"$ipcconf" report "$here/../reports/three-targets" --format kcidb --out "$tmp/hostile.json"
check "the hostile bundle's submission keeps the rules" valid "$here/kcidb-v5.3.jq" "$tmp/hostile.json"
check "  ...the cases a timed-out target never ran are MISS" jq_is "$tmp/hostile.json" '[.tests[] | select(.status == "MISS")] | length' \
  "$(jq '[.targets[] | select(.status != "completed") | .id] as $t | [.cases[] | select(.results | has($t[0]) | not)] | length' "$here/../reports/three-targets/bundle.json")"
check "the rules catch an unknown status" violates "$here/kcidb-v5.3.jq" "$k" '.tests[0].status = "BROKEN"' 'status BROKEN'
check "  ...a null" violates "$here/kcidb-v5.3.jq" "$k" '.tests[0].comment = null' 'null'
check "  ...a path part outside [A-Za-z0-9_-]" violates "$here/kcidb-v5.3.jq" "$k" '.tests[0].path = "ipcconf.sysv msg.x"' 'path'
check "  ...an id without its origin" violates "$here/kcidb-v5.3.jq" "$k" '.tests[0].id = "x"' 'id'
check "  ...a property the schema lacks" violates "$here/kcidb-v5.3.jq" "$k" '.tests[0].outcome = "x"' 'not in the schema'
check "  ...a test of no build" violates "$here/kcidb-v5.3.jq" "$k" '.tests[0].build_id = "ipcconf:none"' 'no build'

# SQUAD
s=$tmp/squad.json
check "report --format squad writes the submissions" status_is 0 "$ipcconf" report "$tmp/b" --format squad --job-id 42 --out "$s"
check "  ...that keep the submit API's rules" valid "$here/squad.jq" "$s"
check "  ...one per target, named as an environment" jq_is "$s" '[.submissions[].environment] | length' 2
check "  ...FAMILY/CASE tests" jq_is "$s" '.submissions[0].tests["sysv_msg/msgrcv__noerror_truncates"]' pass
check "  ...results mapped from the outcomes" same "$(jq -r '[.submissions[].tests[]] | group_by(.) | map("\(.[0]) \(length)") | .[]' "$s")" \
  "$(outcomes_as '{"passed":"pass","expected_failure":"pass","failed":"fail","skipped":"skip","broken":"fail","timed_out":"fail"}')"
check "  ...metrics: the run's wall time" jq_is "$s" '.submissions[0].metrics["ipcconf/run_duration_s"] > 0' true
check "  ...metadata: the job id and the run's date" jq_is "$s" '.submissions[0].metadata | .job_id + " " + .datetime' "42 $(jq -r '.targets[0].provenance.date' "$b")"
check "  ...and the suite's version" jq_is "$s" '.submissions[0].metadata.suite_versions.ipcconf' "$(jq -r '.ipcconf_version' "$b")"
"$ipcconf" report "$here/../reports/three-targets" --format squad --out "$tmp/hostile-squad.json"
check "the hostile bundle's submissions keep the rules" valid "$here/squad.jq" "$tmp/hostile-squad.json"
check "the rules catch a result SQUAD does not know" violates "$here/squad.jq" "$s" '.submissions[0].tests["a/b"] = "xfail"' "not pass, fail or skip"
check "  ...a slash in a test's name" violates "$here/squad.jq" "$s" '.submissions[0].tests["a/b/c"] = "pass"' "not SUITE/TEST"
check "  ...a metadata value that is not a string" violates "$here/squad.jq" "$s" '.submissions[0].metadata.uid = 0' "not a string"
finish
