#!/usr/bin/env bash
# Makes the base image the Dockerfiles build FROM, without needing a registry:
# pulls debian:bookworm-slim where a registry answers, and otherwise builds the
# same Debian 12 userland with debootstrap --variant=minbase and `docker import`.
# usage: docker/make-base.sh [TAG]   (default ipcconf-base:bookworm)
# Needs root (debootstrap) and a running Docker daemon. Prints the tag made.
set -euo pipefail
tag=${1:-ipcconf-base:bookworm}
mirror=${IPCCONF_DEBIAN_MIRROR:-http://deb.debian.org/debian}

docker info >/dev/null 2>&1 || {
  echo "make-base: the Docker daemon is not running (start it: dockerd &, or systemctl start docker)" >&2
  exit 2
}
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag"; exit 0
fi
if timeout 60 docker pull -q debian:bookworm-slim >/dev/null 2>&1; then
  docker tag debian:bookworm-slim "$tag"
  echo "$tag"; exit 0
fi
echo "make-base: no registry reachable; building $tag with debootstrap from $mirror" >&2
command -v debootstrap >/dev/null || {
  [ "$(id -u)" = 0 ] || { echo "make-base: debootstrap is missing and this is not root" >&2; exit 2; }
  apt-get install -y -qq debootstrap >/dev/null
}
root=$(mktemp -d /var/tmp/ipcconf-base.XXXXXX)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 || {
  tail -20 "$root.log" >&2; echo "make-base: debootstrap failed (log above)" >&2; exit 1
}
rm -f "$root.log"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/bash"]' - "$tag" >/dev/null
echo "$tag"
