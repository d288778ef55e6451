#!/usr/bin/env bash
# Tests of "validate before the run": every bad input the runner can check is
# refused with exit 2 and its reason on the terminal before anything runs; a
# tool that fails under the runner shows its own last line; a target that did
# not complete is named in every summary; Ctrl-C in --repeat; merge, list,
# diff and --filter name what there is; leaks and leftover processes name the
# case; skip and expected-failure reasons are listed; the ci/ scripts' usage.
# usage: validate_test.sh IPCCONF_BINARY SAMPLE_SUITE_DIR SOURCE_DIR
set -u
ipcconf=$1 sample=$2 src=$3
. "$(dirname "$0")/../lib/tap.sh"
not_started() { ! grep -q "results in" "$tmp/out"; }
root=false; [ "$(id -u)" = 0 ] && root=true

# Targets, architectures, kernel names
check "user:arm64 (an unknown architecture) is refused" status_is 2 "$ipcconf" run --target user:arm64 --out "$tmp/o"
check "  ...listing the known ones" says "unknown architecture 'arm64' \(known: aarch64, armhf, i686, i686-time64, ppc64el, riscv64, s390x\)"
check "  ...before the run starts" not_started
# A PATH without the cross compiler (everything else of /usr/bin and /bin kept),
# and with a fake docker (below). Links only: nothing is ever written through them.
mkdir "$tmp/bin"
for f in /usr/bin/* /bin/* /usr/sbin/* /sbin/*; do
  case "${f##*/}" in aarch64-linux-gnu-gcc*|docker) ;; *) ln -sf "$f" "$tmp/bin/" 2>/dev/null ;; esac
done
check "user:aarch64 without its cross compiler is refused" status_is 2 env PATH="$tmp/bin" "$ipcconf" run --target user:aarch64 --out "$tmp/o"
if $root; then
  check "  ...naming the one command that installs it" says "apt-get install (gcc-aarch64-linux-gnu|qemu-user-static)"
else
  check "  ...saying it needs root" says "needs root"
fi
check "  ...before the run starts" not_started
check "qemu:debian-7 (an unknown kernel name) is refused" status_is 2 "$ipcconf" run --target qemu:debian-7 --out "$tmp/o"
check "  ...with the helper's own line on the terminal" says "unknown kernel name 'debian-7' \(known: debian-5.10, debian-6.1"
check "  ...pointing at no log" test -z "$(grep -E 'console.log|qemu.log' "$tmp/out")"
check "a qemu target with no usable cache directory is refused" status_is 2 env -u XDG_CACHE_HOME HOME=/dev/null/home "$ipcconf" run --target qemu:debian-6.1 --out "$tmp/o"
check "  ...saying what to set" says "set HOME or XDG_CACHE_HOME to a writable directory"
check "a user target with a HOME that does not exist is refused" status_is 2 env -u XDG_CACHE_HOME HOME="$tmp/no-home" "$ipcconf" run --target user:i686 --out "$tmp/o"
check "  ...naming HOME" says "HOME \\($tmp/no-home\\) is not a directory"
check "  ...and making nothing there" test ! -e "$tmp/no-home"

# Option values
check "--shm-size abc is refused" status_is 2 "$ipcconf" run --shm-size abc --target docker:x --out "$tmp/o"
check "  ...saying what a size is" says "--shm-size takes a size such as 64m"
check "--shm-size 64m is taken (the next error is the target's)" status_is 2 "$ipcconf" run --shm-size 64m --target mainframe --out "$tmp/o"
check "  ...not the size's" says "unknown target 'mainframe'"
check "--filter '' is refused" status_is 2 "$ipcconf" run --suite "$sample" --filter "" --out "$tmp/o"
check "  ...before Kyua sees it" says "--filter takes a family .* not an empty string"
check "--jobs 2x is refused" status_is 2 "$ipcconf" run --jobs 2x --out "$tmp/o"
check "--timeout abc is refused" status_is 2 "$ipcconf" run --timeout abc --out "$tmp/o"
check "--repeat 0 is refused" status_is 2 "$ipcconf" run --repeat 0 --out "$tmp/o"
check "--docker-user 'a b' is refused" status_is 2 "$ipcconf" run --docker-user "a b" --out "$tmp/o"
check "--filter with a typo is refused" status_is 2 "$ipcconf" run --suite "$sample" --filter sample__pases --out "$tmp/o"
check "  ...with a suggestion" says "did you mean sample__passes\?"
check "PROGRAM:CASE with a typo is refused with a suggestion" status_is 2 "$ipcconf" run --suite "$sample" --filter sample_test:sample__fials --out "$tmp/o"
check "  ...naming the case meant" says "no such case \(did you mean sample__fails\?\)"

# The output directory
echo x >"$tmp/file"
check "--out on a regular file is refused" status_is 2 "$ipcconf" run --suite "$sample" --out "$tmp/file"
check "  ...saying it is a file" says "is a file, not a directory"
mkdir "$tmp/ro"
if $root; then
  check "--out on a read-only directory is refused" status_is 2 unshare --mount sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$2" run --suite "$3" --out "$1"' sh "$tmp/ro" "$ipcconf" "$sample"
else
  chmod 555 "$tmp/ro"
  check "--out on a read-only directory is refused" status_is 2 "$ipcconf" run --suite "$sample" --out "$tmp/ro"
fi
check "  ...saying it cannot write there" says "cannot write there: Read-only file system|cannot write there: Permission denied"
check "  ...before the run starts" not_started
echo '{"something": "else"}' >"$tmp/foreign.json"; mkdir "$tmp/fo"; cp "$tmp/foreign.json" "$tmp/fo/bundle.json"
check "--out holding a foreign bundle.json is refused" status_is 2 "$ipcconf" run --suite "$sample" --out "$tmp/fo"
check "  ...and it is left alone" cmp -s "$tmp/foreign.json" "$tmp/fo/bundle.json"
"$ipcconf" run --suite "$sample" --filter sample__passes --out "$tmp/re" >/dev/null 2>&1
mkdir -p "$tmp/re/targets/docker_old"; touch "$tmp/re/targets/docker_old/results.db" "$tmp/re/mine.txt"
check "--out into an earlier bundle replaces it" status_is 0 "$ipcconf" run --suite "$sample" --filter sample__passes --out "$tmp/re"
check "  ...and says so" says "holds an earlier bundle: it is replaced as a whole"
check "  ...as a whole: no old target directory is left" test ! -e "$tmp/re/targets/docker_old"
check "  ...and what ipcconf did not write stays" test -e "$tmp/re/mine.txt"
check "a HOME that does not exist does not stop the host target" status_is 0 env HOME="$tmp/no-home" "$ipcconf" run --suite "$sample" --filter sample__passes --out "$tmp/h"
check "  ...and nothing is made there" test ! -e "$tmp/no-home"

# A tool that fails under the runner: its own line on the terminal
cp -r "$sample" "$tmp/badsuite"
echo 'this is not lua' >>"$tmp/badsuite/Kyuafile"
check "a Kyua failure shows Kyua's own reason" status_is 1 "$ipcconf" run --suite "$tmp/badsuite" --out "$tmp/k"
check "  ...on the terminal" says "ended with status 2: kyua: E: Load of .*Kyuafile:[0-9]+: syntax error"
check "  ...and the target is named as not complete in the last line" test "$(tail -1 "$tmp/out" | grep -c '1 of 1 target(s) did not complete: host (error)')" = 1
check "  ...with no 'nothing left behind' for it" says "Not checked for IPC objects left behind"
rm -f "$tmp/bin/docker"  # never write through a link into /usr/bin
cat >"$tmp/bin/docker" <<'EOF'
#!/bin/sh
case "$1 $2" in
"version "*) echo 24.0.0 ;;
"image inspect") echo sha256:0123 ;;
"run "*) echo 'docker: Error response from daemon: invalid mount config for type "bind": the reason docker gives.' >&2
         echo "Run 'docker run --help' for more information" >&2; exit 125 ;;
esac
EOF
chmod +x "$tmp/bin/docker"
check "a docker failure shows docker's own reason" status_is 1 env PATH="$tmp/bin" "$ipcconf" run --suite "$sample" --filter sample__passes --target host --target docker:fake --out "$tmp/d"
check "  ...its header saying it did not run, not '? ?'" says "^Target docker:fake: did not run -- the target's run ended with status 125"
check "  ...not its pointer to --help" says "status 125: docker: Error response from daemon: invalid mount config .*the reason docker gives"
check "  ...in the Markdown headline too" grep -q 'did not complete: `docker:fake` (error)' "$tmp/d/report.md"
check "  ...and not 'No case failed' there" test -z "$(grep 'No case failed' "$tmp/d/report.md")"
if command -v chromium >/dev/null && timeout 60 chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$tmp/d/report.html" >"$tmp/dom.html" 2>/dev/null; then
  check "  ...and in the HTML headline" grep -q "Target docker:fake did not complete (error" "$tmp/dom.html"
fi

# A qemu helper that fails after its --check passed: its own line, no log that does not exist.
cp -r "$sample" "$tmp/fakesuite"
mkdir -p "$tmp/fakesuite/qemu"
cat >"$tmp/fakesuite/qemu/ipcconf-qemu-target" <<'EOF'
#!/bin/sh
[ "$1" = --check ] && exit 0
echo "ipcconf-fetch-kernel: could not download any of: linux-image-6.1.0-99-cloud-amd64 (the mirror said 404)" >&2
echo "ipcconf-qemu-target: kernel debian-6.1: cannot fetch it (see the message above)" >&2
exit 2
EOF
chmod +x "$tmp/fakesuite/qemu/ipcconf-qemu-target"
check "a qemu helper's failure shows its own reason" status_is 1 "$ipcconf" run --suite "$tmp/fakesuite" --target qemu:debian-6.1 --out "$tmp/q"
check "  ...the meaningful line, not the pointer to it" says "ended with status 2: ipcconf-fetch-kernel: could not download any of: linux-image-6.1.0-99-cloud-amd64 \\(the mirror said 404\\) \\(more in qemu.log\\)"
check "  ...and no console.log that does not exist" test -z "$(grep console.log "$tmp/out")"

# Ctrl-C in --repeat
"$ipcconf" run --repeat 3 --suite "$sample" --jobs 1 --out "$tmp/rp" >"$tmp/rp.out" 2>&1 &
pid=$!
for _ in $(seq 300); do grep -Eq -- '->.*\[[0-9.]+s\]$' "$tmp/rp/runs/1/targets/host/kyua.log" 2>/dev/null && break; sleep 0.05; done
kill -INT "$pid"; wait "$pid"; rc=$?
check "an interrupted --repeat exits 130, like a plain run" test "$rc" = 130
cp "$tmp/rp.out" "$tmp/out"
check "  ...and says so" says "Interrupted after 1 of 3 runs"
check "  ...keeping the interrupted run's bundle" jq_is "$tmp/rp/runs/1/bundle.json" '.targets[0].status' interrupted
check "  ...writing flakes.json" jq_is "$tmp/rp/flakes.json" '.interrupted' true
check "  ...and a top-level bundle that report reads" status_is 0 "$ipcconf" report "$tmp/rp" --format markdown
check "  ...with the run's target as host@run1" says "host@run1"

# merge, list, diff
check "merge of the same bundle twice is refused" status_is 2 "$ipcconf" merge "$tmp/h" "$tmp/h/bundle.json" --out "$tmp/m"
check "  ...saying why" says "are the same bundle"
cp -r "$tmp/h" "$tmp/h-copy"
check "  ...a copy of it too" status_is 2 "$ipcconf" merge "$tmp/h" "$tmp/h-copy" --out "$tmp/m"
check "merge says when it renames a target" status_is 0 "$ipcconf" merge "$tmp/h" "$tmp/re" --out "$tmp/m"
check "  ...naming both ids" says "target host of .* is renamed host@"
check "diff of a two-target bundle lists the targets to name" status_is 2 "$ipcconf" diff "$tmp/m" "$tmp/h"
check "  ...with their ids" says "name one with --old-target \(its targets: host, host@"
check "list has a program column" status_is 0 "$ipcconf" list --suite "$sample"
check "  ...in its header" says "^program +case +family +class +clause$"
check "--filter with a bare case name runs that case" status_is 0 "$ipcconf" run --suite "$sample" --filter sample__passes --out "$tmp/b"
check "  ...and only it" jq_is "$tmp/b/bundle.json" '[.cases[].id] | join(",")' "sample_test:sample__passes"
check "list of a family with a typo suggests the family" status_is 2 "$ipcconf" list --suite "$sample" --family sample_tset
check "  ...by name" says "did you mean sample_test\?"

# Skip and expected-failure reasons under the summary
check "a run with a skip and an expected failure" status_is 0 env IPCCONF_SAMPLE_SKIP=1 IPCCONF_SAMPLE_XFAIL=1 "$ipcconf" run --suite "$sample" --filter sample__passes --filter sample__fails --out "$tmp/s"
check "  ...lists the skip reason, counted" says "^Skipped \(1\), by reason:$"
check "  ...with the reason and the target" says "^ +1  skipped on purpose: IPCCONF_SAMPLE_SKIP is set  \[host\]$"
check "  ...and the expected failure's" says "^Expected failures \(1\), by reason:$"

# Leaks and leftover processes name the case
if $root && unshare --ipc --mount true 2>/dev/null; then
  check "a leak is named with the case that created it" status_is 1 env IPCCONF_SAMPLE_LEAK_OBJECTS=1 "$ipcconf" run --suite "$sample" --filter sample__passes --out "$tmp/l"
  check "  ...a System V object, from the case's cleanup record" says "sysv_msg id=[0-9]+ key=0x00000000 perms=600 \(created by sample_test:sample__passes\)"
  check "  ...a POSIX one" says "mqueue ipcconf.sample__passes.* \(created by sample_test:sample__passes\)"
fi
check "a leftover process is named with the case that left it" status_is 1 env IPCCONF_SAMPLE_LEAK_PROCESS=1 "$ipcconf" run --suite "$sample" --filter sample_test:sample__may_leave_a_process --out "$tmp/p"
check "  ...by its work directory" says "still running after the run: killed \(left by sample_test:sample__may_leave_a_process\)"

# The ci/ scripts
check "ci/matrix-job.sh without arguments prints its usage" status_is 2 "$src/ci/matrix-job.sh"
check "  ...a real one" says "^usage: ci/matrix-job.sh glibc\|musl\|gvisor\|none OUT$"
check "ci/run-suite-as-user.sh on a missing build tree is refused" status_is 2 "$src/ci/run-suite-as-user.sh" "$tmp/nosuchbuild" nobody
check "  ...saying to build first" says "is not a CMake build tree: build the suite first"
if $root && id nobody >/dev/null 2>&1; then
  check "ci/run-suite-as-user.sh keeps the bundle it names" status_is 0 env IPCCONF_KEEP_USER_OUT="$tmp/kept" "$src/ci/run-suite-as-user.sh" "$sample/../.." nobody -- --filter pipe_test:pipe__read_end_rejects_write
  check "  ...there after the script ended" jq_is "$tmp/kept/bundle.json" '.targets[0].provenance.user' nobody
  check "  ...saying it was copied there (nobody cannot reach \$tmp)" says "nobody cannot write $tmp/kept, so the run wrote to a temporary directory: its bundle is copied to $tmp/kept/bundle.json"
  chmod 755 "$tmp"
  check "where nobody can write it, the run writes there itself" status_is 0 env IPCCONF_KEEP_USER_OUT="$tmp/kept2" "$src/ci/run-suite-as-user.sh" "$sample/../.." nobody -- --filter pipe_test:pipe__read_end_rejects_write
  check "  ...the path the run printed is the kept one" says "Bundle: +$tmp/kept2/bundle.json"
  chmod 700 "$tmp"
fi

finish
