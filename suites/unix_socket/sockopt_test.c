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

FX_CASE(so_type__reports_type, "posix", "SO_TYPE reports the type a Unix domain socket was created with, and "
    "SO_DOMAIN reports AF_UNIX",
    "POSIX.1-2017 XSH 2.10.16 Use of Options: SO_TYPE; socket(7) SO_DOMAIN")
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

FX_CASE(so_acceptconn__reports_listening, "posix", "SO_ACCEPTCONN is 0 on a bound socket and 1 once it listens; "
    "an accepted socket does not listen",
    "POSIX.1-2017 XSH 2.10.16 Use of Options: SO_ACCEPTCONN")
{
	int lfd = us_bound("l.sock", SOCK_STREAM, -1), afd;

	FX_REQUIRE_EQ(int_option(lfd, SO_ACCEPTCONN), 0);
	FX_OK(listen(lfd, 1));
	FX_REQUIRE_EQ(int_option(lfd, SO_ACCEPTCONN), 1);
	(void)us_connected("l.sock", SOCK_STREAM);
	afd = (int)FX_OK(accept(lfd, NULL, NULL));
	FX_REQUIRE_EQ(int_option(afd, SO_ACCEPTCONN), 0);
}

FX_CASE(so_sndbuf__doubled, "linux", "setsockopt(SO_SNDBUF) doubles the value given (room for "
    "bookkeeping), and getsockopt returns the doubled value",
    "socket(7) SO_SNDBUF: the kernel doubles this value")
{
	int sv[2], v = 8192;

	FX_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	FX_OK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v));
	FX_REQUIRE_EQ(int_option(sv[0], SO_SNDBUF), 2 * 8192);
}

FX_CASE(so_error__none_pending, "posix", "SO_ERROR on a healthy connected socket is 0",
    "POSIX.1-2017 XSH 2.10.16 Use of Options: SO_ERROR")
{
	int sv[2];

	FX_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	FX_REQUIRE_EQ(int_option(sv[0], SO_ERROR), 0);
}
