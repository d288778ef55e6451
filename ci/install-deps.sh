#!/usr/bin/env bash
# Installs the Debian 12 packages ipcconf needs that are missing.
# usage: ci/install-deps.sh [--test] [--matrix] [--docker] [--gvisor]
#   --test    what the project's tests and the soak script need
#   --matrix  QEMU, busybox and the cross compilers of ci/matrix.sh's targets
#   --docker  Docker and debootstrap (the container targets)
#   --gvisor  gVisor's runsc (the gvisor target; Debian 12 has 0.0~20221219)
# Uses sudo when not root; does nothing when all is there.
set -euo pipefail
pkgs=(cmake gcc make pkg-config libatf-dev kyua libsqlite3-dev libjansson-dev libxml2-dev sqlite3 util-linux)
for group in "$@"; do
  case $group in
    --test)
      pkgs+=(stress-ng lcov jq libxml2-utils chromium python3-yaml clang libclang-rt-14-dev cppcheck clang-tidy
             qemu-user-static gcc-i686-linux-gnu gcc-arm-linux-gnueabihf binutils runsc)
      pkgs+=(linux-source-6.1 bison flex)  # the kernel coverage fragment, checked on tinyconfig; kunit.py (KTAP)
      pkgs+=(lava-common) ;;               # the LAVA test definition's schema
    --matrix)
      pkgs+=(qemu-system-x86 qemu-system-arm qemu-system-misc qemu-system-ppc qemu-user-static busybox-static
             binutils gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf gcc-i686-linux-gnu
             gcc-powerpc64le-linux-gnu gcc-riscv64-linux-gnu gcc-s390x-linux-gnu) ;;
    --docker) pkgs+=(docker.io debootstrap) ;;
    --gvisor) pkgs+=(runsc) ;;
    *) echo "install-deps: unknown argument $group (--test, --matrix, --docker, --gvisor)" >&2; exit 2 ;;
  esac
done
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
