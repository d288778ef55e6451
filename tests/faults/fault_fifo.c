/*
 * Faults of FIFOs: open(2) synchronisation and mkfifo(3). open and openat are
 * wrapped; a path that is not a FIFO passes straight through (except /proc/sys
 * under the ipc_ns fault, which must not reach the host's limits).
 */
#include "fault.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool
path_is_fifo(int dirfd, const char *path)
{
	struct stat st;

	return fstatat(dirfd, path, &st, 0) == 0 && S_ISFIFO(st.st_mode);
}

static bool
fifo_fault_active(void)
{
	return fault_is("fifo_open_does_not_wait") || fault_is("fifo_wronly_nonblock_no_enxio") ||
	    fault_is("fifo_rdonly_nonblock_enxio");
}

static int
faulty_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	FAULT_REAL(openat);
	FAULT_REAL(fcntl);
	int acc = flags & O_ACCMODE, fd;

	if (fault_is("unshare_ipc_ignored") && strncmp(path, "/proc/sys/", 10) == 0 &&
	    acc != O_RDONLY) {
		/* The namespace is not private: keep the host's limits out of reach. */
		errno = EACCES;
		return -1;
	}
	if (!fifo_fault_active() || acc == O_RDWR || !path_is_fifo(dirfd, path))
		return real_openat(dirfd, path, flags, mode);
	if (fault_is("fifo_open_does_not_wait") && !(flags & O_NONBLOCK)) {
		fault_fired();
		fd = real_openat(dirfd, path, flags | O_NONBLOCK, mode);
		if (fd == -1 && errno == ENXIO) /* a writer without reader: be one */
			fd = real_openat(dirfd, path, (flags & ~O_ACCMODE) | O_RDWR | O_NONBLOCK, mode);
		if (fd >= 0)
			real_fcntl(fd, F_SETFL, real_fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		return fd;
	}
	if (fault_is("fifo_wronly_nonblock_no_enxio") && acc == O_WRONLY && (flags & O_NONBLOCK)) {
		fd = real_openat(dirfd, path, flags, mode);
		if (fd == -1 && errno == ENXIO) {
			fault_fired();
			fd = real_openat(dirfd, path, (flags & ~O_ACCMODE) | O_RDWR, mode);
		}
		return fd;
	}
	if (fault_is("fifo_rdonly_nonblock_enxio") && acc == O_RDONLY && (flags & O_NONBLOCK)) {
		/* Refused like a writer would be, as if the rules were the same both ways. */
		int probe = real_openat(dirfd, path, O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);

		if (probe >= 0) {
			close(probe);
		} else if (errno == ENXIO) {
			fault_fired();
			errno = ENXIO;
			return -1;
		}
	}
	return real_openat(dirfd, path, flags, mode);
}

static mode_t
mode_arg(int flags, va_list ap)
{
	return ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) ? (mode_t)va_arg(ap, int) : 0;
}

int
open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return faulty_openat(AT_FDCWD, path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return faulty_openat(AT_FDCWD, path, flags, mode);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return faulty_openat(dirfd, path, flags, mode);
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return faulty_openat(dirfd, path, flags, mode);
}

int
mkfifoat(int dirfd, const char *path, mode_t mode)
{
	FAULT_REAL(mkfifoat);

	if (dirfd != AT_FDCWD && path[0] != '/' && fault_is("mkfifoat_ignores_dirfd")) {
		/* Relative to the working directory, as an *at emulation without dirfd support. */
		fault_fired();
		dirfd = AT_FDCWD;
	}
	return real_mkfifoat(dirfd, path, mode);
}

int
mkfifo(const char *path, mode_t mode)
{
	FAULT_REAL(mkfifo);
	int r = real_mkfifo(path, mode);

	if (r == 0 && fault_is("mkfifo_ignores_umask")) {
		fault_fired();
		(void)chmod(path, mode & 07777);
	}
	if (r == -1 && errno == EEXIST && fault_is("mkfifo_existing_succeeds")) {
		fault_fired();
		return 0;
	}
	return r;
}
