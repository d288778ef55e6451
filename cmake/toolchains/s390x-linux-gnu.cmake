# Cross-builds the suite and the runner for IBM Z (s390x) with Debian's
# cross compiler (apt-get install gcc-s390x-linux-gnu) against a Debian s390x
# sysroot holding atf-c, SQLite, Jansson and libxml2, which runner/qemu/ipcconf-fetch-sysroot
# makes from Debian's packages:
#   cmake -S . -B build-s390x -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/s390x-linux-gnu.cmake \
#         -DIPCCONF_SYSROOT="$(runner/qemu/ipcconf-fetch-sysroot --arch s390x)" -DBUILD_TESTING=OFF
# runner/qemu/ipcconf-qemu-target --arch s390x does this by itself.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(IPCCONF_TRIPLET s390x-linux-gnu)
include("${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake")
