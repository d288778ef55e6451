# Cross-builds the suite and the runner for 64-bit RISC-V (riscv64) with Debian's
# cross compiler (apt-get install gcc-riscv64-linux-gnu) against a Debian riscv64
# sysroot holding atf-c, SQLite, Jansson and libxml2, which runner/qemu/ipcconf-fetch-sysroot
# makes from Debian 13 trixie's packages (bookworm has no riscv64; the programs
# link and run against trixie's glibc, not the cross compiler's Debian 12 one):
#   cmake -S . -B build-riscv64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/riscv64-linux-gnu.cmake \
#         -DIPCCONF_SYSROOT="$(runner/qemu/ipcconf-fetch-sysroot --arch riscv64)" -DBUILD_TESTING=OFF
# runner/qemu/ipcconf-cross-build riscv64 does this by itself.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(IPCCONF_TRIPLET riscv64-linux-gnu)
include("${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake")
