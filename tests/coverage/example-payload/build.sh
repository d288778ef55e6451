#!/bin/sh
# tests/coverage/example-payload/build.sh DIR: makes DIR a payload for
# `ipcconf-coverage-kernel --payload DIR` (and `ipcconf-qemu-target --payload`):
# the run script and ipc_example linked statically (gcc -static; glibc's
# libc.a is in libc6-dev).
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
${CC:-gcc} -static -O2 -Wall -Wextra -Werror -o "$1/ipc_example" "$here/ipc_example.c"
cp "$here/run" "$1/run"
chmod 0755 "$1/run" "$1/ipc_example"
