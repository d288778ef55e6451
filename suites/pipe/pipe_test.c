/*
 * pipe(2) and pipe2(2): creating a pipe, its two one-way ends, the flags
 * pipe2 sets, and the ends' life across fork and exec. How data moves through
 * the pipe (read, write, poll) is in pipe_io_test.c, with its FIFO variants.
 */
#include "fx.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

FX_CASE(pipe__read_end_rejects_write, "posix", "write(2) on the read end of a pipe fails with EBADF",
    "POSIX.1-2017 XSH pipe; XSH write ERRORS [EBADF]")
{
	int p[2];

	FX_OK(pipe(p));
	FX_REQUIRE_ERRNO(EBADF, write(p[0], "x", 1));
}

FX_CASE(pipe__write_end_rejects_read, "posix", "read(2) on the write end of a pipe fails with EBADF",
    "POSIX.1-2017 XSH pipe; XSH read ERRORS [EBADF]")
{
	char c;
	int p[2];

	FX_OK(pipe(p));
	FX_REQUIRE_EQ(write(p[1], "x", 1), 1);
	FX_REQUIRE_ERRNO(EBADF, read(p[1], &c, 1));
}

FX_CASE(pipe__ends_open_one_way_with_flags_clear, "posix", "pipe's ends are O_RDONLY and O_WRONLY, with O_NONBLOCK and "
    "FD_CLOEXEC clear",
    "POSIX.1-2017 XSH pipe: O_NONBLOCK and FD_CLOEXEC "
    "shall be clear on both file descriptors")
{
	int p[2], i;

	FX_OK(pipe(p));
	FX_REQUIRE_EQ(FX_OK(fcntl(p[0], F_GETFL)) & O_ACCMODE, O_RDONLY);
	FX_REQUIRE_EQ(FX_OK(fcntl(p[1], F_GETFL)) & O_ACCMODE, O_WRONLY);
	for (i = 0; i < 2; i++) {
		FX_REQUIRE_EQ(FX_OK(fcntl(p[i], F_GETFL)) & O_NONBLOCK, 0);
		FX_REQUIRE_EQ(FX_OK(fcntl(p[i], F_GETFD)) & FD_CLOEXEC, 0);
	}
}

FX_CASE(pipe__takes_lowest_free_descriptors, "posix", "pipe allocates the two lowest free descriptors, read end first",
    "POSIX.1-2017 XSH 2.14 File Descriptor Allocation; "
    "XSH pipe")
{
	int a, b, c, p[2];

	a = FX_OK(open("/dev/null", O_RDONLY));
	b = FX_OK(open("/dev/null", O_RDONLY));
	c = FX_OK(open("/dev/null", O_RDONLY));
	/* a and c are now the two lowest free descriptors, with b taken between them. */
	FX_OK(close(a));
	FX_OK(close(c));
	FX_OK(pipe(p));
	FX_REQUIRE_EQ(p[0], a);
	FX_REQUIRE_EQ(p[1], c);
	FX_REQUIRE(b > a && b < c, "descriptors %d, %d, %d out of order", a, b, c);
}

static void
exec_cat_on(void *arg)
{
	int fd = *(int *)arg;

	FX_OK(dup2(fd, STDIN_FILENO));
	execl("/bin/cat", "cat", (char *)NULL);
	FX_FAIL("execl(/bin/cat) failed: %s", fx_errno_name(errno));
}

/*
 * Starts cat(1) reading a pipe we hold the write end of, and waits until it
 * runs (blocked in read, so past exec). Closing *ctl_w lets it end.
 */
static struct fx_child *
start_cat(int *ctl_w)
{
	static int ctl[2];
	struct fx_child *c;

	FX_OK(pipe2(ctl, O_CLOEXEC));
	c = fx_spawn(exec_cat_on, &ctl[0]);
	FX_OK(close(ctl[0]));
	fx_wait_blocked_in(fx_child_pid(c), "read", FX_DEADLINE);
	*ctl_w = ctl[1];
	return c;
}

FX_CASE(pipe__ends_survive_exec, "posix", "without FD_CLOEXEC a pipe's write end stays open across exec",
    "POSIX.1-2017 XSH exec: file descriptors open in the "
    "calling process image shall remain open")
{
	struct fx_child *c;
	int p[2], ctl_w;
	char b;

	FX_OK(pipe(p));
	c = start_cat(&ctl_w);
	FX_OK(close(p[1]));
	FX_OK(fcntl(p[0], F_SETFL, O_NONBLOCK));
	/* cat still holds the write end it inherited: no EOF. */
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, read(p[0], &b, 1));
	FX_OK(close(ctl_w));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(read(p[0], &b, 1), 0);
}

FX_CASE(pipe2__cloexec_closes_ends_on_exec, "linux", "pipe2(O_CLOEXEC) sets FD_CLOEXEC on both ends; exec closes them",
    "pipe2(2): O_CLOEXEC")
{
	struct fx_child *c;
	int p[2], ctl_w;
	char b;

	FX_OK(pipe2(p, O_CLOEXEC));
	FX_REQUIRE_EQ(FX_OK(fcntl(p[0], F_GETFD)) & FD_CLOEXEC, FD_CLOEXEC);
	FX_REQUIRE_EQ(FX_OK(fcntl(p[1], F_GETFD)) & FD_CLOEXEC, FD_CLOEXEC);
	c = start_cat(&ctl_w);
	FX_OK(close(p[1]));
	FX_OK(fcntl(p[0], F_SETFL, O_NONBLOCK));
	/* cat runs, and the write end it inherited was closed by exec: EOF at once. */
	FX_REQUIRE_EQ(read(p[0], &b, 1), 0);
	FX_OK(close(ctl_w));
	fx_child_join(c, FX_DEADLINE);
}

FX_CASE(pipe2__nonblock_sets_both_ends, "linux", "pipe2(O_NONBLOCK) sets O_NONBLOCK on both ends and nothing else",
    "pipe2(2): O_NONBLOCK")
{
	char b;
	int p[2];

	FX_OK(pipe2(p, O_NONBLOCK));
	FX_REQUIRE_EQ(FX_OK(fcntl(p[0], F_GETFL)) & (O_ACCMODE | O_NONBLOCK),
	    O_RDONLY | O_NONBLOCK);
	FX_REQUIRE_EQ(FX_OK(fcntl(p[1], F_GETFL)) & (O_ACCMODE | O_NONBLOCK),
	    O_WRONLY | O_NONBLOCK);
	FX_REQUIRE_EQ(FX_OK(fcntl(p[0], F_GETFD)) & FD_CLOEXEC, 0);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, read(p[0], &b, 1));
}

/* A pipe in packet mode, or a skip on kernels without it. */
static void
packet_pipe(int p[2])
{
	int r = pipe2(p, O_DIRECT);

	fx_require_kernel_feature(3, 4, "pipe2(O_DIRECT) packet mode", !(r == -1 && errno == EINVAL),
	    "pipe2 fails with EINVAL");
	if (r == -1)
		FX_FAIL("pipe2(p, O_DIRECT) failed: %s", fx_errno_name(errno));
}

FX_CASE(pipe2__direct_keeps_write_boundaries, "linux", "pipe2(O_DIRECT): each write is a packet; a read returns one packet",
    "pipe2(2): O_DIRECT")
{
	static const size_t sizes[] = { 10, 20, 30 };
	char out[4096], in[30];
	int p[2];
	size_t i;

	packet_pipe(p);
	for (i = 0; i < 3; i++) {
		memset(in, 'a' + (int)i, sizes[i]);
		FX_REQUIRE_EQ(write(p[1], in, sizes[i]), sizes[i]);
	}
	for (i = 0; i < 3; i++) {
		FX_REQUIRE_EQ(read(p[0], out, sizeof out), sizes[i]);
		memset(in, 'a' + (int)i, sizes[i]);
		FX_REQUIRE_MEMEQ(out, in, sizes[i]);
	}
}

FX_CASE(pipe2__direct_short_read_discards_rest, "linux", "pipe2(O_DIRECT): a read shorter than the packet discards the "
    "packet's excess bytes",
    "pipe2(2): O_DIRECT: the excess bytes in the packet "
    "are discarded")
{
	char out[64];
	int p[2];

	packet_pipe(p);
	FX_REQUIRE_EQ(write(p[1], "abcdefghij0123456789", 20), 20);
	FX_REQUIRE_EQ(write(p[1], "XYZ", 3), 3);
	FX_REQUIRE_EQ(read(p[0], out, 5), 5);
	FX_REQUIRE_MEMEQ(out, "abcde", 5);
	FX_REQUIRE_EQ(read(p[0], out, sizeof out), 3);
	FX_REQUIRE_MEMEQ(out, "XYZ", 3);
}

FX_CASE(pipe2__direct_splits_writes_above_pipe_buf, "linux", "pipe2(O_DIRECT): a write of more than PIPE_BUF bytes becomes "
    "several packets",
    "pipe2(2): O_DIRECT: writes of greater than PIPE_BUF "
    "bytes will be split into multiple packets")
{
	static char in[2 * PIPE_BUF + 10], out[4 * PIPE_BUF];
	int p[2];

	packet_pipe(p);
	memset(in, 'p', sizeof in);
	FX_REQUIRE_EQ(write(p[1], in, sizeof in), sizeof in);
	FX_REQUIRE_EQ(read(p[0], out, sizeof out), PIPE_BUF);
	FX_REQUIRE_EQ(read(p[0], out, sizeof out), PIPE_BUF);
	FX_REQUIRE_EQ(read(p[0], out, sizeof out), 10);
}

FX_CASE(pipe2__invalid_flags_fail_einval, "linux", "pipe2 with a flag other than O_CLOEXEC, O_DIRECT, O_NONBLOCK "
    "fails with EINVAL",
    "pipe2(2) ERRORS: EINVAL")
{
	static const struct { const char *name; int flags; } rows[] = {
		{ "O_APPEND", O_APPEND }, { "O_TRUNC", O_TRUNC }, { "O_RDWR", O_RDWR },
		{ "O_CREAT", O_CREAT }, { "O_NONBLOCK|O_APPEND", O_NONBLOCK | O_APPEND },
	};
	int p[2];
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		FX_CHECK_ERRNO_MSG(EINVAL, pipe2(p, rows[i].flags),
		    "pipe2(p, %s)", rows[i].name);
	}
}

static int
lowest_free_fd(void)
{
	int fd = FX_OK(open("/dev/null", O_RDONLY));

	FX_OK(close(fd));
	return fd;
}

static void
pipe_with_one_free_fd(void *arg)
{
	struct rlimit rl;
	int p[2], free_fd = lowest_free_fd();

	(void)arg;
	FX_OK(getrlimit(RLIMIT_NOFILE, &rl));
	/* Descriptors below free_fd are all taken; allow no number above it. */
	rl.rlim_cur = (rlim_t)free_fd + 1;
	FX_SETUP(setrlimit(RLIMIT_NOFILE, &rl));
	FX_REQUIRE_ERRNO(EMFILE, pipe(p));
	/* The failed call took nothing: the one free descriptor is still free. */
	FX_REQUIRE_EQ(lowest_free_fd(), free_fd);
}

FX_CASE(pipe__fails_emfile_when_table_full, "posix", "pipe fails with EMFILE when fewer than two descriptors are free "
    "(RLIMIT_NOFILE), and leaks none",
    "POSIX.1-2017 XSH pipe ERRORS [EMFILE]")
{
	fx_child_join(fx_spawn(pipe_with_one_free_fd, NULL), FX_DEADLINE);
}

FX_CASE(pipe__fails_efault_on_bad_array, "linux", "pipe with an unwritable array fails with EFAULT and leaves no "
    "descriptor open",
    "pipe(2) ERRORS: EFAULT")
{
	int before = lowest_free_fd();
	void *page = FX_OK_PTR(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	/* The raw system call: the C library must not touch the array first. */
	FX_REQUIRE_ERRNO(EFAULT, syscall(SYS_pipe2, page, 0));
	FX_REQUIRE_EQ(lowest_free_fd(), before);
}

struct forked_writer { int fd; ino_t ino; };

static void
write_from_child(void *arg)
{
	struct forked_writer *w = arg;
	struct stat st;

	FX_OK(fstat(w->fd, &st));
	w->ino = st.st_ino;
	FX_REQUIRE_EQ(write(w->fd, "from child", 10), 10);
}

FX_CASE(pipe__shared_across_fork, "posix", "a forked child inherits both ends; what it writes, the parent reads",
    "POSIX.1-2017 XSH fork: the child has its own copy of "
    "the parent's file descriptors, which refer to the same open file descriptions")
{
	struct forked_writer *w = fx_shared(sizeof *w);
	struct stat st;
	char buf[16];
	int p[2];

	FX_OK(pipe(p));
	w->fd = p[1];
	fx_child_join(fx_spawn(write_from_child, w), FX_DEADLINE);
	FX_OK(fstat(p[0], &st));
	FX_REQUIRE_EQ(w->ino, st.st_ino);
	FX_REQUIRE_EQ(read(p[0], buf, sizeof buf), 10);
	FX_REQUIRE_MEMEQ(buf, "from child", 10);
}

/* The seed notes' two-way example: the child reads an int, adds one, sends it back. */
static void
increment_and_reply(void *arg)
{
	int (*p)[2] = arg, in;

	FX_OK(close(p[0][1]));
	FX_OK(close(p[1][0]));
	FX_REQUIRE_EQ(read(p[0][0], &in, sizeof in), sizeof in);
	in++;
	FX_REQUIRE_EQ(write(p[1][1], &in, sizeof in), sizeof in);
}

FX_CASE(pipe__two_pipes_exchange_both_ways, "posix", "two pipes carry a request to a child and its reply back",
    "POSIX.1-2017 XSH pipe: one-way; XRAT pipe")
{
	int (*p)[2] = fx_shared(2 * sizeof *p);
	struct fx_child *c;
	int out = 41, in = 0;

	FX_OK(pipe(p[0]));
	FX_OK(pipe(p[1]));
	c = fx_spawn(increment_and_reply, p);
	FX_OK(close(p[0][0]));
	FX_OK(close(p[1][1]));
	fx_wait_blocked_in(fx_child_pid(c), "read", FX_DEADLINE);
	FX_REQUIRE_EQ(write(p[0][1], &out, sizeof out), sizeof out);
	FX_REQUIRE_EQ(read(p[1][0], &in, sizeof in), sizeof in);
	FX_REQUIRE_EQ(in, 42);
	fx_child_join(c, FX_DEADLINE);
}
