/*
 * getsockopt(2)/setsockopt(2) at the SOL_SOCKET level on Unix domain sockets.
 */
#include "fx.h"
#include "usock.h"

#include <sys/socket.h>
#include <unistd.h>

static int
int_option(int fd, int opt)
{
	int v = -1;
	socklen_t len = sizeof v;

	FX_OK(getsockopt(fd, SOL_SOCKET, opt, &v, &len));
	FX_REQUIRE_EQ(len, sizeof v);
	return v;
}

ATF_TC(so_type__reports_type);
ATF_TC_HEAD(so_type__reports_type, tc)
{
	fx_meta(tc, "posix", "SO_TYPE reports the type a Unix domain socket was created with, and "
	    "SO_DOMAIN reports AF_UNIX");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH 2.10.16 Use of Options: SO_TYPE; socket(7) SO_DOMAIN");
}
ATF_TC_BODY(so_type__reports_type, tc)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
	size_t i;
	int fd;

	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		fd = (int)FX_OK(socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0));
		FX_REQUIRE_EQ(int_option(fd, SO_TYPE), types[i]);
		FX_REQUIRE_EQ(int_option(fd, SO_DOMAIN), AF_UNIX);
		FX_OK(close(fd));
	}
}

ATF_TC(so_acceptconn__reports_listening);
ATF_TC_HEAD(so_acceptconn__reports_listening, tc)
{
	fx_meta(tc, "posix", "SO_ACCEPTCONN is 0 on a bound socket and 1 once it listens; "
	    "an accepted socket does not listen");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH 2.10.16 Use of Options: SO_ACCEPTCONN");
}
ATF_TC_BODY(so_acceptconn__reports_listening, tc)
{
	int lfd = us_bound("l.sock", SOCK_STREAM, -1), afd;

	FX_REQUIRE_EQ(int_option(lfd, SO_ACCEPTCONN), 0);
	FX_OK(listen(lfd, 1));
	FX_REQUIRE_EQ(int_option(lfd, SO_ACCEPTCONN), 1);
	(void)us_connected("l.sock", SOCK_STREAM);
	afd = (int)FX_OK(accept(lfd, NULL, NULL));
	FX_REQUIRE_EQ(int_option(afd, SO_ACCEPTCONN), 0);
}

ATF_TC(so_sndbuf__doubled);
ATF_TC_HEAD(so_sndbuf__doubled, tc)
{
	fx_meta(tc, "linux", "setsockopt(SO_SNDBUF) doubles the value given (room for "
	    "bookkeeping), and getsockopt returns the doubled value");
	atf_tc_set_md_var(tc, "X-spec", "socket(7) SO_SNDBUF: the kernel doubles this value");
}
ATF_TC_BODY(so_sndbuf__doubled, tc)
{
	int sv[2], v = 8192;

	FX_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	FX_OK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v));
	FX_REQUIRE_EQ(int_option(sv[0], SO_SNDBUF), 2 * 8192);
}

ATF_TC(so_error__none_pending);
ATF_TC_HEAD(so_error__none_pending, tc)
{
	fx_meta(tc, "posix", "SO_ERROR on a healthy connected socket is 0");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH 2.10.16 Use of Options: SO_ERROR");
}
ATF_TC_BODY(so_error__none_pending, tc)
{
	int sv[2];

	FX_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	FX_REQUIRE_EQ(int_option(sv[0], SO_ERROR), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, so_type__reports_type);
	ATF_TP_ADD_TC(tp, so_acceptconn__reports_listening);
	ATF_TP_ADD_TC(tp, so_sndbuf__doubled);
	ATF_TP_ADD_TC(tp, so_error__none_pending);
	return atf_no_error();
}
