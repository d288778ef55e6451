/*
 * Faults of pipes and FIFOs: read(2), write(2), poll(2), lseek(2), fstat(2),
 * ioctl(FIONREAD), pipe2(2) and F_GETPIPE_SZ. Each acts only on descriptors
 * that are pipes or FIFOs (and the SIGPIPE fault of sockets on sockets), so
 * the fixtures' reads of /proc and files are untouched.
 */
#include "fault.h"
#include "fault_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

bool
fault_fd_is_fifo(int fd)
{
	struct stat st;
	FAULT_REAL(fstat);

	return real_fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

bool
fault_fd_is_socket(int fd)
{
	struct stat st;
	FAULT_REAL(fstat);

	return real_fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

int
fault_fd_flags(int fd)
{
	FAULT_REAL(fcntl);

	return real_fcntl(fd, F_GETFL);
}

/* Bytes waiting in a pipe, -1 when unknown. */
static int
pipe_unread(int fd)
{
	int n;
	FAULT_REAL(ioctl);

	return real_ioctl(fd, FIONREAD, &n) == 0 ? n : -1;
}

/*
 * Runs a write with SIGPIPE blocked and throws away the SIGPIPE it raised:
 * EPIPE without the signal (an emulator that forgets to send it).
 */
static ssize_t
write_without_sigpipe(int fd, const void *buf, size_t n)
{
	FAULT_REAL(write);
	sigset_t pipe_set, old, pending;
	struct timespec zero = { 0, 0 };
	bool was_pending;
	ssize_t r;
	int err;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	r = real_write(fd, buf, n);
	err = errno;
	if (r == -1 && err == EPIPE && !was_pending) {
		fault_fired();
		(void)sigtimedwait(&pipe_set, NULL, &zero);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return r;
}

ssize_t
read(int fd, void *buf, size_t n)
{
	FAULT_REAL(read);

	if (n > 0 && (fault_is("pipe_read_empty_eagain") || fault_is("pipe_read_empty_eof") ||
	    fault_is("pipe_nonblock_read_empty_eof")) && fault_fd_is_fifo(fd) &&
	    pipe_unread(fd) == 0) {
		bool nonblock = (fault_fd_flags(fd) & O_NONBLOCK) != 0;

		if (!nonblock && fault_is("pipe_read_empty_eagain")) {
			fault_fired();
			errno = EAGAIN;
			return -1;
		}
		if (!nonblock && fault_is("pipe_read_empty_eof")) {
			fault_fired();
			return 0;
		}
		if (nonblock && fault_is("pipe_nonblock_read_empty_eof")) {
			fault_fired();
			return 0;
		}
	}
	if (fault_is("pipe_nonblock_read_waits")) {
		ssize_t r = real_read(fd, buf, n);

		if (r == -1 && errno == EAGAIN && fault_fd_is_fifo(fd))
			fault_wait_first();
		return r;
	}
	return real_read(fd, buf, n);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	FAULT_REAL(write);
	FAULT_REAL(fcntl);

	if (fault_is("pipe_no_sigpipe") && fault_fd_is_fifo(fd))
		return write_without_sigpipe(fd, buf, n);
	if (fault_is("socket_no_sigpipe") && fault_fd_is_socket(fd))
		return write_without_sigpipe(fd, buf, n);
	if (fault_is("pipe_small_write_split") && n > 1 && n <= PIPE_BUF &&
	    fault_fd_is_fifo(fd)) {
		int size = real_fcntl(fd, F_GETPIPE_SZ), unread = pipe_unread(fd);

		/* Writes what fits instead of all or nothing. */
		if (size > 0 && unread >= 0 && size - unread > 0 && (size_t)(size - unread) < n) {
			fault_fired();
			return real_write(fd, buf, (size_t)(size - unread));
		}
	}
	if (fault_is("pipe_room_off_by_one") && n > 0 && n <= PIPE_BUF && fault_fd_is_fifo(fd) &&
	    (fault_fd_flags(fd) & O_NONBLOCK) != 0) {
		int size = real_fcntl(fd, F_GETPIPE_SZ), unread = pipe_unread(fd);

		/* "room > n" for "room >= n": a write that fits exactly is refused. */
		if (size > 0 && unread > 0 && (size_t)(size - unread) == n) {
			fault_fired();
			errno = EAGAIN;
			return -1;
		}
	}
	if (fault_is("pipe_large_write_short") && n > PIPE_BUF && fault_fd_is_fifo(fd) &&
	    (fault_fd_flags(fd) & O_NONBLOCK) == 0) {
		/* A blocking write that returns after its first PIPE_BUF bytes. */
		fault_fired();
		return real_write(fd, buf, PIPE_BUF);
	}
	return real_write(fd, buf, n);
}

off_t
lseek(int fd, off_t off, int whence)
{
	FAULT_REAL(lseek);

	if (fault_is("pipe_lseek_succeeds") && fault_fd_is_fifo(fd)) {
		fault_fired();
		return 0;
	}
	return real_lseek(fd, off, whence);
}

int
fstat(int fd, struct stat *st)
{
	FAULT_REAL(fstat);
	int r = real_fstat(fd, st);

	if (r == 0 && fault_is("pipe_fstat_not_fifo") && S_ISFIFO(st->st_mode)) {
		/* Reported as a socket, as a sandbox that builds pipes from socketpairs does. */
		fault_fired();
		st->st_mode = (st->st_mode & ~(mode_t)S_IFMT) | S_IFSOCK;
	}
	return r;
}

int
ioctl(int fd, unsigned long req, ...)
{
	FAULT_REAL(ioctl);
	va_list ap;
	void *arg;
	int r;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	r = real_ioctl(fd, req, arg);
	if (r == 0 && req == FIONREAD && fault_is("pipe_fionread_zero") && fault_fd_is_fifo(fd) &&
	    *(int *)arg != 0) {
		fault_fired();
		*(int *)arg = 0;
	}
	return r;
}

int
poll(struct pollfd *fds, nfds_t n, int timeout)
{
	FAULT_REAL(poll);
	int r = real_poll(fds, n, timeout);
	nfds_t i;

	if (r <= 0 || !fault_is("pipe_poll_no_pollhup"))
		return r;
	for (i = 0; i < n; i++) {
		if ((fds[i].revents & POLLHUP) && fault_fd_is_fifo(fds[i].fd)) {
			fault_fired();
			fds[i].revents &= (short)~POLLHUP;
			if (fds[i].revents == 0)
				r--;
		}
	}
	return r;
}

int
pipe2(int p[2], int flags)
{
	FAULT_REAL(pipe2);
	FAULT_REAL(fcntl);
	int r;

	if (fault_is("pipe2_invalid_flags_accepted") &&
	    (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT | O_EXCL)) != 0) { /* O_EXCL: O_NOTIFICATION_PIPE */
		/* Unknown flags dropped instead of EINVAL. */
		fault_fired();
		flags &= O_CLOEXEC | O_NONBLOCK | O_DIRECT;
	}
	if (fault_is("pipe2_cloexec_ignored") && (flags & O_CLOEXEC)) {
		fault_fired();
		flags &= ~O_CLOEXEC;
	}
	if (fault_is("pipe2_nonblock_read_end_only") && (flags & O_NONBLOCK)) {
		r = real_pipe2(p, flags);
		if (r == 0) {
			fault_fired();
			real_fcntl(p[1], F_SETFL, real_fcntl(p[1], F_GETFL) & ~O_NONBLOCK);
		}
		return r;
	}
	return real_pipe2(p, flags);
}
