#!/usr/bin/env bash
# Runs the suite as an unprivileged user: installs the build tree into a
# temporary prefix every user can read, then runs `ipcconf run` there as USER.
# usage: ci/run-suite-as-user.sh [BUILD_DIR] [USER] [-- ipcconf run options...]
# The bundle is kept in $IPCCONF_KEEP_USER_OUT (default BUILD_DIR/ipcconf-out-USER):
# the run writes it there when USER can, else it is copied there afterwards
# (and the script says so). Must be started as root. Exit status: that of
# `ipcconf run`; 2 for a usage error (no build tree, no such user, not root).
set -euo pipefail
me=run-suite-as-user
usage="usage: ci/run-suite-as-user.sh [BUILD_DIR] [USER] [-- ipcconf run options...]"
case "${1:-}" in -h|--help) echo "$usage"; exit 0 ;; esac
build=${1:-build}
user=${2:-nobody}
shift $(( $# > 2 ? 2 : $# ))
[ "${1:-}" = "--" ] && shift
if [ ! -f "$build/CMakeCache.txt" ]; then
  echo "$me: $build is not a CMake build tree: build the suite first (cmake -S . -B $build && cmake --build $build)" >&2
  echo "$usage" >&2
  exit 2
fi
if [ "$(id -u)" != 0 ]; then
  echo "$me: must run as root to switch to '$user'" >&2
  exit 2
fi
if ! id "$user" >/dev/null 2>&1; then
  echo "$me: no user '$user' on this machine" >&2
  exit 2
fi
build=$(cd "$build" && pwd)
keep=$(realpath -m "${IPCCONF_KEEP_USER_OUT:-$build/ipcconf-out-$user}")
prefix=$(mktemp -d /tmp/ipcconf-user.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
if ! cmake --install "$build" --prefix "$prefix/install" >"$prefix/install.log" 2>&1; then
  echo "$me: cmake --install $build failed: $(tail -1 "$prefix/install.log")" >&2
  exit 2
fi
mkdir "$prefix/home" "$prefix/out"
chown "$user" "$prefix/home" "$prefix/out"
chmod 0755 "$prefix"
mkdir -p "$keep"
chown "$user" "$keep"
# Straight into the kept directory when USER can write there; else via the prefix.
out=$keep
runuser -u "$user" -- test -w "$keep" -a -x "$keep" 2>/dev/null || out=$prefix/out
set +e
runuser -u "$user" -- env HOME="$prefix/home" TMPDIR=/tmp \
  "$prefix/install/bin/ipcconf" run --out "$out" "$@"
rc=$?
set -e
if [ "$out" != "$keep" ]; then
  cp -r "$out/." "$keep/"
  echo "$me: $user cannot write $keep, so the run wrote to a temporary directory: its bundle is copied to $keep/bundle.json"
fi
exit $rc
