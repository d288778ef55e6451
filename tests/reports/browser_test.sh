#!/usr/bin/env bash
# The HTML report in a real browser (headless Chromium): for the 3-target
# bundle three-targets/ and a synthetic 1,000 cases x 10 targets, the cells
# of each outcome in the rendered page equal the bundle's results; the
# filters in the URL fragment show the right rows, #case=ID a case's details; strings holding <script>
# stay text (no script runs, the title is ours); the big page renders in
# under RENDER_LIMIT_MS. Saves screenshots to OUT_DIR/*.png.
# usage: browser_test.sh IPCCONF OUT_DIR   (exit 77 when chromium is missing)
set -u
ipcconf=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
limit=${RENDER_LIMIT_MS:-5000}
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "skipped: chromium is not installed (ci/install-deps.sh --test installs it)"
  exit 77
fi
rm -rf "$out" && mkdir -p "$out"
. "$(dirname "$0")/../lib/tap.sh"

equal() { [ "$1" = "$2" ] || { echo "  expected '$2', got '$1'"; return 1; }; }
# browser MODE FILE_URL OUTPUT: MODE is --dump-dom or --screenshot.
browser() {
  local args=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --user-data-dir="$(mktemp -d -p "$tmp")" --window-size=1500,1100)
  if [ "$1" = --dump-dom ]; then
    timeout 120 "$chromium" "${args[@]}" --dump-dom "$2" >"$3" 2>"$tmp/chromium.log"
  else
    timeout 120 "$chromium" "${args[@]}" --screenshot="$3" "$2" >/dev/null 2>"$tmp/chromium.log"
  fi || { echo "  chromium failed:"; tail -5 "$tmp/chromium.log"; return 1; }
}
# Cells of outcome $2 in the DOM dump $1, and the results of outcome $2 in bundle $3.
dom_count() { grep -o "data-outcome=\"$2\"" "$1" | wc -l; }
bundle_count() {
  jq --arg o "$2" '[.targets[].id as $t | .cases[] | (.results[$t].outcome // "not_run")
    | select(. == $o)] | length' "$1"
}
title_has() { # title_has DOM FIRST_LINE SECOND_LINE: a title attribute of those two lines
  grep -A1 -F "title=\"$2" "$1" | grep -qF "$3" || { echo "  no title '$2' followed by '$3'"; return 1; }
}
visible_rows() { grep -o '<tr data-i="[0-9]*"[^>]*>' "$1" | grep -vc ' hidden'; }
check_counts() { # check_counts LABEL DOM BUNDLE
  local o
  for o in passed failed skipped expected_failure broken timed_out not_run; do
    check "$1: $o cells equal the bundle's $o results" equal "$(dom_count "$2" $o)" "$(bundle_count "$3" $o)"
  done
}

# The 3-target bundle
three=$here/three-targets/bundle.json
check "the HTML report of 3 targets is written" "$ipcconf" report "$here/three-targets" --format html --out "$out/three.html"
check "  ...loads in Chromium" browser --dump-dom "file://$out/three.html" "$tmp/three.dom"
check "  ...and renders completely" grep -q 'data-ready="1"' "$tmp/three.dom"
check_counts "3 targets" "$tmp/three.dom" "$three"
check "  ...one row per case" equal "$(visible_rows "$tmp/three.dom")" "$(jq '.cases | length' "$three")"
check "  ...a column per target" equal "$(grep -o '<th class="t"' "$tmp/three.dom" | wc -l)" 3
check "  ...the provenance of each target" grep -q '<td>musl 1.2.3</td>' "$tmp/three.dom"
check "  ...the clause beside each case" equal "$(grep -o '<td class="spec"' "$tmp/three.dom" | wc -l)" "$(jq '.cases | length' "$three")"
check "  ...the reason in the cell's title" title_has "$tmp/three.dom" "docker:ipcconf-glibc: broken" "Premature exit; test case received signal 6"
check "  ...a <script> in a reason is text, not a script" grep -q '&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;' "$tmp/three.dom"
check "  ...no script from the bundle ran" grep -q '<title>ipcconf: 90 cases × 3 targets — 5 failing — 1 target did not complete</title>' "$tmp/three.dom"
check "  ...no element came from the bundle" equal "$(grep -o '<script\|<img\|<b>' "$tmp/three.dom" | sort | uniq -c | tr -s ' ')" " 2 <script"
check "  ...nothing from the network" grep -q "default-src 'none'" "$tmp/three.dom"
check "  ...the fragment #fail=1 shows only failing cases" browser --dump-dom "file://$out/three.html#fail=1" "$tmp/fail.dom"
check "  ...which are the bundle's" equal "$(visible_rows "$tmp/fail.dom")" \
  "$(jq '[.targets[].id] as $ts | [.cases[] | select([$ts[] as $t | .results[$t].outcome // ""] | any(. == "failed" or . == "broken" or . == "timed_out"))] | length' "$three")"
check "  ...#diff=1 only the cases that differ between targets" browser --dump-dom "file://$out/three.html#diff=1" "$tmp/diff.dom"
check "  ...which are the bundle's" equal "$(visible_rows "$tmp/diff.dom")" \
  "$(jq '[.targets[].id] as $ts | [.cases[] | [$ts[] as $t | .results[$t].outcome // "not_run"] | unique | select(length > 1)] | length' "$three")"
check "  ...#family=sysv_msg&class=xsi one family's XSI cases" browser --dump-dom "file://$out/three.html#family=sysv_msg&class=xsi" "$tmp/fam.dom"
check "  ...which are the bundle's" equal "$(visible_rows "$tmp/fam.dom")" \
  "$(jq '[.cases[] | select(.family == "sysv_msg" and .class == "xsi")] | length' "$three")"
case_id=suites/pipe/pipe_fcntl_test:fcntl__getpipe_sz_default_is_16_pages
check "  ...#case=ID opens the case's details" browser --dump-dom "file://$out/three.html#case=$case_id" "$tmp/case.dom"
check "  ...with every target's outcome and reason, as text" grep -q '<aside id="detail"><button.*<h3>'"$case_id"'</h3>.*<td class="o-failed">failed</td><td class="reason">&lt;script&gt;document.title' "$tmp/case.dom"
check "  ...a screenshot" browser --screenshot "file://$out/three.html" "$out/three.png"
check "  ...and one with the failures and a case's details" browser --screenshot "file://$out/three.html#fail=1&case=$case_id" "$out/three-case.png"
check "  ...of some size" test "$(stat -c %s "$out/three.png" 2>/dev/null || echo 0)" -gt 20000

# Failures by kind: the gVisor-like bundle not-implemented/
nyi=$here/not-implemented/bundle.json
check "the HTML report of not-implemented failures is written" "$ipcconf" report "$here/not-implemented" --format html --out "$out/nyi.html"
check "  ...#kind=not_implemented shows only the cases with a not-implemented failure" browser --dump-dom "file://$out/nyi.html#kind=not_implemented" "$tmp/nyi.dom"
check "  ...which are the bundle's" equal "$(visible_rows "$tmp/nyi.dom")" \
  "$(jq '[.cases[] | select([.results[].reason // ""] | any(test("not implemented: ")))] | length' "$nyi")"
check "  ...their cells marked N/I" equal "$(grep -o '<td class="c o-failed nyi" data-outcome="failed" data-kind="not_implemented"' "$tmp/nyi.dom" | wc -l)/$(grep -o '>N/I</td>' "$tmp/nyi.dom" | wc -l)" 4/4
check "  ...the table of failures by kind shown" grep -q '<details open="" id="nyi-box">' "$tmp/nyi.dom"
check "  ...with a button per missing call" equal "$(grep -o '<button type="button" title="show the posix_mq cases not implemented on gvisor">[^<]*</button>' "$tmp/nyi.dom" | sed 's/<[^>]*>//g' | paste -sd,)" \
  "mq_getattr (ENOSYS),mq_send (ENOSYS) ×2"
check "  ...#kind=wrong_behaviour the others" browser --dump-dom "file://$out/nyi.html#kind=wrong_behaviour" "$tmp/wrong.dom"
check "  ...which are the bundle's" equal "$(visible_rows "$tmp/wrong.dom")" 2
check "  ...and a bundle without any hides the table" grep -q '<details open="" id="nyi-box" hidden="">' "$tmp/three.dom"
check "  ...a screenshot" browser --screenshot "file://$out/nyi.html#kind=not_implemented" "$out/not-implemented.png"

# Bundle strings that are also names of JavaScript's object properties
mkdir -p "$tmp/proto"
jq '.targets[1].id = "constructor" | .targets[2].id = "__proto__" | .targets[0].provenance.toString = "x"
  | .cases |= map(.results |= with_entries(.key |= (if . == "docker:ipcconf-musl" then "constructor"
      elif . == "docker:ipcconf-glibc" then "__proto__" else . end)))
  | .cases[0:30] |= map(.family = "__proto__") | .cases[30:60] |= map(.family = "hasOwnProperty")' \
  "$three" >"$tmp/proto/bundle.json"
check "a bundle whose ids are __proto__ and constructor is written" "$ipcconf" report "$tmp/proto" --format html --out "$out/proto.html"
check "  ...loads in Chromium" browser --dump-dom "file://$out/proto.html" "$tmp/proto.dom"
check "  ...and renders completely" grep -q 'data-ready="1"' "$tmp/proto.dom"
check_counts "__proto__" "$tmp/proto.dom" "$tmp/proto/bundle.json"

# 1,000 cases x 10 targets
"$here/synthetic_bundle.sh" "$tmp/big" 1000 10
check "the HTML report of 1,000 cases x 10 targets is written" "$ipcconf" report "$tmp/big" --format html --out "$out/big.html"
check "  ...loads in Chromium" browser --dump-dom "file://$out/big.html" "$tmp/big.dom"
check_counts "1,000 x 10" "$tmp/big.dom" "$tmp/big/bundle.json"
ms=$(grep -o 'data-render-ms="[0-9.]*"' "$tmp/big.dom" | grep -o '[0-9.]*')
echo "# 1,000 x 10: rendered and laid out in ${ms:-?} ms"
check "  ...renders in under $limit ms" awk -v ms="${ms:-999999}" -v limit="$limit" 'BEGIN { exit !(ms < limit) }'
check "  ...a screenshot" browser --screenshot "file://$out/big.html#fail=1" "$out/big-failures.png"

finish
