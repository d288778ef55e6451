#!/usr/bin/env bash
# Tests of the ipcconf command: usage errors exit 2 with a message; a run with
# failing, crashing and timed-out cases exits 1, reports each one with its
# reason, writes a bundle and leaves no IPC object behind; a hanging target is
# stopped at its deadline and an interrupted run keeps what finished; merge,
# diff (with a planted regression) and list; corrupt bundles are refused;
# multi-line, not-implemented and refused-set-up reasons (tests/fixtures/reasons)
# come out failed or skipped, never broken, each failure with its kind.
# usage: runner_test.sh IPCCONF_BINARY SAMPLE_SUITE_DIR
set -u
ipcconf=$1 sample=$2
. "$(dirname "$0")/../lib/tap.sh"


# Usage and environment errors
check "no command is a usage error" status_is 2 "$ipcconf"
check "an unknown command is a usage error" status_is 2 "$ipcconf" frobnicate
check "  ...and names the command" says "unknown command 'frobnicate'"
check "--jobs 0 is refused" status_is 2 "$ipcconf" run --jobs 0 --out "$tmp/o"
check "a missing suite directory is refused" status_is 2 "$ipcconf" run --suite "$tmp/none" --out "$tmp/o"
check "  ...saying there is no Kyuafile" says "no readable Kyuafile"
check "an unknown filter is refused" status_is 2 "$ipcconf" run --suite "$sample" --filter nosuch --out "$tmp/o"
check "  ...naming the filter" says "nosuch"
check "a case the program does not have is refused" status_is 2 "$ipcconf" run --suite "$sample" --filter sample_test:no_such_case --out "$tmp/o"
check "  ...rather than passing an empty run" says "sample_test:no_such_case: the program has no such case"
check "an unknown target is refused" status_is 2 "$ipcconf" run --target mainframe --out "$tmp/o"
check "  ...listing the known targets" says "unknown target 'mainframe' \(targets: host, docker:IMAGE, qemu:KERNEL, qemu-ARCH:KERNEL, user:ARCH, gvisor\[:PLATFORM\]\)"
check "a user target with a bad architecture name is refused" status_is 2 "$ipcconf" run --suite "$sample" --target "user:../x" --out "$tmp/o"
check "  ...saying so" says "is not an architecture name"
check "a docker target without docker or its image is refused" status_is 2 env PATH=/nonexistent:/usr/bin:/bin "$ipcconf" run --target docker:ipcconf-no-such-image --out "$tmp/o"
check "  ...saying what to do" says "docker is not installed|daemon is not running|no image 'ipcconf-no-such-image'"
check "version prints the version" status_is 0 "$ipcconf" version

# A run with bad cases
check "a run with failures exits 1" status_is 1 "$ipcconf" run --suite "$sample" --out "$tmp/a"
check "  ...counts each outcome" grep -Eq '^  total +3 +1 +0 +0 +1 +1$' "$tmp/out"
check "  ...reports the failed check with both errnos" says "sample__fails  failed: .*expected -1 with errno EAGAIN, got -1 with errno EBADF"
check "  ...reports the crash" says "sample__crashes  broken: .*signal 6"
check "  ...reports the timeout" says "sample__times_out  timed_out: .*timed out"
check "  ...leaves no IPC object behind" says "No IPC objects or processes left behind"
check "  ...ends with the plain totals line" says "^3 passed, 1 failed, 0 skipped, 0 expected failures, 1 broken, 1 timed out$"
check "  ...writes the target's store and HTML report" test -s "$tmp/a/targets/host/results.db" -a -s "$tmp/a/targets/host/html/index.html"
check "  ...writes a bundle with 6 cases" jq_is "$tmp/a/bundle.json" '.cases | length' 6
check "  ...with the schema named" jq_is "$tmp/a/bundle.json" '.schema + "/" + (.schema_version|tostring)' "ipcconf-bundle/1"
check "  ...with each case's clause and class" jq_is "$tmp/a/bundle.json" '[.cases[] | select(.spec == "ipcconf runner tests" and .class == "linux")] | length' 6
check "  ...with the outcome of each case" jq_is "$tmp/a/bundle.json" '[.cases[] | .results.host.outcome] | sort | join(",")' "broken,failed,passed,passed,passed,timed_out"
check "  ...with the target's provenance" jq_is "$tmp/a/bundle.json" '.targets[0].provenance | (.kernel_release != null and .arch != null and .libc != null and .uid != null and .ipcconf_version != null)' true

# A process left running (in a new session, which Kyua's process-group kill
# misses): the runner finds it by the mark every process of the run carries.
IPCCONF_SAMPLE_LEAK_PROCESS=1 "$ipcconf" run --suite "$sample" --filter sample_test:sample__may_leave_a_process --out "$tmp/p" >"$tmp/out" 2>&1
check "a process left running fails the run" test $? = 1
check "  ...named as left behind and killed" says "process [0-9]+ \(sample_test\) still running after the run: killed"
check "  ...and recorded in the bundle" jq_is "$tmp/p/bundle.json" '.targets[0].leaks | map(select(startswith("process "))) | length' 1
# Only the process this run named: other runs on the machine may have sample_test processes of their own.
left_pid=$(sed -nE 's/.*process ([0-9]+) \(sample_test\) still running after the run: killed.*/\1/p' "$tmp/out" | head -1)
# (a zombie no init reaps counts as gone, as it did for pgrep -r R,S,D)
check "  ...and no longer running" eval '[ -n "$left_pid" ] && ! grep -Eq "^State:[[:space:]]+[RSDT]" "/proc/$left_pid/status" 2>/dev/null'

# Flakes across repeated runs
IPCCONF_SAMPLE_FLAKY="$tmp/flaky.count" "$ipcconf" run --repeat 3 --suite "$sample" --filter sample_test:sample__may_flake --out "$tmp/r" >"$tmp/out" 2>&1
check "--repeat 3 with a case failing every other run exits 1" test $? = 1
check "  ...naming the flaky case and its runs" says "^FLAKY sample_test:sample__may_flake \[host\]: failed in run 1,3; passed in run 2;$"
check "  ...in flakes.json" jq_is "$tmp/r/flakes.json" '.flakes[0].runs.failed | join(",")' "1,3"
check "  ...keeping each run's bundle" test -s "$tmp/r/runs/3/bundle.json"
check "--repeat 2 of a steady case finds no flake" status_is 0 "$ipcconf" run --repeat 2 --suite "$sample" --filter sample_test:sample__passes --out "$tmp/r2"
check "  ...and says so" says "^2 runs: 0 with failures or leaks, 0 flaky case\(s\)"

# A target that hangs, and an interrupted run
check "a target past its deadline is stopped and the run exits 1" status_is 1 "$ipcconf" run --suite "$sample" --timeout 1 --jobs 1 --out "$tmp/h"
check "  ...reported as timed out" jq_is "$tmp/h/bundle.json" '.targets[0].status' timed_out
check "  ...with a reason naming the deadline" says "still running after 1 s: stopped"
check "  ...and its objects removed" says "No IPC objects or processes left behind"
check "the same in the machine's own IPC namespace (--no-ipc-isolation)" status_is 1 "$ipcconf" run --suite "$sample" --timeout 1 --jobs 1 --no-ipc-isolation --out "$tmp/h2"
check "  ...the stopped case's objects removed from its record" says "No IPC objects or processes left behind"
check "  ...and no isolation recorded" jq_is "$tmp/h2/bundle.json" '.targets[0].provenance.ipc_isolation' "none: --no-ipc-isolation"
if [ "$(id -u)" = 0 ] && unshare --ipc --mount true 2>/dev/null; then
  check "as root the host target gets private IPC and /dev/shm namespaces" jq_is "$tmp/a/bundle.json" '.targets[0].provenance.ipc_isolation' "private IPC namespace, /dev/shm and mqueue mount"
else
  check "where namespaces cannot be made, the run says why it is not isolated" jq_is "$tmp/a/bundle.json" '.targets[0].provenance.ipc_isolation | startswith("none: ")' true
fi
"$ipcconf" run --suite "$sample" --jobs 1 --out "$tmp/i" >"$tmp/i.out" 2>&1 &
pid=$!
for _ in $(seq 200); do grep -Eq -- '->.*\[[0-9.]+s\]$' "$tmp/i/targets/host/kyua.log" 2>/dev/null && break; sleep 0.05; done
kill -INT "$pid"; wait "$pid"; rc=$?
check "an interrupted run exits 130" test "$rc" = 130
check "  ...and still writes its bundle" jq_is "$tmp/i/bundle.json" '.targets[0].status' interrupted
check "  ...keeping the cases that finished" jq_is "$tmp/i/bundle.json" '(.cases | length) >= 1' true

# Outcomes that explain themselves: tests/fixtures/reasons fails and skips on
# purpose, with multi-line reasons, calls answering ENOSYS, an absent /proc
# file, a refused set-up step and a plain wrong errno.
reasons=$sample/../fixtures/reasons
check "a run of cases with multi-line and not-implemented reasons exits 1" status_is 1 "$ipcconf" run --suite "$reasons" --out "$tmp/k"
check "  ...none broken: a multi-line reason is one line, the case failed" jq_is "$tmp/k/bundle.json" \
  '[.cases[] | .results.host.outcome] | group_by(.) | map("\(.[0])=\(length)") | join(",")' "failed=11,skipped=3"
check "  ...its newlines quoted" jq_is "$tmp/k/bundle.json" '.cases[] | select(.name == "reasons__fail_multiline") | .results.host.reason | test("printed:\\\\n------ Message Queues --------\\\\nkey\\\\tmsqid")' true
check "  ...a refused set-up skipped, naming the call and errno" jq_is "$tmp/k/bundle.json" '.cases[] | select(.name == "reasons__setup_refused") | .results.host.reason' 'set-up refused: open("/nonexistent/ipcconf", O_RDONLY): ENOENT (No such file or directory)'
check "  ...each failure's kind in the bundle" jq_is "$tmp/k/bundle.json" \
  '[.cases[] | .results.host | select(.outcome == "failed") | .kind] | group_by(.) | map("\(.[0])=\(length)") | join(",")' "not_implemented=5,wrong_behaviour=6"
check "  ...with what is missing" jq_is "$tmp/k/bundle.json" '[.cases[] | .results.host.missing // empty] | sort | join(", ")' \
  "/proc/sysvipc/ipcconf-no-such-file (ENOENT), feature(2) (Linux 2.6), syscall (ENOSYS), syscall (ENOSYS), syscall (ENOSYS)"
check "  ...grouped per family in the summary" says '^    reasons_test  /proc/sysvipc/ipcconf-no-such-file \(ENOENT\), syscall \(ENOSYS\) in 3 cases, feature\(2\) \(Linux 2.6\)$'
check "  ...apart from wrong behaviour" says '^  Wrong behaviour: 6 failures$'
check "  ...and each listed case says which" says 'reasons__not_implemented_call  failed \(not implemented\): .*not implemented: syscall \(ENOSYS\)'
check "  ...a wrong errno is not" says 'reasons__wrong_behaviour  failed: .*expected -1 with errno EAGAIN'

# merge, diff, list
check "merge of one bundle keeps every case and outcome" status_is 0 "$ipcconf" merge "$tmp/a" --out "$tmp/m1"
norm='[.cases[] | {id, r: (.results | map_values(.outcome))}] | sort_by(.id)'
check "  ...equal to the bundle made by the run" test "$(jq -c "$norm" "$tmp/a/bundle.json")" = "$(jq -c "$norm" "$tmp/m1/bundle.json")"
IPCCONF_SAMPLE_BREAK=1 "$ipcconf" run --suite "$sample" --out "$tmp/b" >/dev/null 2>&1
check "merge of two runs of one machine keeps both targets apart" status_is 0 "$ipcconf" merge "$tmp/a" "$tmp/b" --out "$tmp/m2"
check "  ...as host and host@<hostname>" jq_is "$tmp/m2/bundle.json" '[.targets[].id] | join(",")' "host,host@$(hostname)"
check "  ...copying each store" test -s "$tmp/m2/targets/host/results.db" -a -s "$tmp/m2/targets/host_$(hostname | tr -c 'A-Za-z0-9.\n-' _)/results.db"
check "diff of a bundle with itself shows nothing and exits 0" status_is 0 "$ipcconf" diff "$tmp/a" "$tmp/a"
check "  ...and says so" says "^0 regression\(s\), 0 fixed, 0 other change\(s\)$"
check "diff shows a planted regression and exits 1" status_is 1 "$ipcconf" diff "$tmp/a" "$tmp/b"
check "  ...under Regressions, with the clause and reason" says "^  suites?.*sample__passes: passed -> failed  \[ipcconf runner tests\]  .*broken on purpose|^  sample_test:sample__passes: passed -> failed  \[ipcconf runner tests\]  .*broken on purpose"
check "diff between two targets of one bundle" status_is 1 "$ipcconf" diff "$tmp/m2" "$tmp/m2" --old-target host --new-target "host@$(hostname)"
echo '{"schema": "something-else"}' >"$tmp/foreign.json"
check "a foreign bundle is refused" status_is 2 "$ipcconf" diff "$tmp/foreign.json" "$tmp/a"
check "  ...with the reason" says "is not an ipcconf bundle"
printf '{"schema": "ipcconf-bundle", "schema_version": 1, "targ' >"$tmp/corrupt.json"
check "a corrupt bundle is refused by merge" status_is 2 "$ipcconf" merge "$tmp/corrupt.json" --out "$tmp/m3"
check "  ...naming the file and the parse error" says "corrupt.json is not a readable bundle"
check "  ...and nothing is written" test ! -e "$tmp/m3"
check "list shows the catalogue" status_is 0 "$ipcconf" list --suite "$sample"
check "  ...with the program and clause of each case" says "^sample_test +sample__fails +sample_test +linux +ipcconf runner tests$"
check "list --json gives every case" test "$("$ipcconf" list --suite "$sample" --json | jq length)" = 6
check "list of an unknown family is refused" status_is 2 "$ipcconf" list --suite "$sample" --family nosuch

finish
