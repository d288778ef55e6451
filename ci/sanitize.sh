#!/usr/bin/env bash
# The suite and the project's own tests under AddressSanitizer and
# UndefinedBehaviorSanitizer (any report is fatal: -fno-sanitize-recover):
# builds BUILD_DIR with IPCCONF_SANITIZE=ON, runs the whole suite, the
# fixtures' self-tests and the runner's tests (runner_test, validate_test) there.
# usage: ci/sanitize.sh [BUILD_DIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build-sanitize}
cmake -S "$top" -B "$build" -DIPCCONF_SANITIZE=ON -DIPCCONF_WERROR=ON >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
status=0
"$build/runner/ipcconf" run --suite "$build" --out "$out/suite" >"$out/suite.log" 2>&1 \
  || { cat "$out/suite.log"; echo "sanitize: the suite failed" >&2; status=1; }
grep -E '^[0-9]+ passed,' "$out/suite.log" | sed 's/^/sanitize: suite: /'
"$build/runner/ipcconf" run --suite "$build/tests/fixtures" --out "$out/fixtures" >"$out/fx.log" 2>&1 \
  || { cat "$out/fx.log"; echo "sanitize: the fixtures' self-tests failed" >&2; status=1; }
grep -E '^[0-9]+ passed,' "$out/fx.log" | sed 's/^/sanitize: fixtures: /'
"$top/tests/runner/runner_test.sh" "$build/runner/ipcconf" "$build/tests/runner" >"$out/runner.log" 2>&1 \
  || { cat "$out/runner.log"; echo "sanitize: the runner's tests failed" >&2; status=1; }
tail -n1 "$out/runner.log" | sed 's/^/sanitize: /'
"$top/tests/runner/validate_test.sh" "$build/runner/ipcconf" "$build/tests/runner" "$top" >"$out/validate.log" 2>&1 \
  || { cat "$out/validate.log"; echo "sanitize: the runner's checks before a run failed" >&2; status=1; }
tail -n1 "$out/validate.log" | sed 's/^/sanitize: validate: /'
exit $status
