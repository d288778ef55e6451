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
usage() {
  cat >&2 <<'EOF'
usage: ci/matrix-job.sh glibc|musl|gvisor|none OUT
  runs the suite on this machine (and, unless "none", in the ipcconf-glibc or
  ipcconf-musl container, or inside gVisor) into one bundle in OUT, as one CI matrix job does;
  ci/merge-job.sh joins the jobs' bundles
EOF
  exit 2
}
case "${1:-}" in -h|--help) usage ;; esac
[ $# = 2 ] || { echo "ci/matrix-job.sh: needs 2 arguments, got $#" >&2; usage; }
libc=$1 out=$2
case "$libc" in glibc|musl|gvisor|none) ;; *) echo "ci/matrix-job.sh: unknown C library '$libc'" >&2; usage ;; esac
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
