#!/usr/bin/env bash
# ci/matrix.sh [--out DIR] [--quick] [--jobs N] [--timeout S] [-- IPCCONF-RUN-ARGS...]
#
# The whole matrix on this one machine, in one bundle and one HTML report:
#   host                     this kernel and C library
#   docker:ipcconf-glibc     Debian 12's userland in a container (same kernel)
#   docker:ipcconf-musl      the suite linked with musl (same kernel)
#   qemu:debian-5.10 .. 6.12 Debian's kernels 5.10, 6.1, 6.1-rt, 6.12 (x86_64, QEMU)
#   qemu-aarch64:debian-6.12, qemu-s390x:debian-6.1, qemu-ppc64el:debian-6.12
#                            other architectures, full-system (QEMU, TCG)
#   user:aarch64 armhf i686 i686-time64 ppc64el riscv64 s390x
#                            other architectures' userlands on this kernel, under
#                            qemu-user (i686: the kernel's 32-bit compat layer)
#   gvisor                   the suite inside gVisor (runsc, platform ptrace): a
#                            reimplementation of the system-call interface
# It installs what is missing (apt-get), starts dockerd when none runs, builds
# the suite (build/) and the two images (docker/build.sh), then runs
# `ipcconf run` with every target. Kernels, sysroots, cross builds and
# initramfs are cached in ~/.cache/ipcconf, so a second run only runs.
# Where no Docker daemon can run (a container), the docker targets are left
# out with a message; --quick leaves out the docker and full-system targets.
#
# The known deviations of the columns that are not Linux with glibc (QEMU's
# user-mode translation, musl, gVisor) are baselines in ci/baselines/, passed
# with --expect: they count as known, not as failures.
# Exit status: ipcconf run's (0: every case passed, skipped or deviated as a
# baseline says; 1: a new failure, or a baseline line whose case now passes
# (stale); 2: the matrix could not run).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/matrix-out jobs=$(nproc) timeout=1800 quick=0
extra=()
while [ $# -gt 0 ]; do
	case "$1" in
	--out) out=${2:?--out needs a directory}; shift 2 ;;
	--jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
	--timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
	--quick) quick=1; shift ;;
	--) shift; extra=("$@"); break ;;
	-h|--help) sed -n '2,/^set /s/^# \{0,1\}//p' "$0" | sed '$d'; exit 0 ;;
	*) echo "matrix: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" = 0 ] || { echo "matrix: run it as root (QEMU's binfmt_misc, chroots, dockerd)" >&2; exit 2; }
[ "$(uname -m)" = x86_64 ] || { echo "matrix: made for an x86_64 machine" >&2; exit 2; }
start=$(date +%s)
say() { printf 'matrix [%4ss]: %s\n' "$(( $(date +%s) - start ))" "$*"; }

say "installing what is missing"
groups=(--matrix --gvisor)
[ "$quick" = 1 ] || groups+=(--docker)
"$top/ci/install-deps.sh" "${groups[@]}"

say "building the suite (build/)"
cmake -S "$top" -B "$top/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$top/build" -j "$(nproc)" >/dev/null

targets=(host)
if [ "$quick" = 0 ]; then
	if ! docker info >/dev/null 2>&1; then
		say "starting dockerd"
		(dockerd >/tmp/ipcconf-dockerd.log 2>&1 &)
		for _ in $(seq 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
	fi
	if docker info >/dev/null 2>&1; then
		say "building the images ipcconf-glibc and ipcconf-musl (docker/build.sh)"
		if "$top/docker/build.sh" glibc musl; then
			targets+=(docker:ipcconf-glibc docker:ipcconf-musl)
		else
			say "the images did not build: the docker targets are left out"
		fi
	else
		say "no Docker daemon runs here ($(tail -1 /tmp/ipcconf-dockerd.log 2>/dev/null)): the docker targets are left out"
	fi
	targets+=(qemu:debian-5.10 qemu:debian-6.1 qemu:debian-6.1-rt qemu:debian-6.12
		qemu-aarch64:debian-6.12 qemu-s390x:debian-6.1 qemu-ppc64el:debian-6.12)
fi
targets+=(user:aarch64 user:armhf user:i686 user:i686-time64 user:ppc64el user:riscv64 user:s390x)
# gVisor: Docker --runtime=runsc where the daemon and ipcconf-glibc are, else runsc run.
if "$top/build/gvisor/ipcconf-gvisor-target" --check ptrace >/dev/null 2>/tmp/ipcconf-gvisor-check.log; then
	targets+=(gvisor)
else
	say "gVisor cannot run here ($(tail -1 /tmp/ipcconf-gvisor-check.log)): the gvisor target is left out"
fi

args=()
for t in "${targets[@]}"; do args+=(--target "$t"); done
say "running ${#targets[@]} targets, $jobs at a time, into $out"
rc=0
expect=()
for f in "$top"/ci/baselines/*.txt; do expect+=(--expect "$f"); done
"$top/build/runner/ipcconf" run --out "$out" --jobs "$jobs" --timeout "$timeout" \
	"${expect[@]}" "${args[@]}" "${extra[@]+"${extra[@]}"}" || rc=$?
say "done (ipcconf run exit status $rc): $out/report.html, $out/report.md, $out/bundle.json"
exit "$rc"
