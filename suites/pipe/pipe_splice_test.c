/*
 * tee(2) and splice(2) between two pipes: moving or duplicating the bytes
 * one pipe holds into another inside the kernel. X-class linux.
 */
#include "fx.h"

#include <fcntl.h>
#include <unistd.h>

/* A pipe whose read end does not block, so that "empty" reads as EAGAIN. */
static void
nonblocking_pipe(int p[2])
{
	FX_OK(pipe2(p, O_NONBLOCK));
}

/* A pipe holding the five bytes "hello". */
static void
pipe_with_hello(int p[2])
{
	nonblocking_pipe(p);
	FX_REQUIRE_EQ(write(p[1], "hello", 5), 5);
}

/* Fails unless the next read from fd (the read end named `which`) returns exactly "hello". */
static void
require_hello(int fd, const char *which)
{
	char buf[16];
	ssize_t n = read(fd, buf, sizeof buf);

	FX_REQUIRE(n == 5, "read(%s, buf, 16): expected 5, got %zd (errno %s)", which, n,
	    n == -1 ? fx_errno_name(errno) : "none");
	FX_REQUIRE_MEMEQ(buf, "hello", 5);
}

FX_CASE(tee__duplicates_without_consuming, "linux", "tee(2) from one pipe to another copies the bytes into the output "
    "pipe and leaves them in the input pipe",
    "tee(2): duplicates up to len bytes of data from the pipe "
    "fd_in to the pipe fd_out; it does not consume the data")
{
	int in[2], out[2];

	pipe_with_hello(in);
	nonblocking_pipe(out);
	FX_REQUIRE_EQ(tee(in[0], out[1], 16, 0), 5);
	require_hello(out[0], "out[0]");
	require_hello(in[0], "in[0]");
}

FX_CASE(splice__moves_between_pipes, "linux", "splice(2) from one pipe to another moves the bytes: the output "
    "pipe holds them and the input pipe is left empty",
    "splice(2): moves data between two file descriptors "
    "where one of them refers to a pipe")
{
	char buf[16];
	int in[2], out[2];

	pipe_with_hello(in);
	nonblocking_pipe(out);
	FX_REQUIRE_EQ(splice(in[0], NULL, out[1], NULL, sizeof buf, 0), 5);
	require_hello(out[0], "out[0]");
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, read(in[0], buf, sizeof buf));
}
