#!/usr/bin/env bash
# Runs the suite as an unprivileged user: installs the build tree into a
# temporary prefix every user can read, then runs `ipcconf run` there as USER.
# usage: ci/run-suite-as-user.sh [BUILD_DIR] [USER] [-- ipcconf run options...]
# Must be started as root. Exit status: that of `ipcconf run`.
set -euo pipefail
build=${1:-build}
user=${2:-nobody}
shift $(( $# > 2 ? 2 : $# ))
[ "${1:-}" = "--" ] && shift
if [ "$(id -u)" != 0 ]; then
  echo "run-suite-as-user: must run as root to switch to '$user'" >&2
  exit 2
fi
if ! id "$user" >/dev/null 2>&1; then
  echo "run-suite-as-user: no user '$user' on this machine" >&2
  exit 2
fi
prefix=$(mktemp -d /tmp/ipcconf-user.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix/install" >/dev/null
mkdir "$prefix/home" "$prefix/out"
chown "$user" "$prefix/home" "$prefix/out"
chmod 0755 "$prefix"
set +e
runuser -u "$user" -- env HOME="$prefix/home" TMPDIR=/tmp \
  "$prefix/install/bin/ipcconf" run --out "$prefix/out" "$@"
rc=$?
set -e
if [ -n "${IPCCONF_KEEP_USER_OUT:-}" ]; then
  rm -rf "$IPCCONF_KEEP_USER_OUT"; cp -r "$prefix/out" "$IPCCONF_KEEP_USER_OUT"
fi
exit $rc
