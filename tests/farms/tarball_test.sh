#!/usr/bin/env bash
# ci/make-farm-tarball.sh: the tree it packs runs the suite where it is
# unpacked with the machine's own Kyua, Kyua's data and every library but the
# C library hidden (bind mounts in a private mount namespace: needs root, 77
# otherwise), and the LAVA definition's install step unpacks it from a URL.
# usage: tarball_test.sh IPCCONF BUILD_DIR WORK_DIR
set -u
build=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
[ "$(id -u)" = 0 ] && command -v unshare >/dev/null || { echo "skipped: needs root and unshare"; exit 77; }

check "make-farm-tarball packs the build" status_is 0 "$here/../../ci/make-farm-tarball.sh" "$build" "$tmp/ipcconf.tar.gz"
mkdir -p "$tmp/opt" && tar -xzf "$tmp/ipcconf.tar.gz" -C "$tmp/opt"
check "  ...with its own Kyua and Kyua's store schema" test -x "$tmp/opt/bin/kyua" -a -f "$tmp/opt/share/kyua/store/schema_v3.sql"
check "  ...and no C library" test -z "$(ls "$tmp/opt/lib" | grep -E '^(libc|libm|ld-linux)')"
# Everything the tree brings, hidden outside it.
hide="mount --bind /dev/null $(readlink -f "$(command -v kyua)"); mount -t tmpfs none /usr/share/kyua"
for l in "$tmp"/opt/lib/*; do
  sys=$(ldconfig -p | sed -n "s/.*$(basename "$l") .*=> \(.*\)/\1/p" | head -1)
  [ -n "$sys" ] && hide="$hide; mount --bind /dev/null $(readlink -f "$sys")"
done
unshare -m sh -c "mount --make-rprivate / && $hide && kyua --version >/dev/null 2>&1 && echo VISIBLE; \
  '$tmp/opt/bin/ipcconf' run --jobs 2 --filter fifo_open_test --filter msgsnd_test --out '$tmp/o'" >"$tmp/out" 2>&1
check "  ...runs the suite with the machine's Kyua and libraries hidden" test $? = 0
check "  ...which were hidden indeed" test -z "$(grep VISIBLE "$tmp/out")"
check "  ...and writes the bundle" jq_is "$tmp/o/bundle.json" '[.cases[].results.host.outcome] | map(select(. == "passed")) | length > 10' true
check "  ...from the unpacked suite" jq_is "$tmp/o/bundle.json" '.targets[0].status' completed
check "with a path inside the tarball, the tree is under it" status_is 0 "$here/../../ci/make-farm-tarball.sh" "$build" "$tmp/overlay.tar.gz" opt/ipcconf
check "  ...as an overlay extracted at the root wants it" test "$(tar -tzf "$tmp/overlay.tar.gz" | grep -Ec '^(\./)?opt/ipcconf/bin/ipcconf$')" = 1
finish
