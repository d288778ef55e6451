#!/usr/bin/env bash
# The whole suite as root without CAP_IPC_OWNER and CAP_SYS_ADMIN, in the
# machine's own IPC namespace: the capability set of root in a container. Cases
# that create an object as another user (fx_run_unprivileged) must still leave
# nothing behind, since root there cannot remove another user's System V object,
# and every case must pass or skip saying what was refused.
# usage: without_ipc_caps_test.sh IPCCONF_BINARY   (root only; exit 77 otherwise)
set -u
ipcconf=$1
. "$(dirname "$0")/../lib/tap.sh"
[ "$(id -u)" = 0 ] || { echo "without_ipc_caps_test: skipped: needs root"; exit 77; }
drop=(setpriv --inh-caps=-ipc_owner,-sys_admin --bounding-set=-ipc_owner,-sys_admin --)
check "setpriv drops the two capabilities" sh -c \
  "${drop[*]} grep -q '^CapBnd:' /proc/self/status && [ \$(( 0x\$(${drop[*]} awk '/^CapEff:/ {print \$2}' /proc/self/status) >> 15 & 1 )) = 0 ]"

check "the fx_run_unprivileged cases leave nothing behind" status_is 0 \
  "${drop[@]}" "$ipcconf" run --no-ipc-isolation --out "$tmp/owner" \
  --filter shmget_test:shmget__owner_mode_eacces --filter shmctl_test:shmctl__stat_owner_mode_eacces \
  --filter shm_open_test --filter fifo_open_test --filter kill_test
check "  ...and both segment cases passed" jq_is "$tmp/owner/bundle.json" \
  '[.cases[] | select(.id | test("owner_mode_eacces$")) | .results[].outcome] | unique | join(",")' passed

check "the whole suite passes with no leak and no failure" status_is 0 \
  "${drop[@]}" "$ipcconf" run --jobs 2 --no-ipc-isolation --out "$tmp/all"
check "  ...nothing failed, broke or timed out" jq_is "$tmp/all/bundle.json" \
  '[.cases[].results[].outcome | select(. != "passed" and . != "skipped" and . != "expected_failure")] | length' 0
check "  ...the run left no System V object" sh -c "! ipcs -a | grep -Eq '^0x'"
finish
