#!/bin/bash
# The kernel coverage pipeline without building a kernel:
#   coverage_test.sh SOURCE_DIR WORK_DIR [BUILD_DIR]
# - ipcconf-coverage-kernel and ipcconf-qemu-target refuse bad arguments with
#   exit 2 and a message naming the problem;
# - the report (--render): a fake kernel tree whose ipc/msg.c is compiled with
#   --coverage and run once, its .gcda placed as the guest leaves it under
#   vm/gcov/<build path>/, must give the known line and function counts, the
#   uncovered function, and the skipped case of the guest's bundle;
# - the fragment applies to x86_64 tinyconfig (--config-only, in a private
#   cache) when Debian's linux-source-6.1 is installed (else that part is skipped);
# - with IPCCONF_TEST_KERNEL_COVERAGE=1, the whole pipeline with the example
#   payload (a kernel build: 15 to 25 minutes on 2 cores the first time) and
#   BUILD_DIR's suite in the guest's initramfs.
# Exits 77 (skipped) only when lcov/jq/gcc are missing.
set -uo pipefail
src=$1 work=$2 build=${3:-}
cov=$src/reports/coverage/ipcconf-coverage-kernel
qt=$src/runner/qemu/ipcconf-qemu-target
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
for t in lcov genhtml jq gcc gcov-12; do
	command -v "$t" >/dev/null || { echo "skipped: $t is not installed"; exit 77; }
done
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
expect_usage_error "no --out" "usage:" "$cov"
expect_usage_error "a missing --source" "--source $work/nonexistent: no such directory" \
	"$cov" --out "$work/o" --source "$work/nonexistent"
expect_usage_error "a --source that is no kernel tree" "not a Linux kernel source tree" \
	"$cov" --out "$work/o" --source "$src/tests"
expect_usage_error "a --payload without a run script" "no executable run script" \
	"$cov" --out "$work/o" --payload "$src/tests/coverage/fixture"
expect_usage_error "--jobs 0" "--jobs takes a positive number" "$cov" --out "$work/o" --jobs 0
expect_usage_error "--render without --tree" "--render needs --tree" "$cov" --out "$work/o" --render "$work"
expect_usage_error "an unknown option" "unknown option" "$cov" --out "$work/o" --frobnicate
expect_usage_error "qemu target: a --payload without a run script" "no executable run script" \
	"$qt" bzImage "$work/o" --payload "$src/tests/coverage/fixture"

# --- the report from a fixture -------------------------------------------------
tree=$work/tree
mkdir -p "$tree/ipc"
cp "$src/tests/coverage/fixture/ipc/msg.c" "$tree/ipc/msg.c"
# Compiled as Kbuild does (from the tree's top, a relative path): ipc/msg.gcno.
(cd "$tree" && gcc --coverage -O0 -c -o ipc/msg.o ipc/msg.c && gcc --coverage -o msg ipc/msg.o && ./msg) ||
	{ fail "cannot build and run the fixture"; exit 1; }
vm=$work/vm
mkdir -p "$vm/gcov/$tree/ipc"
mv "$tree/ipc/msg.gcda" "$vm/gcov/$tree/ipc/msg.gcda"
cp "$src/tests/coverage/fixture/bundle.json" "$vm/bundle.json"
printf 'IPCCONF-GUEST-START kernel 6.1.0-fixture x86_64\nIPCCONF-SUITE-DONE rc=0\n' > "$vm/console.log"
if "$cov" --out "$work/report" --render "$vm" --tree "$tree" > "$work/render.out" 2>&1; then
	ok "--render writes a report"
else
	fail "--render failed: $(cat "$work/render.out")"
fi
md=$work/report/coverage.md
# fixture_called: 4 lines (braces excluded by gcc: the if, 2 returns, 1 of
# them not run); the counts are checked against lcov's own summary below.
row=$(grep '^| ipc/msg.c |' "$md" 2>/dev/null)
lh=$(sed -n 's/^LH://p' "$work/report/kernel.info" 2>/dev/null)
lf=$(sed -n 's/^LF://p' "$work/report/kernel.info" 2>/dev/null)
if [ -n "$row" ] && [ -n "$lf" ] && [ "$lf" -gt 0 ] &&
   [[ "$row" == "| ipc/msg.c | $lh | $lf | "*"| 2 | 3 | 66.7% |" ]]; then
	ok "the table row of ipc/msg.c ($row)"
else
	fail "the table row of ipc/msg.c: '$row' (lcov: $lh of $lf lines)"
fi
grep -q '^| ipc/sem.c | - | - | no data' "$md" && ok "a file without data says so" ||
	fail "ipc/sem.c should say 'no data': $(grep 'ipc/sem.c' "$md")"
grep -q '^| `fixture_never_called` | ipc/msg.c | [1-9][0-9]* | [1-9][0-9]* | never called |' "$md" &&
	ok "the uncovered function is listed" || fail "fixture_never_called is not listed: $(sed -n '/biggest/,$p' "$md")"
grep -q '^| suites/sysv_msg/msgrcv_test:msgrcv__copy | skipped | this kernel lacks MSG_COPY   (fixture) |' "$md" &&
	ok "the skipped case with its reason" || fail "the skipped case is missing: $(sed -n '/did not pass/,$p' "$md")"
grep -q 'pipe__eof' "$md" && fail "a passed case is listed as not passing" || ok "passed cases are not listed"
[ -s "$work/report/html/index.html" ] && grep -q 'msg.c' "$work/report/html/ipc/index.html" 2>/dev/null &&
	ok "genhtml's report" || fail "no html/ipc/index.html naming msg.c"

# --- the fragment on tinyconfig --------------------------------------------------
if [ -f /usr/src/linux-source-6.1.tar.xz ] && command -v bison >/dev/null && command -v flex >/dev/null; then
	if XDG_CACHE_HOME=$work/cache "$cov" --out "$work/config" --config-only > "$work/config.out" 2>&1; then
		ok "the fragment applies to tinyconfig ($(tail -1 "$work/config.out"))"
	else
		fail "--config-only: $(tail -5 "$work/config.out")"
	fi
	rm -rf "$work/cache"
else
	echo "skipped: the fragment check needs linux-source-6.1, bison and flex (apt-get install linux-source-6.1 bison flex)"
fi

# --- the whole pipeline, on request --------------------------------------------
if [ "${IPCCONF_TEST_KERNEL_COVERAGE:-0}" = 1 ]; then
	"$src/tests/coverage/example-payload/build.sh" "$work/payload" || fail "cannot build the example payload"
	if "$cov" --out "$work/payload-report" --payload "$work/payload" ${build:+--build "$build"} \
		> "$work/payload.out" 2>&1; then
		pipe=$(grep '^| fs/pipe.c |' "$work/payload-report/coverage.md")
		[[ "$pipe" =~ ^\|\ fs/pipe.c\ \|\ [1-9] ]] && ok "the example payload reaches fs/pipe.c ($pipe)" ||
			fail "the example payload shows no line of fs/pipe.c: $pipe"
	else
		fail "the pipeline with the example payload: $(tail -20 "$work/payload.out")"
	fi
fi
[ "$fails" = 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all checks passed"
