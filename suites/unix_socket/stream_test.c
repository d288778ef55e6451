/*
 * SOCK_STREAM Unix domain sockets: a reliable byte stream without message
 * boundaries; blocking, MSG_DONTWAIT, MSG_PEEK, MSG_WAITALL, shutdown, the
 * writer's SIGPIPE/EPIPE once the peer is gone, and one byte of out-of-band
 * data (MSG_OOB, SIOCATMARK).
 */
#include "fx.h"
#include "usock.h"

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static void
stream_pair(int sv[2])
{
	FX_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	us_set_timeouts(sv[0], FX_DEADLINE);
	us_set_timeouts(sv[1], FX_DEADLINE);
}

struct io { int fd; int flags; size_t want; char buf[64]; ssize_t n; };

static void
recv_once(void *arg)
{
	struct io *io = arg;

	io->n = recv(io->fd, io->buf, io->want, io->flags);
	FX_REQUIRE(io->n != -1, "recv in the child failed with %s", fx_errno_name(errno));
}

FX_CASE(stream__no_message_boundaries, "posix", "two sends on a stream socket are read back by one recv: "
    "a byte stream keeps no record boundaries",
    "POSIX.1-2017 XSH 2.10.6 Socket Types: SOCK_STREAM")
{
	char buf[16];
	int sv[2];

	stream_pair(sv);
	FX_REQUIRE_EQ(send(sv[0], "abc", 3, 0), 3);
	FX_REQUIRE_EQ(send(sv[0], "defg", 4, 0), 4);
	FX_REQUIRE_EQ(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), 7);
	FX_REQUIRE_MEMEQ(buf, "abcdefg", 7);
}

FX_CASE(stream__recv_blocks_when_empty, "posix", "recv(2) on an empty stream socket blocks until data arrives",
    "POSIX.1-2017 XSH recv: O_NONBLOCK not set, no message available")
{
	struct io *io = fx_shared(sizeof *io);
	struct fx_child *c;
	int sv[2];

	stream_pair(sv);
	io->fd = sv[1];
	io->want = sizeof io->buf;
	c = fx_spawn(recv_once, io);
	fx_wait_blocked_in(fx_child_pid(c), "recv", FX_DEADLINE);
	FX_REQUIRE_EQ(send(sv[0], "wake", 4, 0), 4);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(io->n, 4);
	FX_REQUIRE_MEMEQ(io->buf, "wake", 4);
}

FX_CASE(stream__dontwait_eagain, "posix", "recv(2) with MSG_DONTWAIT on an empty socket fails with EAGAIN, "
    "as does a recv on an O_NONBLOCK socket",
    "POSIX.1-2017 XSH recv ERRORS [EAGAIN]; recv(2): MSG_DONTWAIT")
{
	char buf[4];
	int sv[2];

	stream_pair(sv);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
	FX_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv));
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, recv(sv[1], buf, sizeof buf, 0));
}

FX_CASE(stream__peek_leaves_data, "posix", "recv(2) with MSG_PEEK returns the data and leaves it queued for the next recv",
    "POSIX.1-2017 XSH recv: MSG_PEEK")
{
	char buf[8];
	int sv[2], on;

	stream_pair(sv);
	FX_REQUIRE_EQ(send(sv[0], "peek", 4, 0), 4);
	FX_REQUIRE_EQ(recv(sv[1], buf, 2, MSG_PEEK), 2);
	FX_REQUIRE_MEMEQ(buf, "pe", 2);
	FX_OK(ioctl(sv[1], FIONREAD, &on));
	FX_REQUIRE_EQ(on, 4);
	FX_REQUIRE_EQ(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), 4);
	FX_REQUIRE_MEMEQ(buf, "peek", 4);
}

static bool
queue_empty(void *arg)
{
	int queued = -1;

	return ioctl(*(int *)arg, FIONREAD, &queued) == 0 && queued == 0;
}

FX_CASE(stream__waitall_waits_for_full_request, "posix", "recv(2) with MSG_WAITALL stays blocked after a partial arrival "
    "until the full length is there",
    "POSIX.1-2017 XSH recv: MSG_WAITALL")
{
	struct io *io = fx_shared(sizeof *io);
	struct fx_child *c;
	int sv[2];

	stream_pair(sv);
	io->fd = sv[1];
	io->want = 6;
	io->flags = MSG_WAITALL;
	c = fx_spawn(recv_once, io);
	fx_wait_blocked_in(fx_child_pid(c), "recv", FX_DEADLINE);
	FX_REQUIRE_EQ(send(sv[0], "abc", 3, 0), 3);
	/* The child takes the 3 bytes off the queue and goes on waiting. */
	fx_wait_until(queue_empty, &sv[1], FX_DEADLINE, "the receiver to take the first 3 bytes");
	fx_wait_blocked_in(fx_child_pid(c), "recv", FX_DEADLINE);
	FX_REQUIRE(!fx_child_exited(c), "MSG_WAITALL recv returned after 3 of 6 bytes");
	FX_REQUIRE_EQ(send(sv[0], "def", 3, 0), 3);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(io->n, 6);
	FX_REQUIRE_MEMEQ(io->buf, "abcdef", 6);
}

struct sender { int fd; size_t len; ssize_t n; };

static void
send_block(void *arg)
{
	struct sender *s = arg;
	static char buf[4096];

	memset(buf, 'z', sizeof buf);
	s->n = send(s->fd, buf, s->len, 0);
	FX_REQUIRE(s->n != -1, "send in the child failed with %s", fx_errno_name(errno));
}

FX_CASE(stream__send_blocks_when_full, "posix", "send(2) on a stream socket whose buffers are full blocks until "
    "the peer reads; with MSG_DONTWAIT it fails with EAGAIN",
    "POSIX.1-2017 XSH send: no space, O_NONBLOCK not set; ERRORS [EAGAIN]")
{
	struct sender *s = fx_shared(sizeof *s);
	static char buf[4096];
	struct fx_child *c;
	size_t filled, got = 0;
	ssize_t n = 0;
	int sv[2];

	stream_pair(sv);
	filled = us_fill(sv[0], 1024);
	s->fd = sv[0];
	s->len = 100;
	c = fx_spawn(send_block, s);
	fx_wait_blocked_in(fx_child_pid(c), "send", FX_DEADLINE);
	while (got < filled + s->len) {
		n = FX_OK(recv(sv[1], buf, sizeof buf, 0));
		FX_REQUIRE(n > 0, "unexpected end of file after %zu bytes", got);
		got += (size_t)n;
	}
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(s->n, 100);
	FX_REQUIRE_EQ(got, filled + 100);
	FX_REQUIRE(buf[n - 1] == 'z', "the last byte read is not the blocked sender's");
}

FX_CASE(stream__shutdown_wr_gives_peer_eof, "posix", "after shutdown(SHUT_WR) the peer reads the queued data then end of "
    "file, and can still send back; a send on the shut side fails with EPIPE",
    "POSIX.1-2017 XSH shutdown: SHUT_WR; XSH send ERRORS [EPIPE]")
{
	char buf[8];
	int sv[2];

	stream_pair(sv);
	FX_REQUIRE_EQ(send(sv[0], "last", 4, 0), 4);
	FX_OK(shutdown(sv[0], SHUT_WR));
	FX_REQUIRE_EQ(recv(sv[1], buf, sizeof buf, 0), 4);
	FX_REQUIRE_EQ(recv(sv[1], buf, sizeof buf, 0), 0);
	FX_REQUIRE_EQ(send(sv[1], "back", 4, 0), 4);
	FX_REQUIRE_EQ(recv(sv[0], buf, sizeof buf, 0), 4);
	FX_REQUIRE_MEMEQ(buf, "back", 4);
	FX_REQUIRE_ERRNO(EPIPE, send(sv[0], "x", 1, MSG_NOSIGNAL));
}

static void
send_and_exit(void *arg)
{
	int *fd = arg;

	FX_REQUIRE_EQ(send(*fd, "bye", 3, 0), 3);
}

FX_CASE(stream__close_gives_peer_eof, "posix", "when the peer process exits, a blocked recv(2) returns the queued "
    "data and then 0 (end of file)",
    "POSIX.1-2017 XSH recv RETURN VALUE: peer performed an orderly shutdown")
{
	struct fx_child *c;
	char buf[8];
	int sv[2];

	stream_pair(sv);
	c = fx_spawn(send_and_exit, &sv[1]);
	close(sv[1]);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(recv(sv[0], buf, sizeof buf, 0), 3);
	FX_REQUIRE_MEMEQ(buf, "bye", 3);
	FX_REQUIRE_EQ(recv(sv[0], buf, sizeof buf, 0), 0);
}

struct piper { int fd; int flags; bool ignore; ssize_t n; int err; };

static void
send_to_closed(void *arg)
{
	struct piper *p = arg;

	signal(SIGPIPE, p->ignore ? SIG_IGN : SIG_DFL);
	p->n = send(p->fd, "x", 1, p->flags);
	p->err = errno;
}

static int
send_after_peer_closed(struct piper *p)
{
	struct fx_child *c;
	int sv[2];

	stream_pair(sv);
	close(sv[1]);
	p->fd = sv[0];
	c = fx_spawn(send_to_closed, p);
	return fx_child_wait(c, FX_DEADLINE);
}

FX_CASE(stream__send_to_closed_peer_sigpipe, "posix", "send(2) on a stream socket whose peer is closed raises SIGPIPE, "
    "which kills a process with the default action",
    "POSIX.1-2017 XSH send ERRORS [EPIPE]: SIGPIPE is generated")
{
	struct piper *p = fx_shared(sizeof *p);
	char text[96];
	int status = send_after_peer_closed(p);

	FX_REQUIRE(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE,
	    "sender: expected death by SIGPIPE, %s", fx_status_text(status, text, sizeof text));
}

FX_CASE(stream__send_to_closed_peer_epipe, "posix", "with SIGPIPE ignored, send(2) to a closed peer fails with EPIPE",
    "POSIX.1-2017 XSH send ERRORS [EPIPE]")
{
	struct piper *p = fx_shared(sizeof *p);

	p->ignore = true;
	FX_REQUIRE_EQ(send_after_peer_closed(p), 0);
	FX_REQUIRE(p->n == -1 && p->err == EPIPE, "send to a closed peer: expected -1 with "
	    "EPIPE, got %zd (%s)", p->n, fx_errno_name(p->err));
}

FX_CASE(stream__msg_nosignal_suppresses_sigpipe, "posix", "with MSG_NOSIGNAL, send(2) to a closed peer fails with EPIPE and "
    "raises no SIGPIPE even under the default action",
    "POSIX.1-2017 XSH send: MSG_NOSIGNAL")
{
	struct piper *p = fx_shared(sizeof *p);
	char text[96];
	int status;

	p->flags = MSG_NOSIGNAL;
	status = send_after_peer_closed(p);
	FX_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "sender: expected to exit 0, %s", fx_status_text(status, text, sizeof text));
	FX_REQUIRE(p->n == -1 && p->err == EPIPE, "send(MSG_NOSIGNAL) to a closed peer: "
	    "expected -1 with EPIPE, got %zd (%s)", p->n, fx_errno_name(p->err));
}

struct closer { int fd; int other; ssize_t n; };

static void
recv_after_closing_other(void *arg)
{
	struct closer *c = arg;
	char buf[8];

	FX_OK(close(c->other)); /* the child's copy of the parent's end */
	c->n = recv(c->fd, buf, sizeof buf, 0);
	FX_REQUIRE(c->n != -1, "recv in the child failed with %s", fx_errno_name(errno));
}

FX_CASE(stream__blocked_recv_wakes_on_peer_close, "posix", "a recv(2) blocked on an empty stream socket returns 0 (end of "
    "file) when the peer's last descriptor is closed",
    "POSIX.1-2017 XSH recv RETURN VALUE: orderly shutdown")
{
	struct closer *cl = fx_shared(sizeof *cl);
	struct fx_child *c;
	int sv[2];

	stream_pair(sv);
	cl->fd = sv[1];
	cl->other = sv[0];
	cl->n = -2;
	c = fx_spawn(recv_after_closing_other, cl);
	fx_wait_blocked_in(fx_child_pid(c), "recv", FX_DEADLINE);
	FX_OK(close(sv[0]));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(cl->n, 0);
}

FX_CASE(stream__rcvtimeo_eagain, "posix", "with SO_RCVTIMEO set, a blocking recv(2) on an empty socket fails "
    "with EAGAIN once the timeout has passed",
    "POSIX.1-2017 XSH 2.10.16 Use of Options: SO_RCVTIMEO")
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
	long long start, elapsed;
	char buf[4];
	int sv[2];

	FX_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	FX_OK(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
	start = fx_now_ms();
	FX_REQUIRE_ERRNO(EAGAIN, recv(sv[1], buf, sizeof buf, 0));
	elapsed = fx_now_ms() - start;
	/* Linux counts this timeout in clock ticks (see FX_WAITED_ENOUGH). */
	FX_REQUIRE(FX_WAITED_ENOUGH(elapsed, 100) && elapsed < FX_DEADLINE, "recv returned after "
	    "%lld ms, timeout 100 ms", elapsed);
}

FX_CASE(stream__poll_in_and_out, "posix", "poll(2) on a stream socket reports POLLOUT while there is room, "
    "POLLIN once data is queued, and no POLLOUT when the buffers are full",
    "POSIX.1-2017 XSH poll: POLLIN, POLLOUT")
{
	int sv[2];

	stream_pair(sv);
	US_REQUIRE_REVENTS(sv[1], POLLIN | POLLOUT, POLLOUT, "empty socket");
	FX_REQUIRE_EQ(send(sv[0], "x", 1, 0), 1);
	US_REQUIRE_REVENTS(sv[1], POLLIN | POLLOUT, POLLIN | POLLOUT, "after a send");
	(void)us_fill(sv[0], 1024);
	US_REQUIRE_REVENTS(sv[0], POLLOUT, 0, "full socket");
}

FX_CASE(stream__poll_hup_on_peer_close, "linux", "poll(2) on a stream socket whose peer is closed reports POLLHUP and "
    "POLLIN (the end of file is readable)",
    "POSIX.1-2017 XSH poll: POLLHUP; poll(2)")
{
	int sv[2];

	stream_pair(sv);
	FX_OK(close(sv[0]));
	US_REQUIRE_REVENTS(sv[1], POLLHUP | POLLIN, POLLHUP | POLLIN, "peer closed");
}

/*
 * A stream pair where sv[0] sent "ab", then "cd" with MSG_OOB: 'd', the last
 * byte of that send, is the out-of-band byte. Skips where AF_UNIX has no
 * out-of-band data.
 */
static void
oob_pair(int sv[2])
{
	stream_pair(sv);
	FX_REQUIRE_EQ(send(sv[0], "ab", 2, 0), 2);
	fx_require_kernel_feature(5, 15, "MSG_OOB on AF_UNIX stream sockets",
	    !(send(sv[0], "cd", 2, MSG_OOB) == -1 && errno == EOPNOTSUPP),
	    "send(MSG_OOB) fails with EOPNOTSUPP (or CONFIG_AF_UNIX_OOB is off)");
}

FX_CASE(stream__msg_oob_one_byte_apart, "linux", "send(2) with MSG_OOB on a stream socket makes its last byte "
    "out-of-band data: recv(2) with MSG_OOB returns that one byte, and the normal "
    "stream holds the others",
    "unix(7): MSG_OOB (since Linux 5.15); POSIX.1-2017 XSH "
    "2.10.12 Out-of-Band Data; recv: MSG_OOB")
{
	char buf[8];
	int sv[2];

	oob_pair(sv);
	FX_REQUIRE_EQ(recv(sv[1], buf, sizeof buf, MSG_OOB), 1);
	FX_REQUIRE_EQ(buf[0], 'd');
	FX_REQUIRE_EQ(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), 3);
	FX_REQUIRE_MEMEQ(buf, "abc", 3);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
}

/* SIOCATMARK on fd: 1 when the next byte to read is at the out-of-band mark. */
static int
at_mark(int fd)
{
	int mark = -1;

	FX_OK(ioctl(fd, SIOCATMARK, &mark));
	return mark;
}

FX_CASE(stream__siocatmark_at_oob_byte, "linux", "SIOCATMARK reports 0 while normal data precedes the out-of-band "
    "byte, and 1 once a read stopped at the mark has taken that data",
    "unix(7): MSG_OOB, SIOCATMARK (since Linux 5.15); "
    "POSIX.1-2017 XSH sockatmark")
{
	char buf[8];
	int sv[2];

	oob_pair(sv);
	FX_REQUIRE_EQ(at_mark(sv[1]), 0);
	FX_REQUIRE_EQ(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), 3); /* stops at the mark */
	FX_REQUIRE_EQ(at_mark(sv[1]), 1);
}
