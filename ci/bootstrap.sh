#!/usr/bin/env bash
# The main job: installs what is missing (Debian 12), builds, and runs the
# suite on this machine. Prints a summary per family; writes the results store
# and the HTML report to ./ipcconf-out (or --out DIR). Extra arguments go to
# `ipcconf run` (e.g. --filter pipe).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/ci/install-deps.sh"
cmake -S "$top" -B "$top/build" >/dev/null
cmake --build "$top/build" -j "$(nproc)" >/dev/null
exec "$top/build/runner/ipcconf" run --out "${IPCCONF_OUT:-$PWD/ipcconf-out}" "$@"
