#!/usr/bin/env bash
# Writes a synthetic bundle of CASES cases on TARGETS targets to DIR/bundle.json:
# every family, every class, one case in five with a non-passing outcome
# somewhere, and a few cases that did not run on some target. For the HTML
# report's speed check (1,000 cases x 10 targets).
# usage: synthetic_bundle.sh DIR [CASES [TARGETS]]
set -euo pipefail
dir=$1 cases=${2:-1000} targets=${3:-10}
mkdir -p "$dir"
jq -n --argjson nc "$cases" --argjson nt "$targets" '
  ["pipe","fifo","sysv_msg","posix_mq","sysv_shm","posix_shm","mmap","sysv_sem",
   "posix_sem","locks","unix_socket","signal","ipc_ns"] as $fams
  | ["passed","passed","passed","passed","passed","passed","passed","failed","skipped",
     "expected_failure","broken","timed_out"] as $outs
  | {schema: "ipcconf-bundle", schema_version: 1, ipcconf_version: "synthetic",
     created: "2026-11-23T00:00:00Z",
     targets: [range($nt) as $t | {id: "target-\($t)", kind: "host", status: "completed",
       status_reason: "", store: "", leaks: [], duration_s: 60.5, totals: {},
       provenance: {hostname: "runner-\($t)", kernel_release: "6.1.\($t)-amd64",
         kernel_version: "#1 SMP Debian", arch: "x86_64", libc: "glibc", libc_version: "2.36",
         distribution: "Debian GNU/Linux 12 (bookworm)", container: null, uid: 0,
         user: "root", date: "2026-11-23T00:00:00Z", ipcconf_version: "synthetic"}}],
     cases: [range($nc) as $i | $fams[$i % ($fams | length)] as $f
       | {id: "suites/\($f)/\($f)_test:api\($i)__behaviour_number_\($i)", family: $f,
          program: "suites/\($f)/\($f)_test", name: "api\($i)__behaviour_number_\($i)",
          descr: "synthetic case \($i)", spec: "POSIX.1-2017 XSH api\($i): clause \($i)",
          class: (["posix", "xsi", "linux"][$i % 3]),
          results: ([range($nt) as $t | select(($i + $t) % 97 != 0)
            | {key: "target-\($t)", value: {duration_s: 0.01, reason: "reason \($i) on \($t)",
               outcome: (if $i % 5 == 0 then $outs[($i * 7 + $t * 3) % 12] else "passed" end)}}]
            | from_entries)}]}' > "$dir/bundle.json"
