#!/usr/bin/env bash
# Test of the user:ARCH targets (runner/qemu/ipcconf-user-target) through
# `ipcconf run`: i686 on this kernel's 32-bit compat layer and armhf under
# qemu-user (a 32-bit program the kernel sees as a 64-bit process), each with one test program, checking the bundle (architecture,
# emulation, blocking proofs that pass, nothing left behind); then that a run
# past its deadline is killed with exit 2 and that an unknown architecture is
# refused. The first run fetches the sysroots from Debian's mirror and
# cross-builds the suite (cached in ~/.cache/ipcconf).
# Skipped (exit 77) where it cannot run: not root, no mount namespace, no
# cross compiler; the armhf half also where binfmt_misc cannot be mounted.
# usage: user_test.sh IPCCONF IPCCONF_USER_TARGET OUTDIR
set -u
ipcconf=$1 user_target=$2 out=$3
skip() { echo "skipped: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "user targets need root (chroot, mount namespace)"
[ "$(uname -m)" = x86_64 ] || skip "user targets are made for x86_64 machines"
unshare --mount --pid --fork true 2>/dev/null || skip "no mount and PID namespace can be made here"
command -v i686-linux-gnu-gcc >/dev/null || skip "gcc-i686-linux-gnu is not installed"
command -v jq >/dev/null || skip "jq is not installed"
. "$(dirname "$0")/../lib/tap.sh"


rm -rf "$out"
start=$(date +%s)
check "user:i686 runs the pipe program" status_is 0 "$ipcconf" run --out "$out" --jobs 2 \
  --target user:i686 --filter pipe_test
echo "# $(( $(date +%s) - start )) s"
check "  ...on this kernel" jq_is "$out/bundle.json" ".targets[0].provenance.kernel_release" "$(uname -r)"
check "  ...as a 32-bit x86 userland" jq_is "$out/bundle.json" ".targets[0].provenance.arch" i686
check "  ...through the compat layer, without an emulator" \
  jq_is "$out/bundle.json" '.targets[0].provenance.emulation | startswith("none: 32-bit x86")' true
check "  ...of kind user" jq_is "$out/bundle.json" ".targets[0].kind" user
check "  ...where every case passed or skipped" \
  jq_is "$out/bundle.json" '.targets[0].totals.failed + .targets[0].totals.broken + .targets[0].totals.timed_out' 0
check "  ...including a blocking proof across exec" \
  jq_is "$out/bundle.json" '[.cases[] | select(.name == "pipe__ends_survive_exec") | .results[].outcome] | join(",")' passed
check "  ...and no IPC object left behind" jq_is "$out/bundle.json" '.targets[0].leaks | length' 0

if [ -e /proc/sys/fs/binfmt_misc/register ] ||
   mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null; then
  if command -v arm-linux-gnueabihf-gcc >/dev/null && [ -x /usr/bin/qemu-arm-static ]; then
    start=$(date +%s)
    rm -rf "$out"
    check "user:armhf runs the msgrcv program under qemu-user, found by its name" status_is 0 "$ipcconf" run \
      --out "$out" --jobs 2 --target user:armhf --filter msgrcv_test:msgrcv__removed_while_blocked_eidrm \
      --filter msgrcv_test:msgrcv__signal_interrupts_eintr --filter msgrcv_test:msgrcv__fifo_order
    echo "# $(( $(date +%s) - start )) s"
    check "  ...as a 32-bit Arm userland" jq_is "$out/bundle.json" ".targets[0].provenance.arch" armv7l
    check "  ...saying QEMU translated its calls" \
      jq_is "$out/bundle.json" '.targets[0].provenance.emulation | startswith("qemu-user ")' true
    check "  ...with the blocking proofs passing (the host's system call numbers)" \
      jq_is "$out/bundle.json" '[.cases[].results[].outcome] | unique | join(",")' passed
  else
    echo "# the armhf half skipped: gcc-arm-linux-gnueabihf or qemu-user-static is not installed"
  fi
else
  echo "# the armhf half skipped: binfmt_misc cannot be mounted here"
fi

# Failures are exit 2 with a message.
check "a run past its deadline is killed" status_is 2 "$user_target" i686 "$tmp/hang" --timeout 2

check "  ...and reported" says "still going after 2 s: killed"
check "an unknown architecture is refused" status_is 2 "$user_target" mips "$tmp/o"
check "  ...listing the known ones" says "unknown architecture 'mips' \\(known: aarch64, armhf, i686"

finish
