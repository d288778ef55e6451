#!/usr/bin/env bash
# KTAP from real runs, read by the kernel's own KTAP parser (kunit.py parse,
# from Debian's linux-source-6.1): no parser error, and the parser counts
# what the "# Totals:" line and the bundle say. A filtered run of the suite
# (passes and a skip, streamed while the run goes), the sample suite (a
# failure, a crash, a timeout), a run of skips only (kselftest's exit 4), and
# `report --format ktap` of the same bundles.
# usage: ktap_test.sh IPCCONF BUILD_DIR WORK_DIR
set -u
ipcconf=$1 build=$2 work=$3
. "$(dirname "$0")/../lib/tap.sh"

# kunit.py and its modules, unpacked once into the build tree (kunit.py
# finds its modules, and refuses to run, by the path tools/testing/kunit).
kunit=$work/kunit/tools/testing/kunit/kunit.py
src=/usr/src/linux-source-6.1.tar.xz
if [ ! -r "$kunit" ]; then
  if [ ! -r "$src" ]; then
    echo "skipped: $src is missing (ci/install-deps.sh --test installs linux-source-6.1)"
    exit 77
  fi
  rm -rf "$work/kunit.tmp" && mkdir -p "$work/kunit.tmp" &&
    tar -xJf "$src" -C "$work/kunit.tmp" --strip-components=1 linux-source-6.1/tools/testing/kunit &&
    rm -rf "$work/kunit" && mv "$work/kunit.tmp" "$work/kunit" || { echo "cannot unpack kunit.py from $src"; exit 1; }
fi

# parsed KTAP: kunit.py's summary of KTAP as "passed failed crashed skipped errors".
parsed() {
  python3 "$kunit" parse "$1" >"$1.kunit" 2>&1
  local line n k out=""
  line=$(grep -o 'Ran [0-9]* tests:.*' "$1.kunit" | tail -1)
  for k in passed failed crashed skipped errors; do
    n=$(echo "$line" | grep -o "$k: [0-9]*" | grep -o '[0-9]*$')
    out="$out${n:-0} "
  done
  echo "${out% }"
}
# totals KTAP: what its "# Totals:" line makes of kunit's counts (xfail and xpass are "ok").
totals() {
  sed -n 's/^# Totals: pass:\([0-9]*\) fail:\([0-9]*\) xfail:\([0-9]*\) xpass:\([0-9]*\) skip:\([0-9]*\) error:\([0-9]*\)$/\1 \2 \3 \4 \5 \6/p' "$1" |
    { read -r p f x xp s e && echo "$((p + x + xp)) $((f + e)) 0 $s 0"; }
}
# bundle_totals BUNDLE: the same counts from the bundle's results.
bundle_totals() {
  jq -r '[.cases[].results[].outcome] as $o | def n(x): [$o[] | select(. == x)] | length;
    "\(n("passed") + n("expected_failure")) \(n("failed") + n("broken") + n("timed_out")) 0 \(n("skipped")) 0"' "$1/bundle.json"
}
same() { [ "$1" = "$2" ] || { echo "  expected '$2', got '$1'"; return 1; }; }
no_parser_error() { ! grep -q 'ERROR\]' "$1.kunit" || { grep 'ERROR\]' "$1.kunit" | head -5; return 1; }; }
# Every line is a KTAP line: version, plan, subtest name, result with a stable description, diagnostic.
only_ktap() {
  ! grep -Evq '^( *KTAP version 1| *1\.\.[0-9]+| *# Subtest: [A-Za-z0-9_.-]+| *(ok|not ok) [0-9]+ [A-Za-z0-9_.-]+( # (SKIP|XFAIL|ERROR|TIMEOUT) [a-z ]+)?| *# .*)$' "$1" ||
    { grep -Evn '^( *KTAP version 1| *1\.\.[0-9]+| *# Subtest: [A-Za-z0-9_.-]+| *(ok|not ok) [0-9]+ [A-Za-z0-9_.-]+( # (SKIP|XFAIL|ERROR|TIMEOUT) [a-z ]+)?| *# .*)$' "$1" | head -5; return 1; }
}

# A real run, streamed: the first family's result comes before the run has
# written its bundle (--jobs 1 runs fifo's programs before locks').
"$ipcconf" run --ktap --jobs 1 --filter fifo --filter locks --out "$tmp/real" 2>"$tmp/real.err" |
  while IFS= read -r line; do
    printf '%s\n' "$line" >>"$tmp/real.ktap"
    case $line in
      "ok 1 "* | "not ok 1 "*) [ -e "$tmp/real/bundle.json" ] && echo late >"$tmp/first" || echo early >"$tmp/first" ;;
    esac
  done
check "run --ktap: a real run exits 0" test "${PIPESTATUS[0]}" = 0
check "  ...writes only KTAP on standard output" only_ktap "$tmp/real.ktap"
check "  ...starting with the version line" test "$(head -1 "$tmp/real.ktap")" = "KTAP version 1"
check "  ...one subtest per family" test "$(sed -n 2p "$tmp/real.ktap")" = "1..2"
check "  ...the first family's result before the run ended" test "$(cat "$tmp/first" 2>/dev/null)" = early
check "  ...its own summary on standard error" grep -q "Bundle:" "$tmp/real.err"
check "  ...kunit.py parse reads it without an error" test "$(parsed "$tmp/real.ktap" | cut -d' ' -f5)" = 0
check "  ...and without an [ERROR] line" no_parser_error "$tmp/real.ktap"
check "  ...counting what the Totals line says" same "$(parsed "$tmp/real.ktap")" "$(totals "$tmp/real.ktap")"
check "  ...and what the bundle says" same "$(totals "$tmp/real.ktap")" "$(bundle_totals "$tmp/real")"
"$ipcconf" report "$tmp/real" --format ktap >"$tmp/real-report.ktap"
check "report --format ktap of that bundle parses" test "$(parsed "$tmp/real-report.ktap" | cut -d' ' -f5)" = 0
check "  ...without an [ERROR] line" no_parser_error "$tmp/real-report.ktap"
check "  ...with the bundle's totals" same "$(parsed "$tmp/real-report.ktap")" "$(bundle_totals "$tmp/real")"
check "  ...and the same Totals line as the run" same "$(grep '^# Totals' "$tmp/real-report.ktap")" "$(grep '^# Totals' "$tmp/real.ktap")"

# The sample suite: a failure, a crash and a timeout.
"$ipcconf" run --ktap --suite "$build/tests/runner" --out "$tmp/sample" >"$tmp/sample.ktap" 2>"$tmp/sample.err"
check "run --ktap with failures exits 1" test $? = 1
check "  ...writes only KTAP" only_ktap "$tmp/sample.ktap"
check "  ...a failure is not ok, its reason a diagnostic before it" grep -Pzq '  # sample__fails: [^\n]*expected -1 with errno EAGAIN[^\n]*\n  not ok [0-9]+ sample__fails\n' "$tmp/sample.ktap"
check "  ...a crash is not ok # ERROR" grep -Eq '^  not ok [0-9]+ sample__crashes # ERROR ' "$tmp/sample.ktap"
check "  ...a timeout is not ok # TIMEOUT" grep -Eq '^  not ok [0-9]+ sample__times_out # TIMEOUT ' "$tmp/sample.ktap"
check "  ...the family is not ok" grep -Eq '^not ok 1 sample_test$' "$tmp/sample.ktap"
check "  ...the Totals line counts them" grep -q '^# Totals: pass:3 fail:1 xfail:0 xpass:0 skip:0 error:2$' "$tmp/sample.ktap"
check "  ...kunit.py parse counts the same" same "$(parsed "$tmp/sample.ktap")" "$(totals "$tmp/sample.ktap")"
check "  ...without an [ERROR] line" no_parser_error "$tmp/sample.ktap"
"$ipcconf" report "$tmp/sample" --format ktap >"$tmp/sample-report.ktap"
check "  ...and so does the report of its bundle" same "$(parsed "$tmp/sample-report.ktap")" "$(bundle_totals "$tmp/sample")"

# Only skips: kselftest's exit 4, the skip with its fixed text and the reason before it.
IPCCONF_SAMPLE_SKIP=1 "$ipcconf" run --ktap --suite "$build/tests/runner" --filter sample_test:sample__passes \
  --out "$tmp/skip" >"$tmp/skip.ktap" 2>"$tmp/skip.err"
check "run --ktap where every case skipped exits 4" test $? = 4
check "  ...the case is ok # SKIP with the fixed text" grep -q '^  ok 1 sample__passes # SKIP not possible on this target$' "$tmp/skip.ktap"
check "  ...after its reason" grep -q '^  # sample__passes: skipped on purpose: IPCCONF_SAMPLE_SKIP is set$' "$tmp/skip.ktap"
check "  ...the family is skipped too" grep -q '^ok 1 sample_test # SKIP not possible on this target$' "$tmp/skip.ktap"
check "  ...kunit.py parse counts one skip" same "$(parsed "$tmp/skip.ktap")" "0 0 0 1 0"

# Several targets: one subtest per target, each family nested in it.
"$ipcconf" merge "$tmp/real" "$tmp/sample" --out "$tmp/two" >/dev/null
"$ipcconf" report "$tmp/two" --format ktap >"$tmp/two.ktap"
check "a two-target bundle: one subtest per target" grep -q '^    # Subtest: fifo$' "$tmp/two.ktap"
check "  ...kunit.py parse counts the bundle's totals" same "$(parsed "$tmp/two.ktap")" "$(bundle_totals "$tmp/two")"
check "  ...without an [ERROR] line" no_parser_error "$tmp/two.ktap"

# The reports' hostile bundle (three targets, every outcome, a timed-out target,
# cases not run, <script>, quotes and control characters in reasons and ids).
hostile=$(dirname "$0")/../reports/three-targets
"$ipcconf" report "$hostile" --format ktap >"$tmp/hostile.ktap"
check "a hostile bundle's KTAP has only KTAP lines" only_ktap "$tmp/hostile.ktap"
check "  ...kunit.py parse counts its totals" same "$(parsed "$tmp/hostile.ktap")" "$(bundle_totals "$hostile")"
check "  ...without an [ERROR] line" no_parser_error "$tmp/hostile.ktap"
finish
