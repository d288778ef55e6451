#!/usr/bin/env bash
# One job of a CI matrix: installs what is missing, builds, builds the
# container image of the given C library when Docker is there, and runs the
# suite on the host and in that image into one bundle in OUT; with gvisor,
# on the host and inside gVisor (runsc, installed here; needs root).
# usage: ci/matrix-job.sh glibc|musl|gvisor|none OUT
# Exit status: that of `ipcconf run` (1 when a case failed), so a CI job turns
# red on a failure while still uploading its bundle (use `if: always()`).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
libc=${1:?usage: ci/matrix-job.sh glibc|musl|gvisor|none OUT}
out=${2:?usage: ci/matrix-job.sh glibc|musl|gvisor|none OUT}
groups=()
[ "$libc" = gvisor ] && groups=(--gvisor)
"$top/ci/install-deps.sh" "${groups[@]+"${groups[@]}"}"
cmake -S "$top" -B "$top/build" >/dev/null
cmake --build "$top/build" -j "$(nproc)" >/dev/null
targets=(--target host)
if [ "$libc" = gvisor ]; then
  targets+=(--target gvisor)
elif [ "$libc" != none ]; then
  "$top/docker/build.sh" "$libc"
  targets+=(--target "docker:ipcconf-$libc")
fi
exec "$top/build/runner/ipcconf" run "${targets[@]}" --out "$out"
