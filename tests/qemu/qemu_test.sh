#!/usr/bin/env bash
# Test of the qemu target (runner/qemu/ipcconf-qemu-target): boots a kernel
# (IPCCONF_TEST_QEMU_KERNEL, default debian-6.1; IPCCONF_TEST_QEMU_ARCH,
# default x86_64, aarch64 cross-builds the suite) with the pipe family, and
# checks the bundle that comes out: the guest's kernel, the cases, the results
# store and the console log; then that a guest past its deadline is killed and
# reported with exit 2, and that a missing kernel is refused with exit 2.
# Skipped (exit 77) unless IPCCONF_TEST_QEMU=1.
# usage: qemu_test.sh IPCCONF_QEMU_TARGET OUTDIR
set -u
if [ "${IPCCONF_TEST_QEMU:-0}" != 1 ]; then
  echo "skipped: boots a kernel under QEMU for minutes; set IPCCONF_TEST_QEMU=1 to run it"
  exit 77
fi
target=$1 out=$2
kernel=${IPCCONF_TEST_QEMU_KERNEL:-debian-6.1}
arch=${IPCCONF_TEST_QEMU_ARCH:-x86_64}
. "$(dirname "$0")/../lib/tap.sh"

file_has() { grep -Eq -- "$2" "$1" || { echo "  $1 lacks: $2"; return 1; }; }

command -v "qemu-system-$arch" >/dev/null || { echo "not ok - qemu-system-$arch is missing (apt-get install qemu-system-x86 or qemu-system-arm)"; exit 1; }

rm -rf "$out"
start=$(date +%s)
check "$kernel ($arch) boots and runs the pipe family" status_is 0 "$target" "$kernel" "$out" --arch "$arch" --filter pipe --timeout 900
echo "# $(( $(date +%s) - start )) s; $(grep -E 'booting|done with' "$tmp/out" | sed 's/^ipcconf-qemu-target: //' | tr '\n' ' ')"
check "  ...says which accelerator it used" says "done with (kvm|tcg) in"
check "the bundle is there" test -s "$out/bundle.json"
check "  ...with one completed target" jq_is "$out/bundle.json" '[.targets[] | .status] | join(",")' completed
check "  ...that ran on the guest's kernel, not this one" \
  jq_is "$out/bundle.json" ".targets[0].provenance.kernel_release == \"$(uname -r)\"" false
check "  ...on the guest" jq_is "$out/bundle.json" '.targets[0].provenance.hostname' ipcconf-guest
check "  ...of the architecture asked for" jq_is "$out/bundle.json" '.targets[0].provenance.arch' "$arch"
check "  ...with pipe cases only" jq_is "$out/bundle.json" '[.cases[].family] | unique | join(",")' pipe
check "  ...at least 20 of them passed" jq_is "$out/bundle.json" '.targets[0].totals.passed >= 20' true
check "  ...and no IPC object left behind" jq_is "$out/bundle.json" '.targets[0].leaks | length' 0
check "Kyua's results store came out" test -s "$out/targets/host/results.db"
check "Kyua's log came out" file_has "$out/targets/host/kyua.log" "->  passed"
check "the console log has the boot and the suite" file_has "$out/console.log" "Linux version"
check "  ...with Kyua's progress" file_has "$out/console.log" "pipe_test:.*->  passed"
check "  ...and the kernel image the guest exported" file_has "$out/console.log" "kernel image: $kernel"

# Failures are exit 2 with a message.
check "a guest past its deadline is killed" status_is 2 "$target" "$kernel" "$tmp/hang" --arch "$arch" --filter pipe --timeout 4
check "  ...and reported with the console's tail" says "still running after 4 s.*killed"
check "a missing kernel image is refused" status_is 2 "$target" "$tmp/no/bzImage" "$tmp/o"
check "  ...naming it" says "no such file"
check "an unknown kernel name is refused" status_is 2 "$target" debian-0.1 "$tmp/o"
check "  ...naming it" says "unknown kernel name 'debian-0.1'"

finish
