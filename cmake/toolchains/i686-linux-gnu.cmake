# Cross-builds the suite and the runner for 32-bit x86 (i686) with Debian's
# cross compiler (apt-get install gcc-i686-linux-gnu) against a Debian i386
# sysroot holding atf-c, SQLite, Jansson and libxml2, which runner/qemu/ipcconf-fetch-sysroot
# makes from Debian's packages:
#   cmake -S . -B build-i686 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/i686-linux-gnu.cmake \
#         -DIPCCONF_SYSROOT="$(runner/qemu/ipcconf-fetch-sysroot --arch i686)" -DBUILD_TESTING=OFF
# Add -DIPCCONF_TIME64=ON for 64-bit time_t and off_t (_TIME_BITS=64);
# runner/qemu/ipcconf-cross-build i686 [--time64] does this by itself.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(IPCCONF_TRIPLET i686-linux-gnu)
# Debian's i686 cross compiler builds for the multiarch directory i386-linux-gnu.
set(IPCCONF_MULTIARCH i386-linux-gnu)
include("${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake")
