#!/usr/bin/env bash
# Static analysis of the project's own C (fixtures/, runner/, reports/):
# cppcheck (warning, portability and performance checks) and clang-tidy with
# the checks in .clang-tidy. Exits non-zero on any finding.
# usage: ci/static-analysis.sh [BUILD_DIR]   (a scratch build for compile_commands.json)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$(mktemp -d)}
cd "$top"
for tool in cppcheck clang-tidy; do
  command -v "$tool" >/dev/null || { echo "static-analysis: $tool is missing (ci/install-deps.sh --test)" >&2; exit 2; }
done
sources=(fixtures/*.c runner/*.c reports/*.c)
echo "cppcheck: ${#sources[@]} files"
cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance --std=c11 \
  --inline-suppr --suppress=missingIncludeSystem --suppress='*:/usr/include/*' \
  -I fixtures -I runner -I reports -I /usr/include -I /usr/include/x86_64-linux-gnu \
  -D__linux__ -D__GNUC__ -D_GNU_SOURCE -D__x86_64__ "${sources[@]}"
cmake -S "$top" -B "$build" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DIPCCONF_ONLY_FAMILIES=none >/dev/null
echo "clang-tidy: ${#sources[@]} files, checks from .clang-tidy"
clang-tidy -p "$build" --quiet "${sources[@]}" 2>/dev/null
echo "static-analysis: clean"
