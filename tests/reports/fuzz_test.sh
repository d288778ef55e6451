#!/usr/bin/env bash
# Fuzzes the reports' bundle reader and renderers (fuzz_report.c) with
# libFuzzer, ASan and UBSan for FUZZ_SECONDS (default 20) from the corpus in
# fuzz-corpus/ (small bundles, and inputs that once found a bug). New inputs go
# to a scratch copy; a crash leaves its input in OUT_DIR and fails the test.
# usage: fuzz_test.sh SOURCE_DIR BINARY_DIR OUT_DIR   (exit 77 without clang)
set -u
src=$1 bin=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
clang=$(command -v clang || true)
if [ -z "$clang" ] || ! echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' |
     "$clang" -x c -fsanitize=fuzzer - -o /dev/null 2>/dev/null; then
  echo "skipped: no clang with libFuzzer (apt-get install clang libclang-rt-14-dev)"
  exit 77
fi
rm -rf "$out" && mkdir -p "$out/corpus"
cp "$here"/fuzz-corpus/* "$out/corpus/"
set -e
"$clang" -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined -I"$src/reports" $(pkg-config --cflags jansson libxml-2.0) \
  "$here/fuzz_report.c" "$src"/reports/{reports,model,text,junit,json,html,markdown,spec,ktap,kcidb,squad,lava,farms}.c \
  "$bin"/reports/ipcconf_{report_html,report_css,report_js,seed_points_tsv}.c \
  $(pkg-config --libs jansson libxml-2.0) -o "$out/fuzz_report"
cd "$out"
set +e
./fuzz_report -max_total_time="${FUZZ_SECONDS:-20}" -max_len=8192 -timeout=10 -error_exitcode=1 \
  -dict="$here/fuzz.dict" -artifact_prefix="$out/" corpus >fuzz.log 2>&1
rc=$?
grep -E '^#[0-9]+ +DONE|^Done|ERROR|SUMMARY|^(crash|timeout|leak)-|abort' fuzz.log | head -20
if [ "$rc" != 0 ]; then
  echo "the fuzzer found an input that fails (exit $rc): $out/fuzz.log, $(ls "$out" | grep -E '^(crash|leak|timeout|oom)-' | head -1)"
  tail -40 fuzz.log
fi
[ "$rc" = 0 ] || exit 1  # never 77, which ctest reads as skipped
