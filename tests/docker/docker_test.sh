#!/usr/bin/env bash
# The container targets end to end: starts a Docker daemon when none runs
# (root only), makes the base image without a registry, builds the glibc and
# musl images from this checkout, then checks that one run over host + both
# images gives one bundle with every case on all three targets, that merging
# the bundles of separate runs gives the same rows, and that a missing image
# is refused. The whole suite runs in both images and any leak fails. Skips (exit 77) where Docker cannot run at all, saying why.
# usage: docker_test.sh IPCCONF_BINARY   (IPCCONF_TEST_DOCKER=0 skips it)
set -u
ipcconf=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/../lib/tap.sh"
skip() { echo "docker_test: skipped: $*"; exit 77; }
[ "${IPCCONF_TEST_DOCKER:-1}" = 0 ] && skip "IPCCONF_TEST_DOCKER=0"

if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || skip "no Docker daemon, and starting one needs root"
  if ! command -v dockerd >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null 2>&1 \
      || skip "docker.io could not be installed"
  fi
  (dockerd >/tmp/ipcconf-dockerd.log 2>&1 &)
  for _ in $(seq 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { tail -5 /tmp/ipcconf-dockerd.log; skip "dockerd did not start (log above)"; }
fi


check "the images build without a registry" "$top/docker/build.sh" glibc musl
# The whole suite in both images (a leak in one case sinks the run, and only a
# whole run shows a leftover colliding with a later case's key).
"$ipcconf" run --target host --target docker:ipcconf-glibc --target docker:ipcconf-musl \
  --out "$tmp/all" >"$tmp/all.out" 2>&1
rc=$?
check "one run of the whole suite over host, glibc and musl exits 0" test "$rc" = 0 || sed 's/^/  | /' "$tmp/all.out" | tail -40
check "  ...no target left an IPC object behind" jq_is "$tmp/all/bundle.json" '[.targets[].leaks | length] | join(",")' "0,0,0"
check "  ...every target completed" jq_is "$tmp/all/bundle.json" '[.targets[].status] | unique | join(",")' completed
check "  ...no case failed, broke or timed out" jq_is "$tmp/all/bundle.json" \
  '[.cases[].results[] | select(.outcome != "passed" and .outcome != "skipped" and .outcome != "expected_failure")] | length' 0
check "  ...with three targets" jq_is "$tmp/all/bundle.json" '[.targets[].id] | join(",")' "host,docker:ipcconf-glibc,docker:ipcconf-musl"
check "  ...every case on every target" jq_is "$tmp/all/bundle.json" '[.cases[] | (.results | length)] | unique | join(",")' 3
check "  ...musl named in the musl target's provenance" jq_is "$tmp/all/bundle.json" '.targets[2].provenance.libc' musl
check "  ...the image id recorded" jq_is "$tmp/all/bundle.json" '.targets[1].provenance.container_image_id | startswith("sha256:")' true
# An image run on its own, as the README shows: exit 0, and nothing left in the container's IPC namespace.
for v in glibc musl; do
  mkdir -p "$tmp/alone-$v"
  docker run --rm -v "$tmp/alone-$v:/results" "ipcconf-$v" >"$tmp/alone-$v.out" 2>&1
  rc=$?
  check "docker run --rm ipcconf-$v on its own exits 0" test "$rc" = 0 || tail -20 "$tmp/alone-$v.out" | sed 's/^/  | /'
  check "  ...with no leak" jq_is "$tmp/alone-$v/bundle.json" '.targets[0].leaks | length' 0
done
for t in host docker:ipcconf-glibc docker:ipcconf-musl; do
  "$ipcconf" run --target "$t" --out "$tmp/one-${t//[:]/_}" >/dev/null 2>&1
done
"$ipcconf" merge "$tmp/one-host" "$tmp/one-docker_ipcconf-glibc" "$tmp/one-docker_ipcconf-musl" --out "$tmp/merged" >/dev/null
norm='[.cases[] | {id, r: (.results | map_values(.outcome))}] | sort_by(.id)'
check "merging separate runs gives the rows of the one run" test "$(jq -c "$norm" "$tmp/all/bundle.json")" = "$(jq -c "$norm" "$tmp/merged/bundle.json")"
"$ipcconf" run --target docker:ipcconf-no-such-image --out "$tmp/missing" >"$tmp/m.out" 2>&1
check "a missing image is refused with exit 2" test $? = 2
check "  ...saying how to build it" grep -q "no image 'ipcconf-no-such-image' here; build it with docker/build.sh" "$tmp/m.out"

finish
