#!/usr/bin/env bash
# Installs the Debian 12 packages ipcconf needs that are missing.
# usage: ci/install-deps.sh [--test]   (--test adds what the project's tests and
# the soak script need). Uses sudo when not root; does nothing when all is there.
set -euo pipefail
pkgs=(cmake gcc make pkg-config libatf-dev kyua libsqlite3-dev libjansson-dev libxml2-dev sqlite3 util-linux)
if [ "${1:-}" = "--test" ]; then
  pkgs+=(stress-ng lcov jq libxml2-utils chromium python3-yaml clang libclang-rt-14-dev cppcheck clang-tidy
         qemu-user-static gcc-i686-linux-gnu gcc-aarch64-linux-gnu binutils)
  pkgs+=(linux-source-6.1 bison flex)  # the kernel coverage fragment, checked on tinyconfig
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "ipcconf: installing missing packages: ${missing[*]}"
if [ "$(id -u)" = 0 ]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "ipcconf: missing packages (${missing[*]}) and not root: install them as root" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
