# Cross-builds the suite and the runner for 64-bit little-endian POWER (ppc64el) with Debian's
# cross compiler (apt-get install gcc-powerpc64le-linux-gnu) against a Debian ppc64el
# sysroot holding atf-c, SQLite, Jansson and libxml2, which runner/qemu/ipcconf-fetch-sysroot
# makes from Debian's packages:
#   cmake -S . -B build-ppc64el -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/powerpc64le-linux-gnu.cmake \
#         -DIPCCONF_SYSROOT="$(runner/qemu/ipcconf-fetch-sysroot --arch ppc64el)" -DBUILD_TESTING=OFF
# runner/qemu/ipcconf-cross-build ppc64el does this by itself.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ppc64le)
set(IPCCONF_TRIPLET powerpc64le-linux-gnu)
include("${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake")
