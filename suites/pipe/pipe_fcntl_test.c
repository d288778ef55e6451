/*
 * fcntl(2) on pipes: the capacity (F_GETPIPE_SZ, F_SETPIPE_SZ), packet
 * mode switched with F_SETFL O_DIRECT, and signal-driven I/O (F_SETOWN with
 * F_SETFL O_ASYNC).
 */
#include "fx.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int
page_size(void)
{
	return (int)sysconf(_SC_PAGESIZE);
}

/* One non-blocking write of n bytes; the caller checks how many went in. */
static ssize_t
write_nonblocking(int fd, size_t n)
{
	int fl = FX_OK(fcntl(fd, F_GETFL));
	char *buf = malloc(n);
	ssize_t r;
	int err;

	FX_REQUIRE(buf != NULL, "malloc(%zu) failed", n);
	memset(buf, 'c', n);
	FX_OK(fcntl(fd, F_SETFL, fl | O_NONBLOCK));
	r = write(fd, buf, n);
	err = errno;
	FX_OK(fcntl(fd, F_SETFL, fl));
	free(buf);
	errno = err;
	return r;
}

FX_CASE(fcntl__getpipe_sz_default_is_16_pages, "linux", "a new pipe holds 16 pages, as F_GETPIPE_SZ says and a "
    "non-blocking write finds",
    "pipe(7): Pipe capacity; fcntl(2): F_GETPIPE_SZ")
{
	int p[2];

	FX_OK(pipe(p));
	FX_REQUIRE_EQ(fcntl(p[0], F_GETPIPE_SZ), 16 * page_size());
	FX_REQUIRE_EQ(fcntl(p[1], F_GETPIPE_SZ), 16 * page_size());
	FX_REQUIRE_EQ(write_nonblocking(p[1], 64 * (size_t)page_size()), 16 * page_size());
}

FX_CASE(fcntl__setpipe_sz_rounds_up_to_power_of_two_pages, "linux", "F_SETPIPE_SZ sets the next power-of-two number of pages and "
    "returns it",
    "fcntl(2): F_SETPIPE_SZ: the next higher power-of-two "
    "page-size multiple of the requested size")
{
	int p[2];

	FX_OK(pipe(p));
	FX_REQUIRE_EQ(fcntl(p[1], F_SETPIPE_SZ, 5 * page_size() + 1), 8 * page_size());
	FX_REQUIRE_EQ(fcntl(p[0], F_GETPIPE_SZ), 8 * page_size());
}

FX_CASE(fcntl__setpipe_sz_below_a_page_gives_one_page, "linux", "F_SETPIPE_SZ below the page size is silently rounded up to one page",
    "fcntl(2): F_SETPIPE_SZ: below the page size are "
    "silently rounded up to the page size")
{
	int p[2];

	FX_OK(pipe(p));
	FX_REQUIRE_EQ(fcntl(p[1], F_SETPIPE_SZ, 1), page_size());
	FX_REQUIRE_EQ(write_nonblocking(p[1], 4 * (size_t)page_size()), page_size());
}

FX_CASE(fcntl__setpipe_sz_sets_what_a_write_can_fill, "linux", "after F_SETPIPE_SZ to 32 pages, a non-blocking write fills "
    "exactly 32 pages",
    "fcntl(2): F_SETPIPE_SZ: change the capacity of the pipe")
{
	int p[2];

	FX_OK(pipe(p));
	FX_REQUIRE_EQ(fcntl(p[1], F_SETPIPE_SZ, 32 * page_size()), 32 * page_size());
	FX_REQUIRE_EQ(write_nonblocking(p[1], 64 * (size_t)page_size()), 32 * page_size());
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, write_nonblocking(p[1], 1));
}

FX_CASE(fcntl__setpipe_sz_below_data_held_fails_ebusy, "linux", "F_SETPIPE_SZ smaller than the data the pipe holds fails with "
    "EBUSY and changes nothing",
    "fcntl(2): F_SETPIPE_SZ: EBUSY")
{
	int p[2], n, cap;

	FX_OK(pipe(p));
	cap = FX_OK(fcntl(p[1], F_GETPIPE_SZ));
	FX_REQUIRE_EQ(write_nonblocking(p[1], 8 * (size_t)page_size()), 8 * page_size());
	FX_REQUIRE_ERRNO(EBUSY, fcntl(p[1], F_SETPIPE_SZ, page_size()));
	FX_REQUIRE_EQ(fcntl(p[1], F_GETPIPE_SZ), cap);
	FX_OK(ioctl(p[0], FIONREAD, &n));
	FX_REQUIRE_EQ(n, 8 * page_size());
}

struct resize { int fd; int size; };

static void
resize_beyond_max(void *arg)
{
	const struct resize *r = arg;

	FX_REQUIRE_ERRNO(EPERM, fcntl(r->fd, F_SETPIPE_SZ, r->size));
}

FX_CASE(fcntl__setpipe_sz_above_max_fails_eperm_unprivileged, "linux", "an unprivileged F_SETPIPE_SZ above fs/pipe-max-size fails with EPERM",
    "fcntl(2): F_SETPIPE_SZ: EPERM above "
    "/proc/sys/fs/pipe-max-size")
{
	struct resize r;
	int p[2], cap;

	FX_OK(pipe(p));
	cap = FX_OK(fcntl(p[1], F_GETPIPE_SZ));
	r.fd = p[1];
	r.size = (int)(2 * fx_read_sysctl("fs/pipe-max-size"));
	fx_child_join(fx_spawn_unprivileged(resize_beyond_max, &r), FX_DEADLINE);
	FX_REQUIRE_EQ(fcntl(p[1], F_GETPIPE_SZ), cap);
}

static void
resize_to_max_and_past(void *arg)
{
	const struct resize *r = arg;

	/* The limit itself is allowed; a byte past it rounds up beyond it (EPERM). */
	FX_REQUIRE_EQ(fcntl(r->fd, F_SETPIPE_SZ, r->size), r->size);
	FX_REQUIRE_EQ(fcntl(r->fd, F_GETPIPE_SZ), r->size);
	FX_REQUIRE_ERRNO(EPERM, fcntl(r->fd, F_SETPIPE_SZ, r->size + 1));
	FX_REQUIRE_EQ(fcntl(r->fd, F_GETPIPE_SZ), r->size);
}

FX_CASE(fcntl__setpipe_sz_at_max_allowed_unprivileged, "linux", "an unprivileged F_SETPIPE_SZ of exactly fs/pipe-max-size is accepted; one byte more fails with EPERM and keeps the capacity",
    "fcntl(2): F_SETPIPE_SZ: EPERM above /proc/sys/fs/pipe-max-size; pipe(7) pipe-max-size")
{
	struct resize r;
	int p[2];

	FX_OK(pipe(p));
	r.fd = p[1];
	r.size = (int)fx_read_sysctl("fs/pipe-max-size");
	if (r.size % page_size() != 0 || (r.size & (r.size - 1)) != 0)
		fx_skip("fs/pipe-max-size %d is not a power-of-two number of pages here: the kernel "
		    "rounds requests up, so the limit itself is not a size to ask for", r.size);
	fx_child_join(fx_spawn_unprivileged(resize_to_max_and_past, &r), FX_DEADLINE);
}

FX_CASE(fcntl__one_page_pipe_takes_exactly_its_room, "posix", "a non-blocking write of n <= PIPE_BUF bytes goes in whole when the pipe has exactly n bytes of room, and fails with EAGAIN, writing nothing, when it has n - 1",
    "POSIX.1-2017 XSH write: O_NONBLOCK set, nbyte <= PIPE_BUF: all data if there is sufficient space, else [EAGAIN]; fcntl(2) F_SETPIPE_SZ")
{
	size_t n = 512, page = (size_t)page_size();
	int a[2], b[2], held;

	FX_OK(pipe(a));
	FX_OK(pipe(b));
	FX_REQUIRE_EQ(fcntl(a[1], F_SETPIPE_SZ, (int)page), page);
	FX_REQUIRE_EQ(fcntl(b[1], F_SETPIPE_SZ, (int)page), page);
	FX_REQUIRE_EQ(write_nonblocking(a[1], page - n), page - n);
	FX_REQUIRE_EQ(write_nonblocking(a[1], n), n);
	FX_REQUIRE_EQ(write_nonblocking(b[1], page - n + 1), page - n + 1);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, write_nonblocking(b[1], n));
	FX_OK(ioctl(b[0], FIONREAD, &held));
	FX_REQUIRE_EQ(held, page - n + 1);
}

FX_CASE(fcntl__setpipe_sz_above_max_allowed_privileged, "linux", "a CAP_SYS_RESOURCE caller may set a capacity above "
    "fs/pipe-max-size",
    "fcntl(2): F_SETPIPE_SZ: a privileged process "
    "(CAP_SYS_RESOURCE) can override the limit")
{
	long size = 2 * fx_read_sysctl("fs/pipe-max-size");
	int p[2];

	fx_require_root("only CAP_SYS_RESOURCE may exceed fs/pipe-max-size");
	if (!fx_has_capability_in_initial_ns(CAP_SYS_RESOURCE))
		fx_skip("root here lacks CAP_SYS_RESOURCE in the initial user namespace (a "
		    "container's capability set, or a user namespace), which is what may exceed "
		    "fs/pipe-max-size");
	FX_OK(pipe(p));
	FX_REQUIRE_EQ(fcntl(p[1], F_SETPIPE_SZ, (int)size), size);
	FX_REQUIRE_EQ(fcntl(p[0], F_GETPIPE_SZ), size);
}

FX_CASE(fcntl__setfl_o_direct_switches_packet_mode, "linux", "F_SETFL O_DIRECT on a pipe's write end turns on packet mode",
    "pipe2(2): O_DIRECT: since Linux 4.5 it can be "
    "changed with fcntl(2)")
{
	char out[64];
	int p[2];

	FX_OK(pipe(p));
	FX_REQUIRE_EQ(write(p[1], "0123456789", 10), 10);
	FX_REQUIRE_EQ(write(p[1], "abcde", 5), 5);
	FX_REQUIRE_EQ(read(p[0], out, sizeof out), 15); /* byte stream: one read takes both */
	fx_require_kernel_feature(4, 5, "F_SETFL O_DIRECT on a pipe",
	    !(fcntl(p[1], F_SETFL, O_DIRECT) == -1 && errno == EINVAL), "fcntl fails with EINVAL");
	FX_REQUIRE_EQ(FX_OK(fcntl(p[1], F_GETFL)) & O_DIRECT, O_DIRECT);
	FX_REQUIRE_EQ(write(p[1], "0123456789", 10), 10);
	FX_REQUIRE_EQ(write(p[1], "abcde", 5), 5);
	FX_REQUIRE_EQ(read(p[0], out, sizeof out), 10);
	FX_REQUIRE_EQ(read(p[0], out, sizeof out), 5);
}

FX_CASE(fcntl__setfl_o_async_write_raises_sigio, "linux", "with F_SETOWN to the caller and F_SETFL O_ASYNC on a pipe's read "
    "end, a write to the pipe raises SIGIO at the owner",
    "fcntl(2): F_SETOWN; Signal-driven I/O: O_ASYNC; "
    "pipe(7): I/O on pipes and FIFOs")
{
	sigset_t io, pending;
	int p[2];

	/* SIGIO stays pending (its default action would end the test) until it is taken. */
	sigemptyset(&io);
	sigaddset(&io, SIGIO);
	FX_OK(sigprocmask(SIG_BLOCK, &io, NULL));
	FX_OK(pipe(p));
	FX_OK(fcntl(p[0], F_SETOWN, getpid()));
	FX_REQUIRE_EQ(fcntl(p[0], F_GETOWN), getpid());
	FX_OK(fcntl(p[0], F_SETFL, FX_OK(fcntl(p[0], F_GETFL)) | O_ASYNC));
	FX_OK(sigpending(&pending));
	FX_REQUIRE_EQ(sigismember(&pending, SIGIO), 0); /* nothing before the write */
	FX_REQUIRE_EQ(write(p[1], "x", 1), 1);
	fx_wait_signal(SIGIO, NULL, FX_DEADLINE);
}
