#!/bin/bash
# CTest kernel_selftest: ipcconf selftest-kernel without building a kernel.
#   selftest_kernel_test.sh SOURCE_DIR WORK_DIR IPCCONF [BUILD_DIR]
# - bad arguments and malformed mutants exit 2 with a message naming the problem
#   (the script directly and through `ipcconf selftest-kernel`);
# - --list names every mutant of tests/kernel-faults;
# - --check: every mutant's header is complete and its patch applies to the
#   pristine file, when Debian's linux-source-6.1 is installed (else skipped);
# - with IPCCONF_TEST_KERNEL_FAULTS=1, two mutants end to end (builds the
#   coverage kernel when it is not cached: 25 to 35 minutes on 2 cores; then
#   about 10 minutes): both must be caught by their aimed cases.
set -uo pipefail
src=$1 work=$2 ipcconf=$3 build=${4:-}
st=$src/reports/coverage/ipcconf-selftest-kernel
muts=$src/tests/kernel-faults
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
rm -rf "$work"
mkdir -p "$work"

# expect_usage_error WHAT PATTERN COMMAND...: exit 2 and PATTERN on stderr.
expect_usage_error() {
	local what=$1 pattern=$2 rc
	shift 2
	"$@" > "$work/out.txt" 2> "$work/err.txt"
	rc=$?
	if [ "$rc" = 2 ] && grep -q -- "$pattern" "$work/err.txt"; then ok "$what"
	else fail "$what: exit $rc, stderr: $(cat "$work/err.txt")"; fi
}
expect_usage_error "no --out" "usage:" "$st"
expect_usage_error "an unknown option" "unknown option --frobnicate" "$st" --out "$work/o" --frobnicate
expect_usage_error "an unexpected argument" "unexpected argument 'extra'" "$st" --out "$work/o" extra
expect_usage_error "--jobs 0" "--jobs takes a positive number" "$st" --out "$work/o" --jobs 0
expect_usage_error "--timeout x" "--timeout takes a positive number" "$st" --out "$work/o" --timeout x
expect_usage_error "--accel bad" "--accel takes auto, kvm or tcg" "$st" --out "$work/o" --accel bad
expect_usage_error "--list with --out" "--list takes no --out" "$st" --list --out "$work/o"
expect_usage_error "a missing --mutants" "--mutants $work/none: no such directory" \
	"$st" --out "$work/o" --mutants "$work/none"
expect_usage_error "--only an unknown mutant" "--only no-such-mutant: no mutant" \
	"$st" --out "$work/o" --only no-such-mutant
expect_usage_error "a missing --tree" "--tree $work/none: no such directory" \
	"$st" --out "$work/o" --tree "$work/none"
expect_usage_error "a --tree that is not built" "not a built kernel tree" "$st" --out "$work/o" --tree "$work"
mkdir -p "$work/empty"
expect_usage_error "a --mutants without patches" "no mutants" "$st" --list --mutants "$work/empty"
# A malformed mutant: no Catch: line, a family the suite lacks, two files.
mkdir -p "$work/bad"
cat > "$work/bad/broken.patch" <<'PATCH'
Kind: a test
File: ipc/msg.c
Breaks: nothing
Clause: none
Families: sysv_msg no_such_family

--- a/ipc/msg.c
+++ b/ipc/msg.c
@@ -1 +1 @@
-a
+b
--- a/ipc/sem.c
+++ b/ipc/sem.c
@@ -1 +1 @@
-a
+b
PATCH
expect_usage_error "a mutant without Catch:" "broken.patch: no Catch: line" "$st" --list --mutants "$work/bad"
expect_usage_error "a mutant naming an unknown family" "no family 'no_such_family'" "$st" --list --mutants "$work/bad"
expect_usage_error "a mutant changing two files" "more than one file" "$st" --list --mutants "$work/bad"
expect_usage_error "through ipcconf: an unknown option" "unknown option --frobnicate" \
	"$ipcconf" selftest-kernel --out "$work/o" --frobnicate

# --- the mutants' list -------------------------------------------------------
n=$(ls "$muts"/*.patch | wc -l)
if "$st" --list > "$work/list.txt" 2> "$work/err.txt" && [ "$(wc -l < "$work/list.txt")" = "$n" ]; then
	ok "--list names the $n mutants"
else
	fail "--list: $(wc -l < "$work/list.txt") lines for $n mutants: $(cat "$work/err.txt")"
fi
[ "$n" -ge 40 ] && ok "at least 40 mutants ($n)" || fail "only $n mutants in $muts"
if "$ipcconf" selftest-kernel --list > "$work/list2.txt" 2>&1 && cmp -s "$work/list.txt" "$work/list2.txt"; then
	ok "ipcconf selftest-kernel --list runs the installed copy with the same mutants"
else
	fail "ipcconf selftest-kernel --list: $(head -3 "$work/list2.txt")"
fi

# --- every patch applies to the pristine source ---------------------------------
if [ -f /usr/src/linux-source-6.1.tar.xz ]; then
	if "$st" --check > "$work/check.txt" 2>&1; then
		ok "--check: $(tail -1 "$work/check.txt")"
	else
		fail "--check: $(grep -v '^ok ' "$work/check.txt" | head -5)"
	fi
else
	echo "skipped: --check needs linux-source-6.1 (apt-get install linux-source-6.1)"
fi

# --- two mutants end to end, on request ------------------------------------------
if [ "${IPCCONF_TEST_KERNEL_FAULTS:-0}" = 1 ]; then
	if "$st" --out "$work/run" --only msg-queue-lifo --only pipe-no-pollhup \
		${build:+--build "$build"} > "$work/run.out" 2> "$work/run.err"; then
		grep -q '^msg-queue-lifo .* caught by sysv_msg/msgrcv_test:msgrcv__fifo_order' "$work/run.out" &&
		grep -q '^pipe-no-pollhup .* caught by pipe/pipe_io_test:pipe__poll_reports_pollhup_when_writers_close' "$work/run.out" &&
		grep -q '^kill rate: 2 of 2 ' "$work/run.out" &&
		[ "$(grep -c '^| msg-queue-lifo \|^| pipe-no-pollhup ' "$work/run/RESULTS.md")" = 2 ] &&
			ok "two mutants caught end to end: $(grep '^kill rate' "$work/run.out")" ||
			fail "the two mutants' report: $(cat "$work/run.out")"
	else
		fail "the run of two mutants: $(cat "$work/run.out"; tail -5 "$work/run.err")"
	fi
fi
[ "$fails" = 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all checks passed"
