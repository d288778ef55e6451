#!/usr/bin/env bash
# Tests of `ipcconf report` and reports_write_all(), on three-targets/ (a
# bundle of 3 targets with every outcome, a target that timed out, a leak,
# cases not run on a target, and reasons, clauses and provenance holding
# <script>, quotes, Markdown punctuation and a control character):
# usage errors; malformed bundles refused without writing anything; JUnit
# valid against junit.xsd with the right counts; JSON totals equal the
# bundle's; Markdown and spec tables escaped; all reports beside a bundle.
# usage: reports_test.sh IPCCONF WRITE_ALL_TEST OUT_DIR
set -u
ipcconf=$1 write_all=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
bundle=$here/three-targets
rm -rf "$out" && mkdir -p "$out"
. "$(dirname "$0")/../lib/tap.sh"

equal() { [ "$1" = "$2" ] || { echo "  expected '$2', got '$1'"; return 1; }; }
# The number of results with outcome $1 over every case and target (not_run: no result).
bundle_count() {
  jq --arg o "$1" '[.targets[].id as $t | .cases[] | (.results[$t].outcome // "not_run")
    | select(. == $o)] | length' "$bundle/bundle.json"
}

# Usage errors
check "report without a bundle is a usage error" status_is 2 "$ipcconf" report --format junit
check "an unknown format is refused" status_is 2 "$ipcconf" report "$bundle" --format pdf
check "  ...listing the formats" says "unknown report format 'pdf' \(formats: junit, json, html, markdown, spec, ktap, kcidb, squad, lava\)"
check "a missing bundle is refused" status_is 2 "$ipcconf" report "$tmp/none" --format json
check "help exits 0" status_is 0 "$ipcconf" report --help

# Malformed or foreign bundles: exit 2 with the reason, and no output file.
refuses() { # refuses NAME JQ_FILTER EXPECTED_MESSAGE
  mkdir -p "$tmp/bad-$1"
  jq "$2" "$bundle/bundle.json" >"$tmp/bad-$1/bundle.json"
  check "a bundle with $1 is refused" status_is 2 "$ipcconf" report "$tmp/bad-$1" --format html --out "$tmp/bad-$1/r.html"
  check "  ...saying why" says "$3"
  check "  ...writing nothing" test ! -e "$tmp/bad-$1/r.html" -a ! -e "$tmp/bad-$1/r.html.tmp"
}
refuses "another schema" '.schema = "junit"' "not an ipcconf bundle"
refuses "a newer schema version" '.schema_version = 2' "schema version 2"
refuses "an unknown outcome" '.cases[3].results.host.outcome = "exploded"' "no known \"outcome\""
refuses "a result for an unlisted target" '.cases[0].results.ghost = {outcome: "passed"}' "target 'ghost': the bundle lists no such target"
refuses "a case listed twice" '.cases += [.cases[0]]' "is listed twice"
refuses "a target listed twice" '.targets += [.targets[0]]' "target 'host' is listed twice"
refuses "a reason that is not a string" '.cases[0].results.host.reason = {"a": 1}' "\"reason\" is not a string"
refuses "a negative duration" '.cases[0].results.host.duration_s = -1' "not a duration"
refuses "a nested provenance value" '.targets[0].provenance.libc = ["glibc"]' "provenance \"libc\" is not a scalar"
refuses "a leak that is not a string" '.targets[1].leaks = [7]' "leak 0 is not a string"
refuses "a failure kind that is not one" '.cases[3].results.host.kind = "exploded"' "\"kind\" must be"
refuses "a failure kind on a passed result" '(.cases[] | select(.results.host.outcome == "passed") | .results.host.kind) |= "wrong_behaviour"' "\"kind\" must be"
printf '{"schema": "ipcconf-bundle", "cases": [' >"$tmp/trunc.json"
check "a truncated bundle file is refused" status_is 2 "$ipcconf" report "$tmp/trunc.json" --format markdown
check "  ...saying where" says "not a readable bundle"

# JUnit
check "the JUnit report is written" status_is 0 "$ipcconf" report "$bundle" --format junit --out "$out/report.xml"
check "  ...and validates against tests/reports/junit.xsd" status_is 0 xmllint --noout --schema "$here/junit.xsd" "$out/report.xml"
xcount() { xmllint --xpath "$1" "$out/report.xml" 2>/dev/null; }
check "  ...one testcase per result, plus 2 per target" equal "$(xcount 'count(//testcase)')" \
  "$(( $(jq '[.cases[].results | length] | add' "$bundle/bundle.json") + 6 ))"
check "  ...a failure per failed case and one for the leak" equal "$(xcount 'count(//testcase/failure)')" "$(( $(bundle_count failed) + 1 ))"
check "  ...an error per broken or timed-out case and the unfinished target" equal "$(xcount 'count(//testcase/error)')" \
  "$(( $(bundle_count broken) + $(bundle_count timed_out) + 1 ))"
check "  ...skipped cases skipped" equal "$(xcount 'count(//testcase/skipped)')" "$(bundle_count skipped)"
check "  ...an expected failure passes with a property saying so" equal \
  "$(xcount 'count(//testcase[properties/property[@name="ipcconf.expected_failure"]][not(failure|error|skipped)])')" "$(bundle_count expected_failure)"
check "  ...the root totals add up" equal "$(xcount 'string(/testsuites/@failures)')" "$(xcount 'sum(//testsuite/@failures)')"
check "  ...one suite per target and family" equal "$(xcount 'count(//testsuite)')" \
  "$(jq '[.targets[].id as $t | .cases[] | select(.results[$t]) | "\($t)/\(.family)"] | unique | length + 3' "$bundle/bundle.json")"
check "  ...the clause is a property" equal "$(xcount 'string((//testcase[@name="ftok__key_layout"])[1]/properties/property[@name="ipcconf.spec"]/@value)')" \
  "$(jq -r '.cases[] | select(.name == "ftok__key_layout") | .spec' "$bundle/bundle.json" 2>/dev/null | head -1)"
check "  ...the provenance is in the suite's properties" equal \
  "$(xcount 'string(//testsuite[@name="docker:ipcconf-musl/pipe"]/properties/property[@name="ipcconf.provenance.libc"]/@value)')" musl
check "  ...a reason keeps its text, escaped" equal \
  "$(xcount 'string(//testsuite[@name="docker:ipcconf-musl/pipe"]/testcase[@name="fcntl__getpipe_sz_default_is_16_pages"]/failure/@message)' | head -c 39)" \
  '<script>document.title="pwned"</script>'
check "  ...with the control character replaced" grep -q $'second line \xef\xbf\xbd control' "$out/report.xml"

# JSON
check "the JSON report is written" status_is 0 "$ipcconf" report "$bundle" --format json --out "$out/report.json"
check "  ...names its schema" equal "$(jq -r '.schema + "/" + (.schema_version | tostring)' "$out/report.json")" "ipcconf-report/1"
for o in passed failed skipped expected_failure broken timed_out not_run; do
  check "  ...$o totals equal the bundle's results" equal "$(jq --arg o $o '[.targets[].totals[$o]] | add' "$out/report.json")" "$(bundle_count $o)"
done
check "  ...marks the cases that differ between targets" equal "$(jq '[.cases[] | select(.differs)] | length' "$out/report.json")" \
  "$(jq '(.targets | map(.id)) as $ts | [.cases[] | [$ts[] as $t | .results[$t].outcome // "not_run"] | unique | select(length > 1)] | length' "$bundle/bundle.json")"
check "  ...and to stdout by default" status_is 0 "$ipcconf" report "$bundle" --format json
check "  ...the same document" cmp -s "$tmp/out" "$out/report.json"

# Markdown
check "the Markdown summary is written" status_is 0 "$ipcconf" report "$bundle" --format markdown --out "$out/report.md"
cp "$out/report.md" "$tmp/out"
check "  ...with the totals of each target" says '^\| `docker:ipcconf-glibc` \(\*\*timed\\_out\*\*\) \|.* \| 81 \| 0 \| 1 \| 0 \| \*\*1\*\* \| \*\*1\*\* \| 6 \| 0 \|$'
check "  ...the failing cases with clause and reason" says '^\| `fcntl__setfl_o_direct_switches_packet_mode` \| `docker:ipcconf-musl` \| \*\*failed\*\* \| pipe2\(2\): O\\_DIRECT'
check "  ...the differences between targets" says '^### Differences between targets \(13\)$'
check "  ...the leak and the unfinished target" says 'left 1 IPC object\(s\) behind|did not complete'
check "  ...HTML in reasons escaped" says '&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt; &amp; &lt;img'
check "  ...no raw tag outside code spans" test -z "$(sed 's/`[^`]*`//g' "$out/report.md" | grep -E '<[a-z/]')"
check "  ...table pipes escaped" says '&gt; \\\| \\`tick\\` \\\*star\\\*'
check "  ...one line per table row" test "$(grep -c '^| ' "$out/report.md")" -eq "$(( 1 + 3 + 1 + 5 + 1 + 13 ))"

# Spec traceability
check "the spec traceability table is written" status_is 0 "$ipcconf" report "$bundle" --format spec --out "$out/spec.md"
cp "$out/spec.md" "$tmp/out"
check "  ...lists the XSI interfaces with their cases" says '^\| `ftok` \| XSI \| System V IPC \| 5 \| 5 passed \| 5 passed \| 5 not run \|$'
check "  ...counts the cases that cite mq_setattr, with the host's failure" says '^\| `mq_setattr` \| POSIX \| message queues \| [0-9]+ \| [0-9]+ passed, \*\*1 failed\*\* \|'
check "  ...names the thin interfaces" says '^Thin \(fewer than 3 cases, [0-9]+\):.* `semop`'
check "  ...has the seed notes' points" says "^## The seed notes' points"
check "  ...each with its case and outcomes" says '^\| 001 \| ftok needs an existing file \| `ftok__missing_path_enoent` \| passed \| passed \| not run \|$'
check "  ...counting the points checked" says '^[0-9]+ of [0-9]+ points have a case in this bundle\.$'
# Every case the seed points name exists in the built suite's catalogue.
"$ipcconf" list --json >"$tmp/catalogue.json" 2>/dev/null
seed_cases_exist() {
  local id missing=0 built
  built=$(jq -r '.[].family' "$tmp/catalogue.json" | sort -u)
  for id in $(grep -v '^#' "$here/../../reports/seed_points.tsv" | cut -f3 | grep -v '^-'); do
    grep -qx "${id%%/*}" <<<"$built" || continue
    jq -e --arg id "suites/$id" 'any(.[]; .id == $id)' "$tmp/catalogue.json" >/dev/null ||
      { echo "  reports/seed_points.tsv names $id, which the suite does not have"; missing=1; }
  done
  return $missing
}
check "every case reports/seed_points.tsv names exists" seed_cases_exist

# Failures by kind: not-implemented/ is a gVisor-like column whose reasons carry
# the fixtures' mark (most without a "kind" key, as older bundles have them).
nyi=$here/not-implemented
check "the JSON report of a bundle with not-implemented failures is written" status_is 0 "$ipcconf" report "$nyi" --format json --out "$out/nyi.json"
check "  ...counts the failures of each kind" equal "$(jq -c '.targets[1].failure_kinds' "$out/nyi.json")" '{"not_implemented":4,"wrong_behaviour":2}'
check "  ...groups what is missing per family" equal "$(jq -c '[.targets[1].failures_by_family[] | [.family, (.missing | map("\(.what) \(.cases)"))]]' "$out/nyi.json")" \
  '[["sysv_msg",["/proc/sysvipc/msg (ENOENT) 1"]],["posix_mq",["mq_getattr (ENOSYS) 1","mq_send (ENOSYS) 2"]],["unix_socket",[]]]'
check "  ...with the wrong behaviour of each family apart" equal "$(jq -c '[.targets[1].failures_by_family[] | .wrong_behaviour]' "$out/nyi.json")" '[0,0,2]'
check "  ...a skip or a pass has no kind" equal "$(jq '[.cases[].results[] | select(.outcome != "failed" and .kind != "")] | length' "$out/nyi.json")" 0
check "  ...nothing grouped for a target without failures" equal "$(jq '.targets[0].failures_by_family | length' "$out/nyi.json")" 0
check "the Markdown summary of it is written" status_is 0 "$ipcconf" report "$nyi" --format markdown --out "$out/nyi.md"
cp "$out/nyi.md" "$tmp/out"
check "  ...with a table of failures by kind" says '^### Failures by kind, per target and family$'
check "  ...naming what gVisor lacks per family" says '^\| `gvisor` \| posix\\_mq \| mq\\_getattr \(ENOSYS\), mq\\_send \(ENOSYS\) ×2 \| 0 \|$'
check "  ...apart from wrong behaviour" says '^\| `gvisor` \| unix\\_socket \|  \| 2 \|$'
check "  ...and each failing case's kind" says '^\| `mq_send__fills_queue` \| `gvisor` \| \*\*failed\*\* \(not implemented\) \|'
check "the JUnit report of it is written" status_is 0 "$ipcconf" report "$nyi" --format junit --out "$out/nyi.xml"
check "  ...valid" status_is 0 xmllint --noout --schema "$here/junit.xsd" "$out/nyi.xml"
check "  ...with the kind and what is missing as properties" equal \
  "$(xmllint --xpath 'string(//testcase[@name="mq_getattr__curmsgs"]/properties/property[@name="ipcconf.not_implemented"]/@value)' "$out/nyi.xml")" "mq_getattr (ENOSYS)"

# All reports beside a bundle, as ipcconf run writes them
mkdir -p "$tmp/all"
check "reports_write_all writes the three reports" "$write_all" "$bundle" "$tmp/all"
check "  ...report.xml, report.html and report.md, no temporary file" test -s "$tmp/all/report.xml" -a -s "$tmp/all/report.html" -a -s "$tmp/all/report.md" -a ! -e "$tmp/all/report.xml.tmp"
check "  ...the same JUnit as ipcconf report" cmp -s "$tmp/all/report.xml" "$out/report.xml"
check "  ...refuses a malformed bundle" status_is 1 "$write_all" "$tmp/bad-an unknown outcome" "$tmp/all"
check "  ...refuses an unwritable directory" status_is 1 "$write_all" "$bundle" "$tmp/none/such"

finish
