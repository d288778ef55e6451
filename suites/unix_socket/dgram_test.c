/*
 * SOCK_DGRAM Unix domain sockets: datagrams keep their boundaries, are
 * truncated with MSG_TRUNC reported, carry their sender's address, a full
 * receiver blocks the sender or fails it with EAGAIN, and poll(2) says when
 * a datagram can be sent or received.
 */
#include "fx.h"
#include "usock.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static void
dgram_pair(int sv[2])
{
	FX_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	us_set_timeouts(sv[0], FX_DEADLINE);
	us_set_timeouts(sv[1], FX_DEADLINE);
}

FX_CASE(dgram__keeps_boundaries, "posix", "each recv(2) on a datagram socket returns exactly one datagram, "
    "even when the buffer could hold more",
    "POSIX.1-2017 XSH 2.10.6 Socket Types: SOCK_DGRAM")
{
	char buf[32];
	int sv[2];

	dgram_pair(sv);
	FX_REQUIRE_EQ(send(sv[0], "one", 3, 0), 3);
	FX_REQUIRE_EQ(send(sv[0], "second", 6, 0), 6);
	FX_REQUIRE_EQ(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), 3);
	FX_REQUIRE_MEMEQ(buf, "one", 3);
	FX_REQUIRE_EQ(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), 6);
	FX_REQUIRE_MEMEQ(buf, "second", 6);
}

FX_CASE(dgram__truncates_with_msg_trunc, "posix", "a datagram longer than the buffer is truncated, recvmsg(2) sets "
    "MSG_TRUNC in msg_flags and the rest of the datagram is discarded",
    "POSIX.1-2017 XSH recvmsg: MSG_TRUNC; XSH recv: excess bytes discarded")
{
	char buf[4];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	int sv[2];

	dgram_pair(sv);
	FX_REQUIRE_EQ(send(sv[0], "truncated", 9, 0), 9);
	FX_REQUIRE_EQ(send(sv[0], "next", 4, 0), 4);
	FX_REQUIRE_EQ(recvmsg(sv[1], &msg, MSG_DONTWAIT), 4);
	FX_REQUIRE_MEMEQ(buf, "trun", 4);
	FX_REQUIRE(msg.msg_flags & MSG_TRUNC, "msg_flags %#x lacks MSG_TRUNC", msg.msg_flags);
	FX_REQUIRE_EQ(recvmsg(sv[1], &msg, MSG_DONTWAIT), 4);
	FX_REQUIRE_MEMEQ(buf, "next", 4);
	FX_REQUIRE(!(msg.msg_flags & MSG_TRUNC), "msg_flags %#x has MSG_TRUNC", msg.msg_flags);
}

FX_CASE(dgram__trunc_flag_returns_real_length, "linux", "recv(2) with the MSG_TRUNC flag returns the datagram's real length "
    "even when the buffer was shorter",
    "recv(2): MSG_TRUNC (since Linux 3.4 for AF_UNIX)")
{
	char buf[4];
	int sv[2];

	dgram_pair(sv);
	FX_REQUIRE_EQ(send(sv[0], "0123456789", 10, 0), 10);
	FX_REQUIRE_EQ(recv(sv[1], buf, sizeof buf, MSG_TRUNC | MSG_DONTWAIT), 10);
	FX_REQUIRE_MEMEQ(buf, "0123", 4);
}

FX_CASE(dgram__zero_length_datagram, "posix", "a zero-length datagram is a message of its own: recv(2) returns 0 "
    "for it and the next datagram comes after it",
    "POSIX.1-2017 XSH send: zero-length message; XSH 2.10.6 SOCK_DGRAM")
{
	char buf[8];
	int sv[2];

	dgram_pair(sv);
	FX_REQUIRE_EQ(send(sv[0], "", 0, 0), 0);
	FX_REQUIRE_EQ(send(sv[0], "after", 5, 0), 5);
	FX_REQUIRE_EQ(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), 0);
	FX_REQUIRE_EQ(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), 5);
	FX_REQUIRE_MEMEQ(buf, "after", 5);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
}

FX_CASE(dgram__recvfrom_reports_sender_path, "posix", "sendto(2) to a bound path delivers the datagram and recvfrom(2) "
    "reports the sender's bound path",
    "POSIX.1-2017 XSH recvfrom: address of the sending socket; unix(7)")
{
	struct sockaddr_un to, from;
	socklen_t tolen = us_path_addr(&to, "rcv.sock"), fromlen = sizeof from;
	int rcv = us_bound("rcv.sock", SOCK_DGRAM, -1);
	int snd = us_bound("snd.sock", SOCK_DGRAM, -1);
	char buf[8];

	FX_REQUIRE_EQ(sendto(snd, "hi", 2, 0, (struct sockaddr *)&to, tolen), 2);
	memset(&from, 0, sizeof from);
	FX_REQUIRE_EQ(recvfrom(rcv, buf, sizeof buf, MSG_DONTWAIT,
	    (struct sockaddr *)&from, &fromlen), 2);
	FX_REQUIRE_MEMEQ(buf, "hi", 2);
	FX_REQUIRE_EQ(from.sun_family, AF_UNIX);
	FX_REQUIRE(strcmp(from.sun_path, "snd.sock") == 0, "sender path \"%s\", expected \"snd.sock\"",
	    from.sun_path);
	FX_REQUIRE_EQ(fromlen, offsetof(struct sockaddr_un, sun_path) + sizeof "snd.sock");
}

FX_CASE(dgram__send_without_peer_enotconn, "posix", "send(2) on an unconnected datagram socket without a destination "
    "fails with ENOTCONN",
    "send(2) ERRORS: ENOTCONN; POSIX.1-2017 XSH send ERRORS [EDESTADDRREQ]")
{
	int fd = (int)FX_OK(socket(AF_UNIX, SOCK_DGRAM, 0));

	FX_REQUIRE_ERRNO(ENOTCONN, send(fd, "x", 1, 0));
}

FX_CASE(dgram__connected_receives_only_from_peer, "linux", "a datagram socket connected to a peer receives only from that peer: "
    "a third socket's sendto(2) fails with EPERM",
    "connect(2): SOCK_DGRAM, the only address from which datagrams are received; unix(7) ERRORS: EPERM")
{
	struct sockaddr_un a;
	socklen_t alen = us_path_addr(&a, "a.sock");
	int rcv = us_bound("a.sock", SOCK_DGRAM, -1);
	int peer = us_bound("b.sock", SOCK_DGRAM, -1);
	int third = (int)FX_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	struct sockaddr_un b;
	socklen_t blen = us_path_addr(&b, "b.sock");
	char buf[8];

	FX_OK(connect(rcv, (struct sockaddr *)&b, blen));
	FX_REQUIRE_ERRNO(EPERM, sendto(third, "x", 1, 0, (struct sockaddr *)&a, alen));
	FX_REQUIRE_EQ(sendto(peer, "ok", 2, 0, (struct sockaddr *)&a, alen), 2);
	FX_REQUIRE_EQ(recv(rcv, buf, sizeof buf, MSG_DONTWAIT), 2);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, recv(rcv, buf, sizeof buf, MSG_DONTWAIT));
}

FX_CASE(dgram__too_long_emsgsize, "posix", "a datagram larger than the send buffer cannot be sent atomically: "
    "send(2) fails with EMSGSIZE",
    "POSIX.1-2017 XSH send ERRORS [EMSGSIZE]")
{
	int sndbuf = 4096, sv[2];
	socklen_t len = sizeof sndbuf;
	char *big;

	dgram_pair(sv);
	FX_OK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf));
	FX_OK(getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, &len));
	big = FX_OK_PTR(calloc(1, (size_t)sndbuf + 1));
	FX_REQUIRE_ERRNO(EMSGSIZE, send(sv[0], big, (size_t)sndbuf + 1, 0));
	free(big);
}

struct dsender { int fd; ssize_t n; };

static void
send_one_dgram(void *arg)
{
	struct dsender *s = arg;

	s->n = send(s->fd, "late", 4, 0);
	FX_REQUIRE(s->n != -1, "send in the child failed with %s", fx_errno_name(errno));
}

/* A receiver bound to a path and a sender connected to it (not a pair: the receive queue limit applies). */
static void
receiver_and_sender(int *rcv, int *snd)
{
	*rcv = us_bound("rcv.sock", SOCK_DGRAM, -1);
	*snd = us_connected("rcv.sock", SOCK_DGRAM);
	us_set_timeouts(*rcv, FX_DEADLINE);
	us_set_timeouts(*snd, FX_DEADLINE);
}

FX_CASE(dgram__full_receiver_eagain, "posix", "a datagram to a receiver whose queue is full fails with EAGAIN "
    "under MSG_DONTWAIT",
    "POSIX.1-2017 XSH send ERRORS [EAGAIN]; unix(7) ERRORS: EAGAIN")
{
	char buf[16];
	size_t filled;
	int rcv, snd;

	receiver_and_sender(&rcv, &snd);
	filled = us_fill(snd, 16);
	FX_REQUIRE(filled > 0, "not one datagram could be queued");
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, send(snd, "x", 1, MSG_DONTWAIT));
	FX_REQUIRE_EQ(recv(rcv, buf, sizeof buf, 0), 16);
	FX_REQUIRE_EQ(send(snd, "x", 1, MSG_DONTWAIT), 1);
}

FX_CASE(dgram__full_receiver_blocks, "posix", "a blocking send(2) of a datagram to a full receiver blocks until the "
    "receiver takes a datagram off its queue",
    "POSIX.1-2017 XSH send: no space, O_NONBLOCK not set")
{
	struct dsender *s = fx_shared(sizeof *s);
	struct fx_child *c;
	char buf[16];
	size_t filled, i;
	int rcv, snd;

	receiver_and_sender(&rcv, &snd);
	filled = us_fill(snd, 16);
	s->fd = snd;
	c = fx_spawn(send_one_dgram, s);
	fx_wait_blocked_in(fx_child_pid(c), "send", FX_DEADLINE);
	FX_REQUIRE_EQ(recv(rcv, buf, sizeof buf, 0), 16);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(s->n, 4);
	for (i = 16; i < filled; i += 16)
		FX_REQUIRE_EQ(recv(rcv, buf, sizeof buf, MSG_DONTWAIT), 16);
	FX_REQUIRE_EQ(recv(rcv, buf, sizeof buf, MSG_DONTWAIT), 4);
	FX_REQUIRE_MEMEQ(buf, "late", 4);
}

FX_CASE(dgram__sendto_errors, "posix", "sendto(2) of a datagram fails with ENOENT to a missing path, "
    "ECONNREFUSED to a file that is not a socket, EPROTOTYPE to a stream socket",
    "POSIX.1-2017 XSH sendto ERRORS; unix(7) ERRORS")
{
	static const struct { const char *path; int err; } rows[] = {
		{ "missing.sock", ENOENT },
		{ "regular", ECONNREFUSED },
		{ "stream.sock", EPROTOTYPE },
	};
	int fd = (int)FX_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	struct sockaddr_un sa;
	socklen_t len;
	size_t i;

	FX_OK(close((int)FX_OK(open("regular", O_CREAT | O_WRONLY, 0644))));
	(void)us_bound("stream.sock", SOCK_STREAM, 1);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		len = us_path_addr(&sa, rows[i].path);
		FX_CHECK_ERRNO_MSG(rows[i].err, sendto(fd, "x", 1, 0, (struct sockaddr *)&sa, len),
		    "sendto(\"%s\")", rows[i].path);
	}
}

FX_CASE(dgram__poll_out_and_in, "linux", "poll(2) on a datagram socketpair reports POLLOUT while the peer's "
    "queue has room, POLLIN once a datagram has arrived, no POLLOUT while the queue is "
    "full and POLLOUT again once the peer has read it",
    "unix(7); poll(2): POLLIN, POLLOUT; POSIX.1-2017 XSH poll")
{
	char buf[16];
	size_t filled, i;
	int sv[2];

	dgram_pair(sv);
	US_REQUIRE_REVENTS(sv[1], POLLIN | POLLOUT, POLLOUT, "empty socket");
	FX_REQUIRE_EQ(send(sv[0], "x", 1, 0), 1);
	US_REQUIRE_REVENTS(sv[1], POLLIN | POLLOUT, POLLIN | POLLOUT, "after a datagram");
	FX_REQUIRE_EQ(recv(sv[1], buf, sizeof buf, 0), 1);
	filled = us_fill(sv[0], sizeof buf);
	US_REQUIRE_REVENTS(sv[0], POLLOUT, 0, "peer's queue full");
	for (i = 0; i < filled; i += sizeof buf)
		FX_REQUIRE_EQ(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), sizeof buf);
	US_REQUIRE_REVENTS(sv[0], POLLIN | POLLOUT, POLLOUT, "peer's queue read empty");
}
