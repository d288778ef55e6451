/*
 * SOCK_SEQPACKET Unix domain sockets: connection-oriented, like a stream, but
 * every send is a record that recv returns whole or truncated.
 */
#include "fx.h"
#include "usock.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A connected pair made through listen/connect/accept on a path. */
static void
seqpacket_connection(int *client, int *server)
{
	int lfd = us_bound("seq.sock", SOCK_SEQPACKET, 4);

	*client = us_connected("seq.sock", SOCK_SEQPACKET);
	*server = (int)FX_OK(accept(lfd, NULL, NULL));
	us_set_timeouts(*client, FX_DEADLINE);
	us_set_timeouts(*server, FX_DEADLINE);
	close(lfd);
}

FX_CASE(seqpacket__keeps_boundaries, "posix", "on a connected SOCK_SEQPACKET socket each recv(2) returns one "
    "record, even when the buffer could hold more",
    "POSIX.1-2017 XSH 2.10.6 Socket Types: SOCK_SEQPACKET")
{
	char buf[32];
	int cl, sv;

	seqpacket_connection(&cl, &sv);
	FX_REQUIRE_EQ(send(cl, "first", 5, 0), 5);
	FX_REQUIRE_EQ(send(cl, "2nd", 3, 0), 3);
	FX_REQUIRE_EQ(recv(sv, buf, sizeof buf, MSG_DONTWAIT), 5);
	FX_REQUIRE_MEMEQ(buf, "first", 5);
	FX_REQUIRE_EQ(recv(sv, buf, sizeof buf, MSG_DONTWAIT), 3);
	FX_REQUIRE_MEMEQ(buf, "2nd", 3);
}

FX_CASE(seqpacket__truncates_with_msg_trunc, "posix", "a record longer than the buffer is truncated with MSG_TRUNC in "
    "msg_flags; its rest is discarded and the next recv gets the next record",
    "POSIX.1-2017 XSH recvmsg: MSG_TRUNC; XSH 2.10.6 SOCK_SEQPACKET")
{
	char buf[3];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	int cl, sv;

	seqpacket_connection(&cl, &sv);
	FX_REQUIRE_EQ(send(cl, "record", 6, 0), 6);
	FX_REQUIRE_EQ(send(cl, "abc", 3, 0), 3);
	FX_REQUIRE_EQ(recvmsg(sv, &msg, MSG_DONTWAIT), 3);
	FX_REQUIRE_MEMEQ(buf, "rec", 3);
	FX_REQUIRE(msg.msg_flags & MSG_TRUNC, "msg_flags %#x lacks MSG_TRUNC", msg.msg_flags);
	FX_REQUIRE_EQ(recvmsg(sv, &msg, MSG_DONTWAIT), 3);
	FX_REQUIRE_MEMEQ(buf, "abc", 3);
	FX_REQUIRE(!(msg.msg_flags & MSG_TRUNC), "msg_flags %#x has MSG_TRUNC", msg.msg_flags);
}

FX_CASE(seqpacket__eof_after_peer_close, "posix", "after the peer closes, recv(2) returns the queued records and then 0",
    "POSIX.1-2017 XSH recv RETURN VALUE: orderly shutdown")
{
	char buf[8];
	int cl, sv;

	seqpacket_connection(&cl, &sv);
	FX_REQUIRE_EQ(send(cl, "end", 3, 0), 3);
	FX_OK(close(cl));
	FX_REQUIRE_EQ(recv(sv, buf, sizeof buf, 0), 3);
	FX_REQUIRE_EQ(recv(sv, buf, sizeof buf, 0), 0);
}

FX_CASE(seqpacket__send_unconnected_enotconn, "posix", "send(2) on a SOCK_SEQPACKET socket that is not connected fails with "
    "ENOTCONN",
    "POSIX.1-2017 XSH send ERRORS [ENOTCONN]")
{
	int fd = (int)FX_OK(socket(AF_UNIX, SOCK_SEQPACKET, 0));

	FX_REQUIRE_ERRNO(ENOTCONN, send(fd, "x", 1, MSG_NOSIGNAL));
}
