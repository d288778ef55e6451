# Cross-builds the suite and the runner for 64-bit Arm (aarch64) with Debian's
# cross compiler (apt-get install gcc-aarch64-linux-gnu) against a Debian arm64
# sysroot holding atf-c, SQLite, Jansson and libxml2, which runner/qemu/ipcconf-fetch-sysroot
# makes from Debian's packages:
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake \
#         -DIPCCONF_SYSROOT="$(runner/qemu/ipcconf-fetch-sysroot --arch aarch64)" -DBUILD_TESTING=OFF
# runner/qemu/ipcconf-qemu-target --arch aarch64 does this by itself.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(IPCCONF_TRIPLET aarch64-linux-gnu)
include("${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake")
