# Cross-builds the suite and the runner for 32-bit Arm (armhf: ARMv7, hard float) with Debian's
# cross compiler (apt-get install gcc-arm-linux-gnueabihf) against a Debian armhf
# sysroot holding atf-c, SQLite, Jansson and libxml2, which runner/qemu/ipcconf-fetch-sysroot
# makes from Debian's packages:
#   cmake -S . -B build-armhf -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/arm-linux-gnueabihf.cmake \
#         -DIPCCONF_SYSROOT="$(runner/qemu/ipcconf-fetch-sysroot --arch armhf)" -DBUILD_TESTING=OFF
# runner/qemu/ipcconf-cross-build armhf does this by itself.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR armv7l)
set(IPCCONF_TRIPLET arm-linux-gnueabihf)
include("${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake")
