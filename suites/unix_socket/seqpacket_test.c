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

ATF_TC(seqpacket__keeps_boundaries);
ATF_TC_HEAD(seqpacket__keeps_boundaries, tc)
{
	fx_meta(tc, "posix", "on a connected SOCK_SEQPACKET socket each recv(2) returns one "
	    "record, even when the buffer could hold more");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH 2.10.6 Socket Types: SOCK_SEQPACKET");
}
ATF_TC_BODY(seqpacket__keeps_boundaries, tc)
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

ATF_TC(seqpacket__truncates_with_msg_trunc);
ATF_TC_HEAD(seqpacket__truncates_with_msg_trunc, tc)
{
	fx_meta(tc, "posix", "a record longer than the buffer is truncated with MSG_TRUNC in "
	    "msg_flags; its rest is discarded and the next recv gets the next record");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH recvmsg: MSG_TRUNC; XSH 2.10.6 SOCK_SEQPACKET");
}
ATF_TC_BODY(seqpacket__truncates_with_msg_trunc, tc)
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

ATF_TC(seqpacket__eof_after_peer_close);
ATF_TC_HEAD(seqpacket__eof_after_peer_close, tc)
{
	fx_meta(tc, "posix", "after the peer closes, recv(2) returns the queued records and then 0");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH recv RETURN VALUE: orderly shutdown");
}
ATF_TC_BODY(seqpacket__eof_after_peer_close, tc)
{
	char buf[8];
	int cl, sv;

	seqpacket_connection(&cl, &sv);
	FX_REQUIRE_EQ(send(cl, "end", 3, 0), 3);
	FX_OK(close(cl));
	FX_REQUIRE_EQ(recv(sv, buf, sizeof buf, 0), 3);
	FX_REQUIRE_EQ(recv(sv, buf, sizeof buf, 0), 0);
}

ATF_TC(seqpacket__send_unconnected_enotconn);
ATF_TC_HEAD(seqpacket__send_unconnected_enotconn, tc)
{
	fx_meta(tc, "posix", "send(2) on a SOCK_SEQPACKET socket that is not connected fails with "
	    "ENOTCONN");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH send ERRORS [ENOTCONN]");
}
ATF_TC_BODY(seqpacket__send_unconnected_enotconn, tc)
{
	int fd = (int)FX_OK(socket(AF_UNIX, SOCK_SEQPACKET, 0));

	FX_REQUIRE_ERRNO(ENOTCONN, send(fd, "x", 1, MSG_NOSIGNAL));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, seqpacket__keeps_boundaries);
	ATF_TP_ADD_TC(tp, seqpacket__truncates_with_msg_trunc);
	ATF_TP_ADD_TC(tp, seqpacket__eof_after_peer_close);
	ATF_TP_ADD_TC(tp, seqpacket__send_unconnected_enotconn);
	return atf_no_error();
}
