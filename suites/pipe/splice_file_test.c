/*
 * splice(2) between a regular file and a pipe, and tee(2) with a length
 * shorter than what the pipe holds: the offsets splice reads at and updates,
 * SIGPIPE when the pipe has no reader, and how much tee copies. The kernel
 * mutants splice-* and tee-len-ignored (tests/kernel-faults) are caught here.
 * X-class linux. Every case uses a file of its own work directory.
 */
#include "fx.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#define DATA "0123456789"

/* A regular file of the work directory holding DATA; returns an O_RDONLY fd. */
static int
data_file(void)
{
	int fd = FX_OK(open("data", O_RDWR | O_CREAT | O_TRUNC, 0600));

	FX_REQUIRE_EQ(write(fd, DATA, 10), 10);
	FX_OK(close(fd));
	return FX_OK(open("data", O_RDONLY));
}

/* Fails unless the next read of fd returns exactly the n bytes of want. */
static void
require_read(int fd, const char *want, size_t n)
{
	char buf[32];
	ssize_t got = read(fd, buf, sizeof buf);

	FX_REQUIRE(got == (ssize_t)n, "read(pipe): expected %zu bytes, got %zd (errno %s)", n, got,
	    got == -1 ? fx_errno_name(errno) : "none");
	FX_REQUIRE_MEMEQ(buf, want, n);
}

FX_CASE(splice__off_in_leaves_file_offset, "linux", "splice(2) from a file with off_in reads at *off_in, advances *off_in by "
    "the bytes moved and leaves the file offset where it was",
    "splice(2): off_in not NULL, bytes are read from fd_in starting "
    "at *off_in and *off_in is adjusted; the file offset of fd_in is not changed")
{
	int fd = data_file(), p[2];
	loff_t off = 5;

	FX_OK(pipe2(p, O_NONBLOCK));
	FX_REQUIRE_EQ(lseek(fd, 2, SEEK_SET), 2);
	FX_REQUIRE_EQ(splice(fd, &off, p[1], NULL, 3, 0), 3);
	FX_REQUIRE_EQ(off, 8);
	FX_REQUIRE_EQ(lseek(fd, 0, SEEK_CUR), 2);
	require_read(p[0], "567", 3);
	/* Without off_in the file offset is used and moved. */
	FX_REQUIRE_EQ(splice(fd, NULL, p[1], NULL, 3, 0), 3);
	FX_REQUIRE_EQ(lseek(fd, 0, SEEK_CUR), 5);
	require_read(p[0], "234", 3);
}

FX_CASE(splice__file_to_pipe_without_reader_sigpipe, "linux", "splice(2) from a file into a pipe whose read end is closed fails with "
    "EPIPE and raises SIGPIPE in the caller, as write(2) does",
    "pipe(7): I/O on pipes: writing to a pipe whose read end is "
    "closed raises SIGPIPE and fails with EPIPE; splice(2) writes into the pipe")
{
	int fd = data_file(), p[2];
	sigset_t set, pending;
	siginfo_t si;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	FX_OK(pipe(p));
	FX_OK(close(p[0]));
	FX_REQUIRE_ERRNO(EPIPE, splice(fd, NULL, p[1], NULL, 4, 0));
	FX_OK(sigpending(&pending));
	FX_REQUIRE(sigismember(&pending, SIGPIPE), "splice into a pipe without a reader failed with "
	    "EPIPE but left no SIGPIPE pending");
	fx_wait_signal(SIGPIPE, &si, 0);
	FX_REQUIRE_EQ(lseek(fd, 0, SEEK_CUR), 0);
}

FX_CASE(tee__duplicates_at_most_len, "linux", "tee(2) with len 3 from a pipe holding 10 bytes copies exactly the first 3 "
    "into the output pipe and leaves the 10 in the input pipe",
    "tee(2): duplicates up to len bytes of data from the pipe fd_in "
    "to the pipe fd_out; returns the number of bytes duplicated")
{
	int in[2], out[2];

	FX_OK(pipe2(in, O_NONBLOCK));
	FX_OK(pipe2(out, O_NONBLOCK));
	FX_REQUIRE_EQ(write(in[1], DATA, 10), 10);
	FX_REQUIRE_EQ(tee(in[0], out[1], 3, 0), 3);
	require_read(out[0], "012", 3);
	require_read(in[0], DATA, 10);
}
