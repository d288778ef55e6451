# Shared part of the Debian cross toolchain files: IPCCONF_TRIPLET names the
# compiler (${IPCCONF_TRIPLET}-gcc) and the multiarch directory; IPCCONF_SYSROOT
# (a cache variable, or the environment variable of that name) is a Debian
# sysroot of the target architecture (runner/qemu/ipcconf-fetch-sysroot).
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
set(CMAKE_LIBRARY_ARCHITECTURE ${IPCCONF_TRIPLET})
# The sysroot is not usr-merged (dpkg -x): libraries sit in /lib and /usr/lib.
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "-Wl,-rpath-link,${IPCCONF_SYSROOT}/lib/${IPCCONF_TRIPLET} -Wl,-rpath-link,${IPCCONF_SYSROOT}/usr/lib/${IPCCONF_TRIPLET}")

set(ENV{PKG_CONFIG_SYSROOT_DIR} "${IPCCONF_SYSROOT}")
set(ENV{PKG_CONFIG_LIBDIR}
    "${IPCCONF_SYSROOT}/usr/lib/${IPCCONF_TRIPLET}/pkgconfig:${IPCCONF_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
