#!/usr/bin/env bash
# The gvisor target end to end: a platform runsc lacks, a missing runsc and a
# runsc that cannot start a sandbox are refused with exit 2 before the run;
# host + gvisor over three families (runsc run of an OCI bundle) gives one
# bundle with both columns, every case in both, gVisor's provenance (runtime,
# runsc version, platform, the 4.4.0 it reports), Kyua's store back whole and
# no case broken; the runner tests' hanging sample suite is stopped at its
# deadline inside the sandbox, and an interrupted run kills the sandbox,
# leaving no runsc process or state. Through Docker too, where a daemon and
# the ipcconf-glibc image are. Skips (77) only where runsc cannot run: not
# root, or no sandbox starts here.
# usage: gvisor_test.sh IPCCONF_BINARY SAMPLE_SUITE_DIR
set -u
ipcconf=$1 sample=$2
. "$(dirname "$0")/../lib/tap.sh"
skip() { echo "gvisor_test: skipped: $*"; exit 77; }
helper=$(dirname "$ipcconf")/../gvisor/ipcconf-gvisor-target

[ "$(id -u)" = 0 ] || skip "the gvisor target needs root (runsc's sandbox)"
command -v runsc >/dev/null || skip "runsc is not installed (ci/install-deps.sh --test installs it)"
"$helper" --check ptrace --runtime oci >"$tmp/check" 2>&1 || skip "runsc starts no sandbox here: $(tail -1 "$tmp/check")"
version=$(runsc --version | sed -n '1s/^runsc version //p')
# No sandbox or state of a run may outlive it: the names are ipcconf-gvisor-PID-N.
gone() { ! pgrep -f "ipcconf-gvisor-$1-" >/dev/null && ! ls -d /tmp/ipcconf-gvisor-ipcconf-gvisor-"$1"-* >/dev/null 2>&1; }

# Refused before the run
check "a platform runsc lacks is refused" status_is 2 "$ipcconf" run --target gvisor:systrap --out "$tmp/o"
check "  ...naming the platforms it has" says "gvisor:systrap: runsc $version has no platform 'systrap' \(it has: .*ptrace"
check "a malformed platform is refused" status_is 2 "$ipcconf" run --target 'gvisor:../x' --out "$tmp/o"
mkdir "$tmp/nobin"
for f in /usr/bin/*; do [ "${f##*/}" = runsc ] || ln -s "$f" "$tmp/nobin/"; done
check "a missing runsc is refused" status_is 2 env PATH="$tmp/nobin" "$ipcconf" run --target gvisor --out "$tmp/o"
check "  ...saying how to install it" says "target gvisor: runsc is not installed \(apt-get install runsc"
mkdir "$tmp/fakebin"
cat > "$tmp/fakebin/runsc" <<'EOF'
#!/bin/sh
case "$*" in
--version) echo "runsc version 0.0~fake" ;;
"help platforms") echo ptrace ;;
*" run "*) echo "creating container: cannot create sandbox: fake refusal" >&2; exit 128 ;;
esac
EOF
chmod +x "$tmp/fakebin/runsc"
check "a runsc that refuses to start is refused before the run" status_is 2 env PATH="$tmp/fakebin:$PATH" IPCCONF_GVISOR_RUNTIME=oci "$ipcconf" run --target gvisor --out "$tmp/o"
check "  ...with its reason" says "refused to start a sandbox \(status 128\): creating container: cannot create sandbox: fake refusal"
check "  ...and no bundle written" test ! -e "$tmp/o/bundle.json"

# Host and gVisor in one run (runsc run of an OCI bundle)
IPCCONF_GVISOR_RUNTIME=oci "$ipcconf" run --target host --target gvisor --filter pipe --filter sysv_msg \
  --filter unix_socket --jobs 2 --out "$tmp/g" >"$tmp/g.out" 2>&1 &
pid=$!
wait "$pid"; rc=$?
check "host + gvisor runs (exit 0 or 1: gVisor fails cases)" test "$rc" -le 1 || sed 's/^/  | /' "$tmp/g.out" | tail -20
b=$tmp/g/bundle.json
check "  ...two targets" jq_is "$b" '[.targets[] | .id + "/" + .kind] | join(",")' "host/host,gvisor/gvisor"
check "  ...every case in both columns" jq_is "$b" '[.cases[] | (.results | keys | join(","))] | unique | join(";")' "gvisor,host"
check "  ...with the cases of the three families" jq_is "$b" '[.cases[] | .family] | unique | join(",")' "pipe,sysv_msg,unix_socket"
check "  ...the gvisor target completed" jq_is "$b" '.targets[1].status' completed
check "  ...provenance: the sandbox" jq_is "$b" '.targets[1].provenance.sandbox' gvisor
check "  ...provenance: the runtime" jq_is "$b" '.targets[1].provenance.sandbox_runtime | startswith("runsc run (an OCI bundle")' true
check "  ...provenance: runsc's version" jq_is "$b" '.targets[1].provenance.sandbox_version' "$version"
check "  ...provenance: the platform" jq_is "$b" '.targets[1].provenance.sandbox_platform' ptrace
check "  ...provenance: the kernel gVisor reports" jq_is "$b" '.targets[1].provenance.kernel_release' 4.4.0
check "  ...Kyua's store came back whole" test "$(sqlite3 "$tmp/g/targets/gvisor/targets/host/results.db" "PRAGMA integrity_check")" = ok
check "  ...with every case of the column" test "$(sqlite3 "$tmp/g/targets/gvisor/targets/host/results.db" 'SELECT count(*) FROM test_results')" = "$(jq '.cases | length' "$b")"
check "  ...no case broken or timed out on either target" jq_is "$b" '[.cases[] | .results[] | select(.outcome == "broken" or .outcome == "timed_out")] | length' 0
check "  ...the ipcs cases fail on one line (gVisor lists nothing), not broken" jq_is "$b" '[.cases[] | select(.id | test("ipcs__[qm]_")) | .results.gvisor.outcome] | join(",")' "failed,failed"
check "  ...the host column passes" jq_is "$b" '[.cases[] | .results.host.outcome | select(. != "passed" and . != "skipped" and . != "expected_failure")] | length' 0
check "  ...nothing of the sandbox left" gone "$pid"
top=$(cd "$(dirname "$0")/../.." && pwd)
check "the gVisor table is generated from the bundle" "$top/ci/gvisor-table.py" "$tmp/g" --out "$tmp/g.md"
check "  ...with a section per family that does not all pass" grep -q '^## sysv_msg ([0-9]*)$' "$tmp/g.md"
check "  ...the ipcs case read as not implemented" grep -q '^| `ipcs_test:ipcs__q_lists_queue` | failed | .*not implemented' "$tmp/g.md"

# A hang: the sample suite's case that never returns, with a 1 s deadline
"$ipcconf" run --suite "$sample" --target gvisor --timeout 1 --jobs 1 --out "$tmp/h" >"$tmp/h.out" 2>&1 &
pid=$!
wait "$pid"; rc=$?
check "a gvisor target past its deadline exits 1" test "$rc" = 1 || sed 's/^/  | /' "$tmp/h.out" | tail -20
check "  ...reported as timed out" jq_is "$tmp/h/bundle.json" '.targets[0].status' timed_out
check "  ...stopped in the sandbox at the deadline" jq_is "$tmp/h/bundle.json" '.targets[0].status_reason | startswith("in the sandbox: still running after 1 s: stopped")' true
check "  ...keeping the cases that finished" jq_is "$tmp/h/bundle.json" '[.cases[] | .results.gvisor.outcome | select(. == "passed")] | length > 0' true
check "  ...and nothing of the sandbox left" gone "$pid"

# A run inside that ignores its deadline: the sandbox is killed 15 s after it
hang=$(dirname "$sample")/gvisor-hang
mkdir -p "$hang" && printf '#!/bin/sh\nexec sleep 600\n' > "$hang/ipcconf" && chmod +x "$hang/ipcconf"
start=$(date +%s)
IPCCONF_GVISOR_RUNTIME=oci "$helper" ptrace "$tmp/k" --ipcconf "$hang/ipcconf" --suite "$sample" --name "ipcconf-gvisor-$$-hang" --timeout 1 >"$tmp/k.out" 2>&1
rc=$? took=$(( $(date +%s) - start ))
check "a sandbox still running 15 s after its deadline is killed (exit 2)" test "$rc" = 2 || sed 's/^/  | /' "$tmp/k.out"
check "  ...saying so" grep -q "the gVisor run was still going 16 s after it started: killed" "$tmp/k.out"
check "  ...at the deadline, not later (took ${took} s)" test "$took" -lt 30
check "  ...and nothing of it left" gone "$$"

# Ctrl-C: the runner kills the sandbox and keeps what finished
IPCCONF_GVISOR_RUNTIME=oci "$ipcconf" run --suite "$sample" --target gvisor --jobs 1 --out "$tmp/i" >"$tmp/i.out" 2>&1 &
pid=$!
for _ in $(seq 400); do grep -Eq -- '->.*\[[0-9.]+s\]$' "$tmp/i/targets/gvisor/targets/host/kyua.log" 2>/dev/null && break; sleep 0.05; done
kill -INT "$pid"; wait "$pid"; rc=$?
check "an interrupted gvisor run exits 130" test "$rc" = 130 || sed 's/^/  | /' "$tmp/i.out" | tail -20
check "  ...reported as interrupted" jq_is "$tmp/i/bundle.json" '.targets[0].status' interrupted
check "  ...and nothing of the sandbox left" gone "$pid"

# Through Docker, where a daemon and the image are
if docker info >/dev/null 2>&1 && docker image inspect ipcconf-glibc >/dev/null 2>&1; then
  IPCCONF_GVISOR_RUNTIME=docker "$ipcconf" run --target gvisor --filter pipe_test --out "$tmp/d" >"$tmp/d.out" 2>&1
  check "through docker --runtime=runsc: the run ends (exit 0 or 1)" test $? -le 1 || sed 's/^/  | /' "$tmp/d.out" | tail -20
  check "  ...provenance names the runtime" jq_is "$tmp/d/bundle.json" '.targets[0].provenance.sandbox_runtime | startswith("docker run --runtime=runsc")' true
  check "  ...which dockerd lists" test -n "$(docker info --format '{{json .Runtimes}}' | grep '"runsc"')"
  check "  ...and the kernel gVisor reports" jq_is "$tmp/d/bundle.json" '.targets[0].provenance.kernel_release' 4.4.0
else
  echo "# no Docker daemon or no ipcconf-glibc image: the docker runtime is not tried"
fi

finish
