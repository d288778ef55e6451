#!/usr/bin/env bash
# The project's tests: installs what is missing (Debian 12), builds with
# warnings as errors, and runs every CTest test: the fixtures' self-tests, the
# runner's tests, and the whole suite as the invoking user and (as root) as
# nobody, each with its leak check.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${IPCCONF_BUILD_DIR:-$top/build-test}
"$top/ci/install-deps.sh" --test
cmake -S "$top" -B "$build" -DIPCCONF_WERROR=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
cd "$build"
ctest --output-on-failure
