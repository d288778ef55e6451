#!/usr/bin/env bash
# Builds the ipcconf images from this checkout: ipcconf-glibc (Debian 12) and
# ipcconf-musl (the suite static with musl), on a base made by make-base.sh,
# so that no registry is needed. usage: docker/build.sh [glibc|musl]...
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
variants=("$@"); [ ${#variants[@]} -gt 0 ] || variants=(glibc musl)
base=$("$top/docker/make-base.sh")
version=$(git -C "$top" describe --always --dirty --tags 2>/dev/null || echo unknown)
for v in "${variants[@]}"; do
  case $v in
    glibc) file=docker/Dockerfile ;;
    musl) file=docker/Dockerfile.musl ;;
    *) echo "build: unknown variant '$v' (glibc, musl)" >&2; exit 2 ;;
  esac
  echo "build: ipcconf-$v from $base"
  docker build -q -f "$top/$file" --build-arg BASE="$base" \
    --build-arg IPCCONF_VERSION="0.1.0-$version" -t "ipcconf-$v" "$top" >/dev/null
done
