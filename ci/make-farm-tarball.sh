#!/usr/bin/env bash
# ci/make-farm-tarball.sh BUILD_DIR OUT.tar.gz [PATH-IN-TARBALL]
#
# A self-contained ipcconf a test farm unpacks anywhere on the device
# (LAVA's IPCCONF_TARBALL, a TuxRun overlay): the installed runner and suite,
# Kyua with its data files, and every shared library they and the test
# programs need except the C library itself (glibc's libc, libm, libpthread,
# libdl, librt and the dynamic loader are the device's: it needs glibc at
# least as new as the build machine's). bin/ipcconf is a wrapper that points
# the loader, Kyua and PATH into the tree, so that nothing outside it is used:
#   tar -xzf ipcconf.tar.gz -C /opt/ipcconf && /opt/ipcconf/bin/ipcconf run
# BUILD_DIR is a configured and built tree of this project (cmake -S . -B build).
# PATH-IN-TARBALL puts the tree under that path inside the tarball (e.g.
# opt/ipcconf, for an overlay that a farm extracts at the root: TuxRun).
set -euo pipefail
[ $# = 2 ] || [ $# = 3 ] || { sed -n '2,/^set /s/^# \{0,1\}//p' "$0" | sed '$d' >&2; exit 2; }
build=$(cd "$1" && pwd) out=$2 inside=${3:-.}
case $inside in /*|*..*) echo "make-farm-tarball: PATH-IN-TARBALL is relative, without .." >&2; exit 2 ;; esac
[ -f "$build/CMakeCache.txt" ] || { echo "make-farm-tarball: $1 is not a build tree" >&2; exit 2; }
command -v kyua >/dev/null || { echo "make-farm-tarball: kyua is not installed (apt-get install kyua)" >&2; exit 2; }
[ -d /usr/share/kyua/store ] || { echo "make-farm-tarball: Kyua's data (/usr/share/kyua) is missing" >&2; exit 2; }
top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
stage=$top/$inside
mkdir -p "$stage"

cmake --install "$build" --prefix "$stage" >/dev/null
mv "$stage/bin/ipcconf" "$stage/bin/ipcconf.real"
cp "$(readlink -f "$(command -v kyua)")" "$stage/bin/kyua"
mkdir -p "$stage/share/kyua" "$stage/lib"
cp -r /usr/share/kyua/store /usr/share/kyua/misc "$stage/share/kyua/"

# The libraries of every executable in the tree, but the C library's own.
find "$stage" -type f -perm -u+x -print0 | while IFS= read -r -d '' f; do
	ldd "$f" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\) (0x.*/\1/p' || true
done | sort -u | while read -r lib; do
	case $(basename "$lib") in
	libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|libresolv.so.*|ld-linux*|libutil.so.*) ;;
	*) cp -L "$lib" "$stage/lib/" ;;
	esac
done

cat >"$stage/bin/ipcconf" <<'EOF'
#!/bin/sh
# ipcconf from a self-contained tree (ci/make-farm-tarball.sh): its Kyua, its
# libraries and its suite, wherever the tree was unpacked.
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
PATH="$here:$PATH"
LD_LIBRARY_PATH="$top/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
KYUA_STOREDIR="$top/share/kyua/store"
KYUA_MISCDIR="$top/share/kyua/misc"
export PATH LD_LIBRARY_PATH KYUA_STOREDIR KYUA_MISCDIR
exec "$here/ipcconf.real" "$@"
EOF
chmod 755 "$stage/bin/ipcconf"
tar -czf "$out" -C "$top" "$inside"
echo "make-farm-tarball: $out ($(du -h "$out" | cut -f1)): unpack it anywhere and run DIR/bin/ipcconf"
