# Shared part of the Debian cross toolchain files: IPCCONF_TRIPLET names the
# compiler (${IPCCONF_TRIPLET}-gcc) and, unless IPCCONF_MULTIARCH names another
# one (i686-linux-gnu-gcc builds for Debian's i386-linux-gnu), the multiarch
# directory; IPCCONF_SYSROOT (a cache variable, or the environment variable of
# that name) is a Debian sysroot of the target architecture
# (runner/qemu/ipcconf-fetch-sysroot).
if(NOT IPCCONF_MULTIARCH)
  set(IPCCONF_MULTIARCH ${IPCCONF_TRIPLET})
endif()
if(NOT IPCCONF_SYSROOT AND DEFINED ENV{IPCCONF_SYSROOT})
  set(IPCCONF_SYSROOT "$ENV{IPCCONF_SYSROOT}")
endif()
set(IPCCONF_SYSROOT "${IPCCONF_SYSROOT}" CACHE PATH "Debian sysroot of the target architecture")
if(NOT IPCCONF_SYSROOT OR NOT EXISTS "${IPCCONF_SYSROOT}/usr/include")
  message(FATAL_ERROR "Set IPCCONF_SYSROOT to a Debian sysroot for ${IPCCONF_TRIPLET} "
          "(runner/qemu/ipcconf-fetch-sysroot prints one)")
endif()
# try_compile projects see the toolchain file again: pass the sysroot on.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES IPCCONF_SYSROOT)
set(ENV{IPCCONF_SYSROOT} "${IPCCONF_SYSROOT}")

set(CMAKE_C_COMPILER ${IPCCONF_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${IPCCONF_TRIPLET}-g++)
set(CMAKE_SYSROOT "${IPCCONF_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH "${IPCCONF_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_LIBRARY_ARCHITECTURE ${IPCCONF_MULTIARCH})
# A bookworm sysroot is not usr-merged (dpkg -x): libraries sit in /lib and
# /usr/lib. The C library, its start files and every library a library needs
# are taken from the sysroot, never from the cross compiler's own runtime
# (/usr/${IPCCONF_TRIPLET}/lib, Debian 12's glibc): a sysroot of a newer release
# (trixie for riscv64) is linked and run against its own glibc.
set(_ipcconf_libdirs "${IPCCONF_SYSROOT}/lib/${IPCCONF_MULTIARCH}" "${IPCCONF_SYSROOT}/usr/lib/${IPCCONF_MULTIARCH}")
set(_ipcconf_link "-B${IPCCONF_SYSROOT}/usr/lib/${IPCCONF_MULTIARCH}/")
foreach(_d IN LISTS _ipcconf_libdirs)
  string(APPEND _ipcconf_link " -L${_d} -Wl,-rpath-link,${_d}")
endforeach()
set(CMAKE_EXE_LINKER_FLAGS_INIT "${_ipcconf_link}")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "${_ipcconf_link}")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "${_ipcconf_link}")

set(ENV{PKG_CONFIG_SYSROOT_DIR} "${IPCCONF_SYSROOT}")
set(ENV{PKG_CONFIG_LIBDIR}
    "${IPCCONF_SYSROOT}/usr/lib/${IPCCONF_MULTIARCH}/pkgconfig:${IPCCONF_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
