/*
 * read(2), write(2), poll(2), lseek(2), fstat(2) and FIONREAD on pipes and
 * FIFOs. Behaviours that hold for every kind of pipe have one body, run
 * against a table of creators (gVisor's pipe.cc style): each body is
 * registered once per kind as <kind>__<behaviour>, where <kind> is
 *   pipe            pipe(2)
 *   pipe2_cloexec   pipe2(2) with O_CLOEXEC
 *   pipe2_nonblock  pipe2(2) with O_NONBLOCK (the non-blocking behaviours)
 *   fifo_io         a FIFO in the work directory, opened O_RDONLY|O_NONBLOCK
 *                   then O_WRONLY, the read end then made blocking again.
 */
#include "fx.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum kind { PIPE, PIPE2_CLOEXEC, PIPE2_NONBLOCK, FIFO };

static void
set_nonblock(int fd, bool on)
{
	int fl = FX_OK(fcntl(fd, F_GETFL));

	FX_OK(fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK));
}

/* p[0] is the read end, p[1] the write end, both blocking unless the kind says otherwise. */
static void
make_channel(enum kind k, int p[2])
{
	static int nfifo;
	char path[32];

	switch (k) {
	case PIPE:
		FX_OK(pipe(p));
		break;
	case PIPE2_CLOEXEC:
		FX_OK(pipe2(p, O_CLOEXEC));
		break;
	case PIPE2_NONBLOCK:
		FX_OK(pipe2(p, O_NONBLOCK));
		break;
	case FIFO:
		snprintf(path, sizeof path, "fifo.%d", nfifo++);
		FX_OK(mkfifo(path, 0600));
		p[0] = FX_OK(open(path, O_RDONLY | O_NONBLOCK));
		p[1] = FX_OK(open(path, O_WRONLY));
		set_nonblock(p[0], false);
		break;
	}
}

/* A channel whose two ends are non-blocking: from pipe2 itself, else set with fcntl. */
static void
make_nonblocking_channel(enum kind k, int p[2])
{
	make_channel(k, p);
	if (k != PIPE2_NONBLOCK) {
		set_nonblock(p[0], true);
		set_nonblock(p[1], true);
	}
	FX_REQUIRE((FX_OK(fcntl(p[0], F_GETFL)) & O_NONBLOCK) != 0, "read end not O_NONBLOCK");
	FX_REQUIRE((FX_OK(fcntl(p[1], F_GETFL)) & O_NONBLOCK) != 0, "write end not O_NONBLOCK");
}

static size_t
capacity(int fd)
{
	return (size_t)FX_OK(fcntl(fd, F_GETPIPE_SZ));
}

static size_t
page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* Writes n bytes of a pattern in one call; the caller checks the count. */
static ssize_t
write_pattern(int fd, size_t n)
{
	char *buf = malloc(n);
	ssize_t r;
	int err;

	FX_REQUIRE(buf != NULL, "malloc(%zu) failed", n);
	memset(buf, 'f', n);
	r = write(fd, buf, n);
	err = errno;
	free(buf);
	errno = err;
	return r;
}

/* Fills the pipe to its capacity (proven by EAGAIN on one more byte); returns the capacity. */
static size_t
fill(int wfd)
{
	int fl = FX_OK(fcntl(wfd, F_GETFL));
	size_t cap = capacity(wfd);

	FX_OK(fcntl(wfd, F_SETFL, fl | O_NONBLOCK));
	FX_REQUIRE_EQ(write_pattern(wfd, cap), cap);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, write(wfd, "x", 1));
	FX_OK(fcntl(wfd, F_SETFL, fl));
	return cap;
}

/* Reads until EOF into buf (at most max bytes); every read waits at most FX_DEADLINE. */
static size_t
read_until_eof(int fd, char *buf, size_t max)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;

	for (;;) {
		FX_REQUIRE(poll(&pfd, 1, FX_DEADLINE) == 1,
		    "no data nor EOF within %d ms after %zu bytes", FX_DEADLINE, got);
		n = FX_OK(read(fd, buf + got, max - got < 3000 ? max - got : 3000));
		if (n == 0)
			return got;
		got += (size_t)n;
		FX_REQUIRE(got < max, "more than %zu bytes came out of the pipe", max - 1);
	}
}

/*
 * One case per (kind, behaviour): <kname>__<beh> runs beh(kind). pipe2 is not
 * in POSIX.1-2017, so its variants are of class linux.
 */
#define VARIANT(kname, kind, beh, cls, descr, spec) \
	FX_CASE(kname##__##beh, cls, descr " (" #kname ")", spec) { beh(kind); }

/* Blocking behaviours: pipe, pipe2(O_CLOEXEC), FIFO. */
#define BLOCKING_VARIANTS(beh, cls, descr, spec) \
	VARIANT(pipe, PIPE, beh, cls, descr, spec) \
	VARIANT(pipe2_cloexec, PIPE2_CLOEXEC, beh, "linux", descr, spec) \
	VARIANT(fifo_io, FIFO, beh, cls, descr, spec)

/* Non-blocking behaviours: pipe2(O_NONBLOCK), and pipe and FIFO made non-blocking by fcntl. */
#define NONBLOCKING_VARIANTS(beh, cls, descr, spec) \
	VARIANT(pipe2_nonblock, PIPE2_NONBLOCK, beh, "linux", descr, spec) \
	VARIANT(pipe, PIPE, beh, cls, descr, spec) \
	VARIANT(fifo_io, FIFO, beh, cls, descr, spec)

/* Properties of the descriptors (poll, lseek, fstat, FIONREAD): pipe and FIFO. */
#define FILE_VARIANTS(beh, cls, descr, spec) \
	VARIANT(pipe, PIPE, beh, cls, descr, spec) \
	VARIANT(fifo_io, FIFO, beh, cls, descr, spec)

/* ---- blocking behaviours ---- */

static void
bytes_come_out_in_order(enum kind k)
{
	char in[3000], out[3000];
	size_t i, got = 0;
	int p[2];

	make_channel(k, p);
	for (i = 0; i < sizeof in; i++)
		in[i] = (char)(i % 251);
	for (i = 0; i < 3; i++)
		FX_REQUIRE_EQ(write(p[1], in + i * 1000, 1000), 1000);
	/* Reads of 7 bytes cross every write boundary. */
	while (got < sizeof out) {
		size_t want = sizeof out - got < 7 ? sizeof out - got : 7;

		FX_REQUIRE_EQ(read(p[0], out + got, want), want);
		got += want;
	}
	FX_REQUIRE_MEMEQ(out, in, sizeof in);
}
BLOCKING_VARIANTS(bytes_come_out_in_order, "posix",
    "bytes are read in the order they were written, across write boundaries",
    "POSIX.1-2017 XSH pipe: read accesses data on a first-in-first-out basis")

struct reader { int fd; int close_fd; char got[8]; ssize_t n; };

static void
read_one(void *arg)
{
	struct reader *r = arg;

	if (r->close_fd >= 0)
		FX_OK(close(r->close_fd));
	r->n = read(r->fd, r->got, sizeof r->got);
}

static void
read_blocks_when_empty(enum kind k)
{
	struct reader *r = fx_shared(sizeof *r);
	struct fx_child *c;
	int p[2];

	make_channel(k, p);
	r->fd = p[0];
	r->close_fd = -1;
	c = fx_spawn(read_one, r);
	fx_wait_blocked_in(fx_child_pid(c), "read", FX_DEADLINE);
	FX_REQUIRE_EQ(write(p[1], "abc", 3), 3);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(r->n, 3);
	FX_REQUIRE_MEMEQ(r->got, "abc", 3);
}
BLOCKING_VARIANTS(read_blocks_when_empty, "posix",
    "read on an empty pipe with a writer blocks until data arrives, then returns it",
    "POSIX.1-2017 XSH read: pipe or FIFO, O_NONBLOCK clear")

struct writer { int fd; ssize_t n; };

static void
write_tail(void *arg)
{
	struct writer *w = arg;

	w->n = write(w->fd, "0123456789", 10);
}

static void
write_blocks_when_full(enum kind k)
{
	struct writer *w = fx_shared(sizeof *w);
	struct fx_child *c;
	size_t cap, page = page_size();
	char *buf;
	int p[2];

	make_channel(k, p);
	cap = fill(p[1]);
	w->fd = p[1];
	c = fx_spawn(write_tail, w);
	fx_wait_blocked_in(fx_child_pid(c), "write", FX_DEADLINE);
	buf = malloc(cap + 10);
	FX_REQUIRE(buf != NULL, "malloc failed");
	FX_REQUIRE_EQ(read(p[0], buf, page), page);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(w->n, 10);
	FX_OK(close(p[1]));
	FX_REQUIRE_EQ(read_until_eof(p[0], buf, cap + 10), cap - page + 10);
	FX_REQUIRE_MEMEQ(buf + cap - page, "0123456789", 10);
	free(buf);
}
BLOCKING_VARIANTS(write_blocks_when_full, "posix",
    "write to a full pipe blocks until a read frees space, then completes",
    "POSIX.1-2017 XSH write: pipe or FIFO, O_NONBLOCK clear")

static void
read_returns_what_is_there(enum kind k)
{
	char buf[100];
	int p[2];

	make_channel(k, p);
	FX_REQUIRE_EQ(write(p[1], "abc", 3), 3);
	FX_REQUIRE_EQ(read(p[0], buf, sizeof buf), 3);
	FX_REQUIRE_MEMEQ(buf, "abc", 3);
}
BLOCKING_VARIANTS(read_returns_what_is_there, "posix",
    "a read asking for more than the pipe holds returns at once with what is there",
    "POSIX.1-2017 XSH read: pipe or FIFO: returns the bytes available, fewer than nbyte")

struct big_writer { int fd; size_t len; ssize_t n; };

static void
write_big(void *arg)
{
	struct big_writer *w = arg;

	w->n = write_pattern(w->fd, w->len);
}

static void
large_write_completes_whole(enum kind k)
{
	struct big_writer *w = fx_shared(sizeof *w);
	struct fx_child *c;
	char *buf;
	int p[2];

	make_channel(k, p);
	w->fd = p[1];
	w->len = 4 * capacity(p[1]);
	buf = malloc(w->len + 1);
	FX_REQUIRE(buf != NULL, "malloc failed");
	c = fx_spawn(write_big, w);
	fx_wait_blocked_in(fx_child_pid(c), "write", FX_DEADLINE);
	FX_OK(close(p[1]));
	FX_REQUIRE_EQ(read_until_eof(p[0], buf, w->len + 1), w->len);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(w->n, w->len);
	free(buf);
}
BLOCKING_VARIANTS(large_write_completes_whole, "posix",
    "a blocking write of four times the capacity waits for the reader and writes it all",
    "POSIX.1-2017 XSH write: O_NONBLOCK clear: on normal completion returns nbyte")

static void
hold_until_told(void *arg)
{
	int fd = *(int *)arg;
	char c;

	FX_REQUIRE_EQ(read(fd, &c, 1), 1);
}

static void
eof_after_last_writer_closes(enum kind k)
{
	struct reader *r = fx_shared(sizeof *r);
	struct fx_child *holder, *c;
	int p[2], ctl[2];

	make_channel(k, p);
	FX_OK(pipe(ctl));
	/* The holder inherits a copy of the write end: the classic forgotten close. */
	holder = fx_spawn(hold_until_told, &ctl[0]);
	FX_OK(close(p[1]));
	r->fd = p[0];
	r->close_fd = -1;
	c = fx_spawn(read_one, r);
	fx_wait_blocked_in(fx_child_pid(c), "read", FX_DEADLINE);
	FX_REQUIRE(!fx_child_exited(holder), "the holder of the write end ended early");
	FX_REQUIRE_EQ(write(ctl[1], "x", 1), 1);
	fx_child_join(holder, FX_DEADLINE);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(r->n, 0);
}
BLOCKING_VARIANTS(eof_after_last_writer_closes, "posix",
    "read returns 0 only after every write end is closed, including a child's inherited copy",
    "POSIX.1-2017 XSH read: empty pipe, no process has it open for writing: returns 0")

static void
write_expecting_sigpipe(void *arg)
{
	int fd = *(int *)arg;
	sigset_t set;

	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	FX_OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
	(void)write(fd, "x", 1);
	FX_FAIL("write with no reader returned (errno %s) instead of raising SIGPIPE",
	    fx_errno_name(errno));
}

static void
write_without_reader_raises_sigpipe(enum kind k)
{
	struct fx_child *c;
	char text[96];
	int p[2], status;

	make_channel(k, p);
	FX_OK(close(p[0]));
	c = fx_spawn(write_expecting_sigpipe, &p[1]);
	status = fx_child_wait(c, FX_DEADLINE);
	FX_REQUIRE(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE,
	    "writer: expected to be killed by SIGPIPE, %s",
	    fx_status_text(status, text, sizeof text));
}
BLOCKING_VARIANTS(write_without_reader_raises_sigpipe, "posix",
    "write with no reader raises SIGPIPE, which kills the writer by default",
    "POSIX.1-2017 XSH write ERRORS [EPIPE]: a SIGPIPE signal shall also be sent")

static void
write_without_reader_fails_epipe(enum kind k)
{
	int p[2];

	make_channel(k, p);
	FX_OK(close(p[0]));
	FX_REQUIRE(signal(SIGPIPE, SIG_IGN) != SIG_ERR, "signal(SIGPIPE, SIG_IGN) failed");
	FX_REQUIRE_ERRNO(EPIPE, write(p[1], "x", 1));
}
BLOCKING_VARIANTS(write_without_reader_fails_epipe, "posix",
    "write with no reader fails with EPIPE when SIGPIPE is ignored",
    "POSIX.1-2017 XSH write ERRORS [EPIPE]")

#define ATOMIC_WRITERS 6
#define ATOMIC_RECORDS 64

struct record_writer { int fd; unsigned char id; };

/* Writes records of PIPE_BUF bytes: byte 1 is the sequence number, the others the writer's id. */
static void
write_records(void *arg)
{
	const struct record_writer *w = arg;
	unsigned char rec[PIPE_BUF];
	int i;

	memset(rec, w->id, sizeof rec);
	for (i = 0; i < ATOMIC_RECORDS; i++) {
		rec[1] = (unsigned char)i;
		FX_REQUIRE_EQ(write(w->fd, rec, sizeof rec), PIPE_BUF);
	}
}

static void
pipe_buf_writes_are_not_interleaved(enum kind k)
{
	struct record_writer w[ATOMIC_WRITERS];
	struct fx_child *c[ATOMIC_WRITERS];
	size_t total = (size_t)ATOMIC_WRITERS * ATOMIC_RECORDS * PIPE_BUF, got, off, i;
	int next[ATOMIC_WRITERS + 1] = { 0 };
	char *buf = malloc(total + 1);
	int p[2];

	FX_REQUIRE(buf != NULL, "malloc failed");
	make_channel(k, p);
	for (i = 0; i < ATOMIC_WRITERS; i++) {
		w[i].fd = p[1];
		w[i].id = (unsigned char)(i + 1);
		c[i] = fx_spawn(write_records, &w[i]);
	}
	FX_OK(close(p[1]));
	got = read_until_eof(p[0], buf, total + 1);
	for (i = 0; i < ATOMIC_WRITERS; i++)
		fx_child_join(c[i], FX_DEADLINE);
	FX_REQUIRE_EQ(got, total);
	for (off = 0; off < total; off += PIPE_BUF) {
		unsigned char *rec = (unsigned char *)buf + off, id = rec[0];

		FX_REQUIRE(id >= 1 && id <= ATOMIC_WRITERS && rec[1] == next[id],
		    "record at offset %zu starts with writer %d seq %d (expected seq %d)",
		    off, id, rec[1], id <= ATOMIC_WRITERS ? next[id] : -1);
		for (i = 2; i < PIPE_BUF; i++)
			FX_REQUIRE(rec[i] == id, "record of writer %d at offset %zu holds "
			    "a byte of writer %d at %zu: interleaved", id, off, rec[i], i);
		next[id]++;
	}
	free(buf);
}
BLOCKING_VARIANTS(pipe_buf_writes_are_not_interleaved, "posix",
    "writes of PIPE_BUF bytes from 6 concurrent writer processes are never interleaved",
    "POSIX.1-2017 XSH write: pipe or FIFO, writes of PIPE_BUF or fewer bytes are atomic")

#define READERS 3

static void
last_writer_close_wakes_every_reader(enum kind k)
{
	struct reader *r = fx_shared(READERS * sizeof *r);
	struct fx_child *c[READERS];
	int p[2], i;

	make_channel(k, p);
	for (i = 0; i < READERS; i++) {
		r[i].fd = p[0];
		r[i].close_fd = p[1];
		c[i] = fx_spawn(read_one, &r[i]);
	}
	for (i = 0; i < READERS; i++)
		fx_wait_blocked_in(fx_child_pid(c[i]), "read", FX_DEADLINE);
	FX_OK(close(p[1]));
	for (i = 0; i < READERS; i++) {
		fx_child_join(c[i], FX_DEADLINE);
		FX_REQUIRE_EQ(r[i].n, 0);
	}
}
BLOCKING_VARIANTS(last_writer_close_wakes_every_reader, "posix",
    "when the last writer closes, every reader blocked on the empty pipe wakes with EOF",
    "POSIX.1-2017 XSH read: empty pipe, no process has it open for writing: returns 0")

/* ---- non-blocking behaviours ---- */

static void
read_empty_fails_eagain(enum kind k)
{
	char buf[4];
	int p[2];

	make_nonblocking_channel(k, p);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, read(p[0], buf, sizeof buf));
	FX_REQUIRE_EQ(write(p[1], "ab", 2), 2);
	FX_REQUIRE_EQ(read(p[0], buf, sizeof buf), 2);
}
NONBLOCKING_VARIANTS(read_empty_fails_eagain, "posix",
    "O_NONBLOCK read on an empty pipe with a writer fails with EAGAIN",
    "POSIX.1-2017 XSH read: empty pipe, O_NONBLOCK set: [EAGAIN]")

static void
read_without_writer_returns_eof(enum kind k)
{
	char buf[4];
	int p[2];

	make_nonblocking_channel(k, p);
	FX_OK(close(p[1]));
	FX_REQUIRE_EQ(read(p[0], buf, sizeof buf), 0);
}
NONBLOCKING_VARIANTS(read_without_writer_returns_eof, "posix",
    "O_NONBLOCK read on an empty pipe without a writer returns 0, not EAGAIN",
    "POSIX.1-2017 XSH read: empty pipe, no process has it open for writing: returns 0")

static void
write_full_fails_eagain(enum kind k)
{
	int p[2];
	int n;

	make_nonblocking_channel(k, p);
	FX_REQUIRE_EQ(write_pattern(p[1], capacity(p[1])), capacity(p[1]));
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, write(p[1], "x", 1));
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, write_pattern(p[1], PIPE_BUF));
	FX_OK(ioctl(p[0], FIONREAD, &n));
	FX_REQUIRE_EQ(n, capacity(p[1]));
}
NONBLOCKING_VARIANTS(write_full_fails_eagain, "posix",
    "O_NONBLOCK write to a full pipe fails with EAGAIN and writes nothing",
    "POSIX.1-2017 XSH write: pipe or FIFO, O_NONBLOCK set, no room: [EAGAIN]")

static void
large_write_is_partial(enum kind k)
{
	size_t cap, page = page_size();
	int p[2];

	make_nonblocking_channel(k, p);
	cap = capacity(p[1]);
	FX_REQUIRE_EQ(write_pattern(p[1], cap - page), cap - page);
	/* Room for one page; the write asks for two (more than PIPE_BUF). */
	FX_REQUIRE_EQ(write_pattern(p[1], 2 * page), page);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, write(p[1], "x", 1));
}
NONBLOCKING_VARIANTS(large_write_is_partial, "posix",
    "O_NONBLOCK write of more than PIPE_BUF bytes and more than the room writes partially",
    "POSIX.1-2017 XSH write: O_NONBLOCK set, nbyte > PIPE_BUF: transfers what it can")

static void
small_write_is_all_or_nothing(enum kind k)
{
	size_t cap;
	int p[2], n;

	make_nonblocking_channel(k, p);
	cap = capacity(p[1]);
	/* Leaves 100 bytes of room in the last page: too little for PIPE_BUF bytes. */
	FX_REQUIRE_EQ(write_pattern(p[1], cap - 100), cap - 100);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, write_pattern(p[1], PIPE_BUF));
	FX_OK(ioctl(p[0], FIONREAD, &n));
	FX_REQUIRE_EQ(n, cap - 100);
}
NONBLOCKING_VARIANTS(small_write_is_all_or_nothing, "posix",
    "O_NONBLOCK write of PIPE_BUF bytes without room for all of them writes nothing (EAGAIN)",
    "POSIX.1-2017 XSH write: O_NONBLOCK set, nbyte <= PIPE_BUF, no room for all: [EAGAIN]")

/* ---- descriptor properties: poll, lseek, fstat, FIONREAD ---- */

struct poller { int fd; short events; int close_fd; int n; short revents; };

static void
poll_once(void *arg)
{
	struct poller *pl = arg;
	struct pollfd pfd = { .fd = pl->fd, .events = pl->events };

	if (pl->close_fd >= 0)
		FX_OK(close(pl->close_fd));
	pl->n = poll(&pfd, 1, -1);
	pl->revents = pfd.revents;
}

static struct fx_child *
spawn_blocked_poller(struct poller *pl, int fd, short events, int close_fd)
{
	struct fx_child *c;

	pl->fd = fd;
	pl->events = events;
	pl->close_fd = close_fd;
	c = fx_spawn(poll_once, pl);
	fx_wait_blocked_in(fx_child_pid(c), "poll", FX_DEADLINE);
	return c;
}

static void
poll_reports_pollin_when_data_arrives(enum kind k)
{
	struct poller *pl = fx_shared(sizeof *pl);
	struct pollfd pfd;
	struct fx_child *c;
	int p[2];

	make_channel(k, p);
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	FX_REQUIRE_EQ(poll(&pfd, 1, 0), 0);
	c = spawn_blocked_poller(pl, p[0], POLLIN, -1);
	FX_REQUIRE_EQ(write(p[1], "x", 1), 1);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(pl->n, 1);
	FX_REQUIRE_EQ(pl->revents, POLLIN);
}
FILE_VARIANTS(poll_reports_pollin_when_data_arrives, "posix",
    "poll on the read end reports nothing while empty, then POLLIN when data arrives",
    "POSIX.1-2017 XSH poll: POLLIN")

static void
poll_reports_pollout_when_space_frees(enum kind k)
{
	struct poller *pl = fx_shared(sizeof *pl);
	struct pollfd pfd;
	struct fx_child *c;
	char *buf = malloc(page_size());
	int p[2];

	FX_REQUIRE(buf != NULL, "malloc failed");
	make_channel(k, p);
	pfd = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	FX_REQUIRE_EQ(poll(&pfd, 1, 0), 1);
	FX_REQUIRE_EQ(pfd.revents, POLLOUT);
	fill(p[1]);
	c = spawn_blocked_poller(pl, p[1], POLLOUT, -1);
	FX_REQUIRE_EQ(read(p[0], buf, page_size()), page_size());
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(pl->n, 1);
	FX_REQUIRE_EQ(pl->revents, POLLOUT);
	free(buf);
}
FILE_VARIANTS(poll_reports_pollout_when_space_frees, "posix",
    "poll on the write end reports POLLOUT while there is room, nothing when full, "
    "POLLOUT again once a read frees a page",
    "POSIX.1-2017 XSH poll: POLLOUT")

static void
poll_reports_pollhup_when_writers_close(enum kind k)
{
	struct poller *pl = fx_shared(sizeof *pl);
	struct fx_child *c;
	int p[2];

	make_channel(k, p);
	c = spawn_blocked_poller(pl, p[0], POLLIN, p[1]);
	FX_OK(close(p[1]));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(pl->n, 1);
	FX_REQUIRE_EQ(pl->revents, POLLHUP);
}
FILE_VARIANTS(poll_reports_pollhup_when_writers_close, "posix",
    "poll on the read end of an empty pipe wakes with POLLHUP when the last writer closes",
    "POSIX.1-2017 XSH poll: POLLHUP")

static void
poll_reports_pollerr_when_readers_close(enum kind k)
{
	struct pollfd pfd;
	int p[2];

	make_channel(k, p);
	pfd = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	FX_REQUIRE_EQ(poll(&pfd, 1, 0), 1);
	FX_REQUIRE_EQ(pfd.revents, POLLOUT);
	FX_OK(close(p[0]));
	FX_REQUIRE_EQ(poll(&pfd, 1, 0), 1);
	FX_REQUIRE_EQ(pfd.revents, POLLOUT | POLLERR);
}
FILE_VARIANTS(poll_reports_pollerr_when_readers_close, "linux",
    "poll on the write end reports POLLERR (with POLLOUT) once the last reader closes",
    "poll(2): POLLERR: set for the write end of a pipe whose read end is closed")

static void
lseek_fails_espipe(enum kind k)
{
	char c = 'x';
	int p[2];

	make_channel(k, p);
	FX_CHECK_ERRNO_MSG(ESPIPE, lseek(p[0], 0, SEEK_SET), "lseek(read end, 0, SEEK_SET)");
	FX_CHECK_ERRNO_MSG(ESPIPE, lseek(p[0], 0, SEEK_CUR), "lseek(read end, 0, SEEK_CUR)");
	FX_CHECK_ERRNO_MSG(ESPIPE, lseek(p[1], 0, SEEK_END), "lseek(write end, 0, SEEK_END)");
	FX_CHECK_ERRNO_MSG(ESPIPE, pwrite(p[1], &c, 1, 0), "pwrite(write end, 1, 0)");
	FX_CHECK_ERRNO_MSG(ESPIPE, pread(p[0], &c, 1, 0), "pread(read end, 1, 0)");
}
FILE_VARIANTS(lseek_fails_espipe, "posix",
    "lseek, pread and pwrite on either end fail with ESPIPE",
    "POSIX.1-2017 XSH lseek ERRORS [ESPIPE]; XSH pread ERRORS [ESPIPE]")

static void
fstat_says_fifo(enum kind k)
{
	struct stat r, w;
	int p[2];

	make_channel(k, p);
	FX_OK(fstat(p[0], &r));
	FX_OK(fstat(p[1], &w));
	FX_REQUIRE(S_ISFIFO(r.st_mode), "read end: st_mode %#o is not S_IFIFO", (unsigned)r.st_mode);
	FX_REQUIRE(S_ISFIFO(w.st_mode), "write end: st_mode %#o is not S_IFIFO", (unsigned)w.st_mode);
	FX_REQUIRE_EQ(r.st_ino, w.st_ino);
	FX_REQUIRE_EQ(r.st_dev, w.st_dev);
}
FILE_VARIANTS(fstat_says_fifo, "posix",
    "fstat on either end reports S_ISFIFO, and both ends are the same file",
    "POSIX.1-2017 XBD <sys/stat.h>: S_ISFIFO tests for a pipe or FIFO special file")

static void
fionread_counts_unread_bytes(enum kind k)
{
	char buf[30];
	int p[2], n = -1;

	make_channel(k, p);
	FX_OK(ioctl(p[0], FIONREAD, &n));
	FX_REQUIRE_EQ(n, 0);
	FX_REQUIRE_EQ(write_pattern(p[1], 100), 100);
	FX_OK(ioctl(p[0], FIONREAD, &n));
	FX_REQUIRE_EQ(n, 100);
	FX_REQUIRE_EQ(read(p[0], buf, sizeof buf), sizeof buf);
	FX_OK(ioctl(p[0], FIONREAD, &n));
	FX_REQUIRE_EQ(n, 70);
}
FILE_VARIANTS(fionread_counts_unread_bytes, "linux",
    "ioctl FIONREAD returns the number of unread bytes in the pipe",
    "pipe(7): Pipe capacity: ioctl(fd, FIONREAD, &nbytes)")
